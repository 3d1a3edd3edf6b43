"""An executor over isolated sub-interpreters, each with its own GIL; calls travel as frozenpack.

CPython 3.13 runs sub-interpreters in parallel inside one process, each with its own GIL, and
moves only a few "shareable" types between them (bytes, str, ints within 64 bits, floats, None,
tuples of these; ints beyond 64 bits are refused, and passing one through `_interpreters.exec`
crashes 3.13.0). `InterpreterPoolExecutor` is a concurrent.futures executor over such
interpreters that moves every call as frozenpack octets instead, so ints of any size, NaN
payloads, -0.0 and lone surrogates arrive exactly:

    >>> from frozenpack.interpreters import InterpreterPoolExecutor
    >>> with InterpreterPoolExecutor(max_workers=4) as executor:           # doctest: +SKIP
    ...     summaries = list(executor.map(mymodule.summarize, chunks))

It has the same interface and errors as frozenpack.futures.ProcessPoolExecutor: the function
travels by name (module and __qualname__) and is imported in each interpreter; arguments and
results are frozenpack values (TypeError in `submit` for one that is not, naming where it sits;
a result that is not fails its future with TypeError); an exception comes back as itself
(pickled) with the interpreter's traceback as __cause__, or as a RemoteError; `map` with
`chunksize` and `timeout`, `shutdown(wait, cancel_futures)`, `initializer`/`initargs`, context
manager. If an interpreter cannot be set up, or the initializer fails, the pool is broken
(BrokenInterpreterPool, as CPython 3.14's InterpreterPoolExecutor calls it).

What differs from processes:
- Every interpreter imports the modules it uses anew, from this process's sys.path: module
  globals are not shared, and a function defined in __main__ cannot be found there (each
  interpreter has its own __main__), so it is refused by `submit`. Extension modules that do not
  support isolated interpreters (single-phase initialization, or shared global state) fail to
  import there, and the future fails with that ImportError.
- The interpreters share the process: a crash or os._exit ends everything, and a task cannot be
  stopped. Use processes for work that may crash.
- Each worker is a thread of this interpreter that runs its interpreter's code: it gives up this
  interpreter's GIL while it does, so the interpreters run in parallel with each other and with
  this one.

How it works, with the primitives CPython 3.13 and 3.14 both have (the `_interpreters` module's
create, exec with shared values, destroy; the public `concurrent.interpreters` of 3.14 is built on
them): the task's octets are shared with the interpreter as a memoryview, read there in place,
and the reply is written by the interpreter into a buffer of this interpreter, also shared as a
memoryview (CPython shares the memory of a memoryview, not a copy), from which it is decoded in
place. No queue module is used (`_interpqueues` changed its signatures between 3.13 and 3.14).

On a CPython without `_interpreters` (3.12 and older), the module imports, AVAILABLE is False and
creating an executor raises RuntimeError saying why.
"""

import queue
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.thread import BrokenThreadPool
from typing import TYPE_CHECKING, ParamSpec, TypeVar, TypeVarTuple, Unpack, overload

from ._calls import (
    Outcome,
    RemoteError,
    RemoteTraceback,
    decode_reply,
    encode_call,
    function_name,
)
from ._executors import (
    Pool,
    PoolExecutor,
    WorkItem,
    check_initargs,
    check_max_workers,
)

__all__ = ["AVAILABLE", "BrokenInterpreterPool", "InterpreterPoolExecutor", "RemoteError",
           "RemoteTraceback"]

_P = ParamSpec("_P")
_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")

#: Why InterpreterPoolExecutor cannot be used here, or None.
_UNAVAILABLE: str | None = None
if TYPE_CHECKING:
    # What the code below uses whenever it runs: type checkers know _interpreters from 3.13 on,
    # and codec-py/tests/test_typing.py checks this module with --python-version 3.13.
    import _interpreters
else:
    try:
        import _interpreters
    except ImportError:
        _interpreters = None
    if sys.version_info < (3, 13) or _interpreters is None:
        _UNAVAILABLE = (
            f"frozenpack.interpreters needs CPython 3.13 or later, whose _interpreters module "
            f"runs isolated sub-interpreters with their own GIL; this is "
            f"{sys.implementation.name} {sys.version.split()[0]}")

#: True where InterpreterPoolExecutor can be used (CPython 3.13+).
AVAILABLE = _UNAVAILABLE is None

# The reply buffer each worker shares with its interpreter. A reply that does not fit is written
# into a larger buffer (one more exec), which replaces it up to _REPLY_BUFFER_MAX octets; a reply
# beyond that gets a buffer of its own, dropped once decoded.
_REPLY_BUFFER = 1 << 20
_REPLY_BUFFER_MAX = 64 << 20
_HEADER = 8  # the reply's length, little-endian, before the reply

_INIT_TASK_ID = -1

# Run in each new interpreter: this process's sys.path, frozenpack's runner, and the functions
# that run a task and hand its reply over.
_BOOTSTRAP = """
import sys
sys.path[:] = _fp_path.split("\\0")
del _fp_path
from frozenpack._calls import Runner as _FpRunner

_fp_runner = _FpRunner()
_fp_out = memoryview(_fp_view).cast("B")
_fp_pending = None
_fp_task = _fp_view = None


def _fp_run():
    global _fp_task, _fp_pending
    task, _fp_task = _fp_task, None
    reply = _fp_runner.run(task)
    del task
    length = len(reply)
    if _HEADER + length <= len(_fp_out):
        _fp_out[_HEADER:_HEADER + length] = reply
    else:
        _fp_pending = reply
    _fp_out[:_HEADER] = length.to_bytes(_HEADER, "little")


def _fp_take(keep):
    global _fp_pending, _fp_view, _fp_out
    view = memoryview(_fp_view).cast("B")
    view[_HEADER:_HEADER + len(_fp_pending)] = _fp_pending
    _fp_pending = _fp_view = None
    if keep:
        _fp_out = view
    else:
        view.release()
""".replace("_HEADER", str(_HEADER))

class BrokenInterpreterPool(BrokenThreadPool):
    """An interpreter could not be set up, or the initializer failed in one: the pool is broken."""


def _describe_failure(failure: types.SimpleNamespace) -> str:
    """The text of an exception raised in an interpreter, from what _interpreters.exec returns."""
    text: str = (getattr(failure, "errdisplay", None) or getattr(failure, "formatted", None)
                 or str(failure))
    return text


class _Pool(Pool):
    """The worker threads, each with its interpreter, and the queue of work."""

    broken_error = BrokenInterpreterPool

    def __init__(
        self, max_workers: int, initializer: tuple[str, str] | None, initargs: bytes | None
    ) -> None:
        super().__init__()
        self.max_workers = max_workers
        self.initializer = initializer
        self.initargs = initargs  # the initializer's call, encoded
        self.queue: queue.SimpleQueue[WorkItem | None] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []

    def submit(self, item: WorkItem, task_id: int) -> None:
        with self.lock:
            self.check_open()
            if not self.threads:
                for index in range(self.max_workers):
                    thread = threading.Thread(target=self._work, name=f"frozenpack-interp-{index}")
                    self.threads.append(thread)
                    thread.start()
                self.mark_live()
            self.queue.put(item)

    def shutdown(self, cancel_futures: bool = False) -> None:
        with self.lock:
            if cancel_futures:
                waiting, stops = self._take_waiting()
                for item in waiting:
                    item.future.cancel()
                # The workers' stop marks taken with the items go back: after an earlier
                # shutdown, they are what ends the workers (without them, join hung).
                for _ in range(stops):
                    self.queue.put(None)
            if not self.shutting_down:
                self.shutting_down = True
                for _ in self.threads:
                    self.queue.put(None)  # one per worker: each ends at the first it takes

    def join(self) -> None:
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join()
        self.mark_gone()

    def _take_waiting(self) -> tuple[list[WorkItem], int]:
        """Take everything waiting in the queue off it: the work items, and how many of the
        workers' stop marks were among them (for the caller to put back or replace)."""
        items: list[WorkItem] = []
        stops = 0
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                return items, stops
            if item is None:
                stops += 1
            else:
                items.append(item)

    def _break(self, reason: str, cause: BaseException | None = None) -> None:
        with self.lock:
            if self.broken is None:
                self.broken = reason
            self.shutting_down = True
        waiting, _ = self._take_waiting()  # the stop marks are put anew just below
        for item in waiting:  # fail what waits: no interpreter may take it now
            error = BrokenInterpreterPool(reason)
            error.__cause__ = cause
            item.fail_unless_cancelled(error)
        for _ in self.threads:
            self.queue.put(None)

    # -- a worker thread --

    def _work(self) -> None:
        try:
            interp = _interpreters.create(_interpreters.new_config("isolated"))
        except BaseException as exc:  # noqa: BLE001 - no future may wait for this worker
            self._break(f"an interpreter could not be created: {exc!r}")
            return
        try:
            self._serve(interp)
        except BaseException as exc:  # noqa: BLE001 - as above
            self._break(f"an interpreter's worker thread failed: {exc!r}")
        finally:
            _interpreters.destroy(interp)

    def _serve(self, interp: int) -> None:
        channel = _Channel(interp)
        failure = channel.start()
        if failure is not None:
            self._break("an interpreter could not be set up: "
                        f"{getattr(failure, 'formatted', failure)}",
                        RemoteTraceback(_describe_failure(failure)))
            return
        if self.initializer is not None:
            module, qualname = self.initializer
            assert self.initargs is not None, "encoded with the initializer"
            _, _, error = channel.call(self.initargs)
            if error is not None:
                self._break(f"the initializer {module}.{qualname} raised "
                            f"{type(error).__name__}: {error} in an interpreter; the pool "
                            f"cannot be used", error.__cause__)
                return
        while True:
            item = self.queue.get()
            if item is None:
                return
            if not item.future.set_running_or_notify_cancel():
                continue
            data, item.data = item.data, None
            assert data is not None, "an item is taken once"
            try:
                _, result, error = channel.call(data)
            except BaseException as exc:  # noqa: BLE001 - the interpreter failed, not the task
                item.future.set_exception(exc)
                continue
            finally:
                del data
            item.settle(result, error)
            del item, result, error


class _Channel:
    """An interpreter, and the buffer of this interpreter into which it writes its replies."""

    def __init__(self, interp: int) -> None:
        self.interp = interp
        self.out = bytearray(_REPLY_BUFFER)

    def start(self) -> types.SimpleNamespace | None:
        """Set the interpreter up; None, or what _interpreters.exec says went wrong."""
        # sys.path is list[str] to typeshed, but anything may be put in it (a pathlib.Path).
        path = "\0".join(
            entry for entry in sys.path
            if isinstance(entry, str))  # pyright: ignore[reportUnnecessaryIsInstance]
        # A memoryview can be shared with an interpreter once _interpreters is imported there
        # (the import registers the type that stands for it on that side).
        failure = _interpreters.exec(self.interp, "import _interpreters")
        if failure is None:
            failure = _interpreters.exec(self.interp, _BOOTSTRAP,
                                         {"_fp_path": path, "_fp_view": memoryview(self.out)})
        return failure

    def call(self, data: bytes) -> Outcome:
        """Run one task in the interpreter; (task_id, ok, result or exception)."""
        # The task is read there in place, through a view of `data`.
        failure = _interpreters.exec(self.interp, "_fp_run()", {"_fp_task": memoryview(data)})
        if failure is not None:  # the runner catches everything a task raises: not a task's
            error = RuntimeError(f"the interpreter failed to run a task: "
                                 f"{getattr(failure, 'formatted', failure)}")
            error.__cause__ = RemoteTraceback(_describe_failure(failure))
            raise error
        length = int.from_bytes(self.out[:_HEADER], "little")
        end = _HEADER + length
        out = self.out
        if end > len(out):  # written aside there: hand it over into a buffer large enough
            keep = end <= _REPLY_BUFFER_MAX
            out = bytearray(min(max(end, 2 * len(out)), _REPLY_BUFFER_MAX) if keep else end)
            failure = _interpreters.exec(self.interp, f"_fp_take({keep})",
                                         {"_fp_view": memoryview(out)})
            if failure is not None:
                raise RuntimeError(f"the interpreter failed to hand a reply over: "
                                   f"{getattr(failure, 'formatted', failure)}")
            if keep:
                self.out = out
        with memoryview(out) as view, view[_HEADER:end] as reply:
            return decode_reply(reply)


class InterpreterPoolExecutor(PoolExecutor):
    """An Executor over isolated sub-interpreters with their own GIL; calls travel as frozenpack.

    `max_workers`: how many interpreters, each run by a thread (default: the CPUs this process
    may use). `initializer`, `initargs`: initializer(*initargs) in each interpreter as it starts
    (a function by name, frozenpack values); if it raises, the pool is broken.
    RuntimeError where sub-interpreters are not available (before CPython 3.13).
    """

    # As frozenpack.futures.ProcessPoolExecutor's: initargs are the arguments initializer takes.
    @overload
    def __init__(
        self,
        max_workers: int | None = None,
        initializer: Callable[[], object] | None = None,
        initargs: tuple[()] = (),
    ) -> None: ...
    @overload
    def __init__(
        self,
        max_workers: int | None = None,
        *,
        initializer: Callable[[Unpack[_Ts]], object],
        initargs: tuple[Unpack[_Ts]],
    ) -> None: ...
    @overload
    def __init__(
        self,
        max_workers: int | None,
        initializer: Callable[[Unpack[_Ts]], object],
        initargs: tuple[Unpack[_Ts]],
    ) -> None: ...
    def __init__(
        self,
        max_workers: int | None = None,
        initializer: Callable[..., object] | None = None,
        initargs: Iterable[object] = (),
    ) -> None:
        if _UNAVAILABLE is not None:
            raise RuntimeError(_UNAVAILABLE)
        max_workers = check_max_workers(max_workers)
        name = init_task = None
        if initializer is not None:
            name = self._function_name(initializer)
            args = tuple(initargs)
            check_initargs(args, "the interpreters")
            init_task = encode_call(_INIT_TASK_ID, *name, args, {})
        self._max_workers = max_workers
        super().__init__(_Pool(max_workers, name, init_task))

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Schedule fn(*args, **kwargs) in an interpreter; return its Future.

        TypeError, and nothing sent, if `fn` cannot be found by name in another interpreter or
        an argument is not a frozenpack value. RuntimeError after shutdown.
        """
        return self._submit_call(fn, args, kwargs)

    def map(self, fn: Callable[..., _T], *iterables: Iterable[object],
            timeout: float | None = None, chunksize: int = 1) -> Iterator[_T]:
        """As frozenpack.futures.ProcessPoolExecutor.map: chunks of `chunksize` items each."""
        return self._map_calls(fn, iterables, timeout, chunksize)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """No more submits; with `cancel_futures`, cancel what has not started; with `wait`,
        return once every started task is done and the interpreters are destroyed."""
        self._shut_down(wait, cancel_futures)

    def _function_name(self, fn: Callable[..., object]) -> tuple[str, str]:
        module, qualname = function_name(fn, where="another interpreter")
        if module == "__main__":
            raise TypeError(
                f"__main__.{qualname} cannot run in a sub-interpreter, whose __main__ is its "
                f"own: define it in a module that can be imported")
        return module, qualname
