"""A shared-memory buffer that another process writes while it is decoded (spec section 11,
"Inputs that change while they are decoded"): no crash, no exception but DecodeError, no str
that breaks CPython's invariants, no poisoned string cache. Runs on 3.11, 3.12 and 3.13.

The race itself is shm_race.py, run here as a child process for a few seconds per
implementation (a crash — before the fix, a Rust panic across the FFI boundary aborted the
process — shows as its exit status); `make fuzz-shm` runs it for longer.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("shm_race.py")
SECONDS = float(os.environ.get("FROZENPACK_SHM_RACE_SECONDS", "3"))


@pytest.mark.parametrize("implementation", ["extension", "reference"])
def test_a_buffer_written_during_decoding_gives_values_or_decode_errors(implementation):
    child = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--seconds", str(SECONDS),
         "--implementation", implementation],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its writer process too is ended below, whatever happens
    )
    try:
        out, err = child.communicate(timeout=SECONDS + 120)
    finally:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert child.returncode == 0, (child.returncode, out[-3000:], err[-3000:])
    report = json.loads(out.splitlines()[-1])
    assert report["problems"] == []
    # The race ran: both valid and invalid octets were seen.
    assert report["values"] > 0 and report["errors"] > 0
