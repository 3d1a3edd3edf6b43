"""Nesting depth at the required default limit D = 1000 (spec §8).

A tuple enclosed by k tuples stands at level k + 1; read_item is called with level = k for
it, and step 3 rejects it when level + 1 > D. So in a run of singleton tags b1 b1 b1 ...
starting at offset 0, the tag at offset i stands at level i + 1: offsets 0..999 are levels
1..1000, and the tag at offset 1000 is the 1001st, at level 1001 — depth_exceeded at 1000.
Step 3 runs after step 2 (a reserved tag wins) and before steps 4-6 (the count is never read).
"""

from . import Case, Err, h, nested, rep

TOPIC = "depth"
DESCRIPTION = (
    "Depth limit D = 1000: 1000 nested tuples decode, a tuple at level 1001 is depth_exceeded"
    " at its tag, through FIXTUPLE and TUPLE tags alike, before its count is read; a 10000-tag"
    " depth bomb. Deep values use the nest form of the typed JSON."
)

_ZEROS_16 = rep("00", 16)

VALID = [
    # spec/examples.md names these two inputs.
    Case("1000 singletons around None, depth 1000", nested(1000, None), rep("b1", 1000) + "c0"),
    Case("999 singletons around (), depth 1000", nested(999, ()), rep("b1", 999) + "b0"),
    Case("1000 singletons around 0", nested(1000, 0), rep("b1", 1000) + "00"),
    # Around the nest-form threshold of the typed JSON (chains of 64 or more collapse).
    Case("63 singletons around 0", nested(63, 0), rep("b1", 63) + "00"),
    Case("64 singletons around 0", nested(64, 0), rep("b1", 64) + "00"),
    Case("65 singletons around 0", nested(65, 0), rep("b1", 65) + "00"),
    Case(
        "500 singletons around a 1000-octet str",
        nested(500, "a" * 1000),
        rep("b1", 500) + h("d1 e8 03") + rep("61", 1000),
    ),
    # A TUPLE (d8) standing at level 1000.
    Case(
        "999 singletons around a TUPLE of 16",
        nested(999, tuple([0] * 16)),
        rep("b1", 999) + "d810" + _ZEROS_16,
    ),
    # A TUPLE at level 1 whose first item reaches level 1000.
    Case(
        "TUPLE of 16 whose first item is 999 levels deep",
        (nested(998, ()),) + (0,) * 15,
        h("d8 10") + rep("b1", 998) + "b0" + rep("00", 15),
    ),
    # The limit applies per branch: two branches each reaching level 1000.
    Case(
        "two branches of depth 999",
        (nested(998, ()), nested(998, ())),
        "b2" + rep(rep("b1", 998) + "b0", 2),
    ),
]

DECODE_ERRORS = [
    Err("1001 singletons around None", rep("b1", 1001) + "c0", "depth_exceeded", 1000),
    Err("1000 singletons around ()", rep("b1", 1000) + "b0", "depth_exceeded", 1000),
    Err("depth bomb of 10000 singleton tags", rep("b1", 10000), "depth_exceeded", 1000),
    # Step 3 before the count and length checks of the level-1001 tuple (steps 4-6).
    Err(
        "level-1001 FIXTUPLE whose items are missing",
        rep("b1", 1000) + "bf",
        "depth_exceeded",
        1000,
    ),
    Err("level-1001 TUPLE with its count missing", rep("b1", 1000) + "d8", "depth_exceeded", 1000),
    Err(
        "level-1001 TUPLE with a non-canonical count",
        rep("b1", 1000) + h("d9 05 00"),
        "depth_exceeded",
        1000,
    ),
    Err(
        "level-1001 TUPLE with a count of 2**64-1",
        rep("b1", 1000) + h("db") + rep("ff", 8),
        "depth_exceeded",
        1000,
    ),
    Err(
        "level-1001 TUPLE of 16 complete",
        rep("b1", 1000) + h("d8 10") + _ZEROS_16,
        "depth_exceeded",
        1000,
    ),
    # Step 2 before step 3: a reserved tag at level 1001 is unknown_tag, not too deep.
    Err(
        "reserved tag where a level-1001 tuple would be",
        rep("b1", 1000) + "e0",
        "unknown_tag",
        1000,
    ),
    # Non-tuples at level 1001 are fine (depth counts tuples); only what follows is wrong.
    Err(
        "1000 singletons around 0 then one octet",
        rep("b1", 1000) + h("00 00"),
        "trailing_bytes",
        1001,
    ),
    Err("1000 singletons and nothing inside", rep("b1", 1000), "truncated", 1000),
    # The second item of a level-1000 tuple: (0, ()) at level 1000 puts () at level 1001,
    # at offset 999 (b2) + 1 (the 0) + 1 = 1001.
    Err(
        "second item of a level-1000 tuple too deep",
        rep("b1", 999) + h("b2 00 b0"),
        "depth_exceeded",
        1001,
    ),
    # The first item is too deep; the reserved tag after it is never read.
    Err("too deep before a reserved tag", rep("b1", 999) + h("b2 b0 e0"), "depth_exceeded", 1000),
    # Branch 1: b1 x 998 at 1..998, b0 at 999 (level 1000). Branch 2: b1 x 999 at 1000..1998,
    # the j-th at level 2 + j, so its b0 at 1999 stands at level 1001.
    Err(
        "second branch one level deeper than the first",
        "b2" + rep("b1", 998) + "b0" + rep("b1", 999) + "b0",
        "depth_exceeded",
        1999,
    ),
    # Every level a TUPLE of 16: tags at 0, 2, .., 1998 are levels 1..1000, the FIXTUPLE at
    # 2000 is level 1001. The 15 zeros per level follow, so no count check fails first.
    Err(
        "1000 levels of TUPLE of 16 then a tuple",
        rep("d810", 1000) + "b0" + rep("00", 15 * 1000),
        "depth_exceeded",
        2000,
    ),
]
