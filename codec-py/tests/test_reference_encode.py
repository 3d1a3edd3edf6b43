"""dumps: exact octets for every tag family and boundary, subclasses, unsupported types."""

import collections
import enum

import pytest

from frozenpack.reference import dumps
from reference_cases import CANONICAL
from reference_helpers import float_from_bits, h, nested


@pytest.mark.parametrize(
    "value, expected", [c[1:] for c in CANONICAL], ids=[c[0] for c in CANONICAL]
)
def test_canonical_encoding(value, expected):
    assert dumps(value) == h(expected)


def test_dumps_returns_bytes():
    assert type(dumps(1)) is bytes


# --- subclasses: encoded as their base value, whatever they override ---------------------------


class _Boom(Exception):
    pass


def _boom(*args, **kwargs):
    raise _Boom("a subclass method was called")


def _sabotaged(base, *names):
    """A subclass of base whose methods `names` all raise: only base's C data may be read."""
    return type(f"Hostile{base.__name__.capitalize()}", (base,), {name: _boom for name in names})


HostileInt = _sabotaged(
    int, "__index__", "__int__", "__float__", "__bool__", "__lt__", "__le__", "__gt__",
    "__ge__", "__eq__", "__ne__", "__hash__", "__and__", "__rshift__", "__neg__", "__abs__",
    "__invert__", "bit_length", "to_bytes", "__repr__", "__str__", "__format__",
)
HostileFloat = _sabotaged(
    float, "__float__", "__index__", "__int__", "__repr__", "__str__", "hex", "__eq__",
    "__hash__", "__lt__", "__bool__", "__abs__", "__neg__", "is_integer", "as_integer_ratio",
)
HostileStr = _sabotaged(
    str, "__str__", "__repr__", "__len__", "__iter__", "__getitem__", "encode", "isascii",
    "__contains__", "__eq__", "__hash__", "__format__", "find", "index",
)
HostileBytes = _sabotaged(
    bytes, "__bytes__", "__len__", "__iter__", "__getitem__", "__eq__", "__hash__", "hex",
    "__contains__", "decode",
    "__buffer__",  # memoryview() calls a Python-level __buffer__ from 3.12 on
)
HostileTuple = _sabotaged(
    tuple, "__len__", "__iter__", "__getitem__", "__eq__", "__hash__", "__contains__", "count",
    "index", "__reversed__", "__repr__",
)


class Color(enum.IntEnum):
    RED = 1
    BIG = 2**64


class Perm(enum.IntFlag):
    R = 4
    W = 2


Point = collections.namedtuple("Point", "x y")


_SUBCLASS_CASES = [
    ("int 5", HostileInt(5), "05"),
    ("int -17", HostileInt(-17), "c4 ef"),
    ("int 1000", HostileInt(1000), "c5 e8 03"),
    ("int 2**64", HostileInt(2**64), "cc 09 00 00 00 00 00 00 00 00 01"),
    ("int -2**63-1", HostileInt(-(2**63) - 1), "cc 09 ff ff ff ff ff ff ff 7f ff"),
    ("IntEnum small", Color.RED, "01"),
    ("IntEnum big", Color.BIG, "cc 09 00 00 00 00 00 00 00 00 01"),
    ("IntFlag", Perm.R | Perm.W, "06"),
    ("float 1.5", HostileFloat(1.5), "c3 00 00 00 00 00 00 f8 3f"),
    ("float nan payload", HostileFloat(float_from_bits("7ff8000000000001")),
     "c3 01 00 00 00 00 00 f8 7f"),
    ("float -0.0", HostileFloat(-0.0), "c3 00 00 00 00 00 00 00 80"),
    ("str", HostileStr("hi"), "82 68 69"),
    ("str surrogate", HostileStr("\ud800"), "dc 03 ed a0 80"),
    ("str 32", HostileStr("x" * 32), "d0 20" + "78" * 32),
    ("bytes", HostileBytes(b"\x01\x02"), "a2 01 02"),
    ("bytes 16", HostileBytes(b"\x09" * 16), "d4 10" + "09" * 16),
    ("tuple nested", HostileTuple((1, HostileTuple((2,)))), "b2 01 b1 02"),
    ("tuple 16", HostileTuple(range(16)), "d8 10 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"),
    ("namedtuple", Point(1, "a"), "b2 01 81 61"),
    ("mixed", (Point(Color.RED, HostileInt(2)), HostileStr("z")), "b2 b2 01 02 81 7a"),
]


@pytest.mark.parametrize(
    "value, expected", [c[1:] for c in _SUBCLASS_CASES], ids=[c[0] for c in _SUBCLASS_CASES]
)
def test_subclasses_encode_as_their_base_value(value, expected):
    assert dumps(value) == h(expected)


def test_bool_is_never_an_int():
    assert dumps(True) == h("c2")
    assert dumps(False) == h("c1")
    assert dumps(1) == h("01")
    assert dumps(0) == h("00")


# --- unsupported values --------------------------------------------------------------------------


class Opaque:
    class Inner:
        pass


@pytest.mark.parametrize(
    "value, message",
    [
        ([1], "unsupported type 'list' at $"),
        ({}, "unsupported type 'dict' at $"),
        (set(), "unsupported type 'set' at $"),
        (frozenset(), "unsupported type 'frozenset' at $"),
        (bytearray(b"x"), "unsupported type 'bytearray' at $"),
        (memoryview(b"x"), "unsupported type 'memoryview' at $"),
        (1j, "unsupported type 'complex' at $"),
        (object(), "unsupported type 'object' at $"),
        (type, "unsupported type 'type' at $"),
        (Opaque(), f"unsupported type '{__name__}.Opaque' at $"),
        (Opaque.Inner(), f"unsupported type '{__name__}.Opaque.Inner' at $"),
        (collections.OrderedDict(), "unsupported type 'collections.OrderedDict' at $"),
        ((1, [2]), "unsupported type 'list' at $[1]"),
        ((0, 1, (2, 3, [4])), "unsupported type 'list' at $[2][2]"),
        ((None, 1, ([0],)), "unsupported type 'list' at $[2][0]"),
        (tuple(range(16)) + ({},), "unsupported type 'dict' at $[16]"),
        (Point(1, {2}), "unsupported type 'set' at $[1]"),
        (nested(20, [1]), "unsupported type 'list' at $" + "[0]" * 20),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_unsupported_types_raise_type_error_with_path(value, message):
    with pytest.raises(TypeError) as info:
        dumps(value)
    assert str(info.value) == message


def test_unsupported_item_after_supported_ones_writes_nothing_visible():
    # dumps either returns the whole encoding or raises: no partial output escapes.
    with pytest.raises(TypeError):
        dumps((1, 2, 3, [4]))


# --- deep and wide -------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [10**5, 10**6])
def test_deep_tuple_encodes_without_recursion(depth):
    assert dumps(nested(depth, ())) == b"\xb1" * depth + b"\xb0"


def test_deep_unsupported_item_reports_full_path():
    with pytest.raises(TypeError) as info:
        dumps(nested(10**5, [1]))
    assert str(info.value) == "unsupported type 'list' at $" + "[0]" * 10**5


def test_items_follow_in_order_after_nested_tuples():
    value = ((1, (2, (3,)), 4), 5, ((), (6,)))
    assert dumps(value) == h("b3 b3 01 b2 02 b1 03 04 05 b2 b0 b1 06")
