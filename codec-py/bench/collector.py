"""What the cyclic garbage collector adds to loads: frozenpack against pickle and marshal.

    python codec-py/bench/collector.py [--rounds N] [--quick]

`make bench` times with the collector off, as `timeit` does, so that a collection triggered by
one serializer's allocations is not charged to another's. Programs run with it on, and then a
decoder's tuples cost more than their allocation: CPython tracks every new tuple, and the
collections that its allocations trigger examine the tracked ones. frozenpack's decoder
untracks its tuples as it makes them (they hold only atoms and such tuples, so they can never
be in a cycle); pickle and marshal leave theirs tracked until a collection examines them.

This times `loads` of each benchmark payload (not the 10 MiB bytes: one object, no tuples) by
frozenpack, pickle and marshal, each on its own encoding, with the collector off and then on,
in interleaved rounds: each round times every serializer once, in an order rotated from round
to round, with a calibrated number of calls. It prints the median time of each and the
median of the per-round ratios peer ÷ frozenpack with their quartiles (above 1: frozenpack
faster). The collector's thresholds are CPython's defaults.
"""

import argparse
import gc
import marshal
import pickle
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import frozenpack  # noqa: E402
from payloads import build, exactly_equal  # noqa: E402

DECODERS = {
    "frozenpack": (frozenpack.dumps, frozenpack.loads),
    "pickle": (lambda v: pickle.dumps(v, protocol=5), pickle.loads),
    "marshal": (marshal.dumps, marshal.loads),
}


def _run(loads, data, number):
    """Seconds per call of `loads(data)` over `number` calls, the collector as it is set."""
    start = time.perf_counter()
    for _ in range(number):
        loads(data)
    return (time.perf_counter() - start) / number


def _calibrate(loads, data, min_time):
    number = 1
    while _run(loads, data, number) * number < min_time:
        number *= 2
    return number


def measure(value, rounds, min_time, collector_on):
    """{name: (median seconds per call, [per-round seconds])} for each decoder."""
    encoded = {name: dumps(value) for name, (dumps, _) in DECODERS.items()}
    for name, (_, loads) in DECODERS.items():
        if not exactly_equal(loads(encoded[name]), value):
            raise SystemExit(f"{name} does not bring the payload back exactly")
    numbers = {name: _calibrate(loads, encoded[name], min_time)
               for name, (_, loads) in DECODERS.items()}
    times = {name: [] for name in DECODERS}
    names = list(DECODERS)
    try:
        if collector_on:
            gc.enable()
        else:
            gc.disable()
        for i in range(rounds):
            shift = i % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(_run(DECODERS[name][1], encoded[name], numbers[name]))
    finally:
        gc.enable()
    return times


def _format_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _ratio(peer, ours):
    ratios = [p / f for p, f in zip(peer, ours)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.2f} ({low:.2f}–{high:.2f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true", help="small payloads, few rounds")
    args = parser.parse_args(argv)
    rounds = 4 if args.quick else args.rounds
    print(f"CPython {platform.python_version()}, frozenpack {frozenpack.__version__}, "
          f"collector thresholds {gc.get_threshold()}, {rounds} interleaved rounds")
    print()
    print("| payload | collector | frozenpack | pickle | marshal | pickle ÷ frozenpack | "
          "marshal ÷ frozenpack |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for payload in build(quick=args.quick):
        if payload.is_bulk_bytes:
            continue
        for collector_on in (False, True):
            times = measure(payload.value, rounds, args.min_time, collector_on)
            cells = " | ".join(_format_time(statistics.median(times[name]))
                               for name in DECODERS)
            print(f"| {payload.title} | {'on' if collector_on else 'off'} | {cells} | "
                  f"{_ratio(times['pickle'], times['frozenpack'])} | "
                  f"{_ratio(times['marshal'], times['frozenpack'])} |")


if __name__ == "__main__":
    main()
