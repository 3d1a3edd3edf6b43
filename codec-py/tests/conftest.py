"""pytest setup for the frozenpack reference tests.

Makes the package importable when the suite is run without PYTHONPATH (e.g. `pytest
codec-py/tests` from the repository root). Hypothesis settings are not set globally here, so
that other suites run in the same session keep theirs: the property tests take theirs from
reference_helpers.PROPERTY_SETTINGS.
"""

import os
import pathlib
import sys
import sysconfig

_PACKAGE_ROOT = pathlib.Path(__file__).resolve().parent.parent / "python"

# FROZENPACK_TEST_INSTALLED=1 (the wheel and sdist tests, codec-py/packaging/): the package
# under test is the installed one, never this tree's, so nothing is added to sys.path, and a
# frozenpack found in the tree (through PYTHONPATH, say) stops the run.
TESTING_INSTALLED = os.environ.get("FROZENPACK_TEST_INSTALLED") == "1"

if not TESTING_INSTALLED and str(_PACKAGE_ROOT) not in sys.path:
    sys.path.insert(0, str(_PACKAGE_ROOT))

import frozenpack  # noqa: E402 - from where the lines above decide

_SITE_PACKAGES = {pathlib.Path(sysconfig.get_path(name)).resolve()
                  for name in ("purelib", "platlib")}
_IMPORTED_FROM = pathlib.Path(frozenpack.__file__).resolve().parent.parent
if TESTING_INSTALLED and _IMPORTED_FROM not in _SITE_PACKAGES:
    raise RuntimeError(f"FROZENPACK_TEST_INSTALLED=1, but frozenpack was not imported from "
                       f"this interpreter's site-packages: {frozenpack.__file__} (PYTHONPATH?)")


def pytest_report_header(config):
    where = "installed" if TESTING_INSTALLED else "source tree"
    return f"frozenpack under test ({where}): {pathlib.Path(frozenpack.__file__).parent}"
