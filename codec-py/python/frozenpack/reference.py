"""The reference implementation of frozenpack version 1, in pure Python.

This module is what the specification (spec/frozenpack-v1.md) is checked against, so it is
written to be read beside it: the encoder follows §4 kind by kind, and the decoder follows the
decoding procedure of §6 step by step, in the same order, reporting the same error kinds and
offsets (§7). It favours clarity over speed; it uses no recursion, so nesting is bounded only
by the depth limit (§8) and by memory.

Usage::

    >>> from frozenpack.reference import dumps, loads, iter_loads, Decoder, DecodeError
    >>> dumps((1, "a", None)).hex(" ")
    'b3 01 81 61 c0'
    >>> loads(bytes.fromhex("c5e803"))
    1000
    >>> list(iter_loads(b"\\x01\\x02"))
    [1, 2]
    >>> decoder = Decoder()  # a stream arriving in pieces (§9)
    >>> decoder.feed(b"\\x01\\x83ab"), decoder.feed(b"c")
    ([1], ['abc'])
    >>> try:
    ...     loads(bytes.fromhex("c405"))
    ... except DecodeError as e:
    ...     print(e.kind, e.offset)
    non_canonical 0
"""

import struct
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, overload

# One class for the reference and the extension, so `except frozenpack.DecodeError` catches both
# (kind, offset and detail as spec §7 defines them); it is pure Python, so this module still
# imports without the extension.
from ._common import DecodeError, Value

if TYPE_CHECKING:
    # collections.abc.Buffer from 3.12 on; before, typeshed's typing_extensions.Buffer is the
    # same protocol (__buffer__, which typeshed declares on every buffer exporter). Only type
    # checkers read it, so typing_extensions is no run-time dependency.
    from typing_extensions import Buffer

__all__ = [
    "MAX_DEPTH",
    "ERROR_KINDS",
    "DecodeError",
    "dumps",
    "loads",
    "loads_prefix",
    "iter_loads",
    "dump",
    "load",
    "iter_load",
    "Decoder",
]

#: The depth limit D of §8 that decoders use unless told otherwise.
MAX_DEPTH = 1000

#: The closed set of error kinds of §7, in the order the spec lists them.
ERROR_KINDS = (
    "truncated",
    "unknown_tag",
    "non_canonical",
    "invalid_utf8",
    "depth_exceeded",
    "trailing_bytes",
)


class _Writable(Protocol):
    """What dump writes to: a binary file, or anything with a write(bytes) method."""

    def write(self, data: bytes, /) -> object: ...


class _Readable(Protocol):
    """What load and iter_load read from: a binary stream whose read(n) returns at most n
    octets as a bytes-like object (b"" at its end; None, from a non-blocking stream, is an
    error)."""

    def read(self, size: int, /) -> "Buffer | None": ...


# ---------------------------------------------------------------------------------------------
# Tags (§3)
# ---------------------------------------------------------------------------------------------

NONE, FALSE, TRUE, FLOAT = 0xC0, 0xC1, 0xC2, 0xC3
FIXSTR, FIXBYTES, FIXTUPLE = 0x80, 0xA0, 0xB0
INT1 = 0xC4  # INTk is INT1 + k - 1, i.e. FLOAT + k
# The 1-octet-field tag of each prefixed family; tag + 1, + 2, + 3 take 2-, 4-, 8-octet fields.
BIGINT, STR, BYTES, TUPLE, SSTR = 0xCC, 0xD0, 0xD4, 0xD8, 0xDC

_ATOMS = {NONE: ("NONE", None), FALSE: ("FALSE", False), TRUE: ("TRUE", True)}
_FAMILY_NAMES = {BIGINT: "BIGINT", STR: "STR", BYTES: "BYTES", TUPLE: "TUPLE", SSTR: "SSTR"}

# §5 rule 2: the least n that each length-field width may hold. With a 1-octet field, anything
# smaller has a FIX form (or, for BIGINT, an INTk form); SSTR has no shorter form at all.
_LEAST_N_IN_1_OCTET = {BIGINT: 9, STR: 32, BYTES: 16, TUPLE: 16, SSTR: 0}
_LEAST_N_BY_WIDTH = {2: 1 << 8, 4: 1 << 16, 8: 1 << 32}


# ---------------------------------------------------------------------------------------------
# Encoding (§4)
# ---------------------------------------------------------------------------------------------

_pack_double = struct.Struct("<d").pack
# tuple's own item access and length, past whatever a tuple subclass overrides: the slots of
# tuple, taken through tuple[object, ...] (the same objects) so that type checkers know them as
# those of a tuple of objects.
_tuple_item = tuple[object, ...].__getitem__
_tuple_len = tuple[object, ...].__len__


@overload
def dumps(obj: Value, *, default: None = None) -> bytes: ...
@overload
def dumps(obj: object, *, default: Callable[[Any], object]) -> bytes: ...
def dumps(obj: object, *, default: Callable[[Any], object] | None = None) -> bytes:
    """Return the canonical encoding ``enc(obj)`` (§4) as bytes.

    Accepts None, bool, int, float, str, bytes and tuples of these, nested to any depth.
    Subclasses of int, float, str, bytes and tuple (IntEnum, namedtuple, ...) are encoded as
    their base value, without calling any method the subclass could override. Anything else
    raises TypeError naming the type and where it sits, e.g. "unsupported type 'list' at $[2]",
    unless `default` is given: default(x) is then called with each such object x, and what
    it returns is encoded in its place (its items too may go through default; what it
    returns itself may not: an unsupported result raises the same TypeError). For example,
    lists as tuples and dicts as sorted (key, value) pairs:

        >>> def default(x):
        ...     return tuple(x) if isinstance(x, list) else tuple(sorted(x.items()))
        >>> loads(dumps({"b": [1, 2], "a": None}, default=default))
        (('a', None), ('b', (1, 2)))
    """
    if default is not None and not callable(default):
        raise TypeError(
            f"default must be callable or None, not {_own_qualname(type(default))!r}"
        )
    out = bytearray()
    # One frame per tuple being written.
    stack: list[_Frame] = []
    replacer = None if default is None else _Default(default, stack)
    _encode_item(obj, out, stack, replacer)
    while stack:
        frame = stack[-1]
        index = frame.index
        if index == frame.count:
            stack.pop()
            continue
        frame.index = index + 1
        _encode_item(_tuple_item(frame.items, index), out, stack, replacer)
    return bytes(out)


class _Frame:
    """A tuple being written: the tuple, its length, and the index of its next item."""

    __slots__ = ("items", "count", "index")

    def __init__(self, items: tuple[object, ...], count: int) -> None:
        self.items = items
        self.count = count
        self.index = 0


def _encode_item(
    x: object, out: bytearray, stack: list[_Frame], default: "_Default | None" = None
) -> None:
    """Append enc(x) to out; for a tuple, append its header and push a frame for its items.

    An object of no supported type is replaced by default(x) when `default` is given; the
    replacement is encoded without a default, so one that is unsupported too is an error.
    """
    cls = type(x)
    # Each cast(T, x) is what the test of cls before it established (type checkers narrow x by
    # `type(x) is T` or by isinstance, not through the variable cls; isinstance is not used:
    # see below).
    # Exact types first: the common case, and bool must be told apart from int.
    if x is None:
        out.append(NONE)
    elif cls is bool:
        out.append(TRUE if x else FALSE)
    elif cls is int:
        _encode_int(cast(int, x), out)
    elif cls is float:
        _encode_float(cast(float, x), out)
    elif cls is str:
        _encode_str(cast(str, x), out)
    elif cls is bytes:
        _encode_bytes(cast(bytes, x), out)
    elif cls is tuple:
        _encode_tuple_header(cast("tuple[object, ...]", x), out, stack)
    # Subclasses: bool cannot be subclassed, so an int subclass is always an int value. Ask
    # the real type (issubclass), not isinstance(), which believes an object's own
    # __class__ attribute and would run user code or admit an impostor.
    elif issubclass(cls, int):
        _encode_int(cast(int, x), out)
    elif issubclass(cls, float):
        _encode_float(cast(float, x), out)
    elif issubclass(cls, str):
        _encode_str(cast(str, x), out)
    elif issubclass(cls, bytes):
        _encode_bytes(cast(bytes, x), out)
    elif issubclass(cls, tuple):
        _encode_tuple_header(cast("tuple[object, ...]", x), out, stack)
    elif default is not None:
        default.encode_replacement(x, out)
    else:
        raise TypeError(f"unsupported type {_type_name(cls)!r} at {_path(stack)}")


# A type's own name and module, read by type's descriptors: past whatever a metaclass answers
# for __qualname__ or __module__, so that naming a culprit runs no user code and every
# implementation names it alike.
_own_qualname: Callable[[type], str] = type.__dict__["__qualname__"].__get__
_own_module: Callable[[type], object] = type.__dict__["__module__"].__get__


#: How deeply what `default` returns may nest in what it returned before: a default that
#: returns its argument inside a tuple would otherwise expand without end.
MAX_DEFAULT_NESTING = 10_000


class _Default:
    """The `default` of one dumps call, and the open tuples it returned."""

    def __init__(self, function: Callable[[Any], object], stack: list[_Frame]) -> None:
        self.function = function
        self.stack = stack
        # (stack height with the tuple's frame on top, that frame) for each tuple that
        # default returned whose items are being written.
        self.open: list[tuple[int, _Frame]] = []

    def encode_replacement(self, x: object, out: bytearray) -> None:
        stack = self.stack
        # Forget the replacements whose tuples have been written since.
        while self.open:
            height, frame = self.open[-1]
            if height <= len(stack) and stack[height - 1] is frame:
                break
            self.open.pop()
        if len(self.open) >= MAX_DEFAULT_NESTING:
            raise RecursionError(
                "what default returned is nested more than 10000 deep in earlier results "
                "of default"
            )
        height = len(stack)
        # The replacement itself does not go to default again; its items do (the loop).
        _encode_item(self.function(x), out, stack)
        if len(stack) > height:
            self.open.append((len(stack), stack[-1]))


def _type_name(cls: type) -> str:
    module = _own_module(cls)
    qualname = _own_qualname(cls)
    if type(module) is str and module == "builtins":
        return qualname
    return f"{module}.{qualname}"


def _path(stack: list[_Frame]) -> str:
    # Each frame's index has already moved past the item being encoded.
    return "$" + "".join(f"[{frame.index - 1}]" for frame in stack)


def _write_header(out: bytearray, family: int, n: int) -> None:
    """hdr(t, n) of §4: the family's tag with the smallest length field that holds n."""
    if n < 1 << 8:
        out.append(family)
        out += n.to_bytes(1, "little")
    elif n < 1 << 16:
        out.append(family + 1)
        out += n.to_bytes(2, "little")
    elif n < 1 << 32:
        out.append(family + 2)
        out += n.to_bytes(4, "little")
    else:
        out.append(family + 3)
        out += n.to_bytes(8, "little")


def _encode_int(x: int, out: bytearray) -> None:
    # Only int.bit_length and int.to_bytes touch x: both read the C integer of an int subclass
    # directly, so an overridden __index__, __lt__ or __int__ cannot change what is written.
    # bit_length // 8 + 1 octets always hold the value with its sign; then drop top octets
    # that only repeat the sign of the octet below them (§5 rule 1) to reach minbytes(x).
    tc = int.to_bytes(x, int.bit_length(x) // 8 + 1, "little", signed=True)
    k = len(tc)
    while k > 1 and _is_redundant_sign_octet(tc[k - 1], tc[k - 2]):
        k -= 1
    tc = tc[:k]
    if k == 1 and (tc[0] <= 0x7F or tc[0] >= 0xF0):
        # FIXINT / NEGFIXINT: read as a signed octet, the tag is the value (−16 … 127).
        out.append(tc[0])
    elif k <= 8:
        out.append(FLOAT + k)  # INT1 … INT8
        out += tc
    else:
        _write_header(out, BIGINT, k)
        out += tc


def _is_redundant_sign_octet(top: int, below: int) -> bool:
    """§5 rule 1: `top` only repeats the sign of the octet `below` it."""
    return (top == 0x00 and below < 0x80) or (top == 0xFF and below >= 0x80)


def _encode_float(x: float, out: bytearray) -> None:
    # struct reads the C double of a float (or float subclass) directly, bit for bit:
    # no __float__ call, no NaN normalisation.
    out.append(FLOAT)
    out += _pack_double(x)


def _encode_str(x: str, out: bytearray) -> None:
    try:
        # Strict UTF-8 fails exactly when the str holds a surrogate code point.
        u = str.encode(x, "utf-8")
    except UnicodeEncodeError:
        g = str.encode(x, "utf-8", "surrogatepass")  # generalized UTF-8
        _write_header(out, SSTR, len(g))
        out += g
        return
    if len(u) <= 31:
        out.append(FIXSTR + len(u))
    else:
        _write_header(out, STR, len(u))
    out += u


def _encode_bytes(x: bytes, out: bytearray) -> None:
    # For a subclass, bytes.__bytes__ copies the C octets into an exact bytes: no overridable
    # __len__, __iter__ or (from Python 3.12) __buffer__ is consulted, as memoryview(x) would.
    octets = x if type(x) is bytes else bytes.__bytes__(x)
    n = len(octets)
    if n <= 15:
        out.append(FIXBYTES + n)
    else:
        _write_header(out, BYTES, n)
    out += octets


def _encode_tuple_header(x: tuple[object, ...], out: bytearray, stack: list[_Frame]) -> None:
    n = _tuple_len(x)
    if n <= 15:
        out.append(FIXTUPLE + n)
    else:
        _write_header(out, TUPLE, n)
    stack.append(_Frame(x, n))


# ---------------------------------------------------------------------------------------------
# UTF-8 and generalized UTF-8 (§6 step 7; Unicode §3.9, Table 3-7)
# ---------------------------------------------------------------------------------------------

_CONT = (0x80, 0xBF)
# Table 3-7, "Well-Formed UTF-8 Byte Sequences": for each lead octet of a multi-octet
# sequence, the allowed range of each octet after it. Octets 00..7F stand alone; a lead octet
# missing from the table (80..C1, F5..FF) never starts a well-formed sequence.
# lead octet -> (low, high) of each octet after it
_Utf8Table = dict[int, tuple[tuple[int, int], ...]]
_UTF8_TABLE: _Utf8Table = {}
for _lead in range(0xC2, 0xE0):
    _UTF8_TABLE[_lead] = (_CONT,)  # U+0080..U+07FF
_UTF8_TABLE[0xE0] = ((0xA0, 0xBF), _CONT)  # U+0800..U+0FFF (no overlong forms)
for _lead in range(0xE1, 0xED):
    _UTF8_TABLE[_lead] = (_CONT, _CONT)  # U+1000..U+CFFF
_UTF8_TABLE[0xED] = ((0x80, 0x9F), _CONT)  # U+D000..U+D7FF (no surrogates)
for _lead in (0xEE, 0xEF):
    _UTF8_TABLE[_lead] = (_CONT, _CONT)  # U+E000..U+FFFF
_UTF8_TABLE[0xF0] = ((0x90, 0xBF), _CONT, _CONT)  # U+10000..U+3FFFF (no overlong forms)
for _lead in (0xF1, 0xF2, 0xF3):
    _UTF8_TABLE[_lead] = (_CONT, _CONT, _CONT)  # U+40000..U+FFFFF
_UTF8_TABLE[0xF4] = ((0x80, 0x8F), _CONT, _CONT)  # U+100000..U+10FFFF (nothing above)

# Generalized UTF-8 changes one cell: after ED the second octet may be 80..BF, where A0..BF
# are the surrogates U+D800..U+DFFF.
_GENERALIZED_UTF8_TABLE = dict(_UTF8_TABLE)
_GENERALIZED_UTF8_TABLE[0xED] = (_CONT, _CONT)
del _lead


def _utf8_prefix(payload: memoryview, table: _Utf8Table) -> tuple[int, bool]:
    """Validate payload against `table`.

    Returns (m, saw_surrogate): m is the length of the longest prefix made of complete,
    well-formed sequences (len(payload) when all of it is), and saw_surrogate whether that
    prefix holds a surrogate (ED A0..BF ..; only the generalized table lets one through).
    """
    n = len(payload)
    saw_surrogate = False
    i = 0
    while i < n:
        lead = payload[i]
        if lead <= 0x7F:
            i += 1
            continue
        tail = table.get(lead)
        if tail is None:
            return i, saw_surrogate
        for j, (low, high) in enumerate(tail, start=1):
            if i + j >= n or not low <= payload[i + j] <= high:
                return i, saw_surrogate
        if lead == 0xED and payload[i + 1] >= 0xA0:
            saw_surrogate = True
        i += 1 + len(tail)
    return n, saw_surrogate


# ---------------------------------------------------------------------------------------------
# Decoding (§6)
# ---------------------------------------------------------------------------------------------


class Item:
    """One item as read_item (§6) met it; the listing (frozenpack.listing) prints these.

    offset: the tag offset p; level: tuples around the item; tag: the tag octet; name: the
    tag's name in §3 (FIXINT, INT2, STR, ...); fixed_end: q, just past the tag and its fixed
    part; end: just past the item's own octets (for a tuple, just past its header: its items
    follow); count: payload octets (BIGINT, strings, bytes) or the item count (tuples), else
    None; value: the decoded value of a non-tuple item (None for tuples).
    """

    __slots__ = ("offset", "level", "tag", "name", "fixed_end", "end", "count", "value")

    def __init__(
        self,
        offset: int,
        level: int,
        tag: int,
        name: str,
        fixed_end: int,
        end: int,
        count: int | None,
        value: Value,
    ) -> None:
        self.offset = offset
        self.level = level
        self.tag = tag
        self.name = name
        self.fixed_end = fixed_end
        self.end = end
        self.count = count
        self.value = value

    @property
    def is_tuple(self) -> bool:
        return self.name in ("FIXTUPLE", "TUPLE")

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Item({fields})"


def _truncated(data: memoryview, base: int, detail: str) -> DecodeError:
    # §7: truncated always points at the first missing octet, which is the input's length.
    return DecodeError("truncated", base + len(data), detail)


def read_item(data: memoryview, p: int, level: int, max_depth: int, base: int = 0) -> Item:
    """§6 read_item(p, level), steps 1 to 7, except that a tuple's items are not read here.

    `data` is a memoryview of unsigned octets. Returns an Item; for a tuple, the caller reads
    its `count` items starting at `item.end`. Raises DecodeError. `base` is the offset of
    data[0] in the whole input (a stream reader holds only the octets of the value it reads):
    it is added to the offsets that errors report, in their details too.
    """
    length = len(data)
    at = base + p  # the item's offset, as errors report it

    # Step 1: a tag must be present.
    if p >= length:
        raise _truncated(data, base, f"input ends at offset {at} where an item's tag should be")
    t = data[p]

    # Step 2: reserved tags.
    if 0xE0 <= t <= 0xEF:
        raise DecodeError("unknown_tag", at, f"tag {t:02x} is reserved (e0-ef) in version 1")

    # Step 3: the depth limit, before any length field is read.
    is_tuple = FIXTUPLE <= t <= FIXTUPLE + 15 or TUPLE <= t <= TUPLE + 3
    if is_tuple and level + 1 > max_depth:
        raise DecodeError(
            "depth_exceeded",
            at,
            f"a tuple at level {level + 1} exceeds the depth limit {max_depth}",
        )

    value: Value
    # Tags with no fixed part and no payload: the tag is the whole item.
    if t <= 0x7F:
        return Item(p, level, t, "FIXINT", p + 1, p + 1, None, t)
    if t >= 0xF0:
        return Item(p, level, t, "NEGFIXINT", p + 1, p + 1, None, t - 256)
    if t in _ATOMS:
        name, value = _ATOMS[t]
        return Item(p, level, t, name, p + 1, p + 1, None, value)

    if t == FLOAT:
        # Step 4: the 8 octets of the binary64 pattern.
        q = p + 9
        if q > length:
            raise _truncated(data, base, f"FLOAT at offset {at} needs 8 octets after its tag")
        # Steps 5 and 6 have nothing to check; step 7: the bits, little-endian.
        (value,) = struct.unpack_from("<d", data, p + 1)
        return Item(p, level, t, "FLOAT", q, q, None, value)

    if INT1 <= t <= INT1 + 7:
        k = t - FLOAT
        name = f"INT{k}"
        # Step 4: the k octets of TC(k, v).
        q = p + 1 + k
        if q > length:
            raise _truncated(data, base, f"{name} at offset {at} needs {k} octets after its tag")
        field = data[p + 1 : q]
        value = int.from_bytes(field, "little", signed=True)
        # Step 5: the canonical int form (§5 rule 1).
        if k == 1 and -16 <= value <= 127:
            raise DecodeError(
                "non_canonical", at, f"INT1 holds {value}, which is written in the tag alone"
            )
        if k >= 2 and _is_redundant_sign_octet(field[k - 1], field[k - 2]):
            raise DecodeError(
                "non_canonical", at, f"{name} holds {value}, whose top octet only repeats the sign"
            )
        return Item(p, level, t, name, q, q, None, value)

    # The families whose count is in the tag (FIX) or in a length field (prefixed).
    if t < 0xC0:
        if t < FIXBYTES:
            family, name = FIXSTR, "FIXSTR"
        elif t < FIXTUPLE:
            family, name = FIXBYTES, "FIXBYTES"
        else:
            family, name = FIXTUPLE, "FIXTUPLE"
        n = t - family
        q = p + 1  # no fixed part: steps 4 and 5 have nothing to check
    else:
        family = t & ~0x03
        name = _FAMILY_NAMES[family]
        width = 1 << (t & 0x03)
        # Step 4: the length field.
        q = p + 1 + width
        if q > length:
            raise _truncated(
                data, base, f"{name} at offset {at} needs a {width}-octet length field"
            )
        n = int.from_bytes(data[p + 1 : q], "little")
        # Step 5: the smallest length field (§5 rule 2).
        least = _LEAST_N_IN_1_OCTET[family] if width == 1 else _LEAST_N_BY_WIDTH[width]
        if n < least:
            raise DecodeError(
                "non_canonical",
                at,
                f"{name} with a {width}-octet length field holds n={n}; "
                f"that field needs n >= {least}",
            )

    # Step 6: the count against what remains, before anything is read or reserved. A tuple's
    # items take at least one octet each, so the same bound holds for its item count.
    remaining = length - q
    if n > remaining:
        what = "items" if is_tuple else "octets"
        raise _truncated(
            data, base, f"{name} at offset {at} declares {n} {what}, {remaining} octets remain"
        )

    # Step 7: the payload.
    if is_tuple:
        return Item(p, level, t, name, q, q, n, None)
    end = q + n
    payload = data[q:end]
    if family in (FIXSTR, STR):
        m, _ = _utf8_prefix(payload, _UTF8_TABLE)
        if m < n:
            raise DecodeError(
                "invalid_utf8",
                base + q + m,
                f"{name} payload is not well-formed UTF-8 after {m} octets",
            )
        value = str(payload, "utf-8")
    elif family == SSTR:
        m, saw_surrogate = _utf8_prefix(payload, _GENERALIZED_UTF8_TABLE)
        if m < n:
            raise DecodeError(
                "invalid_utf8",
                base + q + m,
                f"SSTR payload is not well-formed generalized UTF-8 after {m} octets",
            )
        if not saw_surrogate:
            raise DecodeError(
                "non_canonical", at, "SSTR holds no surrogate code point; it must be FIXSTR or STR"
            )
        value = str(payload, "utf-8", "surrogatepass")
    elif family in (FIXBYTES, BYTES):
        value = bytes(payload)
    else:  # BIGINT; step 5 made sure n >= 9
        if _is_redundant_sign_octet(payload[n - 1], payload[n - 2]):
            raise DecodeError(
                "non_canonical", at, f"BIGINT of {n} octets: its top octet only repeats the sign"
            )
        value = int.from_bytes(payload, "little", signed=True)
    return Item(p, level, t, name, q, end, n, value)


def read_value(
    data: memoryview,
    p: int,
    max_depth: int,
    observe: Callable[[Item], object] | None = None,
    base: int = 0,
) -> tuple[Value, int]:
    """§6 read_item(p, 0) in full: read one value starting at p, tuples included.

    Keeps the tuples being read on an explicit stack instead of recursing, so any depth up to
    max_depth works. Calls observe(item) for every item, in input order, as soon as it has
    been read. Returns (value, offset just past it). Raises DecodeError (`base`: see
    read_item).
    """
    # One frame per open tuple: [items read so far, item count]. A frame grows one item at a
    # time; nothing is reserved for the declared count.
    stack: list[tuple[list[Value], int]] = []
    while True:
        item = read_item(data, p, len(stack), max_depth, base)
        if observe is not None:
            observe(item)
        p = item.end
        if item.is_tuple and item.count:  # a tuple's count is an int: 0 for ()
            stack.append(([], item.count))
            continue
        value: Value = () if item.is_tuple else item.value
        # Hand the value to the enclosing tuple; each tuple that this completes is in turn a
        # value for the one around it.
        while stack:
            items, count = stack[-1]
            items.append(value)
            if len(items) < count:
                break
            stack.pop()
            value = tuple(items)
        if not stack:
            return value, p


def as_octets(data: "Buffer") -> memoryview:
    """A 1-dimensional memoryview of unsigned octets that nobody can change, holding `data`.

    A decoder reads a header and then relies on it, validates a payload and then converts
    it; octets that changed in between (a buffer that another thread or process writes)
    would make it return what it never validated. So: a bytes object, or a memoryview of
    one, is immutable and read in place; any other buffer (bytearray, mmap, shared memory,
    array, ...) is copied once, now, and the copy is read (spec §11, "Inputs that change").
    The octets of a multi-dimensional or multi-octet-format buffer are its C-order octets.
    """
    if type(data) is bytes:
        return memoryview(data)
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(
            f"a bytes-like object is required, not {_own_qualname(type(data))!r}"
        ) from None
    with view:
        if not view.c_contiguous:
            # A strided view has no octet string to read.
            raise TypeError("a C-contiguous bytes-like object is required")
        if type(view.obj) is bytes:
            # A view of immutable octets: read in place. cast() makes a new view on the same
            # octets, so the caller may still release its own memoryview meanwhile.
            return view.cast("B")
        return memoryview(view.tobytes())


def _check_max_depth(max_depth: int) -> None:
    if type(max_depth) is not int:
        raise TypeError(f"max_depth must be an int, not {_own_qualname(type(max_depth))!r}")
    if max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, not {max_depth}")


def loads(data: "Buffer", *, max_depth: int = MAX_DEPTH) -> Value:
    """Decode the whole of `data` (any bytes-like object) as one value (§6, `loads`).

    Raises DecodeError for any input that is not exactly one canonical encoding, including
    `trailing_bytes` when octets follow the value. max_depth is the depth limit D of §8.
    """
    _check_max_depth(max_depth)
    with as_octets(data) as view:
        value, end = read_value(view, 0, max_depth)
        if end != len(view):
            raise DecodeError(
                "trailing_bytes", end, f"{len(view) - end} octets follow the value"
            )
        return value


def loads_prefix(
    data: "Buffer", offset: int = 0, *, max_depth: int = MAX_DEPTH
) -> tuple[Value, int]:
    """Decode one value starting at `offset` of `data` (§6, prefix decoding).

    Returns (value, end_offset); octets after the value are left alone. Error offsets count
    from the start of `data`, not from `offset`.
    """
    _check_max_depth(max_depth)
    with as_octets(data) as view:
        if type(offset) is not int:
            raise TypeError(f"offset must be an int, not {_own_qualname(type(offset))!r}")
        if not 0 <= offset <= len(view):
            raise ValueError(f"offset {offset} is outside the input (0 to {len(view)})")
        return read_value(view, offset, max_depth)


def iter_loads(data: "Buffer", *, max_depth: int = MAX_DEPTH) -> Iterator[Value]:
    """Iterate over the values of a sequence (§9): canonical encodings back to back.

    An empty input is the empty sequence. A DecodeError ends the iteration, raised by the
    next() that meets it, with its offset counted from the start of `data`. The argument is
    checked at once, so a non-bytes-like `data` raises TypeError here, not at the first next().
    `data` is read as it is now (see as_octets); a next() made while another is running (from
    a finalizer or another thread) raises ValueError, as any generator's does.
    """
    _check_max_depth(max_depth)
    view = as_octets(data)
    return _iter_values(view, max_depth)


@overload
def dump(obj: Value, fp: _Writable, *, default: None = None) -> None: ...
@overload
def dump(obj: object, fp: _Writable, *, default: Callable[[Any], object]) -> None: ...
def dump(
    obj: object, fp: _Writable, *, default: Callable[[Any], object] | None = None
) -> None:
    """Write dumps(obj, default=default) to fp, a binary file (anything with a write(bytes)
    method)."""
    # obj and default as dump's overloads take them, which are those of dumps.
    fp.write(dumps(obj, default=default))  # type: ignore[arg-type]


def _iter_values(view: memoryview, max_depth: int) -> Iterator[Value]:
    with view:
        p = 0
        while p < len(view):
            value, p = read_value(view, p, max_depth)
            yield value


# ---------------------------------------------------------------------------------------------
# Streams (§9): values read from files, pipes and sockets as their octets arrive
# ---------------------------------------------------------------------------------------------
#
# Both stream readers below (load/iter_load, which pull octets from a file, and Decoder, which
# is fed them) keep the octets of the value being read and ask two questions of them:
#
# * Where does the value end? _Framer answers from the tags and length fields alone, octet by
#   octet as they arrive, without deciding anything about validity: it says the value is
#   complete (and where it ends), or how many more octets the value needs at the least, or
#   that it cannot go on (a reserved tag, a tuple beyond the depth limit).
# * What does §6 make of the octets so far? read_value() answers, and by §9 its answer is
#   final unless it is `truncated`. It runs once the framer finds the value complete or stuck,
#   and also whenever the octets held have doubled since it last ran, so that an error in the
#   middle of a long value is reported without waiting for the value's end, at a cost linear
#   in the octets received overall.


#: What _Framer.scan finds: ("complete", end), ("more", need) or ("stuck", bound).
_Scan = tuple[Literal["complete", "more", "stuck"], int]


class _Framer:
    """Follows one value's tags and length fields as its octets arrive (§3, §9).

    scan(data) looks at the octets of data it has not looked at yet (data holds the value's
    octets from offset 0 on, and only grows between calls) and returns one of:

    * ("complete", end): the value's octets are data[:end];
    * ("more", need): the value needs at least `need` more octets (>= 1): the rest of the item
      being read, as far as its tag and length field tell, plus one octet for every item that
      open tuples still announce. Reading exactly that many never reads past a valid value;
    * ("stuck", bound): a reserved tag or a tuple past the depth limit, whose length cannot be
      known; §6 decides the value's fate, and with at least `bound` octets its answer is not
      `truncated` (every open tuple's item count fits, step 6).

    Nothing here allocates by what a header claims: the state is a few ints per open tuple.
    """

    __slots__ = ("max_depth", "pos", "field_end", "skip_to", "family", "open", "owed", "bounds")
    max_depth: int
    pos: int
    field_end: int | None
    skip_to: int | None
    family: int | None
    open: list[int]
    owed: int
    bounds: list[int]

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.pos = 0  # the next octet to look at, when at a tag
        self.field_end = None  # a prefixed tag was read; its length field ends here
        self.family = None  # ... and this is its family's 1-octet-field tag
        self.skip_to = None  # the item being read (its fixed part, its payload) ends here
        self.open = []  # per open tuple, innermost last: items not started yet
        self.owed = 0  # sum(self.open)
        self.bounds = []  # per open tuple: the greatest q + n of it and the tuples around it

    def scan(self, data: bytearray) -> "_Scan":
        length = len(data)
        while True:
            if self.skip_to is not None:
                if length < self.skip_to:
                    return "more", self.skip_to - length + self.owed
                self.pos, self.skip_to = self.skip_to, None
                if self._item_done():
                    return "complete", self.pos
                continue
            if self.field_end is not None:
                if length < self.field_end:
                    return "more", self.field_end - length + self.owed
                q, self.field_end = self.field_end, None
                n = int.from_bytes(data[self.pos + 1 : q], "little")
                self.pos = q
                if self.family == TUPLE:
                    if self._open_tuple(q, n):
                        return "complete", self.pos
                else:
                    self.skip_to = q + n
                continue
            # At a tag: the item about to be read is one that an open tuple announced (or the
            # value itself, at the top).
            if self.pos >= length:
                return "more", self.owed if self.open else 1
            t = data[self.pos]
            if 0xE0 <= t <= 0xEF:
                return "stuck", self._bound()
            is_tuple = FIXTUPLE <= t <= FIXTUPLE + 15 or TUPLE <= t <= TUPLE + 3
            if is_tuple and len(self.open) + 1 > self.max_depth:
                return "stuck", self._bound()
            if self.open:
                self.open[-1] -= 1
                self.owed -= 1
            if t <= 0x7F or t >= 0xF0 or t in _ATOMS:
                self.pos += 1
                if self._item_done():
                    return "complete", self.pos
            elif t == FLOAT:
                self.skip_to = self.pos + 9
            elif INT1 <= t <= INT1 + 7:
                self.skip_to = self.pos + 1 + (t - FLOAT)
            elif t < FIXBYTES:
                self.skip_to = self.pos + 1 + (t - FIXSTR)
            elif t < FIXTUPLE:
                self.skip_to = self.pos + 1 + (t - FIXBYTES)
            elif t < 0xC0:
                self.pos += 1
                if self._open_tuple(self.pos, t - FIXTUPLE):
                    return "complete", self.pos
            else:  # a prefixed family: the length field comes first
                self.family = t & ~0x03
                self.field_end = self.pos + 1 + (1 << (t & 0x03))

    def _bound(self) -> int:
        return self.bounds[-1] if self.bounds else self.pos + 1

    def _open_tuple(self, q: int, n: int) -> bool:
        """A tuple of n items starts at q; True when that completes the value (n = 0 ends it
        at once)."""
        if n == 0:
            return self._item_done()
        self.open.append(n)
        self.owed += n
        self.bounds.append(max(q + n, self.bounds[-1] if self.bounds else 0))
        return False

    def _item_done(self) -> bool:
        """An item ended at self.pos: close the tuples it completes. True when it was the
        last item of the value."""
        while self.open and self.open[-1] == 0:
            self.open.pop()
            self.bounds.pop()
        return not self.open


# A value whose octets so far are at most this many is checked by §6 at every verdict.
_ALWAYS_CHECK = 64


class _StreamValue:
    """The octets of one value of a stream as they arrive, and the verdict on them (§9).

    `base` is the stream offset of the value's first octet: error offsets count from the start
    of the stream. add() appends octets; verdict() returns None while the value is undecided
    (by the framer, or §6's `truncated`), else (value, octets used) or raises DecodeError;
    at_end() is the verdict when no more octets will come.
    """

    __slots__ = ("data", "base", "max_depth", "framer", "state", "checked")

    def __init__(self, base: int, max_depth: int) -> None:
        self.data = bytearray()
        self.base = base
        self.max_depth = max_depth
        self.framer = _Framer(max_depth)
        self.state: _Scan = ("more", 1)
        self.checked = 0  # len(data) when §6 last ran on an undecided value

    def add(self, octets: "Buffer") -> None:
        self.data += octets

    def need(self) -> int:
        """At least this many more octets are needed before the verdict can change (for a
        stuck value, the octets that make §6's answer final)."""
        kind, n = self.state
        return n - len(self.data) if kind == "stuck" else n

    def verdict(self) -> tuple[Value, int] | None:
        kind, n = self.state
        if kind == "more":
            kind, n = self.state = self.framer.scan(self.data)
        if kind == "complete":
            return self._decide(final=True)
        if kind == "stuck" and len(self.data) >= n:
            return self._decide(final=True)
        # Undecided by the framer: ask §6 whenever the value is still short, then each time
        # its octets have doubled, so that an error inside a long value is found while its
        # octets still arrive, at a cost linear in the octets received.
        if len(self.data) > self.checked and (
            len(self.data) <= _ALWAYS_CHECK or len(self.data) >= 2 * self.checked
        ):
            self.checked = len(self.data)
            return self._decide(final=False)
        return None

    def at_end(self) -> tuple[Value, int] | None:
        """The stream ended: whatever §6 makes of the octets received is final (§9)."""
        return self._decide(final=True)

    def _decide(self, final: bool) -> tuple[Value, int] | None:
        with memoryview(self.data) as view:
            try:
                # Offsets, in errors and their details, count from the stream's start.
                value, end = read_value(view, 0, self.max_depth, base=self.base)
            except DecodeError as e:
                if e.kind == "truncated" and not final:
                    return None
                raise
        return value, end


def _check_octets(chunk: "Buffer | None", asked: int) -> bytes:
    """What fp.read(asked) returned, checked: a bytes-like object of 1..asked octets, or b""
    at the end of the stream."""
    if chunk is None:
        raise BlockingIOError(
            "fp.read() returned None (no data available): load() and iter_load() need a "
            "blocking stream; feed a Decoder from non-blocking ones"
        )
    with as_octets(chunk) as view:
        if len(view) > asked:
            raise ValueError(f"fp.read({asked}) returned {len(view)} octets, more than asked")
        return bytes(view)


_MIN_READ = 1 << 16


def _read_stream_value(fp: _Readable, base: int, max_depth: int) -> tuple[Value, int] | None:
    """Read one value from fp, asking it for exactly as many octets as the value still needs
    at the least (§9), so nothing after a valid value is read. Returns (value, octets read),
    or None when the stream ends before the value's first octet."""
    pending = _StreamValue(base, max_depth)
    while True:
        outcome = pending.verdict()
        if outcome is not None:
            return outcome
        # Never ask for more than has arrived so far (or 64 KiB): a header claiming 2**64
        # octets must not make fp (or this function) reserve room for them.
        asked = min(pending.need(), max(_MIN_READ, len(pending.data)))
        chunk = _check_octets(fp.read(asked), asked)
        if not chunk:
            if not pending.data:
                return None
            return pending.at_end()
        pending.add(chunk)


def load(fp: _Readable, *, max_depth: int = MAX_DEPTH) -> Value:
    """Read one value from fp, a binary stream positioned at its first octet, and leave fp
    just after it (the convention of pickle.load and marshal.load).

    fp is anything with a read(n) method returning a bytes-like object: a file, a pipe, a
    socket's makefile("rb"), an io.BytesIO. load asks it for exactly the octets the value
    still needs at the least (the tag, then the length field, then the payload, and one octet
    per announced tuple item), so it never consumes an octet after the value, even from a
    pipe or socket that cannot seek back. A buffered reader (io.BufferedReader, the default
    for open(..., "rb")) may have read further ahead from its own source: those octets stay
    in its buffer, where the next read of fp, or the next load, finds them.

    Raises DecodeError for an invalid value (offsets count from the octet at which this call
    started reading), `truncated` when the stream ends inside the value or before it (an
    empty stream is `truncated` at 0, like loads(b"")). To read every value up to the end of
    the stream, use iter_load. fp must block until data arrives: a read() returning None
    raises BlockingIOError, and the octets read so far are lost (use Decoder instead).

    Changed: load used to read fp to its end and decode that as one value, so a stream of
    several values raised `trailing_bytes`; it now reads one value and stops.
    """
    _check_max_depth(max_depth)
    outcome = _read_stream_value(fp, 0, max_depth)
    if outcome is None:
        raise DecodeError("truncated", 0, "the stream ends where a value's tag should be")
    return outcome[0]


def iter_load(fp: _Readable, *, max_depth: int = MAX_DEPTH) -> Iterator[Value]:
    """Iterate over the values in fp, a binary stream, from its current position to its end
    (§9): each value is read as load() reads it, so fp never gives up an octet the next value
    does not need.

    The iteration ends at the end of the stream, when it falls between two values. A stream
    that ends inside a value raises DecodeError `truncated`; an invalid value raises its
    error, after every value before it has been yielded. Offsets count from the octet at which
    the iteration started. The arguments are checked at once. A next() made while another is
    running (from a finalizer or another thread) raises ValueError.
    """
    _check_max_depth(max_depth)
    if not callable(getattr(fp, "read", None)):
        raise TypeError(f"iter_load() needs a binary stream with read(), not "
                        f"{_own_qualname(type(fp))!r}")
    return _iter_stream(fp, max_depth)


def _iter_stream(fp: _Readable, max_depth: int) -> Iterator[Value]:
    offset = 0
    while True:
        outcome = _read_stream_value(fp, offset, max_depth)
        if outcome is None:
            return
        value, used = outcome
        offset += used
        yield value


class Decoder:
    """An incremental decoder for a stream that arrives in pieces (§9): a socket, a pipe read
    without blocking, an asyncio StreamReader.

    feed(data) takes the next octets and returns the list of values they complete, in order;
    the octets of a value not yet complete are kept for the next feed. close() says the stream
    has ended: it raises DecodeError if it ended inside a value.

        decoder = Decoder()
        while data := sock.recv(65536):
            for value in decoder.feed(data):
                handle(value)
        decoder.close()

    or, with asyncio, ``while data := await reader.read(65536): ...`` in the same way.

    Errors follow §9. An error ends the stream: it is raised by the feed() that finds it if
    that call completed no value first; otherwise that feed() returns the values before the
    error, and the next call to feed() or close() raises it. Either way no value is lost and
    errors come in stream order. After an error, every call raises it again, and the octets
    held are let go (buffered is 0). Offsets count from the first octet fed. `truncated` is
    never raised by feed(): it means "wait for more"; only close() turns it into an error.

    Memory grows with the octets received, never with what a length header claims. A feed()
    or close() made while another runs (from a finalizer or another thread) raises ValueError.
    """

    __slots__ = ("_max_depth", "_pending", "_offset", "_error", "_closed", "_broken", "_running")

    def __init__(self, *, max_depth: int = MAX_DEPTH) -> None:
        _check_max_depth(max_depth)
        self._max_depth = max_depth
        self._pending = _StreamValue(0, max_depth)
        self._offset = 0  # stream offset of the first octet of the pending value
        self._error: DecodeError | None = None
        self._closed = False
        # A feed() was interrupted by an exception other than DecodeError (MemoryError,
        # KeyboardInterrupt) after it had taken octets: where the stream stands is lost.
        self._broken = False
        # A feed() or close() is running. Decoding runs code (the garbage collector runs
        # finalizers when objects are allocated), which may call this decoder again: such a
        # call is refused, as a running generator refuses next(), so that octets are neither
        # decoded twice nor lost.
        self._running = False

    @property
    def offset(self) -> int:
        """The stream offset at which the next value starts (octets before it were decoded)."""
        return self._offset

    @property
    def buffered(self) -> int:
        """How many octets are held: those of the value not complete yet."""
        return len(self._pending.data)

    def _enter(self) -> None:
        if self._running:
            raise ValueError("Decoder already executing")
        self._running = True

    def _fail(self, e: DecodeError) -> None:
        # The error ends the stream: nothing after it is decoded, so the octets go.
        self._error = e
        self._pending = _StreamValue(self._offset, self._max_depth)

    def _check_usable(self) -> None:
        e = self._error
        if e is not None:
            raise DecodeError(e.kind, e.offset, e.detail)
        if self._broken:
            raise ValueError("the Decoder lost its place in the stream: an earlier feed() was "
                             "interrupted by an exception")

    def feed(self, data: "Buffer") -> list[Value]:
        """Add the next octets of the stream (any bytes-like object, copied); return the list
        of the values they complete."""
        self._enter()
        try:
            self._check_usable()
            if self._closed:
                raise ValueError("feed() after close()")
            with as_octets(data) as view:
                chunk = bytes(view)  # a copy: the caller may change or reuse its buffer
            values: list[Value] = []
            try:
                self._walk(chunk, values)
            except BaseException:
                self._broken = True
                raise
            if self._error is not None and not values:
                self._check_usable()  # raises the error
            return values
        finally:
            self._running = False

    def _walk(self, chunk: bytes, values: list[Value]) -> None:
        """Decode chunk into values; on a DecodeError, store it as self._error and return."""
        pos = 0
        with memoryview(chunk) as rest:
            while True:
                pending = self._pending
                # Hand the framer no more than the value needs (a stuck value is an error,
                # whatever follows): the rest of the chunk starts the next value.
                left = len(rest) - pos
                take = left if pending.state[0] == "stuck" else min(left, pending.need())
                pending.add(rest[pos : pos + take])
                pos += take
                try:
                    outcome = pending.verdict()
                except DecodeError as e:
                    self._fail(e)
                    return
                if outcome is None:
                    if pos == len(rest):
                        return
                    continue
                value, end = outcome
                # Fed no more than it needed, a complete value ends at the last octet fed.
                assert end == len(pending.data), "fed past a value"
                values.append(value)
                self._offset += end
                self._pending = _StreamValue(self._offset, self._max_depth)
                if pos == len(rest):
                    return

    def close(self) -> None:
        """The stream has ended. Raises DecodeError if it ended inside a value (§9: `truncated`
        at the stream's length, or an error the octets received already hold), or if an
        error is pending."""
        self._enter()
        try:
            self._check_usable()
            self._closed = True
            if self._pending.data:
                try:
                    self._pending.at_end()
                except DecodeError as e:
                    self._fail(e)
                else:  # pragma: no cover
                    raise AssertionError("a value complete at close() was not delivered")
                self._check_usable()  # raises the error
        finally:
            self._running = False

    def __repr__(self) -> str:
        return (f"<{type(self).__qualname__} offset={self._offset} buffered={self.buffered}"
                f"{' failed' if self._error else ''}{' closed' if self._closed else ''}>")
