"""FIXSTR and STR (tags 80..9f, d0..d3): str without surrogates, as strict UTF-8.

Lengths count UTF-8 octets, not code points, so the FIXSTR/STR and length-width boundaries
are exercised with multi-octet characters straddling them. Invalid UTF-8 is reported at
q + m (spec §6 step 7): q is where the payload starts, m the length of the longest prefix of
the payload made of complete, well-formed sequences — so the offset is the start of the
first bad sequence, not the octet inside it where the problem shows.
"""

from . import Case, Err, ascii_hex, h, head, rep, truncations

TOPIC = "str"
DESCRIPTION = (
    "FIXSTR (80+n, n <= 31) and STR (hdr(d0, n)) with UTF-8 payloads: every FIXSTR length,"
    " the 31/32, 255/256 and 65535/65536 octet boundaries (also with multi-octet characters"
    " across them), every UTF-8 sequence length and its ends, and invalid UTF-8 of every kind"
    " with the offset of the first bad sequence."
)

# 31 ASCII characters: its prefixes give one FIXSTR of every length 0..31 (tags 80..9f).
_SAMPLE = "frozenpack keeps every value ex"
assert len(_SAMPLE) == 31

# "aé€😀": one character of each UTF-8 length, 1 + 2 + 3 + 4 = 10 octets.
_MIXED = "a\u00e9\u20ac\U0001f600"
_MIXED_HEX = h("61 c3 a9 e2 82 ac f0 9f 98 80")

VALID = [
    *(
        Case(f"FIXSTR of {n} ASCII octets", _SAMPLE[:n], f"{0x80 + n:02x}" + ascii_hex(_SAMPLE[:n]))
        for n in range(32)
    ),
    # --- FIXSTR / STR boundary: by octets, not characters.
    Case("31 x 'a' is FIXSTR", "a" * 31, h("9f" + rep("61", 31))),
    Case("32 x 'a' is STR", "a" * 32, h("d0 20" + rep("61", 32))),
    Case(
        "29 x 'a' then U+00E9: 30 chars, 31 octets, FIXSTR",
        "a" * 29 + "\u00e9",
        h("9f" + rep("61", 29) + "c3 a9"),
    ),
    Case(
        "30 x 'a' then U+00E9: 31 chars, 32 octets, STR",
        "a" * 30 + "\u00e9",
        h("d0 20" + rep("61", 30) + "c3 a9"),
    ),
    Case("15 x U+00E9 then 'a': 31 octets", "\u00e9" * 15 + "a", h("9f" + rep("c3a9", 15) + "61")),
    Case("16 x U+00E9: 16 chars, 32 octets", "\u00e9" * 16, h("d0 20" + rep("c3a9", 16))),
    Case(
        "10 x U+20AC then 'a': 31 octets",
        "\u20ac" * 10 + "a",
        h("9f" + rep("e282ac", 10) + "61"),
    ),
    Case("11 x U+20AC: 33 octets", "\u20ac" * 11, h("d0 21" + rep("e282ac", 11))),
    Case(
        "27 x 'a' then U+1F600: 31 octets",
        "a" * 27 + "\U0001f600",
        h("9f" + rep("61", 27) + "f0 9f 98 80"),
    ),
    Case(
        "28 x 'a' then U+1F600: 32 octets",
        "a" * 28 + "\U0001f600",
        h("d0 20" + rep("61", 28) + "f0 9f 98 80"),
    ),
    # --- 1-octet / 2-octet length field boundary.
    Case("255 x 'a', the longest 1-octet length", "a" * 255, h("d0 ff" + rep("61", 255))),
    Case("256 x 'a', the shortest 2-octet length", "a" * 256, h("d1 00 01" + rep("61", 256))),
    Case("85 x U+20AC: 255 octets", "\u20ac" * 85, h("d0 ff" + rep("e282ac", 85))),
    Case(
        "85 x U+20AC then 'a': 256 octets",
        "\u20ac" * 85 + "a",
        h("d1 00 01" + rep("e282ac", 85) + "61"),
    ),
    Case(
        "254 x 'a' then U+00E9: 255 chars, 256 octets",
        "a" * 254 + "\u00e9",
        h("d1 00 01" + rep("61", 254) + "c3 a9"),
    ),
    # --- 2-octet / 4-octet length field boundary (the only 64 KiB strs in the vectors).
    Case("65535 x 'a', the longest 2-octet length", "a" * 65535, h("d1 ff ff" + rep("61", 65535))),
    Case(
        "6553 x (a, U+00E9, U+20AC, U+1F600) then (a, U+00E9, U+20AC): 65536 octets",
        _MIXED * 6553 + "a\u00e9\u20ac",
        h(head(0xD2, 65536) + rep(_MIXED_HEX, 6553) + "61 c3 a9 e2 82 ac"),
    ),
    # --- Every UTF-8 sequence length, and the ends of each range of Table 3-7.
    Case("NUL", "\x00", h("81 00")),
    Case("two NULs", "\x00\x00", h("82 00 00")),
    Case("tab, newline, carriage return", "\t\n\r", h("83 09 0a 0d")),
    Case("U+007F, the last 1-octet code point", "\x7f", h("81 7f")),
    Case("U+0080, the first 2-octet code point", "\x80", h("82 c2 80")),
    Case("U+07FF, the last 2-octet code point", "\u07ff", h("82 df bf")),
    Case("U+0800, the first 3-octet code point", "\u0800", h("83 e0 a0 80")),
    Case("U+0FFF, the last with lead e0", "\u0fff", h("83 e0 bf bf")),
    Case("U+1000, the first with lead e1", "\u1000", h("83 e1 80 80")),
    Case("U+D7FF, the last before the surrogates", "\ud7ff", h("83 ed 9f bf")),
    Case("U+E000, the first after the surrogates", "\ue000", h("83 ee 80 80")),
    Case("U+FEFF, a byte order mark is kept", "\ufeff", h("83 ef bb bf")),
    Case("U+FFFE, a noncharacter is still UTF-8", "\ufffe", h("83 ef bf be")),
    Case("U+FFFF, the last 3-octet code point", "\uffff", h("83 ef bf bf")),
    Case("U+10000, the first 4-octet code point", "\U00010000", h("84 f0 90 80 80")),
    Case("U+1D11E, non-BMP", "\U0001d11e", h("84 f0 9d 84 9e")),
    Case("U+3FFFF, the last with lead f0", "\U0003ffff", h("84 f0 bf bf bf")),
    Case("U+40000, the first with lead f1", "\U00040000", h("84 f1 80 80 80")),
    Case("U+FFFFF, the last with lead f3", "\U000fffff", h("84 f3 bf bf bf")),
    Case("U+100000, the first with lead f4", "\U00100000", h("84 f4 80 80 80")),
    Case("U+10FFFF, the last code point", "\U0010ffff", h("84 f4 8f bf bf")),
    Case("one character of each UTF-8 length", _MIXED, "8a" + _MIXED_HEX),
    Case("CJK text", "\u65e5\u672c\u8a9e", h("89 e6 97 a5 e6 9c ac e8 aa 9e")),
    # No normalisation: 'e' + combining acute is two code points, not U+00E9.
    Case("e and a combining acute accent stay two code points", "e\u0301", h("83 65 cc 81")),
    Case("str and bytes of the same octets are different values", ("a", b"a"), h("b2 81 61 a1 61")),
]

DECODE_ERRORS = [
    # --- Overlong forms (Table 3-7 forbids c0, c1, e0 80..9f, f0 80..8f).
    Err("overlong 2-octet '/' c0 af", h("82 c0 af"), "invalid_utf8", 1),
    Err("overlong 2-octet NUL c0 80", h("82 c0 80"), "invalid_utf8", 1),
    Err("overlong 2-octet U+007F c1 bf", h("82 c1 bf"), "invalid_utf8", 1),
    Err("overlong 3-octet '/' e0 80 af", h("83 e0 80 af"), "invalid_utf8", 1),
    Err("overlong 3-octet U+07FF e0 9f bf", h("83 e0 9f bf"), "invalid_utf8", 1),
    Err("overlong 4-octet '/' f0 80 80 af", h("84 f0 80 80 af"), "invalid_utf8", 1),
    Err("overlong 4-octet U+FFFF f0 8f bf bf", h("84 f0 8f bf bf"), "invalid_utf8", 1),
    # --- Surrogates are not UTF-8 (they belong in SSTR; more in sstr.json).
    Err("surrogate U+D800 ed a0 80 in FIXSTR", h("83 ed a0 80"), "invalid_utf8", 1),
    Err(
        "surrogate after ASCII in STR",
        h("d0 22" + rep("61", 31) + "ed a0 80"),
        "invalid_utf8",
        33,
    ),
    # --- Above U+10FFFF.
    Err("U+110000 as f4 90 80 80", h("84 f4 90 80 80"), "invalid_utf8", 1),
    Err("U+1FFFFF as f7 bf bf bf", h("84 f7 bf bf bf"), "invalid_utf8", 1),
    # --- Octets that never occur in UTF-8.
    Err("lead octet f5", h("81 f5"), "invalid_utf8", 1),
    Err("f5 with three continuations", h("84 f5 80 80 80"), "invalid_utf8", 1),
    Err("lead octet f8", h("81 f8"), "invalid_utf8", 1),
    Err("lead octet fc", h("81 fc"), "invalid_utf8", 1),
    Err("lead octet fe", h("81 fe"), "invalid_utf8", 1),
    Err("lead octet ff", h("81 ff"), "invalid_utf8", 1),
    Err("lead octet c0 alone", h("81 c0"), "invalid_utf8", 1),
    # --- Continuation octets without a lead.
    Err("lone continuation 80", h("81 80"), "invalid_utf8", 1),
    Err("lone continuation bf", h("81 bf"), "invalid_utf8", 1),
    Err("lone continuation between ASCII", h("83 61 80 62"), "invalid_utf8", 2),
    Err("extra continuation after a 2-octet sequence", h("83 c3 a9 a9"), "invalid_utf8", 3),
    # --- A sequence cut short by the end of the payload (not by the end of the input).
    Err("2-octet lead at the payload end", h("81 c3"), "invalid_utf8", 1),
    Err("3-octet sequence missing its last octet", h("82 e2 82"), "invalid_utf8", 1),
    Err("4-octet sequence missing its last octet", h("83 f0 9f 98"), "invalid_utf8", 1),
    Err("cut 4-octet sequence after two ASCII", h("85 61 62 f0 9f 98"), "invalid_utf8", 3),
    Err("cut 3-octet sequence after a complete one", h("85 e2 82 ac e2 82"), "invalid_utf8", 4),
    Err(
        "cut sequence at the end of a STR payload",
        h("d0 20" + rep("61", 30) + "e2 82"),
        "invalid_utf8",
        32,
    ),
    # The payload ends early even though the input goes on: the next octet belongs to the tuple.
    Err("cut sequence inside a tuple, followed by an item", h("b2 81 c3 a9"), "invalid_utf8", 2),
    # --- A bad octet where a continuation is due: m stops before the whole sequence.
    Err("2-octet lead then ASCII", h("82 c3 41"), "invalid_utf8", 1),
    Err("2-octet lead then another lead", h("82 c3 c3"), "invalid_utf8", 1),
    Err("3-octet lead then ASCII", h("83 e2 28 a1"), "invalid_utf8", 1),
    Err("3-octet sequence broken at its third octet", h("83 e0 a0 c0"), "invalid_utf8", 1),
    Err("3-octet sequence broken after 'a'", h("84 61 e2 82 28"), "invalid_utf8", 2),
    Err("4-octet sequence broken at its fourth octet", h("84 f0 9f 98 41"), "invalid_utf8", 1),
    # --- A bad octet after a valid prefix: the offset counts the whole prefix.
    Err("ff after three ASCII", h("84 61 62 63 ff"), "invalid_utf8", 4),
    Err("ff after 2- and 3-octet sequences", h("86 c3 a9 e2 82 ac ff"), "invalid_utf8", 6),
    Err(
        "c0 after 1-, 2- and 4-octet sequences",
        h("88 61 c3 a9 f0 9f 98 80 c0"),
        "invalid_utf8",
        8,
    ),
    Err("ff after 31 ASCII in STR", h("d0 20" + rep("61", 31) + "ff"), "invalid_utf8", 33),
    Err("bad first octet of a STR", h("d0 20 c3" + rep("61", 31)), "invalid_utf8", 2),
    Err(
        "lone continuation after 255 ASCII in a 2-octet length STR",
        h("d1 00 01" + rep("61", 255) + "80"),
        "invalid_utf8",
        258,
    ),
    # --- Offsets count from the start of the input, inside tuples too.
    Err("overlong in the second item of a tuple", h("b2 00 82 c0 af"), "invalid_utf8", 3),
    Err("ff in the second of two strs", h("b2 81 61 81 ff"), "invalid_utf8", 4),
    # The bad str comes first; the reserved tag after it is never read.
    Err("invalid UTF-8 before a reserved tag", h("b3 82 c0 af e0 00"), "invalid_utf8", 2),
    # --- Step 6 (length) before step 7 (UTF-8): a short payload is truncated, whatever it holds.
    Err("FIXSTR of 3 holding ff ff", h("83 ff ff"), "truncated", 3),
    Err("FIXSTR of 5 holding an overlong", h("85 c0 af"), "truncated", 3),
    Err("FIXSTR tag alone", h("81"), "truncated", 1),
    Err("FIXSTR of 31 with 30 octets", h("9f" + rep("61", 30)), "truncated", 31),
    *truncations("one character of each UTF-8 length", "8a" + _MIXED_HEX),
    Err("STR tag alone", h("d0"), "truncated", 1),
    Err("STR length 32 with no payload", h("d0 20"), "truncated", 2),
    Err("STR length 32 with 31 octets", h("d0 20" + rep("61", 31)), "truncated", 33),
    Err("2-octet length tag alone", h("d1"), "truncated", 1),
    Err("2-octet length field cut", h("d1 00"), "truncated", 2),
    Err("STR of 256 with 255 octets", h("d1 00 01" + rep("61", 255)), "truncated", 258),
    Err("4-octet length field cut", h("d2 00 00 01"), "truncated", 4),
    Err("STR of 2**16 with no payload", h("d2 00 00 01 00"), "truncated", 5),
    Err("STR of 2**32-1 with no payload", h(head(0xD2, 2**32 - 1)), "truncated", 5),
    Err("8-octet length tag alone", h("d3"), "truncated", 1),
    Err("8-octet length field cut", h("d3" + rep("ff", 7)), "truncated", 8),
    Err("STR of 2**32 with no payload", h(head(0xD3, 2**32)), "truncated", 9),
    Err("STR of 2**62 with one octet", h(head(0xD3, 2**62) + "61"), "truncated", 10),
    Err("STR of 2**64-1 with no payload", h(head(0xD3, 2**64 - 1)), "truncated", 9),
    Err("str followed by one octet", h("81 61 62"), "trailing_bytes", 2),
]
