"""dumps(obj, default=...) and dump(obj, fp, default=...): the caller converts what the format
cannot carry (a list, a dict, a dataclass) into what it can, object by object; the format is
unchanged. The extension and the reference behave alike in every case."""

import dataclasses
import io
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frozenpack
from extension_helpers import IMPLEMENTATIONS, assert_same, extension, reference
from reference_helpers import exactly_equal

IDS = ["reference", "extension"]


def lists_and_dicts(x):
    if isinstance(x, list):
        return tuple(x)
    if isinstance(x, dict):
        return tuple(sorted(x.items()))
    raise TypeError(f"cannot convert {type(x).__name__}")


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IDS)
def test_lists_become_tuples_and_dicts_sorted_pairs(module):
    value = {"b": [1, [2, {"c": None}]], "a": (b"x", [])}
    encoded = module.dumps(value, default=lists_and_dicts)
    assert exactly_equal(
        frozenpack.loads(encoded),
        (("a", (b"x", ())), ("b", (1, (2, (("c", None),))))),
    )
    assert encoded == extension.dumps(value, default=lists_and_dicts)


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IDS)
def test_default_is_called_once_per_unsupported_object_in_order(module):
    calls = []

    def default(x):
        calls.append(x)
        return len(x)

    a, b, c = [1], {2: 3}, {4}
    assert module.dumps((a, (b, 5, c), a), default=default) == module.dumps((1, (1, 5, 1), 1))
    assert [id(x) for x in calls] == [id(a), id(b), id(c), id(a)]


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IDS)
def test_supported_values_never_reach_default(module):
    def default(x):
        raise AssertionError(f"default called with {x!r}")

    value = (None, True, 1, 2**100, -0.5, "s", "\ud800", b"b", (), ((1,),))
    assert module.dumps(value, default=default) == module.dumps(value)


def test_an_unsupported_result_is_the_usual_type_error_at_its_position():
    for value, path in ([1], "$"), ((0, [1]), "$[1]"), ((0, (1, {2})), "$[1][1]"):
        result = assert_same("dumps", value, default=lambda x: [x])
        assert result[1:] == ("TypeError", f"unsupported type 'list' at {path}")


def test_items_of_a_result_go_through_default_too():
    # [[1, [2]]] -> ((1, [2]),) -> ... each list met inside a result is converted in turn.
    result = assert_same("dumps", [[1, [2, []]]], default=lambda x: tuple(x))
    assert exactly_equal(frozenpack.loads(result[1]), ((1, (2, ())),))
    # The path of an unsupported object inside a result counts the result's items.
    result = assert_same(
        "dumps", (0, [1, object()]), default=lambda x: tuple(x) if type(x) is list else x)
    assert result[1:] == ("TypeError", "unsupported type 'object' at $[1][1]")


def test_what_default_raises_comes_out_unchanged():
    class Refused(Exception):
        pass

    def default(x):
        raise Refused(f"no {type(x).__name__}")

    for module in IMPLEMENTATIONS:
        with pytest.raises(Refused, match="^no list$"):
            module.dumps((1, [2]), default=default)


@pytest.mark.parametrize("default", [5, "f", b"", (lambda: 1,)], ids=repr)
def test_default_must_be_callable_or_none(default):
    result = assert_same("dumps", 1, default=default)
    assert result[1] == "TypeError"
    assert result[2].startswith("default must be callable or None, not ")
    assert_same("dumps", [], default=None)
    assert assert_same("dumps", 1, default=None)[1] == b"\x01"


def test_default_is_keyword_only():
    assert_same("dumps", 1, lambda x: x)
    assert_same("dump", 1, io.BytesIO(), lambda x: x)


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IDS)
def test_dump_passes_default_on(module):
    out = io.BytesIO()
    module.dump({"k": [1]}, out, default=lists_and_dicts)
    assert frozenpack.loads(out.getvalue()) == (("k", (1,)),)


def test_dataclasses_as_tuples_of_fields():
    @dataclasses.dataclass
    class Point:
        x: int
        y: float

    def default(x):
        return dataclasses.astuple(x)

    assert_same("dumps", (Point(1, 2.5), [Point(3, 4.0)]), default=lambda x: (
        tuple(x) if isinstance(x, list) else default(x)))


def test_results_are_kept_alive_while_encoded_and_released_after():
    # The only reference to a result (and to its items) is the encoder's own.
    texts = ["long text " * 50 + str(i) for i in range(200)]

    def default(x):
        return (texts[x[0]], tuple(range(20)), {x[0]} if x else ())

    def sets(x):
        return tuple(sorted(x))

    value = tuple([i] for i in range(200))
    counts = [sys.getrefcount(t) for t in texts]
    expected = reference.dumps(value, default=lambda x: default(x) if type(x) is list else sets(x))
    for _ in range(3):
        got = extension.dumps(value, default=lambda x: default(x) if type(x) is list else sets(x))
        assert got == expected
    assert [sys.getrefcount(t) for t in texts] == counts


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=IDS)
def test_a_default_that_never_converges_raises_recursion_error(module):
    # Each list becomes a tuple holding a new list: an endless expansion, stopped.
    with pytest.raises(RecursionError, match="nested more than 10000 deep"):
        module.dumps([0], default=lambda x: ("again", [x[0] + 1]))
    # Nesting that ends is fine at any depth below the limit, and replacements that are
    # finished do not count.
    deep = [0]
    for _ in range(5000):
        deep = [deep]
    assert module.dumps((deep, deep), default=tuple) == module.dumps((_nested_tuple(5000),) * 2)


def _nested_tuple(depth):
    value = (0,)
    for _ in range(depth):
        value = (value,)
    return value


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.binary(max_size=5),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    | st.tuples(inner, inner),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(json_like)
def test_both_implementations_agree_on_converted_values(value):
    assert_same("dumps", value, default=lists_and_dicts)
