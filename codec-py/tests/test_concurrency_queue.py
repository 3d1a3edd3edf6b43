"""Timeouts that hold: FrozenQueue and recv against partial messages, stalled and dead peers.

Every scenario here used to hang (or to block every other process for good): a producer
killed in the middle of a large put, octets of a message that never finish arriving, a
process killed while it holds a lock. Each blocking call runs under `_hang_guard`, which
fails the test (SIGALRM) instead of letting it hang. Timings are asserted only as "well
within the timeout plus two seconds", which fails on a hang, not on a slow machine.

The producers and consumers are real processes, killed with SIGKILL or paused with SIGSTOP
at a point the test waits for (the pipe being full, a lock being held), so each run takes
the same path.
"""

import array
import contextlib
import fcntl
import multiprocessing
import os
import queue
import re
import signal
import struct
import termios
import threading
import time
import tracemalloc
import warnings

import pytest

import frozenpack
from frozenpack import connection
from frozenpack._queue_file import queue_file
from frozenpack._queue_wire import frame_chunks
from frozenpack.connection import FrozenQueue, recv, send
from reference_helpers import exactly_equal, float_from_bits

# Only reached on a hang, or by a spawned interpreter starting on a very loaded machine.
GUARD = 20
SLACK = 2  # what a "timeout holds" check allows beyond the timeout: only a hang exceeds it
# A Linux pipe holds 16 pages by default; with all but the last full, a producer writing a
# large message is blocked or about to be.
PIPE_NEARLY_FULL = 15 * 4096
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


def _in_pipe(q):
    """How many octets wait in the queue's pipe."""
    count = array.array("i", [0])
    fcntl.ioctl(q._reader.fileno(), termios.FIONREAD, count)
    return count[0]


def _locks(q):
    # White-box: the queue's (read lock, write lock), to wait until a child holds one.
    return q._file.read_lock, q._file.write_lock


def _held(lock):
    if lock.acquire(False):
        lock.release()
        return False
    return True


def _kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.join(GUARD)
    assert process.exitcode == -signal.SIGKILL


@contextlib.contextmanager
def _dropping(match=""):
    """Expect a DroppedMessageWarning from the block, checked after it (a hang shows first)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    dropped = [w for w in caught if w.category is connection.DroppedMessageWarning]
    assert any(re.search(match, str(w.message)) for w in dropped), [str(w.message) for w in dropped]
    assert {w.filename for w in dropped} == {__file__}  # it points at the caller of get


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


def _put(q, value):
    q.put(value)


def _get_and_send(q, conn):
    send(conn, (q.get(),))


def _get_on_command(q, conn):
    """Serve the parent: each timeout it sends, get(timeout); report ("empty",) or ("value", v)."""
    while True:
        timeout = recv(conn)
        if timeout is None:
            return
        try:
            send(conn, ("value", q.get(timeout=timeout)))
        except queue.Empty:
            send(conn, ("empty",))


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


def _fill_the_pipe_with_a_put_that_blocks(ctx, q, value):
    """A producer blocked in the middle of `q.put(value)`: the pipe is full, nobody reads."""
    producer = _start(ctx, _put, q, value)
    _wait_until(lambda: _in_pipe(q) >= PIPE_NEARLY_FULL, "the producer filled the pipe")
    return producer


# --- FrozenQueue: a producer that dies in the middle of put --------------------------------------


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_get_times_out_on_the_message_of_a_producer_killed_mid_put(method):
    ctx = multiprocessing.get_context(method)
    q = FrozenQueue(ctx=ctx)
    _kill(_fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(10 << 20)))

    with _dropping("stopped in the middle"):
        outcome, seconds = _timed(q.get, timeout=0.5)
    assert isinstance(outcome, queue.Empty)
    assert seconds < 0.5 + SLACK
    assert q.dropped == 1
    assert q.empty()  # the dead producer's part of a message is gone, not left to poison

    producer = _start(ctx, _put, q, VALUE)
    with _hang_guard():
        assert exactly_equal(q.get(timeout=GUARD), VALUE)
    producer.join(GUARD)
    assert producer.exitcode == 0
    assert q.dropped == 1


def test_a_producer_killed_holding_the_write_lock_blocks_no_one():
    # The dead producer held the write lock and left part of a message; the next producer's
    # put goes through, and a get without timeout skips the dead message for the next one.
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    _kill(_fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(10 << 20)))
    producer = _start(ctx, _put, q, VALUE)
    with _dropping(), _hang_guard():
        assert exactly_equal(q.get(), VALUE)
    with _hang_guard():
        producer.join(GUARD)
    assert producer.exitcode == 0
    assert q.dropped == 1


def test_get_without_timeout_drops_a_dead_producers_message_while_it_waits():
    # Nothing else is put: the waiting get must still see that no one can finish what the
    # dead producer left (it never waits on it), then take the next message when it comes.
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    _kill(_fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(10 << 20)))
    here, there = ctx.Pipe()
    consumer = _start(ctx, _get_and_send, q, there)
    _wait_until(lambda: q.dropped == 1, "the waiting consumer dropped the dead message")
    q.put(VALUE)
    with _hang_guard():
        assert exactly_equal(recv(here, timeout=GUARD), (VALUE,))
    consumer.join(GUARD)
    assert consumer.exitcode == 0


def test_a_drop_warning_turned_into_an_error_loses_no_other_message():
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    _kill(_fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(10 << 20)))
    producer = _start(ctx, _put, q, VALUE)
    with warnings.catch_warnings(), _hang_guard():
        warnings.simplefilter("error", connection.DroppedMessageWarning)
        with pytest.raises(connection.DroppedMessageWarning):
            q.get()
        assert exactly_equal(q.get(timeout=GUARD), VALUE)
    assert q.dropped == 1
    producer.join(GUARD)


def test_a_partial_message_left_in_the_state_file_by_a_killed_producer_is_dropped():
    # A get times out in the middle of a live producer's message (kept in the state file);
    # then the producer is killed: the next get drops what was kept and what is in the pipe.
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    producer = _fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(1 << 20))
    os.kill(producer.pid, signal.SIGSTOP)
    outcome, seconds = _timed(q.get, timeout=0.2)
    assert isinstance(outcome, queue.Empty) and seconds < 0.2 + SLACK
    assert q.dropped == 0  # a stopped producer is alive: what it wrote is kept, not dropped
    _kill(producer)
    with _dropping():
        outcome, seconds = _timed(q.get, timeout=0.2)
    assert isinstance(outcome, queue.Empty) and seconds < 0.2 + SLACK
    assert q.dropped == 1
    q.put(VALUE)
    assert exactly_equal(q.get(timeout=GUARD), VALUE)


# --- FrozenQueue: octets that are not whole messages --------------------------------------------


def _chunk_header(payload_length, frame_length, index=0, crc=0):
    # magic, version, 0, payload length, frame id, frame length, index, CRC (here: wrong)
    return struct.pack("!2sBBHQQII", b"\xfa\x51", 1, 0, payload_length, 7, frame_length, index, crc)


STRAY_OCTETS = {
    # A Connection-style length header, and nothing after it.
    "length_header_only": lambda: struct.pack("!i", 1000),
    # A chunk header that claims more payload than follows it.
    "chunk_cut_short": lambda: _chunk_header(4000, 4000) + b"x" * 100,
    # The first chunk of a three-chunk message, and no more of it.
    "first_chunk_only": lambda: b"".join(next(frame_chunks(b"\x01" * 10_000))),
    # A whole one-chunk message whose CRC does not match: not a message.
    "chunk_with_a_wrong_crc": lambda: _chunk_header(2, 2) + b"\x01\x02",
}


@pytest.mark.parametrize("name", sorted(STRAY_OCTETS))
def test_get_timeout_holds_against_octets_written_straight_to_the_pipe(name):
    q = FrozenQueue()
    os.write(q._writer.fileno(), STRAY_OCTETS[name]())
    with _dropping():
        outcome, seconds = _timed(q.get, timeout=0.3)
    assert isinstance(outcome, queue.Empty)
    assert seconds < 0.3 + SLACK
    assert q.dropped == 1
    q.put(VALUE)
    assert exactly_equal(q.get(timeout=GUARD), VALUE)
    assert q.dropped == 1


def test_stray_octets_before_a_message_are_skipped_and_the_message_arrives():
    q = FrozenQueue()
    os.write(q._writer.fileno(), b"\xfa\x51 not a chunk \xfa")
    q.put(VALUE)
    with _dropping("not part of any message"):
        assert exactly_equal(q.get(timeout=GUARD), VALUE)
    assert q.dropped == 1


def test_chunks_of_two_messages_never_make_one():
    # White-box, chunk by chunk, the test holding the write lock as a live producer would:
    # the first chunk of message A is read and kept; then comes the second chunk of message
    # B (the reader that took B's first chunk died). B's chunk has the index A expects next,
    # but another message's id: both are dropped, never joined.
    q = FrozenQueue()
    fd = q._writer.fileno()
    a = list(frame_chunks(b"\xaa" * 10_000))
    b = list(frame_chunks(b"\xbb" * 10_000))
    write_lock = _locks(q)[1]
    write_lock.acquire()
    try:
        os.writev(fd, a[0])
        assert isinstance(_timed(q.get, timeout=0.05)[0], queue.Empty)
        assert q.dropped == 0  # A's producer (this test) still holds the write lock
        for chunk in b[1:]:
            os.writev(fd, chunk)
        with _dropping("part missing"):
            assert isinstance(_timed(q.get, timeout=0.05)[0], queue.Empty)
        assert q.dropped == 2
    finally:
        write_lock.release()
    q.put(VALUE)
    assert exactly_equal(q.get(timeout=GUARD), VALUE)


# --- FrozenQueue: a live producer that is slow -------------------------------------------------


def test_a_slow_producers_message_is_read_across_gets_of_two_consumer_processes():
    # The producer is paused (SIGSTOP) each time it has filled the pipe; the parent and a
    # child consumer take turns calling get(timeout=0.05), each reading what the pipe holds
    # and timing out. The message must come out exactly once, exactly, and nothing dropped.
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    value = _big(1 << 20)
    here, there = ctx.Pipe()
    consumer = _start(ctx, _get_on_command, q, there)
    producer = _start(ctx, _put, q, value)
    outcomes = []
    while not outcomes or outcomes[-1][0] == "empty":
        assert len(outcomes) < 100, "the message never came out"
        _wait_until(
            lambda: _in_pipe(q) >= PIPE_NEARLY_FULL or producer.exitcode is not None,
            "the producer filled the pipe again, or finished",
        )
        if producer.exitcode is None:
            os.kill(producer.pid, signal.SIGSTOP)
        if len(outcomes) % 2 == 0:
            outcome, seconds = _timed(q.get, timeout=0.05)
            outcomes.append(("empty",) if isinstance(outcome, queue.Empty) else ("value", outcome))
        else:
            send(here, 0.05)
            with _hang_guard():
                outcomes.append(recv(here))
            seconds = 0
        assert seconds < 0.05 + SLACK
        if producer.exitcode is None:
            os.kill(producer.pid, signal.SIGCONT)
    *timeouts, (kind, received) = outcomes
    assert kind == "value" and exactly_equal(received, value)
    assert len(timeouts) >= 10  # 1 MiB at 64 KiB a turn: both consumers continued it
    assert q.dropped == 0
    send(here, None)
    for process in (consumer, producer):
        process.join(GUARD)
        assert process.exitcode == 0
    assert q.empty()


def test_get_timeout_holds_while_another_consumer_waits_holding_the_read_lock():
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    here, there = ctx.Pipe()
    consumer = _start(ctx, _get_and_send, q, there)
    _wait_until(lambda: _held(_locks(q)[0]), "the consumer holds the read lock")
    outcome, seconds = _timed(q.get, timeout=0.3)
    assert isinstance(outcome, queue.Empty)
    assert seconds < 0.3 + SLACK
    q.put(VALUE)
    with _hang_guard():
        assert exactly_equal(recv(here, timeout=GUARD), (VALUE,))
    consumer.join(GUARD)


# --- FrozenQueue: consumers that die ------------------------------------------------------------


def test_a_consumer_killed_holding_the_read_lock_blocks_no_one():
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    here, there = ctx.Pipe()
    consumer = _start(ctx, _get_and_send, q, there)
    _wait_until(lambda: _held(_locks(q)[0]), "the consumer holds the read lock")
    _kill(consumer)
    q.put(VALUE)
    with _hang_guard():
        assert exactly_equal(q.get(timeout=GUARD), VALUE)
    assert q.dropped == 0


def test_a_consumer_killed_in_the_middle_of_a_message_loses_only_that_message():
    # The consumer has read the first 64 KiB of a 1 MiB message (the producer is paused) when
    # it is killed. The rest of that message can never be completed: the next get drops it
    # and returns the next message, intact.
    ctx = multiprocessing.get_context("fork")
    q = FrozenQueue(ctx=ctx)
    producer = _fill_the_pipe_with_a_put_that_blocks(ctx, q, _big(1 << 20))
    os.kill(producer.pid, signal.SIGSTOP)
    here, there = ctx.Pipe()
    consumer = _start(ctx, _get_and_send, q, there)
    _wait_until(
        lambda: _in_pipe(q) == 0 and _held(_locks(q)[0]),
        "the consumer has read what the pipe held and waits for more",
    )
    _kill(consumer)
    os.kill(producer.pid, signal.SIGCONT)
    next_producer = _start(ctx, _put, q, VALUE)  # writes once the first producer is done
    with _dropping("part missing"), _hang_guard():
        assert exactly_equal(q.get(timeout=GUARD), VALUE)
    assert q.dropped == 1
    for process in (producer, next_producer):
        process.join(GUARD)
        assert process.exitcode == 0


# --- FrozenQueue: what must keep working ---------------------------------------------------------


def test_get_with_timeout_0_takes_a_message_of_several_chunks_wholly_in_the_pipe():
    q = FrozenQueue()
    value = (b"\x01" * 40_000, "x")  # ten chunks
    q.put(value)
    assert exactly_equal(q.get(timeout=0), value)
    with pytest.raises(queue.Empty):
        q.get(timeout=0)


def test_negative_timeouts_are_refused():
    q = FrozenQueue()
    with pytest.raises(ValueError, match="non-negative"):
        q.get(timeout=-1)
    a, b = multiprocessing.Pipe()
    with pytest.raises(ValueError, match="non-negative"):
        recv(b, timeout=-0.5)


def test_threads_of_one_process_share_the_queue_safely():
    q = FrozenQueue()
    sizes = [0, 1, 4000, 4074, 4075, 9000, 70_000]  # around the chunk and pipe sizes
    sent = [(producer, i, b"\x07" * sizes[i % len(sizes)]) for producer in range(3) for i in range(40)]
    received = []
    end = time.monotonic() + GUARD

    def produce(producer):
        for message in sent:
            if message[0] == producer:
                q.put(message)

    def consume():
        while len(received) < len(sent) and time.monotonic() < end:
            with contextlib.suppress(queue.Empty):
                received.append(q.get(timeout=0.05))

    threads = [threading.Thread(target=produce, args=(p,)) for p in range(3)]
    threads += [threading.Thread(target=consume) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(GUARD)
        assert not thread.is_alive()
    assert sorted(received) == sorted(sent)
    assert q.dropped == 0


def test_a_second_copy_in_one_process_shares_the_locks_and_the_state_file():
    # Closing a second descriptor of the state file would drop this process's locks on it,
    # and separate thread locks would let two threads in at once: copies share one.
    q = FrozenQueue()
    assert queue_file(os.dup(q._file.fd)) is q._file


def test_a_closed_queue_refuses_to_be_used():
    q = FrozenQueue()
    q.close()
    for call in (q.get, q.empty, lambda: q.put(1)):
        with pytest.raises(OSError):
            call()


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


@pytest.mark.parametrize(
    "size, cuts",
    [
        (100_000, [2, 4, 1000, 50_000]),  # the header in two pieces, then the payload in three
        (10_000, [100, 9000]),  # the header and part of a payload small enough to read at once
    ],
)
def test_recv_timeout_holds_against_a_message_that_arrives_in_pieces(connection_pair, size, cuts):
    reader, writer = connection_pair
    value = _big(size)
    message = _framed(value)
    cuts = [0, *cuts, len(message)]
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
