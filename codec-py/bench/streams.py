"""What reading from a stream costs over decoding a buffer: frozenpack.load from an io.BytesIO
and Decoder.feed in 64 KiB pieces, against loads of the whole buffer (iter_load and
iter_loads for a stream of many small values), on the benchmark's rows payload.

    python codec-py/bench/streams.py                  # interleaved best-of-N timings
    python codec-py/bench/streams.py --op load --loops 20   # one operation, for callgrind:
    valgrind --tool=callgrind python codec-py/bench/streams.py --op load --loops 20

Timings are interleaved (each round times every operation once, in turn), so that a machine
whose load changes affects all of them alike; the report gives each one's best round and the
spread of its rounds, and its ratio to the whole-buffer decode.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import frozenpack  # noqa: E402
from payloads import build  # noqa: E402

PIECE = 64 << 10
ROWS = next(p for p in build() if p.key == "rows").value
ONE_VALUE = frozenpack.dumps(ROWS)  # one value: a tuple of 10,000 rows
MANY_VALUES = b"".join(frozenpack.dumps(row) for row in ROWS)  # 10,000 values, one per row


def fed(data):
    decoder = frozenpack.Decoder()
    values = []
    for i in range(0, len(data), PIECE):
        values += decoder.feed(data[i:i + PIECE])
    decoder.close()
    return values


OPERATIONS = {
    # name: (what it does, baseline name)
    "loads": (lambda: frozenpack.loads(ONE_VALUE), None),
    "load": (lambda: frozenpack.load(io.BytesIO(ONE_VALUE)), "loads"),
    "feed": (lambda: fed(ONE_VALUE), "loads"),
    "iter_loads-many": (lambda: list(frozenpack.iter_loads(MANY_VALUES)), None),
    "iter_load-many": (lambda: list(frozenpack.iter_load(io.BytesIO(MANY_VALUES))),
                       "iter_loads-many"),
    "feed-many": (lambda: fed(MANY_VALUES), "iter_loads-many"),
}


def check():
    assert frozenpack.load(io.BytesIO(ONE_VALUE)) == ROWS == fed(ONE_VALUE)[0]
    assert list(frozenpack.iter_load(io.BytesIO(MANY_VALUES))) == list(ROWS) == fed(MANY_VALUES)


def time_once(function, loops):
    start = time.perf_counter()
    for _ in range(loops):
        function()
    return (time.perf_counter() - start) / loops


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--op", choices=sorted(OPERATIONS), help="run only this, --loops times")
    parser.add_argument("--loops", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    check()
    if args.op:
        function = OPERATIONS[args.op][0]
        for _ in range(args.loops):
            function()
        return
    print(f"rows payload: one value of {len(ONE_VALUE):,} octets; as 10,000 values, "
          f"{len(MANY_VALUES):,} octets; pieces of {PIECE >> 10} KiB")
    times = {name: [] for name in OPERATIONS}
    for _ in range(args.rounds):
        for name, (function, _) in OPERATIONS.items():
            times[name].append(time_once(function, args.loops))
    for name, (_, baseline) in OPERATIONS.items():
        best = min(times[name])
        spread = statistics.quantiles(times[name], n=4)
        ratio = f"{best / min(times[baseline]):.2f}x {baseline}" if baseline else ""
        print(f"{name:16} best {best * 1e3:8.3f} ms  (quartiles {spread[0] * 1e3:.3f}"
              f"-{spread[2] * 1e3:.3f} ms)  {ratio}")


if __name__ == "__main__":
    main()
