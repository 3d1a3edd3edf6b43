"""INT1..INT8 (tags c4..cb): ints outside -16..127 that fit 1..8 octets of two's complement.

For each k the cases give both ends of INTk's range and the first values past INT(k-1), so an
encoder that picks the width from the wrong bound (e.g. unsigned magnitude) is caught on both
signs. Octets are little-endian: the least significant octet comes right after the tag.
"""

from . import Case, Err, h, truncations

TOPIC = "int_fixed"
DESCRIPTION = (
    "INT1..INT8 (c4..cb): tag c3+k then TC(k, v) with k = minbytes(v); every range end and"
    " every first value past the next smaller form, on both signs; truncated fixed parts."
)

VALID = [
    # INT1 holds only -128..-17: 0..127 and -16..-1 live in the tag (§5 rule 1).
    Case("INT1 -17, the largest", -17, h("c4 ef")),
    Case("INT1 -18", -18, h("c4 ee")),
    Case("INT1 -100", -100, h("c4 9c")),
    Case("INT1 -128, the smallest", -128, h("c4 80")),
    # INT2: 128 needs a second octet because 80 alone is -128.
    Case("INT2 128 = 2**7", 128, h("c5 80 00")),
    Case("INT2 -129", -129, h("c5 7f ff")),
    Case("INT2 255", 255, h("c5 ff 00")),
    Case("INT2 256", 256, h("c5 00 01")),
    Case("INT2 -255", -255, h("c5 01 ff")),
    Case("INT2 -256", -256, h("c5 00 ff")),
    Case("INT2 -1000", -1000, h("c5 18 fc")),
    Case("INT2 0x1234 shows the octet order", 0x1234, h("c5 34 12")),
    Case("INT2 32767 = 2**15-1, the largest", 32767, h("c5 ff 7f")),
    Case("INT2 -32768 = -2**15, the smallest", -32768, h("c5 00 80")),
    Case("INT3 32768 = 2**15", 32768, h("c6 00 80 00")),
    Case("INT3 -32769", -32769, h("c6 ff 7f ff")),
    Case("INT3 65535", 65535, h("c6 ff ff 00")),
    Case("INT3 -65536", -65536, h("c6 00 00 ff")),
    Case("INT3 2**23-1, the largest", 8388607, h("c6 ff ff 7f")),
    Case("INT3 -2**23, the smallest", -8388608, h("c6 00 00 80")),
    Case("INT4 2**23", 8388608, h("c7 00 00 80 00")),
    Case("INT4 -2**23-1", -8388609, h("c7 ff ff 7f ff")),
    Case("INT4 2**24", 16777216, h("c7 00 00 00 01")),
    Case("INT4 0x12345678", 0x12345678, h("c7 78 56 34 12")),
    Case("INT4 2**31-1, the largest", 2147483647, h("c7 ff ff ff 7f")),
    Case("INT4 -2**31, the smallest", -2147483648, h("c7 00 00 00 80")),
    Case("INT5 2**31", 2147483648, h("c8 00 00 00 80 00")),
    Case("INT5 -2**31-1", -2147483649, h("c8 ff ff ff 7f ff")),
    Case("INT5 2**32-1", 4294967295, h("c8 ff ff ff ff 00")),
    Case("INT5 2**32", 4294967296, h("c8 00 00 00 00 01")),
    Case("INT5 -2**32", -4294967296, h("c8 00 00 00 00 ff")),
    Case("INT5 2**39-1, the largest", 2**39 - 1, h("c8 ff ff ff ff 7f")),
    Case("INT5 -2**39, the smallest", -(2**39), h("c8 00 00 00 00 80")),
    Case("INT6 2**39", 2**39, h("c9 00 00 00 00 80 00")),
    Case("INT6 -2**39-1", -(2**39) - 1, h("c9 ff ff ff ff 7f ff")),
    Case("INT6 2**47-1, the largest", 2**47 - 1, h("c9 ff ff ff ff ff 7f")),
    Case("INT6 -2**47, the smallest", -(2**47), h("c9 00 00 00 00 00 80")),
    Case("INT7 2**47", 2**47, h("ca 00 00 00 00 00 80 00")),
    Case("INT7 -2**47-1", -(2**47) - 1, h("ca ff ff ff ff ff 7f ff")),
    Case("INT7 2**48", 2**48, h("ca 00 00 00 00 00 00 01")),
    Case("INT7 2**55-1, the largest", 2**55 - 1, h("ca ff ff ff ff ff ff 7f")),
    Case("INT7 -2**55, the smallest", -(2**55), h("ca 00 00 00 00 00 00 80")),
    Case("INT8 2**55", 2**55, h("cb 00 00 00 00 00 00 80 00")),
    Case("INT8 -2**55-1", -(2**55) - 1, h("cb ff ff ff ff ff ff 7f ff")),
    Case("INT8 10**18", 10**18, h("cb 00 00 64 a7 b3 b6 e0 0d")),
    Case("INT8 -10**18", -(10**18), h("cb 00 00 9c 58 4c 49 1f f2")),
    Case("INT8 0x0123456789abcdef", 0x0123456789ABCDEF, h("cb ef cd ab 89 67 45 23 01")),
    Case("INT8 -0x0123456789abcdef", -0x0123456789ABCDEF, h("cb 11 32 54 76 98 ba dc fe")),
    Case("INT8 2**63-1, the largest", 2**63 - 1, h("cb ff ff ff ff ff ff ff 7f")),
    Case("INT8 -2**63, the smallest", -(2**63), h("cb 00 00 00 00 00 00 00 80")),
    # The width follows each int on its own, inside a tuple as at the top.
    Case(
        "one int of each width in a tuple",
        (-17, 128, 32768, 2**23, 2**31, 2**39, 2**47, 2**55),
        h(
            "b8 c4 ef c5 80 00 c6 00 80 00 c7 00 00 80 00 c8 00 00 00 80 00"
            " c9 00 00 00 00 80 00 ca 00 00 00 00 00 80 00 cb 00 00 00 00 00 00 80 00"
        ),
    ),
]

DECODE_ERRORS = [
    # Step 4: the k octets after an INTk tag must all be present, else truncated at L.
    Err("INT1 tag alone", h("c4"), "truncated", 1),
    Err("INT2 tag alone", h("c5"), "truncated", 1),
    Err("INT2 with 1 of 2 octets", h("c5 80"), "truncated", 2),
    Err("INT3 tag alone", h("c6"), "truncated", 1),
    Err("INT3 with 2 of 3 octets", h("c6 00 80"), "truncated", 3),
    Err("INT5 tag alone", h("c8"), "truncated", 1),
    Err("INT5 with 4 of 5 octets", h("c8 00 00 00 80"), "truncated", 5),
    Err("INT6 tag alone", h("c9"), "truncated", 1),
    Err("INT7 tag alone", h("ca"), "truncated", 1),
    Err("INT7 with 6 of 7 octets", h("ca 00 00 00 00 00 80"), "truncated", 7),
    # Step 4 before step 5: these octets would be a redundant INT2 (100) if complete, but the
    # missing octet is met first.
    Err("INT2 holding 100 cut to 1 octet", h("c5 64"), "truncated", 2),
    # Inside a tuple the item's fixed part is what runs out.
    Err("INT2 item cut inside a tuple", h("b2 c5 00"), "truncated", 3),
    *truncations("INT4 2**31-1", h("c7 ff ff ff 7f")),
    *truncations("INT8 -2**63", h("cb 00 00 00 00 00 00 00 80")),
    # A complete INTk is a whole value: what follows is trailing.
    Err("INT8 followed by one octet", h("cb ff ff ff ff ff ff ff 7f 00"), "trailing_bytes", 9),
]
