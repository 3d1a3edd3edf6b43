"""What decoding from a writable buffer costs: the snapshot of spec section 11.

    python codec-py/bench/snapshot.py [--rounds N] [--quick]

`frozenpack.loads` reads a `bytes` in place but copies any other buffer (bytearray, mmap,
shared memory, ...) once before decoding it, so that octets another process changes under
the decoder cannot make it return an inconsistent value. This times `loads` of each
benchmark payload's encoding held as `bytes` and as a `bytearray` (the same octets), in
interleaved rounds by `make bench`'s method (interleave.py: calibrated call counts, then
rounds that time both in a shuffled and rotated order), so machine load affects both alike.
It prints the median time of each and the ratio bytearray / bytes with the spread of the
per-round ratios (quartiles).
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import frozenpack  # noqa: E402
from interleave import Spread, interleaved, per_round_ratios  # noqa: E402
from payloads import build  # noqa: E402
from report import format_time  # noqa: E402


def measure(payload, rounds, min_time, rng):
    encoded = frozenpack.dumps(payload.value)
    calls = {name: (frozenpack.loads, data, {})
             for name, data in (("bytes", encoded), ("bytearray", bytearray(encoded)))}
    times = interleaved(calls, rounds, min_time, rng)
    ratio = Spread.of(per_round_ratios(times["bytearray"], times["bytes"]))
    return {
        "octets": len(encoded),
        "bytes": Spread.of(times["bytes"]).median,
        "bytearray": Spread.of(times["bytearray"]).median,
        "ratio": ratio.median,
        "spread": (ratio.q1, ratio.q3),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true", help="small payloads, few rounds")
    parser.add_argument("--seed", type=int, default=13, help="of the rounds' orders")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    rounds = 5 if args.quick else args.rounds
    print("| payload | octets | loads(bytes) | loads(bytearray) | bytearray ÷ bytes (quartiles) |")
    print("|---|--:|--:|--:|--:|")
    for payload in build(quick=args.quick):
        m = measure(payload, rounds, args.min_time, rng)
        low, high = m["spread"]
        print(f"| {payload.title} | {m['octets']:,} | {format_time(m['bytes'])} | "
              f"{format_time(m['bytearray'])} | {m['ratio']:.3f} ({low:.3f}–{high:.3f}) |")


if __name__ == "__main__":
    main()
