"""FIXTUPLE and TUPLE (tags b0..bf, d8..db): a count, then the items back to back.

A tuple's count is checked against the octets that remain before any item is read (spec §6
step 6; every item takes at least one octet), so a count that cannot fit is `truncated` even
when an earlier item would have been an error of another kind.
"""

from . import Case, Err, h, head, rep

TOPIC = "tuple"
DESCRIPTION = (
    "FIXTUPLE (b0+n, n <= 15) and TUPLE (hdr(d8, n)): every FIXTUPLE count, the 15/16 and"
    " 255/256 boundaries, heterogeneous and nested tuples, counts that exceed the input"
    " (checked before the items), errors inside items at their own offsets."
)

_FLOAT_1 = h("c3 00 00 00 00 00 00 f0 3f")


def _counting(n: int) -> str:
    """The items 0, 1, .. n-1 (n <= 128): each a FIXINT, whose octet is the int itself."""
    assert n <= 128
    return "".join(f"{i:02x}" for i in range(n))


VALID = [
    # (0, 1, .. n-1) for every FIXTUPLE count (tags b0..bf).
    *(
        Case(f"FIXTUPLE of {n} items", tuple(range(n)), f"{0xB0 + n:02x}" + _counting(n))
        for n in range(16)
    ),
    Case("15 empty tuples, the largest FIXTUPLE", ((),) * 15, h("bf" + rep("b0", 15))),
    Case("16 items, the smallest TUPLE", tuple(range(16)), h("d8 10" + _counting(16))),
    Case("17 items", tuple(range(17)), h("d8 11" + _counting(17))),
    Case("255 Nones, the largest 1-octet count", (None,) * 255, h("d8 ff" + rep("c0", 255))),
    Case(
        "256 items, the smallest 2-octet count",
        tuple(range(128)) * 2,
        h("d9 00 01" + rep(_counting(128), 2)),
    ),
    Case("16 singletons", ((0,),) * 16, h("d8 10" + rep("b1 00", 16))),
    Case(
        "one item of every kind",
        (None, False, True, 0, -1, 1.0, "a", b"a", ()),
        h("b9 c0 c1 c2 00 ff" + _FLOAT_1 + "81 61 a1 61 b0"),
    ),
    Case(
        "prefixed items back to back",
        (2**64, "a" * 32, b"\x00" * 16, (None,) * 16, "\ud800"),
        h(
            "b5 cc 09" + rep("00", 8) + "01 d0 20" + rep("61", 32) + "d4 10" + rep("00", 16)
            + "d8 10" + rep("c0", 16) + "dc 03 ed a0 80"
        ),
    ),
    Case("two equal empty tuples", ((), ()), h("b2 b0 b0")),
    Case("three levels", (((),),), h("b1 b1 b0")),
    Case("siblings of growing depth", ((), ((),), (((),),)), h("b3 b0 b1 b0 b1 b1 b0")),
    Case("a list-like chain", (1, (2, (3, ()))), h("b2 01 b2 02 b2 03 b0")),
    Case(
        "TUPLE inside TUPLE",
        (tuple(range(16)),) * 16,
        h("d8 10" + rep("d8 10" + _counting(16), 16)),
    ),
]

DECODE_ERRORS = [
    Err("FIXTUPLE of 1 with no item", h("b1"), "truncated", 1),
    Err("FIXTUPLE of 2 with one item", h("b2 00"), "truncated", 2),
    Err("FIXTUPLE of 15 with 14 items", h("bf" + rep("00", 14)), "truncated", 15),
    # Step 6 for the tuple comes before step 2 for its first item.
    Err("count exceeding the input beats a reserved first item", h("b3 e0 00"), "truncated", 3),
    Err("reserved first item", h("b2 e0 00"), "unknown_tag", 1),
    Err("non-canonical second item", h("b2 00 c4 00"), "non_canonical", 2),
    # The count fits the octets present; an item then runs out.
    Err("last item's fixed part cut", h("b3 00 00 c4"), "truncated", 4),
    Err("first item's fixed part cut", h("b2 c3 00 00"), "truncated", 4),
    Err("inner tuple with no room for its item", h("b1 b1"), "truncated", 2),
    Err("second item missing after an inner tuple", h("b2 b1 00"), "truncated", 3),
    Err("TUPLE tag alone", h("d8"), "truncated", 1),
    Err("TUPLE of 16 with no items", h("d8 10"), "truncated", 2),
    Err("TUPLE of 16 with 15 items", h("d8 10" + rep("00", 15)), "truncated", 17),
    Err("reserved sixteenth item", h("d8 10" + rep("00", 15) + "ef"), "unknown_tag", 17),
    Err("2-octet count tag alone", h("d9"), "truncated", 1),
    Err("2-octet count cut", h("d9 00"), "truncated", 2),
    Err("TUPLE of 256 with 255 items", h("d9 00 01" + rep("00", 255)), "truncated", 258),
    Err("reserved 256th item", h("d9 00 01" + rep("00", 255) + "e7"), "unknown_tag", 258),
    Err("4-octet count tag alone", h("da"), "truncated", 1),
    Err("4-octet count cut", h("da 00 00 01"), "truncated", 4),
    Err("TUPLE of 2**16 with no items", h(head(0xDA, 2**16)), "truncated", 5),
    Err("TUPLE of 2**32-1 with one item", h(head(0xDA, 2**32 - 1) + "00"), "truncated", 6),
    Err("8-octet count tag alone", h("db"), "truncated", 1),
    Err("TUPLE of 2**32 with no items", h(head(0xDB, 2**32)), "truncated", 9),
    Err("TUPLE of 2**62 with four items", h(head(0xDB, 2**62) + "00 00 00 00"), "truncated", 13),
    Err("TUPLE of 2**64-1 with no items", h(head(0xDB, 2**64 - 1)), "truncated", 9),
    Err("FIXTUPLE followed by one octet", h("b1 00 00"), "trailing_bytes", 2),
    Err("TUPLE of 16 followed by one octet", h("d8 10" + rep("00", 17)), "trailing_bytes", 18),
]
