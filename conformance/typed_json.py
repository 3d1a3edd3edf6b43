"""Typed JSON: the JSON form of frozenpack values used by the vectors and the testee protocol.

A value is a one-key JSON object naming its kind (see conformance/README.md):

    {"none": null}  {"bool": true}  {"int": "-123"}  {"float": "3ff0000000000000"}
    {"str": "text"}  {"str_codepoints": [104, 55296]}  {"bytes": "00ff"}
    {"tuple": [V, ...]}  {"nest": {"depth": N, "inner": V}}

API:
    to_json(value)   -> JSON-able object (deterministic: one value, one form)
    from_json(obj)   -> Python value; ValueError naming the path of a malformed form
    same(a, b)       -> exact equality per spec section 1
    loads_json(text) -> parsed JSON; dumps_json(obj) -> compact ASCII JSON text

Everything here is iterative, so values and JSON nested 10**5 deep (or deeper) convert without
touching Python's recursion limit. Standard library only: the conformance runner imports this
module and must run on a plain python3.
"""

import decimal
import json
import re
import struct
from json.decoder import scanstring

__all__ = ["NEST_MIN", "to_json", "from_json", "same", "loads_json", "dumps_json"]

# Writers collapse every maximal chain of at least this many directly nested singleton
# tuples into one "nest" form, so the JSON of a deep value stays shallow.
NEST_MIN = 64

_KINDS = ("none", "bool", "int", "float", "str", "str_codepoints", "bytes", "tuple", "nest")
_MODEL_TYPES = (type(None), bool, int, float, str, bytes, tuple)

# Canonical decimal: no sign on zero, no "+", no leading zeros; ASCII digits only (Python's
# \d would also take other scripts' digits).
_DECIMAL = re.compile(r"0|-?[1-9][0-9]*")
_FLOAT_HEX = re.compile(r"[0-9a-f]{16}")
_HEX = re.compile(r"(?:[0-9a-f]{2})*")


# ---------------------------------------------------------------------------------------------
# Integers of any size <-> decimal text. str()/int() refuse more than 4300 digits by default
# (CPython's int_max_str_digits); decimal.Decimal converts exactly with no such limit, and
# changing the global limit would be a side effect on the importing program.

def _int_to_decimal(v):
    try:
        return str(v)
    except ValueError:
        return str(decimal.Decimal(v))


def _decimal_to_int(text):
    try:
        return int(text)
    except ValueError:
        return int(decimal.Decimal(text))


def _float_to_hex(f):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", f))[0]


def _hex_to_float(h):
    return struct.unpack("<d", struct.pack("<Q", int(h, 16)))[0]


def _has_surrogate(s):
    # UTF-8 can encode every code point but the surrogates, so this is exactly the test.
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Paths are linked (parent, step) pairs, rendered only when an error is raised: building the
# text for every node of a 10**5-deep value would cost quadratic time.

def _render(path, root="$"):
    steps = []
    while path is not None:
        path, step = path
        steps.append(step)
    return root + "".join(reversed(steps))


# ---------------------------------------------------------------------------------------------
# Python value -> typed JSON

def _type_name(t):
    if t.__module__ == "builtins":
        return t.__qualname__
    return t.__module__ + "." + t.__qualname__


def _leaf_to_json(v, path):
    t = type(v)
    if v is None:
        return {"none": None}
    if t is bool:
        return {"bool": v}
    if t is int:
        return {"int": _int_to_decimal(v)}
    if t is float:
        return {"float": _float_to_hex(v)}
    if t is str:
        if _has_surrogate(v):
            return {"str_codepoints": [ord(c) for c in v]}
        return {"str": v}
    if t is bytes:
        return {"bytes": v.hex()}
    raise TypeError(f"unsupported type {_type_name(t)!r} at {_render(path)}")


def _singleton_chain(v):
    """Length of the chain of directly nested singleton tuples starting at v, and its inner."""
    depth = 0
    while type(v) is tuple and len(v) == 1:
        depth += 1
        v = v[0]
    return depth, v


def to_json(value):
    """The typed JSON form of value. Only the seven exact model types are accepted (no
    subclasses): anything else raises TypeError("unsupported type 'T' at $[i]...")."""
    root = [None]
    # Each pending slot is (container, key): the converted value goes to container[key].
    # Work items are (value, path, container, key).
    work = [(value, None, root, 0)]
    while work:
        v, path, container, key = work.pop()
        if type(v) is not tuple:
            container[key] = _leaf_to_json(v, path)
            continue
        depth, inner = _singleton_chain(v)
        if depth >= NEST_MIN:
            body = {"depth": depth, "inner": None}
            container[key] = {"nest": body}
            for _ in range(depth):
                path = (path, "[0]")
            work.append((inner, path, body, "inner"))
            continue
        items = [None] * len(v)
        container[key] = {"tuple": items}
        # Pushed in reverse so items are converted first to last (errors name the first bad one).
        for i in range(len(v) - 1, -1, -1):
            work.append((v[i], (path, f"[{i}]"), items, i))
    return root[0]


# ---------------------------------------------------------------------------------------------
# typed JSON -> Python value

def _fail(path, problem):
    raise ValueError(f"{_render(path)}: {problem}")


def _is_int(x):
    return type(x) is int  # bool is a subclass of int; JSON true is not a number


def _form(obj, path):
    """Validate the one-key envelope; return (kind, payload)."""
    if type(obj) is not dict:
        _fail(path, f"expected a one-key object naming a kind, got {_json_type(obj)}")
    if len(obj) != 1:
        _fail(path, f"expected exactly one key, got {sorted(obj)!r}")
    (kind, payload), = obj.items()
    if kind not in _KINDS:
        _fail(path, f"unknown kind {kind!r}")
    return kind, payload


def _json_type(x):
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(x), type(x).__name__)


def _leaf_from_json(kind, payload, path):
    here = (path, "." + kind)
    if kind == "none":
        if payload is not None:
            _fail(here, f"expected null, got {_json_type(payload)}")
        return None
    if kind == "bool":
        if type(payload) is not bool:
            _fail(here, f"expected true or false, got {_json_type(payload)}")
        return payload
    if kind == "int":
        if type(payload) is not str:
            _fail(here, f"expected a decimal string, got {_json_type(payload)}")
        if not _DECIMAL.fullmatch(payload):
            _fail(here, f"not a canonical decimal integer: {_excerpt(payload)}")
        return _decimal_to_int(payload)
    if kind == "float":
        if type(payload) is not str or not _FLOAT_HEX.fullmatch(payload):
            _fail(here, "expected exactly 16 lowercase hex digits, got "
                  + (_excerpt(payload) if type(payload) is str else _json_type(payload)))
        return _hex_to_float(payload)
    if kind == "str":
        if type(payload) is not str:
            _fail(here, f"expected a string, got {_json_type(payload)}")
        if _has_surrogate(payload):
            _fail(here, "contains a surrogate code point: use str_codepoints")
        return payload
    if kind == "str_codepoints":
        if type(payload) is not list:
            _fail(here, f"expected an array of code points, got {_json_type(payload)}")
        for i, c in enumerate(payload):
            if not _is_int(c) or not 0 <= c <= 0x10FFFF:
                _fail((here, f"[{i}]"), f"not a code point in 0..1114111: {c!r}")
        return "".join(map(chr, payload))
    if kind == "bytes":
        if type(payload) is not str or not _HEX.fullmatch(payload):
            _fail(here, "expected an even number of lowercase hex digits, got "
                  + (_excerpt(payload) if type(payload) is str else _json_type(payload)))
        return bytes.fromhex(payload)
    raise AssertionError(kind)


def _excerpt(s, limit=40):
    return repr(s) if len(s) <= limit else repr(s[:limit]) + f"... ({len(s)} characters)"


class _TupleFrame:
    __slots__ = ("items", "out", "path")

    def __init__(self, items, path):
        self.items = items
        self.out = []
        self.path = path


class _NestFrame:
    __slots__ = ("depth",)

    def __init__(self, depth):
        self.depth = depth


def from_json(obj):
    """The Python value of a typed JSON form; ValueError("$.tuple[1].int: ...") if malformed."""
    frames = []
    cur, path = obj, None
    while True:
        # Descend until a complete value is in hand.
        kind, payload = _form(cur, path)
        if kind == "tuple":
            if type(payload) is not list:
                _fail((path, ".tuple"), f"expected an array, got {_json_type(payload)}")
            if payload:
                frames.append(_TupleFrame(payload, (path, ".tuple")))
                cur, path = payload[0], (path, ".tuple[0]")
                continue
            value = ()
        elif kind == "nest":
            here = (path, ".nest")
            if type(payload) is not dict:
                _fail(here, f"expected an object, got {_json_type(payload)}")
            if set(payload) != {"depth", "inner"}:
                _fail(here, "expected exactly the keys 'depth' and 'inner', got "
                      f"{sorted(payload)!r}")
            depth = payload["depth"]
            if not _is_int(depth) or depth < 1:
                _fail((here, ".depth"), f"expected an integer >= 1, got {depth!r}")
            frames.append(_NestFrame(depth))
            cur, path = payload["inner"], (here, ".inner")
            continue
        else:
            value = _leaf_from_json(kind, payload, path)
        # Ascend: hand the value to the enclosing frames until one needs another item.
        while frames:
            frame = frames[-1]
            if type(frame) is _NestFrame:
                for _ in range(frame.depth):
                    value = (value,)
                frames.pop()
                continue
            frame.out.append(value)
            i = len(frame.out)
            if i < len(frame.items):
                cur, path = frame.items[i], (frame.path, f"[{i}]")
                break
            value = tuple(frame.out)
            frames.pop()
        else:
            return value


# ---------------------------------------------------------------------------------------------
# Equality

def same(a, b):
    """Exact equality of two frozenpack values (spec section 1): the same exact type among the
    seven, floats by their 64 bits, tuples item by item. TypeError for anything else."""
    pairs = [(a, b)]
    while pairs:
        x, y = pairs.pop()
        tx, ty = type(x), type(y)
        if tx not in _MODEL_TYPES or ty not in _MODEL_TYPES:
            bad = tx if tx not in _MODEL_TYPES else ty
            raise TypeError(f"not a frozenpack value: {_type_name(bad)!r}")
        if tx is not ty:
            return False
        if x is y:
            continue  # same object: equal to itself (floats included: same bits)
        if tx is float:
            if struct.pack("<d", x) != struct.pack("<d", y):
                return False
        elif tx is tuple:
            if len(x) != len(y):
                return False
            pairs.extend(zip(x, y))
        elif x != y:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# JSON text. The standard json module recurses (in C) and raises RecursionError near 1000
# levels; a testee may legitimately answer a 1000-deep tuple without "nest" forms, which is 2000
# JSON levels. Both functions use the fast standard module and fall back to an iterative
# implementation with the same results when the input is too deep for it. Duplicate keys and
# the non-JSON constants NaN/Infinity are rejected by both paths.

def _pairs_no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r} in a JSON object")
        out[k] = v
    return out


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def loads_json(text):
    """Parse one JSON text (str) of any nesting depth. ValueError if it is not JSON."""
    try:
        return json.loads(text, object_pairs_hook=_pairs_no_duplicates,
                          parse_constant=_reject_constant)
    except RecursionError:
        return _loads_iterative(text)


# One regex call per token: optional whitespace, then punctuation, an opening quote (the string
# itself is read by json's own scanstring), a number or a literal.
_TOKEN = re.compile(r'[ \t\n\r]*(?:([][{}:,])|(")'
                    r"|(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)"
                    r"|(null|true|false))")
_WS = re.compile(r"[ \t\n\r]*")
_LITERALS = {"null": None, "true": True, "false": False}


def _json_error(msg, s, pos):
    return json.JSONDecodeError(msg, s, _WS.match(s, pos).end())


def _loads_iterative(s):
    token = _TOKEN.match

    def key_at(pos):
        # A member name and its colon; returns the name and the offset of the member's value.
        m = token(s, pos)
        if m is None or m.group(2) is None:
            raise _json_error("Expecting property name enclosed in double quotes", s, pos)
        key, pos = scanstring(s, m.end(), True)
        m = token(s, pos)
        if m is None or m.group(1) != ":":
            raise _json_error("Expecting ':' delimiter", s, pos)
        return key, m.end()

    # Open containers: [list] for an array, [dict, pending member name] for an object.
    stack = []
    pos = 0
    while True:
        # Read one value.
        m = token(s, pos)
        if m is None:
            raise _json_error("Expecting value", s, pos)
        punct, quote, number, frac, exp, literal = m.groups()
        pos = m.end()
        if quote:
            value, pos = scanstring(s, pos, True)
        elif number:
            value = float(number) if frac or exp else int(number)
        elif literal:
            value = _LITERALS[literal]
        elif punct == "[":
            m = token(s, pos)
            if m is not None and m.group(1) == "]":
                value, pos = [], m.end()
            else:
                stack.append([[]])
                continue
        elif punct == "{":
            m = token(s, pos)
            if m is not None and m.group(1) == "}":
                value, pos = {}, m.end()
            else:
                key, pos = key_at(pos)
                stack.append([{}, key])
                continue
        else:
            raise _json_error("Expecting value", s, m.start(1))
        # Hand the value to its container; close the containers that end here.
        while True:
            if not stack:
                if _WS.match(s, pos).end() != len(s):
                    raise _json_error("Extra data", s, pos)
                return value
            frame = stack[-1]
            m = token(s, pos)
            punct = m.group(1) if m is not None else None
            if len(frame) == 1:
                frame[0].append(value)
                if punct == ",":
                    pos = m.end()
                    break
                if punct != "]":
                    raise _json_error("Expecting ',' delimiter", s, pos)
            else:
                obj, key = frame
                if key in obj:
                    raise ValueError(f"duplicate key {key!r} in a JSON object")
                obj[key] = value
                if punct == ",":
                    frame[1], pos = key_at(m.end())
                    break
                if punct != "}":
                    raise _json_error("Expecting ',' delimiter", s, pos)
            value = stack.pop()[0]
            pos = m.end()


def dumps_json(obj):
    """Compact, ASCII-only JSON text of obj (dicts keep their key order) at any depth."""
    try:
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    except RecursionError:
        return _dumps_iterative(obj)


_encode_str = json.encoder.encode_basestring_ascii


def _dumps_iterative(obj):
    out = []
    # Work items: a JSON value to write, or a literal string (punctuation) to emit as is.
    work = [(obj,)]
    while work:
        item = work.pop()
        if type(item) is str:
            out.append(item)
            continue
        v = item[0]
        if isinstance(v, dict):
            out.append("{")
            work.append("}")
            entries = list(v.items())
            for i in range(len(entries) - 1, -1, -1):
                k, val = entries[i]
                if not isinstance(k, str):
                    raise TypeError(f"keys must be str, not {type(k).__name__}")
                work.append((val,))
                work.append(("," if i else "") + _encode_str(k) + ":")
        elif isinstance(v, (list, tuple)):
            out.append("[")
            work.append("]")
            for i in range(len(v) - 1, -1, -1):
                work.append((v[i],))
                if i:
                    work.append(",")
        elif isinstance(v, str):
            out.append(_encode_str(v))
        elif v is None or v is True or v is False:
            out.append({None: "null", True: "true", False: "false"}[v])
        elif isinstance(v, int):
            out.append(int.__repr__(v))
        elif isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                raise ValueError("Out of range float values are not JSON compliant")
            out.append(float.__repr__(v))
        else:
            raise TypeError(f"Object of type {type(v).__name__} is not JSON serializable")
    return "".join(out)
