"""Sensor readings summarised in worker processes, sent to them and back as frozenpack.

frozenpack.futures.ProcessPoolExecutor is a concurrent.futures executor whose calls travel as
frozenpack instead of pickles: `summarize` is sent by name (it is looked up in the worker, so
it must be a module-level function), the chunks of readings and the summaries as frozenpack
octets, exactly (every float bit) and without the worker unpickling anything.

The example summarises 200,000 deterministic readings, (station, time, temperature, note or
None), in chunks spread over the workers with `map`, and checks the merged result against the
same computation done in this process.

Run: PYTHONPATH=codec-py/python python codec-py/examples/worker_pool.py [--workers 4]
"""

import argparse
import multiprocessing
import random
import sys
import time

from frozenpack.futures import ProcessPoolExecutor

STATIONS = ("Aberdeen", "Bergen", "Cork", "Dunedin", "Esbjerg", "Faro", "Galway", "Hobart")


def readings(count, seed=2026):
    """`count` readings (station, unix time, temperature, note or None), the same every run."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        note = None if rng.random() < 0.9 else rng.choice(("gust", "sensor reset", "ice"))
        rows.append((rng.choice(STATIONS), 1_700_000_000 + 60 * i, rng.uniform(-30.0, 45.0), note))
    return rows


def summarize(rows):
    """Per station: (station, readings, sum, min, max, notes) for a chunk of readings."""
    table = {}
    for station, _, temperature, note in rows:
        entry = table.get(station)
        if entry is None:
            entry = table[station] = [0, 0.0, temperature, temperature, 0]
        entry[0] += 1
        entry[1] += temperature
        entry[2] = min(entry[2], temperature)
        entry[3] = max(entry[3], temperature)
        entry[4] += note is not None
    return tuple((station, *entry) for station, entry in sorted(table.items()))


def merge(summaries):
    """Merge per-chunk summaries, in chunk order, into one (the sums add up in that order)."""
    table = {}
    for summary in summaries:
        for station, count, total, low, high, notes in summary:
            entry = table.setdefault(station, [0, 0.0, low, high, 0])
            entry[0] += count
            entry[1] += total
            entry[2] = min(entry[2], low)
            entry[3] = max(entry[3], high)
            entry[4] += notes
    return tuple((station, *entry) for station, entry in sorted(table.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=10_000, help="readings per task")
    parser.add_argument("--start-method", default="spawn",
                        choices=multiprocessing.get_all_start_methods())
    args = parser.parse_args(argv)

    rows = readings(args.rows)
    chunks = [tuple(rows[i : i + args.chunk]) for i in range(0, len(rows), args.chunk)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=args.start_method) as executor:
        merged = merge(executor.map(summarize, chunks))
    elapsed = time.perf_counter() - started
    # The same chunks, summarised here: the workers' floats must match to the last bit, which
    # == on floats checks (no NaN can arise here).
    expected = merge(summarize(chunk) for chunk in chunks)

    print(f"{args.workers} workers ({args.start_method}), {len(rows)} readings "
          f"in {len(chunks)} tasks of up to {args.chunk}, {elapsed:.2f} s with start-up")
    print(f"{'station':<10} {'readings':>8} {'mean':>7} {'min':>7} {'max':>7} {'notes':>5}")
    for station, count, total, low, high, notes in merged:
        print(f"{station:<10} {count:>8} {total / count:>7.2f} {low:>7.2f} {high:>7.2f} "
              f"{notes:>5}")
    same = merged == expected
    print(f"same as computed in this process: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
