#!/usr/bin/env python3
"""Conformance testee for frozenpack.reference, the pure-Python reference implementation.

    python3 conformance/run.py --testee "python3 conformance/testees/python_reference.py"

Speaks the JSON-lines protocol of conformance/README.md on stdin/stdout: decode requests go to
frozenpack.reference.loads, encode requests to frozenpack.reference.dumps. A DecodeError is
answered as a protocol error; any other exception as an error of kind "internal" with its
message, so a bug in the implementation fails one check instead of the whole run.
Diagnostics go to stderr only: stdout carries nothing but responses.
"""

import platform
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# Works from a checkout without PYTHONPATH: typed_json is in conformance/, the package in
# codec-py/python/.
for _path in (_HERE.parent, _HERE.parent.parent / "codec-py" / "python"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import typed_json  # noqa: E402
from frozenpack import reference  # noqa: E402

SPEC_VERSION = 1
NAME = f"frozenpack.reference (pure Python, {platform.python_implementation()} " \
       f"{platform.python_version()})"


def _internal(exc):
    return {"error": {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}}


def answer(request):
    """The response object for one parsed request."""
    op = request.get("op") if type(request) is dict else None
    if op == "hello":
        return {"name": NAME, "spec_version": SPEC_VERSION}
    if op == "decode":
        try:
            data = bytes.fromhex(request["hex"])
            return {"value": typed_json.to_json(reference.loads(data))}
        except reference.DecodeError as e:
            return {"error": {"kind": e.kind, "offset": e.offset, "message": e.detail}}
        except Exception as e:  # noqa: BLE001 - reported to the runner, which fails the check
            return _internal(e)
    if op == "encode":
        try:
            value = typed_json.from_json(request["value"])
            return {"hex": reference.dumps(value).hex()}
        except Exception as e:  # noqa: BLE001
            return _internal(e)
    return {"error": {"kind": "internal", "message": f"unknown request: {op!r}"}}


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for line in stdin:
        try:
            request = typed_json.loads_json(line.decode("utf-8"))
        except ValueError as e:
            response = _internal(e)
        else:
            response = answer(request)
        stdout.write(typed_json.dumps_json(response).encode("ascii") + b"\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
