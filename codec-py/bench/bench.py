"""`make bench`: frozenpack's dumps and loads against pickle, marshal and five other formats.

For six payloads (payloads.py) and each serializer (peers.py), times dumps of the payload and
loads of that serializer's own encoding of it, and reports the time per call, the encoded size
and the ratio to frozenpack's time, then judges issue 13's Python targets (targets.py).

Every peer's round trip is checked for exact equality (types, float bits) before it is timed,
so no time in the table belongs to a path that loses information; the report says how each
peer was made to carry each payload and which peers could not.

Timing (interleave.py): per payload and operation, each serializer's call count is calibrated
once, then --rounds rounds time every serializer once each, in a shuffled and rotated order,
so that a change of load hits all of them alike. A time is the median of the rounds; a ratio
is the median of the per-round ratios; both are given with their spread, and a target is met
or missed only when the interquartile range of its ratio is on one side of it.

    python codec-py/bench/bench.py [--quick] [--markdown PATH] [--png PATH] [--readme PATH]
                                   [--rounds N] [--min-time SECONDS] [--wait-quiet LOAD]

--readme rewrites the benchmark excerpt of a README (between the markers of report.py) from
the same run. --quick builds small payloads and times each call once in three rounds: a
smoke test of the script, whose numbers mean nothing (the targets are then not judged).
"""

import argparse
import datetime
import os
import random
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small payloads, one call per timing, 3 rounds (a smoke test)")
    parser.add_argument("--markdown", metavar="PATH", help="also write the report here")
    parser.add_argument("--png", metavar="PATH", help="draw the chart here (matplotlib)")
    parser.add_argument("--readme", metavar="PATH",
                        help="rewrite the benchmark excerpt between the markers of this file")
    parser.add_argument("--rounds", type=int, default=None,
                        help="interleaved rounds per payload and operation (default 15; "
                             "--quick: 3)")
    parser.add_argument("--min-time", type=float, default=None, metavar="SECONDS",
                        help="shortest timing, which sets each call count (default 0.04; "
                             "--quick: 0)")
    parser.add_argument("--seed", type=int, default=13, help="of the round orders")
    parser.add_argument("--wait-quiet", type=float, default=None, metavar="LOAD",
                        help="first wait until the 1-minute load average is at most LOAD")
    parser.add_argument("--max-wait", type=float, default=600.0, metavar="SECONDS",
                        help="for --wait-quiet (default 600): then run anyway, and say so")
    args = parser.parse_args(argv)
    rounds = args.rounds if args.rounds is not None else (3 if args.quick else 15)
    min_time = args.min_time if args.min_time is not None else (0.0 if args.quick else 0.04)
    if rounds < 1:
        parser.error("--rounds must be at least 1")

    payloads = build(quick=args.quick)
    peers, missing = available()
    loads_seen = []

    def progress(text):
        load = load_average()
        if load is not None:
            loads_seen.append(load[0])
        print(f"  {text} ...", file=sys.stderr, flush=True)

    waited = None
    if args.wait_quiet is not None:
        waited = wait_for_quiet(args.wait_quiet, args.max_wait, progress)
    loads_seen.clear()
    load_before = load_average()
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.monotonic()
    cells = run(payloads, peers, rounds, min_time, random.Random(args.seed), progress)
    info = report.RunInfo(
        command=" ".join(["python", os.path.relpath(__file__)] + (argv or sys.argv[1:])),
        quick=args.quick, rounds=rounds, min_time=min_time, seed=args.seed,
        started=started, seconds=time.monotonic() - clock,
        load_before=load_before, load_after=load_average(),
        load_peak=max(loads_seen, default=None), waited=waited)
    checks = targets.check(payloads, cells)

    png_link = None
    if args.png:
        from chart import draw

        draw(args.png, payloads, [peer.name for peer in peers], cells, baseline=BASELINE,
             title="frozenpack vs others: time relative to pickle (lower is faster; median and "
                   f"quartiles of {rounds} interleaved rounds)\n{report.machine()}")
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
