"""The extension's stream API at its limits: pipes that cannot seek back, written by another
process in small pieces, and hostile length headers, against which what is held must follow
the octets received (spec §9, "Memory"), never what a header claims.

Memory is measured twice: tracemalloc sees the Python objects (what fp.read() is asked to
return, the values); the process's peak virtual size (Linux) sees everything, the Rust
buffers too, and a reservation sized by a header would show in it even untouched.
"""

import io
import os
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from extension_helpers import extension, reference
from reference_helpers import exactly_equal, nested

VALUES = [(1, "two", None), b"\x07" * (1 << 20), nested(1000, "deep"), 2**300, "é" * 5000, ()]
STREAM = b"".join(reference.dumps(v) for v in VALUES)
AFTER = b"ASCII octets (each one a FIXINT), then \xe0, a reserved tag"

# Writes STREAM + AFTER to stdout in pieces of 1 to 4096 octets, flushing each, then exits.
WRITER = textwrap.dedent(
    """
    import os, random, sys
    data = sys.stdin.buffer.read()
    rng, pos = random.Random(5), 0
    while pos < len(data):
        n = rng.randint(1, 4096)
        os.write(1, data[pos:pos + n])
        pos += n
    """
)


def _pipe_from_writer():
    """A subprocess writing STREAM + AFTER to a pipe in small pieces; its read end, unbuffered
    (a FileIO: every read is a read(2) of the pipe, nothing read ahead)."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    writer.stdin.write(STREAM + AFTER)
    writer.stdin.close()
    return writer, os.fdopen(os.dup(writer.stdout.fileno()), "rb", buffering=0)


def test_load_from_a_pipe_takes_each_value_and_leaves_the_rest_in_the_pipe():
    writer, pipe = _pipe_from_writer()
    with pipe:
        for value in VALUES:
            assert exactly_equal(extension.load(pipe), value)
        # Whatever follows the last value is still in the pipe, for any other reader.
        rest = b""
        while chunk := os.read(pipe.fileno(), 65536):
            rest += chunk
    assert rest == AFTER
    writer.stdout.close()
    assert writer.wait(60) == 0


def test_iter_load_from_a_pipe_reads_to_the_end_and_reports_what_follows():
    writer, pipe = _pipe_from_writer()
    got = []
    with pipe, pytest.raises(extension.DecodeError) as info:
        for value in extension.iter_load(pipe):
            got.append(value)
    assert len(got) >= len(VALUES) and all(map(exactly_equal, got, VALUES))
    # AFTER reads as FIXINTs up to its reserved tag: the same values and error as the
    # reference's reading the same octets from memory.
    expected = []
    with pytest.raises(reference.DecodeError) as reference_info:
        for value in reference.iter_load(io.BytesIO(STREAM + AFTER)):
            expected.append(value)
    assert got[len(VALUES):] == expected[len(VALUES):]
    error, reference_error = info.value, reference_info.value
    assert (error.kind, error.offset, error.detail) == (
        reference_error.kind, reference_error.offset, reference_error.detail)
    assert error.offset > len(STREAM)
    writer.stdout.close()
    assert writer.wait(60) == 0


# Length headers claiming far more than will come: BYTES of 2**64 - 1 and 2**40 octets, STR
# and BIGINT of 1 GiB.
HOSTILE_HEADERS = [b"\xd7" + b"\xff" * 8, b"\xd7" + (2**40).to_bytes(8, "little"),
                   b"\xd2" + (1 << 30).to_bytes(4, "little"),
                   b"\xce" + (1 << 30).to_bytes(4, "little")]


class HostileStream:
    """`header`, then `sent` octets of zeros, then the end of the stream; read(n) returns at
    most n octets, as asked."""

    def __init__(self, header, sent):
        self.data = header + b"\x00" * sent
        self.pos = 0
        self.largest_read = 0

    def read(self, size):
        self.largest_read = max(self.largest_read, size)
        chunk = self.data[self.pos:self.pos + size]
        self.pos += len(chunk)
        return chunk


@pytest.mark.parametrize("header", HOSTILE_HEADERS)
def test_load_under_a_hostile_header_holds_what_arrived(header):
    sent = 2 << 20
    stream = HostileStream(header, sent)
    tracemalloc.start()
    try:
        with pytest.raises(extension.DecodeError) as info:
            extension.load(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.value.kind, info.value.offset) == ("truncated", len(header) + sent)
    # The reads grow with the octets read (at most doubling), not with the claim.
    assert stream.largest_read <= 2 * (len(header) + sent)
    assert peak < 8 * sent


@pytest.mark.parametrize("header", HOSTILE_HEADERS)
def test_decoder_under_a_hostile_header_holds_what_arrived(header):
    decoder = extension.Decoder()
    tracemalloc.start()
    try:
        assert decoder.feed(header) == []
        piece = b"\x00" * (64 << 10)
        for _ in range(32):
            assert decoder.feed(piece) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    received = len(header) + 32 * len(piece)
    assert decoder.buffered == received
    assert peak < 4 * len(piece)  # Python objects: the pieces, nothing sized by the header
    with pytest.raises(extension.DecodeError) as info:
        decoder.close()
    assert (info.value.kind, info.value.offset) == ("truncated", received)


# The whole process's peak virtual size, before and after: a buffer reserved by what a header
# claims (1 GiB here; 2**64 - 1 could not be reserved at all) shows in it even if untouched.
PEAK_SCRIPT = textwrap.dedent(
    """
    import io, sys
    import frozenpack

    def peak_kib():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1])

    headers = [tag + (1 << 30).to_bytes(4, "little") for tag in (b"\\xd6", b"\\xd2", b"\\xce")]
    headers += [tag + b"\\xff" * 8 for tag in (b"\\xd7", b"\\xd3", b"\\xcf")]
    piece = b"\\x00" * (64 << 10)
    before = peak_kib()
    for header in headers:  # BYTES, STR and BIGINT of 1 GiB, then of 2**64 - 1 octets
        decoder = frozenpack.Decoder()
        decoder.feed(header)
        for _ in range(16):
            decoder.feed(piece)
        try:
            frozenpack.load(io.BytesIO(header + piece * 16))
        except frozenpack.DecodeError as e:
            assert e.kind == "truncated", e
    # Tuples announcing 2**64 - 1 items each, nested 900 deep.
    decoder = frozenpack.Decoder()
    decoder.feed((b"\\xdb" + b"\\xff" * 8) * 900)
    print(peak_kib() - before)
    """
)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_no_buffer_is_sized_by_a_header_in_the_whole_process():
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    grown_kib = int(done.stdout)
    assert grown_kib < 64 << 10, f"peak virtual size grew by {grown_kib} KiB"
