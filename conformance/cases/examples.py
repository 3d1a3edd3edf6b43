"""Every row of spec/examples.md, copied with its number so a failure points at the spec."""

from . import Case, Err, f64, h

TOPIC = "examples"
DESCRIPTION = (
    "The worked examples of spec/examples.md (E1-E60 valid, X1-X20 rejected), octets copied"
    " from the appendix. Its two depth examples live in depth.json."
)

VALID = [
    Case("E1 None", None, h("c0")),
    Case("E2 False", False, h("c1")),
    Case("E3 True", True, h("c2")),
    Case("E4 0", 0, h("00")),
    Case("E5 1", 1, h("01")),
    Case("E6 127", 127, h("7f")),
    Case("E7 -1", -1, h("ff")),
    Case("E8 -16", -16, h("f0")),
    Case("E9 -17", -17, h("c4 ef")),
    Case("E10 -128", -128, h("c4 80")),
    Case("E11 128", 128, h("c5 80 00")),
    Case("E12 255", 255, h("c5 ff 00")),
    Case("E13 1000", 1000, h("c5 e8 03")),
    Case("E14 -129", -129, h("c5 7f ff")),
    Case("E15 65536", 65536, h("c6 00 00 01")),
    Case("E16 2**31", 2147483648, h("c8 00 00 00 80 00")),
    Case("E17 -2**31", -2147483648, h("c7 00 00 00 80")),
    Case("E18 2**63-1", 9223372036854775807, h("cb ff ff ff ff ff ff ff 7f")),
    Case("E19 -2**63", -9223372036854775808, h("cb 00 00 00 00 00 00 00 80")),
    Case("E20 2**63", 9223372036854775808, h("cc 09 00 00 00 00 00 00 00 80 00")),
    Case("E21 -2**63-1", -9223372036854775809, h("cc 09 ff ff ff ff ff ff ff 7f ff")),
    Case("E22 2**64-1", 18446744073709551615, h("cc 09 ff ff ff ff ff ff ff ff 00")),
    Case("E23 2**64", 18446744073709551616, h("cc 09 00 00 00 00 00 00 00 00 01")),
    Case("E24 -2**64", -18446744073709551616, h("cc 09 00 00 00 00 00 00 00 00 ff")),
    Case(
        "E25 2**100",
        1267650600228229401496703205376,
        h("cc 0d 00 00 00 00 00 00 00 00 00 00 00 00 10"),
    ),
    Case(
        "E26 -2**100",
        -1267650600228229401496703205376,
        h("cc 0d 00 00 00 00 00 00 00 00 00 00 00 00 f0"),
    ),
    Case("E27 0.0", 0.0, h("c3 00 00 00 00 00 00 00 00")),
    Case("E28 -0.0", -0.0, h("c3 00 00 00 00 00 00 00 80")),
    Case("E29 1.0", 1.0, h("c3 00 00 00 00 00 00 f0 3f")),
    Case("E30 1.5", 1.5, h("c3 00 00 00 00 00 00 f8 3f")),
    Case("E31 0.1", 0.1, h("c3 9a 99 99 99 99 99 b9 3f")),
    Case("E32 +inf", f64("7ff0000000000000"), h("c3 00 00 00 00 00 00 f0 7f")),
    Case("E33 -inf", f64("fff0000000000000"), h("c3 00 00 00 00 00 00 f0 ff")),
    Case("E34 quiet NaN", f64("7ff8000000000000"), h("c3 00 00 00 00 00 00 f8 7f")),
    Case("E35 quiet NaN payload 1", f64("7ff8000000000001"), h("c3 01 00 00 00 00 00 f8 7f")),
    Case("E36 signalling NaN", f64("7ff0000000000001"), h("c3 01 00 00 00 00 00 f0 7f")),
    Case("E37 negative NaN", f64("fff8000000000000"), h("c3 00 00 00 00 00 00 f8 ff")),
    Case("E38 smallest subnormal", f64("0000000000000001"), h("c3 01 00 00 00 00 00 00 00")),
    Case("E39 empty str", "", h("80")),
    Case("E40 'a'", "a", h("81 61")),
    Case("E41 'hello'", "hello", h("85 68 65 6c 6c 6f")),
    Case("E42 NUL", "\x00", h("81 00")),
    Case("E43 U+00E9", "\u00e9", h("82 c3 a9")),
    Case("E44 U+20AC", "\u20ac", h("83 e2 82 ac")),
    Case("E45 U+1F600", "\U0001f600", h("84 f0 9f 98 80")),
    Case(
        "E46 32-octet str",
        "abcdefghijklmnopqrstuvwxyz012345",
        h(
            "d0 20 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79"
            " 7a 30 31 32 33 34 35"
        ),
    ),
    Case("E47 lone high surrogate", "\ud800", h("dc 03 ed a0 80")),
    Case("E48 lone low surrogate", "\udfff", h("dc 03 ed bf bf")),
    Case("E49 surrogate pair as two code points", "\ud83d\ude00", h("dc 06 ed a0 bd ed b8 80")),
    Case("E50 surrogate between ASCII", "a\udc80b", h("dc 05 61 ed b2 80 62")),
    Case("E51 empty bytes", b"", h("a0")),
    Case("E52 bytes 00 ff", b"\x00\xff", h("a2 00 ff")),
    Case(
        "E53 16 bytes",
        bytes(range(16)),
        h("d4 10 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"),
    ),
    Case("E54 empty tuple", (), h("b0")),
    Case("E55 (None,)", (None,), h("b1 c0")),
    Case("E56 ((),)", ((),), h("b1 b0")),
    Case("E57 (True, False, None)", (True, False, None), h("b3 c2 c1 c0")),
    Case("E58 (1, (2, 3), 'x')", (1, (2, 3), "x"), h("b3 01 b2 02 03 81 78")),
    Case(
        "E59 (42, 3.14, 'abc', None)",
        (42, 3.14, "abc", None),
        h("b4 2a c3 1f 85 eb 51 b8 1e 09 40 83 61 62 63 c0"),
    ),
    Case("E60 (None,) * 16", (None,) * 16, h("d8 10" + " c0" * 16)),
]

DECODE_ERRORS = [
    Err("X1 INT1 holding 5", h("c4 05"), "non_canonical", 0),
    Err("X2 INT2 holding 100", h("c5 64 00"), "non_canonical", 0),
    Err("X3 2**63-1 as BIGINT", h("cc 09 ff ff ff ff ff ff ff 7f 00"), "non_canonical", 0),
    Err("X4 two values", h("05 06"), "trailing_bytes", 1),
    Err("X5 reserved tag", h("e0"), "unknown_tag", 0),
    Err("X6 reserved tag inside a tuple", h("b2 01 e5"), "unknown_tag", 2),
    Err("X7 FIXSTR of 3 with 2 present", h("83 61 62"), "truncated", 3),
    Err("X8 STR length 255 with nothing after", h("d0 ff"), "truncated", 2),
    Err("X9 STR length 2**64-1", h("d3 ff ff ff ff ff ff ff ff"), "truncated", 9),
    Err("X10 FLOAT with 2 of 8 octets", h("c3 00 00"), "truncated", 3),
    Err("X11 count checked before the reserved tag", h("b2 e0"), "truncated", 2),
    Err("X12 FIXTUPLE of 15 with 1 octet left", h("bf 01"), "truncated", 2),
    Err("X13 TUPLE count 5", h("d8 05 01"), "non_canonical", 0),
    Err("X14 non-canonical item", h("b1 c4 05"), "non_canonical", 1),
    Err("X15 overlong '/'", h("82 c0 af"), "invalid_utf8", 1),
    Err("X16 surrogate in FIXSTR", h("83 ed a0 80"), "invalid_utf8", 1),
    Err("X17 4-octet sequence cut by the payload end", h("84 61 f0 9f 98"), "invalid_utf8", 2),
    Err("X18 SSTR without a surrogate", h("dc 01 61"), "non_canonical", 0),
    Err("X19 ff in SSTR", h("dc 04 ed a0 80 ff"), "invalid_utf8", 5),
    Err("X20 NEGFIXINT then more", h("f4 90 80 80"), "trailing_bytes", 1),
]
