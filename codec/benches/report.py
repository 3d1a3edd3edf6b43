#!/usr/bin/env python3
"""Prints the results tables of BENCHMARKS.md from criterion's output of the last
`cargo bench -p frozenpack --benches` run (target/criterion/**/new/*.json).

Times are criterion's median per iteration; a ratio is peer time / frozenpack time, so
a ratio above 1 means frozenpack is faster. Standard library only.

    python3 codec/benches/report.py [--criterion-dir target/criterion]
"""

import argparse
import json
import pathlib
import sys

PAYLOADS = ["mixed", "rows_10k", "bytes_10mib", "ints_100k", "deep_500", "bigints_1k"]

# Cells where a peer cannot carry the payload natively (the benches' common/ modules say how
# each is carried instead).
BYTES_WORKAROUND = "†"  # ints beyond 64 bits as bytes of their two's complement
BIGNUM = "‡"  # CBOR bignum tags 2/3 (native to CBOR)
OWNED = "§"  # decodes into owned Strings: ciborium cannot borrow from its reader

MARKS = {
    ("bigints_1k", "rmpv"): BYTES_WORKAROUND,
    ("bigints_1k", "rmpv_ref"): BYTES_WORKAROUND,
    ("bigints_1k", "postcard"): BYTES_WORKAROUND,
    ("bigints_1k", "bincode"): BYTES_WORKAROUND,
    ("bigints_1k", "rmp_serde"): BYTES_WORKAROUND,
    ("bigints_1k", "ciborium"): BIGNUM,
    ("rows_10k", "ciborium_owned"): OWNED,
}

LEGEND = (
    f"{BYTES_WORKAROUND} no int beyond 64 bits (MessagePack) or 128 bits (serde): each is "
    "carried as bytes of its 26-octet two's complement, which the reader must know to "
    f"interpret. {BIGNUM} CBOR bignums (tag 2/3 over the big-endian magnitude), native to "
    f"CBOR. {OWNED} ciborium cannot borrow from its reader: rows with an owned `String`."
)


def load(root):
    """{(group, function): median ns} for every benchmark criterion measured."""
    results = {}
    for bench in root.glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        results[(meta["group_id"], meta["function_id"])] = estimates["median"]["point_estimate"]
    return results


def fmt_time(ns):
    if ns is None:
        return "—"
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_ratio(peer, ours):
    if peer is None or ours is None:
        return "—"
    ratio = peer / ours
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.2f}×"


def cell(results, payload, group, function):
    ns = results.get((group, function))
    return fmt_time(ns) + MARKS.get((payload, function), "")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def decode_table(results):
    peers = ["frozenpack_shared", "rmpv", "rmpv_ref", "ciborium"]
    header = ["payload", "frozenpack `Value`", *[f"`{p}`" for p in peers],
              "rmpv ÷ fp", "ciborium ÷ fp", "target ≥ 2× both"]
    rows = []
    for payload in [*PAYLOADS[:3], "bytes_1kib", *PAYLOADS[3:]]:
        group = f"decode/{payload}"
        ours = results.get((group, "frozenpack"))
        rmpv, cbor = results.get((group, "rmpv")), results.get((group, "ciborium"))
        met = ours is not None and None not in (rmpv, cbor) and min(rmpv, cbor) >= 2 * ours
        rows.append([payload, fmt_time(ours), *[cell(results, payload, group, p) for p in peers],
                     fmt_ratio(rmpv, ours), fmt_ratio(cbor, ours), "met" if met else "**missed**"])
    return table(header, rows)


def encode_table(results):
    peers = ["postcard", "bincode", "rmp_serde", "rmpv", "ciborium"]
    header = ["payload", "frozenpack", "`frozenpack_sized`", *[f"`{p}`" for p in peers],
              *[f"{p} ÷ fp" for p in peers]]
    rows = []
    for payload in PAYLOADS:
        group = f"encode/{payload}"
        ours = results.get((group, "frozenpack"))
        rows.append([payload, fmt_time(ours), cell(results, payload, group, "frozenpack_sized"),
                     *[cell(results, payload, group, p) for p in peers],
                     *[fmt_ratio(results.get((group, p)), ours) for p in peers]])
    return table(header, rows)


def spread(results, other):
    """How far a second run's medians are from this run's: (median, min, max) of the ratios."""
    ratios = sorted(other[key] / ns for key, ns in results.items() if key in other)
    if not ratios:
        return None
    return ratios[len(ratios) // 2], ratios[0], ratios[-1]


def typed_table(results, direction):
    group = f"typed_rows/{direction}"
    ours = results.get((group, "frozenpack"))
    impls = ["frozenpack", "postcard", "bincode", "rmp_serde", "ciborium_owned"]
    rows = [[f"`{i}`", cell(results, "rows_10k", group, i),
             fmt_ratio(results.get((group, i)), ours)] for i in impls]
    return table(["implementation", "time", "this ÷ frozenpack"], rows)


def typed_targets(results):
    group = "typed_rows/decode"
    ours, postcard, rmp = (results.get((group, i)) for i in ("frozenpack", "postcard", "rmp_serde"))
    if ours is None:
        return "frozenpack's serde decode was not measured (no `typed_rows/decode/frozenpack`)."
    within = ours <= 1.2 * postcard
    faster = ours < rmp
    return (f"frozenpack ÷ postcard = {ours / postcard:.2f} (target ≤ 1.2): "
            f"{'met' if within else '**missed**'}; rmp-serde ÷ frozenpack = {rmp / ours:.2f} "
            f"(target > 1): {'met' if faster else '**missed**'}")


def zero_copy_table(results):
    rows = []
    for impl in ["frozenpack", "frozenpack_shared", "rmpv", "rmpv_ref", "ciborium"]:
        big = results.get(("decode/bytes_10mib", impl))
        small = results.get(("decode/bytes_1kib", impl))
        rows.append([f"decode `{impl}`", fmt_time(small), fmt_time(big), fmt_ratio(big, small)])
    ours = results.get(("encode/bytes_10mib", "frozenpack"))
    memcpy = results.get(("encode/bytes_10mib", "memcpy"))
    rows.append(["encode frozenpack vs memcpy of 10 MiB", f"memcpy {fmt_time(memcpy)}",
                 f"frozenpack {fmt_time(ours)}", f"{ours / memcpy:.2f}× memcpy" if ours and memcpy else "—"])
    return table(["what", "1 KiB (or memcpy)", "10 MiB (or frozenpack)", "ratio"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = pathlib.Path(__file__).resolve().parents[2] / "target" / "criterion"
    parser.add_argument("--criterion-dir", type=pathlib.Path, default=default)
    parser.add_argument("--compare", type=pathlib.Path, metavar="DIR",
                        help="a copy of target/criterion from a second run, to report the spread")
    args = parser.parse_args()
    results = load(args.criterion_dir)
    if not results:
        sys.exit(f"no criterion results under {args.criterion_dir}: run `make bench-rust` first")
    if args.compare:
        median, low, high = spread(results, load(args.compare))
        print(f"Second run ÷ this run, over all {len(results)} benchmarks: median {median:.2f}, "
              f"range {low:.2f} … {high:.2f}\n")
    print("### Decode to a value tree\n")
    print(decode_table(results))
    print(f"\n{LEGEND}\n")
    print("### Encode\n")
    print(encode_table(results))
    print("\n### serde, typed rows: decode (borrowed `&str`)\n")
    print(typed_table(results, "decode"))
    print(f"\nTargets: {typed_targets(results)}\n")
    print("### serde, typed rows: encode\n")
    print(typed_table(results, "encode"))
    print("\n### Zero copy and memcpy\n")
    print(zero_copy_table(results))


if __name__ == "__main__":
    main()
