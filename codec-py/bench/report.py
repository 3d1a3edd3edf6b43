"""The report of `make bench`: RESULTS.md, and the excerpt it writes into the README.

Both come from the same run, so every number the README quotes is one of RESULTS.md's. A time
is the median of its rounds ± half the interquartile range (as a share of the median); a ratio
is the median of the per-round ratios with their interquartile range, "1.52 (1.48–1.57)".
"""

import datetime
import os
import platform
import subprocess
import textwrap
from dataclasses import dataclass

import frozenpack
import targets
from interleave import Spread, per_round_ratios

README_BEGIN = "<!-- make bench: begin (written by codec-py/bench/bench.py --readme) -->"
README_END = "<!-- make bench: end -->"


@dataclass(frozen=True)
class RunInfo:
    command: str
    quick: bool
    processes: int
    rounds: int  # in each process
    min_time: float
    seed: int
    started: datetime.datetime
    seconds: float
    load_before: tuple | None  # (1, 5, 15 min)
    load_after: tuple | None
    load_peak: float | None  # the highest 1-minute figure seen between timings
    waited: str | None  # what --wait-quiet did


# --- formatting ---------------------------------------------------------------------------------


def format_time(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            value = seconds / scale
            break
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def time_cell(times):
    """"600 µs ±2%": the median of the rounds, ± half their interquartile range."""
    spread = Spread.of(times)
    return f"{format_time(spread.median)} ±{(spread.q3 - spread.q1) / 2 / spread.median:.0%}"


def ratio_cell(spread):
    return f"{spread.median:.2f} ({spread.q1:.2f}–{spread.q3:.2f})"


def ratio(cells, key, name, op):
    """Spread of the per-round ratios name's time ÷ frozenpack's, or None."""
    theirs = getattr(cells[key, name], op)
    mine = getattr(cells[key, targets.FROZENPACK], op)
    if theirs is None or mine is None:
        return None
    return Spread.of(per_round_ratios(theirs, mine))


def _load(load):
    return "unknown" if load is None else " / ".join(f"{x:.2f}" for x in load)


# --- the machine and the tree -------------------------------------------------------------------


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cpus():
    """What `nproc` prints: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count()


def machine():
    return (f"{cpu_model()}, nproc {usable_cpus()} ({os.cpu_count()} logical CPUs), "
            f"{platform.system()} {platform.release()}")


def commit():
    """The commit of the tree the benchmark runs from, and whether its sources differ."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=here,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "../../codec",
                                "../../codec-py/src", "../../codec-py/python"], cwd=here,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes to the sources" if dirty else "")


# --- RESULTS.md ---------------------------------------------------------------------------------


def method(info):
    return (f"{info.processes} fresh processes, one after another; in each, for each payload "
            "and operation, each serializer's call count is calibrated once (one timing lasts "
            f"at least {info.min_time * 1000:g} ms), then {info.rounds} rounds each time every "
            "serializer once, in an order shuffled and rotated from round to round (seeds "
            f"{info.seed}–{info.seed + info.processes - 1}), so that a change of load hits all "
            f"alike: {info.processes * info.rounds} rounds in all. Each timing calls the "
            "function written out, `f(value)` or `f(value, keyword=...)`, with `f` and `value` "
            "bound to locals, the garbage collector off (as timeit); loads is timed on each "
            "serializer's own encoding; every round trip is checked for exact equality first")


def _header(peers, missing, info, png):
    implementation = frozenpack.dumps.__module__
    lines = [
        "# frozenpack benchmark",
        "",
        f"- machine: {machine()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"frozenpack {frozenpack.__version__}, implementation `{implementation}`, tree at "
        f"commit {commit()}",
        "- peers: " + ", ".join(f"{peer.name} {peer.version()}" for peer in peers[1:]),
        f"- command: `{info.command}`",
        f"- load average (1, 5, 15 min): {_load(info.load_before)} before the run, "
        f"{_load(info.load_after)} after; highest 1-minute figure seen during it: "
        + ("unknown" if info.load_peak is None else f"{info.load_peak:.2f}"),
    ]
    if info.waited:
        lines.append(f"- {info.waited}")
    lines += [
        f"- date: {info.started:%Y-%m-%d %H:%M} UTC; the run took {info.seconds:.0f} s",
        f"- method: {method(info)}.",
    ]
    if implementation == "frozenpack.reference":
        lines.append("- **frozenpack here is the pure-Python reference: build the extension "
                     "(`make extension`) for meaningful numbers.**")
    for name, why in missing.items():
        lines.append(f"- {name}: {why}")
    if info.quick:
        lines.append("- **--quick: small payloads, one call per timing; the numbers mean "
                     "nothing.**")
    lines.append("")
    if png:
        lines += [f"![dumps and loads time relative to pickle]({png})", ""]
    lines += ["Times: median of the rounds ± half their interquartile range. Ratios: the "
              "serializer's time ÷ frozenpack's in the same round, median of the rounds and "
              "(in brackets) their interquartile range: above 1, frozenpack is faster. The "
              "fastest median of each column is in bold.", ""]
    return lines


def _payload_table(payload, names, cells):
    lines = [f"## {payload.title}", "",
             "| serializer | dumps | loads | encoded octets | dumps ÷ frozenpack "
             "| loads ÷ frozenpack | how it carries the payload |",
             "|---|--:|--:|--:|--:|--:|---|"]
    fastest = {}
    for op in ("dumps", "loads"):
        medians = [Spread.of(times).median for name in names
                   if (times := getattr(cells[payload.key, name], op)) is not None]
        fastest[op] = min(medians, default=None)
    for name in names:
        cell = cells[payload.key, name]
        if cell.failure is not None:
            lines.append(f"| {name} | — | — | — | — | — | cannot: {cell.failure} |")
            continue
        row = [f"*{name}*" if name == targets.BARE_COPY else name]
        for op in ("dumps", "loads"):
            times = getattr(cell, op)
            text = time_cell(times)
            row.append(f"**{text}**" if Spread.of(times).median == fastest[op] else text)
        row.append("—" if cell.size is None else f"{cell.size:,}")
        for op in ("dumps", "loads"):
            spread = ratio(cells, payload.key, name, op)
            row.append("—" if spread is None else ratio_cell(spread))
        row.append(cell.note or "exactly, as is")
        lines.append("| " + " | ".join(row) + " |")
    return lines + [""]


def _targets_table(checks, quick):
    lines = ["## Targets (issue 13)", "",
             "Each target is a floor on a ratio, the peer's time ÷ frozenpack's taken round by "
             "round: *met* when the lower quartile of the rounds reaches the floor, *missed* when "
             "the upper quartile stays below it, *within noise* when the interquartile range "
             "straddles it (this run cannot tell).", ""]
    if quick:
        lines += ["Not judged: --quick numbers mean nothing.", ""]
    else:
        judged = [check.verdict for check in checks]
        counts = ", ".join(f"{judged.count(v)} {v}" for v in
                           (targets.MET, targets.WITHIN_NOISE, targets.MISSED,
                            targets.NOT_APPLICABLE) if judged.count(v))
        lines += [f"{len(checks)} checks: {counts}.", ""]
    lines += ["| target | payload | floor | ratio: median (quartiles) | min–max | verdict |",
              "|---|---|--:|--:|--:|---|"]
    for check in checks:
        floor = f"{check.target.floor:.2f}"
        if check.ratio is None:
            measured, extremes = f"{check.target.peer} cannot carry it", "—"
        else:
            measured = ratio_cell(check.ratio)
            extremes = f"{check.ratio.low:.2f}–{check.ratio.high:.2f}"
        if quick:
            mark = "not judged"
        elif check.verdict == targets.MISSED:
            mark = "**missed**"
        else:
            mark = check.verdict
        lines.append(f"| {check.target.text} | {check.where} | {floor} | {measured} "
                     f"| {extremes} | {mark} |")
    return lines + [""]


def _peers_section(payloads, peers, cells):
    """How each peer was made to carry the payloads exactly, and where it could not."""
    lines = ["## How the peers carry the payloads", "",
             "Before anything is timed, each serializer's round trip of each payload is checked "
             "to give back exactly the value written (same types, floats by their bits); "
             "whatever a peer needs to do so is inside its timed functions (peers.py). A peer "
             "that still cannot carry a payload gets no times.", ""]
    for peer in peers[1:]:
        notes, failures = {}, []
        for payload in payloads:
            cell = cells[payload.key, peer.name]
            if cell.failure is not None:
                failures.append(f"{payload.title} ({cell.failure})")
            elif cell.note:
                for note in cell.note.split("; "):
                    notes.setdefault(note, []).append(payload.title)
        parts = [f"{note} (on {', '.join(titles)})" for note, titles in notes.items()]
        parts += [f"cannot carry {failure}" for failure in failures]
        lines.append(f"- {peer.name}: " + ("; ".join(parts) if parts else
                                            "every payload exactly, as is") + ".")
    return lines + [""]


def markdown(payloads, peers, missing, cells, checks, info, *, png):
    lines = _header(peers, missing, info, png)
    for payload in payloads:
        names = [peer.name for peer in peers]
        if (payload.key, targets.BARE_COPY) in cells:
            names.append(targets.BARE_COPY)
        lines += _payload_table(payload, names, cells)
    lines += _targets_table(checks, info.quick)
    lines += _peers_section(payloads, peers, cells)
    return "\n".join(lines).rstrip("\n")


# --- the README's excerpt -----------------------------------------------------------------------

README_PEERS = (targets.PICKLE, targets.MARSHAL, targets.MSGSPEC)


def readme_excerpt(payloads, cells, info):
    """The README's benchmark paragraph and table, from this run."""
    before = "unknown" if info.load_before is None else f"{info.load_before[0]:.2f}"
    after = "unknown" if info.load_after is None else f"{info.load_after[0]:.2f}"
    paragraph = (
        "`make bench` times dumps and loads against pickle (protocol 5), marshal, msgspec, "
        "ormsgpack, msgpack and cbor2 on six payloads, each peer checked to round-trip exactly "
        "first (with the workarounds it needs: tuples, ints over 64 bits), in "
        f"{info.processes * info.rounds} interleaved rounds per payload and operation ("
        f"{info.processes} processes of {info.rounds}): each round times every serializer once, "
        "in a shuffled order, so that a change of load hits all alike. One "
        f"run ({info.started:%Y-%m-%d}, {cpu_model()}, nproc {usable_cpus()}, Python "
        f"{platform.python_version()}, 1-minute load average {before} before and {after} "
        "after): times are medians of the rounds; ratios are the peer's time ÷ frozenpack's "
        "(above 1, frozenpack is faster), the median of the per-round ratios with their "
        "interquartile range in brackets. The full tables with the spread of every time, each "
        "peer's workarounds and issue 13's targets, met or missed, are in "
        "[`codec-py/bench/RESULTS.md`](codec-py/bench/RESULTS.md):")
    lines = [
        textwrap.fill(paragraph, width=96, break_long_words=False, break_on_hyphens=False),
        "",
        "| payload | frozenpack dumps | frozenpack loads | "
        + " | ".join(f"{name.split(' ')[0]} ÷ frozenpack, {op}" for name in README_PEERS
                     for op in ("dumps", "loads")) + " |",
        "|---|--:|--:|" + "--:|" * (2 * len(README_PEERS)),
    ]
    for payload in payloads:
        mine = cells[payload.key, targets.FROZENPACK]
        row = [payload.title, format_time(Spread.of(mine.dumps).median),
               format_time(Spread.of(mine.loads).median)]
        for name in README_PEERS:
            for op in ("dumps", "loads"):
                spread = ratio(cells, payload.key, name, op)
                row.append("—" if spread is None else ratio_cell(spread))
        lines.append("| " + " | ".join(row) + " |")
    if info.quick:
        lines += ["", "**--quick: the numbers above mean nothing.**"]
    return "\n".join(lines)


def rewrite_readme(path, excerpt):
    """Replace what lies between README_BEGIN and README_END in the file at `path`."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        raise SystemExit(f"{path}: no {README_BEGIN!r} ... {README_END!r} block to rewrite")
    text = (text[:begin + len(README_BEGIN)] + "\n\n" + excerpt + "\n\n" + text[end:])
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
