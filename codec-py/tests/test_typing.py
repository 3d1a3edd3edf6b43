"""What type checkers see of frozenpack: `mypy --strict` over the whole package and a user's
program (typing/user_program.py) passes, and a misspelt name or a wrong argument in that program
is an error, not a silent Any; pyright's strict mode agrees.

The configuration is codec-py/pyproject.toml's [tool.mypy] and [tool.pyright], for Python 3.11,
the oldest the package supports; each checker runs a second time for 3.13, which also checks
interpreters.py against 3.13's _interpreters. The wheel tests (codec-py/release/check_wheel.py)
check the same program against each installed wheel.
"""

import os
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is pinned in requirements-dev.txt")

CODEC_PY = pathlib.Path(__file__).resolve().parent.parent
CONFIG = CODEC_PY / "pyproject.toml"
PACKAGE = CODEC_PY / "python" / "frozenpack"
USER_PROGRAM = CODEC_PY / "tests" / "typing" / "user_program.py"
# For CPython 3.13 and later only: the configuration's mypy run (3.11) excludes it.
ONLY_3_13 = [PACKAGE / "interpreters.py"]
MYPY_EXCLUDE = [re.compile(pattern) for pattern in
                tomllib.loads(CONFIG.read_text())["tool"]["mypy"]["exclude"]]


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory):
    """One cache for the module's mypy runs: the package is analysed once, then each checked
    variant of the user program only adds itself."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(cache, *args):
    """mypy with the project's configuration (on `args`' files, or on its own list); returns
    (exit status, report lines)."""
    report, errors, status = mypy_api.run(
        ["--config-file", str(CONFIG), "--cache-dir", str(cache), *args])
    assert not errors, errors
    return status, report.splitlines()


def test_the_user_program_runs():
    result = subprocess.run([sys.executable, str(USER_PROGRAM)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("non_canonical at 0: ")


def _checked_modules():
    """The package's modules and stubs that the configuration does not exclude."""
    return [path for path in PACKAGE.iterdir() if path.suffix in (".py", ".pyi")
            and not any(pattern.search(path.as_posix()) for pattern in MYPY_EXCLUDE)]


def test_mypy_strict_passes_on_the_package_and_the_user_program(mypy_cache):
    status, report = _mypy(mypy_cache)
    assert status == 0, "\n".join(report)
    # (Nothing left out silently: every module found is counted, and the program.)
    assert report[-1] == f"Success: no issues found in {len(_checked_modules()) + 1} source files"


def test_mypy_strict_passes_for_python_3_13_with_its_modules(mypy_cache):
    status, report = _mypy(mypy_cache, "--python-version", "3.13", str(PACKAGE),
                           *map(str, ONLY_3_13), str(USER_PROGRAM))
    assert status == 0, "\n".join(report)
    checked = len(set(_checked_modules()) | set(ONLY_3_13)) + 1
    assert report[-1] == f"Success: no issues found in {checked} source files"


# (what the program says, a mistake in its place, the start of mypy's error at that line)
MISTAKES = [
    # Without the TYPE_CHECKING guard on the package's __getattr__ (kept for a missing
    # extension), every attribute of the package was Any, and this passed.
    ("frozenpack.dumps(tuple(rows))", "frozenpack.dumpz(tuple(rows))",
     'error: Module has no attribute "dumpz"; maybe "dump" or "dumps"?  [attr-defined]'),
    ("except frozenpack.DecodeError as error", "except frozenpack.DecodingError as error",
     'error: Module has no attribute "DecodingError"'),
    # Value is frozenpack's (at run time too); the extension module has no such attribute.
    ("from frozenpack import DecodeError, Value, reference",
     "from frozenpack._frozenpack import DecodeError, Value, reference",
     'error: Module "frozenpack._frozenpack" does not explicitly export attribute "Value"'),
    # The reference: a list is no value, a str no buffer, bytes no stream, max_depth an int.
    ("reference.dumps(tuple(rows))", "reference.dumps(rows)",
     'error: No overload variant of "dumps" matches argument type '
     '"list[tuple[int, float, str, None]]"  [call-overload]'),
    ("reference.loads(data)", "reference.loads(data.hex())",
     'error: Argument 1 to "loads" has incompatible type "str"; expected "Buffer"  [arg-type]'),
    ("reference.iter_load(stream)", "reference.iter_load(data)",
     'error: Argument 1 to "iter_load" has incompatible type "bytes"; expected "_Readable"'),
    ("reference.Decoder(max_depth=reference.MAX_DEPTH)",
     "reference.Decoder(max_depth=str(reference.MAX_DEPTH))",
     'error: Argument "max_depth" to "Decoder" has incompatible type "str"; expected "int"'),
    # The executor: fn's arguments are checked against fn; its result has fn's type.
    ("executor.submit(math.factorial, 20)", "executor.submit(math.factorial, 20.0)",
     'error: Argument 2 to "submit" of "ProcessPoolExecutor" has incompatible type "float"; '
     'expected "SupportsIndex"  [arg-type]'),
    ("largest: int = future.result()", "largest: str = future.result()",
     'error: Incompatible types in assignment (expression has type "int", variable has type '
     '"str")  [assignment]'),
    ("chunksize=5", "chunksize=5.0",
     'error: Argument "chunksize" to "map" of "ProcessPoolExecutor" has incompatible type '
     '"float"; expected "int"  [arg-type]'),
    # wrap takes values: a list of rows is not one.
    ("frozenpack.wrap(tuple(rows))", "frozenpack.wrap(rows)",
     'error: Argument 1 to "wrap" has incompatible type "list[tuple[int, float, str, None]]"'),
    # frozenpack.connection: values only, timeouts in seconds, and what recv returns is a Value
    # (not Any).
    ("send(here, tuple(rows))", "send(here, rows)",
     'error: Argument 2 to "send" has incompatible type "list[tuple[int, float, str, None]]"; '
     'expected "Value"  [arg-type]'),
    ("recv(there, timeout=5.0, maxlength=1 << 20)", 'recv(there, timeout="5", maxlength=1 << 20)',
     'error: Argument "timeout" to "recv" has incompatible type "str"; expected "float | None"  '
     '[arg-type]'),
    ("received: Value = recv", "received: int = recv",
     'error: Incompatible types in assignment (expression has type "int | float | str | bytes | '
     'tuple[Value, ...] | None", variable has type "int")  [assignment]'),
    ("results.put((received, 2**70))", "results.put([received, 2**70])",
     'error: Argument 1 to "put" of "FrozenQueue" has incompatible type "list['),
    ("results.get(timeout=5.0)", 'results.get(timeout="5")',
     'error: Argument "timeout" to "get" of "FrozenQueue" has incompatible type "str"; expected '
     '"float | None"  [arg-type]'),
    # put and get take a queue (of bytes) first; get's timeout is keyword-only.
    ("put(octets, value)", "put(value, octets)",
     'error: Argument 2 to "put" has incompatible type "Queue[bytes]"; expected "Value"'),
    ("get(octets, timeout=5.0)", "get(octets, 5.0)",
     'error: Too many positional arguments for "get"  [call-arg]'),
]


def _with_mistake(tmp_path, right, wrong):
    """The user program with `wrong` in the place of `right`, and the line of that place."""
    source = USER_PROGRAM.read_text()
    assert source.count(right) == 1, right
    program = tmp_path / "user_program.py"
    program.write_text(source.replace(right, wrong))
    return program, source[: source.index(right)].count("\n") + 1


@pytest.mark.parametrize(("right", "wrong", "message"), MISTAKES,
                         ids=[wrong for _, wrong, _ in MISTAKES])
def test_a_mistake_in_the_user_program_is_a_type_error(mypy_cache, tmp_path, right, wrong,
                                                       message):
    program, line = _with_mistake(tmp_path, right, wrong)
    status, report = _mypy(mypy_cache, str(program))
    assert status == 1, "\n".join(report)
    assert any(entry.startswith(f"{program}:{line}: {message}") for entry in report), \
        "\n".join(report)


def _pyright(*args):
    # pyright (pinned) bundles its JavaScript and runs it with the machine's node; without
    # PYRIGHT_PYTHON_IGNORE_WARNINGS its wrapper asks PyPI for a newer version on every run.
    # --pythonpath: this interpreter's packages (distributed, for frozenpack.dask).
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "-p", str(CONFIG), "--pythonpath", sys.executable,
         *args],
        capture_output=True, text=True, timeout=300, check=False, env=env)
    return result.returncode, result.stdout.splitlines()


@pytest.mark.parametrize("version", ["3.11", "3.13"])
def test_pyright_strict_passes_on_the_package_and_the_user_program(version):
    # interpreters.py is checked as 3.13 code in both runs (its executionEnvironments entry).
    status, report = _pyright("--pythonversion", version)
    assert status == 0, "\n".join(report)
    assert report[-1] == "0 errors, 0 warnings, 0 informations"


# (what the program says, a mistake in its place, pyright's error at that line). All in one
# program: a pyright run has no cache, and takes seconds.
PYRIGHT_MISTAKES = [
    ("frozenpack.dumps(tuple(rows))", "frozenpack.dumpz(tuple(rows))",
     'error: "dumpz" is not a known attribute of module "frozenpack" '
     "(reportAttributeAccessIssue)"),
    ("executor.submit(math.factorial, 20)", "executor.submit(math.factorial, 20.0)",
     'error: Argument of type "float" cannot be assigned to parameter "x" of type '
     '"SupportsIndex"'),
    ("reference.iter_load(stream)", "reference.iter_load(data)",
     'error: Argument of type "bytes" cannot be assigned to parameter "fp" of type '
     '"_Readable" in function "iter_load"'),
    ("send(here, tuple(rows))", "send(here, rows)",
     'error: Argument of type "list[Row]" cannot be assigned to parameter "value" of type '
     '"Value" in function "send"'),
    ("results.get(timeout=5.0)", 'results.get(timeout="5")',
     'error: Argument of type "Literal[\'5\']" cannot be assigned to parameter "timeout" of '
     'type "float | None" in function "get"'),
]


def test_pyright_finds_the_mistakes(tmp_path):
    source = USER_PROGRAM.read_text()
    lines = []
    for right, wrong, _ in PYRIGHT_MISTAKES:
        assert source.count(right) == 1, right
        lines.append(source[: source.index(right)].count("\n") + 1)
        source = source.replace(right, wrong)
    program = tmp_path / "user_program.py"
    program.write_text(source)
    status, report = _pyright(str(program))
    assert status == 1, "\n".join(report)
    for line, (_, _, message) in zip(lines, PYRIGHT_MISTAKES):
        assert any(f"{program}:{line}:" in entry and message in entry for entry in report), \
            "\n".join(report)
