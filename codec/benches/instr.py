#!/usr/bin/env python3
"""Instruction counts of the crate's main paths and of its peers (`make bench-instr`).

Builds the `instr` bench binary (benches/instr.rs) and runs each case under
`valgrind --tool=callgrind`, counting only the instructions of the measured loop. Counts do
not depend on the machine's load, so a change shows up here when criterion's times drown in
noise. Prints, per payload, instructions per item (a node of the value: a leaf or a tuple;
a row for typed rows) for frozenpack and its peers, and peer / frozenpack ratios.

    python3 codec/benches/instr.py                     # every case (a few minutes)
    python3 codec/benches/instr.py 'decode/rows'       # cases matching a regex
    python3 codec/benches/instr.py --save after.json   # keep the counts
    python3 codec/benches/instr.py --compare codec/benches/instr-baseline.json

With --compare, each frozenpack count is also shown against the saved one; --fail-above R
exits non-zero if any frozenpack case takes more than R times its saved count (a regression
gate that a loaded machine cannot trip). Standard library only.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def build(cargo):
    """Builds the bench binary (bench profile) and returns its path."""
    out = subprocess.run(
        [cargo, "bench", "-p", "frozenpack", "--bench", "instr", "--no-run",
         "--message-format=json"],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "instr" \
                and msg.get("executable"):
            return msg["executable"]
    sys.exit("instr.py: cargo did not report the instr bench executable")


def count(binary, case):
    """(instructions, iterations, items) of one case, under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out_file = pathlib.Path(tmp) / "callgrind.out"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--toggle-collect=instr::measured",
             f"--callgrind-out-file={out_file}", binary, case],
            cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if run.returncode != 0:
            sys.exit(f"instr.py: {case} failed:\n{run.stderr[-2000:]}")
        line = json.loads(run.stdout.strip().splitlines()[-1])
        totals = re.search(r"^totals:\s*(\d+)", out_file.read_text(), re.M)
        return int(totals.group(1)), line["iters"], line["items"]


def fmt(n):
    return f"{n:,.0f}" if n >= 100 else f"{n:.1f}"


def report(results, baseline):
    """Prints one table per group (decode/<payload>, encode/<payload>, typed_rows/<dir>)."""
    groups = {}
    for case, r in results.items():
        group, imp = case.rsplit("/", 1)
        groups.setdefault(group, {})[imp] = r
    for group, imps in groups.items():
        print(f"\n{group}")
        fp = imps.get("frozenpack", {}).get("per_item")
        for imp, r in imps.items():
            line = f"  {imp:20} {fmt(r['per_item']):>10} instr/item"
            if fp and imp != "frozenpack" and not imp.startswith("frozenpack_"):
                line += f"   {r['per_item'] / fp:5.2f}x frozenpack's"
            old = baseline.get(f"{group}/{imp}")
            if old and imp.startswith("frozenpack"):
                line += f"   (saved {fmt(old['per_item'])}: {r['per_item'] / old['per_item']:.3f}x)"
            print(line)


def markdown(results, baseline):
    """The counts as the Markdown tables of BENCHMARKS.md: every path against its peers, then
    frozenpack's paths against the saved counts."""
    groups = {}
    for case, r in results.items():
        group, imp = case.rsplit("/", 1)
        groups.setdefault(group, {})[imp] = r["per_item"]
    peers = ["postcard", "rmp_serde", "rmpv", "rmpv_ref", "ciborium"]
    print("| group | frozenpack | " + " | ".join(f"`{p}`" for p in peers) + " |")
    print("|---|--:|" + "--:|" * len(peers))
    for group, imps in groups.items():
        ours = imps.get("frozenpack")
        cells = []
        for peer in peers:
            n = imps.get(peer)
            cells.append("—" if n is None or not ours else f"{fmt(n)} ({n / ours:.2f}×)")
        print(f"| {group} | {fmt(ours) if ours else '—'} | " + " | ".join(cells) + " |")
    if baseline:
        print("\n| path | before | after | after ÷ before |")
        print("|---|--:|--:|--:|")
        for case, r in results.items():
            old = baseline.get(case)
            if "/frozenpack" in case and old:
                print(f"| {case} | {fmt(old['per_item'])} | {fmt(r['per_item'])} | "
                      f"{r['per_item'] / old['per_item']:.2f} |")


def count_all(args):
    """Builds the binary and counts every case the patterns select."""
    binary = build(os.environ.get("CARGO", "cargo"))
    cases = subprocess.run([binary, "--list"], check=True, stdout=subprocess.PIPE,
                           text=True).stdout.split()
    if args.patterns:
        cases = [c for c in cases if any(re.search(p, c) for p in args.patterns)]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        counted = list(pool.map(lambda c: (c, count(binary, c)), cases))
    results = {}
    for case, (instructions, iters, items) in counted:
        results[case] = {
            "instructions": instructions,
            "iters": iters,
            "items": items,
            "per_iter": instructions / iters,
            "per_item": instructions / iters / items,
        }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="regexes; a case runs if any matches")
    parser.add_argument("--save", type=pathlib.Path, help="write the counts as JSON")
    parser.add_argument("--compare", type=pathlib.Path, help="saved counts to compare with")
    parser.add_argument("--fail-above", type=float,
                        help="with --compare: fail if a frozenpack case exceeds saved x this")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="cases run in parallel")
    parser.add_argument("--from", dest="saved", type=pathlib.Path,
                        help="report saved counts instead of counting again")
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables of BENCHMARKS.md instead")
    args = parser.parse_args()

    baseline = {}
    if args.compare and args.compare.exists():
        baseline = json.loads(args.compare.read_text())
    elif args.compare:
        print(f"instr.py: no saved counts at {args.compare}; nothing to compare with")

    if args.saved:
        results = json.loads(args.saved.read_text())
    else:
        results = count_all(args)
    if args.markdown:
        markdown(results, baseline)
    else:
        report(results, baseline)
    if args.save:
        args.save.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    if args.fail_above and baseline:
        worse = [c for c, r in results.items() if "/frozenpack" in c and c in baseline
                 and r["per_item"] > args.fail_above * baseline[c]["per_item"]]
        if worse:
            sys.exit(f"instr.py: above {args.fail_above}x the saved counts: {', '.join(worse)}")


if __name__ == "__main__":
    main()
