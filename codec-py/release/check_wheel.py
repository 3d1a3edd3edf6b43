"""Checks one release wheel as a user gets it: `make test-python-3.1x` (and `make test-wheels`).

    check_wheel.py --python PYTHON [--expect 3.1x] --dist DIR --venv DIR TEST_FILE...

1. The wheel in DIR for PYTHON's version has the manylinux2014 tag, and auditwheel (pinned in
   requirements-dev.txt) agrees that its binary needs nothing newer than glibc 2.17.
2. A fresh venv of PYTHON gets the pinned test packages and the wheel, from the file alone.
3. TEST_FILEs run there against the installed package: PYTHONPATH is removed, the working
   directory is outside the tree, and FROZENPACK_TEST_INSTALLED=1 makes the tests' conftest
   refuse a frozenpack imported from the tree (pytest's header shows where it comes from). The
   extension of another version's wheel is handed to the test that checks it is refused.
4. mypy --strict checks the user program of codec-py/tests/typing against the installed
   package (its stubs and py.typed), and a misspelt attribute in it must fail.

Each step prints its time. Exits non-zero on the first failure.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements-dev.txt"
USER_PROGRAM = ROOT / "codec-py" / "tests" / "typing" / "user_program.py"
# manylinux2014 is manylinux_2_17: the wheel's binary may use glibc symbols up to 2.17.
MAX_GLIBC = (2, 17)
PLATFORM_TAGS = {"manylinux_2_17_x86_64", "manylinux2014_x86_64"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="the interpreter to test the wheel on")
    parser.add_argument("--expect", help="its version, e.g. 3.12 (checked)")
    parser.add_argument("--dist", required=True, type=pathlib.Path, help="where the wheels are")
    parser.add_argument("--venv", required=True, type=pathlib.Path, help="venv to (re)create")
    parser.add_argument("tests", nargs="+", type=pathlib.Path, help="pytest files to run")
    args = parser.parse_args(argv)

    abi = _run([args.python, "-c", "import sys; print('cp%d%d' % sys.version_info[:2])"],
               capture=True).strip()
    if args.expect and abi != "cp" + args.expect.replace(".", ""):
        sys.exit(f"{args.python} is not CPython {args.expect} ({abi})")
    wheel = _the_wheel(args.dist, abi)
    print(f"== {wheel.name} on {args.python}", flush=True)
    with _step("tags (WHEEL file, auditwheel show)"):
        _check_tags(wheel, abi)
    with _step("fresh venv, test packages, the wheel"):
        python = _fresh_venv(args.python, args.venv.resolve(), wheel)
    with tempfile.TemporaryDirectory(prefix="frozenpack-wheel-") as scratch:
        scratch = pathlib.Path(scratch)
        env = _installed_env()
        foreign = _foreign_extension(args.dist, abi, scratch)
        if foreign:
            env["FROZENPACK_FOREIGN_EXTENSION"] = str(foreign)
        with _step(f"pytest ({len(args.tests)} files) against the installed wheel"):
            _run([python, "-m", "pytest", "-p", "no:cacheprovider", "-rs",
                  *[str(test.resolve()) for test in args.tests]], cwd=scratch, env=env)
        with _step("mypy --strict, user program against the installed wheel"):
            _check_typing(python, scratch)
    return 0


def _the_wheel(dist, abi):
    wheels = sorted(dist.glob(f"frozenpack-*-{abi}-{abi}-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one {abi} wheel in {dist}, found {[w.name for w in wheels]}: "
                 "run `make wheels`")
    return wheels[0]


def _check_tags(wheel, abi):
    with zipfile.ZipFile(wheel) as archive:
        (wheel_file,) = [n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")]
        tags = set(re.findall(r"^Tag: (\S+)$", archive.read(wheel_file).decode(), re.M))
    expected = {f"{abi}-{abi}-{platform}" for platform in PLATFORM_TAGS}
    if tags != expected:
        sys.exit(f"{wheel.name}: tags {sorted(tags)}, expected {sorted(expected)}")
    report = _run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture=True)
    print(report.strip())
    found = re.search(
        r'consistent with the following platform tag:\s*"manylinux_(\d+)_(\d+)_x86_64"', report)
    if not found or (int(found[1]), int(found[2])) > MAX_GLIBC:
        sys.exit(f"{wheel.name}: auditwheel does not find it manylinux_2_17 compatible")


def _fresh_venv(base_python, venv, wheel):
    shutil.rmtree(venv, ignore_errors=True)
    _run([base_python, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    pins = [line for line in REQUIREMENTS.read_text().splitlines()
            if re.match(r"(pytest|hypothesis)==", line)]
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, *pins])
    # The wheel alone: it has no dependencies, and nothing may come from an index instead.
    _run([*pip, "--no-index", "--no-deps", str(wheel)])
    return python


def _installed_env():
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MYPYPATH")}
    env["FROZENPACK_TEST_INSTALLED"] = "1"
    return env


def _foreign_extension(dist, abi, scratch):
    """The extension module of a wheel for another CPython, extracted into scratch: the nearest
    older version's (an older build loads into a newer CPython, so the module's own check is
    what refuses it), else the nearest newer one's; None when dist has no other wheel."""
    minor = int(abi[3:])

    def nearness(wheel):
        other = int(re.search(r"-cp3(\d+)-", wheel.name)[1])
        return (other > minor, abs(other - minor))

    others = sorted((w for w in dist.glob("frozenpack-*.whl") if f"-{abi}-" not in w.name),
                    key=nearness)
    if not others:
        print("(no wheel for another CPython in dist: the refusal test is skipped)")
        return None
    with zipfile.ZipFile(others[0]) as archive:
        (name,) = [n for n in archive.namelist() if re.search(r"_frozenpack\..*\.so$", n)]
        target = scratch / pathlib.Path(name).name
        target.write_bytes(archive.read(name))
    return target


def _check_typing(python, scratch):
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-executable", python,
            "--cache-dir", str(scratch / "mypy-cache"), "--config-file", ""]
    env = _installed_env()
    _run([*mypy, str(USER_PROGRAM)], cwd=scratch, env=env)
    misspelt = scratch / "misspelt.py"
    source = USER_PROGRAM.read_text()
    misspelt.write_text(source.replace("frozenpack.dumps(", "frozenpack.dumpz(", 1))
    result = subprocess.run([*mypy, str(misspelt)], cwd=scratch, env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode != 1 or 'Module has no attribute "dumpz"' not in result.stdout:
        sys.exit(f"mypy did not flag frozenpack.dumpz against the installed wheel:\n"
                 f"{result.stdout}")
    print('misspelt frozenpack.dumpz: error: Module has no attribute "dumpz" (as expected)')


class _step:
    """Prints how long the step in the with-block took."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print(f"-- {self.name}", flush=True)
        self.start = time.monotonic()

    def __exit__(self, *exc):
        print(f"-- {self.name}: {time.monotonic() - self.start:.1f} s", flush=True)


def _run(command, cwd=None, env=None, capture=False):
    result = subprocess.run(command, cwd=cwd, env=env, text=True, check=False,
                            stdout=subprocess.PIPE if capture else None)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(map(str, command))}")
    return result.stdout if capture else None


if __name__ == "__main__":
    sys.exit(main())
