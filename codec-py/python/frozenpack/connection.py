"""Exchanging values between processes as frozenpack octets instead of pickles.

multiprocessing moves Python objects between processes with pickle: exact for every type, but
loading a pickle runs whatever code its octets name, so a process that reads a pickle trusts
its writer completely. For values made of None, bool, int, float, str, bytes and tuples, these
helpers send the frozenpack encoding instead: the reader gets exactly the value that was sent
(float bits, lone surrogates and big ints included) or a DecodeError, and nothing it reads can
make it construct an object or call a function.

Over a `multiprocessing.connection.Connection` (from `Pipe()`, or `Client`/`Listener`):

    >>> from multiprocessing import Pipe
    >>> from frozenpack.connection import send, recv
    >>> a, b = Pipe()
    >>> send(a, (1, "two", b"3", None, 2**100))
    >>> recv(b)
    (1, 'two', b'3', None, 1267650600228229401496703205376)

Through a queue that several processes share, `FrozenQueue` (below), which moves frozenpack
octets over a pipe and pickles nothing:

    >>> from frozenpack.connection import FrozenQueue
    >>> q = FrozenQueue()
    >>> q.put((1.5, "\\ud800"))
    >>> q.get()
    (1.5, '\\ud800')

`put(queue, value)` / `get(queue)` do the same over any existing queue object, such as a
`multiprocessing.Queue`; that queue still pickles what it carries, here a bytes object (a
cheap pickle: a short header and the octets), and its reader unpickles it, so use these with
queues whose writers you trust, and FrozenQueue or a Connection otherwise.

Timeouts hold against peers that die or stall in the middle of a message: `recv(conn,
timeout=t)` returns or raises within about t seconds whatever the connection holds, and a
message whose reading timed out is continued by the next recv, never read from its middle.
`get(queue, timeout=t)` over a multiprocessing.Queue has only the guarantees of that queue.

Everything here sends with `dumps` and receives with `loads` of the `frozenpack` package: the
values and errors are exactly those of `frozenpack.dumps` and `frozenpack.loads`.
"""

import math
import os
import queue as _queue
import select
import struct
import time
import weakref

from multiprocessing import get_context
from multiprocessing.connection import Connection as _FdConnection
from multiprocessing.context import assert_spawning

from . import MAX_DEPTH, dumps, loads

try:
    import fcntl  # noqa: F401  (its presence says: a POSIX system, whose Connections are fds)
except ImportError:
    fcntl = None

__all__ = ["FrozenQueue", "get", "put", "recv", "send"]


def _deadline(timeout):
    """The monotonic time at which `timeout` seconds from now end; None for no timeout."""
    if timeout is None:
        return None
    if not timeout >= 0:  # also rejects NaN
        raise ValueError("'timeout' must be a non-negative number")
    return time.monotonic() + timeout


def _wait_readable(fd, seconds):
    """True once `fd` has something to read (or its writers are gone), False after `seconds`.

    `seconds` None waits without end. poll(), not select(): any descriptor number works.
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if seconds is None:
        return bool(poller.poll())
    # Round up: rounding down would wake up early and spin through the last millisecond.
    return bool(poller.poll(max(0, math.ceil(seconds * 1000))))


def _remaining(deadline):
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


# --- Connection: send and recv ------------------------------------------------------------------


def send(conn, value):
    """Send `value` over `conn` as one message holding its frozenpack encoding.

    `conn` is a multiprocessing Connection (anything with send_bytes). The value is encoded
    before anything is sent, so a value frozenpack cannot carry raises TypeError (e.g.
    "unsupported type 'list' at $[1]") and leaves the connection as it was.
    """
    conn.send_bytes(dumps(value))


def recv(conn, *, timeout=None, maxlength=None, max_depth=MAX_DEPTH):
    """Receive one message from `conn` and return the value its frozenpack octets encode.

    Raises DecodeError when the message is not exactly one canonical encoding (whatever sent
    it: a message sent with Connection.send is a pickle, which is not one), and EOFError when
    the other end is closed and nothing is left to read. `max_depth` is the depth limit of
    loads.

    `timeout` (seconds, default None: wait as long as it takes) bounds the whole call: if no
    complete message has arrived in that time, TimeoutError is raised, also when the peer has
    sent part of a message and stalls. The octets that did arrive are kept with `conn` (in
    this process) and the next `recv` on the same Connection continues that message, so no
    call ever starts reading in the middle of one. A peer that closes its end (or dies) in the
    middle of a message gives EOFError, and the partial message is discarded.

    `maxlength` bounds the size of the message accepted, which a reader of an untrusted peer
    should set. It is checked against the message's length header before any of the message
    is read; beyond it (or for a negative length) OSError("bad message length") is raised and,
    as Connection.recv_bytes does, the connection is closed (made unreadable if duplex).
    Memory is never sized by the header alone: the message is read in pieces whose size grows
    with what has arrived (at most twice what has arrived, plus 64 KiB).

    These guarantees hold for a `multiprocessing.connection.Connection` on POSIX (what Pipe(),
    Client and Listener give there): recv reads its file descriptor itself, in the
    Connection's framing (a 4-octet big-endian length, or -1 then an 8-octet length). Like the
    Connection, it must have one reader at a time; reading it with `conn.recv_bytes()` while a
    recv has kept part of a message would start in the middle of that message. Any other
    object is read with its own `poll(timeout)` and `recv_bytes(maxlength)`: there the timeout
    bounds only the wait for a message to begin.
    """
    deadline = _deadline(timeout)
    if fcntl is not None and isinstance(conn, _FdConnection):
        data = _recv_message(conn, deadline, maxlength)
    else:
        if deadline is not None and not conn.poll(timeout):
            raise TimeoutError("no message arrived within the timeout")
        data = conn.recv_bytes() if maxlength is None else conn.recv_bytes(maxlength)
    return loads(data, max_depth=max_depth)


class _PartialMessage:
    """What recv has read of a message that has not all arrived yet."""

    __slots__ = ("header", "size", "parts", "received")

    def __init__(self):
        self.header = b""  # the length header, 4 octets (or 12: -1, then an 8-octet length)
        self.size = None  # the payload's length, once the header is complete
        self.parts = []  # the payload octets received, in the order they came
        self.received = 0


# Connection -> _PartialMessage: what a recv that timed out has read of the current message.
_partial_messages = weakref.WeakKeyDictionary()
_MIN_READ = 1 << 16


class _Timeout(Exception):
    pass


def _read_some(fd, n, deadline):
    """At most n octets from fd (at least one), waiting no later than the deadline.

    The descriptor stays blocking (it may be shared with code that expects it to be): a read
    that poll() reported ready does not block as long as no one else reads the descriptor.
    """
    if deadline is not None and not _wait_readable(fd, _remaining(deadline)):
        raise _Timeout
    data = os.read(fd, n)
    if not data:
        raise EOFError
    return data


def _recv_message(conn, deadline, maxlength):
    fd = conn.fileno()  # OSError("handle is closed") if it is
    if not conn.readable:
        raise OSError("connection is write-only")
    message = _partial_messages.get(conn)
    if message is None:
        # Registered before the first read: whatever interrupts this call, octets read stay.
        message = _partial_messages[conn] = _PartialMessage()
    try:
        while message.size is None:
            wanted = 4 if len(message.header) < 4 else 12
            message.header += _read_some(fd, wanted - len(message.header), deadline)
            if len(message.header) == 4:
                (size,) = struct.unpack("!i", message.header)
                if size >= 0:
                    message.size = size
                elif size != -1:
                    message.size = -1  # no such length: rejected below
            elif len(message.header) == 12:
                (message.size,) = struct.unpack_from("!Q", message.header, 4)
        if message.size < 0 or (maxlength is not None and message.size > maxlength):
            del _partial_messages[conn]
            _bad_message_length(conn)
        while message.received < message.size:
            # Grow the reads with what has arrived: a header can claim any length for free.
            n = min(message.size - message.received, max(_MIN_READ, message.received))
            part = _read_some(fd, n, deadline)
            message.parts.append(part)
            message.received += len(part)
    except _Timeout:
        if message.size is None:
            got = f"{len(message.header)} octets of a length header"
        else:
            got = f"{message.received} of {message.size} octets"
        raise TimeoutError(
            f"no complete message within the timeout ({got} received; "
            "the next recv on this connection continues the message)"
        ) from None
    except EOFError:
        del _partial_messages[conn]
        if message.header:
            raise EOFError(
                "the peer closed the connection in the middle of a message "
                f"({message.received} of {message.size} octets received)"
                if message.size is not None
                else "the peer closed the connection in the middle of a length header"
            ) from None
        raise
    del _partial_messages[conn]
    return message.parts[0] if len(message.parts) == 1 else b"".join(message.parts)


def _bad_message_length(conn):
    # What Connection.recv_bytes does with a message beyond maxlength: close (or, if duplex,
    # stop reading) the connection, since the rest of the stream can no longer be framed.
    bad = getattr(conn, "_bad_message_length", None)
    if bad is not None:
        bad()
    conn.close()
    raise OSError("bad message length")


# --- put and get over another queue -------------------------------------------------------------


def put(queue, value):
    """Put the frozenpack encoding of `value` on `queue` (e.g. a multiprocessing.Queue).

    The queue pickles the bytes object it is given (cheaply, but a pickle all the same): see
    the module's docstring. TypeError for a value frozenpack cannot carry; nothing is put.
    """
    queue.put(dumps(value))


def get(queue, *, timeout=None, max_depth=MAX_DEPTH):
    """Take one item from `queue`, put there by `put`, and return the value it encodes.

    Blocks until an item is there, or for at most `timeout` seconds when it is given (then
    raises queue.Empty, as Queue.get does). DecodeError if the item is not bytes-like holding
    exactly one canonical encoding.

    The timeout is the queue's own, with its limits. A multiprocessing.Queue waits at most
    `timeout` for an item to *begin* arriving, not for it to end: if a process dies while
    its feeder thread is writing a large item (one that does not fit in the pipe at once),
    get blocks for good in the middle of that item, and the queue stays unusable for every
    reader; a process that dies holding the queue's lock blocks the others too.
    """
    data = queue.get() if timeout is None else queue.get(timeout=timeout)
    return loads(data, max_depth=max_depth)


# --- FrozenQueue --------------------------------------------------------------------------------


class FrozenQueue:
    """A multi-producer, multi-consumer queue of values between processes, without pickle.

    Works like multiprocessing.SimpleQueue, whose design it follows: one pipe, a lock for the
    readers and one for the writers, each message one frozenpack encoding. Make it in the
    parent and hand it to the child processes as an argument of Process (or of a pool's
    initializer), with any start method:

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
    while the pipe is full (a few tens of KiB on Linux) until a reader takes messages out;
    don't wait for a producer to finish before reading what it produced. A FrozenQueue can be
    passed to a process only when the process is started, as SimpleQueue can.

    `ctx` is the multiprocessing context whose locks it uses (default: the default context);
    `max_depth` is the depth limit `get` decodes with.
    """

    def __init__(self, *, ctx=None, max_depth=MAX_DEPTH):
        if ctx is None:
            ctx = get_context()
        self._reader, self._writer = ctx.Pipe(duplex=False)
        self._rlock = ctx.Lock()
        self._wlock = ctx.Lock()
        self._max_depth = max_depth

    def __getstate__(self):
        # The pipe's file descriptors can only be handed over while a process is started.
        assert_spawning(self)
        return (self._reader, self._writer, self._rlock, self._wlock, self._max_depth)

    def __setstate__(self, state):
        self._reader, self._writer, self._rlock, self._wlock, self._max_depth = state

    def put(self, value):
        """Put `value` on the queue; TypeError (and nothing put) if frozenpack cannot carry it."""
        data = dumps(value)  # encode before taking the lock: other writers need not wait
        with self._wlock:
            self._writer.send_bytes(data)

    def get(self, timeout=None):
        """Remove a value from the queue and return it.

        Blocks until one is there, or for at most `timeout` seconds (then raises queue.Empty).
        Decoding happens after the lock is released, so other readers need not wait for it.
        """
        if timeout is None:
            with self._rlock:
                data = self._reader.recv_bytes()
        else:
            deadline = time.monotonic() + timeout
            if not self._rlock.acquire(timeout=max(timeout, 0)):
                raise _queue.Empty
            try:
                if not self._reader.poll(max(deadline - time.monotonic(), 0)):
                    raise _queue.Empty
                data = self._reader.recv_bytes()
            finally:
                self._rlock.release()
        return loads(data, max_depth=self._max_depth)

    def empty(self):
        """True if no message is waiting (another process may put or take one at any time)."""
        return not self._reader.poll()

    def close(self):
        """Close this process's ends of the pipe."""
        self._reader.close()
        self._writer.close()
