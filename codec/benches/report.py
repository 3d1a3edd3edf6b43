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


def verdict(ok):
    return "met" if ok else "**missed**"


def faster(peer, ours, factor):
    """Whether `ours` is at least `factor` times faster than `peer` (both measured)."""
    return None not in (peer, ours) and peer >= factor * ours


# Issue 13's targets for decoding to a value tree: at least 2x faster than owned rmpv and
# than ciborium on every payload, and at least 1.5x faster than rmpv's borrowed read_value_ref
# on these payloads; for `Value` and `SharedValue` alike.
REF_PAYLOADS = ("mixed", "rows_10k", "ints_100k")


def decode_verdict(results, payload, impl):
    group = f"decode/{payload}"
    ours = results.get((group, impl))
    ok = all(faster(results.get((group, p)), ours, 2) for p in ("rmpv", "ciborium"))
    if payload in REF_PAYLOADS:
        ok = ok and faster(results.get((group, "rmpv_ref")), ours, 1.5)
    return ok


def decode_table(results):
    peers = ["frozenpack_shared", "rmpv", "rmpv_ref", "ciborium"]
    header = ["payload", "frozenpack `Value`", *[f"`{p}`" for p in peers],
              "rmpv ÷ fp", "rmpv_ref ÷ fp", "ciborium ÷ fp", "target `Value`",
              "rmpv ÷ shared", "rmpv_ref ÷ shared", "ciborium ÷ shared", "target shared"]
    rows = []
    for payload in [*PAYLOADS[:3], "bytes_1kib", *PAYLOADS[3:]]:
        group = f"decode/{payload}"
        ours = results.get((group, "frozenpack"))
        shared = results.get((group, "frozenpack_shared"))
        rmpv, ref, cbor = (results.get((group, p)) for p in ("rmpv", "rmpv_ref", "ciborium"))
        rows.append([payload, fmt_time(ours), *[cell(results, payload, group, p) for p in peers],
                     fmt_ratio(rmpv, ours), fmt_ratio(ref, ours), fmt_ratio(cbor, ours),
                     verdict(decode_verdict(results, payload, "frozenpack")),
                     fmt_ratio(rmpv, shared), fmt_ratio(ref, shared), fmt_ratio(cbor, shared),
                     verdict(decode_verdict(results, payload, "frozenpack_shared"))])
    return table(header, rows)


# Encoding a `Value`: at least as fast as rmpv on every payload, within 1.3x of postcard.
def encode_verdict(results, payload):
    group = f"encode/{payload}"
    ours = results.get((group, "frozenpack"))
    rmpv, postcard = results.get((group, "rmpv")), results.get((group, "postcard"))
    return faster(rmpv, ours, 1) and None not in (postcard, ours) and ours <= 1.3 * postcard


def encode_table(results):
    peers = ["postcard", "bincode", "rmp_serde", "rmpv", "ciborium"]
    header = ["payload", "frozenpack", "`frozenpack_sized`", *[f"`{p}`" for p in peers],
              *[f"{p} ÷ fp" for p in peers], "target"]
    rows = []
    for payload in PAYLOADS:
        group = f"encode/{payload}"
        ours = results.get((group, "frozenpack"))
        rows.append([payload, fmt_time(ours), cell(results, payload, group, "frozenpack_sized"),
                     *[cell(results, payload, group, p) for p in peers],
                     *[fmt_ratio(results.get((group, p)), ours) for p in peers],
                     verdict(encode_verdict(results, payload))])
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


# serde with typed rows: decode within 1.2x of postcard and at least 1.5x faster than
# rmp-serde; encode within 1.2x of postcard and at least 1.3x faster than rmp-serde.
TYPED_TARGETS = {"decode": 1.5, "encode": 1.3}


def typed_targets(results, direction):
    group = f"typed_rows/{direction}"
    ours, postcard, rmp = (results.get((group, i)) for i in ("frozenpack", "postcard", "rmp_serde"))
    if None in (ours, postcard, rmp):
        return f"not measured (no `{group}/frozenpack`, `postcard` or `rmp_serde`)."
    factor = TYPED_TARGETS[direction]
    return (f"frozenpack ÷ postcard = {ours / postcard:.2f} (target ≤ 1.2): "
            f"{verdict(ours <= 1.2 * postcard)}; rmp-serde ÷ frozenpack = {rmp / ours:.2f} "
            f"(target ≥ {factor}): {verdict(rmp >= factor * ours)}")


def summary(results):
    """One line per target of issue 13: met or missed."""
    rows = []
    for impl, name in (("frozenpack", "`Value`"), ("frozenpack_shared", "`SharedValue`")):
        payloads = [*PAYLOADS[:3], "bytes_1kib", *PAYLOADS[3:]]
        missed = [p for p in payloads if not decode_verdict(results, p, impl)]
        rows.append([f"decode to {name}: ≥ 2× rmpv and ciborium everywhere, ≥ 1.5× rmpv_ref "
                     "on mixed, rows, ints", verdict(not missed),
                     "missed on " + ", ".join(missed) if missed else "every payload"])
    missed = [p for p in PAYLOADS if not encode_verdict(results, p)]
    rows.append(["encode `Value`: ≥ rmpv everywhere, ≤ 1.3× postcard", verdict(not missed),
                 "missed on " + ", ".join(missed) if missed else "every payload"])
    for direction in ("decode", "encode"):
        text = typed_targets(results, direction)
        rows.append([f"serde typed rows {direction}", verdict("missed" not in text), text])
    return table(["target", "verdict", "numbers"], rows)


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
    print("### Targets (issue 13)\n")
    print(summary(results))
    print("\n### Decode to a value tree\n")
    print(decode_table(results))
    print(f"\n{LEGEND}\n")
    print("### Encode\n")
    print(encode_table(results))
    print("\n### serde, typed rows: decode (borrowed `&str`)\n")
    print(typed_table(results, "decode"))
    print(f"\nTargets: {typed_targets(results, 'decode')}\n")
    print("### serde, typed rows: encode\n")
    print(typed_table(results, "encode"))
    print(f"\nTargets: {typed_targets(results, 'encode')}")
    print("\n### Zero copy and memcpy\n")
    print(zero_copy_table(results))


if __name__ == "__main__":
    main()
