"""The worked examples of spec/examples.md, checked against the reference.

Rows of the form
    | E12 | `<python expression>` | `<hex with spaces>` | why |
give a value and its canonical encoding (derived by hand in the spec), and rows of the form
    | X3 | — | `<hex>` | `<kind>` at <offset>: why |
give an input every decoder rejects, with the error kind and offset. The expressions use only
literals, tuples and bits('<16 hex digits>'), and are evaluated with nothing else in scope.
"""

import pathlib
import re

import pytest

from frozenpack.reference import DecodeError, dumps, loads
from reference_helpers import exactly_equal, float_from_bits

EXAMPLES_MD = pathlib.Path(__file__).resolve().parents[2] / "spec" / "examples.md"

_ROW_ID = re.compile(r"^\|\s*([EX]\d+)\s*\|")
_VALUE_ROW = re.compile(r"^\|\s*(E\d+)\s*\|\s*`([^`]+)`\s*\|\s*`([0-9a-fA-F ]+)`\s*\|")
_REJECT_ROW = re.compile(
    r"^\|\s*(X\d+)\s*\|\s*—\s*\|\s*`([0-9a-fA-F ]+)`\s*\|\s*`([a-z0-9_]+)` at (\d+)\b"
)


def _bits(pattern):
    if not re.fullmatch(r"[0-9a-f]{16}", pattern):
        raise ValueError(f"bits() takes 16 lowercase hex digits, not {pattern!r}")
    return float_from_bits(pattern)


def parse_examples(text):
    """Return (value rows, rejection rows) of a document in the examples.md format.

    A row whose first cell is E<n> or X<n> but that does not match its format is an error,
    so a typo in the spec cannot silently drop a row from the test.
    """
    valid, rejected = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not _ROW_ID.match(line):
            continue
        if m := _VALUE_ROW.match(line):
            valid.append((m[1], m[2], m[3]))
        elif m := _REJECT_ROW.match(line):
            rejected.append((m[1], m[2], m[3], int(m[4])))
        else:
            raise ValueError(f"line {number} looks like an example row but is malformed: {line}")
    return valid, rejected


def evaluate(expression):
    # The expressions come from the spec and get nothing but bits(): no builtins at all.
    return eval(expression, {"bits": _bits, "__builtins__": {}})


def _load():
    if not EXAMPLES_MD.exists():
        return [], []
    return parse_examples(EXAMPLES_MD.read_text(encoding="utf-8"))


VALID, REJECTED = _load()


def test_examples_are_present():
    assert EXAMPLES_MD.exists(), f"{EXAMPLES_MD} is missing"
    assert VALID, "no value rows (| E<n> | `expr` | `hex` | why |) found"
    assert REJECTED, "no rejection rows (| X<n> | — | `hex` | `kind` at n: why |) found"


@pytest.mark.parametrize("expression, encoded", [r[1:] for r in VALID], ids=[r[0] for r in VALID])
def test_value_example(expression, encoded):
    value = evaluate(expression)
    expected = bytes.fromhex(encoded)
    assert dumps(value) == expected
    assert exactly_equal(loads(expected), value)


@pytest.mark.parametrize(
    "encoded, kind, offset", [r[1:] for r in REJECTED], ids=[r[0] for r in REJECTED]
)
def test_rejection_example(encoded, kind, offset):
    with pytest.raises(DecodeError) as info:
        loads(bytes.fromhex(encoded))
    assert (info.value.kind, info.value.offset) == (kind, offset)


# --- the row parser itself, on a fixed sample, so the checks above cannot pass vacuously -------

_SAMPLE = """\
| # | value | encoding | why |
|---|-------|----------|-----|
| E1 | `None` | `c0` | NONE |
| E35 | `bits('7ff8000000000001')` | `c3 01 00 00 00 00 00 f8 7f` | a NaN |
| E60 | `(None,) * 2` | `b2 c0 c0` | repetition |

| X4 | — | `05 06` | `trailing_bytes` at 1: after the value |
| X15 | — | `82 c0 af` | `invalid_utf8` at 1: overlong |
| C9 | −16 | `f0` | yes | yes | |
"""


def test_parser_reads_both_row_forms():
    valid, rejected = parse_examples(_SAMPLE)
    assert valid == [
        ("E1", "None", "c0"),
        ("E35", "bits('7ff8000000000001')", "c3 01 00 00 00 00 00 f8 7f"),
        ("E60", "(None,) * 2", "b2 c0 c0"),
    ]
    assert rejected == [
        ("X4", "05 06", "trailing_bytes", 1),
        ("X15", "82 c0 af", "invalid_utf8", 1),
    ]


def test_parser_refuses_a_malformed_example_row():
    with pytest.raises(ValueError, match="line 1"):
        parse_examples("| E2 | False | `c1` | no backticks around the value |")


def test_evaluation_has_no_builtins():
    assert exactly_equal(evaluate("bits('8000000000000000')"), -0.0)
    with pytest.raises(NameError):
        evaluate("len('x')")
