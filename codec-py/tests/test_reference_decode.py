"""loads: every canonical case decodes; every error kind, with exact offsets and check order."""

import pytest

from frozenpack.reference import MAX_DEPTH, DecodeError, loads
from reference_cases import CANONICAL
from reference_helpers import exactly_equal, h, nested


@pytest.mark.parametrize(
    "value, encoded", [c[1:] for c in CANONICAL], ids=[c[0] for c in CANONICAL]
)
def test_canonical_decoding(value, encoded):
    assert exactly_equal(loads(h(encoded)), value)


def _error(hex_text, **kwargs):
    with pytest.raises(DecodeError) as info:
        loads(h(hex_text), **kwargs)
    return info.value.kind, info.value.offset


def _cases(*rows):
    return pytest.mark.parametrize(
        "encoded, offset", [row[1:] for row in rows], ids=[row[0] for row in rows]
    )


# --- truncated: always at len(input) ------------------------------------------------------------


@_cases(
    ("empty input", "", 0),
    ("float without its bits", "c3", 1),
    ("float with 2 of 8 octets", "c3 00 00", 3),
    ("float with 7 of 8 octets", "c3 00 00 00 00 00 00 00", 8),
    ("int1 without its octet", "c4", 1),
    ("int2 with 1 of 2 octets", "c5 64", 2),
    ("int8 with 7 of 8 octets", "cb ff ff ff ff ff ff ff", 8),
    ("bigint without length", "cc", 1),
    ("bigint 2-octet length cut", "cd 00", 2),
    ("bigint payload cut", "cc 09 00 00 00", 5),
    ("str 8-octet length cut", "d3 00 00 00", 4),
    ("fixstr missing octets", "83 61 62", 3),
    ("str 255 with nothing after", "d0 ff", 2),
    ("str 32 with 31", "d0 20" + "61" * 31, 33),
    ("str length 2**64-1", "d3 ff ff ff ff ff ff ff ff", 9),
    ("bytes length 2**64-1", "d7 ff ff ff ff ff ff ff ff 00", 10),
    ("fixbytes missing", "a2 01", 2),
    ("bytes 16 with 15", "d4 10" + "00" * 15, 17),
    ("tuple 15 items announced, 1 octet left", "bf 01", 2),
    ("tuple missing item", "b2 01", 2),
    ("tuple count 2**64-1", "db ff ff ff ff ff ff ff ff 00", 10),
    ("nested tuple missing innermost", "b1 b1 b1", 3),
    ("item in tuple cut short", "b2 01 c5 00", 4),
    ("sstr payload cut", "dc 05 61", 3),
)
def test_truncated(encoded, offset):
    assert _error(encoded) == ("truncated", offset)


# --- unknown_tag --------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", range(0xE0, 0xF0), ids=lambda t: f"{t:02x}")
def test_every_reserved_tag_is_unknown(tag):
    assert _error(f"{tag:02x}") == ("unknown_tag", 0)
    assert _error(f"b3 01 02 {tag:02x}") == ("unknown_tag", 3)


@_cases(
    ("reserved tag with octets after it", "e5 00 00", 0),
    ("inside a tuple", "b2 01 e5", 2),
    ("inside nested tuples", "b2 b1 b1 e0 00", 3),
    ("after a string item", "b2 81 61 ef", 3),
)
def test_unknown_tag(encoded, offset):
    assert _error(encoded) == ("unknown_tag", offset)


# --- non_canonical: at the tag of the item so encoded ------------------------------------------


@_cases(
    ("int1 holding 0", "c4 00", 0),
    ("int1 holding 127", "c4 7f", 0),
    ("int1 holding -1", "c4 ff", 0),
    ("int1 holding -16", "c4 f0", 0),
    ("int1 holding 5", "c4 05", 0),
    ("int2 holding 100", "c5 64 00", 0),
    ("int2 holding -128", "c5 80 ff", 0),
    ("int2 holding -17", "c5 ef ff", 0),
    ("int3 holding 128", "c6 80 00 00", 0),
    ("int3 holding -1", "c6 ff ff ff", 0),
    ("int8 holding 2**55-1", "cb ff ff ff ff ff ff 7f 00", 0),
    ("int8 holding -2**55", "cb 00 00 00 00 00 00 80 ff", 0),
    ("bigint holding 2**63-1", "cc 09 ff ff ff ff ff ff ff 7f 00", 0),
    ("bigint holding -2**63", "cc 09 00 00 00 00 00 00 00 80 ff", 0),
    ("bigint holding 2**64-1 in 10 octets", "cc 0a ff ff ff ff ff ff ff ff 00 00", 0),
    ("bigint n=1, length checked before payload", "cc 01 01", 0),
    ("bigint n=8", "cc 08 00 00 00 00 00 00 00 80", 0),
    ("bigint n=10 in 2-octet field", "cd 0a 00", 0),
    ("bigint n=255 in 4-octet field", "ce ff 00 00 00", 0),
    ("str n=0", "d0 00", 0),
    ("str n=31", "d0 1f" + "61" * 31, 0),
    ("str n=32 in 2-octet field", "d1 20 00" + "61" * 32, 0),
    ("str n=255 in 2-octet field", "d1 ff 00", 0),
    ("str n=300 in 4-octet field", "d2 2c 01 00 00", 0),
    ("str n=65535 in 4-octet field", "d2 ff ff 00 00", 0),
    ("str n=2**32-1 in 8-octet field", "d3 ff ff ff ff 00 00 00 00", 0),
    ("sstr without surrogate", "dc 01 61", 0),
    ("sstr empty", "dc 00", 0),
    ("sstr of 4-octet sequence only", "dc 04 f0 9f 98 80", 0),
    ("sstr n=3 in 2-octet field", "dd 03 00 ed a0 80", 0),
    ("sstr n=255 in 2-octet field, before payload", "dd ff 00", 0),
    ("bytes n=0", "d4 00", 0),
    ("bytes n=15", "d4 0f" + "00" * 15, 0),
    ("bytes n=2**32-1 in 8-octet field", "d7 ff ff ff ff 00 00 00 00", 0),
    ("tuple n=0", "d8 00", 0),
    ("tuple n=5, checked before its items", "d8 05 01", 0),
    ("tuple n=2**16-1 in 4-octet field", "da ff ff 00 00", 0),
    ("tuple n=16 in 8-octet field", "db 10 00 00 00 00 00 00 00", 0),
    ("inside a tuple", "b1 c4 05", 1),
    ("after other items", "b3 01 02 d0 00", 3),
    ("in a nested tuple", "b2 00 b1 c5 00 00", 3),
)
def test_non_canonical(encoded, offset):
    assert _error(encoded) == ("non_canonical", offset)


# --- invalid_utf8: at the first octet after the longest valid prefix -----------------------------


@_cases(
    ("lone continuation", "81 80", 1),
    ("ff", "81 ff", 1),
    ("c0 overlong", "82 c0 af", 1),
    ("c1 overlong", "82 c1 bf", 1),
    ("e0 overlong", "83 e0 80 af", 1),
    ("f0 overlong", "84 f0 80 80 af", 1),
    ("above U+10FFFF", "84 f4 90 80 80", 1),
    ("f5 lead", "84 f5 80 80 80", 1),
    ("5-octet form", "85 f8 88 80 80 80", 1),
    ("surrogate in str", "83 ed a0 80", 1),
    ("low surrogate in str", "83 ed bf bf", 1),
    ("2-octet sequence cut by payload end", "81 c3", 1),
    ("4-octet sequence cut by payload end", "84 61 f0 9f 98", 2),
    ("bad continuation after valid 3-octet", "85 e2 82 ac e2 41", 4),
    ("valid then bad in str", "d0 20" + "61" * 31 + "80", 33),
    ("valid multibyte prefix", "86 c3 a9 e2 82 ac ff", 6),
    ("sstr: ff after a surrogate", "dc 04 ed a0 80 ff", 5),
    ("sstr: invalid before surrogate check", "dc 02 61 ff", 3),
    ("sstr: surrogate cut short", "dc 05 ed a0 80 ed a0", 5),
    ("sstr: overlong after surrogate", "dc 05 ed a0 80 c0 80", 5),
    ("sstr: above U+10FFFF", "dc 07 ed a0 80 f4 90 80 80", 5),
    ("sstr: ed then non-continuation", "dc 03 ed a0 41", 2),
    ("inside a tuple", "b2 01 82 c0 af", 3),
    ("before trailing octets", "b1 81 ff 00", 2),
)
def test_invalid_utf8(encoded, offset):
    assert _error(encoded) == ("invalid_utf8", offset)


# --- depth_exceeded: at the tag of the tuple at level D + 1 --------------------------------------


def test_depth_limit_default_is_1000():
    assert MAX_DEPTH == 1000
    assert exactly_equal(loads(b"\xb1" * 1000 + b"\xc0"), nested(1000))
    assert _error("b1" * 1001 + "c0") == ("depth_exceeded", 1000)


@_cases(
    # Step 3 runs before step 4: the tuple's own length field is never read.
    ("depth before truncated count", "b1" * 1000 + "d8", 1000),
    ("depth before truncated items", "b1" * 1000 + "bf", 1000),
    ("depth before 8-octet count", "b1" * 1000 + "db ff ff ff ff ff ff ff ff", 1000),
    ("depth before unknown tag inside", "b1" * 1001 + "e0", 1000),
    ("depth before non-canonical count", "b1" * 1000 + "d8 00", 1000),
    ("empty tuple counts as a level", "b1" * 1000 + "b0", 1000),
    ("wide tuple at the limit", "b1" * 999 + "b3 01 b0 02", 1001),
)
def test_depth_exceeded(encoded, offset):
    assert _error(encoded) == ("depth_exceeded", offset)


def test_depth_limit_counts_levels_not_tuples():
    # Many tuples side by side stand at the same level.
    assert loads(h("b3 b0 b0 b0"), max_depth=2) == ((), (), ())
    assert _error("b3 b0 b0 b0", max_depth=1) == ("depth_exceeded", 1)
    assert loads(h("b3 b0 b0 b1 b0"), max_depth=3) == ((), (), ((),))
    assert _error("b3 b0 b0 b1 b0", max_depth=2) == ("depth_exceeded", 4)


def test_unknown_tag_at_the_depth_limit_is_not_a_depth_error():
    assert _error("b1" * 1000 + "e0") == ("unknown_tag", 1000)


@pytest.mark.parametrize("max_depth", [0, 1, 7, 1500])
def test_configured_depth_limit(max_depth):
    at_limit = b"\xb1" * max_depth + b"\x05"
    assert exactly_equal(loads(at_limit, max_depth=max_depth), nested(max_depth, 5))
    with pytest.raises(DecodeError) as info:
        loads(b"\xb1" * (max_depth + 1) + b"\x05", max_depth=max_depth)
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", max_depth)


def test_depth_zero_still_reads_non_tuples():
    assert loads(h("c0"), max_depth=0) is None
    assert _error("b0", max_depth=0) == ("depth_exceeded", 0)


def test_depth_100000_decodes_without_recursion():
    encoded = b"\xb1" * 99_999 + b"\xb0"
    value = loads(encoded, max_depth=100_000)
    for _ in range(99_999):
        assert type(value) is tuple and len(value) == 1
        (value,) = value
    assert value == ()


# --- trailing_bytes: at the first octet after the value ------------------------------------------


@_cases(
    ("int then int", "05 06", 1),
    ("none then none", "c0 c0", 1),
    ("empty tuple then int", "b0 00", 1),
    ("negfixint then f4-like octets", "f4 90 80 80", 1),
    ("after a tuple", "b1 c0 ff", 2),
    ("valid then reserved tag", "05 e0", 1),
    ("valid then truncated value", "05 c3 00", 1),
    ("valid then non-canonical", "05 c4 05", 1),
    ("after a bigint", "cc 09 00 00 00 00 00 00 00 00 01 00", 11),
)
def test_trailing_bytes(encoded, offset):
    assert _error(encoded) == ("trailing_bytes", offset)


# --- check order across kinds (spec §6: the first problem met is the one reported) ---------------


@pytest.mark.parametrize(
    "encoded, kind, offset",
    [
        # Step 6 (count vs what remains) comes before any item is read.
        ("b2 e0", "truncated", 2),
        ("b3 e0 e0", "truncated", 3),
        ("d8 10" + "e0" * 15, "truncated", 17),
        # Step 5 (shortest length field) before step 6.
        ("d0 05", "non_canonical", 0),
        ("d8 05 01", "non_canonical", 0),
        # Step 4 (fixed part present) before step 5.
        ("c5 64", "truncated", 2),
        ("d1 05", "truncated", 2),
        # Step 6 before step 7's payload checks.
        ("cc 09 ff ff ff ff ff ff ff 7f", "truncated", 10),
        ("83 ed a0", "truncated", 3),
        ("dc 02 61", "truncated", 3),
        # Step 7 for SSTR: well-formedness before the surrogate check.
        ("dc 01 80", "invalid_utf8", 2),
        # Items are read in order: the first bad item decides.
        ("b3 c4 05 e0 81", "non_canonical", 1),
        ("b3 01 e0 c4 05", "unknown_tag", 2),
        # The value's own errors come before trailing_bytes.
        ("b1 c4 05 00", "non_canonical", 1),
    ],
)
def test_check_order(encoded, kind, offset):
    assert _error(encoded) == (kind, offset)


def test_error_detail_is_readable():
    with pytest.raises(DecodeError) as info:
        loads(h("c5 64 00"))
    error = info.value
    assert str(error) == f"non_canonical at offset 0: {error.detail}"
    assert "INT2" in error.detail and "100" in error.detail
