"""The reference API around the codec: errors, prefix and stream decoding, inputs, the package."""

import array
import doctest
import mmap
import pickle
import tracemalloc

import pytest

import frozenpack
import frozenpack.listing as listing
import frozenpack.reference as reference
from frozenpack.reference import (
    ERROR_KINDS,
    MAX_DEPTH,
    DecodeError,
    dumps,
    iter_loads,
    loads,
    loads_prefix,
)
from reference_helpers import exactly_equal, h, nested

# --- DecodeError ------------------------------------------------------------------------------


def test_error_kinds_are_the_closed_set_of_the_spec():
    assert ERROR_KINDS == (
        "truncated",
        "unknown_tag",
        "non_canonical",
        "invalid_utf8",
        "depth_exceeded",
        "trailing_bytes",
    )


def test_decode_error_fields_and_message():
    error = DecodeError("unknown_tag", 7, "tag e0 is reserved")
    assert isinstance(error, ValueError)
    assert (error.kind, error.offset, error.detail) == ("unknown_tag", 7, "tag e0 is reserved")
    assert str(error) == "unknown_tag at offset 7: tag e0 is reserved"


def test_decode_error_survives_pickling():
    with pytest.raises(DecodeError) as info:
        loads(h("b2 01 e5"))
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is DecodeError
    assert (copy.kind, copy.offset, copy.detail) == ("unknown_tag", 2, info.value.detail)
    assert str(copy) == str(info.value)


# --- loads_prefix -----------------------------------------------------------------------------


def test_loads_prefix_returns_value_and_end():
    data = h("b2 01 81 61 ff 05")
    assert loads_prefix(data) == ((1, "a"), 4)
    assert loads_prefix(data, 4) == (-1, 5)
    assert loads_prefix(data, 5) == (5, 6)
    assert loads_prefix(data, 2) == ("a", 4)


def test_loads_prefix_leaves_what_follows_alone():
    # Octets after the value are not read, even a reserved tag.
    assert loads_prefix(h("05 e0 e0")) == (5, 1)


@pytest.mark.parametrize(
    "encoded, offset, kind, error_offset",
    [
        ("00 00 c4 05", 2, "non_canonical", 2),
        ("00 00 c3 00", 2, "truncated", 4),
        ("ff ff ff 83 61 62", 3, "truncated", 6),
        ("00 00 00 82 c0 af", 3, "invalid_utf8", 4),
        ("00 e0", 1, "unknown_tag", 1),
        ("00 00 b2 01 e5", 2, "unknown_tag", 4),
        ("00 01", 2, "truncated", 2),
        ("c0 c0 c0 dc 01 61", 3, "non_canonical", 3),
    ],
)
def test_loads_prefix_error_offsets_count_from_the_buffer_start(
    encoded, offset, kind, error_offset
):
    with pytest.raises(DecodeError) as info:
        loads_prefix(h(encoded), offset)
    assert (info.value.kind, info.value.offset) == (kind, error_offset)


def test_loads_prefix_depth_limit_is_per_value_from_its_start():
    data = b"\x00" * 5 + b"\xb1" * 1000 + b"\xc0"
    value, end = loads_prefix(data, 5)
    assert end == len(data) and exactly_equal(value, nested(1000))
    with pytest.raises(DecodeError) as info:
        loads_prefix(data, 5, max_depth=999)
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 5 + 999)


def test_loads_prefix_rejects_bad_offsets():
    with pytest.raises(ValueError, match="outside the input"):
        loads_prefix(b"\x00", 2)
    with pytest.raises(ValueError, match="outside the input"):
        loads_prefix(b"\x00", -1)
    with pytest.raises(TypeError, match="offset must be an int"):
        loads_prefix(b"\x00", 0.0)


# --- iter_loads (spec §9) ---------------------------------------------------------------------


def test_iter_loads_reads_values_back_to_back():
    assert list(iter_loads(h("01 b1 c0 81 61 a1 00 c3 00 00 00 00 00 00 00 80"))) == [
        1,
        (None,),
        "a",
        b"\x00",
        -0.0,
    ]


def test_iter_loads_of_empty_input_is_empty():
    assert list(iter_loads(b"")) == []


def test_iter_loads_yields_values_before_the_error():
    values = iter_loads(h("01 02 c4 05 03"))
    assert next(values) == 1
    assert next(values) == 2
    with pytest.raises(DecodeError) as info:
        next(values)
    assert (info.value.kind, info.value.offset) == ("non_canonical", 2)


def test_iter_loads_truncated_at_the_end_means_more_octets_may_come():
    values = iter_loads(h("01 d0 20 61 62"))
    assert next(values) == 1
    with pytest.raises(DecodeError) as info:
        next(values)
    assert (info.value.kind, info.value.offset) == ("truncated", 5)


def test_iter_loads_depth_limit_applies_to_each_value():
    data = (b"\xb1" * 1000 + b"\xc0") * 3
    assert len(list(iter_loads(data))) == 3
    with pytest.raises(DecodeError) as info:
        list(iter_loads(b"\xb1\xc0" + b"\xb1\xb1\xc0", max_depth=1))
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 3)


def test_iter_loads_checks_its_argument_at_once():
    with pytest.raises(TypeError, match="bytes-like object is required, not 'str'"):
        iter_loads("01")


# --- inputs ------------------------------------------------------------------------------------

_ENCODED = h("b3 cc 09 00 00 00 00 00 00 00 00 01 82 68 69 a1 ff")
_VALUE = (2**64, "hi", b"\xff")


@pytest.mark.parametrize(
    "make",
    [
        bytes,
        bytearray,
        memoryview,
        lambda b: memoryview(b"\x00\x00\x00" + b + b"\x00")[3:-1],
        lambda b: array.array("B", b),
        lambda b: memoryview(bytearray(b)).cast("c"),
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview slice", "array", "memoryview 'c'"],
)
def test_bytes_like_inputs(make):
    data = make(_ENCODED)
    assert loads(data) == _VALUE
    assert loads_prefix(data) == (_VALUE, len(_ENCODED))
    assert list(iter_loads(data)) == [_VALUE]


def test_memoryview_slice_offsets_are_relative_to_the_slice():
    data = memoryview(h("00 00 00 c4 05"))[3:]
    with pytest.raises(DecodeError) as info:
        loads(data)
    assert info.value.offset == 0


def test_multi_octet_items_read_as_raw_octets():
    # Two 16-bit items are four octets, whatever the machine's byte order: c0 c0 c0 01 or
    # c0 c0 01 c0 ... both read as a sequence whose first two values are None.
    data = array.array("H", [0xC0C0, 0xC0C0])
    assert list(iter_loads(data)) == [None, None, None, None]


def test_mmap_input(tmp_path):
    path = tmp_path / "value.fpk"
    path.write_bytes(_ENCODED + dumps(7))
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert list(iter_loads(mapped)) == [_VALUE, 7]
        assert loads_prefix(mapped, len(_ENCODED)) == (7, len(_ENCODED) + 1)


def test_buffer_is_released_after_decoding():
    # A bytearray cannot be resized while a memoryview of it is alive.
    data = bytearray(h("b1 01"))
    loads(data)
    loads_prefix(data)
    list(iter_loads(data))
    data.append(0)
    assert data == h("b1 01 00")


def test_buffer_is_released_after_a_decode_error():
    data = bytearray(h("c4 05"))
    with pytest.raises(DecodeError):
        loads(data)
    data.append(0)


@pytest.mark.parametrize(
    "data, name",
    [("01", "str"), (1, "int"), ([1], "list"), (None, "NoneType")],
)
def test_non_bytes_like_input_is_a_type_error(data, name):
    message = f"a bytes-like object is required, not '{name}'"
    for decode in (loads, loads_prefix, iter_loads):
        with pytest.raises(TypeError) as info:
            decode(data)
        assert str(info.value) == message


def test_strided_memoryview_is_a_type_error():
    with pytest.raises(TypeError, match="C-contiguous"):
        loads(memoryview(b"\x01\x00\x02")[::2])


@pytest.mark.parametrize(
    "bad, error", [(-1, ValueError), (1.5, TypeError), ("9", TypeError), (True, TypeError)]
)
def test_max_depth_must_be_a_non_negative_int(bad, error):
    for decode in (loads, loads_prefix, iter_loads):
        with pytest.raises(error):
            decode(b"\x00", max_depth=bad)


# --- memory: nothing is reserved for a declared length before step 6 -----------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        "d3 ff ff ff ff ff ff ff ff",
        "d7 00 00 00 00 00 01 00 00",
        "db ff ff ff ff ff ff ff 7f",
        "cf ff ff ff ff ff ff ff ff",
        "df 00 00 00 00 01 00 00 00",
    ],
)
def test_huge_declared_lengths_allocate_nothing(encoded):
    tracemalloc.start()
    try:
        with pytest.raises(DecodeError) as info:
            loads(h(encoded))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.value.kind, info.value.offset) == ("truncated", 9)
    assert peak < 64 * 1024


# --- the package --------------------------------------------------------------------------------


def test_package_keeps_the_reference_beside_the_extension():
    # The package's own names are the compiled extension's (test_extension_api.py checks
    # that); the reference stays importable and complete.
    assert frozenpack.reference is reference
    # The stream API (issue 10) is the reference's first; the package gains it with the
    # extension's (test_stream_api.py runs on every implementation that has it).
    pending = {"iter_load", "Decoder"} - set(dir(frozenpack))
    for name in reference.__all__:
        assert name in pending or hasattr(frozenpack, name), name
    assert frozenpack.MAX_DEPTH == MAX_DEPTH == 1000
    assert frozenpack.SPEC_VERSION == 1


@pytest.mark.parametrize("module", [frozenpack, reference, listing], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
