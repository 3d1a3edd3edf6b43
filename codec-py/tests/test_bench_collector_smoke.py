"""codec-py/bench/collector.py runs end to end in --quick mode and prints its whole table.

No timing is asserted (the quick numbers mean nothing): what is checked is that every payload
but the bulk bytes has a row with the collector off and one with it on, each with three times
and two ratios with their quartiles, after every decoder was checked to bring it back exactly
(the script exits otherwise).
"""

import os
import pathlib
import re
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "collector.py"
PAYLOADS = ["small mixed tuple", "100 rows of (int, float, str, None)",
            "1,000 ints spanning 64 bits", "tuple nested 50 deep", "20 ints near 2**200"]
_TIME = r"\d+(\.\d+)? (ns|µs|ms|s)"
_RATIO = r"\d+\.\d\d \(\d+\.\d\d–\d+\.\d\d\)"
ROW = re.compile(rf"^\| (?P<payload>[^|]+) \| (?P<collector>on|off) \| {_TIME} \| {_TIME} \| "
                 rf"{_TIME} \| {_RATIO} \| {_RATIO} \|$")


def test_a_quick_run_prints_each_payload_with_the_collector_off_and_on():
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines()
             if line.startswith("| ") and not line.startswith("| payload")]
    rows = [ROW.match(line) for line in lines]
    assert all(rows), result.stdout
    assert [(row["payload"], row["collector"]) for row in rows if row] == [
        (payload, collector) for payload in PAYLOADS for collector in ("off", "on")]
