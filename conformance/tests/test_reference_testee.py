"""testees/python_reference.py speaks the protocol: one response line per request line, nothing
else on stdout, exit 0 when stdin closes, and exceptions reported instead of crashing."""

import json
import os
import subprocess
import sys
from pathlib import Path

TESTEE = Path(__file__).resolve().parent.parent / "testees" / "python_reference.py"


def converse(*requests):
    """Send the request lines; return the parsed response lines. Runs without PYTHONPATH: the
    testee finds typed_json and frozenpack relative to its own location."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    lines = [r if isinstance(r, bytes) else json.dumps(r).encode() for r in requests]
    result = subprocess.run([sys.executable, str(TESTEE)], input=b"\n".join(lines) + b"\n",
                            capture_output=True, timeout=60, env=env, cwd="/")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("ascii").splitlines()
    assert len(out) == len(requests)
    return [json.loads(line) for line in out]


def test_hello():
    (answer,) = converse({"op": "hello", "spec_version": 1})
    assert answer["spec_version"] == 1
    assert set(answer) == {"name", "spec_version", "ops"}
    assert answer["ops"] == ["decode_prefix", "decode_sequence", "max_depth"]
    assert answer["name"].startswith("frozenpack.reference (pure Python, ")


def test_decode_and_encode():
    value = {"tuple": [{"int": "1"}, {"str_codepoints": [55296]}, {"float": "8000000000000000"}]}
    answers = converse(
        {"op": "decode", "id": "t/a", "hex": "b301dc03eda080c30000000000000080"},
        {"op": "encode", "id": "t/a", "value": value},
        {"op": "encode", "id": "t/b", "value": {"nest": {"depth": 70, "inner": {"none": None}}}},
        {"op": "decode", "id": "t/b", "hex": "b1" * 70 + "c0"},
    )
    assert answers == [
        {"value": value},
        {"hex": "b301dc03eda080c30000000000000080"},
        {"hex": "b1" * 70 + "c0"},
        {"value": {"nest": {"depth": 70, "inner": {"none": None}}}},
    ]


def test_decode_error_carries_kind_offset_and_message():
    (answer,) = converse({"op": "decode", "id": "t/e", "hex": "c405"})
    assert answer == {"error": {"kind": "non_canonical", "offset": 0,
                                "message": answer["error"]["message"]}}
    assert answer["error"]["message"]


def test_other_exceptions_are_internal_errors_not_crashes():
    answers = converse(
        {"op": "encode", "id": "t/x", "value": {"int": "007"}},   # malformed typed JSON
        {"op": "decode", "id": "t/y", "hex": "zz"},               # not hex
        {"op": "frobnicate"},
        b"this is not JSON",
        {"op": "decode", "id": "t/z", "hex": "00"},               # and it still works after
    )
    assert answers[0] == {"error": {"kind": "internal", "message":
                                    "ValueError: $.int: not a canonical decimal integer: '007'"}}
    assert answers[1]["error"]["kind"] == "internal"
    assert answers[1]["error"]["message"].startswith("ValueError: ")
    assert answers[2] == {"error": {"kind": "unsupported", "message": "unknown op: 'frobnicate'"}}
    assert answers[3]["error"]["kind"] == "internal"
    assert answers[4] == {"value": {"int": "0"}}


def test_suite_1_1_operations():
    answers = converse(
        {"op": "decode", "id": "t/d", "hex": "b1b0", "max_depth": 1},
        {"op": "decode", "id": "t/d", "hex": "b1b0", "max_depth": 2},
        {"op": "decode_prefix", "id": "t/p", "hex": "0182686903", "start": 1},
        {"op": "decode_prefix", "id": "t/p", "hex": "05b201e0", "start": 1},
        {"op": "decode_prefix", "id": "t/p", "hex": "00b1b1c0", "start": 1, "max_depth": 1},
        {"op": "decode_sequence", "id": "t/s", "hex": "0102c40503"},
        {"op": "decode_sequence", "id": "t/s", "hex": ""},
        {"op": "decode_sequence", "id": "t/s", "hex": "01c0b002", "max_depth": 0},
    )
    for answer in answers:
        if answer.get("error"):
            answer["error"].pop("message")
    assert answers == [
        {"error": {"kind": "depth_exceeded", "offset": 1}},
        {"value": {"tuple": [{"tuple": []}]}},
        {"value": {"str": "hi"}, "end": 4},
        {"error": {"kind": "unknown_tag", "offset": 3}},
        {"error": {"kind": "depth_exceeded", "offset": 2}},
        {"values": [{"int": "1"}, {"int": "2"}], "error": {"kind": "non_canonical", "offset": 2}},
        {"values": [], "error": None},
        {"values": [{"int": "1"}, {"none": None}], "error": {"kind": "depth_exceeded", "offset": 2}},
    ]
