"""What type checkers see of frozenpack: `mypy --strict` over the package's annotated modules
and a user's program (typing/user_program.py) passes, and a misspelt name in that program is
an error, not a silent Any; pyright's strict mode agrees.

The configuration is codec-py/pyproject.toml's [tool.mypy] and [tool.pyright]; the wheel tests
(codec-py/release/check_wheel.py) check the same program against each installed wheel.
"""

import os
import pathlib
import subprocess
import sys

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is pinned in requirements-dev.txt")

CODEC_PY = pathlib.Path(__file__).resolve().parent.parent
CONFIG = CODEC_PY / "pyproject.toml"
USER_PROGRAM = CODEC_PY / "tests" / "typing" / "user_program.py"


def _mypy(tmp_path, *files):
    """mypy with the project's configuration (on `files`, or on its own list); returns
    (exit status, report lines)."""
    args = ["--config-file", str(CONFIG), "--cache-dir", str(tmp_path / "mypy-cache"), *files]
    report, errors, status = mypy_api.run(args)
    assert not errors, errors
    return status, report.splitlines()


def test_the_user_program_runs():
    result = subprocess.run([sys.executable, str(USER_PROGRAM)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("non_canonical at 0: ")


def test_mypy_strict_passes_on_the_package_and_the_user_program(tmp_path):
    status, report = _mypy(tmp_path)
    assert status == 0, "\n".join(report)
    assert report[-1].startswith("Success: no issues found in 5 source files")


@pytest.mark.parametrize(("right", "wrong", "message"), [
    # Without the TYPE_CHECKING guard on the package's __getattr__ (kept for a missing
    # extension), every attribute of the package was Any, and this passed.
    ("frozenpack.dumps(tuple(rows))", "frozenpack.dumpz(tuple(rows))",
     'error: Module has no attribute "dumpz"; maybe "dump" or "dumps"?  [attr-defined]'),
    ("except frozenpack.DecodeError as error", "except frozenpack.DecodingError as error",
     'error: Module has no attribute "DecodingError"'),
    # Value is frozenpack's (at run time too); the extension module has no such attribute.
    ("from frozenpack import DecodeError, Value",
     "from frozenpack._frozenpack import DecodeError, Value",
     'error: Module "frozenpack._frozenpack" does not explicitly export attribute "Value"'),
], ids=["dumpz", "DecodingError", "extension-Value"])
def test_a_misspelt_name_in_the_user_program_is_a_type_error(tmp_path, right, wrong, message):
    source = USER_PROGRAM.read_text()
    assert source.count(right) == 1
    program = tmp_path / "user_program.py"
    program.write_text(source.replace(right, wrong))
    line = source[: source.index(right)].count("\n") + 1
    status, report = _mypy(tmp_path, str(program))
    assert status == 1, "\n".join(report)
    assert any(entry.startswith(f"{program}:{line}: {message}") for entry in report), \
        "\n".join(report)


def _pyright(*args):
    # pyright (pinned) bundles its JavaScript and runs it with the machine's node; without
    # PYRIGHT_PYTHON_IGNORE_WARNINGS its wrapper asks PyPI for a newer version on every run.
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
    result = subprocess.run([sys.executable, "-m", "pyright", "-p", str(CONFIG), *args],
                            capture_output=True, text=True, timeout=300, check=False, env=env)
    return result.returncode, result.stdout.splitlines()


def test_pyright_strict_passes_on_the_package_and_the_user_program():
    status, report = _pyright()
    assert status == 0, "\n".join(report)
    assert report[-1] == "0 errors, 0 warnings, 0 informations"


def test_pyright_finds_a_misspelt_attribute(tmp_path):
    source = USER_PROGRAM.read_text()
    program = tmp_path / "user_program.py"
    program.write_text(source.replace("frozenpack.dumps(tuple(rows))",
                                      "frozenpack.dumpz(tuple(rows))"))
    status, report = _pyright(str(program))
    assert status == 1, "\n".join(report)
    assert any(entry.endswith('error: "dumpz" is not a known attribute of module "frozenpack" '
                              "(reportAttributeAccessIssue)") for entry in report), \
        "\n".join(report)
