"""The command line, `python -m frozenpack`, in the spirit of pickletools and json.tool.

    python -m frozenpack dis      [--hex] [--max-depth N] [FILE|-]
    python -m frozenpack decode   [--hex] [--max-depth N] [--all] [FILE|-]
    python -m frozenpack encode   [--hex] [-o OUT] [LITERAL | -i FILE|-]
    python -m frozenpack validate [--hex] [--max-depth N] [--stream] [FILE|- ...]

Input is raw frozenpack octets from FILE, or from standard input when FILE is "-" or absent;
with --hex it is hex text instead (whitespace allowed), which is handy for octets copied from
a listing or the spec. `decode` prints the value as a Python literal (see format_value), and
`encode` reads back whatever `decode` prints, at any depth (frozenpack.literal); other
literals it reads with ast.literal_eval.

Exit status: 0 success; 1 the data is invalid (not a canonical encoding, not hex text, not a
Python literal, a value frozenpack cannot carry); 2 a usage error (argparse's) or a file that
cannot be read or written. Expected errors print one line on standard error and no traceback;
an invalid encoding is reported as "SOURCE: KIND at offset N: DETAIL", SOURCE being the file
name or <stdin>.

`dis` lists octets with the reference decoder (frozenpack.listing), so it works even where the
compiled extension is not built; the other commands use frozenpack's dumps and loads, and exit
with status 2 and the package's message when the extension is missing.
"""

import argparse
import ast
import os
import re
import sys
from collections.abc import Callable, Sequence

import frozenpack

from ._common import Value
from .listing import dis
from .literal import NotReadable, read_literal
from .reference import MAX_DEPTH
from .reference import DecodeError as ListingDecodeError

__all__ = ["format_value", "main"]

PROG = "python -m frozenpack"
_STDIN_NAME = "<stdin>"

_EPILOG = """\
exit status: 0 success; 1 invalid data (an encoding that is not canonical, text that is not
hex, not a Python literal, or a value frozenpack cannot carry); 2 usage error, or a file that
cannot be read or written. An invalid encoding is reported on standard error as
"SOURCE: KIND at offset N: DETAIL", where KIND is one of truncated, unknown_tag,
non_canonical, invalid_utf8, depth_exceeded, trailing_bytes and N counts octets from the
start of the input.

examples:
  python -m frozenpack encode "(1, 'a', None)" > value.fpk
  python -m frozenpack dis value.fpk
  echo "b2 01 81 61" | python -m frozenpack decode --hex
  python -m frozenpack validate --stream *.fpk
"""


class _Failure(Exception):
    """An expected error: `message` goes to standard error, `status` is the exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


# --- value -> literal --------------------------------------------------------------------------


class _Text(str):
    """Punctuation queued between values by format_value (never a decoded str: see there)."""


# Ints of at most this many bits are written in decimal: 2**14284 < 10**4300, so they have at
# most 4300 digits, CPython's default int-to-decimal limit. Longer ones go in hex whatever
# the interpreter's limit is set to (0, unlimited, included): decimal conversion takes
# quadratic time, hex linear.
_DECIMAL_MAX_BITS = 14_284


def format_value(value: Value) -> str:
    """The Python literal of a decoded value: repr(value), except for two things repr cannot do.

    Tuples are written without recursion, so a value nested as deep as the decoder allows (any
    max_depth) prints instead of raising RecursionError. An int of 2**14284 or more in
    magnitude (4300 digits: CPython's default int-to-decimal limit), or over the interpreter's
    limit if that is lower, is written in hex, e.g. 0x1000...0, so time stays linear in the
    size of the value.
    `encode` reads the output back at any depth and size (frozenpack.literal).

    Floats are written by repr: a NaN prints as `nan` without its payload bits, and infinities
    as `inf`; neither is a literal that `encode` can read back (`dis` shows the bits).

        >>> format_value((1, ("a", b"\\x00"), (None,), -0.0))
        "(1, ('a', b'\\\\x00'), (None,), -0.0)"
    """
    out: list[str] = []
    # A stack of pending work: values still to write, and _Text punctuation. A decoded str is
    # exactly a str, never a _Text, so the two cannot be confused.
    pending: list[Value] = [value]
    while pending:
        x = pending.pop()
        if type(x) is _Text:
            out.append(x)
        elif type(x) is tuple:
            n = len(x)
            if n == 0:
                out.append("()")
                continue
            out.append("(")
            pending.append(_Text(",)" if n == 1 else ")"))
            for i in range(n - 1, 0, -1):
                pending.append(x[i])
                pending.append(_Text(", "))
            pending.append(x[0])
        elif type(x) is int:
            if x.bit_length() > _DECIMAL_MAX_BITS:
                out.append(hex(x))
                continue
            try:
                out.append(repr(x))
            except ValueError:  # over a lower int-to-decimal limit; hex has none
                out.append(hex(x))
        else:
            out.append(repr(x))
    return "".join(out)


# --- input and output ---------------------------------------------------------------------------


def _source_name(path: str) -> str:
    return _STDIN_NAME if path == "-" else path


def _read_input(path: str) -> bytes:
    """The octets of FILE, or of standard input for "-". Raises _Failure (status 2)."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise _Failure(f"cannot read {path}: {e.strerror or e}", 2) from None


def _octets(raw: bytes, path: str, as_hex: bool) -> bytes:
    """The frozenpack octets of an input: `raw` itself, or for --hex the octets it spells."""
    if not as_hex:
        return raw
    try:
        return bytes.fromhex(raw.decode("ascii"))
    except UnicodeDecodeError:
        raise _Failure(f"{_source_name(path)}: not hex text: it is not ASCII", 1) from None
    except ValueError as e:
        # bytes.fromhex names the position of the first bad character.
        raise _Failure(f"{_source_name(path)}: not hex text: {e}", 1) from None


def _decode_failure(path: str, error: frozenpack.DecodeError) -> _Failure:
    return _Failure(f"{_source_name(path)}: {error}", 1)


# --- the commands -------------------------------------------------------------------------------


def _run_dis(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    data = _octets(_read_input(args.file), args.file, args.hex)
    try:
        dis(data, sys.stdout, max_depth=args.max_depth)
    except ListingDecodeError as error:
        # The listing itself ends with an "error:" line after the items it could read; the
        # same error goes to standard error too, where every command reports invalid data.
        raise _decode_failure(args.file, error) from None
    return 0


def _run_decode(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    data = _octets(_read_input(args.file), args.file, args.hex)
    try:
        if args.all:
            # One value per line, each printed as soon as it is read: on an error the values
            # before it have been printed.
            for value in frozenpack.iter_loads(data, max_depth=args.max_depth):
                print(format_value(value))
        else:
            print(format_value(frozenpack.loads(data, max_depth=args.max_depth)))
    except frozenpack.DecodeError as error:
        failure = _decode_failure(args.file, error)
        if error.kind == "trailing_bytes" and not args.all:
            failure = _Failure(f"{failure} (use --all for a sequence of values)", 1)
        raise failure from None
    return 0


# literal_eval's ValueError ends with the repr of the offending AST node, an object address
# that tells a user nothing and changes from run to run.
_AST_NODE_SUFFIX = re.compile(r": <ast\.\w+ object at 0x[0-9a-fA-F]+>$")


def _parse_literal(text: str) -> object:
    """The value of the literal `text`, or _Failure (status 1).

    What `decode` writes, at any depth, is read by frozenpack.literal; anything else by
    ast.literal_eval (so a list, say, is read and then refused by dumps with its place), whose
    own error is reported unless it only says the text is too deeply nested for it.
    """
    own: NotReadable | SyntaxError
    try:
        return read_literal(text)
    except NotReadable as e:
        own = e
    try:
        return ast.literal_eval(text)
    except SyntaxError as e:
        if not _too_deep_for_ast(e):
            own = e
    except (ValueError, TypeError) as e:
        message = _AST_NODE_SUFFIX.sub("", str(e)) or type(e).__name__
        raise _Failure(f"not a Python literal: {message}", 1) from None
    except (MemoryError, RecursionError):
        pass
    where = f" at line {own.lineno}, column {own.offset}" if own.lineno is not None else ""
    raise _Failure(f"not a Python literal: {own.msg}{where}", 1) from None


def _too_deep_for_ast(error: SyntaxError) -> bool:
    """Whether a SyntaxError is CPython's parser giving up on nesting, not the text's fault."""
    return "too many nested" in error.msg or "too complex" in error.msg


def _run_encode(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.literal is not None and args.input is not None:
        parser.error("give either LITERAL or -i FILE, not both")
    if args.output is None and not args.hex and sys.stdout.isatty():
        parser.error("refusing to write binary octets to a terminal; use --hex or -o FILE")
    if args.literal is not None:
        text = args.literal
    else:
        path = "-" if args.input is None else args.input
        raw = _read_input(path)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _Failure(
                f"{_source_name(path)}: not UTF-8 text at offset {e.start}", 1
            ) from None
    value = _parse_literal(text)
    try:
        # Any literal: dumps's TypeError is the check (its signature takes values only, so that
        # a program's mistakes are type errors).
        data = frozenpack.dumps(value)  # type: ignore[call-overload]
    except TypeError as e:  # "unsupported type 'list' at $[1]"
        raise _Failure(str(e), 1) from None
    output = (data.hex(" ") + "\n").encode("ascii") if args.hex else data
    if args.output is None or args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        try:
            with open(args.output, "wb") as f:
                f.write(output)
        except OSError as e:
            raise _Failure(f"cannot write {args.output}: {e.strerror or e}", 2) from None
    return 0


def _run_validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    status = 0
    for path in args.files or ["-"]:
        try:
            data = _octets(_read_input(path), path, args.hex)
            try:
                if args.stream:
                    for _ in frozenpack.iter_loads(data, max_depth=args.max_depth):
                        pass
                else:
                    frozenpack.loads(data, max_depth=args.max_depth)
            except frozenpack.DecodeError as error:
                raise _decode_failure(path, error) from None
        except _Failure as failure:
            # Go on with the other files; the exit status is the worst seen.
            print(_message(args, failure), file=sys.stderr)
            status = max(status, failure.status)
    return status


# --- the parser ---------------------------------------------------------------------------------


# What each command runs: set_defaults(run=...) in _parser, called by main.
_Command = Callable[[argparse.Namespace, argparse.ArgumentParser], int]


def _max_depth(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {value}")
    return value


def _add_input_options(command: argparse.ArgumentParser, *, depth: bool = True) -> None:
    command.add_argument(
        "--hex", action="store_true", help="the input is hex text (whitespace allowed)"
    )
    if depth:
        command.add_argument(
            "--max-depth",
            type=_max_depth,
            default=MAX_DEPTH,
            metavar="N",
            help=f"depth limit: the deepest level a tuple may stand at (default {MAX_DEPTH})",
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Inspect, decode, encode and validate frozenpack data (spec version 1).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dis_command = commands.add_parser(
        "dis",
        help="annotated listing: offset, octets, nesting and meaning of each item",
        description="Print an annotated listing of frozenpack octets, one line per item: its "
        "offset, its octets in hex, two spaces of indentation per enclosing tuple and what "
        "it means. A sequence of values is listed value after value. On invalid input the "
        "listing shows the items read, then an 'error:' line; the error also goes to "
        "standard error and the exit status is 1.",
    )
    _add_input_options(dis_command)
    dis_command.add_argument("file", nargs="?", default="-", metavar="FILE",
                             help='input file, or "-" for standard input (the default)')
    dis_command.set_defaults(run=_run_dis)

    decode_command = commands.add_parser(
        "decode",
        help="print the value as a Python literal",
        description="Decode one value and print it as a Python literal (its repr; ints "
        "from about 4300 digits in hex, and tuples of any depth), which `encode` reads back. The "
        "input must hold exactly one value: octets after it are a trailing_bytes error, "
        "unless --all is given.",
    )
    _add_input_options(decode_command)
    decode_command.add_argument(
        "--all",
        action="store_true",
        help="the input is a sequence of values (spec §9): print each on its own line; an "
        "empty input prints nothing",
    )
    decode_command.add_argument("file", nargs="?", default="-", metavar="FILE",
                                help='input file, or "-" for standard input (the default)')
    decode_command.set_defaults(run=_run_decode)

    encode_command = commands.add_parser(
        "encode",
        help="encode a Python literal",
        description="Encode a Python literal and write its canonical octets. Whatever "
        "`decode` prints reads back, nested to any depth; other literals are read with "
        "ast.literal_eval. Only None, bool, int, float, str, bytes and tuples can be "
        "encoded: a list, dict, set or complex number is an error naming where it is, e.g. "
        "\"unsupported type 'list' at $[1]\". Binary octets are written to standard output "
        "only when it is not a terminal.",
    )
    encode_command.add_argument(
        "--hex", action="store_true",
        help="write hex text (octets separated by spaces, then a newline) instead of binary",
    )
    encode_command.add_argument("-o", "--output", metavar="OUT",
                                help='output file ("-" or absent: standard output)')
    encode_command.add_argument(
        "-i", "--input", metavar="FILE",
        help='read the literal from FILE ("-": standard input, which is also the default '
        "when no LITERAL is given)",
    )
    encode_command.add_argument("literal", nargs="?", metavar="LITERAL",
                                help="the literal, e.g. \"(1, 'a', b'\\x00', None)\"")
    encode_command.set_defaults(run=_run_encode)

    validate_command = commands.add_parser(
        "validate",
        help="check that each input is a canonical encoding",
        description="Check that each input is the canonical encoding of exactly one value "
        "(or, with --stream, of a sequence of values). Prints nothing for a valid input and "
        "'SOURCE: KIND at offset N: DETAIL' on standard error for an invalid one; every "
        "input is checked. Exit status 0 if all are valid, 1 if one is not, 2 if one "
        "cannot be read.",
    )
    _add_input_options(validate_command)
    validate_command.add_argument(
        "--stream", action="store_true",
        help="each input is a sequence of values (spec §9); an empty input is valid",
    )
    validate_command.add_argument("files", nargs="*", metavar="FILE",
                                  help='input files, or "-" for standard input (the default)')
    validate_command.set_defaults(run=_run_validate)
    return parser


def _message(args: argparse.Namespace, failure: _Failure) -> str:
    """An invalid input is reported as "SOURCE: ..."; any other failure names the command."""
    if failure.status == 1 and args.command != "encode":
        return str(failure)
    return f"{PROG} {args.command}: {failure}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]); return the exit status.

    Usage errors raise SystemExit(2), as argparse does.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    run: _Command = args.run  # the command's function (set_defaults in _parser)
    try:
        return run(args, parser)
    except _Failure as failure:
        print(_message(args, failure), file=sys.stderr)
        return failure.status
    except ImportError as error:
        # frozenpack's fast names need the compiled extension; its message says how to build
        # it. `dis` works without it: the listing is built on the reference decoder.
        print(f"{PROG} {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error of ours. Point
        # stdout at devnull so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
