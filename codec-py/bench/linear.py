"""Decoding time is linear in the input's size (issue 5): loads over inputs of growing size,
1x to 64x, for a few shapes, as nanoseconds per input octet. Linear decoding keeps that
figure flat down each column; a quadratic path would multiply it by 64 at 64x.

    PYTHONPATH=codec-py/python .venv/bin/python codec-py/bench/linear.py [--markdown FILE]

Not a test: timings depend on the machine. The report is codec-py/bench/LINEAR.md.
"""

import argparse
import platform
import time

import frozenpack.reference as reference
from frozenpack import _frozenpack as extension

SCALES = (1, 2, 4, 8, 16, 32, 64)


def nested(depth, inner):
    for _ in range(depth):
        inner = (inner,)
    return inner


# Each shape: a value of about 16 KiB of encoding at scale 1, growing with the scale.
SHAPES = {
    "flat tuple of ints": lambda k: tuple(range(-2000 * k, 2000 * k)),
    "tuple of short strs": lambda k: tuple(f"item-{i:08d}" for i in range(1000 * k)),
    "tuple of long strs": lambda k: tuple("é" * 500 + str(i) for i in range(16 * k)),
    "chains 999 deep in a tuple": lambda k: tuple(nested(999, i) for i in range(16 * k)),
    "one big int": lambda k: int.from_bytes(bytes(range(1, 256)) * (64 * k), "little"),
    "tuple of bytes": lambda k: tuple(bytes(100) for _ in range(160 * k)),
}


def best_ns_per_octet(loads, data, budget=0.3):
    """The fastest of several timed runs of loads(data), over len(data)."""
    runs = max(1, int(2_000_000 / len(data)))
    best = float("inf")
    deadline = time.perf_counter() + budget
    while True:
        start = time.perf_counter_ns()
        for _ in range(runs):
            loads(data)
        best = min(best, (time.perf_counter_ns() - start) / runs)
        if time.perf_counter() > deadline:
            break
    return best / len(data)


def measure(module, scales):
    rows = []
    for name, make in SHAPES.items():
        cells = []
        for k in scales:
            data = reference.dumps(make(k))
            assert extension.dumps(module.loads(data)) == data
            cells.append((len(data), best_ns_per_octet(module.loads, data)))
        rows.append((name, cells))
    return rows


def table(title, rows, scales):
    lines = [f"### {title}", "",
             "| shape | size at 1x | " + " | ".join(f"{k}x" for k in scales)
             + f" | {scales[-1]}x / 1x |",
             "|---|---:|" + "---:|" * (len(scales) + 1)]
    for name, cells in rows:
        ratio = cells[-1][1] / cells[0][1]  # the largest scale's figure over the smallest's
        lines.append(f"| {name} | {cells[0][0]} | "
                     + " | ".join(f"{ns:.2f}" for _, ns in cells) + f" | {ratio:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", help="also write the report to this file")
    args = parser.parse_args()
    sections = [
        "# Decoding time against input size",
        "",
        "Nanoseconds per input octet for `loads`, the fastest of repeated runs, at 1x to 64x "
        "the size at 1x (in octets). Linear decoding keeps each row flat: the last column is "
        "the largest scale's figure over the 1x one (1.00 is perfectly linear; a quadratic "
        "path would be near the scale itself). A step of up to about 2x between two scales, "
        "that does not keep growing with further doublings, is the decoded objects outgrowing "
        "a CPU cache, not the decoder. Written by `codec-py/bench/linear.py`.",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d', time.gmtime())}.",
        "",
        table("Extension (`frozenpack.loads`)", measure(extension, SCALES), SCALES),
        "",
        table("Reference (`frozenpack.reference.loads`), 1x to 16x", measure(reference, SCALES[:5]),
              SCALES[:5]),
        "",
    ]
    report = "\n".join(sections)
    print(report)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
