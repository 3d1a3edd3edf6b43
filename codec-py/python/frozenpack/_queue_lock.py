"""FrozenQueue's locks: between the threads of all processes, freed when their holder dies."""

import errno
import threading
import time
from typing import TYPE_CHECKING

from ._waiting import deadline as _deadline

if TYPE_CHECKING:
    # What the code below uses whenever it runs: FrozenQueue, its only user, refuses to be made
    # without fcntl (_waiting.POSIX).
    import fcntl
else:
    try:
        import fcntl
    except ImportError:  # not a POSIX system
        fcntl = None

__all__ = ["ProcessLock"]


class ProcessLock:
    """A lock between the threads of all processes holding a queue, freed if its holder dies.

    Two parts, taken in this order: a threading.Lock for the threads of this process, and a
    POSIX record lock (fcntl) on one octet of the queue's state file for the processes. The
    kernel releases a record lock when the process holding it ends, however it ends (SIGKILL
    included), so no waiter waits on a dead holder, and no pid is compared: pid reuse cannot
    fool it. Record locks belong to a process, not to a thread (hence the threading.Lock); a
    forked child does not inherit them; and a process loses all of its record locks on a file
    when it closes any descriptor of that file (hence QueueFile: one per process and file).
    Waiting with a timeout polls (record locks have no timed wait), sleeping 0.5 ms at first
    and at most 10 ms between tries; waiting without one sleeps in the kernel.
    """

    _FIRST_SLEEP, _MAX_SLEEP = 0.0005, 0.01

    def __init__(self, fd: int, octet: int) -> None:
        self._fd = fd
        self._octet = octet
        self._thread_lock = threading.Lock()

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        """As multiprocessing's Lock.acquire: True once held, False if the timeout passed."""
        if not block:
            return self.acquire_until(time.monotonic())
        return self.acquire_until(_deadline(timeout))

    def acquire_until(self, deadline: float | None) -> bool:
        """Take the lock, waiting no later than `deadline` (None: for as long as it takes)."""
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

    def _lock_record(self, deadline: float | None) -> bool:
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

    def release(self) -> None:
        fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, self._octet)
        self._thread_lock.release()

    def __enter__(self) -> None:
        self.acquire_until(None)

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def after_fork_in_child(self) -> None:
        """Reset in a forked child: a thread of the parent may have held it at the fork; the
        child holds no record lock."""
        self._thread_lock = threading.Lock()
