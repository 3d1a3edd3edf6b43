"""Helpers shared by the reference tests: exact equality, float bits, value strategies.

Nothing here encodes or decodes frozenpack: expected octets in the tests are written by hand,
and these helpers only compare Python values or build them.
"""

import math
import os
import struct

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def float_from_bits(pattern):
    """The float whose 64-bit pattern is `pattern` (an int, or 16 hex digits, MSB first)."""
    if isinstance(pattern, str):
        pattern = int(pattern, 16)
    return struct.unpack("<d", struct.pack("<Q", pattern))[0]


def float_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def exactly_equal(a, b):
    """Equality of spec §1: the same exact type, floats by their 64 bits, tuples item by item.

    Iterative, so it compares tuples nested far beyond the recursion limit.
    """
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if type(x) is float:
            if float_bits(x) != float_bits(y):
                return False
        elif type(x) is tuple:
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y))
        elif x != y:
            return False
    return True


def nested(depth, inner=None):
    """`depth` singleton tuples around `inner`: nested(2) == ((None,),)."""
    value = inner
    for _ in range(depth):
        value = (value,)
    return value


def h(text):
    """bytes from hex written with spaces, as the spec writes octets."""
    return bytes.fromhex(text)


# --- hypothesis ------------------------------------------------------------------------------

# At least 500 examples per property; FROZENPACK_EXAMPLES=20000 for a long local run.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("FROZENPACK_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Strategies.

# The ints where the encoding changes form, and their neighbours.
_INT_EDGES = sorted(
    {
        edge + delta
        for bits in (4, 7, 8, 15, 16, 23, 24, 31, 32, 39, 47, 55, 63, 64, 71, 72, 2039, 2040)
        for edge in (2**bits, -(2**bits))
        for delta in (-2, -1, 0, 1)
    }
    | {-17, -16, 127, 128}
)

ints = st.one_of(
    st.integers(-20, 130),
    st.sampled_from(_INT_EDGES),
    st.integers(-(2**70), 2**70),
    st.integers(-(2**2000), 2**2000),
)

# Every 64-bit pattern is a distinct value: draw patterns, not Python floats, so NaN payloads,
# signalling NaNs and both zeros all turn up.
floats = st.one_of(
    st.integers(0, 2**64 - 1).map(float_from_bits),
    st.sampled_from([0x0, 0x8000000000000000, 0x7FF8000000000001, 0x7FF0000000000001,
                     0xFFF8000000000000, 0x7FF0000000000000, 0x1]).map(float_from_bits),
)

# st.characters() with no exclusions includes the surrogates, but rarely; mix in a source of
# them so SSTR gets exercised as often as STR.
_characters = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
)
texts = st.one_of(st.text(_characters, max_size=12), st.text(_characters, min_size=8, max_size=80))

binaries = st.one_of(st.binary(max_size=20), st.binary(min_size=14, max_size=300))

atoms = st.one_of(st.none(), st.booleans(), ints, floats, texts, binaries)

# Nested tuples, kept small because hypothesis spends most of a test's time drawing them;
# wide tuples (16 items and more, the TUPLE form) come from their own branch.
values = st.one_of(
    st.recursive(atoms, lambda children: st.lists(children, max_size=6).map(tuple), max_leaves=12),
    st.lists(atoms, min_size=14, max_size=20).map(tuple),
)


def _has_literal(value):
    """Whether a Python literal spells `value`: no NaN or infinity anywhere in it."""
    pending = [value]
    while pending:
        x = pending.pop()
        if type(x) is tuple:
            pending.extend(x)
        elif type(x) is float and not math.isfinite(x):
            return False
    return True


# The values that `python -m frozenpack decode` prints as literals (frozenpack.tool.format_value),
# which `encode` reads back (frozenpack.literal).
literal_values = values.filter(_has_literal)


# Edits of a valid encoding, for tests that feed decoders almost-valid octets: each is
# (operation, position, octet); positions wrap around the current length.
mutation = st.tuples(
    st.sampled_from(["replace", "flip", "insert", "delete", "truncate", "duplicate"]),
    st.integers(0, 2**16),
    st.integers(0, 255),
)


def mutate(encoded, mutations):
    """`encoded` with each of `mutations` (drawn from `mutation`) applied in turn."""
    data = bytearray(encoded)
    for operation, where, octet in mutations:
        at = where % (len(data) + 1)
        if operation == "replace" and at < len(data):
            data[at] = octet
        elif operation == "flip" and at < len(data):
            data[at] ^= 1 << (octet % 8)
        elif operation == "insert":
            data.insert(at, octet)
        elif operation == "delete" and at < len(data):
            del data[at]
        elif operation == "truncate":
            del data[at:]
        elif operation == "duplicate":
            data[at:at] = data[at : at + 1 + octet % 8]
    return bytes(data)
