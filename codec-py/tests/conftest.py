"""pytest setup for the frozenpack reference tests.

Makes the package importable when the suite is run without PYTHONPATH (e.g. `pytest
codec-py/tests` from the repository root). Hypothesis settings are not set globally here, so
that other suites run in the same session keep theirs: the property tests take theirs from
reference_helpers.PROPERTY_SETTINGS.
"""

import os
import pathlib
import sys

_PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent / "python"

# FROZENPACK_TEST_INSTALLED=1 (the wheel and sdist tests, codec-py/packaging/): the package
# under test is the installed one, never this tree's, so nothing is added to sys.path, and a
# frozenpack found in the tree (through PYTHONPATH, say) stops the run.
TESTING_INSTALLED = os.environ.get("FROZENPACK_TEST_INSTALLED") == "1"

if not TESTING_INSTALLED and str(_PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(_PACKAGE_ROOT))

import frozenpack  # noqa: E402 - from where the lines above decide

_SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[2]  # the repository or the sdist
if TESTING_INSTALLED and pathlib.Path(frozenpack.__file__).resolve().is_relative_to(_SOURCE_ROOT):
    raise RuntimeError(f"FROZENPACK_TEST_INSTALLED=1, but frozenpack was imported from the "
                       f"source tree: {frozenpack.__file__} (is PYTHONPATH set?)")


def pytest_report_header(config):
    where = "installed" if TESTING_INSTALLED else "source tree"
    return f"frozenpack under test ({where}): {pathlib.Path(frozenpack.__file__).parent}"
