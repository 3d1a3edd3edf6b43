"""The benchmark's chart: dumps and loads time of each serializer relative to pickle's.

Two panels (dumps above, loads below), one group of bars per payload, one bar per serializer,
on a log scale. Bars start at 1 (pickle's time): a bar going down is faster than pickle, one
going up is slower. A serializer that cannot carry a payload exactly has "n/a" instead of a
bar; the 10 MiB group has a dashed mark at a bare copy's time.
"""

import math
import textwrap

import matplotlib

matplotlib.use("Agg")  # files only: no display needed, none used

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

# frozenpack first and in a colour of its own; the others in the order of the table.
_COLOURS = ["#d62728", "#1f77b4", "#7f7f7f", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22"]


def _minor_label(value, _):
    if value <= 0:
        return ""
    mantissa = value / 10 ** math.floor(math.log10(value) + 1e-9)
    return f"{value:g}×" if any(abs(mantissa - m) < 1e-6 for m in (2, 3, 5)) else ""


def draw(path, payloads, peers, cells, copies, *, baseline, title):
    figure, axes = plt.subplots(2, 1, figsize=(12, 8.5), sharex=True)
    width = 0.8 / len(peers)
    for axis, op in zip(axes, ("dumps", "loads")):
        for j, peer in enumerate(peers):
            offset = (j - (len(peers) - 1) / 2) * width
            xs, heights = [], []
            for i, payload in enumerate(payloads):
                mine = getattr(cells[payload.key, peer.name], op)
                base = getattr(cells[payload.key, baseline], op)
                if mine is None or base is None:
                    axis.text(i + offset, 1.0, "n/a", rotation=90, ha="center", va="bottom",
                              fontsize=7, color=_COLOURS[j % len(_COLOURS)])
                    continue
                xs.append(i + offset)
                heights.append(mine / base - 1.0)
            label = f"{peer.name} (= 1)" if peer.name == baseline else peer.name
            axis.bar(xs, heights, width, bottom=1.0, label=label,
                     color=_COLOURS[j % len(_COLOURS)])
        for i, payload in enumerate(payloads):
            base = getattr(cells[payload.key, baseline], op)
            if payload.key in copies and base is not None:
                level = copies[payload.key] / base
                axis.hlines(level, i - 0.45, i + 0.45, colors="black", linestyles="dashed",
                            linewidth=1)
                axis.text(i + 0.45, level, " bare copy", va="center", fontsize=7)
        axis.set_yscale("log")
        # "0.5×", "2×" rather than matplotlib's 5×10⁻¹; minor ticks labelled at 2, 3 and 5.
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}×"))
        axis.yaxis.set_minor_formatter(FuncFormatter(_minor_label))
        axis.axhline(1.0, color="black", linewidth=0.8)
        axis.set_ylabel(f"{op}: time ÷ pickle's")
        axis.grid(axis="y", which="major", alpha=0.3)
    axes[0].legend(ncol=len(peers), fontsize=8, loc="upper center",
                   bbox_to_anchor=(0.5, 1.18))
    axes[1].set_xticks(range(len(payloads)),
                       [textwrap.fill(payload.title, 18) for payload in payloads], fontsize=8)
    figure.suptitle(title, fontsize=10, y=0.995)
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    figure.savefig(path, dpi=110)
    plt.close(figure)
