"""codec-py/examples/worker_pool.py: the script runs, and its FrozenPool does what it says."""

import multiprocessing
import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
# The workers started with "spawn" import worker_pool in a fresh interpreter, which gets this
# process's sys.path: the examples directory must be on it, not only added to an import.
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

import worker_pool  # noqa: E402
from worker_pool import FrozenPool  # noqa: E402

from reference_helpers import exactly_equal, float_from_bits  # noqa: E402


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
    assert lines[0] == "2 workers (spawn), 3000 readings in 8 tasks of up to 400"
    assert lines[1].split() == ["station", "readings", "mean", "min", "max", "notes"]
    stations = [line.split()[0] for line in lines[2:-1]]
    assert stations == list(worker_pool.STATIONS)
    assert sum(int(line.split()[1]) for line in lines[2:-1]) == 3000
    assert lines[-1] == "same as computed in this process: True"


def _echo(*args):
    return args


def _fails(n):
    if n == 3:
        raise ValueError("three is not allowed")
    return n


def _returns_a_list():
    return [1]


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_map_returns_results_in_order_exactly(method):
    values = [
        (2**100, float_from_bits(0x7FF8000000000001), "\udc80"),
        (-0.0, b"\x00" * 50, ((),)),
        (None, True, tuple(range(40))),
    ] * 5
    with FrozenPool(_echo, 3, ctx=multiprocessing.get_context(method)) as pool:
        results = pool.map(values)
    assert len(results) == len(values)
    assert all(exactly_equal(got, want) for got, want in zip(results, values))


def test_an_exception_in_a_worker_is_raised_in_the_parent():
    message = r"^task 3 failed in a worker: ValueError: three is not allowed$"
    with pytest.raises(RuntimeError, match=message):
        with FrozenPool(_fails, 2) as pool:
            pool.map([(n,) for n in range(6)])


def test_a_result_frozenpack_cannot_carry_is_an_error():
    with pytest.raises(RuntimeError, match=r"TypeError: unsupported type 'list' at \$"):
        with FrozenPool(_returns_a_list, 1) as pool:
            pool.map([()])


def test_the_summary_merges_to_the_single_process_answer():
    rows = worker_pool.readings(500, seed=1)
    chunks = [tuple(rows[i : i + 64]) for i in range(0, 500, 64)]
    merged = worker_pool.merge(worker_pool.summarize(chunk) for chunk in chunks)
    assert [entry[0] for entry in merged] == list(worker_pool.STATIONS)
    assert sum(entry[1] for entry in merged) == 500
    assert all(entry[2] / entry[1] == pytest.approx(
        sum(r[2] for r in rows if r[0] == entry[0]) / entry[1]) for entry in merged)
