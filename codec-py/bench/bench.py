"""`make bench`: frozenpack's dumps and loads against pickle, marshal and five other formats.

For six payloads (payloads.py) and each serializer (peers.py), times dumps of the payload and
loads of that serializer's own encoding of it, and reports the time per call, the encoded size
and the ratio to frozenpack's time, then judges issue 13's Python targets (targets.py).

Every peer's round trip is checked for exact equality (types, float bits) before it is timed,
so no time in the table belongs to a path that loses information; the report says how each
peer was made to carry each payload and which peers could not.

Timing (interleave.py): --processes fresh interpreters, run one after another, each time
every payload and operation the same way: every serializer's call count calibrated once, then
--rounds rounds that time every serializer once each, in a shuffled and rotated order, so that
a change of load hits all of them alike. Several processes, as pyperf uses, let what differs
from one interpreter to the next (addresses, heap layout, hash seed) show in the spread rather
than bias one run. A time is the median of all rounds; a ratio is the median of the per-round
ratios; both are given with their spread, and a target is met or missed only when the
interquartile range of its ratio is on one side of it.

    python codec-py/bench/bench.py [--quick] [--markdown PATH] [--png PATH] [--readme PATH]
                                   [--processes N] [--rounds N] [--min-time SECONDS]
                                   [--wait-quiet LOAD]

--readme rewrites the benchmark excerpt of a README (between the markers of report.py) from
the same run. --quick builds small payloads and times each call once, in two processes of two
rounds: a smoke test of the script, whose numbers mean nothing (the targets are not judged).
"""

import argparse
import dataclasses
import datetime
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass

import report
import targets
from interleave import interleaved
from payloads import build, exactly_equal
from peers import Call, available

BASELINE = targets.PICKLE
OPERATIONS = ("dumps", "loads")


@dataclass
class Cell:
    """One serializer on one payload: seconds per call in each round, encoded octets, or why
    it cannot carry the payload."""

    dumps: list | None = None
    loads: list | None = None
    size: int | None = None
    note: str = ""
    failure: str | None = None  # set when the peer cannot carry the payload exactly


def bare_copy(data):
    """What the 10 MiB rows are held against: one new bytes object holding a copy of `data`."""
    return memoryview(data).tobytes()


BARE_COPY_NOTE = ("`memoryview(value).tobytes()`: the least any dumps or loads of these octets "
                  "can do")


def timed_call(function, argument):
    """(function, argument, keywords) for interleave.interleaved: a Call is timed written out."""
    if isinstance(function, Call):
        return function.function, argument, function.keywords
    return function, argument, {}


def run(payloads, peers, rounds, min_time, rng, progress):
    """{(payload.key, name): Cell}, name a peer's, or targets.BARE_COPY for the bulk bytes."""
    cells = {}
    for payload in payloads:
        calls = {op: {} for op in OPERATIONS}
        for peer in peers:
            cell = cells[payload.key, peer.name] = Cell()
            try:
                codec = peer.codec(payload)
                cell.note = codec.note
                encoded = codec.dumps(payload.value)
                back = codec.loads(encoded)
            except Exception as e:  # noqa: BLE001 - any failure means: cannot carry it
                cell.failure = f"{type(e).__name__}: {e}"
                continue
            if not exactly_equal(back, payload.value):
                cell.failure = "the value read back is not exactly the one written"
                continue
            cell.size = len(encoded)
            calls["dumps"][peer.name] = timed_call(codec.dumps, payload.value)
            calls["loads"][peer.name] = timed_call(codec.loads, encoded)
        if payload.is_bulk_bytes:
            cells[payload.key, targets.BARE_COPY] = Cell(note=BARE_COPY_NOTE)
            for op in OPERATIONS:
                calls[op][targets.BARE_COPY] = timed_call(bare_copy, payload.value)
        for op in OPERATIONS:
            progress(f"{payload.title}: {op}, {len(calls[op])} serializers, {rounds} rounds")
            for name, times in interleaved(calls[op], rounds, min_time, rng).items():
                setattr(cells[payload.key, name], op, times)
    return cells


# --- the machine ---------------------------------------------------------------------------------


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def wait_for_quiet(max_load, max_wait, progress, poll=15.0):
    """Wait until the 1-minute load average is at most `max_load`, for up to `max_wait` s.

    Returns what happened, for the report.
    """
    started = time.monotonic()
    while True:
        load = load_average()
        if load is None:
            return "load average unknown: not waited for"
        waited = time.monotonic() - started
        if load[0] <= max_load:
            return (f"waited {waited:.0f} s for a 1-minute load average ≤ {max_load:g}"
                    if waited >= 1 else None)
        if waited >= max_wait:
            return (f"**the 1-minute load average stayed above {max_load:g} for {waited:.0f} s: "
                    "ran anyway, on a busy machine**")
        progress(f"waiting for a 1-minute load average ≤ {max_load:g} (now {load[0]:.2f})")
        time.sleep(poll)


# --- processes ----------------------------------------------------------------------------------


def worker(args, rounds, min_time):
    """One process's share: its rounds of every payload and operation, as JSON on stdout."""
    loads_seen = []

    def progress(text):
        load = load_average()
        if load is not None:
            loads_seen.append(load[0])
        print(f"  [process {args.worker}] {text} ...", file=sys.stderr, flush=True)

    peers, _ = available()
    cells = run(build(quick=args.quick), peers, rounds, min_time, random.Random(args.seed),
                progress)
    json.dump({"cells": [[key, name, dataclasses.asdict(cell)]
                         for (key, name), cell in cells.items()],
               "loads_seen": loads_seen}, sys.stdout)


def run_processes(processes, rounds, min_time, seed, quick):
    """Cells whose times are those of `processes` fresh interpreters, one after another, each
    timing `rounds` rounds (its own seed, its own calibration), and the 1-minute load averages
    they saw."""
    cells, loads_seen = {}, []
    for index in range(processes):
        command = [sys.executable, os.path.abspath(__file__), "--worker",
                   f"{index + 1}/{processes}", "--rounds", str(rounds), "--min-time",
                   str(min_time), "--seed", str(seed + index)] + (["--quick"] if quick else [])
        result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
        answer = json.loads(result.stdout)
        loads_seen += answer["loads_seen"]
        for key, name, fields in answer["cells"]:
            cell = Cell(**fields)
            if (key, name) not in cells:
                cells[key, name] = cell
                continue
            merged = cells[key, name]
            if (merged.size, merged.failure) != (cell.size, cell.failure):
                raise RuntimeError(f"{name} on {key}: processes disagree: "
                                   f"{(merged.size, merged.failure)} and "
                                   f"{(cell.size, cell.failure)}")
            for op in OPERATIONS:
                if getattr(merged, op) is not None:
                    getattr(merged, op).extend(getattr(cell, op))
    return cells, loads_seen


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small payloads, one call per timing, 2 processes of 2 rounds (a "
                             "smoke test)")
    parser.add_argument("--markdown", metavar="PATH", help="also write the report here")
    parser.add_argument("--png", metavar="PATH", help="draw the chart here (matplotlib)")
    parser.add_argument("--readme", metavar="PATH",
                        help="rewrite the benchmark excerpt between the markers of this file")
    parser.add_argument("--processes", type=int, default=None,
                        help="fresh interpreters, run one after another (default 3; --quick: 2)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="interleaved rounds per payload and operation in each process "
                             "(default 7; --quick: 2)")
    parser.add_argument("--min-time", type=float, default=None, metavar="SECONDS",
                        help="shortest timing, which sets each call count (default 0.03; "
                             "--quick: 0)")
    parser.add_argument("--seed", type=int, default=13,
                        help="of the round orders (process i uses seed + i)")
    parser.add_argument("--wait-quiet", type=float, default=None, metavar="LOAD",
                        help="first wait until the 1-minute load average is at most LOAD")
    parser.add_argument("--max-wait", type=float, default=600.0, metavar="SECONDS",
                        help="for --wait-quiet (default 600): then run anyway, and say so")
    parser.add_argument("--worker", metavar="I/N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    processes = args.processes if args.processes is not None else (2 if args.quick else 3)
    rounds = args.rounds if args.rounds is not None else (2 if args.quick else 7)
    min_time = args.min_time if args.min_time is not None else (0.0 if args.quick else 0.03)
    if rounds < 1 or processes < 1:
        parser.error("--rounds and --processes must be at least 1")
    if args.worker:
        worker(args, rounds, min_time)
        return 0

    payloads = build(quick=args.quick)
    peers, missing = available()
    waited = None
    if args.wait_quiet is not None:
        waited = wait_for_quiet(args.wait_quiet, args.max_wait,
                                lambda text: print(f"  {text} ...", file=sys.stderr, flush=True))
    load_before = load_average()
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    cells, loads_seen = run_processes(processes, rounds, min_time, args.seed, args.quick)
    info = report.RunInfo(
        command=" ".join(["python", os.path.relpath(__file__)] + (argv or sys.argv[1:])),
        quick=args.quick, processes=processes, rounds=rounds, min_time=min_time,
        seed=args.seed, started=started, seconds=time.monotonic() - clock,
        load_before=load_before, load_after=load_average(),
        load_peak=max(loads_seen, default=None), waited=waited)
    checks = targets.check(payloads, cells)

    png_link = None
    if args.png:
        from chart import draw

        draw(args.png, payloads, [peer.name for peer in peers], cells, baseline=BASELINE,
             title="frozenpack vs others: time relative to pickle (lower is faster; median and "
                   f"quartiles of {processes} × {rounds} interleaved rounds)\n"
                   f"{report.machine()}")
        base = os.path.dirname(os.path.abspath(args.markdown)) if args.markdown else os.getcwd()
        png_link = os.path.relpath(os.path.abspath(args.png), base)
    text = report.markdown(payloads, peers, missing, cells, checks, info, png=png_link)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    if args.readme:
        report.rewrite_readme(args.readme, report.readme_excerpt(payloads, cells, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
