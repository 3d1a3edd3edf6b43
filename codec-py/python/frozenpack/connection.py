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

Everything here sends with `dumps` and receives with `loads` of the `frozenpack` package: the
values and errors are exactly those of `frozenpack.dumps` and `frozenpack.loads`.
"""

import queue as _queue
import time

from multiprocessing import get_context
from multiprocessing.context import assert_spawning

from . import MAX_DEPTH, dumps, loads

__all__ = ["FrozenQueue", "get", "put", "recv", "send"]


def send(conn, value):
    """Send `value` over `conn` as one message holding its frozenpack encoding.

    `conn` is a multiprocessing Connection (anything with send_bytes). The value is encoded
    before anything is sent, so a value frozenpack cannot carry raises TypeError (e.g.
    "unsupported type 'list' at $[1]") and leaves the connection as it was.
    """
    conn.send_bytes(dumps(value))


def recv(conn, *, maxlength=None, max_depth=MAX_DEPTH):
    """Receive one message from `conn` and return the value its frozenpack octets encode.

    Raises DecodeError when the message is not exactly one canonical encoding (whatever sent
    it: a message sent with Connection.send is a pickle, which is not one), and EOFError when
    the other end is closed and nothing is left to read. `maxlength` bounds the size of the
    message accepted (OSError beyond it, as Connection.recv_bytes does), which a reader of an
    untrusted peer should set; `max_depth` is the depth limit of loads.
    """
    if maxlength is None:
        data = conn.recv_bytes()
    else:
        data = conn.recv_bytes(maxlength)
    return loads(data, max_depth=max_depth)


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
    """
    data = queue.get() if timeout is None else queue.get(timeout=timeout)
    return loads(data, max_depth=max_depth)


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
