"""FLOAT (tag c3): the 64 bits of a binary64, little-endian, never normalised (spec §4, §5.4).

Each encoding below is the bit pattern named in the description with its octets reversed
(least significant first). Values that have a Python literal use it, so the literal's
rounding is checked as well; NaNs, infinities and exact bit patterns use f64('<bits>').
"""

from . import Case, Err, f64, h, truncations

TOPIC = "float"
DESCRIPTION = (
    "FLOAT: c3 then LE(8, bits). Signed zeros, infinities, NaNs of both signs with quiet,"
    " signalling and maximal payloads kept bit for bit, subnormal and normal extremes, common"
    " values; floats are never ints."
)

VALID = [
    Case("0.0", 0.0, h("c3 00 00 00 00 00 00 00 00")),
    Case("-0.0 differs from 0.0 in the sign bit", -0.0, h("c3 00 00 00 00 00 00 00 80")),
    Case("1.0 bits 3ff0000000000000", 1.0, h("c3 00 00 00 00 00 00 f0 3f")),
    Case("-1.0 bits bff0000000000000", -1.0, h("c3 00 00 00 00 00 00 f0 bf")),
    Case("0.5 bits 3fe0000000000000", 0.5, h("c3 00 00 00 00 00 00 e0 3f")),
    Case("2.0 bits 4000000000000000", 2.0, h("c3 00 00 00 00 00 00 00 40")),
    Case("-2.5 bits c004000000000000", -2.5, h("c3 00 00 00 00 00 00 04 c0")),
    Case("100.0 bits 4059000000000000", 100.0, h("c3 00 00 00 00 00 00 59 40")),
    Case("0.1 bits 3fb999999999999a", 0.1, h("c3 9a 99 99 99 99 99 b9 3f")),
    Case("1/3 bits 3fd5555555555555", 1 / 3, h("c3 55 55 55 55 55 55 d5 3f")),
    Case("pi bits 400921fb54442d18", 3.141592653589793, h("c3 18 2d 44 54 fb 21 09 40")),
    Case("6.02214076e23 bits 44dfe185ca57c517", 6.02214076e23, h("c3 17 c5 57 ca 85 e1 df 44")),
    Case("1e-300 bits 01a56e1fc2f8f359", 1e-300, h("c3 59 f3 f8 c2 1f 6e a5 01")),
    Case("2.0**53 bits 4340000000000000", 9007199254740992.0, h("c3 00 00 00 00 00 00 40 43")),
    Case("2.0**63 bits 43e0000000000000", 9223372036854775808.0, h("c3 00 00 00 00 00 00 e0 43")),
    Case("next float after 1.0", f64("3ff0000000000001"), h("c3 01 00 00 00 00 00 f0 3f")),
    Case("largest float below 1.0", f64("3fefffffffffffff"), h("c3 ff ff ff ff ff ff ef 3f")),
    Case("largest finite", f64("7fefffffffffffff"), h("c3 ff ff ff ff ff ff ef 7f")),
    Case("most negative finite", f64("ffefffffffffffff"), h("c3 ff ff ff ff ff ff ef ff")),
    Case("smallest normal", f64("0010000000000000"), h("c3 00 00 00 00 00 00 10 00")),
    Case("smallest subnormal", f64("0000000000000001"), h("c3 01 00 00 00 00 00 00 00")),
    Case("largest subnormal", f64("000fffffffffffff"), h("c3 ff ff ff ff ff ff 0f 00")),
    Case("negative smallest subnormal", f64("8000000000000001"), h("c3 01 00 00 00 00 00 00 80")),
    Case("negative largest subnormal", f64("800fffffffffffff"), h("c3 ff ff ff ff ff ff 0f 80")),
    Case("+inf", f64("7ff0000000000000"), h("c3 00 00 00 00 00 00 f0 7f")),
    Case("-inf", f64("fff0000000000000"), h("c3 00 00 00 00 00 00 f0 ff")),
    Case("quiet NaN 7ff8000000000000", f64("7ff8000000000000"), h("c3 00 00 00 00 00 00 f8 7f")),
    Case(
        "negative quiet NaN fff8000000000000",
        f64("fff8000000000000"),
        h("c3 00 00 00 00 00 00 f8 ff"),
    ),
    Case("quiet NaN payload 1", f64("7ff8000000000001"), h("c3 01 00 00 00 00 00 f8 7f")),
    Case("quiet NaN payload deadbeef", f64("7ff80000deadbeef"), h("c3 ef be ad de 00 00 f8 7f")),
    Case(
        "quiet NaN maximal payload 7fffffffffffffff",
        f64("7fffffffffffffff"),
        h("c3 ff ff ff ff ff ff ff 7f"),
    ),
    Case("negative NaN all bits set", f64("ffffffffffffffff"), h("c3 ff ff ff ff ff ff ff ff")),
    Case("signalling NaN payload 1", f64("7ff0000000000001"), h("c3 01 00 00 00 00 00 f0 7f")),
    Case(
        "signalling NaN 7ff4000000000000",
        f64("7ff4000000000000"),
        h("c3 00 00 00 00 00 00 f4 7f"),
    ),
    Case(
        "signalling NaN maximal payload 7ff7ffffffffffff",
        f64("7ff7ffffffffffff"),
        h("c3 ff ff ff ff ff ff f7 7f"),
    ),
    Case(
        "negative signalling NaN fff0000000000001",
        f64("fff0000000000001"),
        h("c3 01 00 00 00 00 00 f0 ff"),
    ),
    Case(
        "both zeros in a tuple",
        (0.0, -0.0),
        h("b2 c3 00 00 00 00 00 00 00 00 c3 00 00 00 00 00 00 00 80"),
    ),
    Case("float 1.0 next to int 1", (1.0, 1), h("b2 c3 00 00 00 00 00 00 f0 3f 01")),
    Case(
        "two NaNs differing only in payload",
        (f64("7ff8000000000000"), f64("7ff8000000000002")),
        h("b2 c3 00 00 00 00 00 00 f8 7f c3 02 00 00 00 00 00 f8 7f"),
    ),
]

DECODE_ERRORS = [
    *truncations("pi", h("c3 18 2d 44 54 fb 21 09 40")),
    Err("0.0 followed by one octet", h("c3 00 00 00 00 00 00 00 00 00"), "trailing_bytes", 9),
    # The tuple's count (2 items, 11 octets left) passes step 6; the second FLOAT's 8 octets
    # then run past the end (step 4 of that item).
    Err(
        "second float of a pair cut to 1 octet",
        h("b2 c3 00 00 00 00 00 00 f0 3f c3 00"),
        "truncated",
        12,
    ),
    Err("NaN followed by a reserved tag", h("c3 00 00 00 00 00 00 f8 7f e0"), "trailing_bytes", 9),
]
