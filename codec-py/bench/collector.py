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
by `make bench`'s method (interleave.py: calibrated call counts, then rounds that time every
decoder once in a shuffled and rotated order). It prints the median time of each and the
median of the per-round ratios peer ÷ frozenpack with their quartiles (above 1: frozenpack
faster). The collector's thresholds are CPython's defaults.
"""

import argparse
import gc
import marshal
import pickle
import platform
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import frozenpack  # noqa: E402
from interleave import Spread, interleaved, per_round_ratios  # noqa: E402
from payloads import build, exactly_equal  # noqa: E402
from report import format_time, ratio_cell  # noqa: E402

DECODERS = {
    "frozenpack": (frozenpack.dumps, frozenpack.loads),
    "pickle": (lambda v: pickle.dumps(v, protocol=5), pickle.loads),
    "marshal": (marshal.dumps, marshal.loads),
}


def measure(value, rounds, min_time, collector_on, rng):
    """{name: [seconds per call in each round]} of each decoder's loads of its own encoding."""
    calls = {}
    for name, (dumps, loads) in DECODERS.items():
        encoded = dumps(value)
        if not exactly_equal(loads(encoded), value):
            raise SystemExit(f"{name} does not bring the payload back exactly")
        calls[name] = (loads, encoded, {})
    return interleaved(calls, rounds, min_time, rng, collector=collector_on)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true", help="small payloads, few rounds")
    parser.add_argument("--seed", type=int, default=13, help="of the rounds' orders")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
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
            times = measure(payload.value, rounds, args.min_time, collector_on, rng)
            cells = " | ".join(format_time(Spread.of(times[name]).median) for name in DECODERS)
            ratios = " | ".join(
                ratio_cell(Spread.of(per_round_ratios(times[peer], times["frozenpack"])))
                for peer in ("pickle", "marshal"))
            print(f"| {payload.title} | {'on' if collector_on else 'off'} | {cells} | {ratios} |")


if __name__ == "__main__":
    main()
