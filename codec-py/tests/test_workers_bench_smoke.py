"""codec-py/bench/workers.py runs end to end in --quick mode and prints every table it promises.

No timing is asserted (the quick numbers mean nothing): what is checked is that each transport
has its row for each payload, with a time in both columns and a ratio, after every round trip
was checked to be exact (the script fails otherwise).
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench" / "workers.py"
PAYLOADS = ["100 rows of (int, float, str, None)", "one 64 KiB bytes",
            "1,000 ints spanning 64 bits"]
PROCESS_TRANSPORTS = [
    "Connection (a pipe to a worker process)",
    "Connection, the bridge",
    "concurrent.futures.ProcessPoolExecutor, the bridge",
    "multiprocessing.Pool, the bridge",
    "executor: stdlib against frozenpack.futures",
]
_CELL = r"\d[\d.]* [µm]?s ±\d+% \([^|]+\)"  # "3.37 ms ±43% (Connection.send)"
ROW = re.compile(rf"^\| (?P<transport>[^|]+) \| (?P<payload>[^|]+) \| {_CELL} \| {_CELL} \| "
                 r"\*\*\d+\.\d\d\*\* \(\d+\.\d\d–\d+\.\d\d\) \|$")


def test_a_quick_run_prints_every_transport_for_every_payload():
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 0, result.stderr
    rows = [ROW.match(line) for line in result.stdout.splitlines() if line.startswith("| ")
            and not line.startswith(("| transport", "|---"))]
    assert all(rows), result.stdout
    found = {(row["transport"], row["payload"]) for row in rows}
    for payload in PAYLOADS:
        for transport in PROCESS_TRANSPORTS:
            assert (transport, payload) in found
    for payload in PAYLOADS[0], PAYLOADS[2]:  # the map is over a payload's items
        assert ("executor map over the items, chunks of 1,000, 2 workers", payload) in found
    if importlib.util.find_spec("distributed") is not None:
        for payload in PAYLOADS:
            assert ("Dask scatter + gather", payload) in found
            assert ("Dask scatter + gather, wrapped", payload) in found
        assert ("Dask client.map, 8 chunks of 100 rows", "800 rows") in found
        assert ("Dask client.map, 8 chunks of 100 rows, results wrapped", "800 rows") in found
    assert "Not judged: --quick numbers mean nothing." in result.stdout
