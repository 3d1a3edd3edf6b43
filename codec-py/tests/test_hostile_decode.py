"""Hostile input to loads (issue 5): headers claiming far more than the input holds, chains of
headers that each claim nearly all of it, depth bombs. Both implementations give the error
spec §6 reaches, at its offset, and allocate O(N) Python memory for N octets (spec §8),
measured with tracemalloc.

tracemalloc sees Python objects and the reference's buffers; the extension's own Rust
allocations are outside it, and are bounded by codec/tests/resource_bounds.rs. The nested
65 535-item claims through the extension are in test_extension_buffers.py.
"""

import tracemalloc

import pytest

from extension_helpers import assert_same, extension, reference

IMPLEMENTATIONS = [reference, extension]


def claims_2_62(tag, present=b""):
    """`tag` ‖ LE(8, 2^62) ‖ `present`: a header claiming 2^62 items or octets."""
    return bytes([tag]) + (1 << 62).to_bytes(8, "little") + present


def peak_and_outcome(loads, data, **kwargs):
    tracemalloc.start()
    try:
        try:
            loads(data, **kwargs)
            outcome = None
        except (reference.DecodeError, extension.DecodeError) as e:
            outcome = (e.kind, e.offset)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, outcome


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("tag", [0xDB, 0xD7, 0xD3, 0xCF, 0xDF],
                         ids=["TUPLE8", "BYTES8", "STR8", "BIGINT8", "SSTR8"])
@pytest.mark.parametrize("present", [b"", b"\x00", b"\x01" * 7])
def test_a_2_62_claim_is_truncated_with_nothing_reserved(module, tag, present):
    data = claims_2_62(tag, present)
    peak, outcome = peak_and_outcome(module.loads, data)
    assert outcome == ("truncated", len(data))
    assert peak < 4096


def chain(header, levels, tail):
    return header * levels + tail


HOSTILE = {
    # Each TUPLE2 header claims 65 535 items; the innermost gets them, its parent cannot.
    "d9ffff-chain": (chain(b"\xd9\xff\xff", 100, bytes(65535)), {},
                     ("truncated", 100 * 3 + 65535)),
    # Each FIXTUPLE claims 2 items; only the last one's claim exceeds what remains.
    "b2-chain": (chain(b"\xb2", 20_000, b"\xc0"), {"max_depth": 10**6},
                 ("truncated", 20_001)),
    # TUPLE4 headers claiming 2^16 each (the least a 4-octet count may hold), then 2^16 − 1
    # items: not even the innermost claim holds.
    "da-chain": (chain(b"\xda\x00\x00\x01\x00", 100, b"\x01" * 65535), {},
                 ("truncated", 100 * 5 + 65535)),
    # 70 000 one-octet items, one short.
    "wide-short": (b"\xda\x70\x11\x01\x00" + b"\x01" * 69_999, {},
                   ("truncated", 70_004)),
}


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_claims_cost_o_n_python_memory(module, name):
    data, kwargs, expected = HOSTILE[name]
    peak, outcome = peak_and_outcome(module.loads, data, **kwargs)
    assert outcome == expected
    # A Python object per input octet at most (a tuple slot is 8 octets, a list's
    # over-allocation and a frame per open tuple bring the reference to about 100 per level).
    assert peak < 160 * len(data) + 65536, (peak, len(data))


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=lambda m: m.__name__)
def test_wide_tuples_of_one_octet_items_cost_a_tuple_slot_each(module):
    data = b"\xda\x70\x11\x01\x00" + b"\x01" * 70_000
    tracemalloc.start()
    try:
        value = module.loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert value == (1,) * 70_000
    # The result alone is 8 octets per item; building it may hold one more copy.
    assert peak < 20 * len(data), peak


@pytest.mark.parametrize("data, kwargs, offset", [
    (b"\xb1" * 100_000 + b"\xc0", {}, 1000),
    (b"\xb1" * 100_000 + b"\xc0", {"max_depth": 5}, 5),
    (b"\xb1" * 100_000, {"max_depth": 0}, 0),
    (b"\xd9\xff\xff" * 100_000, {}, 3000),
    (b"\xd9\xff\xff" * 100_000, {"max_depth": 5}, 15),
    # The depth check comes before the 2^62 claim is read (spec §6 step 3 before 4 and 6).
    (b"\xb1" * 1000 + claims_2_62(0xDB), {}, 1000),
    (b"\xb3\x00\x01" + b"\xb1" * 100_000, {"max_depth": 50}, 52),
])
def test_depth_bombs_fail_at_the_first_tuple_past_the_limit(data, kwargs, offset):
    for name in ("loads", "loads_prefix"):
        result = assert_same(name, data, **kwargs)
        assert result[0] == "raises" and result[3:5] == ("depth_exceeded", offset)
    for module in IMPLEMENTATIONS:
        peak, outcome = peak_and_outcome(module.loads, data, **kwargs)
        assert outcome == ("depth_exceeded", offset)
        # O(N), not O(offset): a decoder may reserve for the open tuples' claims, up to the
        # input's length in all (spec §8), before the depth error stops it; the extension
        # does, 8 octets per reserved slot.
        assert peak < 16 * len(data) + 65536, (module.__name__, peak)
