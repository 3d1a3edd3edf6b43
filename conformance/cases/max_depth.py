"""A configured depth limit D (spec §8): D = 0 admits no tuple, D = 5 five levels, D above
1000 (2000, 100000) decodes values that deep without exhausting any stack, and a D far above
the input's nesting (2**31 - 1) must not make a decoder reserve room for D levels.

Derivations, as in depth.py: in a run of singleton tags `b1` from offset 0, the tag at offset
i stands at level i + 1, so with limit D the first tag past it is at offset D:
`depth_exceeded` at D. The check (step 3) comes after the reserved-tag check (step 2) and
before the count is read (steps 4-6). These cases are decode checks only: an encoder may
refuse a value deeper than it can walk (§8), so they are not encode checks.
"""

from . import Case, Err, h, nested, rep

TOPIC = "max_depth"
DESCRIPTION = (
    "Decoding with a configured depth limit: D = 0, 1, 2, 5, 999, 1001, 2000, 100000 and"
    " 2**31-1; tuples exactly at the limit decode, one level more is depth_exceeded at that"
    " tuple's tag, before its count is read and after the reserved-tag check."
)

_BIG = 2**31 - 1

VALID = [
    Case("D=0 None", None, h("c0"), max_depth=0),
    Case("D=0 int", 5, h("05"), max_depth=0),
    Case("D=0 str", "a", h("81 61"), max_depth=0),
    Case("D=0 bytes", b"", h("a0"), max_depth=0),
    Case("D=1 empty tuple", (), h("b0"), max_depth=1),
    Case("D=1 singleton", (None,), h("b1 c0"), max_depth=1),
    Case("D=1 pair", (1, 2), h("b2 01 02"), max_depth=1),
    Case("D=1 TUPLE of 16", (0,) * 16, h("d8 10") + rep("00", 16), max_depth=1),
    Case("D=2 two branches at level 2", ((None,), (None,)), h("b2 b1 c0 b1 c0"), max_depth=2),
    Case("D=5 five levels around None", nested(5, None), rep("b1", 5) + "c0", max_depth=5),
    Case("D=5 four levels around ()", nested(4, ()), rep("b1", 4) + "b0", max_depth=5),
    Case("D=5 TUPLE at level 5", nested(4, (0,) * 16), rep("b1", 4) + "d810" + rep("00", 16),
         max_depth=5),
    Case("D=999 999 levels", nested(999, None), rep("b1", 999) + "c0", max_depth=999),
    Case("D=1001 1001 levels", nested(1001, None), rep("b1", 1001) + "c0", max_depth=1001),
    Case("D=2000 2000 levels", nested(2000, 0), rep("b1", 2000) + "00", max_depth=2000),
    Case("D=100000 100000 levels", nested(100000, None), rep("b1", 100000) + "c0",
         max_depth=100000),
    Case("D=2**31-1 3000 levels", nested(3000, b""), rep("b1", 3000) + "a0", max_depth=_BIG),
    Case("D=2**31-1 an atom", True, h("c2"), max_depth=_BIG),
]

DECODE_ERRORS = [
    Err("D=0 empty tuple", h("b0"), "depth_exceeded", 0, max_depth=0),
    Err("D=0 singleton", h("b1 c0"), "depth_exceeded", 0, max_depth=0),
    Err("D=0 TUPLE tag alone, before its count", h("d8"), "depth_exceeded", 0, max_depth=0),
    Err("D=0 FIXTUPLE of 15 alone, before step 6", h("bf"), "depth_exceeded", 0, max_depth=0),
    Err("D=0 TUPLE count 2**64-1", h("db") + rep("ff", 8), "depth_exceeded", 0, max_depth=0),
    Err("D=0 reserved tag before the depth check", h("e0"), "unknown_tag", 0, max_depth=0),
    Err("D=0 None then a tuple is trailing", h("c0 b0"), "trailing_bytes", 1, max_depth=0),
    Err("D=0 non-canonical TUPLE count", h("d8 05 01"), "depth_exceeded", 0, max_depth=0),
    Err("D=1 nested empty tuple", h("b1 b0"), "depth_exceeded", 1, max_depth=1),
    Err("D=1 second item nested", h("b2 01 b0"), "depth_exceeded", 2, max_depth=1),
    Err("D=1 reserved item", h("b1 e0"), "unknown_tag", 1, max_depth=1),
    Err("D=1 count checked before a nested tuple", h("b3 b0"), "truncated", 2, max_depth=1),
    Err("D=2 third level in the second branch", h("b2 b1 c0 b1 b1 c0"), "depth_exceeded", 4,
        max_depth=2),
    Err("D=5 six levels around None", rep("b1", 6) + "c0", "depth_exceeded", 5, max_depth=5),
    Err("D=5 level-6 TUPLE with its count missing", rep("b1", 5) + "d8", "depth_exceeded", 5,
        max_depth=5),
    Err("D=5 level-6 empty tuple", rep("b1", 5) + "b0", "depth_exceeded", 5, max_depth=5),
    Err("D=5 non-canonical item before level 6", h("b2 c4 00") + rep("b1", 5) + "c0",
        "non_canonical", 1, max_depth=5),
    Err("D=999 1000 levels", rep("b1", 1000) + "c0", "depth_exceeded", 999, max_depth=999),
    Err("D=1001 1002 levels", rep("b1", 1002) + "c0", "depth_exceeded", 1001, max_depth=1001),
    Err("D=2000 2001 levels", rep("b1", 2001) + "c0", "depth_exceeded", 2000, max_depth=2000),
    Err("D=100000 100001 levels", rep("b1", 100001) + "c0", "depth_exceeded", 100000,
        max_depth=100000),
    Err("D=2**31-1 3000 levels, cut", rep("b1", 3000), "truncated", 3000, max_depth=_BIG),
]
