"""What `make demo` runs: frozenpack carrying a realistic dataset between processes.

50,000 rows of (id, name, score, age or None, digest, tags), the same every run, make a round
trip through a worker process twice: once as multiprocessing sends objects (pickle, through
Connection.send and recv), once as frozenpack (Connection.send_bytes of dumps, loads of
recv_bytes; frozenpack.connection). Both must come back exactly equal (types and float bits);
the times are printed side by side. Then the annotated listing of one row shows what the
octets hold, and three inputs a reader refuses show the errors it reports. Last, 20,000 of the
rows go through an executor of 4 worker processes in chunks, as concurrent.futures sends them
(pickle) and as frozenpack.futures sends them (functions by name, values as frozenpack); both
answers must be exactly those computed here.

Run: PYTHONPATH=codec-py/python python codec-py/examples/demo.py [--rows N]
"""

import argparse
import hashlib
import multiprocessing
import random
import struct
import sys
import time
from concurrent.futures import ProcessPoolExecutor as StdlibExecutor
from multiprocessing.reduction import ForkingPickler

import frozenpack
from frozenpack.connection import recv, send
from frozenpack.futures import ProcessPoolExecutor as FrozenExecutor
from frozenpack.listing import dis

FIRST = ("Ada", "Bjørn", "Chiamaka", "Dara", "Émile", "Farah", "Gustavo", "Hana", "Ivo",
         "Jun", "Kalani", "Léa", "Mateus", "Nneka", "Oğuz", "Priya", "Quinn", "Rin", "Søren",
         "Thandiwe", "Uma", "Vikram", "Wen", "Ximena", "Yusuf", "Zoë")
LAST = ("Abara", "Berg", "Castillo", "Dubois", "Eriksen", "Fujita", "García", "Haddad",
        "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
        "Petrov", "Quispe", "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz")
TAGS = ("admin", "beta", "billing", "eu", "mobile", "newsletter", "support", "trial", "vip")


def dataset(rows, seed=7):
    """`rows` rows of (id, name, score, age or None, 16-octet digest, tags); deterministic."""
    rng = random.Random(seed)
    table = []
    for i in range(rows):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        score = round(rng.gauss(70.0, 12.0), 3)
        age = rng.randrange(18, 90) if rng.random() < 0.8 else None
        digest = hashlib.blake2b(f"{i}:{name}".encode(), digest_size=16).digest()
        tags = tuple(sorted(rng.sample(TAGS, rng.randrange(4))))
        table.append((100_000 + i, name, score, age, digest, tags))
    return tuple(table)


def exactly_equal(a, b):
    """Equality as frozenpack sees it (spec §1): same types, floats by their 64 bits.

    Independent of frozenpack, so it checks frozenpack too; iterative, for any depth.
    """
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if type(x) is not type(y):
            return False
        if type(x) is float:
            if struct.pack("<d", x) != struct.pack("<d", y):
                return False
        elif type(x) is tuple:
            if len(x) != len(y):
                return False
            pending.extend(zip(x, y))
        elif x != y:
            return False
    return True


# --- the workers: receive a value, send it back, until told to stop ------------------------------


def echo_pickle(conn):
    while (value := conn.recv()) is not None:
        conn.send(value)


def echo_frozenpack(conn):
    while (value := recv(conn)) is not None:
        send(conn, value)


def round_trips(echo, sender, receiver, value, times, ctx):
    """Send `value` to a worker running `echo` and receive it back, `times` times.

    Returns (best seconds of one round trip, the value of the last one). The worker is
    started before the clock runs, so its start-up is not counted.
    """
    parent, child = ctx.Pipe()
    worker = ctx.Process(target=echo, args=(child,))
    worker.start()
    child.close()
    best, back = float("inf"), None
    for _ in range(times):
        start = time.perf_counter()
        sender(parent, value)
        back = receiver(parent)
        best = min(best, time.perf_counter() - start)
    sender(parent, None)
    worker.join()
    parent.close()
    return best, back


# --- the executors: the same task, sent as pickles or as frozenpack ------------------------------


def high_scores(rows):
    """A task: the rows of a chunk whose score is 70 or more (about half of them)."""
    return tuple(row for row in rows if row[2] >= 70.0)


def executor_round(executor, chunks):
    """Seconds to map high_scores over the chunks, and the results (in chunk order)."""
    start = time.perf_counter()
    results = tuple(executor.map(high_scores, chunks))
    return time.perf_counter() - start, results


def compare_executors(rows, workers, chunk, times, ctx):
    """Best seconds of each executor's map, and whether its results were exact.

    One executor after the other, each started (its workers too: not timed), timed `times`
    times and shut down before the next starts, so that no thread of one is running when the
    other forks its workers.
    """
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    expected = tuple(high_scores(c) for c in chunks)
    best, exact = {}, {}
    for name, make in [("pickle", StdlibExecutor), ("frozenpack", FrozenExecutor)]:
        with make(workers, mp_context=ctx) as executor:
            list(executor.map(high_scores, [()] * workers))  # starts the workers
            rounds = [executor_round(executor, chunks) for _ in range(times)]
        best[name] = min(seconds for seconds, _ in rounds)
        exact[name] = all(exactly_equal(results, expected) for _, results in rounds)
    return len(chunks), best, exact


def _pickle_send(conn, value):
    conn.send(value)


def _pickle_recv(conn):
    return conn.recv()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--times", type=int, default=5, help="round trips; the best is shown")
    parser.add_argument("--workers", type=int, default=4, help="the executors' processes")
    parser.add_argument("--executor-rows", type=int, default=20_000,
                        help="how many of the rows go through the executors")
    parser.add_argument("--chunk", type=int, default=2_500, help="rows per executor task")
    args = parser.parse_args(argv)
    ctx = multiprocessing.get_context("spawn")

    rows = dataset(args.rows)
    encoded = frozenpack.dumps(rows)
    pickled = ForkingPickler.dumps(rows)  # what Connection.send sends
    print(f"frozenpack {frozenpack.__version__} ({frozenpack.dumps.__module__})")
    print(f"dataset: {len(rows):,} rows of (id, name, score, age or None, digest, tags), e.g.")
    print(f"  {rows[0]!r}")
    print(f"  {len(encoded):,} octets as frozenpack, {len(pickled):,} as a pickle")
    print()

    print(f"round trip through a worker process (spawn), best of {args.times}:")
    pickle_time, pickle_back = round_trips(
        echo_pickle, _pickle_send, _pickle_recv, rows, args.times, ctx)
    frozen_time, frozen_back = round_trips(echo_frozenpack, send, recv, rows, args.times, ctx)
    pickle_ok = exactly_equal(pickle_back, rows)
    frozen_ok = exactly_equal(frozen_back, rows)
    print(f"  {'pickle (Connection.send / recv)':<52} {pickle_time * 1e3:8.1f} ms   "
          f"exactly equal: {pickle_ok}")
    print(f"  {'frozenpack (send_bytes(dumps) / loads(recv_bytes))':<52} "
          f"{frozen_time * 1e3:8.1f} ms   exactly equal: {frozen_ok}")
    faster = pickle_time / frozen_time
    if faster >= 1:
        print(f"  frozenpack: {faster:.2f}x faster than pickle")
    else:
        print(f"  frozenpack: {1 / faster:.2f}x slower than pickle")
    print()

    sample = rows[1]
    print(f"the listing of one row, {sample!r}:")
    dis(frozenpack.dumps(sample))
    print()

    print("what a reader refuses, with the error's kind and offset:")
    for what, octets in [
        ("a pickle of that row", ForkingPickler.dumps(sample)),
        ("INT2 holding 100 (canonically the single octet 0x64)", bytes.fromhex("c56400")),
        ("a row cut short", frozenpack.dumps(sample)[:-3]),
    ]:
        try:
            frozenpack.loads(octets)
        except frozenpack.DecodeError as e:
            print(f"  {what}: {e.kind} at offset {e.offset}")
    print()

    # Forked (where fork is safe and available: Linux), the workers start in a fraction of the
    # time spawn takes; the demo's process has no other thread by now.
    method = "fork" if sys.platform == "linux" else "spawn"
    tasks, best, exact = compare_executors(rows[: args.executor_rows], args.workers, args.chunk,
                                           3, multiprocessing.get_context(method))
    print(f"the rows through an executor of {args.workers} worker processes ({method}, started "
          f"beforehand): map of {tasks} tasks of {args.chunk:,} rows, each answered with its rows "
          f"of score >= 70; best of 3:")
    for name, label in [("pickle", "pickle (concurrent.futures.ProcessPoolExecutor)"),
                        ("frozenpack", "frozenpack (frozenpack.futures.ProcessPoolExecutor)")]:
        print(f"  {label:<52} {best[name] * 1e3:8.1f} ms   exactly equal: {exact[name]}")
    faster = best["pickle"] / best["frozenpack"]
    if faster >= 1:
        print(f"  frozenpack: {faster:.2f}x faster than pickle")
    else:
        print(f"  frozenpack: {1 / faster:.2f}x slower than pickle")
    return 0 if pickle_ok and frozen_ok and all(exact.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
