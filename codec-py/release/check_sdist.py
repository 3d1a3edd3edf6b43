"""Checks the sdist as a user without the repository gets it: `make check-sdist`.

    check_sdist.py --python PYTHON --dist DIR --venv DIR TEST_NAME...

1. The sdist in DIR carries the README, both licences, the whole specification, the
   conformance vectors (byte-equal to the repository's) and the workspace manifest with its
   fat-LTO release profile.
2. `pip install` of the sdist into a fresh venv of PYTHON builds it from source, with nothing
   of the repository or the Makefile (PYTHONPATH removed, run outside the tree); maturin, the
   build backend, comes from PyPI at requirements-dev.txt's version.
3. The sdist's own copies of TEST_NAMEs (files of codec-py/tests) run there against the
   installed package (FROZENPACK_TEST_INSTALLED=1, see check_wheel.py).

CARGO_TARGET_DIR is target/sdist-check in the repository, so that a second run reuses the
compiled dependencies; on a fresh machine the build is from scratch, as a user's is.
"""

import argparse
import pathlib
import re
import shutil
import sys
import tarfile
import tempfile
import tomllib

from check_wheel import REQUIREMENTS, ROOT, _installed_env, _run, _step

SPEC = sorted(path.name for path in (ROOT / "spec").glob("*.md"))
VECTORS = ROOT / "conformance" / "vectors"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="the interpreter to build and test on")
    parser.add_argument("--dist", required=True, type=pathlib.Path, help="where the sdist is")
    parser.add_argument("--venv", required=True, type=pathlib.Path, help="venv to (re)create")
    parser.add_argument("tests", nargs="+", help="names of test files in codec-py/tests")
    args = parser.parse_args(argv)

    sdists = sorted(args.dist.glob("frozenpack-*.tar.gz"))
    if len(sdists) != 1:
        sys.exit(f"expected one sdist in {args.dist}, found {[s.name for s in sdists]}: "
                 "run `make wheels`")
    (sdist,) = sdists
    print(f"== {sdist.name} on {args.python}", flush=True)
    with tempfile.TemporaryDirectory(prefix="frozenpack-sdist-") as scratch:
        scratch = pathlib.Path(scratch)
        with _step("contents"):
            unpacked = _unpack_and_check(sdist, scratch)
        env = _installed_env()
        target = ROOT / "target" / "sdist-check"
        env["CARGO_TARGET_DIR"] = str(target)
        # pip unpacks the sdist anew and its files keep their old mtimes, so cargo would take
        # the previous build of our own crates for fresh (it did, after a module was added):
        # their fingerprints go, the dependencies' builds stay.
        for fingerprint in target.glob("*/.fingerprint/frozenpack-*"):
            shutil.rmtree(fingerprint, ignore_errors=True)
        # pip's isolated build environment takes the build backend from PyPI: the pinned one.
        constraints = scratch / "build-constraints.txt"
        pins = REQUIREMENTS.read_text().splitlines()
        constraints.write_text("".join(f"{pin}\n" for pin in pins if pin.startswith("maturin==")))
        env["PIP_CONSTRAINT"] = str(constraints)
        with _step("fresh venv, test packages, pip install of the sdist (a release build)"):
            python = _fresh_venv_from_sdist(args.python, args.venv.resolve(), sdist, scratch, env)
        tests = [str(unpacked / "codec-py" / "tests" / pathlib.Path(name).name)
                 for name in args.tests]
        with _step(f"pytest ({len(tests)} files from the sdist) against the installed package"):
            _run([python, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *tests],
                 cwd=scratch, env=env)
    return 0


def _unpack_and_check(sdist, scratch):
    with tarfile.open(sdist) as archive:
        archive.extractall(scratch, filter="data")
    (unpacked,) = scratch.glob("frozenpack-*")
    needed = ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md", "pyproject.toml",
              "Cargo.toml", "Cargo.lock", *(f"spec/{name}" for name in SPEC)]
    missing = [name for name in needed if not (unpacked / name).is_file()]
    if missing:
        sys.exit(f"{sdist.name} lacks {missing}")
    for name in ("LICENSE-MIT", "LICENSE-APACHE"):
        if (unpacked / name).read_bytes() != (ROOT / name).read_bytes():
            sys.exit(f"{sdist.name}: {name} differs from the repository's")
    vectors = {path.name: path.read_bytes() for path in VECTORS.glob("*.json")}
    shipped = {path.name: path.read_bytes()
               for path in (unpacked / "conformance" / "vectors").glob("*.json")}
    if shipped != vectors:
        sys.exit(f"{sdist.name}: conformance/vectors differ from the repository's")
    release = tomllib.loads((unpacked / "Cargo.toml").read_text()).get("profile", {}).get("release")
    if not release or (release.get("lto"), release.get("codegen-units")) != ("fat", 1):
        sys.exit(f"{sdist.name}: Cargo.toml's release profile is not fat LTO: {release}")
    print(f"{len(needed)} files, {len(vectors)} vector files: present and equal")
    return unpacked


def _fresh_venv_from_sdist(base_python, venv, sdist, scratch, env):
    shutil.rmtree(venv, ignore_errors=True)
    _run([base_python, "-m", "venv", str(venv)], env=env)
    python = str(venv / "bin" / "python")
    pins = [line for line in REQUIREMENTS.read_text().splitlines()
            if re.match(r"(pytest|hypothesis)==", line)]
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, *pins], cwd=scratch, env=env)
    _run([*pip, "--no-deps", str(sdist.resolve())], cwd=scratch, env=env)
    return python


if __name__ == "__main__":
    sys.exit(main())
