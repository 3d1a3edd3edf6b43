"""frozenpack.futures.ProcessPoolExecutor's life: workers that die, shutdown, start methods, leaks.

Each test makes its own executor (most with two spawned workers) and checks that when it is done
no worker process, thread or file descriptor is left behind.
"""

import gc
import multiprocessing
import os
import platform
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool

import pytest

import workers_helpers as helpers
from frozenpack.futures import ProcessPoolExecutor
from reference_helpers import exactly_equal
from workers_helpers import TIMEOUT, VALUES

def _no_children_left():
    return multiprocessing.active_children() == []


# --- a worker that dies --------------------------------------------------------------------------


def _wait_for_pid(directory, name):
    return int(helpers.wait_for_file(directory / name))


def test_a_killed_worker_fails_every_pending_future_and_breaks_the_pool(tmp_path):
    executor = ProcessPoolExecutor(max_workers=2, mp_context="spawn")
    running = [executor.submit(helpers.announce_and_wait, str(tmp_path), name)
               for name in ("a", "b")]
    queued = [executor.submit(helpers.echo, i) for i in range(5)]
    victim = _wait_for_pid(tmp_path, "a")
    other = _wait_for_pid(tmp_path, "b")
    os.kill(victim, signal.SIGKILL)
    for future in running + queued:
        with pytest.raises(BrokenProcessPool, match=rf"a worker process \(pid {victim}\) was "
                                                    r"killed by SIGKILL"):
            future.result(TIMEOUT)
    with pytest.raises(BrokenProcessPool):
        executor.submit(helpers.echo, 1)
    with pytest.raises(BrokenProcessPool):
        executor.map(helpers.echo, [1])
    executor.shutdown()
    # The other worker was stopped too, and every process was reaped.
    assert not helpers.pid_exists(other)
    assert _no_children_left()


def _syscall(pid):
    """The number of the system call `pid` is blocked in (x86-64 Linux), or None."""
    try:
        with open(f"/proc/{pid}/syscall") as f:
            field = f.read().split()[0]
    except (OSError, IndexError):
        return None
    return int(field) if field.isdigit() else None


READS, FUTEX = {0, 19}, 202  # x86-64 system call numbers: read, readv; futex


def _the_reader(pids):
    """The one of two idle workers blocked reading the task pipe, once the other waits for the
    lock; else None."""
    calls = {pid: _syscall(pid) for pid in pids}
    readers = [pid for pid, call in calls.items() if call in READS]
    if len(readers) == 1 and FUTEX in calls.values():
        return readers[0]
    return None


@pytest.mark.skipif(platform.machine() != "x86_64" or not os.path.exists("/proc/self/syscall"),
                    reason="finds the worker blocked in read(2) through /proc/PID/syscall")
def test_a_worker_killed_holding_the_task_pipe_breaks_the_pool_instead_of_hanging_it(tmp_path):
    # Idle workers wait for the task pipe: one inside read(2), holding the readers' lock, the
    # others for the lock. Stopped, the reader lets a large task fill the pipe, which the parent
    # waits to write; killed, it never releases the lock, so the pipe never drains: the parent
    # must see the worker's exit while it waits, not wait for the pipe forever.
    executor = ProcessPoolExecutor(max_workers=2, mp_context="spawn")
    try:
        futures = [executor.submit(helpers.announce_and_wait, str(tmp_path), name)
                   for name in ("a", "b")]
        pids = [_wait_for_pid(tmp_path, name) for name in ("a", "b")]
        (tmp_path / "go").touch()
        [f.result(TIMEOUT) for f in futures]
        deadline = time.monotonic() + TIMEOUT
        while (reader := _the_reader(pids)) is None:
            assert time.monotonic() < deadline, [_syscall(pid) for pid in pids]
            time.sleep(0.01)
        os.kill(reader, signal.SIGSTOP)
        future = executor.submit(helpers.echo, b"\x00" * (8 << 20))
        time.sleep(0.2)  # the parent fills the pipe and waits
        os.kill(reader, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool, match=rf"\(pid {reader}\) was killed by SIGKILL"):
            future.result(TIMEOUT)
    finally:
        executor.shutdown()
    assert _no_children_left()


def test_a_worker_that_exits_in_a_task_breaks_the_pool():
    with ProcessPoolExecutor(max_workers=2, mp_context="spawn") as executor:
        assert executor.submit(helpers.echo, 1).result(TIMEOUT) == 1
        future = executor.submit(helpers.exit_abruptly, 7)
        with pytest.raises(BrokenProcessPool, match=r"exited with code 7"):
            future.result(TIMEOUT)
    assert _no_children_left()


def test_a_failing_initializer_breaks_the_pool():
    with ProcessPoolExecutor(max_workers=2, mp_context="spawn",
                             initializer=helpers.fail_initializer) as executor:
        future = executor.submit(helpers.echo, 1)
        with pytest.raises(BrokenProcessPool) as info:
            future.result(TIMEOUT)
    assert str(info.value) == (
        "the initializer workers_helpers.fail_initializer raised RuntimeError: the initializer "
        "says no in a worker; the pool cannot be used")
    assert "in fail_initializer" in str(info.value.__cause__)
    assert _no_children_left()


def test_the_initializer_runs_in_each_worker_with_its_initargs(tmp_path):
    value = (1, 2**80, "\udfff")
    with ProcessPoolExecutor(max_workers=2, mp_context="spawn", initializer=helpers.set_state,
                             initargs=("key", value)) as executor:
        futures = [executor.submit(helpers.announce_and_wait, str(tmp_path), name)
                   for name in ("a", "b")]
        _wait_for_pid(tmp_path, "a"), _wait_for_pid(tmp_path, "b")  # both workers are busy
        (tmp_path / "go").touch()
        assert len({f.result(TIMEOUT) for f in futures}) == 2
        assert list(executor.map(helpers.get_state, ["key"] * 6)) == [value] * 6


def test_the_initializer_and_initargs_are_checked_by_the_constructor():
    with pytest.raises(TypeError, match="lambda"):
        ProcessPoolExecutor(1, initializer=lambda: None)
    with pytest.raises(TypeError, match=r"cannot send initargs\[1\]\[0\] to the workers: "
                                        r"'list' is not a frozenpack value"):
        ProcessPoolExecutor(1, initializer=helpers.set_state, initargs=("k", ([],)))


# --- shutdown ------------------------------------------------------------------------------------


def test_no_new_work_after_shutdown():
    executor = ProcessPoolExecutor(max_workers=1, mp_context="spawn")
    executor.shutdown()
    with pytest.raises(RuntimeError, match="cannot schedule new futures after shutdown"):
        executor.submit(helpers.echo, 1)
    with pytest.raises(RuntimeError, match="cannot schedule new futures after shutdown"):
        executor.map(helpers.echo, [1])


def test_shutdown_waits_for_the_tasks_submitted():
    executor = ProcessPoolExecutor(max_workers=1, mp_context="spawn")
    futures = [executor.submit(helpers.sleep, 0.2), executor.submit(helpers.echo, "after")]
    executor.shutdown(wait=True)
    assert [f.result(0) for f in futures] == [0.2, "after"]
    assert _no_children_left()


def test_shutdown_with_cancel_futures_cancels_what_has_not_started(tmp_path):
    executor = ProcessPoolExecutor(max_workers=1, mp_context="spawn")
    first = executor.submit(helpers.announce_and_wait, str(tmp_path), "a")
    later = [executor.submit(helpers.echo, i) for i in range(6)]
    _wait_for_pid(tmp_path, "a")
    executor.shutdown(wait=False, cancel_futures=True)
    (tmp_path / "go").touch()
    assert first.result(TIMEOUT) > 0
    # At most one small task was queued ahead for the busy worker: it runs; the rest are
    # cancelled.
    cancelled = [f for f in later if f.cancelled()]
    assert len(cancelled) >= 5
    for i, future in enumerate(later):
        if future not in cancelled:
            assert future.result(TIMEOUT) == i
        else:
            with pytest.raises(CancelledError):
                future.result(0)
    executor.shutdown(wait=True)
    assert _no_children_left()


def test_shutdown_without_waiting_returns_at_once_and_the_work_still_completes(tmp_path):
    executor = ProcessPoolExecutor(max_workers=1, mp_context="spawn")
    future = executor.submit(helpers.announce_and_wait, str(tmp_path), "a")
    worker = _wait_for_pid(tmp_path, "a")
    executor.shutdown(wait=False)  # returns while the task cannot finish: it waits for "go"
    assert not future.done()
    (tmp_path / "go").touch()
    assert future.result(TIMEOUT) == worker
    helpers.wait_until_gone([worker])
    deadline = time.monotonic() + TIMEOUT
    while not _no_children_left():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_an_executor_never_used_starts_nothing():
    before = threading.active_count()
    with ProcessPoolExecutor(max_workers=3, mp_context="spawn"):
        pass
    assert threading.active_count() == before
    assert _no_children_left()


# --- workers and start methods -------------------------------------------------------------------


def _round_trips(method):
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(method)) as ex:
        worker = ex.submit(helpers.pid).result(TIMEOUT)
        assert worker != os.getpid()
        assert exactly_equal(tuple(ex.map(helpers.echo, VALUES, chunksize=4)), tuple(VALUES))
    return worker


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork"])
def test_every_start_method_works_and_leaves_nothing_behind(method):
    # The first pool of a start method may start what multiprocessing keeps for the rest of the
    # process (the resource tracker, the fork server): counted before, not as a leak.
    _round_trips(method)
    threads, fds = threading.active_count(), helpers.open_fds()
    worker = _round_trips(method)
    assert _no_children_left()
    assert not helpers.pid_exists(worker)
    assert threading.active_count() == threads
    assert helpers.open_fds() == fds


def test_shutdown_stops_every_worker_however_fast_they_exit():
    # Each stop message is read by whichever worker is free: one per worker must be sent, not
    # one per worker still alive when it is sent (a worker that has just read one exits at
    # once, and was then not counted: its sibling waited for a message forever). Forked from a
    # fork server, workers exit fast enough for that to show within a few pools.
    for _ in range(12):
        with ProcessPoolExecutor(max_workers=2, mp_context="forkserver") as executor:
            executor.submit(helpers.echo, 1).result(TIMEOUT)
        assert _no_children_left()


def test_max_workers_processes_run_the_tasks(tmp_path):
    with ProcessPoolExecutor(max_workers=3, mp_context="spawn") as executor:
        futures = [executor.submit(helpers.announce_and_wait, str(tmp_path), name)
                   for name in ("a", "b", "c")]
        pids = {_wait_for_pid(tmp_path, name) for name in ("a", "b", "c")}
        assert len(pids) == 3
        assert {p.pid for p in multiprocessing.active_children()} == pids
        (tmp_path / "go").touch()
        assert {f.result(TIMEOUT) for f in futures} == pids


@pytest.mark.parametrize(("max_workers", "error"), [
    (0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_max_workers_must_be_a_positive_int(max_workers, error):
    with pytest.raises(error, match="max_workers"):
        ProcessPoolExecutor(max_workers=max_workers)


def test_an_unknown_start_method_is_refused():
    with pytest.raises(ValueError, match="cannot find context for 'teleport'"):
        ProcessPoolExecutor(mp_context="teleport")


def test_an_executor_dropped_without_shutdown_stops_its_workers():
    threads = threading.active_count()
    executor = ProcessPoolExecutor(max_workers=2, mp_context="spawn")
    future = executor.submit(helpers.pid)
    worker = future.result(TIMEOUT)
    del executor
    gc.collect()
    helpers.wait_until_gone([worker])
    deadline = time.monotonic() + TIMEOUT
    while threading.active_count() > threads or not _no_children_left():
        assert time.monotonic() < deadline
        time.sleep(0.02)


_ORPHAN_SCRIPT = textwrap.dedent("""
    import multiprocessing
    import sys
    import time

    import workers_helpers as helpers
    from frozenpack.futures import ProcessPoolExecutor

    if __name__ == "__main__":
        executor = ProcessPoolExecutor(max_workers=2, mp_context=sys.argv[1])
        executor.submit(helpers.echo, 1).result()
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        time.sleep(600)  # killed here by the test
""")


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_workers_exit_when_their_parent_is_killed(tmp_path, method):
    script = tmp_path / "orphans.py"
    script.write_text(_ORPHAN_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, str(script), method], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        workers = [int(p) for p in parent.stdout.readline().split()]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait(TIMEOUT)
    helpers.wait_until_gone(workers)
