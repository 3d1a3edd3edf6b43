"""Timeouts as deadlines, and waiting on a descriptor until one: what recv and FrozenQueue share.

A call with a timeout turns it into a deadline once, at its start, so that every wait inside
the call draws on the same time, and the whole call holds the timeout.
"""

import importlib.util
import math
import select
import time

__all__ = ["POSIX", "deadline", "remaining", "wait_readable"]

#: True on a POSIX system, which has what recv's own framing and FrozenQueue need: poll() and
#: fcntl record locks. (Elsewhere recv falls back on the Connection's methods, and FrozenQueue
#: is not available.)
POSIX = importlib.util.find_spec("fcntl") is not None


def deadline(timeout: float | None) -> float | None:
    """The monotonic time at which `timeout` seconds from now end; None for no timeout."""
    if timeout is None:
        return None
    if not timeout >= 0:  # also rejects NaN
        raise ValueError("'timeout' must be a non-negative number")
    return time.monotonic() + timeout


def remaining(deadline: float | None) -> float | None:
    """The seconds left until `deadline` (0.0 once it has passed); None for no deadline."""
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


def wait_readable(fd: int, seconds: float | None) -> bool:
    """True once `fd` has something to read (or its writers are gone), False after `seconds`.

    `seconds` None waits without end. poll(), not select(): any descriptor number works.
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if seconds is None:
        return bool(poller.poll())
    # Round up: rounding down would wake up early and spin through the last millisecond.
    return bool(poller.poll(max(0, math.ceil(seconds * 1000))))
