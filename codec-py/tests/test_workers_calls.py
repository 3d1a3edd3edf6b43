"""frozenpack._calls, what the executors share, tested in this process: names, messages, errors.

The executors' tests check the same behaviour through real workers; these reach the corners a
worker cannot be made to show (a message that does not decode, a module that cannot be found).
"""

import pickle

import pytest

import frozenpack
import workers_helpers as helpers
from frozenpack import reference
from frozenpack._calls import (
    CALL,
    CHUNK,
    RemoteError,
    RemoteTraceback,
    Runner,
    decode_reply,
    encode_call,
    encode_chunk,
    function_name,
    pack_exception,
    unpack_exception,
    unsupported_at,
)


def test_a_function_is_named_by_its_module_and_qualified_name():
    assert function_name(helpers.echo) == ("workers_helpers", "echo")
    assert function_name(helpers.Maker.make) == ("workers_helpers", "Maker.make")
    assert function_name(len) == ("builtins", "len")


def test_a_function_whose_module_cannot_be_imported_is_refused():
    def orphan():
        pass

    orphan.__module__, orphan.__qualname__ = "no_such_module_for_frozenpack_tests", "orphan"
    with pytest.raises(TypeError, match=r"^no_such_module_for_frozenpack_tests\.orphan cannot be "
                                        r"found by its name \(No module named"):
        function_name(orphan)


def test_the_place_of_an_unsupported_object_is_read_from_both_implementations():
    for implementation in (frozenpack, reference):
        with pytest.raises(TypeError) as info:
            implementation.dumps((0, (1, [2])))
        assert unsupported_at(info.value) == ("'list'", [1, 1])
        with pytest.raises(TypeError) as info:
            implementation.dumps({})
        assert unsupported_at(info.value) == ("'dict'", [])
    assert unsupported_at(TypeError("something else")) is None


def test_a_task_names_the_argument_that_cannot_go_whatever_its_place():
    with pytest.raises(TypeError, match=r"^cannot send args\[2\]\[0\] to m\.f: unsupported type "
                                        r"'list' \(frozenpack carries None, bool, int, float, "
                                        r"str, bytes and tuples of these\)$"):
        encode_call(1, "m", "f", (0, 1, ([],)), {})
    with pytest.raises(TypeError, match=r"^cannot send kwargs\['b'\] to m\.f: unsupported "
                                        r"type 'set'"):
        encode_call(1, "m", "f", (), {"a": 1, "b": set()})
    # The map's items are counted from the first of the chunk.
    with pytest.raises(TypeError, match=r"^cannot send args\[1\] of map item 11 to m\.f: "
                                        r"unsupported type 'dict'"):
        encode_chunk(1, "m", "f", ((1, 2), (3, {})), 10)


def test_a_task_runs_and_its_reply_decodes():
    runner = Runner()
    reply = runner.run(encode_call(5, "workers_helpers", "add", (2**70, 1), {}))
    assert decode_reply(reply) == (5, 2**70 + 1, None)
    reply = runner.run(encode_chunk(6, "workers_helpers", "add", ((1, 2), (3, 4)), 0))
    assert decode_reply(reply) == (6, (3, 7), None)


def test_a_result_that_cannot_go_back_is_named_by_its_map_item():
    reply = Runner().run(encode_chunk(6, "workers_helpers", "return_a_list_for", ((1,), (2,)), 40))
    task_id, result, error = decode_reply(reply)
    assert (task_id, result, type(error)) == (6, None, TypeError)
    assert str(error).startswith("cannot send the result[1] of map item 41 of "
                                 "workers_helpers.return_a_list_for back: unsupported type 'list'")


def test_a_task_that_does_not_decode_fails_alone():
    # (CALL, 42, then a reserved tag...): the task_id is read, the rest cannot be.
    data = b"\xb7" + frozenpack.dumps(CALL) + frozenpack.dumps(42) + b"\xe0" + b"\x00" * 8
    task_id, result, error = decode_reply(Runner().run(data))
    assert (task_id, result, type(error)) == (42, None, frozenpack.DecodeError)
    assert (error.kind, error.offset) == ("unknown_tag", 3)
    assert CHUNK != CALL


def test_a_reply_that_does_not_decode_fails_its_future_alone():
    data = b"\xb3" + frozenpack.dumps(7) + b"\xc3\x00"  # a float cut short
    task_id, result, error = decode_reply(data)
    assert (task_id, result, type(error)) == (7, None, frozenpack.DecodeError)
    assert error.kind == "truncated"


def _raised(function, *args):
    try:
        function(*args)
    except BaseException as exc:  # noqa: BLE001
        return exc
    raise AssertionError("did not raise")


def test_an_exception_is_packed_as_values_and_unpacked_as_itself():
    packed = pack_exception(_raised(helpers.raise_value_error, "no \ud800"))
    assert frozenpack.loads(frozenpack.dumps(packed)) == packed
    error = unpack_exception(*packed)
    assert type(error) is ValueError and error.args == ("no \ud800",)
    assert isinstance(error.__cause__, RemoteTraceback)
    assert str(error.__cause__).startswith('\n"""\nTraceback (most recent call last):')
    assert "raise ValueError(message)" in str(error.__cause__)


def test_exceptions_that_cannot_travel_become_remote_errors_saying_why():
    error = unpack_exception(*pack_exception(_raised(helpers.raise_holding_a_lock)))
    assert type(error) is RemoteError
    assert str(error) == ("builtins.RuntimeError: ('holds a lock', <unlocked _thread.lock object"
                          f" at {str(error.message).split(' at ')[1]} (raised in a worker; it "
                          "could not be pickled)")
    error = unpack_exception(*pack_exception(_raised(helpers.raise_refuses_to_unpickle)))
    assert (error.type_name, error.message) == ("workers_helpers.RefusesToUnpickle", "1 and 2")
    assert error.reason.startswith("it could not be unpickled here: TypeError: ")
    # A pickle of something that is not an exception.
    error = unpack_exception(pickle.dumps(3), "x.Y", "m", "trace")
    assert error.reason == "it unpickled as something that is not an exception"
    assert pickle.loads(pickle.dumps(error)).type_name == "x.Y"
