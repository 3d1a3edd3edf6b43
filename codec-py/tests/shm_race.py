"""Decoding a shared-memory buffer that another process keeps writing to.

    python codec-py/tests/shm_race.py --seconds 2 --implementation extension

A writer process flips octets of an encoding in a `multiprocessing.shared_memory` block —
the last octet of a short ASCII FIXSTR (the string cache's key), an octet deep in a long
non-ASCII STR (validated by the fast UTF-8 path, then converted), an octet of an SSTR's
surrogate, the top octet of a BIGINT, a tuple's count and a STR's length field — between a
valid and an invalid or different value, as fast as it can, while this process decodes the
block with loads, loads_prefix and iter_loads (on the block and on a memoryview slice of it)
for a bounded time. It then checks what spec section 11 promises for inputs that change
while they are decoded:

- nothing crashes (a panic across the FFI boundary aborts the process: the caller sees the
  exit status) and every call returns a value or raises DecodeError — never another
  exception type (UnicodeDecodeError, SystemError, ...);
- every str that comes out obeys CPython's invariants (`isascii()` agrees with its code
  points, its encoding decodes back to it exactly);
- the string cache is not poisoned: afterwards, decoding the same short strings from private
  bytes gives exactly the right objects.

It prints one JSON line of counts and exits 0, or prints what went wrong and exits 1. The
test suite runs it for a few seconds per implementation (test_concurrency_shared_memory.py);
`make fuzz-shm` runs it for longer.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
from multiprocessing import shared_memory

import frozenpack
import frozenpack.reference

LONG_TEXT = "grüße, " * 12 + "€"  # 97 octets of UTF-8: the fast validator's path
SHORT_TEXTS = ("abc", "label", "key-0001", "0123456789abcdef")
VALUE = (
    SHORT_TEXTS,
    LONG_TEXT,
    "a\ud800b",
    2**100 - 1,
    ((1, 2, 3), (4, 5), ()),
    SHORT_TEXTS,
    b"\x00" * 20,
)


def _flips(encoding):
    """(offset, other octet) pairs that the writer alternates with the original octet."""
    flips = []
    for text in SHORT_TEXTS:
        at = encoding.index(frozenpack.dumps(text)) + len(text)  # the last octet
        flips += [(at, 0xFF), (at, ord("z"))]
    long_utf8 = frozenpack.dumps(LONG_TEXT)
    at = encoding.index(long_utf8)
    flips += [(at + 1, 0x7F), (at + 60, 0xFF), (at + 61, 0x41), (at + len(long_utf8) - 2, 0xC0)]
    sstr = frozenpack.dumps("a\ud800b")
    at = encoding.index(sstr)
    flips += [(at + 3, 0x9F), (at + 1, 0x09)]
    bigint = frozenpack.dumps(2**100 - 1)
    at = encoding.index(bigint)
    flips += [(at + len(bigint) - 1, 0x00), (at + 1, 0x10)]
    nested = frozenpack.dumps(((1, 2, 3), (4, 5), ()))
    at = encoding.index(nested)
    flips += [(at, 0xB5), (at + 1, 0xB1), (0, 0xB9)]
    return flips


def _variants(encoding, flips):
    """The encoding with none, all, every other and every third of `flips` applied."""
    variants = [bytes(encoding)]
    for chosen in (flips, flips[::2], flips[1::2], flips[::3]):
        octets = bytearray(encoding)
        for at, other in chosen:
            octets[at] = other
        variants.append(bytes(octets))
    return variants


def _writer(name, variants, stop, reader_pid):
    block = shared_memory.SharedMemory(name=name)
    try:
        buf = block.buf
        n = len(variants[0])
        # Whole variants at a time: each assignment is one memcpy that changes every flipped
        # octet, so the octets change far more often than one Python statement per octet
        # could make them. Stops when told, or when the reader is gone (it may have crashed:
        # that is what this looks for).
        while not stop.is_set() and os.getppid() == reader_pid:
            for _ in range(5000):
                for variant in variants:
                    buf[:n] = variant
        del buf
    finally:
        block.close()


def _check_str(s, problems):
    if s.isascii() != all(ord(c) < 128 for c in s):
        problems.append(f"str with a wrong ASCII flag: {s!r}")
    try:
        again = frozenpack.loads(frozenpack.dumps(s))
    except Exception as e:  # noqa: BLE001 - any failure here is the finding
        problems.append(f"a decoded str does not round-trip: {s!r}: {e!r}")
        return
    if again != s or type(again) is not str:
        problems.append(f"a decoded str changes when re-encoded: {s!r}")


def _check_value(value, problems):
    stack = [value]
    while stack:
        x = stack.pop()
        if type(x) is tuple:
            stack.extend(x)
        elif type(x) is str:
            _check_str(x, problems)


def _decode_all(module, buf, length, counts, problems):
    view = buf[:length]
    calls = (
        lambda: [module.loads(view)],
        lambda: [module.loads(buf[:length])],
        lambda: [module.loads_prefix(buf, 0)[0]],
        lambda: list(module.iter_loads(view)),
    )
    for call in calls:
        try:
            values = call()
        except module.DecodeError:
            counts["errors"] += 1
            continue
        except Exception as e:  # noqa: BLE001 - any other exception is the finding
            problems.append(f"{type(e).__name__}: {e}")
            continue
        counts["values"] += 1
        for value in values:
            _check_value(value, problems)
    view.release()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--implementation", choices=["extension", "reference"], default="extension")
    args = parser.parse_args(argv)
    module = frozenpack if args.implementation == "extension" else frozenpack.reference

    encoding = frozenpack.dumps(VALUE)
    block = shared_memory.SharedMemory(create=True, size=len(encoding))
    stop = multiprocessing.Event()
    writer = None
    counts = {"values": 0, "errors": 0, "rounds": 0}
    problems = []
    try:
        block.buf[: len(encoding)] = encoding
        writer = multiprocessing.Process(
            target=_writer,
            args=(block.name, _variants(encoding, _flips(encoding)), stop, os.getpid()),
            daemon=True,
        )
        writer.start()
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline and len(problems) < 20:
            _decode_all(module, block.buf, len(encoding), counts, problems)
            counts["rounds"] += 1
    finally:
        stop.set()
        if writer is not None:
            writer.join(30)
            if writer.is_alive():
                writer.kill()
        block.close()
        block.unlink()

    # The cache: the same short strings from private octets are exactly right.
    for text in SHORT_TEXTS:
        for _ in range(3):  # admitted on second sight: look at a cached object too
            got = frozenpack.loads(frozenpack.reference.dumps(text))
            if got != text or got.isascii() != text.isascii() or len(got) != len(text):
                problems.append(f"poisoned cache: {text!r} decodes as {got!r}")
    print(json.dumps({**counts, "problems": problems[:20]}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
