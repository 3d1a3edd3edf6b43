"""A small program as a frozenpack user writes it, type-checked with `mypy --strict`.

It uses the documented API the way the README and the modules' documentation show it (the
codec, the reference implementation, the executor, wrap for pickles, values between processes
over a Pipe and through queues, the listing), annotated
with frozenpack.Value, and it runs (codec-py/tests/test_typing.py runs it, and checks it with
mypy and pyright against the package in the tree; the wheel tests check it against each
installed wheel). A misspelt name or a wrong argument in it must be a type error:
test_typing.py checks that too.
"""

import io
import math
import pickle
import queue
import sys
from collections.abc import Iterator
from multiprocessing import Pipe

import frozenpack
from frozenpack import DecodeError, Value, reference
from frozenpack.connection import FrozenQueue, get, put, recv, send
from frozenpack.futures import ProcessPoolExecutor
from frozenpack.listing import dis

Row = tuple[int, float, str, None]


def encode_rows(rows: list[Row]) -> bytes:
    # A tuple of rows is a Value; frozenpack has no lists.
    return frozenpack.dumps(tuple(rows))


def decode_rows(data: bytes) -> list[Row]:
    value: Value = frozenpack.loads(data, max_depth=frozenpack.MAX_DEPTH)
    if not isinstance(value, tuple):
        raise TypeError(f"expected a tuple of rows, got {type(value).__name__}")
    rows: list[Row] = []
    for row in value:
        match row:
            case (int() as n, float() as x, str() as s, None):
                rows.append((n, x, s, None))
            case _:
                raise TypeError(f"not a row: {row!r}")
    return rows


def values_in(stream: bytes) -> Iterator[Value]:
    yield from frozenpack.iter_loads(stream)


def values_arriving(pieces: list[bytes]) -> list[Value]:
    # A socket's pieces, as they come: each value once complete.
    decoder = frozenpack.Decoder(max_depth=100)
    values: list[Value] = []
    for piece in pieces:
        values += decoder.feed(piece)
    decoder.close()
    assert (decoder.offset, decoder.buffered) == (sum(map(len, pieces)), 0)
    return values


def with_the_reference(rows: list[Row]) -> list[Value]:
    """frozenpack.reference, the pure-Python implementation: the same calls, and streams."""
    data = reference.dumps(tuple(rows))
    assert reference.loads(data) == tuple(rows)
    stream = io.BytesIO(data + reference.dumps(None))
    assert list(reference.iter_load(stream)) == [tuple(rows), None]
    decoder = reference.Decoder(max_depth=reference.MAX_DEPTH)
    values = decoder.feed(data[:3]) + decoder.feed(memoryview(data)[3:])
    decoder.close()
    return values


def in_workers(rows: list[Row]) -> int:
    """Calls that travel as frozenpack (frozenpack.futures), and a value that pickles as
    frozenpack (frozenpack.wrap)."""
    with ProcessPoolExecutor(max_workers=2) as executor:
        future = executor.submit(math.factorial, 20)
        total = sum(executor.map(math.factorial, range(10), chunksize=5))
        largest: int = future.result()
    assert pickle.loads(pickle.dumps(frozenpack.wrap(tuple(rows)))) == tuple(rows)
    return largest + total


def between_processes(rows: list[Row]) -> Value:
    """Values over a Pipe and through queues (frozenpack.connection), with timeouts."""
    here, there = Pipe()
    send(here, tuple(rows))
    received: Value = recv(there, timeout=5.0, maxlength=1 << 20)
    here.close()
    there.close()
    results = FrozenQueue()
    results.put((received, 2**70))
    value = results.get(timeout=5.0)
    results.close()
    # Over a queue that pickles what it carries (here one between threads): bytes.
    octets: queue.Queue[bytes] = queue.Queue()
    put(octets, value)
    return get(octets, timeout=5.0)


def describe(error: DecodeError) -> str:
    assert error.kind in frozenpack.ERROR_KINDS
    return f"{error.kind} at {error.offset}: {error.detail}"


def main() -> int:
    rows: list[Row] = [(1, 0.5, "a", None), (2, -0.0, "\ud800", None)]
    data = encode_rows(rows)
    assert decode_rows(data) == rows

    value, end = frozenpack.loads_prefix(data + b"\x01", 0)
    assert (value, end) == (tuple(rows), len(data))
    assert list(values_in(b"\x01\x02")) == [1, 2]

    assert with_the_reference(rows) == [tuple(rows)]
    assert in_workers(rows) == math.factorial(20) + sum(map(math.factorial, range(10)))
    assert between_processes(rows) == (tuple(rows), 2**70)

    buffer = io.BytesIO()
    frozenpack.dump((2**100, b"\x00"), buffer)
    frozenpack.dump("next", buffer)
    buffer.seek(0)
    assert frozenpack.load(buffer) == (2**100, b"\x00")
    assert list(frozenpack.iter_load(buffer)) == ["next"]
    assert values_arriving([b"\x01\x83a", b"bc"]) == [1, "abc"]

    try:
        frozenpack.loads(b"\xc4\x05")
    except frozenpack.DecodeError as error:
        print(describe(error))

    listing = io.StringIO()
    dis(data, listing, max_depth=10)
    assert listing.getvalue().split()[:3] == ["0", "b2", "FIXTUPLE"]
    print(f"frozenpack {frozenpack.__version__}, spec v{frozenpack.SPEC_VERSION}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
