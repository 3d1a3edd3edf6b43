"""A pool of worker processes that exchange tuples with frozenpack instead of pickle.

Each worker is connected to the parent by its own pipe. The parent sends a task as the
frozenpack encoding of (index, args), the worker answers (index, True, result) or
(index, False, "what went wrong"), and nothing but frozenpack octets crosses the pipes once
the workers have started: a worker cannot be made to run code by what it is sent, and every
int, float bit and surrogate arrives exactly. Only the function itself is handed to the
workers by the start method (by reference, as multiprocessing always does), so it must be a
module-level function.

The example summarises 200,000 deterministic sensor readings, (station, time, temperature,
note or None), in chunks spread over the pool, and checks the merged result against the same
computation done in this process.

Run: PYTHONPATH=codec-py/python python codec-py/examples/worker_pool.py [--workers 4]
"""

import argparse
import multiprocessing
import random
import sys
from multiprocessing.connection import wait

from frozenpack.connection import recv, send

_STOP = ()  # a task is (index, args), never empty


def _serve(conn, function):
    """A worker: run `function` on each task received until told to stop."""
    while True:
        task = recv(conn)
        if task == _STOP:
            return
        index, args = task
        try:
            result = function(*args)
            send(conn, (index, True, result))
        except Exception as e:  # the parent raises it; the worker lives on
            send(conn, (index, False, f"{type(e).__name__}: {e}"))


class FrozenPool:
    """`workers` processes running `function`; arguments and results travel as frozenpack.

    Use as a context manager; `map(args_list)` returns [function(*args) for args in
    args_list], computed in the workers, in order. Arguments and results must be frozenpack
    values (None, bool, int, float, str, bytes, tuples of these). If the function raises, map
    raises RuntimeError naming the task and the worker's exception.
    """

    def __init__(self, function, workers, *, ctx=None):
        ctx = ctx or multiprocessing.get_context()
        self._conns = []
        self._processes = []
        for _ in range(workers):
            parent_end, child_end = ctx.Pipe()
            process = ctx.Process(target=_serve, args=(child_end, function), daemon=True)
            process.start()
            child_end.close()  # so a dead worker shows as EOF on parent_end
            self._conns.append(parent_end)
            self._processes.append(process)

    def map(self, args_list):
        tasks = list(enumerate(args_list))
        results = [None] * len(tasks)
        pending = iter(tasks)
        busy = set()
        # Keep one task in flight per worker: a worker gets its next task when it answers.
        for conn in self._conns:
            task = next(pending, None)
            if task is None:
                break
            send(conn, task)
            busy.add(conn)
        while busy:
            for conn in wait(busy):
                index, ok, result = recv(conn)
                if not ok:
                    raise RuntimeError(f"task {index} failed in a worker: {result}")
                results[index] = result
                task = next(pending, None)
                if task is None:
                    busy.discard(conn)
                else:
                    send(conn, task)
        return results

    def close(self):
        """Stop the workers once they have answered every task sent, and wait for them."""
        for conn in self._conns:
            send(conn, _STOP)
        for process in self._processes:
            process.join()
        for conn in self._conns:
            conn.close()

    def terminate(self):
        """Stop the workers at once (after an error, answers may still be in flight)."""
        for process in self._processes:
            process.terminate()
            process.join()
        for conn in self._conns:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()
        else:
            self.terminate()


# --- the example's data and task -----------------------------------------------------------------

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
    ctx = multiprocessing.get_context(args.start_method)
    with FrozenPool(summarize, args.workers, ctx=ctx) as pool:
        summaries = pool.map([(chunk,) for chunk in chunks])
    merged = merge(summaries)
    # The same chunks, summarised here: the workers' floats must match to the last bit, which
    # == on floats checks (no NaN can arise here).
    expected = merge(summarize(chunk) for chunk in chunks)

    print(f"{args.workers} workers ({args.start_method}), {len(rows)} readings "
          f"in {len(chunks)} tasks of up to {args.chunk}")
    print(f"{'station':<10} {'readings':>8} {'mean':>7} {'min':>7} {'max':>7} {'notes':>5}")
    for station, count, total, low, high, notes in merged:
        print(f"{station:<10} {count:>8} {total / count:>7.2f} {low:>7.2f} {high:>7.2f} "
              f"{notes:>5}")
    same = merged == expected
    print(f"same as computed in this process: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
