"""frozenpack.dask where distributed cannot be imported: an ImportError that says what to install.

Runs whether or not distributed is installed (a subprocess where importing it fails).
"""

import os
import subprocess
import sys


def test_importing_frozenpack_dask_without_distributed_says_what_to_install():
    script = ("import sys\n"
              "sys.modules['distributed'] = None  # as if it were not installed\n"
              "import frozenpack.dask\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: frozenpack.dask needs Dask's distributed (")
    assert last.endswith("); install it with `pip install frozenpack[dask]`")
