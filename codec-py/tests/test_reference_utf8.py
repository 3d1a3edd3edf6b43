"""The reference's own UTF-8 validation, checked against CPython's codecs.

The reference validates payloads with a table of its own (Unicode Table 3-7) rather than
trusting the codec; here the two are compared. CPython reports a decode error at the start of
the first ill-formed or incomplete sequence, which is exactly the spec's "longest valid prefix"
offset, so both verdict and offset must agree.
"""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frozenpack.reference import DecodeError, loads
from reference_helpers import PROPERTY_SETTINGS


def _str_item(payload):
    """A FIXSTR/STR item around payload, with the header written out by hand (§4)."""
    n = len(payload)
    header = bytes([0x80 + n]) if n <= 31 else bytes([0xD0, n])
    assert n <= 255
    return header, header + payload


def _sstr_item(payload):
    n = len(payload)
    assert n <= 255
    header = bytes([0xDC, n])
    return header, header + payload


def _expect(payload, errors):
    """(value, None) if CPython decodes payload, else (None, offset of the bad sequence)."""
    try:
        return payload.decode("utf-8", errors), None
    except UnicodeDecodeError as error:
        return None, error.start


def _check_str(payload):
    header, item = _str_item(payload)
    value, bad_at = _expect(payload, "strict")
    try:
        decoded = loads(item)
    except DecodeError as error:
        assert bad_at is not None, f"rejected valid UTF-8 {payload.hex()}: {error}"
        assert (error.kind, error.offset) == ("invalid_utf8", len(header) + bad_at)
    else:
        assert bad_at is None, f"accepted invalid UTF-8 {payload.hex()}"
        assert decoded == value


def _check_sstr(payload):
    header, item = _sstr_item(payload)
    value, bad_at = _expect(payload, "surrogatepass")
    has_surrogate = value is not None and any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    try:
        decoded = loads(item)
    except DecodeError as error:
        if bad_at is not None:
            assert (error.kind, error.offset) == ("invalid_utf8", len(header) + bad_at)
        else:
            assert not has_surrogate
            assert (error.kind, error.offset) == ("non_canonical", 0)
    else:
        assert bad_at is None and has_surrogate
        assert decoded == value


def test_every_two_octet_payload():
    for first, second in itertools.product(range(256), repeat=2):
        payload = bytes([first, second])
        _check_str(payload)
        _check_sstr(payload)


_AROUND_BOUNDARIES = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
                      0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]


@pytest.mark.parametrize("lead", range(0xE0, 0xF0), ids=lambda b: f"{b:02x}")
def test_three_octet_payloads(lead):
    for second in range(256):
        for third in _AROUND_BOUNDARIES:
            payload = bytes([lead, second, third])
            _check_str(payload)
            _check_sstr(payload)


@pytest.mark.parametrize("lead", range(0xF0, 0xF8), ids=lambda b: f"{b:02x}")
def test_four_octet_payloads(lead):
    for second in range(256):
        for third, fourth in itertools.product([0x80, 0xBF, 0xC0, 0x41], repeat=2):
            payload = bytes([lead, second, third, fourth])
            _check_str(payload)
            _check_sstr(payload)


# Payloads made mostly of octets that start or continue multi-octet sequences.
_payloads = st.lists(
    st.one_of(
        st.integers(0, 255),
        st.sampled_from(_AROUND_BOUNDARIES),
        st.sampled_from([0xED, 0xA0, 0xB0, 0x80, 0xBF]),
    ),
    max_size=60,
).map(bytes)

_encoded_text = st.text(
    st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
    max_size=20,
).map(lambda s: s.encode("utf-8", "surrogatepass"))


@PROPERTY_SETTINGS
@given(st.one_of(_payloads, _encoded_text, st.tuples(_encoded_text, _payloads).map(b"".join)))
def test_random_payloads(payload):
    _check_str(payload)
    _check_sstr(payload)
