"""Timeouts that hold: recv against partial messages, stalled and dead peers.

Every scenario here used to hang: octets of a message that never finish arriving, a peer
killed in the middle of a message. Each blocking call runs under `_hang_guard`, which
fails the test (SIGALRM) instead of letting it hang. Timings are asserted only as "well
within the timeout plus two seconds", which fails on a hang, not on a slow machine.

The producers and consumers are real processes, killed with SIGKILL or paused with SIGSTOP
at a point the test waits for (the pipe being full, a lock being held), so each run takes
the same path.
"""

import contextlib
import multiprocessing
import os
import queue
import signal
import struct
import time
import tracemalloc

import pytest

import frozenpack
from frozenpack.connection import recv, send
from reference_helpers import exactly_equal, float_from_bits

# Only reached on a hang, or by a spawned interpreter starting on a very loaded machine.
GUARD = 20
SLACK = 2  # what a "timeout holds" check allows beyond the timeout: only a hang exceeds it
VALUE = (2**100, -0.0, float_from_bits(0x7FF8000000000001), "\ud800", b"\x00\xff", None)


class _Hung(AssertionError):
    pass


@contextlib.contextmanager
def _hang_guard(seconds=GUARD):
    """Fail with _Hung if the block takes longer than `seconds` (a hang, not slowness)."""

    def interrupt(signum, frame):
        raise _Hung(f"still blocked after {seconds} s: hung")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _wait_until(condition, what):
    end = time.monotonic() + GUARD
    while not condition():
        assert time.monotonic() < end, f"gave up waiting until {what}"
        time.sleep(0.002)


def _kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.join(GUARD)
    assert process.exitcode == -signal.SIGKILL


def _timed(call, *args, **kwargs):
    """call(*args, **kwargs) under the hang guard; (its exception or result, seconds taken)."""
    start = time.monotonic()
    with _hang_guard():
        try:
            outcome = call(*args, **kwargs)
        except (queue.Empty, TimeoutError, EOFError, OSError) as e:
            outcome = e
    return outcome, time.monotonic() - start


# --- child processes ----------------------------------------------------------------------------


def _send_value(conn, value):
    send(conn, value)


_children = []


def _start(ctx, target, *args):
    process = ctx.Process(target=target, args=args, daemon=True)
    process.start()
    _children.append(process)
    return process


@pytest.fixture(autouse=True)
def _no_child_left_behind():
    # A test that fails can leave a child stopped (SIGSTOP) or blocked for good; SIGKILL ends
    # it either way (multiprocessing's SIGTERM at exit would wait on a stopped one forever).
    yield
    while _children:
        process = _children.pop()
        if process.exitcode is None:
            os.kill(process.pid, signal.SIGKILL)
        process.join(GUARD)


def _big(size):
    # A large message of several types, so that a frame put together wrongly cannot decode
    # to it by chance.
    return (b"\x5a" * size, VALUE, tuple(range(300)), "end")


# --- recv over a Connection: partial messages ---------------------------------------------------


def _framed(value):
    encoding = frozenpack.dumps(value)
    return struct.pack("!i", len(encoding)) + encoding


@pytest.fixture(params=["pipe", "socketpair"])
def connection_pair(request):
    # (reader, writer): an os.pipe, or the socketpair of a duplex Pipe().
    a, b = multiprocessing.Pipe(duplex=request.param == "socketpair")
    yield a, b
    a.close()
    b.close()


def test_recv_timeout_holds_against_a_message_that_arrives_in_pieces(connection_pair):
    reader, writer = connection_pair
    value = _big(100_000)
    message = _framed(value)
    cuts = [0, 2, 4, 1000, 50_000, len(message)]
    for start, end in zip(cuts[:-2], cuts[1:-1]):
        os.write(writer.fileno(), message[start:end])
        outcome, seconds = _timed(recv, reader, timeout=0.1)
        assert isinstance(outcome, TimeoutError), outcome
        assert seconds < 0.1 + SLACK
    os.write(writer.fileno(), message[cuts[-2] :])
    with _hang_guard():
        assert exactly_equal(recv(reader, timeout=GUARD), value)
        # The stream is still framed: the next message is read from its start.
        send(writer, VALUE)
        assert exactly_equal(recv(reader, timeout=GUARD), VALUE)


def test_recv_timeout_holds_against_a_length_header_alone(connection_pair):
    reader, writer = connection_pair
    message = _framed(VALUE)
    os.write(writer.fileno(), message[:4])
    outcome, seconds = _timed(recv, reader, timeout=0.2)
    assert isinstance(outcome, TimeoutError) and seconds < 0.2 + SLACK
    assert "the next recv on this connection continues" in str(outcome)
    os.write(writer.fileno(), message[4:])
    assert exactly_equal(recv(reader, timeout=GUARD), VALUE)


def test_recv_of_nothing_times_out():
    reader, writer = multiprocessing.Pipe(duplex=False)
    outcome, seconds = _timed(recv, reader, timeout=0.1)
    assert isinstance(outcome, TimeoutError) and seconds < 0.1 + SLACK
    outcome, _ = _timed(recv, reader, timeout=0)
    assert isinstance(outcome, TimeoutError)
    send(writer, 5)
    assert recv(reader, timeout=0) == 5


@pytest.mark.parametrize("timeout", [None, 5])
def test_recv_from_a_peer_killed_mid_message_is_eof(timeout):
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    peer = _start(ctx, _send_value, writer, _big(10 << 20))
    writer.close()  # the peer's copy is now the only write end
    _wait_until(lambda: reader.poll(0), "the peer started sending")
    _kill(peer)
    outcome, seconds = _timed(recv, reader, **({} if timeout is None else {"timeout": timeout}))
    assert isinstance(outcome, EOFError), outcome
    assert "in the middle of a message" in str(outcome)


def test_recv_checks_maxlength_against_the_header_before_reading_the_payload():
    for header in [struct.pack("!i", 2**31 - 1), struct.pack("!iQ", -1, 2**40), struct.pack("!i", -5)]:
        reader, writer = multiprocessing.Pipe(duplex=False)
        os.write(writer.fileno(), header)  # and no payload at all: nothing to wait for
        outcome, seconds = _timed(recv, reader, timeout=GUARD, maxlength=10**6)
        assert isinstance(outcome, OSError) and str(outcome) == "bad message length"
        assert seconds < SLACK
        assert reader.closed  # as Connection.recv_bytes leaves it


def test_recv_allocates_for_what_arrived_not_for_what_the_header_claims():
    reader, writer = multiprocessing.Pipe(duplex=False)
    os.write(writer.fileno(), struct.pack("!iQ", -1, 2**40) + b"\x00" * 1000)
    tracemalloc.start()
    try:
        outcome, _ = _timed(recv, reader, timeout=0.1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(outcome, TimeoutError)
    assert peak < 1 << 20


def test_recv_reads_exactly_one_message_and_the_long_length_form():
    reader, writer = multiprocessing.Pipe(duplex=False)
    encoding = frozenpack.dumps(VALUE)
    # -1 then an 8-octet length is what Connection sends beyond 2 GiB; any length may use it.
    os.write(writer.fileno(), struct.pack("!iQ", -1, len(encoding)) + encoding)
    send(writer, (1, 2))
    assert exactly_equal(recv(reader), VALUE)
    assert reader.recv_bytes() == frozenpack.dumps((1, 2))  # recv read no octet beyond its own


def test_recv_over_another_connection_object_uses_its_poll():
    class Loopback:
        def __init__(self):
            self.items = []

        def poll(self, timeout):
            return bool(self.items)

        def recv_bytes(self, maxlength=None):
            return self.items.pop(0)

    conn = Loopback()
    with pytest.raises(TimeoutError):
        recv(conn, timeout=0.01)
    conn.items.append(frozenpack.dumps(VALUE))
    assert exactly_equal(recv(conn, timeout=0.01), VALUE)
