"""Sequences (spec §9): values back to back, read by prefix decoding from 0 until the input
ends. The reader gives every value before the first error, then the error, whose offset counts
from the start of the whole sequence; nothing after an error is decoded. The empty input is the
empty sequence; the depth limit applies to each value on its own.

Derivations. "E<n> twice": the example's octets twice; prefix decoding of the first copy reads
exactly its octets (spec/examples.md), the second starts where the first ended, and the input
ends after it. "after 1 and 1000": the four octets `01 c5 e8 03` (E5 and E13) before a rejected
example: the two values are read, then the example's octets are met as in the example, so the
error is its kind at 4 + its offset (`truncated`: at the input's length, 4 + the example's).
Cut sequences: a cut at a value boundary is a shorter sequence without an error; a cut inside a
value leaves that value `truncated` at the cut (the argument of cases.truncations).
"""

from . import Sequence, h, nested, rep
from .examples import DECODE_ERRORS as _X_ROWS
from .examples import VALID as _E_ROWS

TOPIC = "sequence"
DESCRIPTION = (
    "Sequences of values back to back: the empty sequence, every example twice, every rejected"
    " example after two values (offsets counted from the sequence's start), a sequence cut at"
    " every octet, nothing decoded after an error, and the depth limit applied to each value."
)

VALID = []
DECODE_ERRORS = []

_LEAD = h("01 c5 e8 03")  # 1, 1000
_LEAD_VALUES = (1, 1000)


def _twice():
    return [
        Sequence(f"{row.description.split(' ')[0]} twice", row.hex * 2, (row.value, row.value))
        for row in _E_ROWS
    ]


def _after_lead():
    cases = []
    k = len(_LEAD) // 2
    for row in _X_ROWS:
        number = row.description.split(" ")[0]
        if row.kind == "trailing_bytes":
            continue  # X4 and X20: below
        offset = k + (len(row.hex) // 2 if row.kind == "truncated" else row.offset)
        cases.append(Sequence(f"{number} after 1 and 1000", _LEAD + row.hex, _LEAD_VALUES,
                              (row.kind, offset)))
    return cases


# (value, its hand-written encoding) for the cut sequences: None, 'ab', 2**63 (BIGINT),
# (1, b'\xff'), -0.0.
_PARTS = [
    (None, h("c0")),
    ("ab", h("82 61 62")),
    (2**63, h("cc 09 00 00 00 00 00 00 00 80 00")),
    ((1, b"\xff"), h("b2 01 a1 ff")),
    (-0.0, h("c3 00 00 00 00 00 00 00 80")),
]


def _cuts():
    whole = "".join(part for _, part in _PARTS)
    total = len(whole) // 2
    boundaries, at = {}, 0
    for index, (_, part) in enumerate(_PARTS):
        at += len(part) // 2
        boundaries[at] = index + 1
    cases = []
    for cut in range(1, total):
        if cut in boundaries:
            values = tuple(v for v, _ in _PARTS[: boundaries[cut]])
            cases.append(Sequence(f"five values cut at {cut} of {total}, a value boundary",
                                  whole[: 2 * cut], values))
        else:
            done = max((b for b in boundaries if b < cut), default=0)
            values = tuple(v for v, _ in _PARTS[: boundaries.get(done, 0)])
            cases.append(Sequence(f"five values cut at {cut} of {total}", whole[: 2 * cut], values,
                                  ("truncated", cut)))
    cases.append(Sequence(f"five values, all {total} octets", whole, tuple(v for v, _ in _PARTS)))
    return cases


SEQUENCES = [
    Sequence("empty input", "", ()),
    Sequence("one value", h("05"), (5,)),
    Sequence("every example back to back", "".join(row.hex for row in _E_ROWS),
             tuple(row.value for row in _E_ROWS)),
    *_twice(),
    *_after_lead(),
    # X4 and X20 as sequences.
    Sequence("X4 as a sequence: two values", h("05 06"), (5, 6)),
    Sequence("X20 as a sequence: -12, then a cut FIXSTR", h("f4 90 80 80"), (-12,),
             ("truncated", 4)),
    # spec/examples.md S1-S6.
    Sequence("S2 four values", h("01 81 61 b0 c0"), (1, "a", (), None)),
    Sequence("S3 non-canonical third value", h("01 02 c4 05 03"), (1, 2), ("non_canonical", 2)),
    Sequence("S4 cut second value", h("01 83 61"), (1,), ("truncated", 3)),
    Sequence("S5 nothing after an error", h("05 e0 06"), (5,), ("unknown_tag", 1)),
    Sequence("S6 depth per value", h("b1 b1 c0 b1 c0"), (((None,),), (None,))),
    # An error ends the sequence: what follows is not decoded, even a valid value.
    Sequence("reserved tag first", h("e0 01"), (), ("unknown_tag", 0)),
    Sequence("invalid UTF-8 then values", h("01 81 ff 02 03"), (1,), ("invalid_utf8", 2)),
    Sequence("error inside a tuple after two values", h("01 02 b2 c0 e5 03"), (1, 2),
             ("unknown_tag", 4)),
    Sequence("a value then a truncated FLOAT tag", h("00 c3"), (0,), ("truncated", 2)),
    Sequence("1000 None values", rep("c0", 1000), (None,) * 1000),
    # The depth limit applies to each value on its own: two 1000-deep values are fine, and
    # the 1001st level of the second is at 1001 + 1000.
    Sequence("two values of depth 1000", rep(rep("b1", 1000) + "c0", 2),
             (nested(1000, None), nested(1000, None))),
    Sequence("depth 1000 then depth 1001", rep("b1", 1000) + "c0" + rep("b1", 1001) + "c0",
             (nested(1000, None),), ("depth_exceeded", 2001)),
    Sequence("depth limit 0: atoms, then a tuple", h("01 c0 b0 02"), (1, None),
             ("depth_exceeded", 2), max_depth=0),
    Sequence("depth limit 1: a singleton, then a nested one", h("b1 c0 b1 b0"), ((None,),),
             ("depth_exceeded", 3), max_depth=1),
    Sequence("depth limit 2: three values of depth 2", rep("b1b0", 3), (((),),) * 3, max_depth=2),
    Sequence("depth limit 0, empty input", "", (), max_depth=0),
    *_cuts(),
]
