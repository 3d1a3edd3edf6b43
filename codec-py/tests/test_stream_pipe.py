"""Python and Rust exchange a long sequence of values over real pipes, in both directions:
Python writes (frozenpack.reference.dump), the Rust program codec/examples/stream_echo.rs
decodes each value from its stdin as it arrives (ValueReader, or PushDecoder fed raw reads)
and writes it back re-encoded, and Python decodes the echo from the other pipe
(reference.iter_load on the pipe, or a Decoder fed os.read chunks).

Run by `make test-stream-pipe`, which builds the Rust program and names it in
FROZENPACK_STREAM_ECHO; without that variable the tests are skipped, saying so.
"""

import os
import subprocess
import threading

import pytest

import frozenpack.reference as reference
from reference_helpers import exactly_equal, float_from_bits, nested

ECHO = os.environ.get("FROZENPACK_STREAM_ECHO")
pytestmark = pytest.mark.skipif(
    not ECHO, reason="needs the Rust stream_echo program: run `make test-stream-pipe`")


def values():
    """A long sequence: every kind, edge cases of each, a 10 MiB bytes, a 1000-deep tuple."""
    out = [None, True, False, 0, -1, 127, -17, 2**63, -(2**63) - 1, 2**2000, -(2**300)]
    out += [float_from_bits(bits) for bits in ("0000000000000000", "8000000000000000",
                                               "7ff8000000000001", "7ff0000000000001",
                                               "fff8000000000000", "3ff0000000000000")]
    out += ["", "a", "\u00e9\u20ac\U0001f600", "\ud800", "\ud83d\ude00", "x" * 70000]
    out += [b"", b"\x00\xff", bytes(range(256)) * 40]
    out += [(), ((),), nested(1000, None), nested(999, (1, "deep", b"bytes"))]
    out += [(i, str(i), float(i), bytes([i % 256]) * (i % 40), (None,) * (i % 17))
            for i in range(3000)]
    out += [bytes(10 << 20)]  # 10 MiB
    out += [tuple(range(20000)), "tail"]
    return out


VALUES = values()


def _write_all(proc, payload_values, extra=b""):
    try:
        for value in payload_values:
            reference.dump(value, proc.stdin)
        proc.stdin.write(extra)
    finally:
        proc.stdin.close()


def _start(mode, payload_values, extra=b""):
    proc = subprocess.Popen([ECHO, mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    # A thread writes while this one reads the echo: neither side waits on a full pipe.
    writer = threading.Thread(target=_write_all, args=(proc, payload_values, extra))
    writer.start()
    return proc, writer


def _read_with_decoder(fd):
    decoder, got = reference.Decoder(), []
    while data := os.read(fd, 1 << 16):
        got += decoder.feed(data)
    decoder.close()
    return got


@pytest.mark.parametrize("python_side", ["iter_load", "Decoder"])
@pytest.mark.parametrize("rust_side", ["reader", "push"])
def test_values_go_to_rust_and_come_back_exactly(rust_side, python_side):
    proc, writer = _start(rust_side, VALUES)
    if python_side == "iter_load":
        got = list(reference.iter_load(proc.stdout))
    else:
        got = _read_with_decoder(proc.stdout.fileno())
    writer.join(timeout=300)
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, stderr
    assert len(got) == len(VALUES)
    for i, (a, b) in enumerate(zip(got, VALUES)):
        assert exactly_equal(a, b), f"value #{i} differs"


@pytest.mark.parametrize("rust_side", ["reader", "push"])
def test_rust_reports_an_error_after_the_values_before_it(rust_side):
    sent = [1, "two", (3,)]
    prefix = b"".join(reference.dumps(v) for v in sent)
    proc, writer = _start(rust_side, sent, extra=bytes.fromhex("c405") + b"\x07")
    got = list(reference.iter_load(proc.stdout))
    writer.join(timeout=60)
    assert proc.wait(timeout=60) == 2
    assert got == sent
    assert proc.stderr.read().decode() == (
        f"stream_echo: non_canonical at offset {len(prefix)}: INT1 holds 5, which fits FIXINT\n")


@pytest.mark.parametrize("rust_side", ["reader", "push"])
def test_rust_reports_a_stream_that_ends_inside_a_value(rust_side):
    proc, writer = _start(rust_side, [5], extra=bytes.fromhex("d3ffffffffffffffff") + b"ab")
    got = list(reference.iter_load(proc.stdout))
    writer.join(timeout=60)
    assert proc.wait(timeout=60) == 2
    assert got == [5]
    assert proc.stderr.read().decode().startswith("stream_echo: truncated at offset 12: ")
