"""FrozenQueue's reader: one get's work, done holding the read lock, until a frame is complete.

It takes the chunks of the wire format (_queue_wire) from the pipe, checks each (magic, version,
length, CRC, frame id and index), and drops what can never be completed: a frame cut off by the
start of another, a frame with a part missing (a reader died with it), a frame whose producer
stopped writing it, octets that are not chunks. Its progress is the state file's (_queue_file).
"""

import os
import queue
import sys
import time
import warnings
import zlib
from types import FrameType

from ._queue_file import (
    ACTIVE,
    DISCARDING,
    FRAME_AT,
    HAS_LAST_DROPPED,
    PENDING_AT,
    PENDING_FIELD,
    STATE,
    QueueFile,
    State,
    pwrite_all,
)
from ._queue_wire import (
    CHUNK_HEAD,
    CRC,
    HEADER_SIZE,
    MAGIC,
    PAYLOAD_MAX,
    READ_MAX,
    VERSION,
    chunk_count,
    chunk_crc,
    frame_octets_from,
    payload_length,
)
from ._waiting import wait_readable

__all__ = ["DroppedMessageWarning", "read_frame"]

# How long a get waiting for the rest of a frame goes between checks that a producer is still
# writing it; and how long a get with a timeout keeps reading octets that keep arriving after
# its deadline, so that get(timeout=0) still takes a message that is wholly in the pipe.
_WRITER_CHECK_INTERVAL = 0.1
_READ_GRACE = 0.01

_PART_MISSING = "a message with a part missing: a reader died while reading it"

# The modules a get goes through on its way to a drop: this one, and FrozenQueue's. A warning
# points past their frames, at the caller of get.
_QUEUE_MODULES = frozenset({__name__, "frozenpack._frozen_queue"})


class DroppedMessageWarning(RuntimeWarning):
    """A FrozenQueue reader discarded a message that could not be completed, or stray octets."""


# Users know it as frozenpack.connection.DroppedMessageWarning, which is this class.
DroppedMessageWarning.__module__ = "frozenpack.connection"


def _warn_dropped(what: str) -> None:
    # Point the warning at the caller of FrozenQueue.get, however deep in the queue it rose.
    # (sys._getframe is CPython's documented way to the caller's frame; inspect.currentframe
    # would be the same, after importing inspect.)
    frame: FrameType | None = sys._getframe(1)  # pyright: ignore[reportPrivateUsage]
    level = 2  # the function that called this one
    while frame is not None and frame.f_globals.get("__name__") in _QUEUE_MODULES:
        frame, level = frame.f_back, level + 1
    warnings.warn(f"FrozenQueue dropped {what}", DroppedMessageWarning, stacklevel=level)


def read_frame(queue_file: QueueFile, pipe: int, deadline: float | None) -> bytes:
    """The octets of the next complete message, read holding the read lock."""
    state = queue_file.read_state()
    octets = b""
    if not state[0] & (ACTIVE | DISCARDING) and not state[PENDING_FIELD]:
        # The usual case, nothing in progress: a message of one chunk is taken in two reads.
        # Anything else goes to _FrameReader, with the octets read here.
        try:
            octets = os.read(pipe, HEADER_SIZE)
        except BlockingIOError:
            pass
        else:
            if len(octets) == HEADER_SIZE:
                magic, version, zero, length, _, frame_length, index = (
                    CHUNK_HEAD.unpack_from(octets)
                )
                if (magic == MAGIC and version == VERSION and not zero and not index
                        and length == frame_length <= PAYLOAD_MAX):
                    try:
                        payload = os.read(pipe, length) if length else b""
                    except BlockingIOError:
                        payload = b""
                    (crc,) = CRC.unpack_from(octets, CHUNK_HEAD.size)
                    head = octets[: CHUNK_HEAD.size]
                    # chunk_crc, inlined: this is every small get's path.
                    if len(payload) == length and zlib.crc32(payload, zlib.crc32(head)) == crc:
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

    # The frame in progress, as the state file has it (struct.unpack's values are Any).
    next_index: int
    frame_id: int
    frame_length: int
    stored: int  # how much of its payload the state file holds
    dropped: int
    last_dropped: int

    def __init__(self, queue_file: QueueFile, pipe_fd: int, state: State, octets: bytes) -> None:
        """`state`: what the state file says; `octets`: read from the pipe but not taken."""
        self._file = queue_file
        self._pipe = pipe_fd
        self._saved = state  # what the state file says, as of the last load or save
        (flags, self.next_index, self.frame_id, self.frame_length, self.stored, self.dropped,
         self.last_dropped, pending_length) = self._saved
        self.active = bool(flags & ACTIVE)  # a frame is in progress
        self.has_last_dropped = bool(flags & HAS_LAST_DROPPED)
        self.discarding = bool(flags & DISCARDING)  # in a run of stray octets
        self._saved_pending = b""
        if 0 < pending_length <= FRAME_AT - PENDING_AT:
            self._saved_pending = os.pread(queue_file.fd, pending_length, PENDING_AT)
        self._saved_stored = self.stored
        self.pending = bytearray(self._saved_pending + octets)  # octets read from the pipe...
        self.pos = 0  # ...of which those before pos are taken
        # The payloads of the frame in progress read by this get, after `stored`.
        self.parts: list[bytes] = []

    def read(self, deadline: float | None) -> bytes:
        """The octets of the next complete frame; queue.Empty when the deadline passes."""
        read_until = None if deadline is None else max(deadline, time.monotonic() + _READ_GRACE)
        while True:
            frame = self._take_chunks()
            if frame is not None:
                return frame
            if self._read_pipe():
                if read_until is not None and time.monotonic() >= read_until:
                    raise queue.Empty
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
                    raise queue.Empty
                wait = remaining if wait is None else min(wait, remaining)
            wait_readable(self._pipe, wait)

    def _read_pipe(self) -> bool:
        """Read what the chunk at the cursor still needs, and up to the end of its frame."""
        try:
            data = os.read(self._pipe, self._wanted())
        except BlockingIOError:
            return False
        if not data:
            raise EOFError("every write end of the queue's pipe is closed")
        self.pending += data
        return True

    def _wanted(self) -> int:
        have = len(self.pending) - self.pos
        if have < HEADER_SIZE:
            return HEADER_SIZE - have
        # A valid header (_take_chunks discards any other) whose chunk is not all here.
        _, _, _, length, _, frame_length, index = CHUNK_HEAD.unpack_from(self.pending, self.pos)
        need: int = HEADER_SIZE + length - have
        return max(need, min(frame_octets_from(frame_length, index) - have, READ_MAX))

    def _no_writer_can_finish(self) -> bool:
        # A producer holds the write lock from its first chunk to its last. If no one holds it
        # and the pipe is still empty, no one is writing the rest of what we hold, and no one
        # will (a new put starts a new frame). Looked at in this order so that a producer that
        # writes its last chunk and lets go in between is not missed.
        lock = self._file.write_lock
        if not lock.acquire(block=False):
            return False
        try:
            return not wait_readable(self._pipe, 0)
        finally:
            lock.release()

    def _take_chunks(self) -> bytes | None:
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

    def _take_chunks_from_cursor(self) -> bytes | None:
        pending = self.pending
        while True:
            pos = self.pos
            if len(pending) - pos < HEADER_SIZE:
                if len(pending) > pos and not MAGIC.startswith(pending[pos : pos + 2]):
                    self._discard_stray()
                    continue
                return None
            magic, version, zero, length, frame_id, frame_length, index = (
                CHUNK_HEAD.unpack_from(pending, pos)
            )
            if (magic != MAGIC or version != VERSION or zero
                    or length != payload_length(frame_length, index)):
                self._discard_stray()
                continue
            end = pos + HEADER_SIZE + length
            if len(pending) < end:
                return None
            head = bytes(pending[pos : pos + CHUNK_HEAD.size])
            payload = bytes(pending[pos + HEADER_SIZE : end])
            (crc,) = CRC.unpack_from(pending, pos + CHUNK_HEAD.size)
            if chunk_crc(head, payload) != crc:
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
            if self.next_index == chunk_count(frame_length):
                return self._complete()

    def _take(self, end: int) -> None:
        self.pos = end
        self.discarding = False  # a valid chunk ends a run of stray octets

    def _complete(self) -> bytes:
        stored = self._read_stored() if self.stored else b""
        parts = [stored, *self.parts] if stored else self.parts
        frame = parts[0] if len(parts) == 1 else b"".join(parts)
        self.active, self.parts, self.stored = False, [], 0
        return frame

    def _discard_stray(self) -> None:
        # Octets that do not begin a valid chunk: skip to where the magic next appears, and
        # look for a chunk there (the CRC rejects a magic that happens to be in a payload).
        pending = self.pending
        start = pending.find(MAGIC, self.pos + 1)
        if start < 0:
            start = len(pending)
            if start - self.pos > 1 and pending[-1] == MAGIC[0]:
                start -= 1
        self.pos = start
        self._note_stray()

    def _drop_pending(self) -> None:
        # Part of a chunk, and no one writing: chunks are written whole, so these are stray.
        if len(self.pending) > self.pos:
            self.pos = len(self.pending)
            self._note_stray()

    def _note_stray(self) -> None:
        if not self.discarding:  # one count for a run of stray octets, until a valid chunk
            self.discarding = True
            self._count_drop("octets that are not part of any message (not written by put)")

    def _read_stored(self) -> bytes:
        stored = os.pread(self._file.fd, self.stored, FRAME_AT)
        while len(stored) < self.stored:
            more = os.pread(self._file.fd, self.stored - len(stored), FRAME_AT + len(stored))
            if not more:
                raise OSError("the queue's state file is shorter than its header says")
            stored += more
        return stored

    def _drop_frame(self, what: str) -> None:
        if not self.active:
            return
        self.active, self.parts, self.stored = False, [], 0
        self.has_last_dropped, self.last_dropped = True, self.frame_id
        self._count_drop(what)

    def _count_drop(self, what: str) -> None:
        # Saved at once: `dropped` is up to date while this get goes on waiting, and the
        # state on file is whole before the warning (which may raise) is issued.
        self.dropped += 1
        self.save()
        _warn_dropped(what)

    def save(self) -> None:
        """Write back what changed, so that the next get (of any process) continues it."""
        fd = self._file.fd
        if self.active and self.parts:
            data = b"".join(self.parts)
            pwrite_all(fd, data, FRAME_AT + self.stored)
            self.stored += len(data)
            self.parts = []
        pending = bytes(self.pending[self.pos :])
        if pending and pending != self._saved_pending:
            pwrite_all(fd, pending, PENDING_AT)
        self._saved_pending = pending
        if self.active:
            flags, frame = ACTIVE, (self.next_index, self.frame_id, self.frame_length, self.stored)
        else:
            flags, frame = 0, (0, 0, 0, 0)
        flags |= (HAS_LAST_DROPPED if self.has_last_dropped else 0) | (
            DISCARDING if self.discarding else 0
        )
        state = (flags, *frame, self.dropped, self.last_dropped, len(pending))
        if state != self._saved:
            # Written last: until then the file still says what it said before, consistently.
            pwrite_all(fd, STATE.pack(*state), 0)
            self._saved = state
        if self._saved_stored and not self.active:
            os.ftruncate(fd, FRAME_AT)  # give back the space of a frame finished or dropped
        self._saved_stored = self.stored if self.active else 0
