"""codec-py/bench/bench.py runs end to end in --quick mode: tables, targets, chart, report file
and the README's excerpt.

No timing is asserted (the quick numbers mean nothing); what is checked is that every payload
gets a table with every serializer in it, that each row either has times with their spread and
ratios with their quartiles or says why the serializer cannot carry the payload, that every
target has its row, that the README's block (and only it) is rewritten from the same run, and
that the chart is a PNG.
"""

import os
import pathlib
import re
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "bench.py"
README_BEGIN = "<!-- make bench: begin (written by codec-py/bench/bench.py --readme) -->"
README_END = "<!-- make bench: end -->"

PAYLOAD_TITLES = [
    "## small mixed tuple",
    "## 100 rows of (int, float, str, None)",
    "## one 64 KiB bytes",
    "## 1,000 ints spanning 64 bits",
    "## tuple nested 50 deep",
    "## 20 ints near 2**200",
]
SERIALIZERS = ["frozenpack", "pickle (protocol 5)", "marshal", "msgspec", "ormsgpack",
               "msgpack", "cbor2"]
TIME = r"(\*\*)?\d+(\.\d+)? (ns|µs|ms|s) ±\d+%(\*\*)?"  # "600 µs ±2%", bold when fastest
RATIO = r"\d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\)"  # "3.87 (3.80–3.95)": median (quartiles)
TARGETS = {  # issue 13's Python targets, and issue 4's bare copy: how many payloads each
    "dumps at least as fast as msgspec's encoder": 5,
    "loads at least as fast as msgspec's decoder": 5,
    "dumps at least as fast as ormsgpack.packb": 5,
    "loads at least as fast as ormsgpack.unpackb": 5,
    "dumps at least as fast as marshal": 6,
    "loads at least as fast as marshal": 6,
    "dumps at least 2x faster than pickle": 5,
    "loads at least 1.3x faster than pickle": 3,
    "loads at least as fast as pickle": 1,
    "dumps within 1.2x of a bare copy": 1,
    "loads within 1.2x of a bare copy": 1,
}


def test_quick_run_writes_the_tables_the_targets_the_chart_and_the_readme(tmp_path):
    report, chart, readme = tmp_path / "RESULTS.md", tmp_path / "results.png", tmp_path / "R.md"
    readme.write_text(f"# before\n\n{README_BEGIN}\n\nold\n\n{README_END}\n\nafter\n",
                      encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--markdown", str(report), "--png", str(chart),
         "--readme", str(readme)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    text = report.read_text(encoding="utf-8")
    assert result.stdout == text + "\n"
    assert "![dumps and loads time relative to pickle](results.png)" in text
    assert "Not judged: --quick numbers mean nothing." in text
    assert re.search(r"^- load average \(1, 5, 15 min\): [\d.]+ / [\d.]+ / [\d.]+ before", text,
                     re.MULTILINE)
    assert re.search(r"^- machine: .+, nproc \d+ ", text, re.MULTILINE)
    assert "- method: 2 fresh processes, one after another;" in text
    assert "then 2 rounds each time every serializer once" in text
    assert ": 4 rounds in all." in text

    sections = text.split("\n## ")
    tables = {"## " + section.splitlines()[0]: section for section in sections[1:]}
    assert list(tables)[: len(PAYLOAD_TITLES)] == PAYLOAD_TITLES
    cannot_pattern = re.compile(r"^\| [^|]+ \| — \| — \| — \| — \| — \| cannot: ")
    row_pattern = re.compile(rf"^\| (?P<name>[^|]+) \| {TIME} \| {TIME} \| [\d,—]+ \| {RATIO} "
                             rf"\| {RATIO} \| [^|]+ \|$")
    for title in PAYLOAD_TITLES:
        rows = [line for line in tables[title].splitlines() if line.startswith("| ")][1:]
        names = [row.split(" | ")[0][2:] for row in rows]
        assert names[: len(SERIALIZERS)] == SERIALIZERS, title
        for row in rows:
            # Either times and ratios with their spread, or no times and a reason.
            assert row_pattern.match(row) or cannot_pattern.match(row), row
        assert rows[0].startswith("| frozenpack | ") and "cannot" not in rows[0], title
    # At these sizes every serializer carries every payload: ormsgpack's nesting limit, which
    # the full run's 500-deep tuple exceeds, is not reached at 50.
    assert "cannot:" not in text
    assert re.search(r"^\| \*bare copy\* \|", tables["## one 64 KiB bytes"], re.MULTILINE)

    target_rows = [line for line in tables["## Targets (issue 13)"].splitlines()
                   if line.startswith("| ") and not line.startswith("| target |")]
    counts = {}
    for row in target_rows:
        assert re.match(rf"^\| [^|]+ \| [^|]+ \| \d\.\d\d \| {RATIO} \| [\d.]+–[\d.]+ "
                        r"\| not judged \|$", row), row
        counts[row.split(" | ")[0][2:]] = counts.get(row.split(" | ")[0][2:], 0) + 1
    assert counts == TARGETS
    peers_section = tables["## How the peers carry the payloads"]
    for name in SERIALIZERS[1:]:
        assert f"\n- {name}: " in peers_section

    # The README's block is this run's excerpt; what is around it is left as it was.
    written = readme.read_text(encoding="utf-8")
    before, rest = written.split(README_BEGIN)
    block, after = rest.split(README_END)
    assert (before, after) == ("# before\n\n", "\n\nafter\n")
    assert "4 interleaved rounds" in block and "interquartile range" in block
    excerpt_rows = [line for line in block.splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[0][2:] for row in excerpt_rows] == [
        title[3:] for title in PAYLOAD_TITLES]
    frozenpack_row = tables[PAYLOAD_TITLES[0]].split("\n| frozenpack | ")[1].split(" | ")
    assert excerpt_rows[0].split(" | ")[1] == frozenpack_row[0].split(" ±")[0].strip("*")
    for row in excerpt_rows:
        assert re.match(rf"^\| [^|]+ \| [^|]+ \| [^|]+ \| {RATIO} \| {RATIO} \| {RATIO} "
                        rf"\| {RATIO} \| {RATIO} \| {RATIO} \|$", row), row

    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
