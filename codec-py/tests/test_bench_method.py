"""The method of `make bench` (codec-py/bench/): interleaved rounds, per-round ratios, spreads,
verdicts, the README excerpt's block, and how peers are called. Nothing here times anything:
the clock is a fake wherever a time is needed.
"""

import functools
import gc
import itertools
import pathlib
import random
import sys
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "bench"))

import interleave  # noqa: E402
import payloads as bench_payloads  # noqa: E402
import peers as bench_peers  # noqa: E402
import report  # noqa: E402
import targets  # noqa: E402
from interleave import Spread  # noqa: E402

NAMES = ["frozenpack", "pickle", "marshal", "msgspec", "cbor2"]


# --- the rounds ----------------------------------------------------------------------------------


def test_every_round_times_every_name_once_and_each_block_puts_each_name_everywhere():
    orders = interleave.round_orders(NAMES, 23, random.Random(1))
    assert len(orders) == 23
    assert all(sorted(order) == sorted(NAMES) for order in orders)
    for start in range(0, 20, len(NAMES)):  # the complete blocks
        block = orders[start:start + len(NAMES)]
        for place in range(len(NAMES)):
            assert sorted(order[place] for order in block) == sorted(NAMES)


def test_the_orders_change_from_block_to_block_and_repeat_for_a_seed():
    orders = interleave.round_orders(NAMES, 10 * len(NAMES), random.Random(7))
    firsts = {tuple(orders[start]) for start in range(0, len(orders), len(NAMES))}
    assert len(firsts) > 1
    # What precedes a name is not always the same name.
    predecessors = {order[order.index("frozenpack") - 1] for order in orders
                    if order[0] != "frozenpack"}
    assert len(predecessors) > 1
    assert orders == interleave.round_orders(NAMES, 10 * len(NAMES), random.Random(7))


def test_calibration_grows_the_count_as_autorange_until_a_timing_is_long_enough():
    seen = []

    def run(number):
        seen.append(number)
        return number * 0.003

    assert interleave.calibrate(run, 0.1) == 50
    assert seen == [1, 2, 5, 10, 20, 50]
    assert interleave.calibrate(run, 0.0) == 1


def test_interleaved_rounds_cancel_a_load_that_changes_between_rounds():
    """Load multiplies every time by up to 10x, changing every 7 timings; the per-round ratio
    of two serializers is still their true ratio, because each round times both."""
    cost = {"frozenpack": 1e-7, "pickle": 4e-7, "marshal": 2e-7}
    calls = []
    ticks = itertools.count()

    def clock(name, number):
        calls.append((name, number))
        load = 1 + (next(ticks) // 7) % 10
        return cost[name] * number * load

    rounds = 9
    times = interleave.interleaved({name: None for name in cost}, rounds, 1e-5,
                                   random.Random(3), clock=clock)
    assert {name: len(t) for name, t in times.items()} == {name: rounds for name in cost}
    timed = calls[-rounds * len(cost):]  # after the calibration
    for r in range(rounds):
        assert sorted(name for name, _ in timed[r * 3:r * 3 + 3]) == sorted(cost)
    # Each name's count was calibrated once and kept for every round.
    for name in cost:
        assert len({number for n, number in timed if n == name}) == 1
    assert max(times["pickle"]) / min(times["pickle"]) > 2  # the load did vary ...
    ratios = interleave.per_round_ratios(times["pickle"], times["frozenpack"])
    spread = Spread.of(ratios)
    assert spread.low <= spread.median <= spread.high
    # ... but, with at most one load change per round, most rounds see one load for both.
    assert spread.median == pytest.approx(4.0)


def test_the_timer_writes_the_call_out_with_its_keywords():
    seen = []

    def dumps(value, *, protocol=None, default=None):
        seen.append((value, protocol, default))

    marker = object()
    timer = interleave.timer(dumps, "v", {"protocol": 5, "default": marker})
    assert "function(argument, protocol=keyword0, default=keyword1)" in timer.src
    timer.timeit(3)
    assert seen == [("v", 5, marker)] * 3
    with pytest.raises(ValueError):
        interleave.timer(dumps, "v", {"not a name": 1})


def test_the_timer_runs_the_call_with_the_collector_off_unless_asked_to_keep_it_on():
    seen = []

    def record(_):
        seen.append(gc.isenabled())

    assert gc.isenabled()
    interleave.timer(record, None).timeit(2)
    interleave.timer(record, None, collector=True).timeit(2)
    assert seen == [False, False, True, True]
    assert gc.isenabled()


# --- spreads and verdicts ------------------------------------------------------------------------


def test_spread_is_median_quartiles_and_extremes():
    assert Spread.of([5, 1, 4, 2, 3]) == Spread(3, 2, 4, 1, 5)
    assert Spread.of([2.5]) == Spread(2.5, 2.5, 2.5, 2.5, 2.5)
    with pytest.raises(ValueError):
        Spread.of([])


def test_ratios_pair_rounds_and_refuse_unequal_rounds():
    assert interleave.per_round_ratios([4, 6], [2, 3]) == [2, 2]
    with pytest.raises(ValueError):
        interleave.per_round_ratios([1, 2, 3], [1, 2])


@pytest.mark.parametrize("q1, q3, floor, expected", [
    (1.05, 1.20, 1.0, targets.MET),
    (1.00, 1.20, 1.0, targets.MET),  # the lower quartile on the floor: met
    (0.80, 0.99, 1.0, targets.MISSED),
    (0.95, 1.05, 1.0, targets.WITHIN_NOISE),
    (1.90, 2.00, 2.0, targets.WITHIN_NOISE),  # the upper quartile on the floor
    (2.10, 2.30, 2.0, targets.MET),
])
def test_a_verdict_follows_the_interquartile_range(q1, q3, floor, expected):
    assert targets.verdict(Spread((q1 + q3) / 2, q1, q3, q1 - 1, q3 + 1), floor) == expected


def _cells(payload_list, seconds, failures=()):
    """Cells of every target's peer on every payload, each round's times from `seconds`."""
    names = {targets.FROZENPACK} | {target.peer for target in targets.TARGETS}
    cells = {}
    for payload in payload_list:
        for name in names:
            if (payload.key, name) in failures:
                cells[payload.key, name] = SimpleNamespace(dumps=None, loads=None)
            else:
                rounds = seconds(payload.key, name)
                cells[payload.key, name] = SimpleNamespace(dumps=rounds, loads=rounds)
    return cells


def test_the_targets_are_issue_13s_on_its_payloads():
    payload_list = bench_payloads.build(quick=True)
    cells = _cells(payload_list, lambda key, name: [1.0, 1.0, 1.0])
    where = {(check.target.peer, check.target.op, check.target.floor, check.where)
             for check in targets.check(payload_list, cells)}
    title = {payload.key: payload.title for payload in payload_list}
    for peer in targets.MSGSPEC, targets.ORMSGPACK:
        for op in "dumps", "loads":
            assert {w[3] for w in where if w[:3] == (peer, op, 1.0)} == {
                title[k] for k in ("small", "rows", "int64", "deep", "bytes")}
    for op in "dumps", "loads":
        assert {w[3] for w in where if w[:3] == (targets.MARSHAL, op, 1.0)} == set(title.values())
    assert {w[3] for w in where if w[:3] == (targets.PICKLE, "dumps", 2.0)} == {
        title[k] for k in ("small", "rows", "int64", "deep", "bigint")}
    assert {w[3] for w in where if w[:3] == (targets.PICKLE, "loads", 1.3)} == {
        title[k] for k in ("rows", "int64", "bigint")}
    assert {w[3] for w in where if w[:3] == (targets.PICKLE, "loads", 1.0)} == {title["deep"]}
    assert {w[3] for w in where if w[0] == targets.BARE_COPY} == {title["bytes"]}


def test_checks_judge_the_per_round_ratios_and_say_when_a_peer_cannot():
    payload_list = bench_payloads.build(quick=True)

    def seconds(key, name):
        if name == targets.FROZENPACK:
            return [1.0, 2.0, 4.0, 8.0, 16.0]  # a load that changes from round to round
        if name == targets.MARSHAL:
            return [1.2, 1.8, 4.8, 7.2, 19.2]  # ratios 1.2, 0.9, 1.2, 0.9, 1.2
        if name == targets.PICKLE:
            return [3.0, 6.0, 12.0, 24.0, 48.0]  # 3x every round
        return [0.5, 1.0, 2.0, 4.0, 8.0]  # twice as fast every round

    cells = _cells(payload_list, seconds, failures={("deep", targets.ORMSGPACK)})
    checks = {(check.target.text, check.where): check
              for check in targets.check(payload_list, cells)}
    title = {payload.key: payload.title for payload in payload_list}
    pickle_dumps = checks["dumps at least 2x faster than pickle", title["rows"]]
    assert pickle_dumps.ratio == Spread(3.0, 3.0, 3.0, 3.0, 3.0)
    assert pickle_dumps.verdict == targets.MET
    marshal = checks["loads at least as fast as marshal", title["small"]]
    assert marshal.ratio.q1 == pytest.approx(0.9) and marshal.ratio.q3 == pytest.approx(1.2)
    assert marshal.verdict == targets.WITHIN_NOISE
    assert checks["loads at least as fast as msgspec's decoder", title["int64"]].verdict \
        == targets.MISSED
    deep = checks["dumps at least as fast as ormsgpack.packb", title["deep"]]
    assert deep.ratio is None and deep.verdict == targets.NOT_APPLICABLE


# --- the README's block, and how the peers are called ------------------------------------------


def test_the_readme_block_is_replaced_and_nothing_else(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n\n{report.README_BEGIN}\n\nold table\n\n{report.README_END}\n"
                      "\nafter\n", encoding="utf-8")
    report.rewrite_readme(readme, "new paragraph\n\n| new | table |")
    assert readme.read_text(encoding="utf-8") == (
        f"intro\n\n{report.README_BEGIN}\n\nnew paragraph\n\n| new | table |\n\n"
        f"{report.README_END}\n\nafter\n")
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        report.rewrite_readme(readme, "x")


def test_no_peer_is_timed_through_functools_partial():
    """A partial holding keywords builds a dict on every call: it made pickle.dumps of the small
    tuple look twice as slow as it is (issue 13's "7.44x pickle")."""
    found, _ = bench_peers.available()
    for payload in bench_payloads.build(quick=True):
        for peer in found:
            codec = peer.codec(payload)
            for function in codec.dumps, codec.loads:
                assert not isinstance(function, functools.partial), (peer.name, payload.key)
    pickle_codec = bench_peers.PEERS[1].codec(bench_payloads.build(quick=True)[0])
    assert pickle_codec.dumps == bench_peers.Call(__import__("pickle").dumps, {"protocol": 5})
