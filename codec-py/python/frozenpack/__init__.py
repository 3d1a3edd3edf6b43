"""frozenpack: a canonical binary wire format for Python's immutable values.

None, bool, int of any size, float with its exact bits, str (lone surrogates included), bytes
and tuples nested to any depth, each with exactly one encoding (spec/frozenpack-v1.md).

The names below come from the compiled extension, `frozenpack._frozenpack` (Rust, on the
frozenpack codec). They behave exactly as those of the pure-Python reference implementation,
`frozenpack.reference`, which stays importable on its own.

    >>> import frozenpack
    >>> frozenpack.dumps((2**64, -0.0, "\\ud800", b"\\x00")).hex(" ")
    'b4 cc 09 00 00 00 00 00 00 00 00 01 c3 00 00 00 00 00 00 00 80 dc 03 ed a0 80 a1 00'
    >>> frozenpack.loads(bytes.fromhex("b2 01 80"))
    (1, '')
"""

__all__ = [
    "ERROR_KINDS",
    "MAX_DEPTH",
    "SPEC_VERSION",
    "DecodeError",
    "dump",
    "dumps",
    "iter_loads",
    "load",
    "loads",
    "loads_prefix",
    "wrap",
]

__version__ = "0.1.0"

#: The version of the wire format this package implements (spec §10).
SPEC_VERSION = 1

_EXTENSION_NAMES = frozenset(__all__) - {"SPEC_VERSION"}

try:
    from ._frozenpack import (
        ERROR_KINDS,
        MAX_DEPTH,
        DecodeError,
        dump,
        dumps,
        iter_loads,
        load,
        loads,
        loads_prefix,
    )
except ImportError as _error:
    # No silent fallback to the (much slower) reference: the package still imports, so that
    # frozenpack.reference and frozenpack.listing work without a build, but the fast names
    # raise this instead of quietly being something else.
    _EXTENSION_ERROR = _error

    def __getattr__(name):
        if name in _EXTENSION_NAMES:
            raise ImportError(
                f"frozenpack.{name} needs the compiled extension frozenpack._frozenpack, which "
                f"failed to import ({_EXTENSION_ERROR}). Build it with `make extension` (or "
                "`maturin develop --release` in codec-py/); the pure-Python implementation is "
                "frozenpack.reference."
            ) from _EXTENSION_ERROR
        raise AttributeError(f"module 'frozenpack' has no attribute {name!r}")
else:

    def __getattr__(name):
        # frozenpack.wrap, the bridge to pickle-based systems (bridge.py), imports pickle: only
        # when it is first used, so that `import frozenpack` stays as light as the codec.
        if name == "wrap":
            from .bridge import wrap

            globals()["wrap"] = wrap  # found directly from now on
            return wrap
        raise AttributeError(f"module 'frozenpack' has no attribute {name!r}")
