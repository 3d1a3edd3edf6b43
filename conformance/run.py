#!/usr/bin/env python3
"""frozenpack conformance runner.

    python3 conformance/run.py --testee "COMMAND" [--vectors DIR] [--expected-failures FILE]
                               [--timeout SECONDS] [-k SUBSTRING] [-v]

Starts COMMAND (split with shlex) as a testee speaking the JSON-lines protocol of
conformance/README.md, and checks it against every vector file in DIR (default: the vectors/
directory next to this file). Every valid case gives a "[decode]" and an "[encode]" check
(only "[decode]" when it sets a max_depth), every decode_errors case a "[decode]" check, every
prefix case a "[decode_prefix]" check and every sequences case a "[decode_sequence]" check.
Checks of operations the testee does not announce in its hello (decode_prefix,
decode_sequence, max_depth: suite 1.1) are skipped and counted. Prints one line per failure,
then "N expected failures" and "N passed, N failed" (", N skipped" when some were).

Exit status: 0 when nothing failed, 1 when something failed, 2 for a usage error, a malformed
vector or expected-failures file, or a testee that cannot be started or fails its hello.

Standard library only (plus typed_json.py beside this file), so any implementer can run it.
"""

import argparse
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import typed_json  # noqa: E402  (found beside this file)

SPEC_VERSION = 1
# The version of this suite: the protocol and the vector files (conformance/VERSION).
SUITE_VERSION = "1.1"
# What a testee may announce in its hello, beyond the decode and encode every testee has.
OPTIONAL_OPS = ("decode_prefix", "decode_sequence", "max_depth")
ERROR_KINDS = ("truncated", "unknown_tag", "non_canonical", "invalid_utf8", "depth_exceeded",
               "trailing_bytes")
# A testee reports an exception of its own (not a decode error) with this kind.
INTERNAL = "internal"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SHOW_LIMIT = 160  # characters of a value or hex shown in a failure line


class UsageError(Exception):
    """Ends the run with exit status 2 before (or instead of) checking anything."""


class TesteeFailure(Exception):
    """The testee broke the protocol (died, hung, wrote something that is not a response):
    the current check fails with this reason and the testee is restarted."""


# =============================================================================================
# Vector files

class Check:
    __slots__ = ("id", "case_id", "topic", "op", "hex", "value", "kind", "offset", "max_depth",
                 "start", "end", "values", "needs")

    def __init__(self, topic, description, op, hex_, value=None, kind=None, offset=None,
                 max_depth=None, start=None, end=None, values=None):
        self.topic = topic
        self.case_id = f"{topic}/{description}"
        self.id = f"{self.case_id} [{op}]"
        self.op = op          # "decode", "encode", "decode_prefix" or "decode_sequence"
        self.hex = hex_       # the input (decode ops) or the expected output (encode)
        self.value = value    # the expected value (decode) or the input (encode), as Python
        self.kind = kind      # set when the expected outcome is an error (of a sequence: after
        self.offset = offset  # the values)
        self.max_depth = max_depth  # None: the default 1000, not sent
        self.start = start    # decode_prefix: where to start
        self.end = end        # decode_prefix: where the value ends
        self.values = values  # decode_sequence: the values before the end or the error
        # The optional operations (OPTIONAL_OPS) the testee must announce for this check.
        self.needs = frozenset(
            ([op] if op in OPTIONAL_OPS else []) + (["max_depth"] if max_depth is not None else []))


_HEX = re.compile(r"(?:[0-9a-f]{2})*")


def _is_hex(s):
    return type(s) is str and _HEX.fullmatch(s) is not None


def _keys(obj, required, where, optional=()):
    if type(obj) is not dict:
        raise ValueError(f"{where}: expected an object")
    missing = set(required) - set(obj)
    extra = set(obj) - set(required) - set(optional)
    if missing or extra:
        allowed = f" (and optionally {sorted(optional)})" if optional else ""
        raise ValueError(f"{where}: expected exactly the keys {sorted(required)}{allowed}"
                         + (f"; missing {sorted(missing)}" if missing else "")
                         + (f"; unexpected {sorted(extra)}" if extra else ""))


def _max_depth(case, where):
    """The case's depth limit, None when it has none (the default, 1000)."""
    if "max_depth" not in case:
        return None
    d = case["max_depth"]
    if type(d) is not int or d < 0:
        raise ValueError(f"{where}.max_depth: expected an integer >= 0, got {d!r}")
    return d


def _value(obj, where):
    try:
        return typed_json.from_json(obj)
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None


def _error(kind, offset, length, where, trailing=True):
    """Check an expected error's kind and offset against an input of `length` octets."""
    kinds = ERROR_KINDS if trailing else tuple(k for k in ERROR_KINDS if k != "trailing_bytes")
    if kind not in kinds:
        raise ValueError(f"{where}.kind: expected one of {', '.join(kinds)}, got {kind!r}")
    if type(offset) is not int or not 0 <= offset <= length:
        raise ValueError(f"{where}.offset: expected an integer in 0..{length} "
                         f"(spec section 7), got {offset!r}")
    if kind == "truncated" and offset != length:
        raise ValueError(f"{where}.offset: truncated is always reported at the input "
                         f"length {length} (spec section 7), got {offset}")


def _description(case, where, seen):
    d = case["description"]
    # A check id is written on one line of an expected-failures file, so it must survive
    # line splitting and stripping.
    if type(d) is not str or not d or d != d.strip() or any(ord(c) < 0x20 or c == "\x7f"
                                                             for c in d):
        raise ValueError(f"{where}.description: expected a non-empty one-line string without "
                         f"leading or trailing spaces, got {d!r}")
    if d in seen:
        raise ValueError(f"{where}.description: {d!r} is also the description of {seen[d]}")
    seen[d] = where
    return d


def parse_vector_file(path, doc):
    """The checks of one vector document; ValueError naming the offending place if it does not
    follow the schema of conformance/README.md (and vectors.schema.json)."""
    _keys(doc, ("spec_version", "topic", "description", "valid", "decode_errors"), "file",
          optional=("prefix", "sequences"))
    if type(doc["spec_version"]) is not int or doc["spec_version"] != SPEC_VERSION:
        raise ValueError(f"spec_version: expected {SPEC_VERSION}, got {doc['spec_version']!r}")
    topic = doc["topic"]
    if topic != path.stem:
        raise ValueError(f"topic: expected {path.stem!r} (the file is <topic>.json), got {topic!r}")
    if type(doc["description"]) is not str:
        raise ValueError("description: expected a string")
    for key in ("valid", "decode_errors", "prefix", "sequences"):
        if type(doc.get(key, [])) is not list:
            raise ValueError(f"{key}: expected an array")
    checks, seen = [], {}
    for i, case in enumerate(doc["valid"]):
        where = f"valid[{i}]"
        _keys(case, ("description", "value", "hex"), where, optional=("max_depth",))
        description = _description(case, where, seen)
        if not _is_hex(case["hex"]) or not case["hex"]:
            raise ValueError(f"{where}.hex: expected a non-empty even number of lowercase hex "
                             f"digits, got {case['hex']!r:.60}")
        value = _value(case["value"], f"{where}.value")
        max_depth = _max_depth(case, where)
        checks.append(Check(topic, description, "decode", case["hex"], value=value,
                            max_depth=max_depth))
        if max_depth is None:  # an encoder may refuse values deeper than it can walk (§8)
            checks.append(Check(topic, description, "encode", case["hex"], value=value))
    for i, case in enumerate(doc["decode_errors"]):
        where = f"decode_errors[{i}]"
        _keys(case, ("description", "hex", "kind", "offset"), where, optional=("max_depth",))
        description = _description(case, where, seen)
        hex_, kind, offset = case["hex"], case["kind"], case["offset"]
        if not _is_hex(hex_):
            raise ValueError(f"{where}.hex: expected an even number of lowercase hex digits, "
                             f"got {hex_!r:.60}")
        _error(kind, offset, len(hex_) // 2, where)
        checks.append(Check(topic, description, "decode", hex_, kind=kind, offset=offset,
                            max_depth=_max_depth(case, where)))
    for i, case in enumerate(doc.get("prefix", [])):
        where = f"prefix[{i}]"
        is_error = type(case) is dict and "kind" in case
        _keys(case, ("description", "hex", "start") + (("kind", "offset") if is_error else
                                                         ("value", "end")),
              where, optional=("max_depth",))
        description = _description(case, where, seen)
        hex_, start = case["hex"], case["start"]
        if not _is_hex(hex_):
            raise ValueError(f"{where}.hex: expected an even number of lowercase hex digits, "
                             f"got {hex_!r:.60}")
        length = len(hex_) // 2
        if type(start) is not int or not 0 <= start <= length:
            raise ValueError(f"{where}.start: expected an integer in 0..{length}, got {start!r}")
        max_depth = _max_depth(case, where)
        if is_error:
            _error(case["kind"], case["offset"], length, where, trailing=False)
            checks.append(Check(topic, description, "decode_prefix", hex_, kind=case["kind"],
                                offset=case["offset"], start=start, max_depth=max_depth))
        else:
            end = case["end"]
            if type(end) is not int or not start < end <= length:
                raise ValueError(f"{where}.end: expected an integer in {start + 1}..{length}, "
                                 f"got {end!r}")
            checks.append(Check(topic, description, "decode_prefix", hex_,
                                value=_value(case["value"], f"{where}.value"), start=start,
                                end=end, max_depth=max_depth))
    for i, case in enumerate(doc.get("sequences", [])):
        where = f"sequences[{i}]"
        _keys(case, ("description", "hex", "values", "error"), where, optional=("max_depth",))
        description = _description(case, where, seen)
        hex_ = case["hex"]
        if not _is_hex(hex_):
            raise ValueError(f"{where}.hex: expected an even number of lowercase hex digits, "
                             f"got {hex_!r:.60}")
        if type(case["values"]) is not list:
            raise ValueError(f"{where}.values: expected an array")
        values = [_value(v, f"{where}.values[{j}]") for j, v in enumerate(case["values"])]
        error, kind, offset = case["error"], None, None
        if error is not None:
            _keys(error, ("kind", "offset"), f"{where}.error")
            kind, offset = error["kind"], error["offset"]
            _error(kind, offset, len(hex_) // 2, f"{where}.error", trailing=False)
        checks.append(Check(topic, description, "decode_sequence", hex_, values=values,
                            kind=kind, offset=offset, max_depth=_max_depth(case, where)))
    return checks


def load_vectors(directory):
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory of vector files")
    files = sorted(directory.glob("*.json"))
    if not files:
        raise UsageError(f"no vector files (*.json) in {directory}")
    checks = []
    for path in files:
        try:
            doc = typed_json.loads_json(path.read_bytes().decode("utf-8"))
            checks.extend(parse_vector_file(path, doc))
        except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
            raise UsageError(f"malformed vector file {path}: {e}") from None
    return checks


def load_expected_failures(path):
    """{check id: line number}. One id per line; blank lines and lines whose first non-blank
    character is '#' are ignored (only whole-line comments: a description may contain '#')."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read expected-failures file {path}: {e}") from None
    ids = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line in ids:
            raise UsageError(f"{path}:{number}: {line!r} is already listed on line {ids[line]}")
        ids[line] = number
    return ids


# =============================================================================================
# The testee process

def _excerpt(text):
    # Failure reports are one line each, whatever a testee wrote.
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= SHOW_LIMIT else f"{text[:SHOW_LIMIT]}... ({len(text)} characters)"


def _line_excerpt(line):
    return _excerpt(line.rstrip(b"\r\n").decode("utf-8", "replace"))


def _read_lines(stream, lines):
    # Runs in a thread, so that the main thread can wait for a line with a timeout.
    try:
        for line in iter(stream.readline, b""):
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)  # end of output
    stream.close()


def _write_lines(stream, requests):
    # Runs in a thread: a testee that stops reading must not block the runner past its timeout.
    try:
        while True:
            data = requests.get()
            if data is None:
                break
            stream.write(data)
            stream.flush()
    except (OSError, ValueError):
        pass  # the testee is gone; the reader reports it
    try:
        stream.close()
    except (OSError, ValueError):
        pass


class Testee:
    def __init__(self, argv, timeout):
        self.argv = argv
        self.timeout = timeout
        self.proc = None
        self.name = None
        self.ops = frozenset()  # the optional operations it announced

    @property
    def running(self):
        return self.proc is not None

    def start(self):
        """Start the process and say hello; UsageError if either fails (the whole run stops)."""
        # A new session lets kill() end the testee's children too (a shell wrapper, say).
        extra = {"start_new_session": True} if os.name == "posix" else {}
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, **extra)
        except OSError as e:
            raise UsageError(f"cannot start testee {shlex.join(self.argv)}: {e}") from None
        self.lines, self.requests = queue.Queue(), queue.Queue()
        threading.Thread(target=_read_lines, args=(self.proc.stdout, self.lines),
                         daemon=True).start()
        threading.Thread(target=_write_lines, args=(self.proc.stdin, self.requests),
                         daemon=True).start()
        try:
            answer = self.ask({"op": "hello", "spec_version": SPEC_VERSION})
            # "ops" is suite 1.1's: a testee written for 1.0 answers without it.
            if type(answer) is not dict or set(answer) - {"ops"} != {"name", "spec_version"} \
                    or type(answer["name"]) is not str:
                raise TesteeFailure("expected {\"name\": ..., \"spec_version\": ..., "
                                    "\"ops\" (optional): [...]}, got "
                                    + _excerpt(typed_json.dumps_json(answer)))
            ops = answer.get("ops", [])
            if type(ops) is not list or any(type(op) is not str for op in ops):
                raise TesteeFailure("\"ops\" must be an array of strings, got "
                                    + _excerpt(typed_json.dumps_json(ops)))
            if type(answer["spec_version"]) is not int or answer["spec_version"] != SPEC_VERSION:
                raise TesteeFailure(f"the testee implements spec_version "
                                    f"{answer['spec_version']!r}; this runner checks "
                                    f"spec_version {SPEC_VERSION}")
        except TesteeFailure as e:
            self.kill()
            raise UsageError(f"hello failed: {e}") from None
        self.name = answer["name"]
        # Names this runner does not know are allowed (a later suite's operations) and unused.
        self.ops = frozenset(ops) & frozenset(OPTIONAL_OPS)

    def ask(self, request):
        """Send one request line and return the parsed JSON of the one response line."""
        try:
            stale = self.lines.get_nowait()
        except queue.Empty:
            stale = False
        if stale is None:
            raise TesteeFailure(f"the testee {self._reap()} before this request")
        if stale is not False:
            raise TesteeFailure("before this request the testee wrote an extra line "
                                + _line_excerpt(stale))
        self.requests.put(typed_json.dumps_json(request).encode("ascii") + b"\n")
        try:
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            raise TesteeFailure(f"timeout after {self.timeout:g}s") from None
        if line is None:
            raise TesteeFailure(f"the testee {self._reap()} without answering")
        if not line.endswith(b"\n"):
            raise TesteeFailure("the testee wrote an unterminated line and closed its output: "
                                + _line_excerpt(line))
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            raise TesteeFailure(f"the testee wrote a line that is not UTF-8 ({e}): "
                                f"{_line_excerpt(line)}") from None
        try:
            return typed_json.loads_json(text)
        except ValueError as e:
            raise TesteeFailure(f"the testee wrote a line that is not JSON ({e}): "
                                f"{_line_excerpt(line)}") from None

    def _reap(self):
        try:
            code = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return "closed its output"
        return f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"

    def kill(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                if os.name == "posix":
                    os.killpg(self.proc.pid, signal.SIGKILL)
                else:
                    self.proc.kill()
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.requests.put(None)  # ends the writer thread
        self.proc = None

    def close(self):
        """End of the run: close stdin, expect the testee to exit 0 with nothing more to say.
        Returns None, or the reason the shutdown was not clean."""
        self.requests.put(None)
        deadline = time.monotonic() + self.timeout
        late = f"the testee did not exit within {self.timeout:g}s of its input closing"
        problem = None
        try:
            while True:  # until the end of its output
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
                if line is None:
                    break
                problem = problem or "the testee wrote an extra line " + _line_excerpt(line)
        except queue.Empty:
            problem = late
        if problem is None:
            try:
                code = self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
                if code != 0:
                    problem = (f"the testee was killed by signal {-code}" if code < 0 else
                               f"the testee exited with status {code}") + \
                        " after its input closed (expected 0)"
            except subprocess.TimeoutExpired:
                problem = late
        self.kill()
        return problem


# =============================================================================================
# One check

def _show(value):
    return _excerpt(typed_json.dumps_json(typed_json.to_json(value)))


def _show_error(error):
    text = error["kind"]
    if "offset" in error:
        text += f" at {error['offset']}"
    if error.get("message"):
        text += f" ({_excerpt(error['message'])})"
    return text


def _error_object(error, allowed):
    """Validate the object of an {"error": ...} response."""
    if type(error) is not dict or "kind" not in error or not set(error) <= set(allowed):
        raise TesteeFailure(f"malformed response: \"error\" must be an object with \"kind\" "
                            f"and at most the keys {', '.join(allowed)}")
    if type(error["kind"]) is not str:
        raise TesteeFailure("malformed response: error kind must be a string")
    if "message" in error and type(error["message"]) is not str:
        raise TesteeFailure("malformed response: error message must be a string")
    if "offset" in allowed:
        offset = error.get("offset")
        if offset is None and error["kind"] != INTERNAL:
            raise TesteeFailure(f"malformed response: error {error['kind']} has no offset")
        if offset is not None and (type(offset) is not int or offset < 0):
            raise TesteeFailure(f"malformed response: error offset must be an integer >= 0, "
                                f"got {offset!r}")
    return error


def _one_key(response, keys):
    if type(response) is not dict or len(response) != 1 or next(iter(response)) not in keys:
        raise TesteeFailure("malformed response: expected an object with exactly one of the keys "
                            + " or ".join(f'"{k}"' for k in keys) + ", got "
                            + _excerpt(typed_json.dumps_json(response)))
    return next(iter(response.items()))


def request_for(check):
    """The request object the runner sends for a check."""
    if check.op == "encode":
        return {"op": "encode", "id": check.case_id, "value": typed_json.to_json(check.value)}
    request = {"op": check.op, "id": check.case_id, "hex": check.hex}
    if check.op == "decode_prefix":
        request["start"] = check.start
    if check.max_depth is not None:
        request["max_depth"] = check.max_depth
    return request


def _got_value(payload, where="value"):
    try:
        return typed_json.from_json(payload)
    except ValueError as e:
        raise TesteeFailure(f"malformed response: in \"{where}\": {e}") from None


def _compare_error(check, error):
    expected = f"expected error {check.kind} at {check.offset}"
    if error["kind"] == check.kind and error.get("offset") == check.offset:
        return None
    return f"{expected}, got error {_show_error(error)}"


def _check_encode(testee, check):
    key, payload = _one_key(testee.ask(request_for(check)), ("hex", "error"))
    expected = f"expected hex {_excerpt(check.hex)}"
    if key == "error":
        error = _error_object(payload, ("kind", "message"))
        return f"{expected}, got error {_show_error(error)}"
    if not _is_hex(payload):
        raise TesteeFailure("malformed response: \"hex\" must be an even number of lowercase "
                            f"hex digits, got {_excerpt(repr(payload))}")
    if payload == check.hex:
        return None
    at = next((i for i in range(0, min(len(payload), len(check.hex)), 2)
               if payload[i:i + 2] != check.hex[i:i + 2]), min(len(payload), len(check.hex)))
    return (f"{expected}, got hex {_excerpt(payload)} (first difference at octet {at // 2}; "
            f"{len(check.hex) // 2} octets expected, {len(payload) // 2} received)")


def _check_decode(testee, check):
    key, payload = _one_key(testee.ask(request_for(check)), ("value", "error"))
    if key == "value":
        got = _got_value(payload)
    else:
        error = _error_object(payload, ("kind", "offset", "message"))
    if check.kind is None:
        expected = f"expected value {_show(check.value)}"
        if key == "error":
            return f"{expected}, got error {_show_error(error)}"
        return None if typed_json.same(got, check.value) else f"{expected}, got value {_show(got)}"
    if key == "value":
        return f"expected error {check.kind} at {check.offset}, got value {_show(got)}"
    return _compare_error(check, error)


def _check_decode_prefix(testee, check):
    response = testee.ask(request_for(check))
    if type(response) is dict and set(response) == {"value", "end"}:
        got, end = _got_value(response["value"]), response["end"]
        if type(end) is not int or end < 0:
            raise TesteeFailure(f"malformed response: \"end\" must be an integer >= 0, "
                                f"got {end!r}")
        if check.kind is not None:
            return (f"expected error {check.kind} at {check.offset}, got value {_show(got)} "
                    f"ending at {end}")
        expected = f"expected value {_show(check.value)} ending at {check.end}"
        if typed_json.same(got, check.value) and end == check.end:
            return None
        return f"{expected}, got value {_show(got)} ending at {end}"
    if type(response) is dict and set(response) == {"error"}:
        error = _error_object(response["error"], ("kind", "offset", "message"))
        if check.kind is None:
            return (f"expected value {_show(check.value)} ending at {check.end}, got error "
                    f"{_show_error(error)}")
        return _compare_error(check, error)
    raise TesteeFailure("malformed response: expected {\"value\": ..., \"end\": ...} or "
                        "{\"error\": ...}, got " + _excerpt(typed_json.dumps_json(response)))


def _show_sequence(values, error):
    shown = ", ".join(_show(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
    end = f"error {_show_error(error)}" if error else "the end"
    return _excerpt(f"{len(values)} values [{shown}] then {end}")


def _check_decode_sequence(testee, check):
    response = testee.ask(request_for(check))
    if type(response) is not dict or set(response) != {"values", "error"} \
            or type(response["values"]) is not list:
        raise TesteeFailure("malformed response: expected {\"values\": [...], \"error\": null "
                            "or {...}}, got " + _excerpt(typed_json.dumps_json(response)))
    got = [_got_value(v, "values") for v in response["values"]]
    error = response["error"]
    if error is not None:
        error = _error_object(error, ("kind", "offset", "message"))
    expected_error = None if check.kind is None else {"kind": check.kind, "offset": check.offset}
    same_error = (error is None) == (expected_error is None) and (
        error is None or (error["kind"], error.get("offset")) == (check.kind, check.offset))
    if same_error and len(got) == len(check.values) and all(
            typed_json.same(a, b) for a, b in zip(got, check.values)):
        return None
    first = next((i for i, (a, b) in enumerate(zip(got, check.values))
                  if not typed_json.same(a, b)), None)
    where = f" (first different value: #{first})" if first is not None else ""
    return (f"expected {_show_sequence(check.values, expected_error)}, got "
            f"{_show_sequence(got, error)}{where}")


_CHECKERS = {
    "encode": _check_encode,
    "decode": _check_decode,
    "decode_prefix": _check_decode_prefix,
    "decode_sequence": _check_decode_sequence,
}


def run_check(testee, check):
    """None if the testee passes the check, else the reason it does not."""
    return _CHECKERS[check.op](testee, check)


# =============================================================================================
# The run

def parse_args(argv):
    here = Path(__file__).resolve().parent
    p = argparse.ArgumentParser(description="Check a frozenpack implementation against the "
                                "conformance vectors (protocol: conformance/README.md).")
    p.add_argument("--testee", required=True, metavar="COMMAND",
                   help="command starting the testee; split like a POSIX shell would (shlex)")
    p.add_argument("--vectors", type=Path, default=here / "vectors", metavar="DIR",
                   help="directory of vector files (default: %(default)s)")
    p.add_argument("--expected-failures", type=Path, metavar="FILE",
                   help="check ids, one per line, that are known to fail")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="per check (and for the hello and the shutdown); default %(default)g")
    p.add_argument("-k", dest="substring", metavar="SUBSTRING",
                   help="run only the checks whose id contains SUBSTRING")
    p.add_argument("--require-all-ops", action="store_true",
                   help="fail the run if the testee does not announce every optional operation "
                        f"({', '.join(OPTIONAL_OPS)}), instead of skipping their checks")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print the testee's name and a summary per topic")
    args = p.parse_args(argv)
    if not 0 < args.timeout < float("inf"):
        p.error("--timeout must be a positive number of seconds")
    try:
        args.command = shlex.split(args.testee)
    except ValueError as e:
        p.error(f"--testee: {e}")
    if not args.command:
        p.error("--testee: empty command")
    return args


def run(args):
    checks = load_vectors(args.vectors)
    expected_failures = (load_expected_failures(args.expected_failures)
                         if args.expected_failures else {})
    selected = [c for c in checks if args.substring is None or args.substring in c.id]
    if not selected:
        raise UsageError(f"no check id contains {args.substring!r}")

    passed = failed = xfailed = 0
    topics = {}  # topic -> [passed, failed, expected failures]
    skipped = {}  # optional operation the testee lacks -> checks skipped for it
    skip_count = 0

    def report(tag, check_id, reason):
        print(f"{tag} {check_id}: {reason}", flush=True)

    known = {c.id for c in checks}
    for check_id, line in expected_failures.items():
        if check_id not in known:
            failed += 1
            report("FAIL", check_id,
                   f"unknown id in expected failures ({args.expected_failures}:{line})")

    testee = Testee(args.command, args.timeout)
    try:
        for check in selected:
            if not testee.running:
                testee.start()
                if args.verbose:
                    ops = ", ".join(sorted(testee.ops)) or "none"
                    print(f"testee: {testee.name} (pid {testee.proc.pid}; optional operations: "
                          f"{ops})", flush=True)
            missing = check.needs - testee.ops
            if missing:
                # Neither passed nor failed; an expected failure listed for it is not stale.
                skip_count += 1
                for op in sorted(missing):
                    skipped[op] = skipped.get(op, 0) + 1
                topics.setdefault(check.topic, [0, 0, 0])
                continue
            try:
                reason = run_check(testee, check)
            except TesteeFailure as e:
                reason = str(e)
                testee.kill()  # restarted before the next check
            counts = topics.setdefault(check.topic, [0, 0, 0])
            if check.id in expected_failures:
                if reason is None:
                    reason = "stale expected failure: remove it (the check passes)"
                else:
                    xfailed += 1
                    counts[2] += 1
                    report("XFAIL", check.id, f"expected failure: {reason}")
                    continue
            if reason is None:
                passed += 1
                counts[0] += 1
            else:
                failed += 1
                counts[1] += 1
                report("FAIL", check.id, reason)
        if testee.running:
            problem = testee.close()
            if problem:
                failed += 1
                report("FAIL", "(testee shutdown)", problem)
    finally:
        testee.kill()

    if args.verbose:
        for topic, (p, f, x) in topics.items():
            print(f"topic {topic}: {p} passed, {f} failed, {x} expected failures")
    if skip_count:
        per_op = ", ".join(f"{op} ({n})" for op, n in sorted(skipped.items()))
        print(f"SKIP {skip_count} checks: the testee does not announce {per_op} in its hello",
              flush=True)
        if args.require_all_ops:
            failed += 1
            report("FAIL", "(skipped checks)", "--require-all-ops: the testee must announce "
                   + ", ".join(OPTIONAL_OPS))
    print(f"{xfailed} expected failures")
    print(f"{passed} passed, {failed} failed" + (f", {skip_count} skipped" if skip_count else ""),
          flush=True)
    return EXIT_OK if failed == 0 else EXIT_FAILED


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except UsageError as e:
        print(f"run.py: error: {e}", file=sys.stderr, flush=True)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
