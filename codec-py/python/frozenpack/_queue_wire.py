"""FrozenQueue's wire format: a message as a frame of chunks that reach the pipe whole.

A message is one frame: the frozenpack encoding cut into chunks of at most PIPE_BUF octets,
which reach the pipe whole (see frame_writes), so a producer that dies mid-put leaves whole
chunks of an unfinished frame, never part of a chunk. A chunk is

  magic 0xFA 0x51 | version 1 | 0 | payload length (2) | frame id (8) | frame length (8) |
  chunk index (4) | CRC-32 of all before it and of the payload (4)

all big-endian, then the payload. Every chunk but the last carries PAYLOAD_MAX octets, so a
chunk's header says how many octets of its frame follow it: a reader reads many chunks at
once, and never past the end of the frame. The frame id (random) and the index tell a reader
that a chunk does not continue the frame it holds (its producer died, or a reader that took
part of it died); the CRC lets it find chunk boundaries again after octets that are not chunks.
"""

import itertools
import os
import select
import struct
import zlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from 3.12 on

__all__ = [
    "CHUNK_HEAD",
    "CHUNK_SIZE",
    "CRC",
    "HEADER_SIZE",
    "MAGIC",
    "MAX_MESSAGE",
    "PAYLOAD_MAX",
    "READ_MAX",
    "VERSION",
    "chunk_count",
    "chunk_crc",
    "frame_octets_from",
    "frame_writes",
    "frame_chunks",
    "one_chunk",
    "payload_length",
    "write_all",
]

MAGIC = b"\xfa\x51"
VERSION = 1
CHUNK_HEAD = struct.Struct("!2sBBHQQI")  # everything before the CRC
CRC = struct.Struct("!I")
HEADER_SIZE = CHUNK_HEAD.size + CRC.size  # 30
CHUNK_SIZE = min(getattr(select, "PIPE_BUF", 512), 1 << 16)
PAYLOAD_MAX = CHUNK_SIZE - HEADER_SIZE
MAX_MESSAGE = PAYLOAD_MAX * ((1 << 32) - 1)  # chunk indexes are 32-bit
READ_MAX = 1 << 18  # the most a reader asks of the pipe at once


def chunk_crc(head: "Buffer", payload: "Buffer") -> int:
    """The CRC a chunk carries: CRC-32 of its head (all before the CRC), then its payload."""
    return zlib.crc32(payload, zlib.crc32(head))


def chunk_count(frame_length: int) -> int:
    return max(1, -(-frame_length // PAYLOAD_MAX))


def payload_length(frame_length: int, index: int) -> int | None:
    """How long chunk `index` of a frame of `frame_length` octets is; None if it has none."""
    count = chunk_count(frame_length)
    if index >= count:
        return None
    return PAYLOAD_MAX if index < count - 1 else frame_length - index * PAYLOAD_MAX


def frame_octets_from(frame_length: int, index: int) -> int:
    """The octets that a frame's chunks from `index` to its last take in the pipe."""
    chunks = chunk_count(frame_length) - index
    return frame_length - index * PAYLOAD_MAX + chunks * HEADER_SIZE


def _new_frame_id_source() -> Iterator[int]:
    # A random 64-bit start for each process, then counting: ids differ between processes
    # (with near certainty) and within one, without a system call for each message.
    start = int.from_bytes(os.urandom(8), "big")
    return map(((1 << 64) - 1).__and__, itertools.count(start))


_frame_ids = _new_frame_id_source()


def _after_fork_in_child() -> None:
    global _frame_ids
    _frame_ids = _new_frame_id_source()  # the parent's next ids are the parent's


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def one_chunk(data: bytes) -> list[bytes]:
    """The buffers of the one chunk of a frame holding `data` (at most PAYLOAD_MAX octets)."""
    head = CHUNK_HEAD.pack(MAGIC, VERSION, 0, len(data), next(_frame_ids), len(data), 0)
    # chunk_crc, inlined: this is every small put's path.
    return [head, CRC.pack(zlib.crc32(data, zlib.crc32(head))), data]


def frame_chunks(data: bytes) -> Iterator[list[bytes | memoryview]]:
    """The chunks of one frame holding `data`, each as a list of buffers."""
    frame_id = next(_frame_ids)
    view = memoryview(data)
    length = len(view)
    for index in range(chunk_count(length)):
        payload = view[index * PAYLOAD_MAX : (index + 1) * PAYLOAD_MAX]
        head = CHUNK_HEAD.pack(MAGIC, VERSION, 0, len(payload), frame_id, length, index)
        yield [head, CRC.pack(chunk_crc(head, payload)), payload]


def write_all(fd: int, buffers: Sequence[bytes | memoryview], octets: int) -> None:
    """Write `buffers` (`octets` in all) to the pipe `fd`, however often a signal cuts it short."""
    written = os.writev(fd, buffers)
    if written < octets:
        # A write of more than PIPE_BUF octets that waits for room in the pipe is cut short
        # by a signal, even by SIGSTOP and SIGCONT: write the rest (only whole pages went).
        rest = memoryview(b"".join(buffers))[written:]
        while rest:
            rest = rest[os.write(fd, rest) :]


def frame_writes(data: bytes) -> Iterator[tuple[list[bytes | memoryview], int]]:
    """The writes that put one frame in the pipe, each as (buffers, octets).

    The last chunk, if shorter than PIPE_BUF, is written alone: atomic (POSIX). Runs of
    chunks of exactly PIPE_BUF octets are written together, a quarter MiB at a time, to wake
    readers less often: Linux fills a pipe in whole pages of PIPE_BUF octets and sleeps only
    between pages when it is full, so a producer that dies in the middle of such a write
    still leaves whole chunks. (Were a chunk ever cut short, readers would skip it as stray
    octets: its length and CRC do not hold.)
    """
    run: list[bytes | memoryview] = []
    chunk: list[bytes | memoryview] | None
    for chunk in frame_chunks(data):
        if len(chunk[2]) < PAYLOAD_MAX:
            break
        run += chunk
        if len(run) == 3 * (READ_MAX // CHUNK_SIZE):
            yield run, READ_MAX
            run = []
    else:
        chunk = None
    if run:
        yield run, len(run) // 3 * CHUNK_SIZE
    if chunk is not None:
        yield chunk, HEADER_SIZE + len(chunk[2])
