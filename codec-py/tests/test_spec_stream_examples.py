"""The prefix, sequence and stream examples of spec/examples.md (rows P, S and R), checked
against the reference: loads_prefix for P rows, iter_loads and a Decoder fed octet by octet
for S rows, and a Decoder fed the received octets (then closed) for R rows.

Cells are read as the spec writes them, up to the first ": " (an explanation follows it): each
backticked token is either an error kind
followed by "at N", or a Python expression of a value (literals and tuples only); "ending at
N" gives a prefix decode's end; "waits" means the stream reader has no verdict yet.
"""

import pathlib
import re

import pytest

from frozenpack.reference import ERROR_KINDS, DecodeError, Decoder, iter_loads, loads_prefix
from reference_helpers import exactly_equal

EXAMPLES_MD = pathlib.Path(__file__).resolve().parents[2] / "spec" / "examples.md"

_ROW = re.compile(r"^\|\s*([PSR]\d+)\s*\|(.*)\|\s*$")
_TOKEN = re.compile(r"`([^`]*)`(?:\s+at\s+(\d+))?")


def cells(line):
    m = _ROW.match(line)
    return m[1], [c.strip() for c in m[2].split("|")]


def octets(cell):
    m = re.fullmatch(r"`([0-9a-f ]*)`", cell)
    if not m:
        raise ValueError(f"not a hex cell: {cell!r}")
    return bytes.fromhex(m[1])


def outcome(cell):
    """(values, (kind, offset) or None, waits) of a result cell."""
    values, error = [], None
    cell = cell.split(": ")[0]  # what follows a colon explains; it is not the result
    for token, at in _TOKEN.findall(cell):
        if token in ERROR_KINDS:
            if not at:
                raise ValueError(f"error {token} without an offset in {cell!r}")
            error = (token, int(at))
        else:
            values.append(eval(token, {"__builtins__": {}}))  # literals from the spec only
    return values, error, "waits" in cell


def rows(prefix):
    found = []
    for line in EXAMPLES_MD.read_text(encoding="utf-8").splitlines():
        if _ROW.match(line) and line.lstrip("| ").startswith(prefix):
            found.append(cells(line))
    assert found, f"no {prefix} rows in {EXAMPLES_MD}"
    return found


def same_values(a, b):
    return len(a) == len(b) and all(exactly_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("row", rows("P"), ids=lambda r: r[0])
def test_prefix_row(row):
    _, (data_cell, p_cell, result) = row
    data, p = octets(data_cell), int(p_cell.strip("*"))
    values, error, _ = outcome(result)
    if error:
        with pytest.raises(DecodeError) as info:
            loads_prefix(data, p)
        assert (info.value.kind, info.value.offset) == error
    else:
        (value,) = values
        end = int(re.search(r"ending at (\d+)", result)[1])
        got, got_end = loads_prefix(data, p)
        assert exactly_equal(got, value) and got_end == end


def fed(data, cuts):
    decoder, got = Decoder(), []
    try:
        start = 0
        for end in [*cuts, len(data)]:
            got += decoder.feed(data[start:end])
            start = end
        decoder.close()
    except DecodeError as e:
        return got, (e.kind, e.offset)
    return got, None


@pytest.mark.parametrize("row", rows("S"), ids=lambda r: r[0])
def test_sequence_row(row):
    _, (data_cell, values_cell, then) = row
    data = octets(data_cell)
    expected_values, _, _ = outcome(values_cell)
    _, expected_error, _ = outcome(then)
    got, error = [], None
    try:
        for value in iter_loads(data):
            got.append(value)
    except DecodeError as e:
        error = (e.kind, e.offset)
    assert same_values(got, expected_values) and error == expected_error
    got, error = fed(data, range(1, len(data)))
    assert same_values(got, expected_values) and error == expected_error


@pytest.mark.parametrize("row", rows("R"), ids=lambda r: r[0])
def test_stream_row(row):
    _, (data_cell, now, at_end) = row
    data = octets(data_cell)
    now_values, now_error, waits = outcome(now)
    assert waits != (now_error is not None), f"a verdict or 'waits', not both: {now!r}"
    decoder = Decoder()
    if now_error:
        with pytest.raises(DecodeError) as info:
            decoder.feed(data)
        assert (info.value.kind, info.value.offset) == now_error
    else:
        assert same_values(decoder.feed(data), now_values)
    end_values, end_error, _ = outcome(at_end)
    got, error = fed(data, [])
    assert same_values(got, end_values if end_values else now_values) and error == end_error
