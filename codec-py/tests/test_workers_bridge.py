"""frozenpack.wrap: values pickle as their frozenpack encoding, in every pickle-based system.

What is checked: the pickle is `frozenpack.bridge.unwrap` applied to the encoding and nothing
else; large encodings go out of band under protocol 5 without a copy; the receiver gets the
plain value, exactly, through pickle itself, a ProcessPoolExecutor, a multiprocessing.Pool and a
Connection; what cannot be wrapped fails at wrap time.
"""

import collections
import concurrent.futures
import copy
import multiprocessing
import pickle
import pickletools

import pytest

import frozenpack
import workers_helpers as helpers
from frozenpack.bridge import OUT_OF_BAND_MIN, FrozenValue, unwrap, wrap
from reference_helpers import exactly_equal, float_from_bits
from workers_helpers import DEEP, TIMEOUT, VALUES

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def wrapped_echo(value):
    """What a worker does to answer through the bridge: the result wrapped as well."""
    return wrap((helpers.type_names(value), value))


def _globals_named(pickled):
    """The (module, name) of every global a pickle loads."""
    names, strings = [], []
    for opcode, argument, _ in pickletools.genops(pickled):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(argument)
        elif opcode.name == "STACK_GLOBAL":
            names.append(tuple(strings[-2:]))
        elif opcode.name == "GLOBAL":
            names.append(tuple(argument.split(" ")))
    return names


# --- pickling ------------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_value_unpickles_as_itself_with_every_protocol(protocol):
    for value in VALUES + [DEEP]:
        back = pickle.loads(pickle.dumps(wrap(value), protocol=protocol))
        assert exactly_equal(back, value), value


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_pickle_is_unwrap_of_the_encoding_and_nothing_else(protocol):
    value = (1, "two", b"3", 2**100)
    pickled = pickle.dumps(wrap(value), protocol=protocol)
    if protocol >= 3:
        assert _globals_named(pickled) == [("frozenpack.bridge", "unwrap")]
        assert frozenpack.dumps(value) in pickled
    else:  # protocols 0-2 have no bytes type: pickle writes bytes as codecs.encode of a str
        assert _globals_named(pickled) == [("frozenpack.bridge", "unwrap"), ("_codecs", "encode")]


def test_a_large_encoding_goes_out_of_band_under_protocol_5_without_a_copy():
    value = (b"\x00" * OUT_OF_BAND_MIN, "rows")
    wrapped = wrap(value)
    buffers = []
    pickled = pickle.dumps(wrapped, protocol=5, buffer_callback=buffers.append)
    assert len(pickled) < 100
    assert len(buffers) == 1
    assert buffers[0].raw().obj is wrapped.encoded  # the encoding itself, not a copy
    assert exactly_equal(pickle.loads(pickled, buffers=buffers), value)
    # Decoded in place from whatever buffer the receiver was given.
    assert exactly_equal(pickle.loads(pickled, buffers=[bytearray(wrapped.encoded)]), value)


def test_a_small_encoding_stays_in_band_even_with_a_buffer_callback():
    wrapped = wrap(b"\x00" * (OUT_OF_BAND_MIN - 100))
    buffers = []
    pickled = pickle.dumps(wrapped, protocol=5, buffer_callback=buffers.append)
    assert buffers == []
    assert pickle.loads(pickled) == wrapped.value


def test_protocol_5_without_a_buffer_callback_writes_the_octets_in_band():
    value = b"\x01" * (OUT_OF_BAND_MIN + 1)
    pickled = pickle.dumps(wrap(value), protocol=5)
    assert frozenpack.dumps(value) in pickled
    assert pickle.loads(pickled) == value


def test_unwrap_decodes_at_any_depth():
    assert exactly_equal(unwrap(frozenpack.dumps(DEEP)), DEEP)
    with pytest.raises(frozenpack.DecodeError) as info:
        unwrap(b"\xc4\x05")
    assert (info.value.kind, info.value.offset) == ("non_canonical", 0)


# --- the wrapper ---------------------------------------------------------------------------------


def test_an_unsupported_value_fails_when_wrapped_naming_type_and_place():
    with pytest.raises(TypeError, match=r"^unsupported type 'list' at \$\[1\]\[0\]$"):
        wrap((1, ([2],)))
    with pytest.raises(TypeError, match=r"^unsupported type 'set' at \$$"):
        frozenpack.wrap({1})


def test_subclasses_are_wrapped_as_their_base_type():
    point = collections.namedtuple("Point", "x y")(1, 2)
    back = pickle.loads(pickle.dumps(wrap(point)))
    assert type(back) is tuple and back == (1, 2)


def test_the_wrapper_holds_the_value_and_its_encoding_and_cannot_change():
    value = (1, 2.5)
    wrapped = frozenpack.wrap(value)
    assert type(wrapped) is FrozenValue
    assert wrapped.value is value
    assert wrapped.encoded == bytes(wrapped) == frozenpack.dumps(value)
    assert wrap(wrapped) is wrapped
    assert copy.copy(wrapped) is wrapped and copy.deepcopy(wrapped) is wrapped
    with pytest.raises(AttributeError):
        wrapped.value = 3
    with pytest.raises(AttributeError):
        wrapped._encoded = b""
    with pytest.raises(AttributeError):
        del wrapped._value
    assert repr(wrap("x" * 100)).startswith("frozenpack.wrap('xxxxxx")


def test_wrappers_are_equal_when_their_encodings_are():
    nan_a, nan_b = float_from_bits(0x7FF8000000000000), float_from_bits(0x7FF8000000000001)
    assert wrap((1, "a")) == wrap((1, "a"))
    assert hash(wrap((1, "a"))) == hash(wrap((1, "a")))
    assert wrap(0.0) != wrap(-0.0)  # different bits
    assert wrap(nan_a) == wrap(nan_a) and wrap(nan_a) != wrap(nan_b)
    assert wrap(1) != wrap(True)
    assert wrap(1) != 1


# --- through pickle-based systems ----------------------------------------------------------------


def _check_answers(values, answers):
    for value, (names, back) in zip(values, answers, strict=True):
        assert names == helpers.type_names(value)  # the worker got the plain value
        assert exactly_equal(back, value), value


def test_through_a_process_pool_executor():
    values = VALUES + [DEEP]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as executor:
        futures = [executor.submit(wrapped_echo, wrap(value)) for value in values]
        _check_answers(values, [f.result(TIMEOUT) for f in futures])


def test_through_a_multiprocessing_pool():
    values = VALUES + [(b"\xff" * (OUT_OF_BAND_MIN * 2),)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        answers = pool.map(wrapped_echo, [wrap(value) for value in values])
    _check_answers(values, answers)


def test_through_a_connection():
    a, b = multiprocessing.Pipe()
    for value in VALUES:
        a.send(wrap(value))
        assert exactly_equal(b.recv(), value)
    a.close()
    b.close()
