"""`make bench-workers`: pickle against frozenpack wherever Python spreads work out.

For the rows, ints and bytes payloads (payloads.py), times one round trip of the payload through
each transport: sent to a worker, decoded there, encoded again, sent back and decoded here.

  processes     Connection.send/recv against frozenpack.connection.send/recv and against
                Connection.send(frozenpack.wrap(value)); concurrent.futures.ProcessPoolExecutor
                and multiprocessing.Pool with the value against with wrap(value) (the bridge);
                the standard ProcessPoolExecutor against frozenpack.futures.ProcessPoolExecutor,
                for one call and for a map over the payload's items (chunks of 1,000).
  interpreters  (CPython 3.13+) frozenpack.interpreters.InterpreterPoolExecutor against the
                same executor carrying pickles, and against CPython's own shareable types
                (_interpreters.exec's shared values there, _interpqueues back).
  dask          (distributed installed) scatter + gather on a LocalCluster of two worker
                processes, Client(serializers=["dask", "pickle"]) against frozenpack.dask's
                ["frozenpack", "dask", "pickle"], plain and wrapped; and client.map of a task
                over 8 chunks of 10,000 rows (args in the graph: plain against wrapped), its
                results plain tuples or, in a third variant, returned as wrap(result).

Method: every round trip is checked to bring the payload back exactly before it is timed. Then
the variants of a payload are timed in interleaved rounds (each round times every variant once,
in an order rotated from round to round), so that a change of load hits all of them alike. A
cell is the median of the rounds, ± half the interquartile range; a ratio is the median of the
per-round ratios (pickle ÷ frozenpack, above 1: frozenpack faster) with their interquartile
range. Workers are started (spawn) and warmed before any timing.

    python codec-py/bench/workers.py [--quick] [--only processes,interpreters,dask]
"""

import argparse
import gc
import multiprocessing
import os
import pickle
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor as StdlibExecutor
from contextlib import ExitStack

import worker_tasks as tasks
from interleave import Spread, per_round_ratios
from payloads import build, exactly_equal
from report import time_cell

import frozenpack
from frozenpack import wrap
from frozenpack.connection import recv, send
from frozenpack.futures import ProcessPoolExecutor as FrozenExecutor

PAYLOAD_KEYS = ("rows", "int64", "bytes")
SECTIONS = ("processes", "interpreters", "dask")
MAP_CHUNK = 1000


# --- measuring -----------------------------------------------------------------------------------


def interleaved(variants, value, rounds, expected=None):
    """{name: [seconds of each round]} for variants {name: function(value) -> value back}."""
    expected = value if expected is None else expected
    for name, function in variants.items():  # warm, and check
        back = function(value)
        if not exactly_equal(back, expected):
            raise AssertionError(f"{name}: the value that came back is not the one sent")
    names = list(variants)
    samples = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            function = variants[name]
            gc.collect()
            started = time.perf_counter()
            function(value)
            samples[name].append(time.perf_counter() - started)
    return samples


def ratio(pickle_samples, frozen_samples):
    """The median per-round ratio pickle ÷ frozenpack, in bold, with its quartiles."""
    spread = Spread.of(per_round_ratios(pickle_samples, frozen_samples))
    return f"**{spread.median:.2f}** ({spread.q1:.2f}–{spread.q3:.2f})"


class Table:
    def __init__(self, title):
        self.title = title
        self.rows = []

    def add(self, transport, payload, pickle_name, frozen_name, samples):
        self.rows.append((transport, payload, pickle_name, frozen_name,
                          time_cell(samples[pickle_name]), time_cell(samples[frozen_name]),
                          ratio(samples[pickle_name], samples[frozen_name])))

    def print(self):
        print(f"\n## {self.title}\n")
        print("| transport | payload | pickle | frozenpack | pickle ÷ frozenpack |")
        print("|---|---|--:|--:|--:|")
        for transport, payload, pname, fname, pcell, fcell, r in self.rows:
            print(f"| {transport} | {payload} | {pcell} ({pname}) | {fcell} ({fname}) | {r} |")
        sys.stdout.flush()


def progress(message):
    print(f"... {message}", file=sys.stderr, flush=True)


# --- processes -----------------------------------------------------------------------------------


def _connection(stack, ctx, serve):
    parent, child = ctx.Pipe()
    process = ctx.Process(target=serve, args=(child,))
    process.start()
    child.close()

    def stop():
        parent.send(None) if serve is not tasks.serve_frozenpack else send(parent, None)
        process.join()
        parent.close()

    stack.callback(stop)
    return parent


def bench_processes(payloads, rounds, table):
    ctx = multiprocessing.get_context("spawn")
    with ExitStack() as stack:
        progress("starting the workers (spawn)")
        c_pickle = _connection(stack, ctx, tasks.serve_pickle)
        c_frozen = _connection(stack, ctx, tasks.serve_frozenpack)
        c_wrapped = _connection(stack, ctx, tasks.serve_wrapped)
        stdlib = stack.enter_context(StdlibExecutor(1, mp_context=ctx))
        frozen = stack.enter_context(FrozenExecutor(1, mp_context=ctx))
        pool = stack.enter_context(ctx.Pool(1))
        stdlib2 = stack.enter_context(StdlibExecutor(2, mp_context=ctx))
        frozen2 = stack.enter_context(FrozenExecutor(2, mp_context=ctx))

        def conn_pickle(v):
            c_pickle.send(v)
            return c_pickle.recv()

        def conn_frozen(v):
            send(c_frozen, v)
            return recv(c_frozen, max_depth=1 << 30)

        def conn_wrapped(v):
            c_wrapped.send(wrap(v))
            return c_wrapped.recv()

        variants = {
            "Connection.send": conn_pickle,
            "frozenpack.connection": conn_frozen,
            "send(wrap(v))": conn_wrapped,
            "submit(f, v)": lambda v: stdlib.submit(tasks.echo, v).result(),
            "submit(f, wrap(v))": lambda v: stdlib.submit(tasks.echo_wrapped, wrap(v)).result(),
            "apply(f, (v,))": lambda v: pool.apply(tasks.echo, (v,)),
            "apply(f, (wrap(v),))": lambda v: pool.apply(tasks.echo_wrapped, (wrap(v),)),
            "frozenpack.futures": lambda v: frozen.submit(tasks.echo, v).result(),
        }
        for payload in payloads:
            progress(f"processes: {payload.title}")
            samples = interleaved(variants, payload.value, rounds)
            table.add("Connection (a pipe to a worker process)", payload.title,
                      "Connection.send", "frozenpack.connection", samples)
            table.add("Connection, the bridge", payload.title, "Connection.send",
                      "send(wrap(v))", samples)
            table.add("concurrent.futures.ProcessPoolExecutor, the bridge", payload.title,
                      "submit(f, v)", "submit(f, wrap(v))", samples)
            table.add("multiprocessing.Pool, the bridge", payload.title, "apply(f, (v,))",
                      "apply(f, (wrap(v),))", samples)
            table.add("executor: stdlib against frozenpack.futures", payload.title,
                      "submit(f, v)", "frozenpack.futures", samples)
            if payload.key == "bytes":
                continue
            items = payload.value
            maps = {
                "stdlib map": lambda v: tuple(stdlib2.map(tasks.echo, v, chunksize=MAP_CHUNK)),
                "frozenpack.futures map":
                    lambda v: tuple(frozen2.map(tasks.echo, v, chunksize=MAP_CHUNK)),
            }
            samples = interleaved(maps, items, rounds)
            table.add(f"executor map over the items, chunks of {MAP_CHUNK:,}, 2 workers",
                      payload.title, "stdlib map", "frozenpack.futures map", samples)


# --- sub-interpreters ----------------------------------------------------------------------------


def bench_interpreters(payloads, rounds, table):
    from frozenpack import interpreters

    if not interpreters.AVAILABLE:
        progress(f"interpreters: skipped ({interpreters._UNAVAILABLE})")
        return
    import _interpreters
    import _interpqueues  # the 3.13 signatures: create(maxsize, fmt, unboundop), put(.., fmt, op)

    interp = _interpreters.create(_interpreters.new_config("isolated"))
    qid = _interpqueues.create(0, 0, 1)
    _interpreters.exec(interp, "import _interpqueues")
    _interpreters.set___main___attrs(interp, {"QID": qid})
    try:
        with interpreters.InterpreterPoolExecutor(1) as executor:
            def shareable(v):
                failure = _interpreters.exec(interp, "_interpqueues.put(QID, V, 0, 1)\ndel V",
                                             {"V": v})
                assert failure is None, failure
                return _interpqueues.get(qid)[0]

            variants = {
                "frozenpack": lambda v: executor.submit(tasks.echo, v).result(),
                "pickle": lambda v: pickle.loads(executor.submit(
                    tasks.echo_pickled, pickle.dumps(v, protocol=5)).result()),
                "shareable": shareable,
            }
            for payload in payloads:
                progress(f"interpreters: {payload.title}")
                samples = interleaved(variants, payload.value, rounds)
                table.add("InterpreterPoolExecutor: pickles against frozenpack", payload.title,
                          "pickle", "frozenpack", samples)
                table.add("CPython's shareable types against frozenpack", payload.title,
                          "shareable", "frozenpack", samples)
    finally:
        _interpqueues.destroy(qid)
        _interpreters.destroy(interp)


# --- Dask ----------------------------------------------------------------------------------------


def bench_dask(payloads, rounds, int_rounds, table):
    try:
        import distributed

        import frozenpack.dask
    except ImportError:
        progress("dask: skipped (distributed is not installed)")
        return
    import logging

    progress("dask: starting a LocalCluster of 2 worker processes on 127.0.0.1")
    with ExitStack() as stack:
        cluster = stack.enter_context(distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, preload=["frozenpack.dask"], silence_logs=logging.ERROR))
        plain = stack.enter_context(distributed.Client(cluster))
        frozen = stack.enter_context(distributed.Client(
            cluster, serializers=frozenpack.dask.SERIALIZERS,
            deserializers=frozenpack.dask.SERIALIZERS))

        def round_trip(client, v):
            [future] = client.scatter([v], hash=False)
            back = future.result()
            future.release()
            return back

        variants = {
            "dask, pickle": lambda v: round_trip(plain, v),
            "frozenpack": lambda v: round_trip(frozen, v),
            "frozenpack, wrap(v)": lambda v: round_trip(frozen, wrap(v)),
        }
        for payload in payloads:
            progress(f"dask: {payload.title}")
            n = int_rounds if payload.key == "int64" else rounds
            samples = interleaved(variants, payload.value, n)
            table.add("Dask scatter + gather", payload.title, "dask, pickle", "frozenpack",
                      samples)
            table.add("Dask scatter + gather, wrapped", payload.title, "dask, pickle",
                      "frozenpack, wrap(v)", samples)
        rows = next(p for p in payloads if p.key == "rows").value
        chunks = [rows[i:] + rows[:i] for i in range(0, 8 * 1250, 1250)]
        expected = tuple(tasks.reverse_rows(chunk) for chunk in chunks)

        def map_pickle(cs):
            return tuple(plain.gather(plain.map(tasks.reverse_rows, cs, pure=False)))

        def map_frozen(cs):
            futures = frozen.map(tasks.reverse_rows, [wrap(c) for c in cs], pure=False)
            return tuple(frozen.gather(futures))

        # A result that is a tuple is gathered an item at a time, whatever the family (see
        # frozenpack.dask); a task that returns wrap(result) sends its chunk as one frame.
        def map_frozen_wrapped(cs):
            futures = frozen.map(tasks.reverse_rows_wrapped, [wrap(c) for c in cs], pure=False)
            return tuple(frozen.gather(futures))

        progress(f"dask: map over {len(chunks)} chunks of {len(rows):,} rows")
        samples = interleaved({"map, pickle": map_pickle, "map, frozenpack": map_frozen,
                               "map, frozenpack, results wrapped": map_frozen_wrapped},
                              chunks, rounds, expected=expected)
        title = f"Dask client.map, {len(chunks)} chunks of {len(rows):,} rows"
        total = f"{len(chunks) * len(rows):,} rows"
        table.add(title, total, "map, pickle", "map, frozenpack", samples)
        table.add(title + ", results wrapped", total, "map, pickle",
                  "map, frozenpack, results wrapped", samples)


# --- the run -------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small payloads, 3 rounds: a smoke test whose numbers mean nothing")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--dask-rounds", type=int, default=7)
    parser.add_argument("--dask-int-rounds", type=int, default=3,
                        help="for 100,000 ints, which distributed sends one by one (slow)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    sections = args.only.split(",")
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    rounds = 3 if args.quick else args.rounds
    payloads = [p for p in build(quick=args.quick) if p.key in PAYLOAD_KEYS]

    load = os.getloadavg()
    run = "--quick" if args.quick else "full run"
    print(f"# frozenpack across processes, interpreters and machines ({run})")
    print()
    print(f"frozenpack {frozenpack.__version__}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start; {rounds} interleaved rounds "
          f"(Dask: {min(rounds, args.dask_rounds)}, its ints {min(rounds, args.dask_int_rounds)}). "
          "Cells: median ± half the interquartile range; ratios: median (interquartile range) "
          "of the per-round ratios, above 1 when frozenpack is faster.")
    if args.quick:
        print("\nNot judged: --quick numbers mean nothing.")
    started = time.perf_counter()
    if "processes" in sections:
        table = Table("Processes")
        bench_processes(payloads, rounds, table)
        table.print()
    if "interpreters" in sections:
        table = Table("Sub-interpreters (CPython 3.13+)")
        bench_interpreters(payloads, rounds, table)
        if table.rows:
            table.print()
    if "dask" in sections:
        table = Table("Dask (distributed, LocalCluster of 2 worker processes)")
        bench_dask(payloads, min(rounds, args.dask_rounds), min(rounds, args.dask_int_rounds),
                   table)
        if table.rows:
            table.print()
    load = os.getloadavg()
    print(f"\n{time.perf_counter() - started:.0f} s; load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} at the end.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
