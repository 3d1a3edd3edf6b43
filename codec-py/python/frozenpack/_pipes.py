"""Messages on pipes between a process and its workers (frozenpack.futures).

A message is its length (8 octets, little-endian) and its octets. Written and read here rather
than with Connection.send_bytes/recv_bytes: a message is read straight into the buffer it is
decoded from, and the parent can write without ever blocking (write_without_blocking), so that a
worker that dies holding the task pipe's lock cannot leave it waiting forever.
"""

import os
import struct

LENGTH = struct.Struct("<Q")


def read_exactly(fd: int, length: int) -> bytearray:
    """`length` octets from `fd` in a new bytearray; EOFError if the pipe ends first."""
    buffer = bytearray(length)
    view = memoryview(buffer)
    done = 0
    while done < length:
        count = os.readv(fd, [view[done:]])
        if count == 0:
            raise EOFError(f"the pipe ended {length - done} octets short of a message")
        done += count
    return buffer


def read_message(fd: int) -> bytearray:
    """The next message on `fd` (blocking); EOFError at the end of the pipe."""
    (length,) = LENGTH.unpack(read_exactly(fd, LENGTH.size))
    return read_exactly(fd, length)


def advance(parts: list[memoryview], count: int) -> list[memoryview]:
    """What is left of `parts` (memoryviews) once `count` octets of them are written."""
    while parts and count >= len(parts[0]):
        count -= len(parts[0])
        parts.pop(0)
    if parts:
        parts[0] = parts[0][count:]
    return parts


def write_message(fd: int, data: bytes) -> None:
    """Write a message to `fd`, a blocking pipe (a worker's end)."""
    parts = [memoryview(LENGTH.pack(len(data))), memoryview(data)]
    while parts:
        parts = advance(parts, os.writev(fd, parts))


def write_without_blocking(fd: int, parts: list[memoryview]) -> list[memoryview]:
    """Write what `fd`, a non-blocking pipe, takes now of `parts`; return what is left."""
    try:
        count = os.writev(fd, parts)
    except BlockingIOError:
        return parts
    return advance(parts, count)
