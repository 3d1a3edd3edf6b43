"""pytest setup for the frozenpack reference tests.

Makes the package importable when the suite is run without PYTHONPATH (e.g. `pytest
codec-py/tests` from the repository root). Hypothesis settings are not set globally here, so
that other suites run in the same session keep theirs: the property tests take theirs from
reference_helpers.PROPERTY_SETTINGS.
"""

import pathlib
import sys

_PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent / "python"
if str(_PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(_PACKAGE_ROOT))
