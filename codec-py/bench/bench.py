"""`make bench`: frozenpack's dumps and loads against pickle, marshal and five other formats.

In one process, for six payloads (payloads.py) and each serializer (peers.py), times dumps of
the payload and loads of that serializer's own encoding of it, and reports the time per call,
the encoded size and the ratio to frozenpack's time, then checks the targets of issue 4:

  - dumps at least 2x faster than pickle on every payload but the 10 MiB bytes;
  - loads at least 1.3x faster than pickle on the small tuple, the rows and the deep tuple;
  - no cell more than 10% slower than marshal (and the aim: the fastest cell of every row);
  - the 10 MiB bytes: dumps and loads within 1.2x of a bare copy of 10 MiB.

Every peer's round trip is checked for exact equality (types, float bits) before it is timed,
so no time in the table belongs to a path that loses information; the table says how each peer
was made to carry each payload and which peers could not.

Timing is timeit's: a call count chosen so that one run takes at least --min-time seconds, then
the best of --repeat runs, with the garbage collector off during runs (as timeit does).

    python codec-py/bench/bench.py [--quick] [--markdown PATH] [--png PATH]

--quick builds small payloads and times each call once: a smoke test of the script, whose
numbers mean nothing (the targets are then not judged).
"""

import argparse
import datetime
import os
import platform
import sys
import timeit
from dataclasses import dataclass

import frozenpack
from payloads import build, exactly_equal
from peers import available

BASELINE = "pickle (protocol 5)"


@dataclass
class Cell:
    """One serializer on one payload: seconds per call, encoded octets, or why not."""

    dumps: float | None = None
    loads: float | None = None
    size: int | None = None
    note: str = ""
    failure: str | None = None  # set when the peer cannot carry the payload exactly


# --- measuring ---------------------------------------------------------------------------------


def measure(function, argument, min_time, repeat):
    """Seconds per call of function(argument): best of `repeat` runs of a calibrated count."""
    timer = timeit.Timer("function(argument)",
                         globals={"function": function, "argument": argument})
    number = 1
    while True:  # as Timer.autorange: 1, 2, 5, 10, 20, 50, ... calls until a run is long enough
        elapsed = timer.timeit(number)
        if elapsed >= min_time:
            break
        number = number * 5 // 2 if str(number)[0] == "2" else number * 2
    best = elapsed / number
    for _ in range(repeat - 1):
        best = min(best, timer.timeit(number) / number)
    return best


def bare_copy(data):
    """What the 10 MiB rows are held against: one new bytes object holding a copy of `data`."""
    return memoryview(data).tobytes()


def run(payloads, peers, min_time, repeat, progress):
    """{(payload.key, peer.name): Cell} and {payload.key: seconds of a bare copy}."""
    cells, copies = {}, {}
    for payload in payloads:
        if payload.is_bulk_bytes:
            # Timed before and after the serializers, the best kept: how fast a 10 MiB
            # allocation is depends on the allocator's state, which the runs between change.
            progress(f"{payload.title}: bare copy")
            copies[payload.key] = measure(bare_copy, payload.value, min_time, repeat)
        for peer in peers:
            progress(f"{payload.title}: {peer.name}")
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
            cell.dumps = measure(codec.dumps, payload.value, min_time, repeat)
            cell.loads = measure(codec.loads, encoded, min_time, repeat)
        if payload.is_bulk_bytes:
            progress(f"{payload.title}: bare copy, again")
            copies[payload.key] = min(copies[payload.key],
                                      measure(bare_copy, payload.value, min_time, repeat))
    return cells, copies


# --- judging ------------------------------------------------------------------------------------


@dataclass
class Check:
    target: str
    where: str
    measured: str
    met: bool


def check_targets(payloads, peers, cells, copies):
    checks = []
    fp = "frozenpack"

    def ratio(payload, peer, op):
        """peer's time ÷ frozenpack's, or None if either has no time."""
        mine, theirs = getattr(cells[payload.key, fp], op), getattr(cells[payload.key, peer], op)
        return None if mine is None or theirs is None else theirs / mine

    for payload in payloads:
        if payload.is_bulk_bytes:
            continue
        r = ratio(payload, BASELINE, "dumps")
        checks.append(Check("dumps ≥ 2× faster than pickle", payload.title,
                            _times_faster(r), r is not None and r >= 2.0))
    for payload in payloads:
        if payload.key not in ("small", "rows", "deep"):
            continue
        r = ratio(payload, BASELINE, "loads")
        checks.append(Check("loads ≥ 1.3× faster than pickle", payload.title,
                            _times_faster(r), r is not None and r >= 1.3))
    for payload in payloads:
        for op in ("dumps", "loads"):
            r = ratio(payload, "marshal", op)
            # frozenpack's time ÷ marshal's = 1 / r; at most 1.1 is met.
            measured = "n/a" if r is None else f"{1 / r:.2f}× marshal's time"
            checks.append(Check("≤ 10% slower than marshal", f"{payload.title}, {op}",
                                measured, r is not None and 1 / r <= 1.1))
    for payload in payloads:
        for op in ("dumps", "loads"):
            times = {peer.name: getattr(cells[payload.key, peer.name], op) for peer in peers}
            times = {name: t for name, t in times.items() if t is not None}
            mine = times.get(fp)
            others = {name: t for name, t in times.items() if name != fp}
            if mine is None or not others:
                continue
            fastest = min(others, key=others.get)
            if mine <= others[fastest]:
                measured = f"fastest ({others[fastest] / mine:.2f}× ahead of {fastest})"
            else:
                measured = f"{fastest} is {mine / others[fastest]:.2f}× faster"
            checks.append(Check("aim: fastest in the row", f"{payload.title}, {op}", measured,
                                mine <= others[fastest]))
    for payload in payloads:
        if not payload.is_bulk_bytes:
            continue
        for op in ("dumps", "loads"):
            mine = getattr(cells[payload.key, fp], op)
            r = None if mine is None else mine / copies[payload.key]
            measured = "n/a" if r is None else f"{r:.2f}× a bare copy"
            checks.append(Check("within 1.2× of a bare copy", f"{payload.title}, {op}",
                                measured, r is not None and r <= 1.2))
    return checks


def _times_faster(r):
    if r is None:
        return "n/a"
    return f"{r:.2f}× faster" if r >= 1 else f"{1 / r:.2f}× slower"


# --- reporting ----------------------------------------------------------------------------------


def format_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            break
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def _load_average():
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def markdown(payloads, peers, missing, cells, copies, checks, *, quick, command, png, load):
    lines = ["# frozenpack benchmark", ""]
    implementation = frozenpack.dumps.__module__
    lines += [
        f"- machine: {machine()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"frozenpack {frozenpack.__version__}, implementation `{implementation}`",
        "- peers: " + ", ".join(f"{peer.name} {peer.version()}" for peer in peers[1:]),
        f"- command: `{command}`",
        f"- load average (1, 5, 15 min) before and after the run: {load[0]}, {load[1]} "
        "(other work on the machine makes times noisier; best-of-runs timing damps it)",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "- method: time per call, best of several runs of a calibrated number of calls (timeit, "
        "garbage collector off during runs), all in one process; loads is timed on each "
        "serializer's own encoding; every round trip is checked for exact equality first.",
    ]
    if implementation == "frozenpack.reference":
        lines.append("- **frozenpack here is the pure-Python reference: build the extension "
                     "(`make extension`) for meaningful numbers.**")
    for name, why in missing.items():
        lines.append(f"- {name}: {why}")
    if quick:
        lines.append("- **--quick: small payloads, one call per timing; the numbers mean "
                     "nothing.**")
    lines.append("")
    if png:
        lines += [f"![dumps and loads time relative to pickle]({png})", ""]
    lines += ["Ratios are the serializer's time divided by frozenpack's: above 1, frozenpack "
              "is faster. The fastest time of each column is in bold.", ""]

    for payload in payloads:
        lines += [f"## {payload.title}", "",
                  "| serializer | dumps | loads | encoded octets | dumps ÷ frozenpack "
                  "| loads ÷ frozenpack | how it carries the payload |",
                  "|---|--:|--:|--:|--:|--:|---|"]
        mine = cells[payload.key, "frozenpack"]
        fastest = {}
        for op in ("dumps", "loads"):
            times = [getattr(cells[payload.key, p.name], op) for p in peers]
            times = [t for t in times if t is not None]
            fastest[op] = min(times) if times else None
        for peer in peers:
            cell = cells[payload.key, peer.name]
            if cell.failure is not None:
                lines.append(f"| {peer.name} | — | — | — | — | — "
                             f"| cannot: {cell.failure} |")
                continue
            row = [peer.name]
            for op in ("dumps", "loads"):
                text = format_time(getattr(cell, op))
                row.append(f"**{text}**" if getattr(cell, op) == fastest[op] else text)
            row.append(f"{cell.size:,}")
            for op in ("dumps", "loads"):
                base = getattr(mine, op)
                row.append("—" if base is None else f"{getattr(cell, op) / base:.2f}")
            row.append(cell.note or "exactly, as is")
            lines.append("| " + " | ".join(row) + " |")
        if payload.key in copies:
            copy = copies[payload.key]
            ratio = "—" if mine.dumps is None else f"{copy / mine.dumps:.2f}"
            ratio_loads = "—" if mine.loads is None else f"{copy / mine.loads:.2f}"
            lines.append(f"| *bare copy* | {format_time(copy)} | {format_time(copy)} | — | "
                         f"{ratio} | {ratio_loads} | `memoryview(value).tobytes()`: the "
                         "least any dumps or loads of these octets can do |")
        lines.append("")

    lines += ["## Targets", ""]
    if quick:
        lines += ["Not judged: --quick numbers mean nothing.", ""]
    else:
        met = sum(check.met for check in checks)
        lines += [f"{met} of {len(checks)} met.", "",
                  "| target | where | measured | |", "|---|---|---|---|"]
        for check in checks:
            mark = "met" if check.met else "**MISSED**"
            lines.append(f"| {check.target} | {check.where} | {check.measured} | {mark} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small payloads, each call timed once (a smoke test)")
    parser.add_argument("--markdown", metavar="PATH", help="also write the report here")
    parser.add_argument("--png", metavar="PATH", help="draw the chart here (matplotlib)")
    parser.add_argument("--min-time", type=float, default=None, metavar="SECONDS",
                        help="shortest run (default 0.1; --quick: 0)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs per timing, the best is kept (default 5; --quick: 1)")
    args = parser.parse_args(argv)
    min_time = args.min_time if args.min_time is not None else (0.0 if args.quick else 0.1)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)

    payloads = build(quick=args.quick)
    peers, missing = available()

    def progress(text):
        print(f"  timing {text} ...", file=sys.stderr, flush=True)

    load_before = _load_average()
    cells, copies = run(payloads, peers, min_time, repeat, progress)
    load = (load_before, _load_average())
    checks = check_targets(payloads, peers, cells, copies)

    png_link = None
    if args.png:
        from chart import draw

        draw(args.png, payloads, peers, cells, copies, baseline=BASELINE,
             title=f"frozenpack vs others: time relative to pickle (lower is faster)\n"
                   f"{machine()}")
        base = os.path.dirname(os.path.abspath(args.markdown)) if args.markdown else os.getcwd()
        png_link = os.path.relpath(os.path.abspath(args.png), base)
    command = " ".join(["python", os.path.relpath(__file__)] + (argv or sys.argv[1:]))
    report = markdown(payloads, peers, missing, cells, copies, checks, quick=args.quick,
                      command=command, png=png_link, load=load)
    print(report)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
