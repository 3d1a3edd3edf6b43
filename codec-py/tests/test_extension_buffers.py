"""Decoding from every kind of C-contiguous buffer, and the reference's errors for everything
else. Immutable octets (bytes, a memoryview of bytes) are read in place; any other buffer is
copied once when the call starts (spec section 11, "Inputs that change while they are
decoded"), identically in the extension and the reference."""

import array
import mmap
import sys
from multiprocessing import shared_memory

import pytest

import frozenpack
from extension_helpers import IMPLEMENTATIONS, assert_same, extension, reference
from reference_helpers import exactly_equal

VALUE = (1, "two", b"three", (4.5, None, 2**80))
ENCODED = reference.dumps(VALUE)


@pytest.mark.parametrize("make", [
    bytes, bytearray, memoryview,
    lambda b: memoryview(b"\x00\x00" + b + b"\x00")[2:-1],
    lambda b: memoryview(bytearray(b)).toreadonly(),
    lambda b: array.array("B", b),
    lambda b: memoryview(b).cast("c"),
], ids=["bytes", "bytearray", "memoryview", "memoryview slice", "readonly", "array", "cast"])
def test_every_contiguous_buffer_decodes(make):
    data = make(ENCODED)
    assert exactly_equal(frozenpack.loads(data), VALUE)
    assert frozenpack.loads_prefix(data, 0)[1] == len(ENCODED)
    assert len(list(frozenpack.iter_loads(data))) == 1


def test_a_multi_octet_format_is_read_as_its_octets():
    # Any C-contiguous buffer is its octets, whatever its format (as memoryview.cast("B")).
    data = array.array("H", [0x01B2, 0x0203])  # little-endian octets b2 01 03 02
    if sys.byteorder == "little":
        assert_same("loads_prefix", data, 0)
        assert frozenpack.loads_prefix(data, 0) == ((1, 3), 3)


def test_mmap(tmp_path):
    path = tmp_path / "value.fpk"
    path.write_bytes(ENCODED * 3)
    with open(path, "rb") as fp, mmap.mmap(fp.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert [exactly_equal(v, VALUE) for v in frozenpack.iter_loads(mapped)] == [True] * 3
        assert exactly_equal(frozenpack.loads_prefix(mapped, len(ENCODED))[0], VALUE)


def test_shared_memory():
    block = shared_memory.SharedMemory(create=True, size=len(ENCODED))
    try:
        block.buf[: len(ENCODED)] = ENCODED
        view = block.buf[: len(ENCODED)]
        assert exactly_equal(frozenpack.loads(view), VALUE)
        view.release()
    finally:
        block.close()
        block.unlink()


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=["reference", "extension"])
def test_a_writable_buffer_is_decoded_as_it_was_when_the_call_began(module):
    data = bytearray(ENCODED * 2)
    iterator = module.iter_loads(data)
    # Copied at the call: the buffer is not held, so it can be resized and changed ...
    data.extend(b"\x00")
    data[len(ENCODED) + 1] = 0x07
    del data[:]
    # ... and the iterator still reads the octets it was given.
    assert [exactly_equal(v, VALUE) for v in iterator] == [True, True]


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=["reference", "extension"])
def test_a_memoryview_of_bytes_can_be_released_while_an_iterator_reads_it(module):
    view = memoryview(ENCODED * 2)[len(ENCODED):]
    iterator = module.iter_loads(view)
    view.release()  # the iterator holds the bytes, not the caller's memoryview
    assert [exactly_equal(v, VALUE) for v in iterator] == [True]
    view = memoryview(bytearray(ENCODED))
    iterator = module.iter_loads(view)
    view.release()
    assert [exactly_equal(v, VALUE) for v in iterator] == [True]


def _peak_memory_of(call):
    import tracemalloc

    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("module", IMPLEMENTATIONS, ids=["reference", "extension"])
def test_bytes_are_read_in_place_and_other_buffers_are_copied_once(module):
    # One small value at the start of 8 MiB: decoding it touches a few octets, so the memory
    # a call takes shows whether it copied the input.
    size = 8 << 20
    immutable = ENCODED + bytes(size)
    for data in (immutable, memoryview(immutable), memoryview(immutable)[: len(ENCODED) + 10]):
        peak = _peak_memory_of(lambda: module.loads_prefix(data, 0))
        assert peak < size // 8, type(data)
    writable = bytearray(immutable)
    for data in (writable, memoryview(writable)):
        peak = _peak_memory_of(lambda: module.loads_prefix(data, 0))
        assert size <= peak < 2 * size + (1 << 20), type(data)


def test_a_buffer_with_a_zero_length_dimension_is_empty_input():
    import ctypes

    # ctypes arrays of arrays are N-dimensional buffers (NumPy's shape (0, 3) is the same).
    for data in (((ctypes.c_ubyte * 0) * 3)(), ((ctypes.c_uint16 * 3) * 0)()):
        assert memoryview(data).nbytes == 0 and memoryview(data).ndim == 2
        assert assert_same("loads", data)[3:5] == ("truncated", 0)
        assert_same("loads_prefix", data, 0)
        for module in IMPLEMENTATIONS:
            assert list(module.iter_loads(data)) == []


def test_a_zero_dimensional_buffer_is_its_octets():
    import ctypes

    data = ctypes.c_uint8(0x05)
    assert_same("loads", data)
    assert frozenpack.loads(data) == 5


def test_loads_releases_the_buffer():
    data = bytearray(ENCODED)
    frozenpack.loads(data)
    data.extend(b"\x00")
    with pytest.raises(frozenpack.DecodeError):
        frozenpack.loads(data)
    data.extend(b"\x00")


def test_non_contiguous_memoryview_is_rejected_clearly():
    strided = memoryview(ENCODED * 2)[::2]
    assert_same("loads", strided)
    with pytest.raises(TypeError, match="^a C-contiguous bytes-like object is required$"):
        frozenpack.loads(strided)
    with pytest.raises(TypeError, match="C-contiguous"):
        frozenpack.iter_loads(strided)


@pytest.mark.parametrize("data", ["text", [1], 5, None, object()], ids=repr)
def test_non_bytes_like_inputs_raise_the_references_type_error(data):
    result = assert_same("loads", data)
    assert result[1] == "TypeError"
    assert result[2].startswith("a bytes-like object is required, not ")
    assert_same("loads_prefix", data)


def test_released_memoryview():
    view = memoryview(ENCODED)
    view.release()
    assert_same("loads", view)


def test_empty_inputs():
    for data in (b"", bytearray(), memoryview(b""), array.array("B")):
        assert_same("loads", data)
        assert list(extension.iter_loads(data)) == []


def test_nested_counts_reserve_no_more_than_the_input_holds():
    # 1000 nested TUPLEs that each announce 65535 items: every count is within the octets
    # that remain, but reserving all of them at once would take 1000 x 65535 slots (500 MB).
    # Decoding N octets must reserve O(N) (spec §8): only what the input can fill.
    import tracemalloc

    data = b"\xd9\xff\xff" * 1000 + bytes(65535)
    tracemalloc.start()
    try:
        with pytest.raises(frozenpack.DecodeError) as info:
            frozenpack.loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.value.kind, info.value.offset) == ("truncated", len(data))
    assert peak < 16 * len(data)
