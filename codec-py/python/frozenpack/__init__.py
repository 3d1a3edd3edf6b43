"""frozenpack: a canonical binary wire format for Python's immutable values.

None, bool, int of any size, float with its exact bits, str (lone surrogates included), bytes
and tuples nested to any depth, each with exactly one encoding (spec/frozenpack-v1.md).

The functions and constants below come from the compiled extension, `frozenpack._frozenpack`
(Rust, on the frozenpack codec). They behave exactly as those of the pure-Python reference
implementation, `frozenpack.reference`, which stays importable on its own; both raise the one
DecodeError class. `Value` is the type of a frozenpack value, for annotations.

    >>> import frozenpack
    >>> frozenpack.dumps((2**64, -0.0, "\\ud800", b"\\x00")).hex(" ")
    'b4 cc 09 00 00 00 00 00 00 00 00 01 c3 00 00 00 00 00 00 00 80 dc 03 ed a0 80 a1 00'
    >>> frozenpack.loads(bytes.fromhex("b2 01 80"))
    (1, '')

Streams (spec §9): load(fp) reads one value from a binary file and leaves fp just after it,
iter_load(fp) reads values to the end of the stream, and a Decoder is fed octets as they
arrive (sockets, asyncio) and returns the values they complete:

    >>> decoder = frozenpack.Decoder()
    >>> decoder.feed(b"\\x01\\x83ab"), decoder.feed(b"c")
    ([1], ['abc'])
"""

from typing import TYPE_CHECKING

from ._common import DecodeError, Value

__all__ = [
    "ERROR_KINDS",
    "MAX_DEPTH",
    "SPEC_VERSION",
    "DecodeError",
    "Decoder",
    "Value",
    "dump",
    "dumps",
    "iter_load",
    "iter_loads",
    "load",
    "loads",
    "loads_prefix",
    "wrap",
]

#: The version of the wire format this package implements (spec §10).
SPEC_VERSION = 1

# What only the compiled extension provides; __version__ is its crate's, compiled in, so it is
# the version of the code that runs.
_EXTENSION_NAMES = (
    frozenset(__all__) - {"SPEC_VERSION", "DecodeError", "Value", "wrap"}
) | {"__version__"}

if TYPE_CHECKING:
    from .bridge import wrap as wrap

try:
    from ._frozenpack import (
        ERROR_KINDS,
        MAX_DEPTH,
        Decoder,
        dump,
        dumps,
        iter_load,
        iter_loads,
        load,
        loads,
        loads_prefix,
    )
    from ._frozenpack import __version__ as __version__
except ImportError as _error:
    # No silent fallback to the (much slower) reference: the package still imports, so that
    # frozenpack.reference and frozenpack.listing work without a build, but the fast names
    # raise this instead of quietly being something else.
    _extension_error: ImportError | None = _error
else:
    _extension_error = None

# Hidden from type checkers: a module-level __getattr__ would make every attribute of the
# package (a misspelt frozenpack.dumpz too) valid for them.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "wrap":
            # frozenpack.wrap, the bridge to pickle-based systems (bridge.py), imports pickle:
            # only when it is first used, so that `import frozenpack` stays as light as the
            # codec.
            from .bridge import wrap

            globals()["wrap"] = wrap  # found directly from now on
            return wrap
        if name in _EXTENSION_NAMES and _extension_error is not None:
            raise ImportError(
                f"frozenpack.{name} needs the compiled extension frozenpack._frozenpack, "
                f"which failed to import ({_extension_error}). Build it with `make "
                "extension` (or `maturin develop --release` in codec-py/); the pure-Python "
                "implementation is frozenpack.reference."
            ) from _extension_error
        raise AttributeError(f"module 'frozenpack' has no attribute {name!r}")
