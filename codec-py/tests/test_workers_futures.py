"""frozenpack.futures.ProcessPoolExecutor at work: exact values, map, what cannot be sent, errors.

The tests share one executor of two spawned workers (starting processes is the slow part); those
that break it, shut it down or count processes are in test_workers_futures_lifecycle.py. The
functions run in workers are in workers_helpers, looked up there by name.
"""

import functools
import math
import os
import threading

import pytest

import workers_helpers as helpers
from frozenpack.futures import ProcessPoolExecutor, RemoteError, RemoteTraceback
from reference_helpers import exactly_equal
from workers_helpers import TIMEOUT, VALUES

@pytest.fixture(scope="module")
def executor():
    with ProcessPoolExecutor(max_workers=2, mp_context="spawn") as executor:
        yield executor


# --- values --------------------------------------------------------------------------------------


def test_values_come_back_exactly(executor):
    futures = [executor.submit(helpers.echo, value) for value in VALUES]
    for value, future in zip(VALUES, futures, strict=True):
        assert exactly_equal(future.result(TIMEOUT), value), value


def test_values_deeper_than_the_default_decoding_limit_are_carried(executor):
    assert exactly_equal(executor.submit(helpers.echo, helpers.DEEP).result(TIMEOUT),
                         helpers.DEEP)


def test_the_worker_receives_plain_values_of_the_exact_types(executor):
    value = (1, 2.5, "s", b"b", None, True, (2**70,))
    assert executor.submit(helpers.type_names, value).result(TIMEOUT) == (
        "tuple", ("int", "float", "str", "bytes", "NoneType", "bool", "tuple"))


def test_a_large_argument_and_result(executor):
    blob = os.urandom(3 << 20)  # far beyond a pipe's buffer: never queued ahead
    assert executor.submit(helpers.echo, blob).result(TIMEOUT) == blob


def test_positional_and_keyword_arguments(executor):
    future = executor.submit(helpers.echo_all, 1, "two", three=3.0, four=2**80)
    assert future.result(TIMEOUT) == ((1, "two"), (("four", 2**80), ("three", 3.0)))


def test_submit_takes_fn_positionally_so_fn_can_be_a_keyword_argument(executor):
    assert executor.submit(helpers.echo_all, fn=1).result(TIMEOUT) == ((), (("fn", 1),))


def test_functions_of_the_standard_library_and_classmethods_travel_by_name(executor):
    assert executor.submit(math.factorial, 30).result(TIMEOUT) == math.factorial(30)
    assert executor.submit(len, "abc").result(TIMEOUT) == 3
    assert executor.submit(helpers.Maker.make, 5).result(TIMEOUT) == ("made", 5)


def test_many_small_tasks_from_several_threads(executor):
    results = {}

    def submit_some(base):
        futures = [executor.submit(helpers.add, base, i) for i in range(100)]
        results[base] = [f.result(TIMEOUT) for f in futures]

    threads = [threading.Thread(target=submit_some, args=(1000 * k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {1000 * k: [1000 * k + i for i in range(100)] for k in range(4)}


# --- map -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("chunksize", [1, 3, 7, 100])
def test_map_yields_in_order_whatever_the_chunksize(executor, chunksize):
    assert list(executor.map(helpers.add, range(40), range(100, 140), chunksize=chunksize)) == [
        i + 100 + i for i in range(40)]


def test_map_stops_at_the_shortest_iterable_and_may_be_empty(executor):
    assert list(executor.map(helpers.add, range(5), range(2))) == [0, 2]
    assert list(executor.map(helpers.echo, [])) == []


def test_map_raises_at_the_chunk_that_failed_after_the_results_before_it(executor):
    results = executor.map(helpers.positive, [1, 2, 3, -4, 5, 6], chunksize=2)
    assert next(results) == 1
    assert next(results) == 2
    # 3 and -4 are one chunk: it fails as a whole, as in the standard library.
    with pytest.raises(ValueError, match="-4 is negative"):
        next(results)


def test_map_checks_its_arguments_at_once(executor):
    with pytest.raises(ValueError, match=r"chunksize must be >= 1\."):
        executor.map(helpers.echo, [1], chunksize=0)
    with pytest.raises(TypeError, match=r"cannot send args\[0\]\[0\] of map item 1 to "
                                        r"workers_helpers\.echo: unsupported type 'set'"):
        executor.map(helpers.echo, [(1,), ({2},)])
    with pytest.raises(TypeError, match="lambda"):
        executor.map(lambda x: x, [1])


def test_map_times_out(executor):
    results = executor.map(helpers.sleep, [1.5], timeout=0.05)
    with pytest.raises(TimeoutError):
        next(results)


def test_an_unsupported_result_of_a_map_item_names_it(executor):
    with pytest.raises(TypeError, match=r"^cannot send the result\[1\] of map item 2 of "
                                        r"workers_helpers\.return_a_list_for back: unsupported "
                                        r"type 'list'"):
        list(executor.map(helpers.return_a_list_for, [0, 1, 2], chunksize=3))


# --- what cannot be sent -------------------------------------------------------------------------


def test_an_unsupported_argument_raises_in_submit_naming_where_it_is(executor):
    with pytest.raises(TypeError) as info:
        executor.submit(helpers.echo, (1, [2]))
    assert str(info.value) == (
        "cannot send args[0][1] to workers_helpers.echo: unsupported type 'list' "
        "(frozenpack carries None, bool, int, float, str, bytes and tuples of these)")
    with pytest.raises(TypeError, match=r"^cannot send kwargs\['key'\]\[0\] to "
                                        r"workers_helpers\.echo_all: unsupported type 'dict'"):
        executor.submit(helpers.echo_all, 1, key=({},))
    # Nothing was sent: the workers go on as before.
    assert executor.submit(helpers.echo, 1).result(TIMEOUT) == 1


def _closure_maker():
    def inner():
        return 1

    return inner


@pytest.mark.parametrize(("fn", "message"), [
    (lambda: 1, r"a lambda \(test_workers_futures\.<lambda>\) cannot be sent to a worker"),
    (_closure_maker(), r"_closure_maker\.<locals>\.inner is defined inside another function"),
    (functools.partial(helpers.add, 1), r"it has no __module__ and __qualname__"),
    (helpers.MAKER.method, r"the name workers_helpers\.Maker\.method is not bound to"),
    (42, r"42 is not callable"),
])
def test_functions_that_cannot_travel_by_name_are_refused_in_submit(executor, fn, message):
    with pytest.raises(TypeError, match=message):
        executor.submit(fn)


def test_an_unsupported_result_fails_that_future_and_the_worker_goes_on(executor):
    future = executor.submit(helpers.return_a_list)
    with pytest.raises(TypeError, match=r"^cannot send the result of "
                                        r"workers_helpers\.return_a_list back: unsupported type "
                                        r"'list'"):
        future.result(TIMEOUT)
    assert executor.submit(helpers.echo, 2).result(TIMEOUT) == 2


# --- exceptions from workers ---------------------------------------------------------------------


def test_an_exception_comes_back_as_itself_with_the_workers_traceback(executor):
    future = executor.submit(helpers.raise_value_error, "bad \ud800")
    error = future.exception(TIMEOUT)
    assert type(error) is ValueError
    assert error.args == ("bad \ud800",)
    assert isinstance(error.__cause__, RemoteTraceback)
    assert "in raise_value_error" in str(error.__cause__)
    assert 'raise ValueError(message)' in str(error.__cause__)


def test_an_exception_that_cannot_be_unpickled_comes_back_as_a_remote_error(executor):
    error = executor.submit(helpers.raise_refuses_to_unpickle).exception(TIMEOUT)
    assert type(error) is RemoteError
    assert error.type_name == "workers_helpers.RefusesToUnpickle"
    assert error.message == "1 and 2"
    assert error.reason.startswith("it could not be unpickled here: TypeError")
    assert "in raise_refuses_to_unpickle" in str(error.__cause__)


def test_an_exception_that_cannot_be_pickled_comes_back_as_a_remote_error(executor):
    error = executor.submit(helpers.raise_holding_a_lock).exception(TIMEOUT)
    assert type(error) is RemoteError
    assert error.type_name == "builtins.RuntimeError"
    assert error.reason == "it could not be pickled"
    assert "the exception could not be pickled" in str(error.__cause__)


def test_system_exit_in_a_function_is_its_result_not_the_workers_end(executor):
    error = executor.submit(helpers.raise_system_exit).exception(TIMEOUT)
    assert type(error) is SystemExit and error.code == 3
    assert executor.submit(helpers.echo, 3).result(TIMEOUT) == 3


def test_a_function_missing_in_the_worker_fails_its_future(executor):
    # A function found here by its name, but not in the workers' copy of its module.
    def only_here():
        return 1

    only_here.__module__, only_here.__qualname__ = "workers_helpers", "only_here"
    helpers.only_here = only_here
    try:
        error = executor.submit(only_here).exception(TIMEOUT)
    finally:
        del helpers.only_here
    assert type(error) is AttributeError
    assert "only_here" in str(error)
