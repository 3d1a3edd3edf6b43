"""Whole-input structure: empty input, reserved tags, trailing bytes, truncation everywhere,
and inputs with two problems where the step of spec §6 met first decides the error.

Streams (§9) are not vectors: every vector is one whole-input decode (`loads`).
"""

from . import Case, Err, h, rep, truncations

TOPIC = "structure"
DESCRIPTION = (
    "Whole-input decoding: the empty input, every reserved tag e0..ef alone and as a tuple"
    " item, trailing bytes after every kind of value, a value of every family cut at every"
    " octet, and two-problem inputs where the earlier step of the decoding procedure wins."
)

# One item of every family, so cutting it at each octet stops inside every kind of fixed part
# and payload: None, INT1 -17, INT2 128, BIGINT 2**64, FLOAT 1.5, FIXSTR U+00E9, SSTR U+D800,
# FIXBYTES 00, (), (True,).
_EVERY_FAMILY = (None, -17, 128, 2**64, 1.5, "\u00e9", "\ud800", b"\x00", (), (True,))
_EVERY_FAMILY_HEX = h(
    "ba c0 c4 ef c5 80 00 cc 09 00 00 00 00 00 00 00 00 01 c3 00 00 00 00 00 00 f8 3f"
    " 82 c3 a9 dc 03 ed a0 80 a1 00 b0 b1 c2"
)

VALID = [
    Case("one item of every family", _EVERY_FAMILY, _EVERY_FAMILY_HEX),
]

DECODE_ERRORS = [
    # Step 1 at the top: no tag at all.
    Err("empty input", "", "truncated", 0),
    # Step 2: every reserved tag, at the top and as an item.
    *(Err(f"reserved tag {t:02x} alone", f"{t:02x}", "unknown_tag", 0) for t in range(0xE0, 0xF0)),
    *(
        Err(f"reserved tag {t:02x} as a singleton's item", f"b1{t:02x}", "unknown_tag", 1)
        for t in range(0xE0, 0xF0)
    ),
    Err("reserved tag followed by octets", h("e5 00 00 00"), "unknown_tag", 0),
    Err("reserved tag after a nested item", h("b2 b1 00 e9"), "unknown_tag", 3),
    Err(
        "reserved tag as the first item of a TUPLE",
        h("d8 10 e3") + rep("00", 15),
        "unknown_tag",
        2,
    ),
    # Whole-input decoding: octets after the value are trailing, whatever they are.
    Err("0 then 0", h("00 00"), "trailing_bytes", 1),
    Err("empty str then empty str", h("80 80"), "trailing_bytes", 1),
    Err("empty bytes then 0", h("a0 00"), "trailing_bytes", 1),
    Err("empty tuple then empty tuple", h("b0 b0"), "trailing_bytes", 1),
    Err("None, False, True as three values", h("c0 c1 c2"), "trailing_bytes", 1),
    Err("value then a reserved tag", h("00 e0"), "trailing_bytes", 1),
    Err("value then a truncated FLOAT tag", h("00 c3"), "trailing_bytes", 1),
    Err("BYTES of 16 then ff", h("d4 10") + rep("00", 16) + "ff", "trailing_bytes", 18),
    Err("every-family tuple then 0", _EVERY_FAMILY_HEX + "00", "trailing_bytes", 40),
    # Truncation at every octet of one value.
    *truncations("every-family tuple", _EVERY_FAMILY_HEX),
    # Two problems: the first one met in the order of §6 is reported.
    Err("reserved item before the tuple's end", h("b1 e0 00"), "unknown_tag", 1),
    Err("non-canonical value before trailing octets", h("c4 00 e0"), "non_canonical", 0),
    Err(
        "non-canonical first item before a reserved second",
        h("b2 c5 00 00 e0"),
        "non_canonical",
        1,
    ),
    Err("invalid UTF-8 item before a non-canonical one", h("b2 81 ff c4 00"), "invalid_utf8", 2),
    Err("count too large before a non-canonical first item", h("b4 c4 00 00"), "truncated", 4),
    Err("FIXSTR too long before its bad UTF-8", h("84 ff ff ff"), "truncated", 4),
]
