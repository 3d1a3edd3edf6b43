"""The conformance protocol for Python implementations of frozenpack, shared by the testees.

A testee script names its implementation (a module with loads, loads_prefix, iter_loads, dumps
and DecodeError) and calls serve(); this module speaks the JSON-lines protocol of
conformance/README.md (suite 1.1) on stdin/stdout: decode requests go to the implementation's
loads, decode_prefix to loads_prefix, decode_sequence to iter_loads, each with the request's
max_depth when it has one, and encode requests to dumps. An implementation with the stream API
(load, iter_load, Decoder) answers decode_sequence from iter_loads only if iter_load, reading
the octets from a file, and a Decoder, fed them in small pieces, give exactly the same answer
(otherwise it is an "internal" error naming the one that differs): the vectors check all three.
A DecodeError is answered as a protocol error; any other exception as an error of kind
"internal" with its message, so a bug in the implementation fails one check instead of the
whole run. Diagnostics go to stderr only: stdout carries nothing but responses.
"""

import io
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# Works from a checkout without PYTHONPATH: typed_json is in conformance/, the package in
# codec-py/python/.
for _path in (_HERE.parent, _HERE.parent.parent / "codec-py" / "python"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import typed_json  # noqa: E402

SPEC_VERSION = 1
# The optional operations of suite 1.1 that every Python implementation here supports.
OPS = ["decode_prefix", "decode_sequence", "max_depth"]


def _internal(exc):
    return {"error": {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}}


def _decode_error(e):
    return {"kind": e.kind, "offset": e.offset, "message": e.detail}


def _depth(implementation, request):
    return request.get("max_depth", implementation.MAX_DEPTH)


def answer(implementation, name, request):
    """The response object for one parsed request, answered by `implementation`."""
    op = request.get("op") if type(request) is dict else None
    if op == "hello":
        return {"name": name, "spec_version": SPEC_VERSION, "ops": OPS}
    if op == "decode":
        try:
            data = bytes.fromhex(request["hex"])
            value = implementation.loads(data, max_depth=_depth(implementation, request))
            return {"value": typed_json.to_json(value)}
        except implementation.DecodeError as e:
            return {"error": _decode_error(e)}
        except Exception as e:  # noqa: BLE001 - reported to the runner, which fails the check
            return _internal(e)
    if op == "decode_prefix":
        try:
            data = bytes.fromhex(request["hex"])
            value, end = implementation.loads_prefix(data, request["start"],
                                                     max_depth=_depth(implementation, request))
            return {"value": typed_json.to_json(value), "end": end}
        except implementation.DecodeError as e:
            return {"error": _decode_error(e)}
        except Exception as e:  # noqa: BLE001
            return _internal(e)
    if op == "decode_sequence":
        try:
            data = bytes.fromhex(request["hex"])
            max_depth = _depth(implementation, request)
            answer = _sequence(implementation, implementation.iter_loads(data,
                                                                         max_depth=max_depth))
            if hasattr(implementation, "Decoder"):
                for how, other in _sequence_by_streams(implementation, data, max_depth):
                    if other != answer:
                        raise AssertionError(f"{how} gives {other}, iter_loads {answer}")
        except Exception as e:  # noqa: BLE001
            return _internal(e)
        return answer
    if op == "encode":
        try:
            value = typed_json.from_json(request["value"])
            return {"hex": implementation.dumps(value).hex()}
        except Exception as e:  # noqa: BLE001
            return _internal(e)
    # conformance/README.md: an operation the testee does not know is answered this way (the
    # runner sends none it did not announce, but a newer runner might try).
    return {"error": {"kind": "unsupported", "message": f"unknown op: {op!r}"}}


def _sequence(implementation, values):
    """The decode_sequence response for an iterable of values that may raise DecodeError."""
    out = []
    try:
        for value in values:
            out.append(typed_json.to_json(value))
    except implementation.DecodeError as e:
        return {"values": out, "error": _decode_error(e)}
    return {"values": out, "error": None}


def _fed(implementation, data, max_depth):
    """The values a Decoder gives for `data`, fed octet by octet (in 4 KiB pieces from 4 KiB
    on), then closed; a DecodeError is raised after the values before it, as iter_loads does."""
    decoder = implementation.Decoder(max_depth=max_depth)
    size = 1 if len(data) <= 4096 else 4096
    for start in range(0, len(data), size):
        yield from decoder.feed(data[start:start + size])
    decoder.close()


def _sequence_by_streams(implementation, data, max_depth):
    yield "iter_load", _sequence(implementation,
                                 implementation.iter_load(io.BytesIO(data), max_depth=max_depth))
    yield "Decoder", _sequence(implementation, _fed(implementation, data, max_depth))


def serve(implementation, name):
    """Answer requests from stdin until it closes; returns the exit status (0)."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for line in stdin:
        try:
            request = typed_json.loads_json(line.decode("utf-8"))
        except ValueError as e:
            response = _internal(e)
        else:
            response = answer(implementation, name, request)
        stdout.write(typed_json.dumps_json(response).encode("ascii") + b"\n")
        stdout.flush()
    return 0
