"""Hand-written conformance cases: what one case is, and helpers to spell long octet strings.

Each topic module in this package defines TOPIC, DESCRIPTION, VALID (a list of Case) and
DECODE_ERRORS (a list of Err), and may define PREFIX (a list of Prefix: prefix decoding at an
offset, spec §6) and SEQUENCES (a list of Sequence: spec §9); `conformance/generate.py` turns
them into `conformance/vectors/<TOPIC>.json` after checking every case against the reference.
Any case may carry a `max_depth`, the depth limit D (§8) the decoder is to use instead of the
default 1000.

Every hex string and every error kind and offset in a topic module is derived by hand from the
spec (frozenpack-v1.md §3-§7), never by running an implementation: that is what makes the
vectors a second witness next to the reference rather than a copy of it. The helpers below
therefore only *spell* decisions the case author has made — `head(0xd1, 300)` writes the tag
the author chose followed by LE(2, 300); it never picks a width, and nothing here encodes a
value.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

ERROR_KINDS = (
    "truncated",
    "unknown_tag",
    "non_canonical",
    "invalid_utf8",
    "depth_exceeded",
    "trailing_bytes",
)

# The topic modules, in the order the generator reports them. Every module of this package
# must be listed (the generator checks), so a new file cannot be silently left out.
TOPIC_MODULES = (
    "examples",
    "none_bool",
    "int_small",
    "int_fixed",
    "bigint",
    "floats",
    "strings",
    "sstr",
    "bytestrings",
    "tuples",
    "depth",
    "structure",
    "canonical",
    "prefix",
    "sequence",
    "max_depth",
)

_HEX = re.compile(r"(?:[0-9a-f]{2})*")


def _check_description(description: str) -> None:
    if not description or description != description.strip():
        raise ValueError(f"bad description {description!r}: empty or padded")
    if not description.isprintable():
        raise ValueError(f"bad description {description!r}: not printable")


def _check_hex(description: str, hex_: str) -> None:
    if not isinstance(hex_, str) or not _HEX.fullmatch(hex_):
        raise ValueError(f"{description}: hex must be lowercase octet pairs, got {hex_!r:.60}")


def _check_max_depth(description: str, max_depth: int | None) -> None:
    if max_depth is not None and not (type(max_depth) is int and max_depth >= 0):
        raise ValueError(f"{description}: max_depth must be an int >= 0, got {max_depth!r}")


def _check_error(description: str, kind: str, offset: int, length: int) -> None:
    if kind not in ERROR_KINDS:
        raise ValueError(f"{description}: unknown error kind {kind!r}")
    if not (isinstance(offset, int) and 0 <= offset <= length):
        raise ValueError(f"{description}: offset {offset!r} outside 0..{length}")
    # Spec §7: truncated always points at the first missing octet, i.e. the input's length;
    # and every other kind names an octet that is present.
    if (kind == "truncated") != (offset == length):
        raise ValueError(
            f"{description}: {kind} at {offset} in {length} octets"
            " (only truncated, and always truncated, reports the input length)"
        )


@dataclass(frozen=True)
class Case:
    """A valid value; `hex` is its hand-derived canonical encoding, or None when too long to
    write (the generator then takes the reference's encoding and checks it decodes back).
    With a `max_depth`, the case is decoded with that depth limit, and is not an encode check
    (an encoder may refuse values deeper than it can walk, spec §8)."""

    description: str
    value: object
    hex: str | None = None
    max_depth: int | None = None

    def __post_init__(self) -> None:
        _check_description(self.description)
        _check_max_depth(self.description, self.max_depth)
        if self.hex is not None:
            _check_hex(self.description, self.hex)
            if not self.hex:
                raise ValueError(f"{self.description}: no value encodes to zero octets")


@dataclass(frozen=True)
class Err:
    """An input whole-input decoding (spec §6 `loads`) must reject with `kind` at `offset`."""

    description: str
    hex: str
    kind: str
    offset: int
    max_depth: int | None = None

    def __post_init__(self) -> None:
        _check_description(self.description)
        _check_hex(self.description, self.hex)
        _check_error(self.description, self.kind, self.offset, len(self.hex) // 2)
        _check_max_depth(self.description, self.max_depth)


@dataclass(frozen=True)
class Prefix:
    """Prefix decoding (spec §6 `loads_prefix`) of `hex` from offset `start`: either the value
    `value` ending at `end`, or the error `kind` at `offset` (counted from the start of the
    input, not from `start`). Give value and end, or kind and offset."""

    description: str
    hex: str
    start: int
    value: object = None
    end: int | None = None
    kind: str | None = None
    offset: int | None = None
    max_depth: int | None = None

    def __post_init__(self) -> None:
        _check_description(self.description)
        _check_hex(self.description, self.hex)
        _check_max_depth(self.description, self.max_depth)
        length = len(self.hex) // 2
        if not (type(self.start) is int and 0 <= self.start <= length):
            raise ValueError(f"{self.description}: start {self.start!r} outside 0..{length}")
        if (self.end is None) == (self.kind is None):
            raise ValueError(f"{self.description}: give value and end, or kind and offset")
        if self.kind is None:
            if not (type(self.end) is int and self.start < self.end <= length):
                raise ValueError(f"{self.description}: end {self.end!r} outside "
                                 f"{self.start + 1}..{length}")
            if self.offset is not None:
                raise ValueError(f"{self.description}: a value has no error offset")
        else:
            _check_error(self.description, self.kind, self.offset, length)
            if self.kind == "trailing_bytes":
                raise ValueError(f"{self.description}: prefix decoding has no trailing_bytes")

    @property
    def is_error(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True)
class Sequence:
    """A sequence (spec §9): the values read from `hex` in order, then the end of the input
    (`error` None) or the error (kind, offset) that ends it."""

    description: str
    hex: str
    values: tuple
    error: tuple[str, int] | None = None
    max_depth: int | None = None

    def __post_init__(self) -> None:
        _check_description(self.description)
        _check_hex(self.description, self.hex)
        _check_max_depth(self.description, self.max_depth)
        if not isinstance(self.values, tuple):
            raise ValueError(f"{self.description}: values must be a tuple (of the values)")
        if self.error is not None:
            kind, offset = self.error
            _check_error(self.description, kind, offset, len(self.hex) // 2)
            if kind == "trailing_bytes":
                raise ValueError(f"{self.description}: a sequence has no trailing_bytes")


def h(text: str) -> str:
    """Hex written with spaces between octets for readability -> the compact form."""
    compact = text.replace(" ", "")
    _check_hex(text, compact)
    return compact


def le(k: int, x: int) -> str:
    """LE(k, x) of spec §2, as hex."""
    if not 0 <= x < 1 << (8 * k):
        raise ValueError(f"{x} does not fit LE({k})")
    return x.to_bytes(k, "little").hex()


def tc(k: int, v: int) -> str:
    """TC(k, v) of spec §2, as hex: k octets of little-endian two's complement."""
    if not -(1 << (8 * k - 1)) <= v < 1 << (8 * k - 1):
        raise ValueError(f"{v} does not fit TC({k})")
    return v.to_bytes(k, "little", signed=True).hex()


# Width of the length field selected by the low two bits of a prefixed tag (spec §3).
_WIDTHS = (1, 2, 4, 8)


def head(tag: int, n: int) -> str:
    """A prefixed tag (cc..df) the author chose, followed by its length field LE(w, n)."""
    if not 0xCC <= tag <= 0xDF:
        raise ValueError(f"{tag:#x} is not a prefixed tag")
    return f"{tag:02x}" + le(_WIDTHS[tag & 3], n)


def rep(unit_hex: str, count: int) -> str:
    """`count` copies of an octet string (written with or without spaces)."""
    return h(unit_hex) * count


def ascii_hex(text: str) -> str:
    """The octets of an ASCII text: each character is its own code (no UTF-8 decisions)."""
    if not text.isascii():
        raise ValueError(f"{text!r} is not ASCII")
    return "".join(f"{ord(c):02x}" for c in text)


def nested(depth: int, inner: object) -> object:
    """`inner` wrapped in `depth` singleton tuples, built without recursion."""
    value = inner
    for _ in range(depth):
        value = (value,)
    return value


def f64(bits: str) -> float:
    """The float whose binary64 pattern is `bits` (16 hex digits, most significant first)."""
    if not re.fullmatch(r"[0-9a-f]{16}", bits):
        raise ValueError(f"bad float bits {bits!r}")
    return struct.unpack(">d", bytes.fromhex(bits))[0]


def truncations(name: str, full_hex: str) -> list[Err]:
    """Every proper, non-empty prefix of a valid encoding, each `truncated` at its length.

    Why this is a hand derivation and not a guess: decoding a prefix reads exactly the octets
    the full decode reads until it needs one past the end; every check of §6 that runs before
    that sees the same octets as in the valid input and passes; the first read past the end is
    a step-1, step-4 or step-6 `truncated`, whose offset is always L (§7). The prefix cannot
    decode to a value either: a value ending inside it would end there in the full input too.
    """
    octets = len(full_hex) // 2
    return [
        Err(f"{name} cut to {i} of {octets} octets", full_hex[: 2 * i], "truncated", i)
        for i in range(1, octets)
    ]
