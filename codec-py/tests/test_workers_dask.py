"""frozenpack.dask: the "frozenpack" serialization family, in-process and on a real cluster.

The cluster is a LocalCluster of two worker processes (one thread each) on 127.0.0.1, started
once for the module and closed at its end; the workers import frozenpack.dask (preload). Skipped,
saying so, where distributed is not installed (it is an optional extra: frozenpack[dask]).
"""

import collections
import enum
import os
import pathlib
import subprocess
import sys

import pytest

distributed = pytest.importorskip(
    "distributed", reason="distributed is not installed (pip install frozenpack[dask])")

import frozenpack  # noqa: E402
import frozenpack.dask  # noqa: E402
from distributed.protocol.serialize import deserialize, serialize, to_serialize  # noqa: E402
from frozenpack.dask import SERIALIZERS, is_value  # noqa: E402
from reference_helpers import exactly_equal  # noqa: E402
from workers_helpers import DEEP, TIMEOUT, VALUES  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "bench"))
from payloads import build  # noqa: E402

Point = collections.namedtuple("Point", "x y")


class Level(enum.IntEnum):
    LOW = 1


def type_names(value):
    """Run on a worker: the exact types it holds (a plain tuple, not a wrapper)."""
    if type(value) is tuple:
        return (type(value).__name__, tuple(type(item).__name__ for item in value[:8]))
    return (type(value).__name__, ())


def reverse_rows(rows):
    """Run on a worker: a new chunk of the same shape (it goes back through the family)."""
    return tuple((name, score, -number, extra) for number, score, name, extra in rows)


# --- the family, in this process -----------------------------------------------------------------


def _round_trip(value):
    # As scatter and gather do: each value is marked to_serialize (and a collection's items are
    # then serialized one by one).
    header, frames = serialize(to_serialize(value), serializers=SERIALIZERS, on_error="raise")
    return header, deserialize(header, frames, deserializers=SERIALIZERS)


@pytest.mark.parametrize("value", VALUES[:-1] + [(1, DEEP)])
def test_values_are_frozenpack_frames_and_come_back_exactly(value):
    header, back = _round_trip(value)
    assert exactly_equal(back, value)
    # distributed serializes a tuple's items one by one; each is frozenpack but bytes.
    headers = header["sub-headers"] if header.get("is-collection") else [header]
    assert {h["serializer"] for h in headers} <= {"frozenpack", "dask"}


def test_the_frame_is_the_frozenpack_encoding():
    value = ((1, 2.5, "x", None),)  # one item of distributed's iteration: the row
    header, frames = serialize(to_serialize(value), serializers=SERIALIZERS, on_error="raise")
    (sub_header,) = header["sub-headers"]
    assert sub_header["serializer"] == "frozenpack"
    assert bytes(frames[0]) == frozenpack.dumps(value[0])


def test_a_wrapped_value_is_one_frame_decoded_as_the_plain_value():
    rows = tuple((i, float(i), str(i), None) for i in range(1000))
    header, frames = serialize(frozenpack.wrap(rows), serializers=SERIALIZERS, on_error="raise")
    assert header["serializer"] == "frozenpack"
    assert [bytes(f) for f in frames] == [frozenpack.dumps(rows)]
    back = deserialize(header, frames, deserializers=SERIALIZERS)
    assert type(back) is tuple and back == rows


def test_frames_split_by_distributed_are_joined():
    value = (1, "x" * 100)
    data = frozenpack.dumps(value)
    header = {"serializer": "frozenpack"}
    back = deserialize(header, [data[:3], memoryview(data)[3:50], bytearray(data[50:])])
    assert back == value


@pytest.mark.parametrize(("value", "serializer"), [
    (Point(1, 2), "pickle"),
    (Level.LOW, "pickle"),
    ([1, 2], "pickle"),
    (b"\x00" * 10, "dask"),
    (bytearray(b"x"), "dask"),
    (1 + 2j, "pickle"),
])
def test_what_is_not_exactly_a_value_falls_back_and_keeps_its_type(value, serializer):
    header, back = _round_trip((value,))
    (sub_header,) = header["sub-headers"]
    assert sub_header["serializer"] == serializer
    assert type(back[0]) is type(value) and back[0] == value


@pytest.mark.parametrize(("value", "expected"), [
    (None, True), ((), True), (((),), True), ((None, True, 1.5, b"", "", 2**100), True),
    (DEEP, True), (Point(1, 2), False), ((1, (2, Point(3, 4))), False), (Level.LOW, False),
    ((((Level.LOW,),),), False), ([1], False), ((1, [2]), False), (frozenset(), False),
    (type("S", (str,), {})("x"), False), ((1, (type("T", (tuple,), {})(),)), False),
])
def test_is_value_wants_exact_types_all_the_way_down(value, expected):
    assert is_value(value) is expected


def test_a_process_that_did_not_import_it_cannot_read_its_frames():
    # Why the workers must preload frozenpack.dask: distributed looks families up by name.
    script = ("from distributed.protocol.serialize import deserialize\n"
              "deserialize({'serializer': 'frozenpack'}, [b'\\x01'])\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 1
    assert result.stderr.strip().endswith("KeyError: 'frozenpack'")


# --- a real cluster ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, preload=["frozenpack.dask"], silence_logs=40)
    try:
        with distributed.Client(cluster, serializers=SERIALIZERS,
                                deserializers=SERIALIZERS) as client:
            client.wait_for_workers(2, timeout=TIMEOUT)
            yield client
    finally:
        cluster.close(timeout=TIMEOUT)


# The six payloads of the benchmark, at the sizes of its --quick run (the same shapes; the full
# ones take seconds each in distributed, which sends a tuple's items one by one), and the full
# rows.
PAYLOADS = {payload.key: payload.value for payload in build(quick=True)}
PAYLOADS["rows (full)"] = build()[1].value


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_the_benchmark_payloads_scatter_and_gather_exactly(client, key):
    value = PAYLOADS[key]
    [future] = client.scatter([value], hash=False)
    assert exactly_equal(future.result(TIMEOUT), value)
    [future] = client.scatter([frozenpack.wrap(value)], hash=False)
    assert exactly_equal(future.result(TIMEOUT), value)
    # On the worker it is the plain value.
    assert client.submit(type_names, future).result(TIMEOUT) == type_names(value)


def test_values_that_are_not_frozenpack_values_come_back_as_themselves(client):
    values = [Point(1, 2.5), Level.LOW, [1, (2,)], {"a": (1,)}, (Point(0, 0), 1)]
    futures = client.scatter(values, hash=False)
    back = client.gather(futures)
    assert [type(v) for v in back] == [type(v) for v in values]
    assert back == values
    assert type(back[-1][0]) is Point


def test_a_map_over_chunks_of_10000_rows(client):
    rows = PAYLOADS["rows (full)"]
    chunks = [rows, tuple(reversed(rows)), rows[::2] + rows[1::2]]
    futures = client.map(reverse_rows, [frozenpack.wrap(chunk) for chunk in chunks], pure=False)
    results = client.gather(futures)
    assert len(results) == 3
    for chunk, result in zip(chunks, results, strict=True):
        assert exactly_equal(result, reverse_rows(chunk))
