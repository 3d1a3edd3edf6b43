"""What the worker tests (test_workers_*, test_interpreters_*) run in workers, and their values
(which test_connection sends between processes too).

The functions are looked up by name in worker processes and sub-interpreters, so they live at
the top level of this importable module, which imports nothing an isolated interpreter cannot
(hence its own float_from_bits and nested, not reference_helpers', which imports hypothesis).
Every function that waits does so for a bounded time.
"""

import os
import pathlib
import struct
import threading
import time


def float_from_bits(pattern):
    return struct.unpack("<d", struct.pack("<Q", pattern))[0]


def nested(depth, inner=None):
    value = inner
    for _ in range(depth):
        value = (value,)
    return value


# Long enough for a spawned interpreter to start on a loaded machine; only reached on a hang.
TIMEOUT = 60

# Values whose exactness pickle takes for granted and most other formats lose: ints beyond 64
# bits, NaN payloads and signs, -0.0, lone surrogates, bytes that are not text, deep nesting.
VALUES = [
    None,
    (),
    2**64,
    -(2**200) + 1,
    float_from_bits(0x7FF8000000000001),
    float_from_bits(0xFFF0000000000001),  # a negative signalling NaN
    -0.0,
    "\ud800",
    (
        True,
        False,
        0,
        -17,
        2**63,
        -(2**63) - 1,
        "caf\u00e9 \U0001f600",
        "a\udc80b\ud800\udc00",  # a low surrogate, then a high-low pair that stays two
        b"\x00\xff" * 20,
        (float_from_bits(0x7FF0000000000001), (-0.0, 0.0), ((((None,),),),)),
    ),
    tuple(range(-20, 300)),
    nested(900, ("deep", 2**100)),
]

# Deeper than frozenpack.loads's default limit (1000): carried all the same between a process and
# its own workers.
DEEP = nested(5000, 2**65)

STATE = {}


def echo(value):
    return value


def echo_all(*args, **kwargs):
    return args, tuple(sorted(kwargs.items()))


def add(a, b):
    return a + b


def type_names(value):
    """The exact type names of `value` and its items, as the worker received them."""
    if type(value) is tuple:
        return (type(value).__name__, tuple(type(item).__name__ for item in value))
    return (type(value).__name__, ())


def pid():
    return os.getpid()


def positive(x):
    if x < 0:
        raise ValueError(f"{x} is negative")
    return x


def raise_value_error(message):
    raise ValueError(message)


def _refuse_to_unpickle(message):
    raise TypeError(f"{message!r} refuses to be unpickled")


class RefusesToUnpickle(Exception):
    """Pickles, but cannot be unpickled: its reconstruction raises (whatever copyreg says; a
    class with a custom __init__ alone would unpickle once distributed has installed tblib's
    pickling of exceptions, which bypasses __init__)."""

    def __reduce__(self):
        return _refuse_to_unpickle, (str(self),)


def raise_refuses_to_unpickle():
    raise RefusesToUnpickle("1 and 2")


def raise_holding_a_lock():
    raise RuntimeError("holds a lock", threading.Lock())  # a lock cannot be pickled


def raise_system_exit():
    raise SystemExit(3)


def return_a_list():
    return [1]


def return_a_list_for(x):
    return (x, [x]) if x == 2 else x


def exit_abruptly(code):
    os._exit(code)


def sleep(seconds):
    time.sleep(seconds)
    return seconds


def announce_and_wait(directory, name):
    """Write this process's pid to directory/name, then wait until directory/go exists."""
    directory = pathlib.Path(directory)
    (directory / f"{name}.tmp").write_text(str(os.getpid()))
    (directory / f"{name}.tmp").rename(directory / name)  # appears whole
    deadline = time.monotonic() + TIMEOUT
    while not (directory / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("nobody said go")
        time.sleep(0.01)
    return os.getpid()


def wait_for_file(path, timeout=TIMEOUT):
    """The text of `path` once it exists (written whole by announce_and_wait)."""
    path = pathlib.Path(path)
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.01)
    return path.read_text()


def set_state(key, value):
    STATE[key] = value


def get_state(key):
    return STATE.get(key)


def fail_initializer():
    raise RuntimeError("the initializer says no")


class Maker:
    @classmethod
    def make(cls, x):
        return ("made", x)

    def method(self, x):
        return x


MAKER = Maker()


def pid_exists(pid):
    """True while `pid` is a process that has not exited (a zombie has exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_until_gone(pids, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while any(pid_exists(p) for p in pids):
        assert time.monotonic() < deadline, f"still running: {[p for p in pids if pid_exists(p)]}"
        time.sleep(0.02)


def open_fds():
    return len(os.listdir("/proc/self/fd"))
