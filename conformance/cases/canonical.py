"""Canonical form (spec §5, spec/canonical-form.md): every non-canonical pattern, several of each.

Rows of the canonical-form.md table carry their number (C1..C50). non_canonical is always
reported at the tag of the item so encoded. The length-width checks (§6 step 5) run before
the payload is counted (step 6), so many cases are a bare header: the non-canonical width is
found without the payload being present.
"""

from . import Case, Err, f64, h, head, rep

TOPIC = "canonical"
DESCRIPTION = (
    "One encoding per value: the rows of canonical-form.md (C1-C50) and, for each rule,"
    " several non-canonical encodings: INT1 holding -16..127, redundant sign octets in INT2..INT8"
    " and BIGINT, BIGINT shorter than 9 octets, every over-wide length field of every family,"
    " SSTR without surrogates, surrogates in STR, reserved tags, trailing bytes."
)

_A300 = rep("61", 300)

VALID = [
    Case("C1 0 as FIXINT", 0, h("00")),
    Case("C3 127 as FIXINT", 127, h("7f")),
    Case("C5 128 as INT2", 128, h("c5 80 00")),
    Case("C7 -1 as NEGFIXINT", -1, h("ff")),
    Case("C9 -16 as NEGFIXINT", -16, h("f0")),
    Case("C10 -17 as INT1", -17, h("c4 ef")),
    Case("C11 -128 as INT1", -128, h("c4 80")),
    Case("C13 255 as INT2 needs its 00", 255, h("c5 ff 00")),
    Case("-129 as INT2 needs its ff", -129, h("c5 7f ff")),
    Case("C15 2**63-1 as INT8", 2**63 - 1, h("cb ff ff ff ff ff ff ff 7f")),
    Case("C16 2**63 as BIGINT n=9", 2**63, h("cc 09 00 00 00 00 00 00 00 80 00")),
    Case("C19 2**64 as BIGINT n=9", 2**64, h("cc 09 00 00 00 00 00 00 00 00 01")),
    Case("2**72 as BIGINT n=10 with a 1-octet length", 2**72, h("cc 0a" + rep("00", 9) + "01")),
    Case("C21 empty str as FIXSTR", "", h("80")),
    Case("C23 str of 31 octets as FIXSTR", "a" * 31, h("9f" + rep("61", 31))),
    Case("C25 str of 32 octets as STR", "a" * 32, h("d0 20" + rep("61", 32))),
    Case("C27 str of 300 octets with a 2-octet length", "a" * 300, h("d1 2c 01") + _A300),
    Case("C29 lone surrogate as SSTR", "\ud800", h("dc 03 ed a0 80")),
    Case("C32 two surrogates as SSTR", "\ud83d\ude00", h("dc 06 ed a0 bd ed b8 80")),
    Case("C33 U+1F600 as FIXSTR", "\U0001f600", h("84 f0 9f 98 80")),
    Case("C34 '/' as FIXSTR", "/", h("81 2f")),
    Case("C36 empty bytes as FIXBYTES", b"", h("a0")),
    Case("C38 bytes of 16 as BYTES", b"\x00" * 16, h("d4 10") + rep("00", 16)),
    Case("C39 empty tuple as FIXTUPLE", (), h("b0")),
    Case("C41 tuple of 16 as TUPLE", (0,) * 16, h("d8 10") + rep("00", 16)),
    Case("C45 0.0", 0.0, h("c3 00 00 00 00 00 00 00 00")),
    Case("C46 -0.0", -0.0, h("c3 00 00 00 00 00 00 00 80")),
    Case("C47 NaN payload 1", f64("7ff8000000000001"), h("c3 01 00 00 00 00 00 f8 7f")),
    Case("C48 1.0", 1.0, h("c3 00 00 00 00 00 00 f0 3f")),
]

DECODE_ERRORS = [
    # --- Rule 1: INT1 never holds -16..127 (those live in the tag).
    Err("C2 0 as INT1", h("c4 00"), "non_canonical", 0),
    Err("C4 127 as INT1", h("c4 7f"), "non_canonical", 0),
    Err("C8 -1 as INT1", h("c4 ff"), "non_canonical", 0),
    Err("-16 as INT1", h("c4 f0"), "non_canonical", 0),
    Err("1 as INT1", h("c4 01"), "non_canonical", 0),
    Err("64 as INT1", h("c4 40"), "non_canonical", 0),
    # --- Rule 1: INT2..INT8 whose top octet only repeats the sign of the octet before it
    # (00 after an octet below 80, ff after an octet of 80 or above).
    Err("C6 128 as INT3", h("c6 80 00 00"), "non_canonical", 0),
    Err("C12 -128 as INT2", h("c5 80 ff"), "non_canonical", 0),
    Err("C14 100 as INT2", h("c5 64 00"), "non_canonical", 0),
    Err("0 as INT2", h("c5 00 00"), "non_canonical", 0),
    Err("-1 as INT2", h("c5 ff ff"), "non_canonical", 0),
    Err("127 as INT2", h("c5 7f 00"), "non_canonical", 0),
    Err("-16 as INT2", h("c5 f0 ff"), "non_canonical", 0),
    Err("-17 as INT2", h("c5 ef ff"), "non_canonical", 0),
    Err("2**15-1 as INT3", h("c6 ff 7f 00"), "non_canonical", 0),
    Err("-2**15 as INT3", h("c6 00 80 ff"), "non_canonical", 0),
    Err("0 as INT4", h("c7 00 00 00 00"), "non_canonical", 0),
    Err("2**23-1 as INT4", h("c7 ff ff 7f 00"), "non_canonical", 0),
    Err("2**31-1 as INT5", h("c8 ff ff ff 7f 00"), "non_canonical", 0),
    Err("-2**31 as INT5", h("c8 00 00 00 80 ff"), "non_canonical", 0),
    Err("2**39-1 as INT6", h("c9 ff ff ff ff 7f 00"), "non_canonical", 0),
    Err("-2**39 as INT6", h("c9 00 00 00 00 80 ff"), "non_canonical", 0),
    Err("2**47-1 as INT7", h("ca ff ff ff ff ff 7f 00"), "non_canonical", 0),
    Err("-2**47 as INT7", h("ca 00 00 00 00 00 80 ff"), "non_canonical", 0),
    Err("0 as INT8", h("cb 00 00 00 00 00 00 00 00"), "non_canonical", 0),
    Err("-1 as INT8", h("cb ff ff ff ff ff ff ff ff"), "non_canonical", 0),
    Err("2**55-1 as INT8", h("cb ff ff ff ff ff ff 7f 00"), "non_canonical", 0),
    Err("-2**55 as INT8", h("cb 00 00 00 00 00 00 80 ff"), "non_canonical", 0),
    # --- Rule 2: BIGINT's 1-octet length starts at 9 (checked in step 5, before the payload).
    Err("C18 1 as BIGINT n=1", h("cc 01 01"), "non_canonical", 0),
    Err("BIGINT n=0", h("cc 00"), "non_canonical", 0),
    Err("2**63-1 as BIGINT n=8", h("cc 08 ff ff ff ff ff ff ff 7f"), "non_canonical", 0),
    Err("BIGINT n=5 with no payload", h("cc 05"), "non_canonical", 0),
    # --- Rule 1 for BIGINT (step 7, after the whole payload is present).
    Err("C17 2**63-1 as BIGINT n=9", h("cc 09 ff ff ff ff ff ff ff 7f 00"), "non_canonical", 0),
    Err("0 as BIGINT n=9", h("cc 09") + rep("00", 9), "non_canonical", 0),
    Err("-1 as BIGINT n=9", h("cc 09") + rep("ff", 9), "non_canonical", 0),
    Err("-2**63 as BIGINT n=9", h("cc 09") + rep("00", 7) + h("80 ff"), "non_canonical", 0),
    Err("2**64 as BIGINT n=10", h("cc 0a") + rep("00", 8) + h("01 00"), "non_canonical", 0),
    Err("-2**71 as BIGINT n=10", h("cc 0a") + rep("00", 8) + h("80 ff"), "non_canonical", 0),
    Err(
        "2**2039-1 as BIGINT n=256",
        h("cd 00 01") + rep("ff", 254) + h("7f 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 2: over-wide BIGINT length fields.
    Err("C20 2**72 with a 2-octet length", h("cd 0a 00") + rep("00", 9) + "01", "non_canonical", 0),
    Err(
        "2**63 with a 2-octet length",
        h("cd 09 00") + rep("00", 7) + h("80 00"),
        "non_canonical",
        0,
    ),
    Err(
        "2**63 with a 4-octet length",
        h("ce 09 00 00 00") + rep("00", 7) + h("80 00"),
        "non_canonical",
        0,
    ),
    Err(
        "2**63 with an 8-octet length",
        head(0xCF, 9) + rep("00", 7) + h("80 00"),
        "non_canonical",
        0,
    ),
    Err(
        "2**2039 with a 4-octet length",
        head(0xCE, 256) + rep("00", 254) + h("80 00"),
        "non_canonical",
        0,
    ),
    Err(
        "BIGINT n=65535 with a 4-octet length, header only",
        h("ce ff ff 00 00"),
        "non_canonical",
        0,
    ),
    Err(
        "BIGINT n=2**32-1 with an 8-octet length, header only",
        h("cf ff ff ff ff 00 00 00 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 2: STR uses FIXSTR below 32 octets and the narrowest field from there.
    Err("C22 empty str as STR", h("d0 00"), "non_canonical", 0),
    Err("'a' as STR", h("d0 01 61"), "non_canonical", 0),
    Err("C24 str of 31 octets as STR", h("d0 1f") + rep("61", 31), "non_canonical", 0),
    Err(
        "C26 str of 32 octets with a 2-octet length",
        h("d1 20 00") + rep("61", 32),
        "non_canonical",
        0,
    ),
    Err("empty str with a 2-octet length", h("d1 00 00"), "non_canonical", 0),
    Err("STR n=255 with a 2-octet length, header only", h("d1 ff 00"), "non_canonical", 0),
    Err(
        "C28 str of 300 octets with a 4-octet length",
        h("d2 2c 01 00 00") + _A300,
        "non_canonical",
        0,
    ),
    Err("STR n=65535 with a 4-octet length, header only", h("d2 ff ff 00 00"), "non_canonical", 0),
    Err("'a' with an 8-octet length", h("d3 01 00 00 00 00 00 00 00 61"), "non_canonical", 0),
    Err(
        "STR n=2**32-1 with an 8-octet length, header only",
        h("d3 ff ff ff ff 00 00 00 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 2: BYTES below 16 octets is FIXBYTES.
    Err("C37 empty bytes as BYTES", h("d4 00"), "non_canonical", 0),
    Err("bytes of 15 as BYTES", h("d4 0f") + rep("00", 15), "non_canonical", 0),
    Err("bytes of 16 with a 2-octet length", h("d5 10 00") + rep("00", 16), "non_canonical", 0),
    Err("BYTES n=255 with a 2-octet length, header only", h("d5 ff 00"), "non_canonical", 0),
    Err(
        "bytes of 256 with a 4-octet length",
        h("d6 00 01 00 00") + rep("00", 256),
        "non_canonical",
        0,
    ),
    Err(
        "BYTES n=65535 with a 4-octet length, header only",
        h("d6 ff ff 00 00"),
        "non_canonical",
        0,
    ),
    Err(
        "bytes of 16 with an 8-octet length",
        h("d7 10 00 00 00 00 00 00 00") + rep("00", 16),
        "non_canonical",
        0,
    ),
    Err(
        "C44 bytes of 2**32-1 with an 8-octet length, header only",
        h("d7 ff ff ff ff 00 00 00 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 2: TUPLE below 16 items is FIXTUPLE.
    Err("C40 empty tuple as TUPLE", h("d8 00"), "non_canonical", 0),
    Err("(0,) as TUPLE", h("d8 01 00"), "non_canonical", 0),
    Err("tuple of 15 as TUPLE", h("d8 0f") + rep("00", 15), "non_canonical", 0),
    Err("tuple of 16 with a 2-octet count", h("d9 10 00") + rep("00", 16), "non_canonical", 0),
    Err("empty tuple with a 2-octet count", h("d9 00 00"), "non_canonical", 0),
    Err(
        "tuple of 16 with a 4-octet count",
        h("da 10 00 00 00") + rep("00", 16),
        "non_canonical",
        0,
    ),
    Err(
        "C43 tuple of 2**16-1 with a 4-octet count, header only",
        h("da ff ff 00 00"),
        "non_canonical",
        0,
    ),
    Err(
        "tuple of 16 with an 8-octet count",
        h("db 10 00 00 00 00 00 00 00") + rep("00", 16),
        "non_canonical",
        0,
    ),
    Err(
        "TUPLE n=2**32-1 with an 8-octet count, header only",
        h("db ff ff ff ff 00 00 00 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 2: SSTR has no FIX form; its 2-, 4- and 8-octet fields start at 2**8, 2**16, 2**32.
    Err("U+D800 with a 2-octet length", h("dd 03 00 ed a0 80"), "non_canonical", 0),
    Err("SSTR n=255 with a 2-octet length, header only", h("dd ff 00"), "non_canonical", 0),
    Err("U+D800 with a 4-octet length", h("de 03 00 00 00 ed a0 80"), "non_canonical", 0),
    Err("SSTR n=65535 with a 4-octet length, header only", h("de ff ff 00 00"), "non_canonical", 0),
    Err(
        "U+D800 with an 8-octet length",
        h("df 03 00 00 00 00 00 00 00 ed a0 80"),
        "non_canonical",
        0,
    ),
    Err(
        "SSTR n=2**32-1 with an 8-octet length, header only",
        h("df ff ff ff ff 00 00 00 00"),
        "non_canonical",
        0,
    ),
    # --- Rule 3: SSTR only with a surrogate; surrogates never in FIXSTR/STR.
    Err("C31 'a' as SSTR", h("dc 01 61"), "non_canonical", 0),
    Err("C30 U+D800 as FIXSTR", h("83 ed a0 80"), "invalid_utf8", 1),
    Err("C35 overlong '/'", h("82 c0 af"), "invalid_utf8", 1),
    # --- Rule 5: nothing else.
    Err("C49 reserved tag e7", h("e7"), "unknown_tag", 0),
    Err("C50 5 then 6", h("05 06"), "trailing_bytes", 1),
    # --- Order of checks around the canonical ones.
    Err("INT2 tag with one octet: step 4 before 5", h("c5 00"), "truncated", 2),
    Err("2-octet length cut: step 4 before 5", h("d1 05"), "truncated", 2),
    Err(
        "over-wide length with its payload missing: step 5 before 6",
        h("d1 05 00"),
        "non_canonical",
        0,
    ),
    Err(
        "over-wide length with bad UTF-8: step 5 before 7",
        h("d0 05 ff ff ff ff ff"),
        "non_canonical",
        0,
    ),
    Err(
        "over-wide SSTR length with bad UTF-8: step 5 before 7",
        h("dd 01 00 ff"),
        "non_canonical",
        0,
    ),
    Err("non-canonical value before trailing octets", h("c5 64 00 00"), "non_canonical", 0),
    # --- Offsets of non-canonical items inside tuples are the items' own tags.
    Err("INT1 holding 0 as a singleton's item", h("b1 c4 00"), "non_canonical", 1),
    Err("INT2 holding 2 as the third item", h("b3 00 01 c5 02 00"), "non_canonical", 3),
    Err(
        "BYTES of 0 as the sixteenth item of a TUPLE",
        h("d8 10") + rep("00", 15) + h("d4 00"),
        "non_canonical",
        17,
    ),
    Err("INT1 holding 0 ten levels deep", rep("b1", 10) + h("c4 00"), "non_canonical", 10),
]
