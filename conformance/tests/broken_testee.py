#!/usr/bin/env python3
"""A deliberately faulty testee for the runner's own tests.

    broken_testee.py --vectors DIR --mode MODE [--target SUBSTRING] [--op OP] [--ops OP,...]

It implements no codec: it answers from the vector files in DIR (an oracle keyed by the
request's hex or value, and its start and max_depth, not by its id, so a runner that sent the
wrong input would get a wrong answer), which keeps the runner's tests independent of any
implementation. Its hello announces the optional operations --ops lists (default none: a
suite 1.0 testee). Then it misbehaves, as MODE says, on the requests whose id contains
SUBSTRING (default: every request) and whose op is --op (default: any):

    correct       no fault at all
    wrong-offset  decode errors (of any decode op): offset + 1
    wrong-kind    decode errors: another kind
    wrong-bytes   encode: the last octet's low bit flipped
    wrong-type    decode values: bool as int, none as false, int as float, float with its sign
                  bit flipped (another NaN for a NaN), str as bytes, bytes as str, and a tuple
                  as a bare JSON array (not typed JSON at all)
    hang          never answers
    crash         exits with status 3 without answering
    garbage       answers with a line that is not JSON
    bad-hello     says it implements spec_version 2
    extra-line    answers, then writes a second line nobody asked for
    bad-exit      behaves, but exits with status 1 when its input closes
    linger        behaves, but does not exit when its input closes
"""

import argparse
import os
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import typed_json  # noqa: E402

MODES = ("correct", "wrong-offset", "wrong-kind", "wrong-bytes", "wrong-type", "hang", "crash",
         "garbage", "extra-line", "bad-hello", "bad-exit", "linger")


def value_key(json_value):
    """A string that is equal for equal values (to_json is deterministic)."""
    return typed_json.dumps_json(typed_json.to_json(typed_json.from_json(json_value)))


def load_oracle(directory):
    """{request key: response}; the key is what the answer depends on (spec §6, §9)."""
    answers = {}
    for path in sorted(Path(directory).glob("*.json")):
        doc = typed_json.loads_json(path.read_text(encoding="utf-8"))
        for case in doc["valid"]:
            depth = case.get("max_depth")
            answers[("decode", case["hex"], depth)] = {"value": case["value"]}
            if depth is None:
                answers[("encode", value_key(case["value"]))] = {"hex": case["hex"]}
        for case in doc["decode_errors"]:
            answers[("decode", case["hex"], case.get("max_depth"))] = {
                "error": {"kind": case["kind"], "offset": case["offset"]}}
        for case in doc.get("prefix", []):
            key = ("decode_prefix", case["hex"], case["start"], case.get("max_depth"))
            answers[key] = ({"error": {"kind": case["kind"], "offset": case["offset"]}}
                            if "kind" in case else {"value": case["value"], "end": case["end"]})
        for case in doc.get("sequences", []):
            answers[("decode_sequence", case["hex"], case.get("max_depth"))] = {
                "values": case["values"], "error": case["error"]}
    return answers


def request_key(request):
    op = request["op"]
    if op == "encode":
        return (op, value_key(request["value"]))
    if op == "decode_prefix":
        return (op, request["hex"], request["start"], request.get("max_depth"))
    return (op, request["hex"], request.get("max_depth"))


def wrong_type(v):
    kind, payload = next(iter(v.items()))
    if kind == "none":
        return {"bool": False}
    if kind == "bool":
        return {"int": "1" if payload else "0"}
    if kind == "int":
        try:
            bits = struct.unpack("<Q", struct.pack("<d", float(int(payload))))[0]
        except OverflowError:
            return {"str": payload}
        return {"float": f"{bits:016x}"}
    if kind == "float":
        return {"float": f"{int(payload, 16) ^ (1 << 63):016x}"}
    if kind in ("str", "str_codepoints"):
        s = typed_json.from_json(v)
        return {"bytes": s.encode("utf-8", "surrogatepass").hex()}
    if kind == "bytes":
        return {"str": bytes.fromhex(payload).decode("latin-1")}
    return [v]  # tuple or nest: a bare JSON array, which is not typed JSON


def respond(request, oracle, args):
    op = request["op"]
    if op == "hello":
        hello = {"name": f"broken_testee ({args.mode})",
                 "spec_version": 2 if args.mode == "bad-hello" else 1}
        if args.ops:
            hello["ops"] = args.ops
        return hello
    response = oracle.get(request_key(request))
    if response is None:
        return {"error": {"kind": "internal", "message": f"the oracle has no answer to {op} "
                                                         f"of {request.get('id')!r}"}}
    targeted = args.target in request["id"] and args.op in (None, op)
    if not targeted:
        return response
    if args.mode == "hang":
        while True:
            time.sleep(60)
    if args.mode == "crash":
        print("broken_testee: crashing on purpose", file=sys.stderr, flush=True)
        os._exit(3)
    if args.mode == "garbage":
        return "this is not JSON"
    if args.mode == "extra-line":
        return typed_json.dumps_json(response) + "\n" + typed_json.dumps_json(response)
    error = response.get("error")
    if args.mode == "wrong-offset" and error:
        if "values" in response:
            return dict(response, error=dict(error, offset=error["offset"] + 1))
        return {"error": dict(error, offset=error["offset"] + 1)}
    if args.mode == "wrong-kind" and error:
        kind = "non_canonical" if error["kind"] == "truncated" else "truncated"
        return {"error": dict(error, kind=kind)}
    if args.mode == "wrong-bytes" and "hex" in response:
        h = response["hex"]
        return {"hex": h[:-2] + f"{int(h[-2:], 16) ^ 1:02x}"}
    if args.mode == "wrong-type" and "value" in response:
        return {"value": wrong_type(response["value"])}
    return response


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vectors", required=True)
    p.add_argument("--mode", required=True, choices=MODES)
    p.add_argument("--target", default="")
    p.add_argument("--op", choices=("decode", "encode", "decode_prefix", "decode_sequence"))
    p.add_argument("--ops", type=lambda text: text.split(","), default=[],
                   help="the optional operations the hello announces, comma-separated")
    args = p.parse_args()
    oracle = load_oracle(args.vectors)
    for line in sys.stdin.buffer:
        response = respond(typed_json.loads_json(line.decode("utf-8")), oracle, args)
        text = response if type(response) is str else typed_json.dumps_json(response)
        sys.stdout.buffer.write(text.encode("ascii") + b"\n")
        sys.stdout.buffer.flush()
    while args.mode == "linger":
        time.sleep(60)
    return 1 if args.mode == "bad-exit" else 0


if __name__ == "__main__":
    sys.exit(main())
