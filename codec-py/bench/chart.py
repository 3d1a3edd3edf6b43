"""The benchmark's chart: dumps and loads time of each serializer relative to pickle's.

Two panels (dumps above, loads below), one group of bars per payload, one bar per serializer,
on a log scale. Bars start at 1 (pickle's time): a bar going down is faster than pickle, one
going up is slower. A bar's height is the median of the per-round ratios serializer ÷ pickle,
its whisker their interquartile range. A serializer that cannot carry a payload exactly has
"n/a" instead of a bar; the 10 MiB group has a dashed mark at a bare copy's median.
"""

import math
import textwrap

import matplotlib

matplotlib.use("Agg")  # files only: no display needed, none used

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from interleave import Spread, per_round_ratios  # noqa: E402
from targets import BARE_COPY  # noqa: E402

# frozenpack first and in a colour of its own; the others in the order of the table.
_COLOURS = ["#d62728", "#1f77b4", "#7f7f7f", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22"]


def _minor_label(value, _):
    if value <= 0:
        return ""
    mantissa = value / 10 ** math.floor(math.log10(value) + 1e-9)
    return f"{value:g}×" if any(abs(mantissa - m) < 1e-6 for m in (2, 3, 5)) else ""


def _ratio(cells, key, name, baseline, op):
    """Spread of the per-round ratios name's time ÷ baseline's, or None."""
    mine = getattr(cells[key, name], op)
    base = getattr(cells[key, baseline], op)
    return None if mine is None or base is None else Spread.of(per_round_ratios(mine, base))


def draw(path, payloads, names, cells, *, baseline, title):
    figure, axes = plt.subplots(2, 1, figsize=(12, 8.5), sharex=True)
    width = 0.8 / len(names)
    for axis, op in zip(axes, ("dumps", "loads")):
        for j, name in enumerate(names):
            offset = (j - (len(names) - 1) / 2) * width
            colour = _COLOURS[j % len(_COLOURS)]
            xs, heights, below, above = [], [], [], []
            for i, payload in enumerate(payloads):
                spread = _ratio(cells, payload.key, name, baseline, op)
                if spread is None:
                    axis.text(i + offset, 1.0, "n/a", rotation=90, ha="center", va="bottom",
                              fontsize=7, color=colour)
                    continue
                xs.append(i + offset)
                heights.append(spread.median - 1.0)
                below.append(spread.median - spread.q1)
                above.append(spread.q3 - spread.median)
            label = f"{name} (= 1)" if name == baseline else name
            axis.bar(xs, heights, width, bottom=1.0, label=label, color=colour)
            if name != baseline:
                tops = [1.0 + height for height in heights]
                axis.errorbar(xs, tops, yerr=(below, above), fmt="none", ecolor="black",
                              elinewidth=0.7, capsize=1.5)
        for i, payload in enumerate(payloads):
            if (payload.key, BARE_COPY) not in cells:
                continue
            spread = _ratio(cells, payload.key, BARE_COPY, baseline, op)
            if spread is not None:
                axis.hlines(spread.median, i - 0.45, i + 0.45, colors="black",
                            linestyles="dashed", linewidth=1)
                axis.text(i + 0.45, spread.median, " bare copy", va="center", fontsize=7)
        axis.set_yscale("log")
        # "0.5×", "2×" rather than matplotlib's 5×10⁻¹; minor ticks labelled at 2, 3 and 5.
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}×"))
        axis.yaxis.set_minor_formatter(FuncFormatter(_minor_label))
        axis.axhline(1.0, color="black", linewidth=0.8)
        axis.set_ylabel(f"{op}: time ÷ pickle's")
        axis.grid(axis="y", which="major", alpha=0.3)
    axes[0].legend(ncol=len(names), fontsize=8, loc="upper center",
                   bbox_to_anchor=(0.5, 1.18))
    axes[1].set_xticks(range(len(payloads)),
                       [textwrap.fill(payload.title, 18) for payload in payloads], fontsize=8)
    figure.suptitle(title, fontsize=10, y=0.995)
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    figure.savefig(path, dpi=110)
    plt.close(figure)
