"""The parent's side that frozenpack.futures and frozenpack.interpreters share.

Each of them has its own pool of workers (processes fed through pipes; threads each running an
interpreter); the executor over a pool, what a pool keeps and checks before it takes work, the
checks of an executor's arguments, and the shutdown of every pool at interpreter exit are the
same for both, and are here. (What crosses to a worker, and runs there, is _calls'.)
"""

import abc
import concurrent.futures
import itertools
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import ClassVar, TypeVar, cast

from . import Value
from ._calls import (
    VALUE_TYPES,
    default_max_workers,
    dumps_any,
    encode_call,
    encode_chunk,
    function_name,
    map_results,
    unsupported_at,
)

__all__ = [
    "Pool",
    "PoolExecutor",
    "WorkItem",
    "check_initargs",
    "check_max_workers",
]

_T = TypeVar("_T")


class WorkItem:
    """A task submitted to a pool: its future, and its octets until a worker takes them."""

    __slots__ = ("future", "data")

    def __init__(self, future: Future[Value], data: bytes | None) -> None:
        self.future = future
        self.data = data  # the task's octets, until they are sent

    def settle(self, result: Value, error: BaseException | None) -> None:
        """Settle the future with the task's outcome: its result, or the exception it raised."""
        if error is None:
            self.future.set_result(result)
        else:
            self.future.set_exception(error)

    def fail_unless_cancelled(self, error: BaseException) -> None:
        """Fail the future with `error` (the pool broke) unless it was cancelled meanwhile."""
        try:
            self.future.set_exception(error)
        except concurrent.futures.InvalidStateError:  # cancelled while it waited
            pass


class Pool(abc.ABC):
    """The workers of an executor and the work that waits for them (futures' or interpreters').

    Kept apart from the executor so that what runs the pool (its threads) does not keep the
    executor alive: when the executor is collected without shutdown(), the pool shuts itself
    down once the submitted work is done, as the standard library's does.
    """

    #: What submit raises once the pool is broken: BrokenProcessPool, BrokenInterpreterPool.
    broken_error: ClassVar[type[concurrent.futures.BrokenExecutor]]

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.task_ids = itertools.count()
        self.shutting_down = False
        self.broken: str | None = None  # why, once it is

    def check_open(self) -> None:
        """Raise what a submit to this pool raises now, if anything."""
        if self.broken is not None:
            raise self.broken_error(self.broken)
        if self.shutting_down:
            raise RuntimeError("cannot schedule new futures after shutdown")
        if _global_shutdown:
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")

    def mark_live(self) -> None:
        """From when the pool has workers: it is shut down and joined at interpreter exit."""
        with _live_pools_lock:
            _live_pools.add(self)

    def mark_gone(self) -> None:
        """Once the pool's workers have ended."""
        with _live_pools_lock:
            _live_pools.discard(self)

    @abc.abstractmethod
    def submit(self, item: WorkItem, task_id: int) -> None:
        """Queue `item` (task `task_id`) for a worker, starting the workers at the first."""

    @abc.abstractmethod
    def shutdown(self, cancel_futures: bool = False) -> None:
        """No more work; the workers end once what has started is done."""

    @abc.abstractmethod
    def join(self) -> None:
        """Wait until the workers have ended."""


# --- every live pool, shut down at interpreter exit ----------------------------------------------

# Set at interpreter exit: no new work after that (as concurrent.futures.process does).
_global_shutdown = False
_live_pools: "weakref.WeakSet[Pool]" = weakref.WeakSet()
_live_pools_lock = threading.Lock()


def _python_exit() -> None:
    # Registered to run before the interpreter joins non-daemon threads, so that the workers
    # finish what was submitted and end (processes exit, interpreters are destroyed, which they
    # must be before this interpreter is finalized), and the pools' threads end, before anything
    # is torn down (the stdlib executors do the same).
    global _global_shutdown
    _global_shutdown = True
    with _live_pools_lock:
        pools = list(_live_pools)
    for pool in pools:
        pool.shutdown(cancel_futures=False)
    for pool in pools:
        pool.join()


# threading's own hook (private, so not in typeshed), which the stdlib executors use: its
# functions run before the interpreter joins non-daemon threads.
_register_atexit: Callable[[Callable[[], object]], None] | None = getattr(
    threading, "_register_atexit", None)
if _register_atexit is not None:
    _register_atexit(_python_exit)
else:  # pragma: no cover - every CPython this package supports has it
    import atexit

    atexit.register(_python_exit)


def _after_fork_in_child() -> None:
    # A process forked from this one (by the user) owns none of these pools.
    global _live_pools, _live_pools_lock
    _live_pools = weakref.WeakSet()
    _live_pools_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# --- the executor --------------------------------------------------------------------------------


def check_max_workers(max_workers: int | None) -> int:
    """`max_workers` as an executor takes it: a positive int, or None for the CPUs here."""
    if max_workers is None:
        return default_max_workers()
    # Checked at run time too, for callers that no type checker saw.
    if (not isinstance(max_workers, int)  # pyright: ignore[reportUnnecessaryIsInstance]
            or isinstance(max_workers, bool)):
        raise TypeError(f"max_workers must be an int, not {type(max_workers).__name__}")
    if max_workers <= 0:
        raise ValueError("max_workers must be greater than 0")
    return max_workers


def check_initargs(initargs: tuple[object, ...], to: str) -> bytes:
    """The encoding of `initargs`; TypeError naming what is not a value and where, sent `to`."""
    try:
        return dumps_any(initargs)
    except TypeError as error:
        found = unsupported_at(error)
        where = f"initargs{''.join(f'[{i}]' for i in found[1])}" if found else "initargs"
        raise TypeError(f"cannot send {where} to {to}: "
                        f"{found[0] if found else error} is not a frozenpack value "
                        f"({VALUE_TYPES})") from None


class PoolExecutor(concurrent.futures.Executor):
    """The executors' common part: what their submit, map and shutdown do, over a Pool.

    Each executor declares those three methods itself, with its own documentation (and so type
    checkers name it, not this class, in what they report of a call), and calls these.
    """

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        # Collected without shutdown(): the pool finishes what was submitted, then stops.
        self._finalizer = weakref.finalize(self, pool.shutdown)
        self._finalizer.atexit = False

    def _function_name(self, fn: Callable[..., object]) -> tuple[str, str]:
        """(module, qualname) by which a worker finds `fn`; TypeError if it cannot."""
        return function_name(fn)

    def _submit_call(
        self, fn: Callable[..., _T], args: tuple[object, ...], kwargs: dict[str, object]
    ) -> Future[_T]:
        """submit: fn(*args, **kwargs) as one task."""
        pool = self._pool
        pool.check_open()
        module, qualname = self._function_name(fn)
        task_id = next(pool.task_ids)
        # Its result is fn's, as frozenpack carries it (a subclass arrives as its base type).
        return cast("Future[_T]", self._submit(
            task_id, encode_call(task_id, module, qualname, args, kwargs)))

    def _submit(self, task_id: int, data: bytes) -> Future[Value]:
        future: Future[Value] = concurrent.futures.Future()
        self._pool.submit(WorkItem(future, data), task_id)
        return future

    def _map_calls(self, fn: Callable[..., _T], iterables: tuple[Iterable[object], ...],
                   timeout: float | None, chunksize: int) -> Iterator[_T]:
        """map: fn over the zipped iterables, in tasks of `chunksize` calls each."""
        if chunksize < 1:
            raise ValueError("chunksize must be >= 1.")
        self._pool.check_open()
        module, qualname = self._function_name(fn)
        end_time = None if timeout is None else timeout + time.monotonic()
        items = zip(*iterables)
        futures: list[Future[Value]] = []
        try:
            first = 0
            while chunk := tuple(itertools.islice(items, chunksize)):
                task_id = next(self._pool.task_ids)
                data = encode_chunk(task_id, module, qualname, chunk, first)
                futures.append(self._submit(task_id, data))
                first += len(chunk)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        # A chunk's result is the tuple of fn's results, as frozenpack carries them.
        return map_results(cast("list[Future[tuple[_T, ...]]]", futures), end_time)

    def _shut_down(self, wait: bool, cancel_futures: bool) -> None:
        """shutdown."""
        self._pool.shutdown(cancel_futures=cancel_futures)
        if wait:
            self._pool.join()
