"""The extension's stream API against the reference's, call by call (hypothesis).

test_stream_api.py checks each implementation against its own whole-input decoder, at the end
of a stream. Here the two implementations are run side by side on the same random sequences
of values (mutated, so with invalid octets too), cut at random places, and must agree on every
call: what each Decoder.feed()/close() returns or raises (values with their exact types, or
the error's kind, offset and message), the offset, buffered and repr after it; and, for
load/iter_load, the sizes each one asks fp.read() for, what it reads, where it leaves fp.
"""

import io

from hypothesis import given
from hypothesis import strategies as st

from extension_helpers import extension, outcome, reference, same_outcome
from reference_helpers import PROPERTY_SETTINGS, mutate, mutation, values

# Values longer than 64 octets, whose errors the decoders look for each time the octets
# received have doubled: long strings and bytes, wide tuples of them.
_long = st.one_of(
    st.binary(min_size=60, max_size=700),
    st.text(min_size=40, max_size=300),
    st.lists(st.one_of(st.binary(min_size=10, max_size=60), st.integers()), min_size=16,
             max_size=40).map(tuple),
)
# What no encoder writes: reserved tags, deep or wide tuple headers, hostile length fields.
_raw = st.sampled_from([
    b"\xe0", b"\xef\x00", b"\xb1" * 5, b"\xbf", b"\xd8\x20", b"\xdb" + b"\xff" * 8,
    b"\xd7" + b"\xff" * 8, b"\xd3\x00\x00\x00\x00\x01\x00\x00\x00", b"\xc4\x05", b"\x80",
])
_pieces = st.lists(st.one_of(values.map(reference.dumps), _long.map(reference.dumps), _raw),
                   max_size=6)
_max_depth = st.sampled_from([1000, 0, 1, 2, 4])


@st.composite
def streams(draw):
    """Octets of a sequence (mutated at times), and where to cut them."""
    data = mutate(b"".join(draw(_pieces)), draw(st.lists(mutation, max_size=2)))
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=10)))
    return data, cuts


def decoder_calls(module, data, cuts, max_depth):
    """Every call a user makes on a Decoder fed `data` cut at `cuts`, then closed (and used
    after that), with what it did and the decoder's state after it."""
    decoder = module.Decoder(max_depth=max_depth)
    calls = [lambda start=start, end=end: decoder.feed(data[start:end])
             for start, end in zip([0, *cuts], [*cuts, len(data)])]
    calls += [decoder.close, decoder.close, lambda: decoder.feed(b"\x00")]
    log = []
    for call in calls:
        log.append((outcome(call), decoder.offset, decoder.buffered, repr(decoder)))
    return log


def assert_same_log(expected, actual):
    assert len(expected) == len(actual)
    for (out_a, *state_a), (out_b, *state_b) in zip(expected, actual):
        if out_a[0] == "value" and out_b[0] == "value" and isinstance(out_a[1], list):
            assert len(out_a[1]) == len(out_b[1]), (out_a, out_b)
            assert all(same_outcome(("value", a), ("value", b))
                       for a, b in zip(out_a[1], out_b[1])), (out_a, out_b)
        else:
            assert same_outcome(out_a, out_b), (out_a, out_b)
        assert state_a == state_b


@PROPERTY_SETTINGS
@given(streams(), _max_depth)
def test_decoder_does_what_the_references_does_call_by_call(stream, max_depth):
    data, cuts = stream
    assert_same_log(decoder_calls(reference, data, cuts, max_depth),
                    decoder_calls(extension, data, cuts, max_depth))


class SpyFile(io.RawIOBase):
    """A raw stream over `data` that records the sizes it is asked for, returns at most the
    next of `limits` octets per read (short reads, as a pipe gives), as `kind`."""

    def __init__(self, data, limits, kind):
        self.data, self.pos, self.limits, self.kind, self.asked = data, 0, list(limits), kind, []

    def readable(self):
        return True

    def read(self, size=-1):
        self.asked.append(size)
        limit = self.limits.pop(0) if self.limits else size
        n = max(0, min(size, limit, len(self.data) - self.pos))
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        if self.kind == "bytearray":
            return bytearray(chunk)
        if self.kind == "memoryview":
            return memoryview(bytearray(chunk))
        return chunk


_reads = st.tuples(st.lists(st.integers(1, 9), max_size=12),
                   st.sampled_from(["bytes", "bytearray", "memoryview"]))


def load_calls(module, data, reads, max_depth):
    """load() called until it raises (an empty stream raises `truncated`): what each call
    did, where it left fp, and every size asked for."""
    fp = SpyFile(data, *reads)
    log = []
    for _ in range(len(data) + 1):
        log.append((outcome(module.load, fp, max_depth=max_depth), fp.pos, len(fp.asked), 0))
        if log[-1][0][0] == "raises":
            break
    return log, fp.asked


def iter_load_calls(module, data, reads, max_depth):
    fp = SpyFile(data, *reads)
    iterator = module.iter_load(fp, max_depth=max_depth)
    log = []
    for _ in range(len(data) + 2):
        log.append((outcome(next, iterator), fp.pos, len(fp.asked), 0))
    return log, fp.asked


@PROPERTY_SETTINGS
@given(streams(), _reads, _max_depth)
def test_load_reads_what_the_references_reads(stream, reads, max_depth):
    data, _ = stream
    expected, asked = load_calls(reference, data, reads, max_depth)
    actual, actual_asked = load_calls(extension, data, reads, max_depth)
    assert_same_log(expected, actual)
    assert asked == actual_asked


@PROPERTY_SETTINGS
@given(streams(), _reads, _max_depth)
def test_iter_load_reads_what_the_references_reads(stream, reads, max_depth):
    data, _ = stream
    expected, asked = iter_load_calls(reference, data, reads, max_depth)
    actual, actual_asked = iter_load_calls(extension, data, reads, max_depth)
    assert_same_log(expected, actual)
    assert asked == actual_asked
