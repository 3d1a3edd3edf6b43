"""The stream API (spec §9): load(fp) reads one value and leaves fp after it, iter_load(fp)
reads values to the end of the stream, Decoder.feed(data) decodes octets as they arrive.

Every test runs on each implementation that has the API: the reference now, the compiled
extension once it gains load/iter_load/Decoder (until then its cases are skipped, saying so).
The oracle is always the whole-input functions of the same implementation (iter_loads,
loads_prefix), whose parity with the spec the other test files establish.
"""

import asyncio
import io
import os
import socket
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frozenpack.reference as reference
from reference_helpers import PROPERTY_SETTINGS, exactly_equal, h, mutate, mutation, nested, values

try:
    from frozenpack import _frozenpack as extension
except ImportError:  # pragma: no cover - make test builds it
    extension = None

STREAM_API = ("load", "iter_load", "Decoder")


def _implementations():
    yield pytest.param(reference, id="reference")
    if extension is None:
        reason = "the compiled extension is not built (make extension)"
    elif all(hasattr(extension, name) for name in STREAM_API):
        yield pytest.param(extension, id="extension")
        return
    else:
        reason = "the extension has no stream API yet (load/iter_load/Decoder of issue 10)"
    yield pytest.param(None, id="extension", marks=pytest.mark.skip(reason=reason))


# Every test takes `impl`, one of the implementations that have the API.
pytestmark = pytest.mark.parametrize("impl", list(_implementations()))


# --- helpers -----------------------------------------------------------------------------------


def sequence_outcome(impl, data, max_depth=1000):
    """What iter_loads gives: (values, (kind, offset, detail) or None). The detail too: its
    offsets count from the start of the stream, as the error's does."""
    out = []
    try:
        for value in impl.iter_loads(data, max_depth=max_depth):
            out.append(value)
    except impl.DecodeError as e:
        return out, (e.kind, e.offset, e.detail)
    return out, None


def fed_outcome(impl, data, cuts, max_depth=1000, keep_feeding=False):
    """Feed data to a Decoder cut at `cuts`, then close it: (values, (kind, offset, detail) or
    None).
    With keep_feeding, a feed that raises is not the end: the following feeds must raise the
    same error again."""
    decoder = impl.Decoder(max_depth=max_depth)
    out, error, start = [], None, 0
    for end in [*cuts, len(data)]:
        try:
            out += decoder.feed(data[start:end])
        except impl.DecodeError as e:
            if error is None:
                error = (e.kind, e.offset, e.detail)
            assert (e.kind, e.offset, e.detail) == error
            if not keep_feeding:
                return out, error
        start = end
    try:
        decoder.close()
    except impl.DecodeError as e:
        assert error in (None, (e.kind, e.offset, e.detail))
        error = (e.kind, e.offset, e.detail)
    return out, error


def same(a, b):
    (values_a, error_a), (values_b, error_b) = a, b
    return error_a == error_b and len(values_a) == len(values_b) and all(
        exactly_equal(x, y) for x, y in zip(values_a, values_b))


class SpyFile(io.RawIOBase):
    """A raw stream over `data` that records every size it is asked for and returns at most
    `chunk` octets per read (a pipe's short reads)."""

    def __init__(self, data, chunk=None):
        self.data, self.pos, self.chunk, self.asked = bytes(data), 0, chunk, []

    def readable(self):
        return True

    def readinto(self, buffer):
        self.asked.append(len(buffer))
        n = min(len(buffer), len(self.data) - self.pos, self.chunk or len(buffer))
        buffer[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n


# --- load ---------------------------------------------------------------------------------------


def test_load_reads_one_value_and_leaves_the_file_after_it(impl):
    data = reference.dumps(5) + reference.dumps(("abc", 2**70)) + b"\xe0tail"
    fp = io.BytesIO(data)
    assert impl.load(fp) == 5
    assert fp.tell() == 1
    assert exactly_equal(impl.load(fp), ("abc", 2**70))
    assert fp.read() == b"\xe0tail"


@pytest.mark.parametrize("value", [None, 7, -(2**200), 1.5, "x" * 40, "\ud800", b"y" * 70000,
                                   tuple(range(300)), nested(999, ()), ((), ((b"",),), "")])
@pytest.mark.parametrize("chunk", [None, 1, 3])
def test_load_asks_for_no_octet_after_the_value(impl, value, chunk):
    encoded = reference.dumps(value)
    spy = SpyFile(encoded + b"\x01\x02\x03", chunk=chunk)
    assert exactly_equal(impl.load(spy), value)
    assert spy.pos == len(encoded)
    assert spy.read() == b"\x01\x02\x03"


def test_load_from_a_pipe_leaves_the_next_octets_in_the_pipe(impl):
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb", buffering=0) as raw, os.fdopen(write_fd, "wb") as writer:
        writer.write(reference.dumps((1, "two")) + reference.dumps(b"3") + b"after")
        writer.flush()
        assert impl.load(raw) == (1, "two")
        assert impl.load(raw) == b"3"
        assert os.read(read_fd, 100) == b"after"  # still in the pipe: nothing read ahead


def test_load_from_a_buffered_pipe_leaves_extra_octets_in_its_buffer(impl):
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb") as buffered, os.fdopen(write_fd, "wb") as writer:
        writer.write(reference.dumps("first") + b"rest")
        writer.close()
        assert impl.load(buffered) == "first"
        assert buffered.read() == b"rest"  # the BufferedReader read ahead; nothing is lost


def test_load_at_the_end_of_the_stream_and_inside_a_value(impl):
    with pytest.raises(impl.DecodeError) as info:
        impl.load(io.BytesIO(b""))
    assert (info.value.kind, info.value.offset) == ("truncated", 0)
    with pytest.raises(impl.DecodeError) as info:
        impl.load(io.BytesIO(h("b3 01 82 61")))
    assert (info.value.kind, info.value.offset) == ("truncated", 4)
    # An error the received octets already hold is reported, whether or not more follow.
    for data in (h("b2 c4 00"), h("b2 c4 00 01 02")):
        with pytest.raises(impl.DecodeError) as info:
            impl.load(io.BytesIO(data))
        assert (info.value.kind, info.value.offset) == ("non_canonical", 1)


def test_load_max_depth(impl):
    with pytest.raises(impl.DecodeError) as info:
        impl.load(io.BytesIO(h("b1 b1 c0")), max_depth=1)
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 1)
    assert impl.load(io.BytesIO(h("b1 b1 c0")), max_depth=2) == ((None,),)
    deep = nested(5000, 0)
    assert exactly_equal(impl.load(io.BytesIO(reference.dumps(deep)), max_depth=5000), deep)
    with pytest.raises(ValueError):
        impl.load(io.BytesIO(b"\x00"), max_depth=-1)


def test_a_hostile_length_header_does_not_make_load_ask_for_it(impl):
    # BYTES claiming 2**64 - 1 octets, then 100 octets and the end of the stream.
    spy = SpyFile(h("d7") + b"\xff" * 8 + b"\x00" * 100)
    with pytest.raises(impl.DecodeError) as info:
        impl.load(spy)
    assert (info.value.kind, info.value.offset) == ("truncated", 109)
    assert max(spy.asked) <= 1 << 16


def test_load_needs_a_blocking_well_behaved_stream(impl):
    class NoDataYet:
        def read(self, size=-1):
            return None

    class TooMuch:
        def read(self, size=-1):
            return b"\x00" * (size + 1)

    with pytest.raises(BlockingIOError):
        impl.load(NoDataYet())
    with pytest.raises(ValueError, match="more than asked"):
        impl.load(TooMuch())
    with pytest.raises(TypeError):
        impl.load(io.StringIO("text"))


# --- iter_load ----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.lists(values, max_size=5), st.lists(mutation, max_size=2), st.integers(1, 9))
def test_iter_load_gives_what_iter_loads_gives(impl, items, mutations, chunk):
    data = mutate(b"".join(reference.dumps(v) for v in items), mutations)
    expected = sequence_outcome(impl, data)
    out, error = [], None
    try:
        for value in impl.iter_load(SpyFile(data, chunk=chunk)):
            out.append(value)
    except impl.DecodeError as e:
        error = (e.kind, e.offset, e.detail)
    assert same((out, error), expected)


def test_iter_load_offsets_count_from_where_it_started(impl):
    fp = io.BytesIO(b"\x09" + h("01 02 c4 05 03"))
    fp.read(1)
    it = impl.iter_load(fp)
    assert [next(it), next(it)] == [1, 2]
    with pytest.raises(impl.DecodeError) as info:
        next(it)
    assert (info.value.kind, info.value.offset) == ("non_canonical", 2)
    assert list(impl.iter_load(io.BytesIO(b""))) == []


def test_iter_load_checks_its_arguments_at_once(impl):
    with pytest.raises(TypeError):
        impl.iter_load(b"\x01")
    with pytest.raises(ValueError):
        impl.iter_load(io.BytesIO(b"\x01"), max_depth=-1)


# --- Decoder ------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.lists(values, max_size=5), st.lists(mutation, max_size=2), st.data())
def test_decoder_fed_in_any_pieces_gives_what_iter_loads_gives(impl, items, mutations, data):
    encoded = mutate(b"".join(reference.dumps(v) for v in items), mutations)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(encoded)), max_size=8)))
    max_depth = data.draw(st.sampled_from([1000, 0, 1, 3]))
    expected = sequence_outcome(impl, encoded, max_depth)
    assert same(fed_outcome(impl, encoded, cuts, max_depth), expected)
    assert same(fed_outcome(impl, encoded, cuts, max_depth, keep_feeding=True), expected)


@pytest.mark.parametrize("data", [
    b"", h("01 81 61 b0 c0"), h("01 02 c4 05 03"), h("01 83 61"), h("05 e0 06"), h("b2 e0"),
    h("b2 e0 00"), h("b2 c4 00"), h("01 02 83 61"), h("d3") + b"\xff" * 8,
    b"\xb1" * 1001 + b"\xc0", (b"\xb1" * 1000 + b"\xc0") * 2, h("d8 20 c4 00") + b"\x00" * 40,
])
def test_decoder_fed_octet_by_octet(impl, data):
    assert same(fed_outcome(impl, data, range(1, len(data))), sequence_outcome(impl, data))


def test_decoder_returns_values_before_an_error_then_raises_it(impl):
    decoder = impl.Decoder()
    assert decoder.feed(h("01 02 c4 05 03")) == [1, 2]
    for call in (lambda: decoder.feed(b"\x04"), decoder.close, lambda: decoder.feed(b"")):
        with pytest.raises(impl.DecodeError) as info:
            call()
        assert (info.value.kind, info.value.offset) == ("non_canonical", 2)
    # With no value before it in the same call, the error is raised at once.
    decoder = impl.Decoder()
    assert decoder.feed(b"\x01") == [1]
    with pytest.raises(impl.DecodeError) as info:
        decoder.feed(h("e0"))
    assert (info.value.kind, info.value.offset) == ("unknown_tag", 1)


def test_decoder_waits_on_truncated_and_close_decides(impl):
    decoder = impl.Decoder()
    assert decoder.feed(h("01 02 83 61")) == [1, 2]
    assert (decoder.offset, decoder.buffered) == (2, 2)
    assert decoder.feed(b"b") == []
    with pytest.raises(impl.DecodeError) as info:
        decoder.close()
    assert (info.value.kind, info.value.offset) == ("truncated", 5)
    decoder = impl.Decoder()
    assert decoder.feed(h("b2 e0")) == []  # 2 items, 1 octet: undecided (spec R1)
    with pytest.raises(impl.DecodeError) as info:
        decoder.feed(b"\x00")
    assert (info.value.kind, info.value.offset) == ("unknown_tag", 1)
    decoder = impl.Decoder()
    assert decoder.feed(b"\x05") == [5]
    assert decoder.close() is None
    with pytest.raises(ValueError, match="after close"):
        decoder.feed(b"\x05")


def test_decoder_reports_an_error_inside_a_value_before_its_end_arrives(impl):
    # A TUPLE of 256 items: 1, 2, a non-canonical INT1, then BYTES of 1000 octets and 252
    # more items. The value's end is 1258 octets away, but once its 256 items fit (step 6)
    # the error is final (§9), and it is reported while the BYTES still arrive.
    decoder = impl.Decoder()
    decoder.feed(h("d9 00 01 01 02 c4 05 d5 e8 03"))
    with pytest.raises(impl.DecodeError) as info:
        for _ in range(12):  # 768 octets more, fewer than the value needs
            decoder.feed(b"\x00" * 64)
    assert (info.value.kind, info.value.offset) == ("non_canonical", 5)


def test_decoder_memory_follows_the_octets_received(impl):
    decoder = impl.Decoder()
    # A BYTES header claiming 2**64 - 1 octets holds nothing but the octets that came.
    assert decoder.feed(h("d7") + b"\xff" * 8) == []
    assert decoder.buffered == 9
    assert decoder.feed(b"\x00" * 1000) == []
    assert decoder.buffered == 1009


def test_decoder_copies_what_it_is_fed(impl):
    decoder = impl.Decoder()
    buffer = bytearray(h("83 61 62"))
    assert decoder.feed(memoryview(buffer)) == []
    buffer[:] = b"\xff\xff\xff"
    assert decoder.feed(bytearray(b"c")) == ["abc"]
    with pytest.raises(TypeError):
        decoder.feed("text")


def test_decoder_checks_max_depth(impl):
    with pytest.raises(ValueError):
        impl.Decoder(max_depth=-1)
    with pytest.raises(TypeError):
        impl.Decoder(max_depth="3")
    decoder = impl.Decoder(max_depth=0)
    assert decoder.feed(b"\xc0") == [None]
    with pytest.raises(impl.DecodeError) as info:
        decoder.feed(b"\xb0")
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 1)


def test_decoder_over_a_non_blocking_socket(impl):
    items = [(i, "x" * i, b"\x00" * (i * 37)) for i in range(200)] + [nested(1000, b"end")]
    payload = b"".join(reference.dumps(v) for v in items)
    left, right = socket.socketpair()
    with left, right:
        right.setblocking(False)
        sender = threading.Thread(target=left.sendall, args=(payload,))
        sender.start()
        decoder, got = impl.Decoder(), []
        while len(got) < len(items):
            try:
                data = right.recv(4096)
            except BlockingIOError:
                threading.Event().wait(0.001)
                continue
            got += decoder.feed(data)
        sender.join()
        decoder.close()
    assert len(got) == len(items)
    assert all(exactly_equal(a, b) for a, b in zip(got, items))


def test_decoder_with_an_asyncio_stream(impl):
    values_sent = [1, "two", (3.0, b"four"), 2**100]

    async def main():
        reader = asyncio.StreamReader()
        payload = b"".join(reference.dumps(v) for v in values_sent)
        for i in range(0, len(payload), 3):
            reader.feed_data(payload[i:i + 3])
        reader.feed_eof()
        decoder, got = impl.Decoder(), []
        while data := await reader.read(5):
            got += decoder.feed(data)
        decoder.close()
        return got

    got = asyncio.run(main())
    assert len(got) == len(values_sent)
    assert all(exactly_equal(a, b) for a, b in zip(got, values_sent))
