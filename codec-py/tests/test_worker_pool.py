"""codec-py/examples/worker_pool.py: the script runs its summary through frozenpack.futures and
checks it (the executor itself is tested in test_workers_futures*.py)."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
# The workers started with "spawn" import worker_pool in a fresh interpreter, which gets this
# process's sys.path: the examples directory must be on it, not only added to an import.
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

import worker_pool  # noqa: E402


def test_the_script_runs_and_checks_its_result():
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "worker_pool.py"),
         "--workers", "2", "--rows", "3000", "--chunk", "400"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"2 workers \(spawn\), 3000 readings in 8 tasks of up to 400, "
                        r"\d+\.\d\d s with start-up", lines[0]), lines[0]
    assert lines[1].split() == ["station", "readings", "mean", "min", "max", "notes"]
    stations = [line.split()[0] for line in lines[2:-1]]
    assert stations == list(worker_pool.STATIONS)
    assert sum(int(line.split()[1]) for line in lines[2:-1]) == 3000
    assert lines[-1] == "same as computed in this process: True"


def test_the_summary_merges_to_the_single_process_answer():
    rows = worker_pool.readings(500, seed=1)
    chunks = [tuple(rows[i : i + 64]) for i in range(0, 500, 64)]
    merged = worker_pool.merge(worker_pool.summarize(chunk) for chunk in chunks)
    assert [entry[0] for entry in merged] == list(worker_pool.STATIONS)
    assert sum(entry[1] for entry in merged) == 500
    assert all(entry[2] / entry[1] == pytest.approx(
        sum(r[2] for r in rows if r[0] == entry[0]) / entry[1]) for entry in merged)
