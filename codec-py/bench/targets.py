"""The speed targets of `make bench` (issue 13's Python targets, and issue 4's bare copy), and
how each is judged from one run's interleaved rounds.

Every target is a floor on a ratio peer's time ÷ frozenpack's time, taken round by round
(interleave.py): above 1, frozenpack is faster. A target is

  met           when the lower quartile of the per-round ratios reaches the floor,
  missed        when the upper quartile stays below it,
  within noise  when the interquartile range straddles it: this run cannot tell,

so a verdict is one that most rounds agree on, not the luck of one timing.
"""

from dataclasses import dataclass

from interleave import Spread, per_round_ratios

FROZENPACK = "frozenpack"
PICKLE = "pickle (protocol 5)"
MARSHAL = "marshal"
MSGSPEC = "msgspec"
ORMSGPACK = "ormsgpack"
BARE_COPY = "bare copy"

MET, MISSED, WITHIN_NOISE, NOT_APPLICABLE = "met", "missed", "within noise", "n/a"

ALL = ("small", "rows", "bytes", "int64", "deep", "bigint")
# The payloads msgspec carries as they are (issue 13); its big ints need a Python pass.
MSGPACK_NATIVE = ("small", "rows", "int64", "deep", "bytes")


@dataclass(frozen=True)
class Target:
    text: str
    peer: str
    op: str  # "dumps" or "loads"
    floor: float  # on peer's time ÷ frozenpack's
    payloads: tuple  # payload keys


TARGETS = (
    Target("dumps at least as fast as msgspec's encoder", MSGSPEC, "dumps", 1.0, MSGPACK_NATIVE),
    Target("loads at least as fast as msgspec's decoder", MSGSPEC, "loads", 1.0, MSGPACK_NATIVE),
    Target("dumps at least as fast as ormsgpack.packb", ORMSGPACK, "dumps", 1.0, MSGPACK_NATIVE),
    Target("loads at least as fast as ormsgpack.unpackb", ORMSGPACK, "loads", 1.0,
           MSGPACK_NATIVE),
    Target("dumps at least as fast as marshal", MARSHAL, "dumps", 1.0, ALL),
    Target("loads at least as fast as marshal", MARSHAL, "loads", 1.0, ALL),
    Target("dumps at least 2x faster than pickle", PICKLE, "dumps", 2.0,
           tuple(key for key in ALL if key != "bytes")),
    Target("loads at least 1.3x faster than pickle", PICKLE, "loads", 1.3,
           ("rows", "int64", "bigint")),
    Target("loads at least as fast as pickle", PICKLE, "loads", 1.0, ("deep",)),
    # Issue 4: the 10 MiB bytes within 1.2x of a bare copy, i.e. copy ÷ frozenpack ≥ 1 / 1.2.
    Target("dumps within 1.2x of a bare copy", BARE_COPY, "dumps", 1 / 1.2, ("bytes",)),
    Target("loads within 1.2x of a bare copy", BARE_COPY, "loads", 1 / 1.2, ("bytes",)),
)


@dataclass(frozen=True)
class Check:
    target: Target
    where: str  # the payload's title
    ratio: Spread | None  # of the per-round ratios; None when the peer cannot carry the payload
    verdict: str


def verdict(ratio, floor):
    """met, missed or within noise: where the interquartile range of `ratio` lies."""
    if ratio.q1 >= floor:
        return MET
    if ratio.q3 < floor:
        return MISSED
    return WITHIN_NOISE


def check(payloads, cells, targets=TARGETS):
    """A Check for each target on each of its payloads present in `payloads`.

    `cells[payload.key, name]` has `.dumps` and `.loads`: seconds per call in each round, or
    None when that serializer cannot carry the payload exactly.
    """
    checks = []
    for target in targets:
        for payload in payloads:
            if payload.key not in target.payloads:
                continue
            mine = getattr(cells[payload.key, FROZENPACK], target.op)
            peer = cells.get((payload.key, target.peer))
            theirs = None if peer is None else getattr(peer, target.op)
            if mine is None or theirs is None:
                checks.append(Check(target, payload.title, None, NOT_APPLICABLE))
                continue
            ratio = Spread.of(per_round_ratios(theirs, mine))
            checks.append(Check(target, payload.title, ratio, verdict(ratio, target.floor)))
    return checks
