"""The extension against the reference, on generated values and generated inputs (hypothesis).

For values: identical bytes, and decoding gives exactly equal values (same exact types, float
bits, code points). For octet strings (random, tag-led, and mutations of valid encodings):
the same value, or the same DecodeError kind, offset and message. Also every conformance
vector's input, message included (the runner compares only kinds and offsets).
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extension_helpers import assert_same, extension, reference
from reference_helpers import PROPERTY_SETTINGS, exactly_equal, float_from_bits, mutate, mutation, values

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "conformance" / "vectors"
PACKAGE = str(pathlib.Path(extension.__file__).resolve().parent.parent)

# Beyond the shared strategies: the big cases the small ones rarely reach.
_large = st.one_of(
    # Sizes around the length-field boundaries (2^8, 2^16) and beyond.
    st.builds(lambda n, unit: unit * n, st.sampled_from([255, 256, 257, 65535, 65536, 70000]),
              st.binary(min_size=1, max_size=1)),
    st.builds(lambda n, unit: unit * n, st.integers(0, 40_000),
              st.sampled_from(["a", "é", "€", "😀", "\ud800", "\udc00a"])),
    st.integers(-(2**20000), 2**20000),
    st.integers(0, 2**64 - 1).map(float_from_bits),
)
_values = st.one_of(values, _large, st.lists(st.one_of(values, _large), max_size=3).map(tuple))


# CPython keeps ints in 30-bit digits, and the extension reads ints of up to two digits from
# the object directly: every digit boundary, both signs, and int subclasses.
_DIGIT_EDGES = [sign * (2**bits + delta) for bits in (0, 29, 30, 31, 59, 60, 61, 62, 63, 64, 90)
                for delta in (-2, -1, 0, 1) for sign in (1, -1)]


@pytest.mark.parametrize("n", _DIGIT_EDGES)
def test_ints_at_digit_boundaries(n):
    class Int(int):
        pass

    for value in (n, Int(n), (n, Int(n))):
        assert extension.dumps(value) == reference.dumps(value)
    assert exactly_equal(extension.loads(reference.dumps(n)), n)


def test_ints_through_the_general_path():
    # The path for CPython builds whose ints are not in 30-bit digits, forced on here.
    script = (
        "import frozenpack, frozenpack.reference as r\n"
        f"edges = {_DIGIT_EDGES!r} + [2**2000 + 12345, -(2**4000) + 1, 0, 7, -17]\n"
        "class Int(int): pass\n"
        "for n in edges:\n"
        "    for v in (n, Int(n), (n,)):\n"
        "        assert frozenpack.dumps(v) == r.dumps(v), v\n"
        "print('ok')\n"
    )
    env = dict(os.environ, FROZENPACK_GENERIC_INTS="1", PYTHONPATH=PACKAGE)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.stdout == "ok\n", result.stderr


@PROPERTY_SETTINGS
@given(_values)
def test_values_encode_and_decode_identically(value):
    encoded = reference.dumps(value)
    assert extension.dumps(value) == encoded
    decoded = extension.loads(encoded)
    assert exactly_equal(decoded, value)
    assert exactly_equal(decoded, reference.loads(encoded))


@PROPERTY_SETTINGS
@given(st.lists(values, max_size=4), st.integers(0, 3))
def test_sequences_and_prefixes_decode_identically(items, cut):
    stream = b"".join(map(reference.dumps, items))
    expected = list(reference.iter_loads(stream))
    actual = list(extension.iter_loads(stream))
    assert len(expected) == len(actual)
    assert all(map(exactly_equal, expected, actual))
    # A stream cut short: the same values, then the same error.
    cut_stream = stream[: max(0, len(stream) - cut)]
    assert_same("loads_prefix", cut_stream, 0)
    got = []
    for implementation in (reference, extension):
        values_read, error = [], None
        try:
            for value in implementation.iter_loads(cut_stream):
                values_read.append(value)
        except implementation.DecodeError as e:
            error = (e.kind, e.offset, str(e))
        got.append((values_read, error))
    (ref_values, ref_error), (ext_values, ext_error) = got
    assert ref_error == ext_error
    assert len(ref_values) == len(ext_values)
    assert all(map(exactly_equal, ref_values, ext_values))


@PROPERTY_SETTINGS
@given(st.binary(max_size=64))
def test_arbitrary_octets_decode_identically(data):
    assert_same("loads", data)


_tagged = st.builds(
    lambda tag, rest: bytes([tag]) + rest,
    st.integers(0x80, 0xFF),
    st.binary(max_size=40),
)


@PROPERTY_SETTINGS
@given(_tagged, st.integers(0, 4))
def test_tag_led_octets_decode_identically(data, max_depth):
    assert_same("loads", data)
    assert_same("loads", data, max_depth=max_depth)
    assert_same("loads_prefix", data, 0, max_depth=max_depth)


@PROPERTY_SETTINGS
@given(values, st.lists(mutation, min_size=1, max_size=4))
def test_mutated_encodings_decode_identically(value, mutations):
    mutated = mutate(reference.dumps(value), mutations)
    assert_same("loads", mutated)
    assert_same("loads_prefix", mutated)


def _vector_inputs():
    for path in sorted(VECTORS.glob("*.json")):
        document = json.loads(path.read_text())
        for case in document["valid"] + document["decode_errors"]:
            yield pytest.param(bytes.fromhex(case["hex"]),
                               id=f"{document['topic']}/{case['description']}")


@pytest.mark.parametrize("data", list(_vector_inputs()))
def test_every_vector_decodes_identically_messages_included(data):
    assert_same("loads", data)
    assert_same("loads", data, max_depth=3)
    assert_same("loads_prefix", data + b"\xc0", 0)
