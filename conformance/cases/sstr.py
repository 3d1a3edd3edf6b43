"""SSTR (tags dc..df): a str with at least one surrogate code point, in generalized UTF-8.

Every code point is written as UTF-8 writes it, and each surrogate on its own as the 3-octet
sequence ed a0 80 .. ed bf bf; a high surrogate followed by a low one stays two sequences
(spec §4). SSTR has no FIX form, so its 1-octet length field (dc) serves every n < 256.
After the length checks, step 7 runs the generalized-UTF-8 check first and the "contains a
surrogate" check second, so a payload that fails both is invalid_utf8.
"""

from . import Case, Err, h, head, rep, truncations

TOPIC = "sstr"
DESCRIPTION = (
    "SSTR: hdr(dc, n) then generalized UTF-8 (Python's surrogatepass). Lone high and low"
    " surrogates, a high+low pair kept as two code points, surrogates at start/middle/end and"
    " mixed with multi-octet characters, the 255/256 width boundary; SSTR without a surrogate"
    " (non_canonical), bad generalized UTF-8 (invalid_utf8), surrogates in FIXSTR/STR."
)

VALID = [
    Case("U+D800, the first high surrogate", "\ud800", h("dc 03 ed a0 80")),
    Case("U+DBFF, the last high surrogate", "\udbff", h("dc 03 ed af bf")),
    Case("U+DC00, the first low surrogate", "\udc00", h("dc 03 ed b0 80")),
    Case("U+DFFF, the last low surrogate", "\udfff", h("dc 03 ed bf bf")),
    # Not U+1F600: two code points, each its own sequence (CESU-8 and WTF-8 differ here).
    Case(
        "high then low surrogate stay two code points",
        "\ud83d\ude00",
        h("dc 06 ed a0 bd ed b8 80"),
    ),
    Case("U+D800 U+DC00 is not U+10000", "\ud800\udc00", h("dc 06 ed a0 80 ed b0 80")),
    Case("low then high surrogate", "\ude00\ud83d", h("dc 06 ed b8 80 ed a0 bd")),
    Case("two high surrogates", "\ud800\ud800", h("dc 06 ed a0 80 ed a0 80")),
    Case("surrogate at the start", "\ud800a", h("dc 04 ed a0 80 61")),
    Case("surrogate at the end", "a\ud800", h("dc 04 61 ed a0 80")),
    Case("surrogate in the middle", "a\udc00b", h("dc 05 61 ed b0 80 62")),
    Case("NUL then a surrogate", "\x00\ud800", h("dc 04 00 ed a0 80")),
    Case("U+D7FF then U+D800", "\ud7ff\ud800", h("dc 06 ed 9f bf ed a0 80")),
    Case("U+DFFF then U+E000", "\udfff\ue000", h("dc 06 ed bf bf ee 80 80")),
    Case("U+1F600 then a lone high surrogate", "\U0001f600\ud83d", h("dc 07 f0 9f 98 80 ed a0 bd")),
    Case("U+10FFFF then U+DFFF", "\U0010ffff\udfff", h("dc 07 f4 8f bf bf ed bf bf")),
    Case(
        "2- and 3-octet characters around a surrogate",
        "\u00e9\udfff\u20ac",
        h("dc 08 c3 a9 ed bf bf e2 82 ac"),
    ),
    Case("ten high surrogates", "\ud800" * 10, h("dc 1e" + rep("eda080", 10))),
    Case(
        "84 surrogates and 2 x 'a': 254 octets",
        "\ud800" * 84 + "aa",
        h("dc fe" + rep("eda080", 84) + "61 61"),
    ),
    Case(
        "85 surrogates: 255 octets, the longest 1-octet length",
        "\ud800" * 85,
        h("dc ff" + rep("eda080", 85)),
    ),
    Case(
        "85 surrogates then 'a': 256 octets",
        "\ud800" * 85 + "a",
        h("dd 00 01" + rep("eda080", 85) + "61"),
    ),
    Case(
        "'a' then 85 x U+DFFF: 256 octets",
        "a" + "\udfff" * 85,
        h(head(0xDD, 256) + "61" + rep("edbfbf", 85)),
    ),
    Case(
        "297 x 'a' then a surrogate: 300 octets",
        "a" * 297 + "\ud800",
        h("dd 2c 01" + rep("61", 297) + "ed a0 80"),
    ),
    Case(
        "lone surrogate next to U+10000 in a tuple",
        ("\ud800", "\U00010000"),
        h("b2 dc 03 ed a0 80 84 f0 90 80 80"),
    ),
    Case("surrogate-shaped octets in bytes are just octets", b"\xed\xa0\x80", h("a3 ed a0 80")),
]

DECODE_ERRORS = [
    # --- Well-formed generalized UTF-8 without any surrogate: FIXSTR/STR was required.
    Err("empty SSTR", h("dc 00"), "non_canonical", 0),
    Err("SSTR of 'a'", h("dc 01 61"), "non_canonical", 0),
    Err("SSTR of U+00E9", h("dc 02 c3 a9"), "non_canonical", 0),
    Err("SSTR of U+1F600 (no surrogate code point)", h("dc 04 f0 9f 98 80"), "non_canonical", 0),
    Err("SSTR of U+D7FF, just below the surrogates", h("dc 03 ed 9f bf"), "non_canonical", 0),
    Err("SSTR of U+E000, just above the surrogates", h("dc 03 ee 80 80"), "non_canonical", 0),
    Err(
        "SSTR of 256 x 'a' with a 2-octet length",
        h("dd 00 01" + rep("61", 256)),
        "non_canonical",
        0,
    ),
    Err("SSTR without a surrogate as a tuple item", h("b2 00 dc 01 61"), "non_canonical", 2),
    # --- Not generalized UTF-8: invalid_utf8 at q + m, before the surrogate check.
    Err("lone continuation, no surrogate either", h("dc 01 80"), "invalid_utf8", 2),
    Err("ff, no surrogate either", h("dc 01 ff"), "invalid_utf8", 2),
    Err("overlong c0 af in SSTR", h("dc 02 c0 af"), "invalid_utf8", 2),
    Err("overlong 4-octet U+FFFF in SSTR", h("dc 04 f0 8f bf bf"), "invalid_utf8", 2),
    Err("U+110000 in SSTR", h("dc 04 f4 90 80 80"), "invalid_utf8", 2),
    Err("surrogate sequence cut by the payload end", h("dc 02 ed a0"), "invalid_utf8", 2),
    Err("ed then c0 where a continuation is due", h("dc 03 ed c0 80"), "invalid_utf8", 2),
    Err("ed then ASCII", h("dc 03 ed 7f 80"), "invalid_utf8", 2),
    Err("ff before a surrogate", h("dc 04 ff ed a0 80"), "invalid_utf8", 2),
    Err("lone continuation after a surrogate", h("dc 04 ed a0 80 80"), "invalid_utf8", 5),
    Err("cut 4-octet sequence after a surrogate", h("dc 06 ed a0 80 f0 9f 98"), "invalid_utf8", 5),
    Err(
        "second surrogate broken at its third octet",
        h("dc 06 ed a0 80 ed a0 c0"),
        "invalid_utf8",
        5,
    ),
    Err("overlong after 'a' and a surrogate", h("dc 07 61 ed a0 80 e0 80 80"), "invalid_utf8", 6),
    Err(
        "ff after 85 surrogates in a 2-octet length SSTR",
        h("dd 00 01" + rep("eda080", 85) + "ff"),
        "invalid_utf8",
        258,
    ),
    # --- Surrogates outside SSTR: strict UTF-8 rejects them at the ed.
    Err("U+DFFF in FIXSTR", h("83 ed bf bf"), "invalid_utf8", 1),
    Err("U+DC00 in FIXSTR", h("83 ed b0 80"), "invalid_utf8", 1),
    Err("CESU-8 pair in FIXSTR", h("86 ed a0 bd ed b8 80"), "invalid_utf8", 1),
    Err("surrogate after 'a' in FIXSTR", h("84 61 ed a0 80"), "invalid_utf8", 2),
    Err(
        "surrogate after 29 x 'a' in STR",
        h("d0 20" + rep("61", 29) + "ed a0 80"),
        "invalid_utf8",
        31,
    ),
    # --- Step 6 before step 7: short payloads are truncated whatever their content.
    *truncations("'a' then U+D800", h("dc 04 61 ed a0 80")),
    Err("SSTR of 3 with 'a' only (no surrogate either)", h("dc 03 61"), "truncated", 3),
    Err("SSTR of 5 with ff only", h("dc 05 ff"), "truncated", 3),
    Err("2-octet length tag alone", h("dd"), "truncated", 1),
    Err("2-octet length field cut", h("dd 00"), "truncated", 2),
    Err("SSTR of 256 with no payload", h("dd 00 01"), "truncated", 3),
    Err("4-octet length tag alone", h("de"), "truncated", 1),
    Err("SSTR of 2**16 with no payload", h(head(0xDE, 2**16)), "truncated", 5),
    Err("8-octet length tag alone", h("df"), "truncated", 1),
    Err(
        "SSTR of 2**32 with one surrogate present",
        h(head(0xDF, 2**32) + "ed a0 80"),
        "truncated",
        12,
    ),
    Err("SSTR of 2**62 with no payload", h(head(0xDF, 2**62)), "truncated", 9),
    Err("SSTR of 2**64-1 with no payload", h(head(0xDF, 2**64 - 1)), "truncated", 9),
    Err("SSTR followed by one octet", h("dc 03 ed a0 80 00"), "trailing_bytes", 5),
]
