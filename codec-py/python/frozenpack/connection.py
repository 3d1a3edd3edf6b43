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

import errno
import itertools
import math
import os
import queue as _queue
import select
import struct
import sys
import tempfile
import threading
import time
import warnings
import weakref
import zlib

from multiprocessing import get_context
from multiprocessing.connection import Connection as _FdConnection
from multiprocessing.context import assert_spawning
from multiprocessing.reduction import DupFd

from . import MAX_DEPTH, dumps, loads

try:
    import fcntl
except ImportError:  # not a POSIX system: FrozenQueue and recv's own framing are unavailable
    fcntl = None

__all__ = ["DroppedMessageWarning", "FrozenQueue", "get", "put", "recv", "send"]


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

    def take(self, octets):
        """Take octets read: what the header still lacks, then payload."""
        while octets and self.size is None:
            missing = (4 if len(self.header) < 4 else 12) - len(self.header)
            self.header += octets[:missing]
            octets = octets[missing:]
            if len(self.header) == 4:
                (size,) = struct.unpack("!i", self.header)
                if size >= 0:
                    self.size = size
                elif size != -1:
                    self.size = -1  # no such length: rejected by the reader
            elif len(self.header) == 12:
                (self.size,) = struct.unpack_from("!Q", self.header, 4)
        if octets:
            self.parts.append(octets)
            self.received += len(octets)


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
    try:
        if message is None:
            # The usual case, a message that is all there, read without registering anything.
            # The payload is read here only if poll() says it is there: octets held only in
            # this function's variables must not wait in a read that blocks (an exception,
            # KeyboardInterrupt say, would lose them and leave the stream mid-message).
            header = _read_some(fd, 4, deadline)
            if len(header) == 4:
                (size,) = struct.unpack("!i", header)
                if 0 < size <= _MIN_READ and (maxlength is None or size <= maxlength):
                    if _wait_readable(fd, 0):
                        payload = os.read(fd, size)
                        if len(payload) == size:
                            return payload
                        header += payload
                elif size == 0:
                    return b""
            message = _partial_messages[conn] = _PartialMessage()
            message.take(header)
        while message.size is None:
            wanted = 4 if len(message.header) < 4 else 12
            message.take(_read_some(fd, wanted - len(message.header), deadline))
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
        if message is None:
            raise TimeoutError("no message arrived within the timeout") from None
        if message.size is None:
            got = f"{len(message.header)} octets of a length header"
        else:
            got = f"{message.received} of {message.size} octets"
        raise TimeoutError(
            f"no complete message within the timeout ({got} received; "
            "the next recv on this connection continues the message)"
        ) from None
    except EOFError:
        if message is None:
            raise
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
    reader; a process that dies holding the queue's lock blocks the others too. Where
    producers or consumers may die, use FrozenQueue, which is built to survive both.
    """
    data = queue.get() if timeout is None else queue.get(timeout=timeout)
    return loads(data, max_depth=max_depth)


# --- FrozenQueue: the wire format ---------------------------------------------------------------
#
# A message is one frame: the frozenpack encoding cut into chunks of at most PIPE_BUF octets,
# which reach the pipe whole (see _frame_writes), so a producer that dies mid-put leaves
# whole chunks of an unfinished frame, never part of a chunk. A chunk is
#
#   magic 0xFA 0x51 | version 1 | 0 | payload length (2) | frame id (8) | frame length (8) |
#   chunk index (4) | CRC-32 of all before it and of the payload (4)
#
# all big-endian, then the payload. Every chunk but the last carries _PAYLOAD_MAX octets, so a
# chunk's header says how many octets of its frame follow it: a reader reads many chunks at
# once, and never past the end of the frame. The frame id (random) and the index tell a
# reader that a chunk does not continue the frame it holds (its producer died, or a reader
# that took part of it died); the CRC lets it find chunk boundaries again after octets that
# are not chunks.

_MAGIC = b"\xfa\x51"
_VERSION = 1
_CHUNK_HEAD = struct.Struct("!2sBBHQQI")  # everything before the CRC
_CRC = struct.Struct("!I")
_HEADER_SIZE = _CHUNK_HEAD.size + _CRC.size  # 30
_CHUNK_SIZE = min(getattr(select, "PIPE_BUF", 512), 1 << 16)
_PAYLOAD_MAX = _CHUNK_SIZE - _HEADER_SIZE
_MAX_MESSAGE = _PAYLOAD_MAX * ((1 << 32) - 1)  # chunk indexes are 32-bit
_READ_MAX = 1 << 18  # the most a reader asks of the pipe at once

# How long a get waiting for the rest of a frame goes between checks that a producer is still
# writing it; and how long a get with a timeout keeps reading octets that keep arriving after
# its deadline, so that get(timeout=0) still takes a message that is wholly in the pipe.
_WRITER_CHECK_INTERVAL = 0.1
_READ_GRACE = 0.01


def _chunk_count(frame_length):
    return max(1, -(-frame_length // _PAYLOAD_MAX))


def _payload_length(frame_length, index):
    """How long chunk `index` of a frame of `frame_length` octets is; None if it has none."""
    count = _chunk_count(frame_length)
    if index >= count:
        return None
    return _PAYLOAD_MAX if index < count - 1 else frame_length - index * _PAYLOAD_MAX


def _frame_octets_from(frame_length, index):
    """The octets that a frame's chunks from `index` to its last take in the pipe."""
    chunks = _chunk_count(frame_length) - index
    return frame_length - index * _PAYLOAD_MAX + chunks * _HEADER_SIZE


def _new_frame_id_source():
    # A random 64-bit start for each process, then counting: ids differ between processes
    # (with near certainty) and within one, without a system call for each message.
    start = int.from_bytes(os.urandom(8), "big")
    return map(((1 << 64) - 1).__and__, itertools.count(start))


_frame_ids = _new_frame_id_source()


def _frame_chunks(data):
    """The chunks of one frame holding `data`, each as a list of buffers."""
    frame_id = next(_frame_ids)
    view = memoryview(data)
    length = len(view)
    for index in range(_chunk_count(length)):
        payload = view[index * _PAYLOAD_MAX : (index + 1) * _PAYLOAD_MAX]
        head = _CHUNK_HEAD.pack(_MAGIC, _VERSION, 0, len(payload), frame_id, length, index)
        yield [head, _CRC.pack(zlib.crc32(payload, zlib.crc32(head))), payload]


def _write_all(fd, buffers, octets):
    written = os.writev(fd, buffers)
    if written < octets:
        # A write of more than PIPE_BUF octets that waits for room in the pipe is cut short
        # by a signal, even by SIGSTOP and SIGCONT: write the rest (only whole pages went).
        rest = memoryview(b"".join(buffers))[written:]
        while rest:
            rest = rest[os.write(fd, rest) :]


def _frame_writes(data):
    """The writes that put one frame in the pipe, each as (buffers, octets).

    The last chunk, if shorter than PIPE_BUF, is written alone: atomic (POSIX). Runs of
    chunks of exactly PIPE_BUF octets are written together, a quarter MiB at a time, to wake
    readers less often: Linux fills a pipe in whole pages of PIPE_BUF octets and sleeps only
    between pages when it is full, so a producer that dies in the middle of such a write
    still leaves whole chunks. (Were a chunk ever cut short, readers would skip it as stray
    octets: its length and CRC do not hold.)
    """
    run = []
    for chunk in _frame_chunks(data):
        if len(chunk[2]) < _PAYLOAD_MAX:
            break
        run += chunk
        if len(run) == 3 * (_READ_MAX // _CHUNK_SIZE):
            yield run, _READ_MAX
            run = []
    else:
        chunk = None
    if run:
        yield run, len(run) // 3 * _CHUNK_SIZE
    if chunk is not None:
        yield chunk, _HEADER_SIZE + len(chunk[2])


# --- FrozenQueue: locks that outlive their holders ----------------------------------------------


class _ProcessLock:
    """A lock between the threads of all processes holding a queue, freed if its holder dies.

    Two parts, taken in this order: a threading.Lock for the threads of this process, and a
    POSIX record lock (fcntl) on one octet of the queue's state file for the processes. The
    kernel releases a record lock when the process holding it ends, however it ends (SIGKILL
    included), so no waiter waits on a dead holder, and no pid is compared: pid reuse cannot
    fool it. Record locks belong to a process, not to a thread (hence the threading.Lock); a
    forked child does not inherit them; and a process loses all of its record locks on a file
    when it closes any descriptor of that file (hence _QueueFile: one per process and file).
    Waiting with a timeout polls (record locks have no timed wait), sleeping 0.5 ms at first
    and at most 10 ms between tries; waiting without one sleeps in the kernel.
    """

    _FIRST_SLEEP, _MAX_SLEEP = 0.0005, 0.01

    def __init__(self, fd, octet):
        self._fd = fd
        self._octet = octet
        self._thread_lock = threading.Lock()

    def acquire(self, block=True, timeout=None):
        """As multiprocessing's Lock.acquire: True once held, False if the timeout passed."""
        if not block:
            return self.acquire_until(time.monotonic())
        return self.acquire_until(_deadline(timeout))

    def acquire_until(self, deadline):
        if deadline is None:
            self._thread_lock.acquire()
        else:
            remaining = deadline - time.monotonic()
            if remaining > 0:
                acquired = self._thread_lock.acquire(timeout=remaining)
            else:
                acquired = self._thread_lock.acquire(blocking=False)
            if not acquired:
                return False
        try:
            if self._lock_record(deadline):
                return True
        except BaseException:
            self._thread_lock.release()
            raise
        self._thread_lock.release()
        return False

    def _lock_record(self, deadline):
        if deadline is None:
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX, 1, self._octet)
                return True
            except OSError as e:
                # The kernel detects deadlocks between processes, not threads, and can refuse
                # a wait that would end (another thread of this process holds what the holder
                # waits for): wait by polling instead.
                if e.errno != errno.EDEADLK:
                    raise
        sleep = self._FIRST_SLEEP
        while True:
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, self._octet)
                return True
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                sleep = min(sleep, remaining)
            time.sleep(sleep)
            sleep = min(sleep * 2, self._MAX_SLEEP)

    def release(self):
        fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, self._octet)
        self._thread_lock.release()

    def __enter__(self):
        self.acquire_until(None)

    def __exit__(self, *exc_info):
        self.release()

    def _after_fork_in_child(self):
        # A thread of the parent may have held it at the fork; the child holds no record lock.
        self._thread_lock = threading.Lock()


# The state file: this header; then the octets read from the pipe and not yet taken (part of
# a chunk; after a frame broke off, up to a read's worth); then the payload of the frame in
# progress, as far as it has been read. Sparse: it takes space only where written.
_STATE = struct.Struct("!BxxxIQQQQQI")  # flags, next index, frame id, frame length, stored
#                                          payload, dropped, id of the last frame dropped, pending
_ACTIVE, _HAS_LAST_DROPPED, _DISCARDING = 1, 2, 4
_PENDING_AT = 64
_FRAME_AT = _PENDING_AT + _READ_MAX + _CHUNK_SIZE
_DROPPED_FIELD, _PENDING_FIELD = 5, 7
_READ_LOCK_OCTET, _WRITE_LOCK_OCTET = 0, 1


class _QueueFile:
    """This process's descriptor of a queue's state file, and the two locks kept on it."""

    def __init__(self, fd):
        self.fd = fd
        self.read_lock = _ProcessLock(fd, _READ_LOCK_OCTET)
        self.write_lock = _ProcessLock(fd, _WRITE_LOCK_OCTET)
        self._fds = [fd]
        weakref.finalize(self, _close_all, self._fds)

    def keep_open(self, fd):
        # Another descriptor of the same file (the queue was received twice): closing it now
        # would drop this process's record locks on the file, so it lives as long as this.
        self._fds.append(fd)

    def read_state(self):
        raw = os.pread(self.fd, _STATE.size, 0)
        return _STATE.unpack(raw) if len(raw) == _STATE.size else (0,) * 8


def _close_all(fds):
    for fd in fds:
        os.close(fd)


_queue_files = weakref.WeakValueDictionary()  # (st_dev, st_ino) -> _QueueFile
_queue_files_lock = threading.Lock()


def _queue_file(fd):
    """The _QueueFile of this process for the file `fd` opens, made if there is none yet."""
    status = os.fstat(fd)
    key = (status.st_dev, status.st_ino)
    with _queue_files_lock:
        existing = _queue_files.get(key)
        if existing is not None:
            existing.keep_open(fd)
            return existing
        made = _queue_files[key] = _QueueFile(fd)
        return made


def _after_fork_in_child():
    global _queue_files_lock, _frame_ids
    _queue_files_lock = threading.Lock()
    _frame_ids = _new_frame_id_source()
    for queue_file in list(_queue_files.values()):
        queue_file.read_lock._after_fork_in_child()
        queue_file.write_lock._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class DroppedMessageWarning(RuntimeWarning):
    """A FrozenQueue reader discarded a message that could not be completed, or stray octets."""


def _warn_dropped(what):
    # Point the warning at the caller of FrozenQueue.get, however deep in this module it rose.
    frame, level = sys._getframe(1), 2  # stacklevel 2: the function that called this one
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame, level = frame.f_back, level + 1
    warnings.warn(f"FrozenQueue dropped {what}", DroppedMessageWarning, stacklevel=level)


# --- FrozenQueue: reading frames ----------------------------------------------------------------


def _read_frame(queue_file, pipe, deadline):
    """The octets of the next complete message, read holding the read lock."""
    state = queue_file.read_state()
    octets = b""
    if not state[0] & (_ACTIVE | _DISCARDING) and not state[_PENDING_FIELD]:
        # The usual case, nothing in progress: a message of one chunk is taken in two reads.
        # Anything else goes to _FrameReader, with the octets read here.
        try:
            octets = os.read(pipe, _HEADER_SIZE)
        except BlockingIOError:
            pass
        else:
            if len(octets) == _HEADER_SIZE:
                magic, version, zero, length, _, frame_length, index = (
                    _CHUNK_HEAD.unpack_from(octets)
                )
                if (magic == _MAGIC and version == _VERSION and not zero and not index
                        and length == frame_length <= _PAYLOAD_MAX):
                    try:
                        payload = os.read(pipe, length) if length else b""
                    except BlockingIOError:
                        payload = b""
                    (crc,) = _CRC.unpack_from(octets, _CHUNK_HEAD.size)
                    if (len(payload) == length
                            and zlib.crc32(payload, zlib.crc32(octets[: _CHUNK_HEAD.size])) == crc):
                        return payload
                    octets += payload
    reader = _FrameReader(queue_file, pipe, state, octets)
    try:
        return reader.read(deadline)
    finally:
        reader.save()


class _FrameReader:
    """One get's work, done holding the read lock: read chunks until a frame is complete.

    The frame in progress and the octets read but not taken are loaded from the state file at
    the start, and written back when something is dropped and when the get ends without a
    complete frame, so the next get of any process continues where this one stopped. Chunks
    read in between are held in memory: a reader that dies loses them, which later readers
    see as a frame with a missing part (and drop), never as a different message.
    """

    def __init__(self, queue_file, pipe_fd, state, octets):
        """`state`: what the state file says; `octets`: read from the pipe but not taken."""
        self._file = queue_file
        self._pipe = pipe_fd
        self._saved = state  # what the state file says, as of the last load or save
        (flags, self.next_index, self.frame_id, self.frame_length, self.stored, self.dropped,
         self.last_dropped, pending_length) = self._saved
        self.active = bool(flags & _ACTIVE)  # a frame is in progress
        self.has_last_dropped = bool(flags & _HAS_LAST_DROPPED)
        self.discarding = bool(flags & _DISCARDING)  # in a run of stray octets
        self._saved_pending = b""
        if 0 < pending_length <= _FRAME_AT - _PENDING_AT:
            self._saved_pending = os.pread(queue_file.fd, pending_length, _PENDING_AT)
        self._saved_stored = self.stored
        self.pending = bytearray(self._saved_pending + octets)  # octets read from the pipe...
        self.pos = 0  # ...of which those before pos are taken
        self.parts = []  # payloads of the frame in progress read by this get, after `stored`

    def read(self, deadline):
        """The octets of the next complete frame; queue.Empty when the deadline passes."""
        read_until = None if deadline is None else max(deadline, time.monotonic() + _READ_GRACE)
        while True:
            frame = self._take_chunks()
            if frame is not None:
                return frame
            if self._read_pipe():
                if read_until is not None and time.monotonic() >= read_until:
                    raise _queue.Empty
                continue
            # The pipe is empty.
            incomplete = self.active or len(self.pending) > self.pos
            if incomplete and self._no_writer_can_finish():
                self._drop_frame("a message whose producer stopped in the middle of writing it")
                self._drop_pending()
                continue
            wait = _WRITER_CHECK_INTERVAL if incomplete else None
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _queue.Empty
                wait = remaining if wait is None else min(wait, remaining)
            _wait_readable(self._pipe, wait)

    def _read_pipe(self):
        """Read what the chunk at the cursor still needs, and up to the end of its frame."""
        try:
            data = os.read(self._pipe, self._wanted())
        except BlockingIOError:
            return False
        if not data:
            raise EOFError("every write end of the queue's pipe is closed")
        self.pending += data
        return True

    def _wanted(self):
        have = len(self.pending) - self.pos
        if have < _HEADER_SIZE:
            return _HEADER_SIZE - have
        # A valid header (_take_chunks discards any other) whose chunk is not all here.
        _, _, _, length, _, frame_length, index = _CHUNK_HEAD.unpack_from(self.pending, self.pos)
        need = _HEADER_SIZE + length - have
        return max(need, min(_frame_octets_from(frame_length, index) - have, _READ_MAX))

    def _no_writer_can_finish(self):
        # A producer holds the write lock from its first chunk to its last. If no one holds it
        # and the pipe is still empty, no one is writing the rest of what we hold, and no one
        # will (a new put starts a new frame). Looked at in this order so that a producer that
        # writes its last chunk and lets go in between is not missed.
        lock = self._file.write_lock
        if not lock.acquire(block=False):
            return False
        try:
            return not _wait_readable(self._pipe, 0)
        finally:
            lock.release()

    def _take_chunks(self):
        """Take the complete chunks from the cursor on; the frame they complete, if one.

        A chunk that makes the reader drop something stays at the cursor while the drop is
        saved and reported, and is taken on the next turn: if the report raises (a warnings
        filter set to "error"), the next get takes it from the state file.
        """
        try:
            return self._take_chunks_from_cursor()
        finally:
            del self.pending[: self.pos]  # once per read, not once per chunk
            self.pos = 0

    def _take_chunks_from_cursor(self):
        pending = self.pending
        while True:
            pos = self.pos
            if len(pending) - pos < _HEADER_SIZE:
                if len(pending) > pos and not _MAGIC.startswith(pending[pos : pos + 2]):
                    self._discard_stray()
                    continue
                return None
            magic, version, zero, length, frame_id, frame_length, index = (
                _CHUNK_HEAD.unpack_from(pending, pos)
            )
            if (magic != _MAGIC or version != _VERSION or zero
                    or length != _payload_length(frame_length, index)):
                self._discard_stray()
                continue
            end = pos + _HEADER_SIZE + length
            if len(pending) < end:
                return None
            head = bytes(pending[pos : pos + _CHUNK_HEAD.size])
            payload = bytes(pending[pos + _HEADER_SIZE : end])
            (crc,) = _CRC.unpack_from(pending, pos + _CHUNK_HEAD.size)
            if zlib.crc32(payload, zlib.crc32(head)) != crc:
                self._discard_stray()
                continue
            if index == 0:
                if self.active:
                    self._drop_frame(
                        "a message cut off by the start of another one: its producer died or "
                        "was interrupted in the middle of put()"
                    )
                    continue
                self.active, self.frame_id, self.frame_length = True, frame_id, frame_length
                self.next_index = 0
            elif not (self.active and frame_id == self.frame_id and index == self.next_index
                      and frame_length == self.frame_length):
                # Not the next chunk of the frame held: a reader that took the chunks in
                # between died with them. Neither frame can be completed.
                if self.active:
                    self._drop_frame(_PART_MISSING)
                elif not (self.has_last_dropped and frame_id == self.last_dropped):
                    self.has_last_dropped, self.last_dropped = True, frame_id
                    self._count_drop(_PART_MISSING)
                else:
                    self._take(end)  # the rest of a message already counted as dropped
                continue
            self._take(end)
            self.parts.append(payload)
            self.next_index += 1
            if self.next_index == _chunk_count(frame_length):
                return self._complete()

    def _take(self, end):
        self.pos = end
        self.discarding = False  # a valid chunk ends a run of stray octets

    def _complete(self):
        stored = self._read_stored() if self.stored else b""
        parts = [stored, *self.parts] if stored else self.parts
        frame = parts[0] if len(parts) == 1 else b"".join(parts)
        self.active, self.parts, self.stored = False, [], 0
        return frame

    def _discard_stray(self):
        # Octets that do not begin a valid chunk: skip to where the magic next appears, and
        # look for a chunk there (the CRC rejects a magic that happens to be in a payload).
        pending = self.pending
        start = pending.find(_MAGIC, self.pos + 1)
        if start < 0:
            start = len(pending)
            if start - self.pos > 1 and pending[-1] == _MAGIC[0]:
                start -= 1
        self.pos = start
        self._note_stray()

    def _drop_pending(self):
        # Part of a chunk, and no one writing: chunks are written whole, so these are stray.
        if len(self.pending) > self.pos:
            self.pos = len(self.pending)
            self._note_stray()

    def _note_stray(self):
        if not self.discarding:  # one count for a run of stray octets, until a valid chunk
            self.discarding = True
            self._count_drop("octets that are not part of any message (not written by put)")

    def _read_stored(self):
        stored = os.pread(self._file.fd, self.stored, _FRAME_AT)
        while len(stored) < self.stored:
            more = os.pread(self._file.fd, self.stored - len(stored), _FRAME_AT + len(stored))
            if not more:
                raise OSError("the queue's state file is shorter than its header says")
            stored += more
        return stored

    def _drop_frame(self, what):
        if not self.active:
            return
        self.active, self.parts, self.stored = False, [], 0
        self.has_last_dropped, self.last_dropped = True, self.frame_id
        self._count_drop(what)

    def _count_drop(self, what):
        # Saved at once: `dropped` is up to date while this get goes on waiting, and the
        # state on file is whole before the warning (which may raise) is issued.
        self.dropped += 1
        self.save()
        _warn_dropped(what)

    def save(self):
        """Write back what changed, so that the next get (of any process) continues it."""
        fd = self._file.fd
        if self.active and self.parts:
            data = b"".join(self.parts)
            _pwrite_all(fd, data, _FRAME_AT + self.stored)
            self.stored += len(data)
            self.parts = []
        pending = bytes(self.pending[self.pos :])
        if pending and pending != self._saved_pending:
            _pwrite_all(fd, pending, _PENDING_AT)
        self._saved_pending = pending
        if self.active:
            flags, frame = _ACTIVE, (self.next_index, self.frame_id, self.frame_length, self.stored)
        else:
            flags, frame = 0, (0, 0, 0, 0)
        flags |= (_HAS_LAST_DROPPED if self.has_last_dropped else 0) | (
            _DISCARDING if self.discarding else 0
        )
        state = (flags, *frame, self.dropped, self.last_dropped, len(pending))
        if state != self._saved:
            # Written last: until then the file still says what it said before, consistently.
            _pwrite_all(fd, _STATE.pack(*state), 0)
            self._saved = state
        if self._saved_stored and not self.active:
            os.ftruncate(fd, _FRAME_AT)  # give back the space of a frame finished or dropped
        self._saved_stored = self.stored if self.active else 0


_PART_MISSING = "a message with a part missing: a reader died while reading it"


def _pwrite_all(fd, data, offset):
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


# --- FrozenQueue --------------------------------------------------------------------------------


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

    def __init__(self, *, ctx=None, max_depth=MAX_DEPTH):
        if fcntl is None:
            raise OSError("FrozenQueue needs a POSIX system (fcntl record locks)")
        if ctx is None:
            ctx = get_context()
        self._reader, self._writer = ctx.Pipe(duplex=False)
        # Readers never block in read(): they wait in poll(), where a deadline can end the wait.
        # (The flag belongs to the pipe's read end, shared by every process holding it.)
        os.set_blocking(self._reader.fileno(), False)
        fd, path = tempfile.mkstemp(prefix="frozenpack-queue-")
        os.unlink(path)
        self._file = _queue_file(fd)
        self._max_depth = max_depth

    def __getstate__(self):
        # The descriptors can only be handed over while a process is started.
        assert_spawning(self)
        return (self._reader, self._writer, DupFd(self._file.fd), self._max_depth)

    def __setstate__(self, state):
        self._reader, self._writer, state_fd, self._max_depth = state
        self._file = _queue_file(state_fd.detach())

    @property
    def dropped(self):
        """How many messages (and runs of stray octets) readers of this queue have dropped.

        Counted for the queue as a whole, by all processes; read without the lock, so a
        snapshot. See the class's docstring for when a message is dropped.
        """
        return self._open_file().read_state()[_DROPPED_FIELD]

    def put(self, value):
        """Put `value` on the queue; TypeError (and nothing put) if frozenpack cannot carry it.

        Blocks while the pipe is full, until readers take messages out.
        """
        data = dumps(value)  # encode before taking the lock: other writers need not wait
        if len(data) > _MAX_MESSAGE:
            raise ValueError(f"a message of {len(data)} octets is too long for a FrozenQueue")
        fd = self._writer.fileno()
        lock = self._open_file().write_lock
        if len(data) <= _PAYLOAD_MAX:  # one chunk, the usual case: made before taking the lock
            head = _CHUNK_HEAD.pack(_MAGIC, _VERSION, 0, len(data), next(_frame_ids), len(data), 0)
            chunk = [head, _CRC.pack(zlib.crc32(data, zlib.crc32(head))), data]
            with lock:
                _write_all(fd, chunk, _HEADER_SIZE + len(data))
            return
        with lock:
            for buffers, octets in _frame_writes(data):
                _write_all(fd, buffers, octets)

    def get(self, timeout=None):
        """Remove a value from the queue and return it.

        Blocks until one is there, or for at most `timeout` seconds (then raises queue.Empty;
        ValueError if negative); see the class's docstring for exactly what that holds
        against. Decoding happens after the lock is released, so other readers need not wait
        for it; a message that is not a canonical encoding raises DecodeError (and is gone).
        """
        deadline = _deadline(timeout)
        queue_file = self._open_file()
        pipe = self._reader.fileno()
        if not queue_file.read_lock.acquire_until(deadline):
            raise _queue.Empty
        try:
            data = _read_frame(queue_file, pipe, deadline)
        finally:
            queue_file.read_lock.release()
        return loads(data, max_depth=self._max_depth)

    def empty(self):
        """True if nothing waits to be read (another process may put or take at any time).

        False can also mean that only part of a message, or stray octets, are waiting.
        """
        if _wait_readable(self._reader.fileno(), 0):
            return False
        return not self._open_file().read_state()[_PENDING_FIELD]

    def close(self):
        """Close this process's ends of the pipe (and, with the last copy, its state file)."""
        self._reader.close()
        self._writer.close()
        self._file = None

    def _open_file(self):
        queue_file = self._file
        if queue_file is None:
            raise OSError("handle is closed")
        return queue_file
