"""The six payloads of the benchmark, deterministic from a seed, and exact equality.

Each payload is built at the benchmark's size, or at a small size for --quick (a smoke test of
the script, not a measurement).
"""

import random
import struct
from dataclasses import dataclass

SEED = 2026


@dataclass(frozen=True)
class Payload:
    key: str  # short name, for the chart
    title: str  # what it is, for the tables
    value: object
    # The type msgspec decodes it as, so that its arrays come back as tuples (see peers.py).
    msgspec_type: object
    has_big_ints: bool = False  # holds ints outside the 64-bit range
    is_bulk_bytes: bool = False  # the 10 MiB bytes: timed against a bare copy too


def _nested_type(depth, inner):
    annotation = inner
    for _ in range(depth):
        annotation = tuple[annotation]
    return annotation


def _nested(depth, inner):
    value = inner
    for _ in range(depth):
        value = (value,)
    return value


def build(quick=False):
    """The payloads in table order; small versions of the same shapes when `quick`."""
    rng = random.Random(SEED)
    rows = 100 if quick else 10_000
    octets = (64 << 10) if quick else (10 << 20)
    ints = 1_000 if quick else 100_000
    depth = 50 if quick else 500
    big_ints = 20 if quick else 1_000

    small = (42, -2.5, "hello", b"\x00\x01\x02", None, True, (7, "x", 1 << 40))
    table = tuple(
        (i, rng.random() * 1000.0, f"user{rng.randrange(100_000)}", None) for i in range(rows)
    )
    blob = rng.randbytes(octets)
    # Magnitudes spread evenly over 0 ... 63 bits, both signs: every INTk form and FIXINT.
    spread = tuple(
        rng.getrandbits(rng.randrange(64)) * rng.choice((1, -1)) for _ in range(ints)
    )
    deep = _nested(depth, 0)
    near_2_200 = tuple((1 << 200) + rng.getrandbits(199) - (1 << 198) for _ in range(big_ints))

    size = f"{octets >> 20} MiB" if octets >= 1 << 20 else f"{octets >> 10} KiB"
    return [
        Payload("small", "small mixed tuple", small,
                tuple[int, float, str, bytes, None, bool, tuple[int, str, int]]),
        Payload("rows", f"{rows:,} rows of (int, float, str, None)", table,
                tuple[tuple[int, float, str, None], ...]),
        Payload("bytes", f"one {size} bytes", blob, bytes, is_bulk_bytes=True),
        Payload("int64", f"{ints:,} ints spanning 64 bits", spread, tuple[int, ...]),
        Payload("deep", f"tuple nested {depth} deep", deep, _nested_type(depth, int)),
        Payload("bigint", f"{big_ints:,} ints near 2**200", near_2_200, tuple,
                has_big_ints=True),
    ]


_pack_double = struct.Struct("<d").pack


def exactly_equal(a, b):
    """Equality of the spec's §1: same exact types, floats by their bits, tuples item by item.

    Iterative, so deep payloads compare without recursion.
    """
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if type(x) is float:
            if _pack_double(x) != _pack_double(y):
                return False
        elif type(x) is tuple:
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y))
        elif x != y:
            return False
    return True
