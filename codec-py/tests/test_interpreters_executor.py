"""frozenpack.interpreters.InterpreterPoolExecutor: calls into isolated sub-interpreters.

On CPython 3.13+ (make test-python-3.13): exact values (ints beyond 64 bits too, which CPython's
own shareable types refuse), map, what cannot be sent, exceptions, a broken pool, shutdown, and
that no thread or interpreter is left afterwards. Elsewhere (3.11, 3.12): the clear error.
"""

import sys
import threading
import time

import pytest

import frozenpack.interpreters as interpreters
import workers_helpers as helpers
from frozenpack.interpreters import BrokenInterpreterPool, InterpreterPoolExecutor, RemoteError
from reference_helpers import exactly_equal
from workers_helpers import DEEP, TIMEOUT, VALUES

needs_interpreters = pytest.mark.skipif(
    not interpreters.AVAILABLE, reason="sub-interpreters with their own GIL need CPython 3.13+")


@pytest.mark.skipif(interpreters.AVAILABLE, reason="sub-interpreters are available here")
def test_without_sub_interpreters_the_executor_says_why():
    assert interpreters.AVAILABLE is False
    with pytest.raises(RuntimeError) as info:
        InterpreterPoolExecutor(2)
    version = sys.version.split()[0]
    assert str(info.value) == (
        "frozenpack.interpreters needs CPython 3.13 or later, whose _interpreters module runs "
        f"isolated sub-interpreters with their own GIL; this is cpython {version}")


if interpreters.AVAILABLE:
    import _interpreters


def _interpreter_count():
    return len(_interpreters.list_all())


@pytest.fixture(scope="module")
def executor():
    with InterpreterPoolExecutor(max_workers=2) as executor:
        yield executor


@needs_interpreters
def test_values_come_back_exactly(executor):
    futures = [executor.submit(helpers.echo, value) for value in VALUES + [DEEP]]
    for value, future in zip(VALUES + [DEEP], futures, strict=True):
        assert exactly_equal(future.result(TIMEOUT), value), value


@needs_interpreters
def test_ints_beyond_64_bits_which_cpython_cannot_share_are_carried(executor):
    value = (2**64, -(2**64) - 1, 2**1000)
    assert not all(interpreters_can_share(v) for v in value)
    assert executor.submit(helpers.type_names, value).result(TIMEOUT) == (
        "tuple", ("int", "int", "int"))
    assert executor.submit(helpers.echo, value).result(TIMEOUT) == value


def interpreters_can_share(value):
    """Whether CPython's own cross-interpreter data carries `value` (set___main___attrs)."""
    interp = _interpreters.create(_interpreters.new_config("isolated"))
    try:
        _interpreters.set___main___attrs(interp, {"value": value})
        return True
    except (OverflowError, ValueError):
        return False
    finally:
        _interpreters.destroy(interp)


@needs_interpreters
def test_a_reply_larger_than_the_shared_buffer(executor):
    blob = bytes(range(256)) * ((interpreters._REPLY_BUFFER >> 8) + 3)
    assert executor.submit(helpers.echo, blob).result(TIMEOUT) == blob
    assert executor.submit(helpers.echo, 1).result(TIMEOUT) == 1  # and the next fits again


@needs_interpreters
def test_a_reply_beyond_the_largest_kept_buffer_gets_one_of_its_own(monkeypatch):
    monkeypatch.setattr(interpreters, "_REPLY_BUFFER_MAX", interpreters._REPLY_BUFFER * 2)
    with InterpreterPoolExecutor(max_workers=1) as executor:
        for size in (3, 1, 5, 0):  # in MiB: larger than the largest kept, then smaller...
            blob = bytes([size]) * (size << 20)
            assert executor.submit(helpers.echo, blob).result(TIMEOUT) == blob


@needs_interpreters
def test_keyword_arguments_map_and_chunks(executor):
    assert executor.submit(helpers.echo_all, 1, k=2**70).result(TIMEOUT) == ((1,), (("k", 2**70),))
    for chunksize in (1, 4, 50):
        assert list(executor.map(helpers.add, range(30), range(30), chunksize=chunksize)) == [
            2 * i for i in range(30)]
    results = executor.map(helpers.positive, [1, -2, 3], chunksize=1)
    assert next(results) == 1
    with pytest.raises(ValueError, match="-2 is negative"):
        next(results)


@needs_interpreters
def test_map_times_out(executor):
    with pytest.raises(TimeoutError):
        next(executor.map(helpers.sleep, [1.0], timeout=0.05))


@needs_interpreters
def test_the_interpreters_run_in_this_process_on_threads_of_their_own(executor):
    assert executor.submit(helpers.pid).result(TIMEOUT) == __import__("os").getpid()


@needs_interpreters
def test_what_cannot_be_sent_is_refused_in_submit(executor):
    with pytest.raises(TypeError, match=r"^cannot send args\[0\]\[1\] to workers_helpers\.echo: "
                                        r"unsupported type 'list'"):
        executor.submit(helpers.echo, (1, [2]))
    with pytest.raises(TypeError, match="a lambda"):
        executor.submit(lambda: 1)

    def in_main():
        pass

    in_main.__module__, in_main.__qualname__ = "__main__", "in_main"
    sys.modules["__main__"].in_main = in_main
    try:
        with pytest.raises(TypeError, match=r"^__main__\.in_main cannot run in a sub-interpreter, "
                                            r"whose __main__ is its own"):
            executor.submit(in_main)
    finally:
        del sys.modules["__main__"].in_main


@needs_interpreters
def test_results_and_exceptions_that_cannot_come_back(executor):
    with pytest.raises(TypeError, match=r"^cannot send the result of workers_helpers\."
                                        r"return_a_list back: unsupported type 'list'"):
        executor.submit(helpers.return_a_list).result(TIMEOUT)
    error = executor.submit(helpers.raise_value_error, "no \udc00").exception(TIMEOUT)
    assert type(error) is ValueError and error.args == ("no \udc00",)
    assert "in raise_value_error" in str(error.__cause__)
    error = executor.submit(helpers.raise_refuses_to_unpickle).exception(TIMEOUT)
    assert type(error) is RemoteError and error.message == "1 and 2"
    error = executor.submit(helpers.raise_system_exit).exception(TIMEOUT)
    assert type(error) is SystemExit


@needs_interpreters
def test_a_module_that_cannot_be_imported_there_fails_the_future(executor):
    # A module made here, at run time: the interpreters cannot import it.
    import types

    module = types.ModuleType("made_at_run_time_for_frozenpack")

    def function():
        return 1

    function.__module__, function.__qualname__ = module.__name__, "function"
    module.function = function
    sys.modules[module.__name__] = module
    try:
        error = executor.submit(function).exception(TIMEOUT)
    finally:
        del sys.modules[module.__name__]
    assert type(error) is ModuleNotFoundError
    assert "made_at_run_time_for_frozenpack" in str(error)


@needs_interpreters
def test_module_state_is_each_interpreters_own():
    with InterpreterPoolExecutor(max_workers=1, initializer=helpers.set_state,
                                 initargs=("key", (1, 2**80))) as executor:
        assert executor.submit(helpers.get_state, "key").result(TIMEOUT) == (1, 2**80)
    assert helpers.get_state("key") is None  # not set in this interpreter


@needs_interpreters
def test_a_failing_initializer_breaks_the_pool():
    executor = InterpreterPoolExecutor(max_workers=2, initializer=helpers.fail_initializer)
    future = executor.submit(helpers.echo, 1)
    with pytest.raises(BrokenInterpreterPool, match=r"^the initializer workers_helpers\."
                                                    r"fail_initializer raised RuntimeError: the "
                                                    r"initializer says no in an interpreter"):
        future.result(TIMEOUT)
    with pytest.raises(BrokenInterpreterPool):
        executor.submit(helpers.echo, 1)
    executor.shutdown()


@needs_interpreters
def test_an_interpreter_that_cannot_be_set_up_breaks_the_pool(monkeypatch):
    monkeypatch.setattr(interpreters, "_BOOTSTRAP", "raise ImportError('no frozenpack here')")
    executor = InterpreterPoolExecutor(max_workers=1)
    future = executor.submit(helpers.echo, 1)
    with pytest.raises(BrokenInterpreterPool, match="an interpreter could not be set up: "
                                                    "ImportError: no frozenpack here") as info:
        future.result(TIMEOUT)
    assert "no frozenpack here" in str(info.value.__cause__)
    executor.shutdown()


@needs_interpreters
def test_shutdown_cancels_what_has_not_started_and_leaves_nothing_behind(tmp_path):
    threads, interps = threading.active_count(), _interpreter_count()
    executor = InterpreterPoolExecutor(max_workers=1)
    first = executor.submit(helpers.announce_and_wait, str(tmp_path), "a")
    later = [executor.submit(helpers.echo, i) for i in range(5)]
    helpers.wait_for_file(tmp_path / "a")
    assert _interpreter_count() == interps + 1
    executor.shutdown(wait=False, cancel_futures=True)
    assert all(f.cancelled() for f in later)
    with pytest.raises(RuntimeError, match="cannot schedule new futures after shutdown"):
        executor.submit(helpers.echo, 1)
    (tmp_path / "go").touch()
    assert first.result(TIMEOUT) > 0
    executor.shutdown(wait=True)
    assert threading.active_count() == threads
    assert _interpreter_count() == interps


@needs_interpreters
def test_a_second_shutdown_that_cancels_does_not_keep_the_workers_from_ending(tmp_path):
    # The first shutdown queues the workers' stop marks; a second, with cancel_futures, took
    # them off the queue with the waiting tasks, and the last shutdown then waited forever.
    threads, interps = threading.active_count(), _interpreter_count()
    executor = InterpreterPoolExecutor(max_workers=1)
    first = executor.submit(helpers.announce_and_wait, str(tmp_path), "a")
    later = executor.submit(helpers.echo, 1)
    helpers.wait_for_file(tmp_path / "a")
    executor.shutdown(wait=False)
    executor.shutdown(wait=False, cancel_futures=True)
    assert later.cancelled()
    (tmp_path / "go").touch()
    assert first.result(TIMEOUT) > 0
    ended = threading.Thread(target=executor.shutdown)
    ended.start()
    ended.join(TIMEOUT)
    assert not ended.is_alive(), "shutdown() hung: the workers never got their stop marks"
    assert threading.active_count() == threads
    assert _interpreter_count() == interps


@needs_interpreters
def test_an_executor_dropped_without_shutdown_destroys_its_interpreters():
    threads, interps = threading.active_count(), _interpreter_count()
    executor = InterpreterPoolExecutor(max_workers=2)
    assert executor.submit(helpers.echo, 1).result(TIMEOUT) == 1
    del executor
    __import__("gc").collect()
    deadline = time.monotonic() + TIMEOUT
    while threading.active_count() > threads or _interpreter_count() > interps:
        assert time.monotonic() < deadline
        time.sleep(0.02)


@needs_interpreters
@pytest.mark.parametrize(("max_workers", "error"), [(0, ValueError), (2.0, TypeError)])
def test_max_workers_must_be_a_positive_int(max_workers, error):
    with pytest.raises(error, match="max_workers"):
        InterpreterPoolExecutor(max_workers)


@needs_interpreters
def test_the_interpreters_run_at_the_same_time(tmp_path):
    # Two tasks that each wait for the other's file: they finish only if both run at once.
    with InterpreterPoolExecutor(max_workers=2) as executor:
        a = executor.submit(helpers.announce_and_wait, str(tmp_path), "a")
        b = executor.submit(helpers.announce_and_wait, str(tmp_path), "b")
        helpers.wait_for_file(tmp_path / "a")
        helpers.wait_for_file(tmp_path / "b")
        (tmp_path / "go").touch()
        assert a.result(TIMEOUT) == b.result(TIMEOUT)
