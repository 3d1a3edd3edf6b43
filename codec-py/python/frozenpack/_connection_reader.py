"""recv's reader of a multiprocessing Connection's framing, whose timeout holds mid-message.

A Connection frames each message as a 4-octet big-endian length (or -1, then an 8-octet length)
and the payload. This reads the Connection's file descriptor itself, in that framing, waiting
in poll() no later than a deadline; what a call that timed out has read of a message is kept
with the Connection (in this process) and continued by the next call. POSIX only.
"""

import os
import struct
import weakref
from multiprocessing.connection import Connection
from typing import Any, NoReturn, TypeGuard

from ._waiting import POSIX, remaining, wait_readable

__all__ = ["has_own_framing", "read_message"]


def has_own_framing(conn: object) -> TypeGuard["Connection[Any, Any]"]:
    """Whether read_message reads `conn`: a multiprocessing Connection, on POSIX.

    (Any Connection: what it would send and receive with pickle does not matter here.)
    """
    return POSIX and isinstance(conn, Connection)


class _PartialMessage:
    """What recv has read of a message that has not all arrived yet."""

    __slots__ = ("header", "size", "parts", "received")

    def __init__(self) -> None:
        self.header = b""  # the length header, 4 octets (or 12: -1, then an 8-octet length)
        self.size: int | None = None  # the payload's length, once the header is complete
        self.parts: list[bytes] = []  # the payload octets received, in the order they came
        self.received = 0

    def take(self, octets: bytes) -> None:
        """Take octets read: what the header still lacks, then payload."""
        while octets and self.size is None:
            missing = (4 if len(self.header) < 4 else 12) - len(self.header)
            self.header += octets[:missing]
            octets = octets[missing:]
            if len(self.header) == 4:
                size: int
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
_partial_messages: "weakref.WeakKeyDictionary[Connection[Any, Any], _PartialMessage]" = (
    weakref.WeakKeyDictionary())
_MIN_READ = 1 << 16


class _Timeout(Exception):
    pass


def _read_some(fd: int, n: int, deadline: float | None) -> bytes:
    """At most n octets from fd (at least one), waiting no later than the deadline.

    The descriptor stays blocking (it may be shared with code that expects it to be): a read
    that poll() reported ready does not block as long as no one else reads the descriptor.
    """
    if deadline is not None and not wait_readable(fd, remaining(deadline)):
        raise _Timeout
    data = os.read(fd, n)
    if not data:
        raise EOFError
    return data


def read_message(
    conn: "Connection[Any, Any]", deadline: float | None, maxlength: int | None
) -> bytes:
    """The payload of the next message on `conn`, read no later than `deadline`.

    TimeoutError when the deadline passes first (what arrived is kept for the next call),
    EOFError at the end of the stream, OSError("bad message length") for a length beyond
    `maxlength` (the connection is closed). See connection.recv for the whole contract.
    """
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
                size: int
                (size,) = struct.unpack("!i", header)
                if 0 < size <= _MIN_READ and (maxlength is None or size <= maxlength):
                    if wait_readable(fd, 0):
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


def _bad_message_length(conn: "Connection[Any, Any]") -> NoReturn:
    # What Connection.recv_bytes does with a message beyond maxlength: close (or, if duplex,
    # stop reading) the connection, since the rest of the stream can no longer be framed.
    bad = getattr(conn, "_bad_message_length", None)
    if bad is not None:
        bad()
    conn.close()
    raise OSError("bad message length")
