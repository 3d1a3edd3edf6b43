"""Prefix decoding at an offset (spec §6 `loads_prefix`): one value read from `start`, the
octets after it left alone, and every error offset counted from the start of the whole input.

Derivations. For every example of spec/examples.md (E rows), its octets are put after three
octets that would be errors if they were read (`e0`, a reserved tag, and `c4 05`, a
non-canonical INT1) and before two more (`e0 ff`): decoding from start 3 reads exactly the
example's octets, so the value is the example's and it ends at 3 + its length. For every
rejected example (X rows) the same three octets go before it and nothing after: the procedure
meets the same octets in the same order, so the error is the same kind at 3 + its offset, and
`truncated`, whose offset is the input's length, at 3 + the example's length. X4 and X20 are
whole-input `trailing_bytes` errors; prefix decoding leaves the octets after the value alone,
so they decode (5 ending at 1, -12 ending at 1).
"""

from . import Prefix, h, nested, rep
from .examples import DECODE_ERRORS as _X_ROWS
from .examples import VALID as _E_ROWS

TOPIC = "prefix"
DESCRIPTION = (
    "Prefix decoding at an offset: the value at `start` and the offset just past it, octets"
    " before `start` never read and octets after the value left alone; error offsets counted"
    " from the start of the input, truncated at the input's length; start = length; the depth"
    " limit counted from the value read, not from the input's first octet."
)

_BEFORE = h("e0 c4 05")  # a reserved tag and a non-canonical INT1: reading them would fail
_AFTER = h("e0 ff")

VALID = []
DECODE_ERRORS = []


def _from_examples():
    cases = []
    k = len(_BEFORE) // 2
    for row in _E_ROWS:
        number = row.description.split(" ")[0]
        cases.append(Prefix(f"{number} after 3 octets, then 2", _BEFORE + row.hex + _AFTER, k,
                            value=row.value, end=k + len(row.hex) // 2))
    for row in _X_ROWS:
        number = row.description.split(" ")[0]
        if row.kind == "trailing_bytes":
            continue  # X4 and X20: below
        offset = k + (len(row.hex) // 2 if row.kind == "truncated" else row.offset)
        cases.append(Prefix(f"{number} after 3 octets", _BEFORE + row.hex, k, kind=row.kind,
                            offset=offset))
    return cases


PREFIX = [
    *_from_examples(),
    # X4 and X20 of spec/examples.md: whole-input trailing_bytes, but a prefix ends at its value.
    Prefix("X4 read as a prefix: 5, 06 left alone", h("05 06"), 0, value=5, end=1),
    Prefix("X20 read as a prefix: -12, 90 80 80 left alone", h("f4 90 80 80"), 0, value=-12, end=1),
    # spec/examples.md P1-P7.
    Prefix("P1 a str after an int", h("01 82 68 69 03"), 1, value="hi", end=4),
    Prefix("P2 the last value", h("01 82 68 69 03"), 4, value=3, end=5),
    Prefix("P3 the second None is not trailing", h("c0 c0"), 0, value=None, end=1),
    Prefix("P4 octets before start are never read", h("e0 c4 05 c0"), 3, value=None, end=4),
    Prefix("P5 error offset counted from the buffer", h("05 b2 01 e0"), 1, kind="unknown_tag",
           offset=3),
    Prefix("P6 truncated at the buffer's length", h("05 83 61 62"), 1, kind="truncated", offset=4),
    Prefix("P7 start at the end of the input", h("01 02"), 2, kind="truncated", offset=2),
    # start = L, and the empty input.
    Prefix("empty input, start 0", "", 0, kind="truncated", offset=0),
    Prefix("start at the end of a tuple's octets", h("b1 c0"), 2, kind="truncated", offset=2),
    # Starting inside another value's octets: they are read as a value of their own.
    Prefix("start at a tuple's first item", h("b2 01 02"), 1, value=1, end=2),
    Prefix("start at a tuple's last item", h("b2 01 02"), 2, value=2, end=3),
    Prefix("start at a nested tuple", h("b2 b1 c0 05"), 1, value=(None,), end=3),
    Prefix("start inside a FIXSTR payload", h("83 61 62 63"), 1, value=97, end=2),
    Prefix("start on a payload octet that is a reserved tag", h("82 e0 e1"), 1,
           kind="unknown_tag", offset=1),
    Prefix("start on a FLOAT's last octet", h("c3 00 00 00 00 00 00 f0 3f"), 8, value=63, end=9),
    # Step 6 counts only the octets after the header: those before start are no room for items.
    Prefix("octets before start are no room for items", h("01 01 b3 01 02"), 2,
           kind="truncated", offset=5),
    Prefix("a value ending exactly at the input's end", h("ff c0"), 1, value=None, end=2),
    Prefix("STR length 2**64-1 after an int", h("00 d3") + rep("ff", 8), 1, kind="truncated",
           offset=10),
    # The depth limit counts the tuples of the value read, not the octets before start.
    Prefix("1000 levels after 5 singleton tags", rep("b1", 1005) + "c0", 5,
           value=nested(1000, None), end=1006),
    Prefix("1001 levels after 5 singleton tags", rep("b1", 1006) + "c0", 5,
           kind="depth_exceeded", offset=1005),
    Prefix("depth limit 1 at an offset", h("00 b1 b1 c0"), 1, kind="depth_exceeded", offset=2,
           max_depth=1),
    Prefix("depth limit 2 at an offset", h("00 b1 b1 c0"), 1, value=((None,),), end=4,
           max_depth=2),
    Prefix("depth limit 0 at an offset, an atom", h("b1 c0"), 1, value=None, end=2, max_depth=0),
    Prefix("depth limit 0 at an offset, a tuple", h("c0 b0"), 1, kind="depth_exceeded", offset=1,
           max_depth=0),
]
