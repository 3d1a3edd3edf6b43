"""What the executors share: functions named instead of pickled, errors carried back as pickles.

A call crosses to a worker process or interpreter as a frozenpack value: the function as its
module and qualified name (looked up again on the other side, so nothing but names and values
travels), the arguments and the result as frozenpack values. Exceptions are not values, so an
exception raised by the function comes back pickled, with the text of its traceback.
"""

import importlib
import os
import pickle
import re
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from . import DecodeError, Value, dumps, loads, loads_prefix

if TYPE_CHECKING:
    # For annotations only: a sub-interpreter or worker process that imports this module to run
    # tasks need not import concurrent.futures.
    from concurrent.futures import Future

    from typing_extensions import Buffer  # collections.abc.Buffer from 3.12 on

_T = TypeVar("_T")

# Where frozenpack's TypeError says an unsupported object sits: "unsupported type 'list' at
# $[1][0]" (the message of both the extension and the reference).
_UNSUPPORTED = re.compile(r"unsupported type (?P<type>.+) at \$(?P<path>(?:\[\d+\])*)\Z", re.S)
_INDEX = re.compile(r"\[(\d+)\]")

# Between a process and its own workers the writer of every message is trusted, and each level of
# nesting takes an octet of the input, so the decoder's depth is bounded by the message's length:
# no limit beyond that is needed, and every value that can be sent can be received.
NO_DEPTH_LIMIT = sys.maxsize

#: What frozenpack carries, for error messages.
VALUE_TYPES = "None, bool, int, float, str, bytes and tuples of these"

#: dumps as the executors call it: on what their caller passed, which need not be a value.
#: dumps's TypeError, naming what is not one and where it sits, is the check; the callers turn
#: it into their own message. (dumps's signature takes values only, so that a program's mistake
#: is a type error; this is the same function, typed for what it does at run time.)
dumps_any = cast("Callable[[object], bytes]", dumps)


class RemoteTraceback(Exception):
    """The text of a traceback from a worker, set as the __cause__ of the exception raised there.

    As concurrent.futures.process does: the exception that comes back is the worker's own
    (unpickled), and this shows where it was raised.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


class RemoteError(Exception):
    """An exception raised in a worker that could not come back as itself.

    Raised instead of it when the exception cannot be pickled in the worker or unpickled here
    (e.g. its class takes other arguments than it passes to Exception.__init__). `type_name` is
    the qualified name of its class, `message` its str(), `reason` why it could not come back;
    its __cause__ holds the worker's traceback.
    """

    def __init__(self, type_name: str, message: str, reason: str) -> None:
        super().__init__(type_name, message, reason)
        self.type_name = type_name
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.type_name}: {self.message} (raised in a worker; {self.reason})"


def default_max_workers() -> int:
    """How many workers an executor starts unless told: the CPUs this process may use."""
    cpus: int | None
    if sys.version_info >= (3, 13):
        cpus = os.process_cpu_count()  # len(os.sched_getaffinity(0)) where there is one
    else:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return cpus or os.cpu_count() or 1


# --- functions by name ---------------------------------------------------------------------------


def resolve(module: str, qualname: str) -> object:
    """The object named `qualname` in module `module` (imported if it is not yet)."""
    target: object = sys.modules.get(module)
    if target is None:
        target = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _same_callable(found: object, fn: object) -> bool:
    if found is fn:
        return True
    # A classmethod (or a method of a module-level class object) is a new bound method at each
    # attribute access; it is the same callable when it binds the same function to the same
    # object.
    return (isinstance(found, types.MethodType) and isinstance(fn, types.MethodType)
            and found.__func__ is fn.__func__ and found.__self__ is fn.__self__)


def function_name(fn: Callable[..., object], *, where: str = "a worker") -> tuple[str, str]:
    """(module, qualname) by which `fn` is found again in `where`; TypeError if it cannot be.

    The function is looked up here by that name and must be the very object given, so that the
    worker runs what the caller meant: lambdas, functions defined inside other functions,
    bound methods of instances, functools.partial objects and callables without a name are
    refused, each saying why.
    """
    if not callable(fn):
        raise TypeError(f"{fn!r} is not callable")
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        raise TypeError(
            f"{fn!r} cannot be sent to {where} by name: it has no __module__ and __qualname__ "
            f"(a functools.partial or a callable object?); pass a function defined at the top "
            f"level of a module")
    if "<lambda>" in qualname:
        raise TypeError(
            f"a lambda ({module}.{qualname}) cannot be sent to {where}: functions travel by "
            f"name; define it with def at the top level of a module")
    if "<locals>" in qualname:
        raise TypeError(
            f"{module}.{qualname} is defined inside another function, so {where} cannot find "
            f"it by name; define it at the top level of a module")
    try:
        found = resolve(module, qualname)
    except (ImportError, AttributeError) as error:
        raise TypeError(
            f"{module}.{qualname} cannot be found by its name ({error}), so {where} could not "
            f"find it either") from None
    if not _same_callable(found, fn):
        raise TypeError(
            f"the name {module}.{qualname} is not bound to {fn!r} but to {found!r} (a method "
            f"bound to an instance, a decorator that does not keep the name, or a function "
            f"replaced after it was defined?); {where} would run that instead")
    return module, qualname


# --- unsupported values --------------------------------------------------------------------------


def unsupported_at(error: TypeError) -> tuple[str, list[int]] | None:
    """For frozenpack's "unsupported type 'list' at $[1][0]": ("'list'", [1, 0]), else None."""
    match = _UNSUPPORTED.match(str(error))
    if match is None:
        return None
    return match["type"], [int(index) for index in _INDEX.findall(match["path"])]


def describe_path(indices: Iterable[int]) -> str:
    return "".join(f"[{index}]" for index in indices)


# --- exceptions ----------------------------------------------------------------------------------


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - a __str__ that fails must not hide the exception
        return f"<str() of the {type(exc).__name__} failed>"


def pack_exception(exc: BaseException) -> tuple[bytes, str, str, str]:
    """(pickle or b"", class name, message, traceback text) of `exc`: frozenpack values all.

    The pickle is empty when `exc` cannot be pickled (the traceback text says why).
    """
    text = "".join(traceback.format_exception(exc))
    cls = type(exc)
    type_name = f"{cls.__module__}.{cls.__qualname__}"
    try:
        pickled = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - any failure to pickle is reported the same way
        pickled = b""
        text += f"\n(the exception could not be pickled: {type(error).__name__}: {error})\n"
    return pickled, type_name, _safe_str(exc), text


def unpack_exception(pickled: bytes, type_name: str, message: str, text: str) -> BaseException:
    """The exception `pack_exception` packed, with its traceback text as __cause__."""
    exc: object = None
    reason = "it could not be pickled"
    if pickled:
        try:
            exc = pickle.loads(pickled)
            reason = "it unpickled as something that is not an exception"
        except Exception as error:  # noqa: BLE001 - reported in the RemoteError
            reason = f"it could not be unpickled here: {type(error).__name__}: {error}"
    if not isinstance(exc, BaseException):
        exc = RemoteError(type_name, message, reason)
    exc.__cause__ = RemoteTraceback(f'\n"""\n{text}"""')
    return exc


# --- the messages --------------------------------------------------------------------------------
#
# A task is a frozenpack tuple of 7 items, (kind, task_id, module, qualname, ...):
#   (CALL, task_id, module, qualname, args, kwnames, kwvalues): fn(*args, **kwargs);
#   (CHUNK, task_id, module, qualname, items, first, ()): a piece of Executor.map, the tuple of
#       fn(*item) for each argument tuple in `items`, which are the map's items first, first+1...
# The reply is (task_id, True, result) or (task_id, False, pickled exception, class name,
# message, traceback text).

CALL = 0
CHUNK = 1

# A task as Runner reads it: the fields whose type depends on the kind are cast where it is known.
_Task = tuple[int, int, str, str, tuple[Value, ...], Value, tuple[Value, ...]]
_Reply = (tuple[int, Literal[True], Value]
          | tuple[int, Literal[False], bytes, str, str, str])

#: A reply as decode_reply returns it: (task_id, result, None), or (task_id, None, the exception
#: to raise).
Outcome = tuple[int, Value, None] | tuple[int, None, BaseException]


def encode_call(
    task_id: int,
    module: str,
    qualname: str,
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
) -> bytes:
    """The octets of a call; TypeError naming the argument frozenpack cannot carry."""
    kwnames = tuple(kwargs)
    try:
        return dumps_any(
            (CALL, task_id, module, qualname, args, kwnames, tuple(kwargs.values())))
    except TypeError as error:
        raise _argument_error(error, f"{module}.{qualname}", kwnames) from None


def encode_chunk(
    task_id: int, module: str, qualname: str, items: tuple[tuple[object, ...], ...], first: int
) -> bytes:
    """The octets of a chunk of map items; TypeError naming the argument that cannot go."""
    try:
        return dumps_any((CHUNK, task_id, module, qualname, items, first, ()))
    except TypeError as error:
        raise _argument_error(error, f"{module}.{qualname}", (), first) from None


def _argument_error(
    error: TypeError, name: str, kwnames: tuple[str, ...], first: int | None = None
) -> TypeError:
    found = unsupported_at(error)
    if found is None or len(found[1]) < 2 or found[1][0] not in (4, 6):
        return TypeError(f"cannot send the arguments of {name}: {error}")
    type_name, (field, index, *rest) = found
    if field == 6:
        where = f"kwargs[{kwnames[index]!r}]{describe_path(rest)}"
    elif first is not None:
        where = f"args{describe_path(rest)} of map item {first + index}"
    else:
        where = f"args[{index}]{describe_path(rest)}"
    return TypeError(f"cannot send {where} to {name}: unsupported type {type_name} "
                     f"(frozenpack carries {VALUE_TYPES})")


def _result_error(error: TypeError, name: str, first: int | None = None) -> TypeError:
    found = unsupported_at(error)
    if found is None or len(found[1]) < 1 or found[1][0] != 2:
        return TypeError(f"cannot send the result of {name} back: {error}")
    type_name, (_, *rest) = found
    if first is not None and rest:
        where = f"the result{describe_path(rest[1:])} of map item {first + rest[0]}"
    else:
        where = f"the result{describe_path(rest)}"
    return TypeError(f"cannot send {where} of {name} back: unsupported type {type_name} "
                     f"(frozenpack carries {VALUE_TYPES})")


def encode_error(task_id: Value, exc: BaseException) -> bytes:
    return dumps((task_id, False, *pack_exception(exc)))


class Runner:
    """The worker's side: runs task octets and returns reply octets; never raises for a task."""

    def __init__(self) -> None:
        self._functions: dict[tuple[str, str], Callable[..., object]] = {}

    def function(self, module: str, qualname: str) -> Callable[..., object]:
        key = (module, qualname)
        fn = self._functions.get(key)
        if fn is None:
            # What the caller named: function_name found it callable there. (Should it not be
            # here, calling it raises TypeError, which goes back as the task's exception.)
            fn = self._functions[key] = cast("Callable[..., object]", resolve(module, qualname))
        return fn

    def run(self, data: "Buffer") -> bytes:
        try:
            task = loads(data, max_depth=NO_DEPTH_LIMIT)
        except DecodeError as error:  # not a task: only that task fails
            return encode_error(_item(data, 1), error)
        return self._run(task)

    def _run(self, task: Value) -> bytes:
        # A task as encode_call or encode_chunk wrote it (the table above).
        kind, task_id, module, qualname, args, kwnames, kwvalues = cast(_Task, task)
        del task
        first = cast(int, kwnames) if kind == CHUNK else None
        try:
            fn = self.function(module, qualname)
            if kind == CALL:
                kwargs = dict(zip(cast("tuple[str, ...]", kwnames), kwvalues, strict=True))
                result = fn(*args, **kwargs) if kwargs else fn(*args)
            else:
                result = tuple([
                    fn(*item) for item in cast("tuple[tuple[Value, ...], ...]", args)])
        except BaseException as exc:  # noqa: BLE001 - the caller's future gets it, as in the stdlib
            return encode_error(task_id, exc)
        del args, kwvalues
        try:
            return dumps_any((task_id, True, result))
        except TypeError as error:
            failure: BaseException = _result_error(error, f"{module}.{qualname}", first)
        except BaseException as error:  # noqa: BLE001 - e.g. MemoryError: the caller gets it
            failure = error
        return encode_error(task_id, failure)


def _item(data: "Buffer", index: int) -> Value:
    """Item `index` of the frozenpack tuple `data` (of fewer than 16 items: a one-octet tag),
    decoded without the items after it: the task_id of a message that cannot be decoded whole."""
    end = 1
    item: Value = None
    for _ in range(index + 1):
        item, end = loads_prefix(data, end)
    return item


def decode_reply(data: "Buffer") -> Outcome:
    """(task_id, result, None), or (task_id, None, the exception to raise)."""
    try:
        # A reply as Runner wrote it (the table above).
        reply = cast(_Reply, loads(data, max_depth=NO_DEPTH_LIMIT))
    except DecodeError as error:  # not a reply: only that future fails
        return cast(int, _item(data, 0)), None, error  # the task_id, if that much is right
    if reply[1] is True:
        return reply[0], reply[2], None
    task_id, _, pickled, type_name, message, text = reply
    return task_id, None, unpack_exception(pickled, type_name, message, text)


def map_results(
    futures: "list[Future[tuple[_T, ...]]]", end_time: float | None
) -> Iterator[_T]:
    """The generator of Executor.map's results: the chunks' results in order, each chunk waited
    for until `end_time` (time.monotonic(); None: no limit). Leaving it early, or a chunk that
    failed or timed out, cancels the chunks not yet started (as concurrent.futures does)."""
    try:
        futures.reverse()  # pop() from the end is O(1)
        while futures:
            future = futures.pop()
            try:
                if end_time is None:
                    chunk = future.result()
                else:
                    chunk = future.result(end_time - time.monotonic())
            finally:
                future.cancel()
                del future
            yield from chunk
    finally:
        for future in futures:
            future.cancel()
