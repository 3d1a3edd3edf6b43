"""codec-py/bench/bench.py runs end to end in --quick mode: tables, chart, report file.

No timing is asserted (the quick numbers mean nothing); what is checked is that every payload
gets a table with every serializer in it, that each row either has times or says why the
serializer cannot carry the payload, and that the chart is a PNG.
"""

import os
import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "bench.py"

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


def test_quick_run_writes_the_tables_and_the_chart(tmp_path):
    report, chart = tmp_path / "RESULTS.md", tmp_path / "results.png"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--markdown", str(report), "--png", str(chart)],
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

    sections = text.split("\n## ")
    tables = {"## " + section.splitlines()[0]: section for section in sections[1:]}
    assert list(tables)[: len(PAYLOAD_TITLES)] == PAYLOAD_TITLES
    for title in PAYLOAD_TITLES:
        rows = [line for line in tables[title].splitlines() if line.startswith("| ")]
        names = [row.split(" | ")[0][2:] for row in rows[1:]]
        assert names[: len(SERIALIZERS)] == SERIALIZERS, title
        for row in rows[1:]:
            cells = row.split(" | ")
            # Either a time in the dumps column, or no times and a reason.
            assert cells[1].rstrip("*").endswith(("s", "—")), row
            assert cells[1] != "—" or cells[-1].startswith("cannot: "), row
        # frozenpack itself carries every payload.
        assert "cannot" not in rows[1], title
    # At these sizes every serializer carries every payload: ormsgpack's nesting limit, which
    # the full run's 500-deep tuple exceeds, is not reached at 50.
    assert "cannot:" not in text
    assert "| *bare copy* |" in tables["## one 64 KiB bytes"]

    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
