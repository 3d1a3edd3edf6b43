"""An annotated listing of frozenpack octets, one line per item (like pickletools.dis).

Each line gives the item's offset, its octets in hex (the tag, then its fixed part or length
field, then its payload, cut after 16 octets with "…"), two spaces of indentation per
enclosing tuple (up to 32; deeper items keep 64 spaces and show their level, "[level 40]"),
and what the item means:

    >>> from frozenpack.reference import dumps
    >>> dis(dumps((5, 1000, "hello")))
    0  b3             FIXTUPLE n=3
    1  05               FIXINT 5
    2  c5 e803          INT2 1000
    5  85 68656c6c6f    FIXSTR len=5 'hello'

The input is read as a sequence of values (spec §9), so a .fpk file with several values lists
them one after the other, each starting at level 0. A listing takes time and space linear in
the input, as decoding does (spec §11): every line is bounded (payloads are cut, long ints are
shown by their size rather than converted to decimal, indentation stops growing), and every
item has a line. The items come from the reference
decoder's own item walker (frozenpack.reference.read_value), so the listing accepts and
rejects exactly what `loads` does; on bad input it lists the items it could read, then
"error: <kind> at offset <n>: <detail>", and raises the DecodeError.

Command line: python -m frozenpack.listing [--hex] [--max-depth N] FILE|-
"""

import argparse
import struct
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO, cast

from .reference import MAX_DEPTH, DecodeError, Item, as_octets, read_value

if TYPE_CHECKING:
    # collections.abc.Buffer from 3.12 on; only the type checker needs it here.
    from typing_extensions import Buffer

# A listing line: offset, octets in hex, nesting level, meaning.
_Row = tuple[int, str, int, str]

__all__ = ["dis", "main"]

# How much of a payload a line shows, in octets (hex column) and in characters or octets
# (the value's repr).
_SHOWN = 16
# BIGINTs up to this many octets (77 decimal digits) are shown in decimal; longer ones by
# their size, which is what a reader of a listing can use (and which costs nothing: decimal
# conversion is quadratic in the length, and CPython refuses it beyond 4300 digits).
_DECIMAL_BIGINT_OCTETS = 32
# Items are indented two spaces per level up to this level; deeper ones keep that indentation
# and say their level instead, so a line's length does not grow with the depth (indenting
# every level would make a listing of a depth-D chain O(D^2) long).
_INDENTED_LEVELS = 32


def dis(data: "Buffer", out: TextIO | None = None, *, max_depth: int = MAX_DEPTH) -> None:
    """Write the listing of `data` (any bytes-like object) to `out` (default: sys.stdout).

    Raises DecodeError, after writing the items before it and an "error:" line, when the
    input is not a sequence of canonical encodings.
    """
    stream: TextIO = sys.stdout if out is None else out
    with as_octets(data) as view:
        rows: list[_Row] = []

        def observe(item: Item) -> None:
            rows.append((item.offset, _hex_column(view, item), item.level, _meaning(view, item)))

        try:
            p = 0
            while p < len(view):
                _, p = read_value(view, p, max_depth, observe)
        except DecodeError as error:
            _write_rows(rows, stream)
            print(f"error: {error}", file=stream)
            raise
        _write_rows(rows, stream)


def _write_rows(rows: list[_Row], out: TextIO) -> None:
    if not rows:
        return
    # Columns are as wide as their widest entry, so the meanings line up.
    offset_width = max(len(str(offset)) for offset, _, _, _ in rows)
    hex_width = max(len(octets) for _, octets, _, _ in rows)
    for offset, octets, level, meaning in rows:
        print(f"{offset:>{offset_width}}  {octets:<{hex_width}}  {_indent(level)}{meaning}",
              file=out)


def _indent(level: int) -> str:
    if level <= _INDENTED_LEVELS:
        return "  " * level
    return "  " * _INDENTED_LEVELS + f"[level {level}] "


def _abbreviated_hex(octets: memoryview) -> str:
    if len(octets) > _SHOWN:
        return bytes(octets[:_SHOWN]).hex() + "…"
    return bytes(octets).hex()


def _abbreviated_repr(value: str | bytes) -> str:
    """repr of a str or bytes, cut after _SHOWN characters/octets with "…" inside the quotes."""
    if len(value) <= _SHOWN:
        return repr(value)
    shown = repr(value[:_SHOWN])
    return shown[:-1] + "…" + shown[-1]


def _hex_column(view: memoryview, item: Item) -> str:
    parts = [f"{item.tag:02x}"]
    if item.fixed_end > item.offset + 1:
        parts.append(bytes(view[item.offset + 1 : item.fixed_end]).hex())
    if item.end > item.fixed_end:
        parts.append(_abbreviated_hex(view[item.fixed_end : item.end]))
    return " ".join(parts)


def _meaning(view: memoryview, item: Item) -> str:
    name, value = item.name, item.value
    if item.is_tuple:
        return f"{name} n={item.count}"
    if name in ("NONE", "FALSE", "TRUE"):
        return str(name)
    if name == "FLOAT":
        (bits,) = struct.unpack("<Q", view[item.offset + 1 : item.fixed_end])
        return f"FLOAT {value!r} (bits {bits:016x})"
    # The name says what the item holds (the casts below are that, for type checkers).
    if name == "BIGINT":
        count, number = cast(int, item.count), cast(int, value)
        if count <= _DECIMAL_BIGINT_OCTETS:
            return f"BIGINT n={count} {number}"
        sign = "negative" if number < 0 else "positive"
        return f"BIGINT n={count} ({sign}, {number.bit_length()} bits)"
    if name in ("FIXSTR", "STR", "SSTR", "FIXBYTES", "BYTES"):
        return f"{name} len={item.count} {_abbreviated_repr(cast(str | bytes, value))}"
    return f"{name} {cast(int, value)}"  # FIXINT, NEGFIXINT, INT1 … INT8


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: list FILE (or standard input for "-"); exit status 1 on bad input."""
    parser = argparse.ArgumentParser(
        prog="python -m frozenpack.listing",
        description="Print an annotated listing of frozenpack octets, one line per item.",
    )
    parser.add_argument("file", help='a file of frozenpack octets, or "-" for standard input')
    parser.add_argument(
        "--hex", action="store_true", help="the input is hex text (whitespace allowed)"
    )
    parser.add_argument(
        "--max-depth", type=int, default=MAX_DEPTH, help=f"depth limit (default {MAX_DEPTH})"
    )
    args = parser.parse_args(argv)
    if args.max_depth < 0:
        parser.error("--max-depth must be >= 0")
    if args.file == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            with open(args.file, "rb") as f:
                raw = f.read()
        except OSError as e:
            parser.error(f"cannot read {args.file}: {e.strerror}")
    if args.hex:
        try:
            raw = bytes.fromhex(raw.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            parser.error("--hex input is not hex text")
    try:
        dis(raw, sys.stdout, max_depth=args.max_depth)
    except DecodeError:
        return 1  # the listing already ends with the error line
    return 0


if __name__ == "__main__":
    sys.exit(main())
