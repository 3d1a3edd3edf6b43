"""pytest setup for the conformance tooling's tests.

Makes typed_json (in conformance/) importable when the suite runs without PYTHONPATH, e.g.
`pytest conformance/tests` from the repository root. The runner and the testees are run as
subprocesses and find their own imports.
"""

import pathlib
import sys

_CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent
if str(_CONFORMANCE) not in sys.path:
    sys.path.insert(0, str(_CONFORMANCE))
