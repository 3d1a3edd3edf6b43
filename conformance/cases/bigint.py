"""BIGINT (tags cc..cf): ints of n >= 9 octets, n = minbytes(v), behind a length field.

Widths n were worked out by hand from bit lengths: minbytes(v) is the least n with
8n - 1 >= b, where b is the bit length of v for v >= 0 and of -v - 1 for v < 0 (so -2**j
needs only j bits, while 2**j needs j + 1). The payload of the long cases is spelled with
tc(n, v), i.e. TC(n, v) of spec §2 with the n chosen here; the generator checks that the
reference agrees on n.
"""

from . import Case, Err, h, head, rep, tc, truncations

TOPIC = "bigint"
DESCRIPTION = (
    "BIGINT: hdr(cc, n) then TC(n, v), n = minbytes(v) >= 9. The smallest BIGINTs (2**63,"
    " -2**63-1), 2**64 +- 1 on both signs, the 9/10-octet and 255/256-octet (1- to 2-octet"
    " length field) boundaries, ints of hundreds of digits on both signs, truncations."
)

VALID = [
    Case("2**63, the smallest positive BIGINT", 2**63, h("cc 09 00 00 00 00 00 00 00 80 00")),
    Case(
        "-2**63-1, the smallest negative BIGINT",
        -(2**63) - 1,
        h("cc 09" + rep("ff", 7) + "7f ff"),
    ),
    Case("2**64-1", 2**64 - 1, h("cc 09" + rep("ff", 8) + "00")),
    Case("-(2**64-1)", -(2**64 - 1), h("cc 09 01" + rep("00", 7) + "ff")),
    Case("2**64", 2**64, h("cc 09" + rep("00", 8) + "01")),
    Case("-2**64", -(2**64), h("cc 09" + rep("00", 8) + "ff")),
    Case("2**64+1", 2**64 + 1, h("cc 09 01" + rep("00", 7) + "01")),
    # -(2**64+1) = 2**72 - 2**64 - 1 in 72 bits: eight ff, then fe.
    Case("-(2**64+1)", -(2**64 + 1), h("cc 09" + rep("ff", 8) + "fe")),
    Case("2**71-1, the largest 9-octet int", 2**71 - 1, h("cc 09" + rep("ff", 8) + "7f")),
    Case("-2**71, the smallest 9-octet int", -(2**71), h("cc 09" + rep("00", 8) + "80")),
    Case("2**71, the smallest positive 10-octet int", 2**71, h("cc 0a" + rep("00", 8) + "80 00")),
    Case(
        "-2**71-1, the first negative 10-octet int",
        -(2**71) - 1,
        h("cc 0a" + rep("ff", 8) + "7f ff"),
    ),
    Case("2**72", 2**72, h("cc 0a" + rep("00", 9) + "01")),
    Case("2**127 needs 17 octets", 2**127, h("cc 11" + rep("00", 15) + "80 00")),
    Case("-2**127 fits 16 octets", -(2**127), h("cc 10" + rep("00", 15) + "80")),
    Case("2**128-1", 2**128 - 1, h("cc 11" + rep("ff", 16) + "00")),
    Case("-2**128", -(2**128), h("cc 11" + rep("00", 16) + "ff")),
    # 10**300 has 997 bits: 8n - 1 >= 997 gives n = 125 (0x7d).
    Case("10**300 (301 digits)", 10**300, "cc7d" + tc(125, 10**300)),
    Case("-10**300 (301 digits)", -(10**300), "cc7d" + tc(125, -(10**300))),
    # 3**1000 has 1585 bits: n = 199 (0xc7).
    Case("3**1000 (478 digits)", 3**1000, "ccc7" + tc(199, 3**1000)),
    Case("-3**1000 (478 digits)", -(3**1000), "ccc7" + tc(199, -(3**1000))),
    # 7**700 has 1966 bits: n = 246 (0xf6).
    Case("7**700 (592 digits)", 7**700, "ccf6" + tc(246, 7**700)),
    Case("-7**700 (592 digits)", -(7**700), "ccf6" + tc(246, -(7**700))),
    # The 1-octet length field ends at n = 255; n = 256 takes cd and LE(2, 256) = 00 01.
    Case("2**2039-1, the largest 255-octet int", 2**2039 - 1, h("cc ff" + rep("ff", 254) + "7f")),
    Case("-2**2039, the smallest 255-octet int", -(2**2039), h("cc ff" + rep("00", 254) + "80")),
    Case(
        "2**2039, the smallest positive 256-octet int",
        2**2039,
        h(head(0xCD, 256) + rep("00", 254) + "80 00"),
    ),
    Case(
        "-2**2039-1, the first negative 256-octet int",
        -(2**2039) - 1,
        h(head(0xCD, 256) + rep("ff", 254) + "7f ff"),
    ),
    Case("2**2040 in 256 octets", 2**2040, h("cd 00 01" + rep("00", 255) + "01")),
    Case(
        "2**2047-1, the largest 256-octet int",
        2**2047 - 1,
        h("cd 00 01" + rep("ff", 255) + "7f"),
    ),
    Case("-2**2047, the smallest 256-octet int", -(2**2047), h("cd 00 01" + rep("00", 255) + "80")),
    Case("2**2047 needs 257 octets", 2**2047, h("cd 01 01" + rep("00", 255) + "80 00")),
    Case("-2**2047-1 needs 257 octets", -(2**2047) - 1, h("cd 01 01" + rep("ff", 255) + "7f ff")),
    Case(
        "BIGINTs as tuple items",
        (2**64, -(2**64), 2**63),
        h(
            "b3"
            + ("cc 09" + rep("00", 8) + "01")
            + ("cc 09" + rep("00", 8) + "ff")
            + ("cc 09" + rep("00", 7) + "80 00")
        ),
    ),
]

DECODE_ERRORS = [
    *truncations("-2**64", h("cc 09" + rep("00", 8) + "ff")),
    # Step 6 before step 7: the 8 octets present would make a redundant BIGINT (2**63-1 in 9
    # octets) once the ninth arrived, but the short payload is met first.
    Err(
        "BIGINT n=9 with 8 octets of a redundant payload",
        h("cc 09" + rep("ff", 7) + "7f"),
        "truncated",
        10,
    ),
    Err("2-octet length field tag alone", h("cd"), "truncated", 1),
    Err("2-octet length field cut", h("cd 00"), "truncated", 2),
    Err("n=256 with no payload", h("cd 00 01"), "truncated", 3),
    Err("n=256 with 255 octets", h("cd 00 01" + rep("00", 255)), "truncated", 258),
    Err("4-octet length field tag alone", h("ce"), "truncated", 1),
    Err("4-octet length field cut", h("ce 00 00 01"), "truncated", 4),
    Err("n=2**16 with no payload", h("ce 00 00 01 00"), "truncated", 5),
    Err("n=2**32-1 with no payload", h("ce ff ff ff ff"), "truncated", 5),
    Err("8-octet length field tag alone", h("cf"), "truncated", 1),
    Err("8-octet length field cut", h("cf" + rep("00", 7)), "truncated", 8),
    # Huge claimed lengths are canonical in an 8-octet field and simply exceed the input (§7).
    Err("n=2**32 with no payload", h(head(0xCF, 2**32)), "truncated", 9),
    Err("n=2**62 with two octets", h(head(0xCF, 2**62) + "00 01"), "truncated", 11),
    Err("n=2**64-1 with no payload", h(head(0xCF, 2**64 - 1)), "truncated", 9),
    Err("2**64 followed by one octet", h("cc 09" + rep("00", 8) + "01 00"), "trailing_bytes", 11),
]
