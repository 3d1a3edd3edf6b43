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
timeout=t)` and `FrozenQueue.get(timeout=t)` return or raise within about t seconds whatever
the pipe holds, and a message whose reading timed out is continued by the next call, never
read from its middle. The details are in their docstrings; `get(queue, timeout=t)` over a
multiprocessing.Queue has only the guarantees of that queue (see `get`).

Everything here sends with `dumps` and receives with `loads` of the `frozenpack` package: the
values and errors are exactly those of `frozenpack.dumps` and `frozenpack.loads`.
"""

from typing import TYPE_CHECKING, Protocol

from . import MAX_DEPTH, Value, dumps, loads
from ._connection_reader import has_own_framing, read_message
from ._frozen_queue import FrozenQueue
from ._queue_reader import DroppedMessageWarning
from ._waiting import deadline

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from 3.12 on

__all__ = ["DroppedMessageWarning", "FrozenQueue", "get", "put", "recv", "send"]


# What the functions below ask of the objects they are given: a multiprocessing Connection and
# a multiprocessing.Queue have it all; other objects may have what is asked of them.


class _Sender(Protocol):
    def send_bytes(self, buf: bytes, /) -> object: ...


class _Receiver(Protocol):
    def poll(self, timeout: float | None = ..., /) -> bool: ...
    def recv_bytes(self, maxlength: int | None = ..., /) -> "Buffer": ...


class _Putter(Protocol):
    def put(self, obj: bytes, /) -> object: ...


class _Getter(Protocol):
    def get(self, *, timeout: float | None = ...) -> "Buffer": ...


# --- Connection: send and recv ------------------------------------------------------------------


def send(conn: _Sender, value: Value) -> None:
    """Send `value` over `conn` as one message holding its frozenpack encoding.

    `conn` is a multiprocessing Connection (anything with send_bytes). The value is encoded
    before anything is sent, so a value frozenpack cannot carry raises TypeError (e.g.
    "unsupported type 'list' at $[1]") and leaves the connection as it was.
    """
    conn.send_bytes(dumps(value))


def recv(
    conn: _Receiver,
    *,
    timeout: float | None = None,
    maxlength: int | None = None,
    max_depth: int = MAX_DEPTH,
) -> Value:
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
    until = deadline(timeout)
    if has_own_framing(conn):
        data: "Buffer" = read_message(conn, until, maxlength)
    else:
        if until is not None and not conn.poll(timeout):
            raise TimeoutError("no message arrived within the timeout")
        data = conn.recv_bytes() if maxlength is None else conn.recv_bytes(maxlength)
    return loads(data, max_depth=max_depth)


# --- put and get over another queue -------------------------------------------------------------


def put(queue: _Putter, value: Value) -> None:
    """Put the frozenpack encoding of `value` on `queue` (e.g. a multiprocessing.Queue).

    The queue pickles the bytes object it is given (cheaply, but a pickle all the same): see
    the module's docstring. TypeError for a value frozenpack cannot carry; nothing is put.
    """
    queue.put(dumps(value))


def get(queue: _Getter, *, timeout: float | None = None, max_depth: int = MAX_DEPTH) -> Value:
    """Take one item from `queue`, put there by `put`, and return the value it encodes.

    Blocks until an item is there, or for at most `timeout` seconds when it is given (then
    raises queue.Empty, as Queue.get does). DecodeError if the item is not bytes-like holding
    exactly one canonical encoding.

    The timeout is the queue's own, with its limits. A multiprocessing.Queue waits at most
    `timeout` for an item to *begin* arriving, not for it to end: if a process dies while
    its feeder thread is writing a large item (one that does not fit in the pipe at once),
    get blocks for good in the middle of that item, and the queue stays unusable for every
    reader; a process that dies holding the queue's lock blocks the others too. Where
    producers or consumers may die, use FrozenQueue, which is built to survive both.
    """
    data = queue.get() if timeout is None else queue.get(timeout=timeout)
    return loads(data, max_depth=max_depth)
