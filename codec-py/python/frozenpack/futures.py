"""A concurrent.futures executor whose calls travel as frozenpack, not as pickles.

`ProcessPoolExecutor` is a drop-in for `concurrent.futures.ProcessPoolExecutor` when the
arguments and results are frozenpack values (None, bool, int, float, str, bytes and tuples of
these, nested to any depth):

    >>> from frozenpack.futures import ProcessPoolExecutor
    >>> with ProcessPoolExecutor(max_workers=4) as executor:       # doctest: +SKIP
    ...     total = sum(executor.map(math.factorial, range(1000), chunksize=50))

What changes, compared with the standard library's:

- The function is sent by name (its module and __qualname__) and looked up in the worker, so
  it must be defined at the top level of a module; a lambda, a closure, a bound method of an
  instance or a functools.partial is refused by `submit` with a TypeError saying why.
- Arguments and results are frozenpack encodings: faster to write and read than pickles for
  rows of scalars, exact for every value (float bits, NaN payloads, ints of any size, lone
  surrogates), and a worker never unpickles anything it is sent. An argument frozenpack cannot
  carry raises TypeError in `submit` (nothing is sent: "cannot send args[1][0] to m.f:
  unsupported type 'list'"); a result it cannot carry fails that future with TypeError (the
  worker lives on). Subclasses of int, str, tuple... arrive as their base type, as with
  frozenpack.dumps: a namedtuple arrives as a tuple.
- An exception raised by the function comes back as itself (pickled, since exceptions are not
  values; the worker is this process's child, which is trusted), with the worker's traceback
  as its __cause__ (a RemoteTraceback); one that cannot be pickled or unpickled comes back as
  a RemoteError naming its class and message.

The rest is the standard library's behaviour: `submit`, `map(fn, *iterables, timeout=None,
chunksize=1)`, `shutdown(wait=True, *, cancel_futures=False)`, the context manager, an
`initializer` (by name too) with `initargs` (frozenpack values), `mp_context` (a
multiprocessing context, or the name of a start method: "spawn", "forkserver", "fork"; the
default context when None). A worker that dies (killed, os._exit, a crash) fails every pending
future with concurrent.futures.process.BrokenProcessPool and the executor is broken from then
on, as the standard library's is. Workers are started at the first submit, all `max_workers`
of them; each takes the next task when it is free (one task beyond the workers is queued in
advance when its message is small, so workers do not wait for the round trip). Workers exit
when their parent dies. POSIX only (the pipes are read and written with os.readv/os.writev).
"""

import collections
import os
import selectors
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, ParamSpec, TypeVar, TypeVarTuple, Unpack, cast, overload

from . import Value, dumps, loads
from ._calls import (
    NO_DEPTH_LIMIT,
    RemoteError,
    RemoteTraceback,
    Runner,
    decode_reply,
    function_name,
    pack_exception,
)
from ._executors import (
    Pool,
    PoolExecutor,
    WorkItem,
    check_initargs,
    check_max_workers,
)
from ._pipes import LENGTH, read_message, write_message, write_without_blocking

if TYPE_CHECKING:
    # Imported by the context's Lock() when the pool starts, not when this module is.
    from multiprocessing.synchronize import Lock

__all__ = ["BrokenProcessPool", "ProcessPoolExecutor", "RemoteError", "RemoteTraceback"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")


# A task message no longer than this is queued for a worker that is still busy: with its frame's
# header it fits in a pipe's buffer however small the kernel made it (one page), so writing it
# does not wait for a reader.
_PREFETCH_MAX = 4096 - 8
_STOP = b"\xb0"  # frozenpack's empty tuple: the message that tells a worker to exit
_INIT_FAILED = -1  # the task_id of the reply a worker sends when its initializer failed

# --- the worker process --------------------------------------------------------------------------


def _worker_main(
    tasks: Connection,
    tasks_lock: "Lock",
    results: Connection,
    initializer: tuple[str, str] | None,
    initargs: bytes,
    inherited: Connection | None,
) -> None:
    """A worker: run each task read from `tasks` (shared by all workers) and write the reply.

    `tasks` and `results` are Connections used for their pipes' descriptors (they carry the
    descriptors to a spawned process). Exits when it reads the stop message, or at the end of
    `tasks` (the parent has gone). `inherited` is the parent's end of `tasks` when this process
    was forked, closed at once so that the parent's death shows here as the end of `tasks`.
    """
    if inherited is not None:
        inherited.close()
    tasks_fd, results_fd = tasks.fileno(), results.fileno()
    if initializer is not None:
        try:
            module, qualname = initializer
            args = cast("tuple[Value, ...]", loads(initargs, max_depth=NO_DEPTH_LIMIT))
            Runner().function(module, qualname)(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which breaks
            write_message(results_fd, dumps((_INIT_FAILED, False, *pack_exception(exc))))
            return
    runner = Runner()
    while True:
        try:
            with tasks_lock:
                data = read_message(tasks_fd)
        except (EOFError, OSError):
            return
        if data == _STOP:  # pyright: ignore[reportUnnecessaryComparison]  # bytearray == bytes
            return
        reply = runner.run(data)
        del data
        try:
            write_message(results_fd, reply)
        except OSError:  # the parent has gone
            return


# --- the parent's side ---------------------------------------------------------------------------


class _Worker:
    __slots__ = ("process", "results")

    def __init__(self, process: BaseProcess, results: Connection) -> None:
        self.process = process
        self.results = results  # the parent's (reading) end of this worker's result pipe


class _WorkerExited(Exception):
    """A worker's sentinel fired while the parent waited to write to the task pipe."""


def _describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "was still running"
    if exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with code {exitcode}"


class _Pool(Pool):
    """The workers, the pipes, the queue of work and the thread that moves it."""

    broken_error = BrokenProcessPool

    def __init__(
        self,
        ctx: BaseContext,
        max_workers: int,
        initializer: tuple[str, str] | None,
        initargs: bytes,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.max_workers = max_workers
        self.initializer = initializer
        self.initargs = initargs
        # (task_id, WorkItem) not yet sent
        self.pending: collections.deque[tuple[int, WorkItem]] = collections.deque()
        self.running: dict[int, WorkItem] = {}  # task_id -> WorkItem, sent, not yet answered
        self.workers: list[_Worker] = []
        self.manager: threading.Thread | None = None
        self._wakeup_reader: int | None = None
        self._wakeup_writer: int | None = None
        self._tasks_writer: Connection | None = None
        self._tasks_lock: Lock | None = None

    # -- called from the executor's threads --

    def submit(self, item: WorkItem, task_id: int) -> None:
        with self.lock:
            self.check_open()
            if self.manager is None:
                self._start()
            self.pending.append((task_id, item))
        self.wake()

    def shutdown(self, cancel_futures: bool = False) -> None:
        with self.lock:
            self.shutting_down = True
            if cancel_futures:
                while self.pending:
                    _, item = self.pending.popleft()
                    item.future.cancel()
        self.wake()

    def join(self) -> None:
        manager = self.manager
        if manager is not None and manager is not threading.current_thread():
            manager.join()

    def wake(self) -> None:
        writer = self._wakeup_writer
        if writer is not None:
            try:
                os.write(writer, b"\0")
            except (BlockingIOError, OSError):  # already woken, or closed as the pool ends
                pass

    # -- starting --

    def _start(self) -> None:
        """Start the workers and the manager thread (at the first submit, under self.lock)."""
        try:
            self._start_workers()
        except BaseException as exc:
            self.broken = f"the worker processes could not be started: {exc!r}"
            self._stop_workers(terminate=True)
            self._close_pipes()
            raise
        self._wakeup_reader, self._wakeup_writer = os.pipe()
        os.set_blocking(self._wakeup_writer, False)
        self.manager = threading.Thread(target=self._manage, name="frozenpack-pool-manager",
                                        daemon=True)
        self.manager.start()
        self.mark_live()

    def _start_workers(self) -> None:
        ctx = self.ctx
        # Every context has Process (typeshed declares it on each concrete one, not on
        # BaseContext).
        process_type = cast("type[BaseProcess]", ctx.Process)  # type: ignore[attr-defined]
        tasks_reader, self._tasks_writer = ctx.Pipe(duplex=False)
        # Kept for the pool's lifetime: a spawned worker opens the semaphore by its name after
        # start() has returned, and it is unlinked when the last Lock object here is gone.
        self._tasks_lock = ctx.Lock()
        forked = ctx.get_start_method() == "fork"
        try:
            for _ in range(self.max_workers):
                results_reader, results_writer = ctx.Pipe(duplex=False)
                process = process_type(
                    target=_worker_main,
                    args=(tasks_reader, self._tasks_lock, results_writer, self.initializer,
                          self.initargs, self._tasks_writer if forked else None),
                    name=f"frozenpack-worker-{len(self.workers)}")
                try:
                    process.start()
                finally:
                    # Only the worker holds its end now, and a worker forked later does not
                    # inherit it: the end of this pipe is the end of this worker.
                    results_writer.close()
                self.workers.append(_Worker(process, results_reader))
        finally:
            # Every worker has its own copy of the reading end (start() has returned): once
            # they are all gone, writing to the pipe fails at once instead of filling it.
            tasks_reader.close()
        os.set_blocking(self._tasks_writer.fileno(), False)

    # -- the manager thread --

    def _manage(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # noqa: BLE001 - whatever it is, no future may hang
            self._break(f"the pool's manager thread failed: {exc!r}")
        finally:
            self._close_pipes()

    def _run(self) -> None:
        wakeup_reader = self._wakeup_reader
        assert wakeup_reader is not None, "set by _start before this thread starts"
        sent = completed = 0  # tasks written to the task pipe, replies read
        while True:
            # Send what can be sent: to a worker that is free, or one small message ahead.
            while True:
                with self.lock:
                    if not self.pending or self.broken is not None:
                        break
                    outstanding = sent - completed
                    task_id, item = self.pending[0]
                    assert item.data is not None, "a pending item holds its octets"
                    if outstanding >= self.max_workers and (
                            outstanding > self.max_workers or len(item.data) > _PREFETCH_MAX):
                        break
                    self.pending.popleft()
                    if not item.future.set_running_or_notify_cancel():
                        continue  # cancelled while it waited
                    self.running[task_id] = item
                    data, item.data = item.data, None
                try:
                    self._send(data)
                except (_WorkerExited, OSError):  # a worker has gone: its sentinel says how
                    break
                sent += 1
                del data
            with self.lock:
                if self.broken is not None:
                    return
                finished = self.shutting_down and not self.pending and not self.running
            if finished:
                self._stop_workers(terminate=False)
                return
            readers = [worker.results for worker in self.workers]
            sentinels: dict[Connection | int, _Worker] = {
                worker.process.sentinel: worker for worker in self.workers}
            # Some of the objects it was given: these Connections and ints.
            ready = cast("list[Connection | int]", wait([wakeup_reader, *readers, *sentinels]))
            if wakeup_reader in ready:
                os.read(wakeup_reader, 4096)
            for worker in self.workers:
                if worker.results in ready:
                    if not self._receive(worker):
                        ready.append(worker.process.sentinel)
                        continue
                    completed += 1
            for sentinel in ready:
                dead = sentinels.get(sentinel)
                if dead is not None:
                    # Replies it wrote before it died still count.
                    while dead.results.poll() and self._receive(dead):
                        completed += 1
                    dead.process.join(1)
                    self._break(f"a worker process (pid {dead.process.pid}) "
                                f"{_describe_exit(dead.process.exitcode)} while the pool was "
                                f"in use; the pool cannot be used any more")
                    return

    def _send(self, data: bytes) -> None:
        """Write a task to the task pipe without blocking: while the pipe is full, wait for it
        to drain or for a worker to exit (_WorkerExited: a worker that died reading it may hold
        the readers' lock, so the pipe may never drain)."""
        assert self._tasks_writer is not None, "set by _start_workers before anything is sent"
        fd = self._tasks_writer.fileno()
        parts = write_without_blocking(fd, [memoryview(LENGTH.pack(len(data))),
                                             memoryview(data)])
        if not parts:
            return
        with selectors.DefaultSelector() as selector:  # only when the pipe is full
            selector.register(fd, selectors.EVENT_WRITE)
            for worker in self.workers:
                selector.register(worker.process.sentinel, selectors.EVENT_READ)
            while parts:
                for key, _ in selector.select():
                    if key.fd != fd:
                        raise _WorkerExited
                parts = write_without_blocking(fd, parts)

    def _receive(self, worker: _Worker) -> bool:
        """Read one reply from `worker` and settle its future; False at the end of the pipe."""
        try:
            data = read_message(worker.results.fileno())
        except (EOFError, OSError):
            return False
        task_id, result, error = decode_reply(data)
        del data
        if task_id == _INIT_FAILED:
            # The reply of a worker whose initializer (so there is one) raised.
            assert self.initializer is not None and error is not None
            module, qualname = self.initializer
            cause = error.__cause__
            self._break(f"the initializer {module}.{qualname} raised "
                        f"{type(error).__name__}: {error} in a worker; the pool cannot "
                        f"be used", cause=cause)
            return True
        with self.lock:
            item = self.running.pop(task_id)
        item.settle(result, error)
        return True

    def _break(self, reason: str, cause: BaseException | None = None) -> None:
        """Fail every future not settled yet, stop the workers; submit raises from now on."""
        with self.lock:
            if self.broken is not None:
                return
            self.broken = reason
            items = list(self.running.values()) + [item for _, item in self.pending]
            self.running.clear()
            self.pending.clear()
        for item in items:
            error = BrokenProcessPool(reason)
            if cause is not None:
                error.__cause__ = cause
            item.fail_unless_cancelled(error)
        self._stop_workers(terminate=True)

    def _stop_workers(self, terminate: bool) -> None:
        if not terminate:
            # One stop message per worker, whichever reads it (a few octets each: they all fit
            # in the pipe at once).
            for _ in self.workers:
                try:
                    self._send(_STOP)
                except (_WorkerExited, OSError):  # no worker is left to read it
                    break
            for worker in self.workers:
                worker.process.join()
        else:
            for worker in self.workers:
                if worker.process.exitcode is None:
                    worker.process.terminate()
            deadline = time.monotonic() + 5
            for worker in self.workers:
                worker.process.join(max(deadline - time.monotonic(), 0))
                if worker.process.exitcode is None:  # ignored SIGTERM
                    worker.process.kill()
                    worker.process.join()
        for worker in self.workers:
            worker.process.close()

    def _close_pipes(self) -> None:
        for worker in self.workers:
            worker.results.close()
        if self._tasks_writer is not None:
            self._tasks_writer.close()
        for fd in (self._wakeup_reader, self._wakeup_writer):
            if fd is not None:
                os.close(fd)
        self._wakeup_reader = self._wakeup_writer = None
        self.mark_gone()


class ProcessPoolExecutor(PoolExecutor):
    """An Executor over worker processes; calls, arguments and results travel as frozenpack.

    `max_workers`: how many processes (default: the CPUs this process may use).
    `mp_context`: a multiprocessing context or a start method's name; None for the default.
    `initializer`, `initargs`: called as initializer(*initargs) in each worker as it starts
    (a function by name, frozenpack values); if it raises, the pool is broken.
    """

    # As the standard library's: initargs are the arguments initializer takes.
    @overload
    def __init__(
        self,
        max_workers: int | None = None,
        mp_context: BaseContext | str | None = None,
        initializer: Callable[[], object] | None = None,
        initargs: tuple[()] = (),
    ) -> None: ...
    @overload
    def __init__(
        self,
        max_workers: int | None = None,
        mp_context: BaseContext | str | None = None,
        *,
        initializer: Callable[[Unpack[_Ts]], object],
        initargs: tuple[Unpack[_Ts]],
    ) -> None: ...
    @overload
    def __init__(
        self,
        max_workers: int | None,
        mp_context: BaseContext | str | None,
        initializer: Callable[[Unpack[_Ts]], object],
        initargs: tuple[Unpack[_Ts]],
    ) -> None: ...
    def __init__(
        self,
        max_workers: int | None = None,
        mp_context: BaseContext | str | None = None,
        initializer: Callable[..., object] | None = None,
        initargs: Iterable[object] = (),
    ) -> None:
        max_workers = check_max_workers(max_workers)
        if mp_context is None:
            mp_context = get_context()
        elif isinstance(mp_context, str):
            mp_context = get_context(mp_context)
        name = None
        if initializer is not None:
            name = function_name(initializer, where="the worker processes")
        encoded_initargs = check_initargs(tuple(initargs), "the workers")
        self._max_workers = max_workers
        self._mp_context = mp_context
        super().__init__(_Pool(mp_context, max_workers, name, encoded_initargs))

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Schedule fn(*args, **kwargs) in a worker; return its Future.

        TypeError, and nothing sent, if `fn` cannot be sent by name or an argument is not a
        frozenpack value. RuntimeError after shutdown; BrokenProcessPool once a worker died.
        """
        return self._submit_call(fn, args, kwargs)

    def map(self, fn: Callable[..., _T], *iterables: Iterable[object],
            timeout: float | None = None, chunksize: int = 1) -> Iterator[_T]:
        """Like concurrent.futures.ProcessPoolExecutor.map: fn over the zipped iterables.

        All items are read and submitted at once, in chunks of `chunksize` items (a chunk is
        one message each way, and fails as a whole if fn raises on one of its items); the
        results are yielded in order. TimeoutError if a result is not ready `timeout` seconds
        after the call; leaving the iteration early cancels the chunks not yet started.
        """
        return self._map_calls(fn, iterables, timeout, chunksize)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """No more submits; with `cancel_futures`, cancel what has not started; with `wait`,
        return once every started task is done and the workers have exited."""
        self._shut_down(wait, cancel_futures)
