"""FrozenQueue's state file: the progress every reader shares, and the locks kept on it.

The state file (a temporary file, unlinked, whose descriptor every holder of the queue has) is
this header; then the octets read from the pipe and not yet taken (part of a chunk; after a
frame broke off, up to a read's worth); then the payload of the frame in progress, as far as it
has been read. Sparse: it takes space only where written. A get that stops without a complete
frame writes its progress here, so that the next get, of any process, continues it.
"""

import os
import struct
import threading
import weakref

from ._queue_lock import ProcessLock
from ._queue_wire import CHUNK_SIZE, READ_MAX

__all__ = [
    "ACTIVE",
    "DISCARDING",
    "DROPPED_FIELD",
    "FRAME_AT",
    "HAS_LAST_DROPPED",
    "PENDING_AT",
    "PENDING_FIELD",
    "STATE",
    "QueueFile",
    "State",
    "pwrite_all",
    "queue_file",
]

STATE = struct.Struct("!BxxxIQQQQQI")  # flags, next index, frame id, frame length, stored
#                                        payload, dropped, id of the last frame dropped, pending
#: The state as read: the fields of STATE, in that order.
State = tuple[int, ...]
ACTIVE, HAS_LAST_DROPPED, DISCARDING = 1, 2, 4  # the flags
PENDING_AT = 64
FRAME_AT = PENDING_AT + READ_MAX + CHUNK_SIZE
DROPPED_FIELD, PENDING_FIELD = 5, 7
_READ_LOCK_OCTET, _WRITE_LOCK_OCTET = 0, 1


class QueueFile:
    """This process's descriptor of a queue's state file, and the two locks kept on it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.read_lock = ProcessLock(fd, _READ_LOCK_OCTET)
        self.write_lock = ProcessLock(fd, _WRITE_LOCK_OCTET)
        self._fds = [fd]
        weakref.finalize(self, _close_all, self._fds)

    def keep_open(self, fd: int) -> None:
        # Another descriptor of the same file (the queue was received twice): closing it now
        # would drop this process's record locks on the file, so it lives as long as this.
        self._fds.append(fd)

    def read_state(self) -> State:
        raw = os.pread(self.fd, STATE.size, 0)
        return STATE.unpack(raw) if len(raw) == STATE.size else (0,) * 8


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


_queue_files: "weakref.WeakValueDictionary[tuple[int, int], QueueFile]" = (
    weakref.WeakValueDictionary())  # (st_dev, st_ino) -> QueueFile
_queue_files_lock = threading.Lock()


def queue_file(fd: int) -> QueueFile:
    """The QueueFile of this process for the file `fd` opens, made if there is none yet."""
    status = os.fstat(fd)
    key = (status.st_dev, status.st_ino)
    with _queue_files_lock:
        existing = _queue_files.get(key)
        if existing is not None:
            existing.keep_open(fd)
            return existing
        made = _queue_files[key] = QueueFile(fd)
        return made


def _after_fork_in_child() -> None:
    global _queue_files_lock
    _queue_files_lock = threading.Lock()
    for file in list(_queue_files.values()):
        file.read_lock.after_fork_in_child()
        file.write_lock.after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def pwrite_all(fd: int, data: bytes, offset: int) -> None:
    """Write all of `data` at `offset` of the file `fd`."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written
