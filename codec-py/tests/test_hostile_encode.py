"""Hostile construction on the encoder (issue 5): giant ints, subclasses whose methods
misbehave, objects that only pretend to be numbers. Each gives a correct value or a clean
error, the same in the extension and the reference, never a crash — and no user-defined
method runs: dumps encodes the base value a subclass holds (spec §1), so an override that is
called is a bug even when its result happens to be right.

test_extension_api.py already covers plain overriding subclasses (IntEnum, namedtuple, a
tuple whose __len__ says 0), unsupported builtins at the top level and a 10^6-deep tuple.
"""

import pytest

from extension_helpers import assert_same, extension, reference

CALLS = []


def record(name, result):
    """A method that logs its call in CALLS, then returns `result`."""
    def method(self, *args):
        CALLS.append(f"{type(self).__name__}.{name}")
        return result
    return method


def overriding(base, result_for, names):
    """A subclass of `base` overriding each of `names` with a recorder."""
    namespace = {name: record(name, result_for(name)) for name in names}
    return type(f"Hostile{base.__name__.title()}", (base,), namespace)


COMMON = ["__eq__", "__ne__", "__hash__", "__repr__", "__str__", "__format__", "__bool__",
          "__len__", "__iter__", "__getitem__", "__contains__", "__reduce__", "__reduce_ex__",
          "__sizeof__"]


def wrong(name):
    """What each override returns: values of the wrong kind or size, to be noticed if used."""
    return {"__hash__": 7, "__eq__": True, "__ne__": False, "__bool__": False,
            "__len__": 10**6, "__sizeof__": 1, "__str__": "lie", "__repr__": "lie",
            "__format__": "lie", "__iter__": iter((9, 9)), "__getitem__": 9,
            "__contains__": True, "__index__": 3, "__int__": 3, "__float__": 3.5,
            "__bytes__": b"lie", "__reduce__": (int, (3,)),
            "__reduce_ex__": (int, (3,)),
            "__abs__": 3, "__neg__": 3, "__trunc__": 3, "__round__": 3,
            "bit_length": 3, "to_bytes": b"\x03", "hex": "lie", "encode": b"lie",
            "__add__": 3, "index": 0, "count": 0}[name]


HostileInt = overriding(int, wrong, COMMON + ["__index__", "__int__", "__float__", "__abs__",
                                              "__neg__", "__trunc__", "__round__", "bit_length",
                                              "to_bytes", "__add__"])
HostileFloat = overriding(float, wrong, COMMON + ["__float__", "__index__", "__int__", "hex",
                                                  "__round__", "__neg__"])
HostileStr = overriding(str, wrong, COMMON + ["encode", "__add__"])
HostileBytes = overriding(bytes, wrong, COMMON + ["__bytes__", "hex", "__add__"])
HostileTuple = overriding(tuple, wrong, COMMON + ["__add__", "index", "count"])


@pytest.mark.parametrize("value, base", [
    (HostileInt(0), 0), (HostileInt(-17), -17), (HostileInt(2**63), 2**63),
    (HostileInt(-(2**64)), -(2**64)), (HostileInt(2**100_000 - 1), 2**100_000 - 1),
    (HostileFloat(-0.0), -0.0), (HostileFloat(float("nan")), float("nan")),
    (HostileFloat(1e308), 1e308),
    (HostileStr(""), ""), (HostileStr("x" * 40), "x" * 40), (HostileStr("a\udc80b"), "a\udc80b"),
    (HostileStr("\ud800\udc00"), "\ud800\udc00"),
    (HostileBytes(b""), b""), (HostileBytes(b"\x00" * 300), b"\x00" * 300),
    (HostileTuple(()), ()), (HostileTuple((1, "a", b"b")), (1, "a", b"b")),
    (HostileTuple((HostileInt(5), HostileTuple((HostileStr("s"),)))), (5, ("s",))),
    (HostileTuple(range(20)), tuple(range(20))),
], ids=lambda v: type(v).__name__)
def test_overriding_subclasses_encode_their_base_value_without_calling_overrides(value, base):
    CALLS.clear()
    expected = reference.dumps(base)
    assert reference.dumps(value) == expected
    assert CALLS == [], "the reference called an override"
    assert extension.dumps(value) == expected
    assert CALLS == [], "the extension called an override"


class Indexable:
    """Not an int, though operator.index() would accept it."""

    def __index__(self):
        CALLS.append("__index__")
        return 5


class Floatable:
    def __float__(self):
        CALLS.append("__float__")
        return 1.5


class RaisingNumber:
    def __index__(self):
        raise RuntimeError("boom")

    def __float__(self):
        raise RuntimeError("boom")

    def __int__(self):
        raise RuntimeError("boom")


class WrongTypes:
    def __index__(self):
        return "five"

    def __float__(self):
        return "1.5"

    def __str__(self):
        return 5

    def __bytes__(self):
        return 5


class PlainTuple(tuple):
    pass


class PretendsToBeInt:
    """isinstance(x, int) is true through __class__; type(x) is not an int subclass."""

    __class__ = property(lambda self: int)


class PretendsToBeTuple:
    __class__ = property(lambda self: tuple)

    def __len__(self):
        return 1

    def __getitem__(self, i):
        return 1


@pytest.mark.parametrize("make, name", [
    (Indexable, "Indexable"), (Floatable, "Floatable"), (RaisingNumber, "RaisingNumber"),
    (WrongTypes, "WrongTypes"),
])
@pytest.mark.parametrize("where, path", [
    (lambda x: x, "$"), (lambda x: (1, (2, x)), "$[1][1]"),
    (lambda x: (PlainTuple((0, x)),), "$[0][1]"),
])
def test_number_like_objects_are_unsupported_at_their_path(make, name, where, path):
    CALLS.clear()
    result = assert_same("dumps", where(make()))
    assert result == ("raises", "TypeError",
                      f"unsupported type '{__name__}.{name}' at {path}")
    assert CALLS == []


@pytest.mark.parametrize("value, path, name", [
    ((1, (bytearray(b"x"),)), "$[1][0]", "bytearray"),
    ((memoryview(b"x"),), "$[0]", "memoryview"),
    (HostileTuple((None, [1])), "$[1]", "list"),
    ((0,) * 70_000 + (frozenset(),), "$[70000]", "frozenset"),
])
def test_mutable_or_foreign_items_are_unsupported_wherever_they_sit(value, path, name):
    assert assert_same("dumps", value) == (
        "raises", "TypeError", f"unsupported type {name!r} at {path}")


def test_a_giant_int_round_trips_through_both():
    for value in (2 ** (10**6), -(2 ** (10**6)), 2 ** (10**6) - 1, -(2 ** (10**6)) + 1):
        encoded = reference.dumps(value)
        assert extension.dumps(value) == encoded
        # BIGINT4, 125 001 octets of two's complement: 10^6 bits and a sign bit (−2^10^6
        # too: 125 000 octets stop at −2^999 999).
        assert encoded[:5] == b"\xce" + (125_001).to_bytes(4, "little")
        assert int.from_bytes(encoded[5:], "little", signed=True) == value
        assert extension.loads(encoded) == value == reference.loads(encoded)
    huge = HostileInt(2 ** (10**6))
    CALLS.clear()
    assert extension.dumps(huge) == reference.dumps(2 ** (10**6))
    assert CALLS == []


def test_a_tuple_subclass_whose_length_lies_encodes_its_real_items():
    class Liar(tuple):
        def __len__(self):
            return 3

        def __iter__(self):
            return iter((1, 2, 3))

    for items in ((), (7,), tuple(range(100))):
        value = Liar(items)
        assert extension.dumps(value) == reference.dumps(value) == reference.dumps(items)


# --- __class__ and __getattribute__: what isinstance() consults -------------------------------
# isinstance(x, int) falls back to x.__class__ when type(x) is not an int subclass, which runs
# an overridden __getattribute__ and believes a __class__ property. Only type(x) may decide
# what is encoded: these objects are not ints or tuples.


class ClaimsIntClass(float):
    __class__ = property(lambda self: int)


class Intercepting(float):
    def __getattribute__(self, name):
        CALLS.append(name)
        return int if name == "__class__" else float.__getattribute__(self, name)


PRETENDERS = [
    (PretendsToBeInt(), ("raises", "TypeError",
                         f"unsupported type '{__name__}.PretendsToBeInt' at $")),
    ((1, PretendsToBeTuple()), ("raises", "TypeError",
                                f"unsupported type '{__name__}.PretendsToBeTuple' at $[1]")),
    (ClaimsIntClass(2.5), ("value", reference.dumps(2.5))),
    (Intercepting(-0.0), ("value", reference.dumps(-0.0))),
]


@pytest.mark.parametrize("value, expected", PRETENDERS, ids=lambda v: type(v).__name__)
def test_the_extension_decides_by_type_not_by_class_attribute(value, expected):
    CALLS.clear()
    try:
        actual = ("value", extension.dumps(value))
    except TypeError as e:
        actual = ("raises", "TypeError", str(e))
    assert actual == expected
    assert CALLS == []


@pytest.mark.parametrize("value, expected", PRETENDERS, ids=lambda v: type(v).__name__)
def test_the_reference_decides_by_type_not_by_class_attribute(value, expected):
    CALLS.clear()
    try:
        actual = ("value", reference.dumps(value))
    except TypeError as e:
        actual = ("raises", "TypeError", str(e))
    assert actual == expected
    assert CALLS == []
