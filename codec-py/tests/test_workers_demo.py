"""codec-py/examples/demo.py (make demo) runs end to end on a small dataset, executors included.

Timings are not checked (they mean nothing at this size); every comparison must report that what
came back is exactly what was sent, and the demo must exit 0 (it exits 1 otherwise).
"""

import os
import pathlib
import subprocess
import sys

DEMO = pathlib.Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_the_demo_runs_and_every_round_trip_is_exact():
    result = subprocess.run(
        [sys.executable, str(DEMO), "--rows", "3000", "--times", "1", "--executor-rows", "2000",
         "--chunk", "500"],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    exact = [line for line in lines if "exactly equal:" in line]
    assert len(exact) == 4 and all(line.endswith("exactly equal: True") for line in exact)
    assert any(line.startswith("the rows through an executor of 4 worker processes")
               and "map of 4 tasks of 500 rows" in line for line in lines)
    assert any("frozenpack.futures.ProcessPoolExecutor" in line for line in exact)
