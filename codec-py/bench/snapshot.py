"""What decoding from a writable buffer costs: the snapshot of spec section 11.

    python codec-py/bench/snapshot.py [--rounds N] [--quick]

`frozenpack.loads` reads a `bytes` in place but copies any other buffer (bytearray, mmap,
shared memory, ...) once before decoding it, so that octets another process changes under
the decoder cannot make it return an inconsistent value. This times `loads` of each
benchmark payload's encoding held as `bytes` and as a `bytearray` (the same octets), in
interleaved rounds: each round times both, alternating which goes first, with a calibrated
number of calls, so machine load affects both alike. It prints the median time of each and
the ratio bytearray / bytes with the spread of the per-round ratios (quartiles).
"""

import argparse
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import frozenpack  # noqa: E402
from payloads import build  # noqa: E402


def _calibrate(call, min_time):
    number = 1
    while timeit.timeit(call, number=number) < min_time:
        number *= 2
    return number


def measure(payload, rounds, min_time):
    encoded = frozenpack.dumps(payload.value)
    inputs = {"bytes": encoded, "bytearray": bytearray(encoded)}
    calls = {name: (lambda data=data: frozenpack.loads(data)) for name, data in inputs.items()}
    number = _calibrate(calls["bytes"], min_time)
    times = {name: [] for name in inputs}
    for i in range(rounds):
        order = list(inputs) if i % 2 == 0 else list(reversed(inputs))
        for name in order:
            times[name].append(timeit.timeit(calls[name], number=number) / number)
    ratios = [a / b for a, b in zip(times["bytearray"], times["bytes"])]
    quartiles = statistics.quantiles(ratios, n=4)
    return {
        "octets": len(encoded),
        "bytes": statistics.median(times["bytes"]),
        "bytearray": statistics.median(times["bytearray"]),
        "ratio": statistics.median(ratios),
        "spread": (quartiles[0], quartiles[2]),
    }


def _format_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true", help="small payloads, few rounds")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else args.rounds
    print("| payload | octets | loads(bytes) | loads(bytearray) | bytearray ÷ bytes (quartiles) |")
    print("|---|--:|--:|--:|--:|")
    for payload in build(quick=args.quick):
        m = measure(payload, rounds, args.min_time)
        low, high = m["spread"]
        print(f"| {payload.title} | {m['octets']:,} | {_format_time(m['bytes'])} | "
              f"{_format_time(m['bytearray'])} | {m['ratio']:.3f} ({low:.3f}–{high:.3f}) |")


if __name__ == "__main__":
    main()
