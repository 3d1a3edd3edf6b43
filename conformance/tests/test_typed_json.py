"""typed_json: every form both ways, the strictness rules, exact equality, deep values, JSON."""

import json
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import typed_json
from typed_json import dumps_json, from_json, loads_json, same, to_json


def bits(x):
    return struct.unpack("<d", struct.pack("<Q", x))[0]


def chain(depth, inner):
    for _ in range(depth):
        inner = (inner,)
    return inner


# (value, its typed JSON as writers produce it)
FORMS = [
    (None, {"none": None}),
    (False, {"bool": False}),
    (True, {"bool": True}),
    (0, {"int": "0"}),
    (-1, {"int": "-1"}),
    (2**200, {"int": str(2**200)}),
    (-(2**200), {"int": str(-(2**200))}),
    # More digits than CPython converts with int()/str() by default (4300).
    (10**5000, {"int": "1" + "0" * 5000}),
    (-(10**5000) + 1, {"int": "-" + "9" * 5000}),
    (1.0, {"float": "3ff0000000000000"}),
    (0.0, {"float": "0000000000000000"}),
    (-0.0, {"float": "8000000000000000"}),
    (math.inf, {"float": "7ff0000000000000"}),
    (bits(0x7FF8000000000000), {"float": "7ff8000000000000"}),
    (bits(0x7FF8000000000001), {"float": "7ff8000000000001"}),
    (bits(0xFFF0000000000001), {"float": "fff0000000000001"}),  # signalling, negative
    (5e-324, {"float": "0000000000000001"}),
    ("", {"str": ""}),
    ("text", {"str": "text"}),
    ("\u00e9\U0001F600\x00", {"str": "\u00e9\U0001F600\x00"}),
    ("\ud800", {"str_codepoints": [0xD800]}),
    ("a\udfffb", {"str_codepoints": [97, 0xDFFF, 98]}),
    ("\ud83d\ude00", {"str_codepoints": [0xD83D, 0xDE00]}),
    (b"", {"bytes": ""}),
    (b"\x00\xff\x10", {"bytes": "00ff10"}),
    ((), {"tuple": []}),
    ((1, "a", None), {"tuple": [{"int": "1"}, {"str": "a"}, {"none": None}]}),
    (((),), {"tuple": [{"tuple": []}]}),
    # 63 singletons stay tuple forms; 64 or more become one nest form.
    (chain(63, 7), json.loads('{"tuple":[' * 63 + '{"int":"7"}' + "]}" * 63)),
    (chain(64, 7), {"nest": {"depth": 64, "inner": {"int": "7"}}}),
    (chain(100, ()), {"nest": {"depth": 100, "inner": {"tuple": []}}}),
    # The chain stops at the first tuple that is not a singleton.
    (chain(64, (1, chain(64, 2))), {"nest": {"depth": 64, "inner": {"tuple": [
        {"int": "1"}, {"nest": {"depth": 64, "inner": {"int": "2"}}}]}}}),
    ((0, chain(65, b"")), {"tuple": [{"int": "0"},
                                     {"nest": {"depth": 65, "inner": {"bytes": ""}}}]}),
]


@pytest.mark.parametrize("value, form", FORMS, ids=[repr(f)[:60] for _, f in FORMS])
def test_every_form_both_ways(value, form):
    assert to_json(value) == form
    assert same(from_json(form), value)
    # And through JSON text.
    assert same(from_json(loads_json(dumps_json(form))), value)


def test_to_json_is_deterministic_and_json_text_is_ascii():
    value = ("\u00e9", "\ud800", 2**70, -0.0, chain(80, b"x"))
    assert dumps_json(to_json(value)) == dumps_json(to_json(value))
    assert dumps_json(to_json(value)).isascii()


@pytest.mark.parametrize("form, value", [
    ({"nest": {"depth": 1, "inner": {"int": "5"}}}, (5,)),
    ({"nest": {"depth": 3, "inner": {"tuple": []}}}, ((((),),),)),
    ({"nest": {"depth": 2, "inner": {"nest": {"depth": 2, "inner": {"none": None}}}}},
     chain(4, None)),
    ({"tuple": [{"nest": {"depth": 1, "inner": {"bool": True}}}]}, ((True,),)),
    ({"str_codepoints": [104, 105]}, "hi"),  # any str, not only those with surrogates
    ({"str_codepoints": []}, ""),
    ({"str_codepoints": [0x10FFFF]}, "\U0010FFFF"),
])
def test_readers_accept_every_form(form, value):
    assert same(from_json(form), value)


@pytest.mark.parametrize("form, message", [
    (None, "$: expected a one-key object naming a kind, got null"),
    ([], "$: expected a one-key object naming a kind, got an array"),
    ({}, "$: expected exactly one key, got []"),
    ({"none": None, "bool": True}, "$: expected exactly one key, got ['bool', 'none']"),
    ({"list": []}, "$: unknown kind 'list'"),
    ({"none": 0}, "$.none: expected null, got a number"),
    ({"bool": 1}, "$.bool: expected true or false, got a number"),
    ({"bool": "true"}, "$.bool: expected true or false, got a string"),
    ({"int": 5}, "$.int: expected a decimal string, got a number"),
    ({"int": "007"}, "$.int: not a canonical decimal integer: '007'"),
    ({"int": "+1"}, "$.int: not a canonical decimal integer: '+1'"),
    ({"int": "-0"}, "$.int: not a canonical decimal integer: '-0'"),
    ({"int": ""}, "$.int: not a canonical decimal integer: ''"),
    ({"int": " 1"}, "$.int: not a canonical decimal integer: ' 1'"),
    ({"int": "1_000"}, "$.int: not a canonical decimal integer: '1_000'"),
    ({"int": "\u0661"}, "$.int: not a canonical decimal integer"),  # ARABIC-INDIC DIGIT ONE
    ({"float": "3FF0000000000000"}, "$.float: expected exactly 16 lowercase hex digits"),
    ({"float": "3ff000000000000"}, "$.float: expected exactly 16 lowercase hex digits"),
    ({"float": "03ff0000000000000"}, "$.float: expected exactly 16 lowercase hex digits"),
    ({"float": "0x3ff00000000000"}, "$.float: expected exactly 16 lowercase hex digits"),
    ({"float": 1.0}, "$.float: expected exactly 16 lowercase hex digits, got a number"),
    ({"str": 5}, "$.str: expected a string, got a number"),
    ({"str": "a\ud800"}, "$.str: contains a surrogate code point: use str_codepoints"),
    ({"str_codepoints": "ab"}, "$.str_codepoints: expected an array of code points"),
    ({"str_codepoints": [97, 0x110000]}, "$.str_codepoints[1]: not a code point in 0..1114111"),
    ({"str_codepoints": [-1]}, "$.str_codepoints[0]: not a code point"),
    ({"str_codepoints": [True]}, "$.str_codepoints[0]: not a code point"),
    ({"str_codepoints": [97.0]}, "$.str_codepoints[0]: not a code point"),
    ({"bytes": "0"}, "$.bytes: expected an even number of lowercase hex digits, got '0'"),
    ({"bytes": "FF"}, "$.bytes: expected an even number of lowercase hex digits, got 'FF'"),
    ({"bytes": "0g"}, "$.bytes: expected an even number of lowercase hex digits"),
    ({"bytes": "00 ff"}, "$.bytes: expected an even number of lowercase hex digits"),
    ({"bytes": None}, "$.bytes: expected an even number of lowercase hex digits, got null"),
    ({"tuple": {}}, "$.tuple: expected an array, got an object"),
    ({"tuple": [{"int": "1"}, {"int": "01"}]}, "$.tuple[1].int: not a canonical decimal"),
    ({"tuple": [{"tuple": [[]]}]}, "$.tuple[0].tuple[0]: expected a one-key object"),
    ({"nest": []}, "$.nest: expected an object, got an array"),
    ({"nest": {"depth": 1}}, "$.nest: expected exactly the keys 'depth' and 'inner'"),
    ({"nest": {"depth": 1, "inner": {"none": None}, "x": 1}}, "$.nest: expected exactly the keys"),
    ({"nest": {"depth": 0, "inner": {"none": None}}}, "$.nest.depth: expected an integer >= 1"),
    ({"nest": {"depth": True, "inner": {"none": None}}}, "$.nest.depth: expected an integer"),
    ({"nest": {"depth": 2.0, "inner": {"none": None}}}, "$.nest.depth: expected an integer"),
    ({"nest": {"depth": 2, "inner": {"int": "x"}}}, "$.nest.inner.int: not a canonical"),
])
def test_from_json_is_strict(form, message):
    with pytest.raises(ValueError) as info:
        from_json(form)
    assert str(info.value).startswith(message)


def test_error_path_deep_inside_a_long_chain():
    form = {"tuple": [{"int": "1"}, {"nest": {"depth": 500, "inner": {"tuple": [
        {"bytes": "0"}]}}}]}
    with pytest.raises(ValueError, match=r"^\$\.tuple\[1\]\.nest\.inner\.tuple\[0\]\.bytes: "):
        from_json(form)


@pytest.mark.parametrize("value, message", [
    ([1], "unsupported type 'list' at $"),
    ((1, 2, ({},)), "unsupported type 'dict' at $[2][0]"),
    (bytearray(b"x"), "unsupported type 'bytearray' at $"),
    ((1, 1j), "unsupported type 'complex' at $[1]"),
    (chain(70, [0]), "unsupported type 'list' at $" + "[0]" * 70),
])
def test_to_json_rejects_values_outside_the_model(value, message):
    with pytest.raises(TypeError) as info:
        to_json(value)
    assert str(info.value) == message


def test_to_json_names_non_builtin_types_with_their_module():
    class Mine(tuple):
        pass
    with pytest.raises(TypeError) as info:
        to_json((Mine(),))
    assert str(info.value) == (f"unsupported type '{__name__}.test_to_json_names_non_builtin_types"
                               f"_with_their_module.<locals>.Mine' at $[0]")


# --- same --------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    (0.0, -0.0),
    (bits(0x7FF8000000000000), bits(0x7FF8000000000001)),
    (bits(0x7FF8000000000000), bits(0xFFF8000000000000)),
    (True, 1),
    (False, 0),
    (1, 1.0),
    (None, False),
    ("a", b"a"),
    ("", ()),
    ((1, 2), (1, 2, 3)),
    ((1, (2, -0.0)), (1, (2, 0.0))),
    (chain(1000, 1), chain(1000, 2)),
    (chain(1000, 1), chain(999, 1)),
])
def test_same_tells_apart(a, b):
    assert not same(a, b)
    assert not same(b, a)


@pytest.mark.parametrize("a, b", [
    (None, None),
    (bits(0x7FF8000000000001), bits(0x7FF8000000000001)),  # NaN equals a NaN of the same bits
    (-0.0, -0.0),
    (2**100, 2**100 + 0),
    ("\ud800x", "\ud800" + "x"),
    ((1, ("a", b"b")), (1, ("a", b"b"))),
    (chain(10**5, ()), chain(10**5, ())),  # equal, not identical, deeper than the stack
])
def test_same_accepts(a, b):
    assert same(a, b)


def test_same_rejects_values_outside_the_model():
    with pytest.raises(TypeError, match="not a frozenpack value: 'list'"):
        same([1], [1])
    with pytest.raises(TypeError, match="not a frozenpack value: 'list'"):
        same((1, [2]), (1, [2]))


# --- deep values -------------------------------------------------------------------------------

DEEP = 10**5
# Deep enough for the json module to give up (it stops near 1000 levels), small enough to keep
# the pure-Python fallback parser quick.
DEEP_JSON = 20_000


def test_deep_singleton_chain_round_trips():
    value = chain(DEEP, ("leaf", -0.0))
    form = to_json(value)
    assert form == {"nest": {"depth": DEEP, "inner": {"tuple": [
        {"str": "leaf"}, {"float": "8000000000000000"}]}}}
    assert same(from_json(loads_json(dumps_json(form))), value)


def test_deep_value_that_does_not_collapse_round_trips():
    # Pairs nest without singleton chains, so the JSON itself is 2 * DEEP_JSON levels deep:
    # beyond what the json module parses or writes, which exercises the iterative fallbacks.
    value = ()
    for i in range(DEEP_JSON):
        value = (value, i)
    text = dumps_json(to_json(value))
    assert text.startswith('{"tuple":[' * 3)
    back = from_json(loads_json(text))
    assert same(back, value)
    assert back[1] == DEEP_JSON - 1


def test_deep_nest_form_written_as_tuples_is_read():
    text = '{"tuple":[' * DEEP_JSON + '{"none":null}' + "]}" * DEEP_JSON
    assert same(from_json(loads_json(text)), chain(DEEP_JSON, None))


# --- JSON text ---------------------------------------------------------------------------------

def test_loads_json_rejects_duplicate_keys_shallow_and_deep():
    with pytest.raises(ValueError, match="duplicate key 'int'"):
        loads_json('{"int":"1","int":"2"}')
    with pytest.raises(ValueError, match="duplicate key 'a'"):
        loads_json("[" * 3000 + '{"a":1,"a":2}' + "]" * 3000)


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", "[-Infinity]", '{"a": NaN}'])
def test_loads_json_rejects_non_json_constants(text):
    with pytest.raises(ValueError):
        loads_json(text)
    with pytest.raises(ValueError):
        typed_json._loads_iterative(text)


@pytest.mark.parametrize("text", ["", "[", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "[1] x", "01",
                                  "[1 2]", "{1:2}", '"\x01"', "tru", "-", "1.", ".5"])
def test_both_json_parsers_reject_invalid_text(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        typed_json._loads_iterative(text)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from([None, 1, "\t", " \n "]))
def test_iterative_json_matches_the_json_module(obj, indent):
    text = json.dumps(obj, indent=indent)
    assert typed_json._loads_iterative(text) == json.loads(text)
    assert typed_json._dumps_iterative(obj) == dumps_json(obj)


# --- properties --------------------------------------------------------------------------------

LEAVES = (st.none() | st.booleans() | st.integers()
          | st.integers(0, 2**64 - 1).map(bits)
          | st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()))
          | st.binary(max_size=20))
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4).map(tuple)
    | st.tuples(st.integers(1, 130), inner).map(lambda p: chain(*p)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_any_value_round_trips_through_json_text(value):
    form = to_json(value)
    text = dumps_json(form)
    back = from_json(loads_json(text))
    assert same(back, value)
    assert dumps_json(to_json(back)) == text  # one value, one form
