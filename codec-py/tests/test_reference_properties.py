"""Properties over generated values and inputs (hypothesis).

The encoding is a bijection between values and the octet strings the decoder accepts, so:
values round-trip exactly, accepted inputs re-encode to themselves, and everything else is
rejected with one of the six kinds at an offset inside the input.
"""

from hypothesis import assume, given
from hypothesis import strategies as st

from frozenpack.reference import ERROR_KINDS, DecodeError, dumps, iter_loads, loads, loads_prefix
from reference_helpers import PROPERTY_SETTINGS, exactly_equal, mutate, mutation, values


def _check_decoder_verdict(data):
    """loads(data) either fails within the input or accepts exactly a canonical encoding."""
    try:
        value = loads(data)
    except DecodeError as error:
        assert error.kind in ERROR_KINDS
        assert 0 <= error.offset <= len(data)
        if error.kind == "truncated":
            assert error.offset == len(data)
        return None
    assert dumps(value) == data
    return value


@PROPERTY_SETTINGS
@given(values)
def test_round_trip_is_exact(value):
    encoded = dumps(value)
    decoded = loads(encoded)
    assert exactly_equal(decoded, value)
    assert dumps(decoded) == encoded


@PROPERTY_SETTINGS
@given(values, values)
def test_equal_encodings_iff_equal_values(a, b):
    assert (dumps(a) == dumps(b)) == exactly_equal(a, b)


@PROPERTY_SETTINGS
@given(st.lists(values, max_size=3))
def test_sequences_round_trip(items):
    stream = b"".join(map(dumps, items))
    decoded = list(iter_loads(stream))
    assert len(decoded) == len(items)
    assert all(map(exactly_equal, decoded, items))


@PROPERTY_SETTINGS
@given(values, st.binary(max_size=8), st.binary(max_size=8))
def test_prefix_decoding_stops_at_the_value(value, before, after):
    encoded = dumps(value)
    decoded, end = loads_prefix(before + encoded + after, len(before))
    assert end == len(before) + len(encoded)
    assert exactly_equal(decoded, value)


@PROPERTY_SETTINGS
@given(values, st.data())
def test_every_strict_prefix_is_truncated_at_its_length(value, data):
    # What a stream reader relies on (spec §9): a cut-short value is always `truncated`.
    encoded = dumps(value)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    try:
        loads(encoded[:cut])
    except DecodeError as error:
        assert (error.kind, error.offset) == ("truncated", cut)
    else:
        raise AssertionError("a strict prefix decoded")


@PROPERTY_SETTINGS
@given(st.binary(max_size=64))
def test_arbitrary_octets(data):
    _check_decoder_verdict(data)


# Inputs that begin like frozenpack: a random tag from each region, then random octets.
_tagged = st.builds(
    lambda tag, rest: bytes([tag]) + rest,
    st.sampled_from([0x83, 0x9F, 0xA3, 0xB2, 0xBF, 0xC3, 0xC4, 0xC5, 0xCB, 0xCC, 0xCD, 0xD0,
                     0xD1, 0xD4, 0xD8, 0xD9, 0xDC, 0xDD, 0xDF]),
    st.binary(max_size=40),
)


@PROPERTY_SETTINGS
@given(_tagged)
def test_arbitrary_octets_after_a_real_tag(data):
    _check_decoder_verdict(data)


@PROPERTY_SETTINGS
@given(values, st.lists(mutation, min_size=1, max_size=4))
def test_mutated_encodings(value, mutations):
    encoded = dumps(value)
    mutated = mutate(encoded, mutations)
    assume(mutated != encoded)
    decoded = _check_decoder_verdict(mutated)
    if decoded is not None:
        # Accepted: then it is another value's encoding, never a second spelling of this one.
        assert not exactly_equal(decoded, value)
