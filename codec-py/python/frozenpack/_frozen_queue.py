"""FrozenQueue: a queue of values between processes, without pickle (frozenpack.connection's).

The queue itself: the pipe, the state file and its locks, put and get. What goes through the
pipe is _queue_wire's; a get's reading is _queue_reader's.
"""

import os
import queue
import tempfile
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext, assert_spawning
from multiprocessing.reduction import DupFd
from typing import Any

from . import MAX_DEPTH, Value, dumps, loads
from ._queue_file import DROPPED_FIELD, PENDING_FIELD, QueueFile, queue_file
from ._queue_reader import read_frame
from ._queue_wire import HEADER_SIZE, MAX_MESSAGE, PAYLOAD_MAX, frame_writes, one_chunk, write_all
from ._waiting import POSIX, deadline, wait_readable

__all__ = ["FrozenQueue"]


class FrozenQueue:
    """A multi-producer, multi-consumer queue of values between processes, without pickle.

    Works like multiprocessing.SimpleQueue: one pipe that carries frozenpack encodings, a lock
    for the readers and one for the writers. Make it in the parent and hand it to the child
    processes as an argument of Process (or of a pool's initializer), with any start method:

        >>> import multiprocessing
        >>> from frozenpack.connection import FrozenQueue
        >>> def square(jobs, results):
        ...     n = jobs.get()
        ...     results.put((n, n * n))
        >>> jobs, results = FrozenQueue(), FrozenQueue()
        >>> worker = multiprocessing.Process(target=square, args=(jobs, results))
        >>> worker.start(); jobs.put(2**70); print(results.get()); worker.join()  # doctest: +SKIP
        (1180591620717411303424, 1393796574908163946345982392040522594123776)

    Like SimpleQueue, it has no feeder thread: `put` writes to the pipe itself and so blocks
    while the pipe is full (64 KiB on Linux) until a reader takes messages out; don't wait
    for a producer to finish before reading what it produced. A FrozenQueue can be passed to
    a process only when the process is started, as SimpleQueue can.

    Unlike SimpleQueue, it survives processes that die (SIGKILL included) or are interrupted
    while they use it, and its timeouts hold whatever the pipe holds:

    - `get(timeout=t)` returns or raises queue.Empty within t seconds, plus scheduling delays
      and at most about 10 ms spent reading octets that are still arriving at the deadline.
      That holds when the pipe holds nothing, part of a message from a producer that is slow
      or stopped (SIGSTOP), part of a message from a producer that died, or stray octets.
    - A message is never half-consumed: the part of a message that a get read before its
      timeout is kept in a temporary file shared by every holder of the queue (unlinked; in
      tempfile.gettempdir()), and the next get, in this or any other process, continues it.
    - A message is written as chunks of PIPE_BUF octets (4096 on Linux), each marked with the
      message's 64-bit id (random), its length, the chunk's index and a CRC-32, and each
      reaching the pipe whole: the last by one write of at most PIPE_BUF octets, which POSIX
      makes atomic, the others in runs that Linux writes a whole page at a time. So when a
      producer dies in the middle of `put`, what it wrote is recognised and dropped, and the
      messages after it arrive intact. A reader drops it as soon as it is sure no one can
      finish it: when the next message begins, or when the pipe is empty and no producer is
      writing; a get without timeout never waits on such a message. (A chunk cut short, which
      a kernel that splits writes elsewhere could leave, fails its CRC and is skipped.)
    - The locks are POSIX record locks (fcntl), which the kernel releases when their holder
      dies: a producer or consumer that dies holding one does not block the others, and no
      pid is compared, so pid reuse cannot fool them. A consumer that dies while reading a
      message loses that message (as if it had died just after get returned it); the rest of
      it is dropped by the next reader, and the queue goes on. A get with a timeout that
      waits for the read lock (another get holds it) tries it every 10 ms at most.
    - Each message dropped, and each run of stray octets skipped (only a process writing to
      the pipe without `put` makes those), adds one to `dropped`, counted for the queue as a
      whole, and issues a DroppedMessageWarning in the process that dropped it.

    What it cannot do: tell a consumer which message was lost (the id of a message is random
    and its content may be incomplete); bound the time `put` blocks on a full pipe; or
    survive a process that writes to the pipe or the state file directly (stray octets are
    skipped, but such a process can overwrite what others read). A get interrupted by an
    exception (KeyboardInterrupt) at the wrong instant may lose the message it was reading,
    as a consumer that dies does. Needs POSIX (fcntl, poll).

    `ctx` is the multiprocessing context whose Pipe it uses (default: the default context);
    any start method works with any queue. `max_depth` is the depth limit `get` decodes with.
    """

    def __init__(self, *, ctx: BaseContext | None = None, max_depth: int = MAX_DEPTH) -> None:
        if not POSIX:
            raise OSError("FrozenQueue needs a POSIX system (fcntl record locks)")
        if ctx is None:
            ctx = get_context()
        self._reader, self._writer = ctx.Pipe(duplex=False)
        # Readers never block in read(): they wait in poll(), where a deadline can end the wait.
        # (The flag belongs to the pipe's read end, shared by every process holding it.)
        os.set_blocking(self._reader.fileno(), False)
        fd, path = tempfile.mkstemp(prefix="frozenpack-queue-")
        os.unlink(path)
        self._file: QueueFile | None = queue_file(fd)
        self._max_depth = max_depth

    def __getstate__(self) -> tuple[Connection, Connection, Any, int]:
        # The descriptors can only be handed over while a process is started.
        assert_spawning(self)
        return (self._reader, self._writer, DupFd(self._open_file().fd), self._max_depth)

    def __setstate__(self, state: tuple[Connection, Connection, Any, int]) -> None:
        self._reader, self._writer, state_fd, self._max_depth = state
        self._file = queue_file(state_fd.detach())

    @property
    def dropped(self) -> int:
        """How many messages (and runs of stray octets) readers of this queue have dropped.

        Counted for the queue as a whole, by all processes; read without the lock, so a
        snapshot. See the class's docstring for when a message is dropped.
        """
        return self._open_file().read_state()[DROPPED_FIELD]

    def put(self, value: Value) -> None:
        """Put `value` on the queue; TypeError (and nothing put) if frozenpack cannot carry it.

        Blocks while the pipe is full, until readers take messages out.
        """
        data = dumps(value)  # encode before taking the lock: other writers need not wait
        if len(data) > MAX_MESSAGE:
            raise ValueError(f"a message of {len(data)} octets is too long for a FrozenQueue")
        fd = self._writer.fileno()
        lock = self._open_file().write_lock
        if len(data) <= PAYLOAD_MAX:  # one chunk, the usual case: made before taking the lock
            chunk = one_chunk(data)
            with lock:
                write_all(fd, chunk, HEADER_SIZE + len(data))
            return
        with lock:
            for buffers, octets in frame_writes(data):
                write_all(fd, buffers, octets)

    def get(self, timeout: float | None = None) -> Value:
        """Remove a value from the queue and return it.

        Blocks until one is there, or for at most `timeout` seconds (then raises queue.Empty;
        ValueError if negative); see the class's docstring for exactly what that holds
        against. Decoding happens after the lock is released, so other readers need not wait
        for it; a message that is not a canonical encoding raises DecodeError (and is gone).
        """
        until = deadline(timeout)
        file = self._open_file()
        pipe = self._reader.fileno()
        if not file.read_lock.acquire_until(until):
            raise queue.Empty
        try:
            data = read_frame(file, pipe, until)
        finally:
            file.read_lock.release()
        return loads(data, max_depth=self._max_depth)

    def empty(self) -> bool:
        """True if nothing waits to be read (another process may put or take at any time).

        False can also mean that only part of a message, or stray octets, are waiting.
        """
        if wait_readable(self._reader.fileno(), 0):
            return False
        return not self._open_file().read_state()[PENDING_FIELD]

    def close(self) -> None:
        """Close this process's ends of the pipe (and, with the last copy, its state file)."""
        self._reader.close()
        self._writer.close()
        self._file = None

    def _open_file(self) -> QueueFile:
        file = self._file
        if file is None:
            raise OSError("handle is closed")
        return file


# Users (and pickle) know it as frozenpack.connection.FrozenQueue, which is this class.
FrozenQueue.__module__ = "frozenpack.connection"
