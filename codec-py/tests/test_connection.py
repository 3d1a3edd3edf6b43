"""frozenpack.connection: values between real processes (spawn and fork), exactly, and errors.

The child processes run the module-level functions below; under "spawn" they are imported in
a fresh interpreter, so the values cross a real process boundary in both start methods.
"""

import multiprocessing
import os
import pickle
import queue
import zlib

import pytest

import frozenpack
from frozenpack import DecodeError
from frozenpack.connection import FrozenQueue, get, put, recv, send
from reference_helpers import exactly_equal, nested
from workers_helpers import TIMEOUT, VALUES

START_METHODS = ["spawn", "fork"]


def _context(method):
    return multiprocessing.get_context(method)


def _recv_within(conn):
    # Fail rather than hang if the child died without answering.
    assert conn.poll(TIMEOUT), "no message from the child process"
    return recv(conn)


def _finish(process):
    process.join(TIMEOUT)
    assert process.exitcode == 0


# --- child processes ----------------------------------------------------------------------------


def _echo_values(conn):
    """Receive values until None, sending each back: decoded and re-encoded in the child."""
    while True:
        value = recv(conn)
        if value is None:
            send(conn, ("done",))
            return
        send(conn, (value,))


def _report_decode_error(conn):
    """Receive one message and report what recv made of it, as (kind, offset) or ("ok", value)."""
    try:
        value = recv(conn)
    except DecodeError as e:
        send(conn, (e.kind, e.offset))
    else:
        send(conn, ("ok", value))


def _send_a_pickle(conn):
    conn.send((1, 2))  # Connection.send pickles


def _queue_worker(jobs, results):
    """Square ints taken from `jobs` until None; put (worker's job, result) on `results`."""
    while True:
        job = jobs.get()
        if job is None:
            return
        results.put((job, job * job))


def _frozen_queue_echo(jobs, results):
    while True:
        job = jobs.get()
        if job == ("stop",):
            return
        results.put(job)


def _queue_echo(jobs, results):
    while True:
        job = get(jobs)
        if job == ("stop",):
            return
        put(results, job)


# --- Connection: send and recv ------------------------------------------------------------------


@pytest.mark.parametrize("method", START_METHODS)
def test_values_round_trip_through_a_child_process_exactly(method):
    ctx = _context(method)
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_echo_values, args=(child,))
    process.start()
    child.close()
    for value in VALUES[1:]:  # None is the child's stop signal
        send(parent, value)
        (back,) = _recv_within(parent)
        assert exactly_equal(back, value), value
    send(parent, None)
    assert _recv_within(parent) == ("done",)
    _finish(process)


@pytest.mark.parametrize("method", START_METHODS)
def test_the_child_reports_invalid_octets_with_kind_and_offset(method):
    ctx = _context(method)
    for octets, expected in [
        (b"\xc4\x05", ("non_canonical", 0)),  # INT1 holding 5
        (b"\xb2\x01", ("truncated", 2)),
        (b"\x01\x02", ("trailing_bytes", 1)),
        (b"", ("truncated", 0)),
    ]:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_report_decode_error, args=(child,))
        process.start()
        child.close()
        parent.send_bytes(octets)  # raw octets, as a misbehaving peer would send them
        assert _recv_within(parent) == expected
        _finish(process)


@pytest.mark.parametrize("method", START_METHODS)
def test_a_pickle_received_is_a_decode_error(method):
    ctx = _context(method)
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_send_a_pickle, args=(child,))
    process.start()
    child.close()
    assert parent.poll(TIMEOUT)
    with pytest.raises(DecodeError) as info:
        recv(parent)
    # A pickle starts with PROTO (80), which reads as FIXSTR of length 0: the value "" ends
    # at offset 1 and the rest of the pickle is trailing.
    assert (info.value.kind, info.value.offset) == ("trailing_bytes", 1)
    _finish(process)


def test_an_unsupported_value_raises_and_sends_nothing():
    a, b = multiprocessing.Pipe()
    with pytest.raises(TypeError, match=r"^unsupported type 'list' at \$\[1\]$"):
        send(a, (1, [2]))
    assert not b.poll(0)
    send(a, 7)
    assert recv(b) == 7


def test_maxlength_bounds_the_message_accepted():
    a, b = multiprocessing.Pipe()
    send(a, b"x" * 100)  # 102 octets encoded
    assert recv(b, maxlength=102) == b"x" * 100
    send(a, b"x" * 100)
    with pytest.raises(OSError):
        recv(b, maxlength=101)


def test_max_depth_is_the_depth_limit_of_loads():
    a, b = multiprocessing.Pipe()
    send(a, nested(3))
    with pytest.raises(DecodeError) as info:
        recv(b, max_depth=2)
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 2)


def test_recv_after_the_writer_closed_is_eof():
    a, b = multiprocessing.Pipe()
    a.close()
    with pytest.raises(EOFError):
        recv(b)


def test_the_octets_sent_are_the_encoding():
    a, b = multiprocessing.Pipe()
    send(a, (1, "a", None))
    assert b.recv_bytes() == bytes.fromhex("b3 01 81 61 c0")


# --- FrozenQueue --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", START_METHODS)
def test_frozen_queue_between_several_workers(method):
    ctx = _context(method)
    jobs, results = FrozenQueue(ctx=ctx), FrozenQueue(ctx=ctx)
    workers = [ctx.Process(target=_queue_worker, args=(jobs, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    numbers = [2**64 + i for i in range(40)] + [-5, 0]
    for n in numbers:
        jobs.put(n)
    for _ in workers:
        jobs.put(None)
    answers = [results.get(timeout=TIMEOUT) for _ in numbers]
    # Each job answered exactly once, by whichever worker took it.
    assert sorted(answers) == sorted((n, n * n) for n in numbers)
    for worker in workers:
        _finish(worker)
    assert results.empty()


@pytest.mark.parametrize("method", START_METHODS)
def test_frozen_queue_carries_values_exactly(method):
    ctx = _context(method)
    there, back = FrozenQueue(ctx=ctx), FrozenQueue(ctx=ctx)
    process = ctx.Process(target=_frozen_queue_echo, args=(there, back))
    process.start()
    for value in VALUES:
        there.put(value)
        assert exactly_equal(back.get(timeout=TIMEOUT), value)
    there.put(("stop",))
    _finish(process)


def test_frozen_queue_get_times_out_when_empty():
    q = FrozenQueue()
    assert q.empty()
    with pytest.raises(queue.Empty):
        q.get(timeout=0.05)
    q.put((1, 2.5))
    assert not q.empty()
    assert q.get(timeout=1) == (1, 2.5)


def test_frozen_queue_pipe_holds_frozenpack_octets_only():
    # One chunk: magic, version 1, 0, payload length, random frame id, frame length, index 0,
    # CRC-32 of all that and the payload; then the payload, the encoding itself.
    q = FrozenQueue()
    q.put(("a", 1))
    chunk = os.read(q._reader.fileno(), 4096)
    assert chunk[:6] == bytes.fromhex("fa 51 01 00 0004")
    assert chunk[14:26] == bytes.fromhex("0000000000000004 00000000")
    assert chunk[26:30] == zlib.crc32(chunk[30:], zlib.crc32(chunk[:26])).to_bytes(4, "big")
    assert chunk[30:] == bytes.fromhex("b2 81 61 01")
    assert q.empty()


def test_frozen_queue_rejects_unsupported_values_and_puts_nothing():
    q = FrozenQueue()
    with pytest.raises(TypeError, match=r"^unsupported type 'dict' at \$$"):
        q.put({})
    assert q.empty()


def test_frozen_queue_max_depth():
    q = FrozenQueue(max_depth=1)
    q.put(((),))
    with pytest.raises(DecodeError) as info:
        q.get()
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 1)


def test_frozen_queue_is_passed_to_processes_only_when_they_start():
    with pytest.raises(RuntimeError, match="inheritance"):
        pickle.dumps(FrozenQueue())


# --- put and get over a multiprocessing.Queue ---------------------------------------------------


@pytest.mark.parametrize("method", START_METHODS)
def test_put_and_get_over_a_multiprocessing_queue(method):
    ctx = _context(method)
    there, back = ctx.Queue(), ctx.Queue()
    process = ctx.Process(target=_queue_echo, args=(there, back))
    process.start()
    for value in VALUES:
        put(there, value)
        assert exactly_equal(get(back, timeout=TIMEOUT), value)
    put(there, ("stop",))
    _finish(process)


def test_get_of_something_that_is_not_an_encoding():
    q = queue.Queue()  # any object with put/get will do
    q.put(b"\xe0")
    with pytest.raises(DecodeError) as info:
        get(q)
    assert (info.value.kind, info.value.offset) == ("unknown_tag", 0)
    with pytest.raises(queue.Empty):
        get(q, timeout=0.01)
