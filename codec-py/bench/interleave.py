"""The timing method of `make bench`: calibrated call counts, then interleaved rounds.

On a shared machine the load changes from one second to the next, so timing each serializer
in one block after another (best of N, one serializer at a time) lets a burst of load fall on
one serializer and not on its peers, and a ratio of two such times can be off by a factor of
two or three. Here every serializer of a payload and operation gets its call count calibrated
once (the number of calls that makes one timing last at least `min_time`); then `rounds`
rounds each time every serializer once, in an order shuffled anew for each block of rounds
and rotated within it (so each serializer sits at each place of a round equally often, and
follows different ones): load hits all of them alike. A time is then the median of its rounds,
and a ratio of two serializers is the median of their per-round ratios, each with its spread
(quartiles and extremes), which says how far one run can be trusted.

Only standard-library `timeit` is used; the garbage collector is off during each timing, as
timeit does, unless `collector=True` asks for it on (as programs run; see collector.py).
"""

import gc
import statistics
import timeit
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """Median, quartiles and extremes of a sample (the quartiles lie between the extremes)."""

    median: float
    q1: float
    q3: float
    low: float
    high: float

    @classmethod
    def of(cls, values):
        values = list(values)
        if not values:
            raise ValueError("the spread of no values")
        if len(values) == 1:
            (value,) = values
            return cls(value, value, value, value, value)
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(median, q1, q3, min(values), max(values))


def per_round_ratios(theirs, mine):
    """theirs[i] / mine[i] for each round i: times of two serializers timed in the same rounds."""
    if len(theirs) != len(mine):
        raise ValueError(f"{len(theirs)} rounds against {len(mine)}")
    return [t / m for t, m in zip(theirs, mine)]


def round_orders(names, rounds, rng):
    """The order of `names` in each of `rounds` rounds.

    Blocks of len(names) rounds: each block rotates an order shuffled by `rng` one place per
    round, so within a block every name takes every place once; the next block shuffles again,
    so a name is not always preceded by the same one (what runs before a call warms or evicts
    its caches).
    """
    names = list(names)
    orders = []
    while len(orders) < rounds:
        base = names[:]
        rng.shuffle(base)
        orders.extend(base[shift:] + base[:shift] for shift in range(len(base)))
    return orders[:rounds]


def timer(function, argument, keywords=None, *, collector=False):
    """A timeit.Timer of function(argument, **keywords), written out as that call, with the
    function, the argument and the keywords' values bound to locals of the timing loop (a
    global look-up per call would add the same few nanoseconds to every serializer and shrink
    ratios on the small payload; a functools.partial would add a dict per call).

    With `collector`, the garbage collector runs during the timing: timeit turns it off before
    the setup and back on after the loop, so the setup turns it on (timeit's documented way)."""
    keywords = keywords or {}
    names = {"_function": function, "_argument": argument}
    setup = ["function = _function", "argument = _argument"]
    if collector:
        names["_gc"] = gc
        setup.append("_gc.enable()")
    call = ["argument"]
    for i, (keyword, value) in enumerate(keywords.items()):
        if not keyword.isidentifier():
            raise ValueError(f"not a keyword: {keyword!r}")
        names[f"_keyword{i}"] = value
        setup.append(f"keyword{i} = _keyword{i}")
        call.append(f"{keyword}=keyword{i}")
    return timeit.Timer(f"function({', '.join(call)})", setup="; ".join(setup), globals=names)


def calibrate(run, min_time):
    """The number of calls whose timing, run(number) seconds, lasts at least `min_time`.

    Counts grow as Timer.autorange's do: 1, 2, 5, 10, 20, 50, ...
    """
    number = 1
    while run(number) < min_time:
        number = number * 5 // 2 if str(number)[0] == "2" else number * 2
    return number


def interleaved(calls, rounds, min_time, rng, *, clock=None, collector=False):
    """{name: [seconds per call in each round]} for calls {name: (function, argument, keywords)}
    (keywords a dict, maybe empty); the garbage collector runs during the timings if
    `collector` (see `timer`).

    `clock`, a function (name, number) -> seconds for `number` calls, replaces the real timers
    (for tests of the method, which must not depend on timing).
    """
    if clock is None:
        timers = {name: timer(*call, collector=collector) for name, call in calls.items()}

        def clock(name, number):
            return timers[name].timeit(number)

    numbers = {name: calibrate(lambda n, name=name: clock(name, n), min_time)
               for name in calls}
    times = {name: [] for name in calls}
    for order in round_orders(calls, rounds, rng):
        for name in order:
            times[name].append(clock(name, numbers[name]) / numbers[name])
    return times
