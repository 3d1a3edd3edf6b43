"""frozenpack: a canonical binary wire format for Python's immutable values.

None, bool, int of any size, float with its exact bits, str (lone surrogates included), bytes
and tuples nested to any depth, each with exactly one encoding (spec/frozenpack-v1.md).

For now the names below are those of the pure-Python reference implementation,
`frozenpack.reference`. The Rust extension (a later issue) will replace them here with the
fast implementation, behaving identically; `frozenpack.reference` stays available either way.

    >>> import frozenpack
    >>> frozenpack.dumps((2**64, -0.0, "\\ud800", b"\\x00")).hex(" ")
    'b4 cc 09 00 00 00 00 00 00 00 00 01 c3 00 00 00 00 00 00 00 80 dc 03 ed a0 80 a1 00'
    >>> frozenpack.loads(bytes.fromhex("b2 01 80"))
    (1, '')
"""

from .reference import MAX_DEPTH, DecodeError, dumps, iter_loads, loads, loads_prefix

__all__ = [
    "MAX_DEPTH",
    "SPEC_VERSION",
    "DecodeError",
    "dumps",
    "iter_loads",
    "loads",
    "loads_prefix",
]

__version__ = "0.1.0"

#: The version of the wire format this package implements (spec §10).
SPEC_VERSION = 1
