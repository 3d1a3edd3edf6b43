"""The package as a release ships it: one version (Cargo's), one DecodeError class, Value at run
time, a build that refuses an interpreter it was not compiled for, and, when the package under
test is an installed wheel or sdist (FROZENPACK_TEST_INSTALLED=1, codec-py/packaging/), its
metadata, licences, stubs and console script.

Run on every supported CPython against the installed wheels (`make test-wheels`).
"""

import importlib.metadata
import os
import pathlib
import pickle
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import typing

import pytest

import frozenpack
from frozenpack import _frozenpack as extension
from frozenpack import reference

# The repository, or the unpacked sdist: both have the workspace Cargo.toml there.
SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[2]
INSTALLED = os.environ.get("FROZENPACK_TEST_INSTALLED") == "1"
installed_only = pytest.mark.skipif(
    not INSTALLED, reason="checks an installed wheel or sdist (FROZENPACK_TEST_INSTALLED=1)")


def _workspace_manifest():
    return tomllib.loads((SOURCE_ROOT / "Cargo.toml").read_text())


# --- one version ---------------------------------------------------------------------------------


def test_the_version_is_the_crates_compiled_in():
    version = _workspace_manifest()["workspace"]["package"]["version"]
    assert frozenpack.__version__ == extension.__version__ == version


def test_the_distributions_version_is_the_crates():
    # What maturin wrote into the metadata (pyproject.toml: dynamic = ["version"]).
    try:
        installed = importlib.metadata.version("frozenpack")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("frozenpack is not installed as a distribution (run from the tree only)")
    assert installed == frozenpack.__version__


def test_release_builds_use_fat_lto():
    # pip's and maturin's builds (wheels, sdist) take the workspace's release profile; the
    # README's numbers come from fat LTO with one codegen unit.
    release = _workspace_manifest()["profile"]["release"]
    assert (release["lto"], release["codegen-units"]) == ("fat", 1)


# --- one DecodeError -----------------------------------------------------------------------------


def test_decode_error_is_one_class_for_the_extension_and_the_reference():
    assert frozenpack.DecodeError is reference.DecodeError is extension.DecodeError
    assert (frozenpack.DecodeError.__module__, frozenpack.DecodeError.__qualname__) == \
        ("frozenpack", "DecodeError")
    for loads in (frozenpack.loads, reference.loads):
        with pytest.raises(frozenpack.DecodeError) as info:
            loads(b"\xc4\x05")
        assert type(info.value) is frozenpack.DecodeError
        assert (info.value.kind, info.value.offset) == ("non_canonical", 0)
        copy = pickle.loads(pickle.dumps(info.value))
        assert type(copy) is frozenpack.DecodeError
        assert (copy.kind, copy.offset, copy.detail) == \
            (info.value.kind, info.value.offset, info.value.detail)


# --- Value ---------------------------------------------------------------------------------------


def test_value_is_the_recursive_type_alias_at_run_time():
    from frozenpack import Value

    assert "Value" in frozenpack.__all__
    *scalars, tuples = typing.get_args(Value)
    assert scalars == [type(None), bool, int, float, str, bytes]
    assert typing.get_origin(tuples) is tuple
    assert typing.get_args(tuples) == ("Value", ...)
    assert not hasattr(extension, "Value")


# --- the interpreter check -----------------------------------------------------------------------


def test_a_build_for_another_python_refuses_to_initialise(tmp_path):
    # Without the check, a 3.11 build loaded into 3.12 read ints through 3.11's layout:
    # dumps(5) gave 35 octets of garbage instead of b"\x05".
    foreign = os.environ.get("FROZENPACK_FOREIGN_EXTENSION")
    if not foreign:
        pytest.skip("needs FROZENPACK_FOREIGN_EXTENSION, the extension built for another "
                    "CPython (the wheel tests set it)")
    built_for = re.search(r"cpython-3(\d+)-", pathlib.Path(foreign).name)
    assert built_for and int(built_for[1]) != sys.version_info.minor, foreign
    # A copy of the package whose extension is the foreign build, under the name without an
    # ABI tag that any CPython loads.
    package = tmp_path / "frozenpack"
    shutil.copytree(pathlib.Path(frozenpack.__file__).parent, package,
                    ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    shutil.copyfile(foreign, package / "_frozenpack.so")
    result = subprocess.run([sys.executable, "-c", "import frozenpack._frozenpack"],
                            env={**os.environ, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    running = ".".join(map(str, sys.version_info[:3]))
    assert (f"ImportError: this build of frozenpack {frozenpack.__version__} "
            f"(frozenpack._frozenpack) is for CPython 3.{built_for[1]}, and this interpreter "
            f"is CPython {running}") in result.stderr, result.stderr


# --- the installed distribution ------------------------------------------------------------------


@installed_only
def test_the_package_under_test_is_installed_not_the_source_tree():
    package = pathlib.Path(frozenpack.__file__).resolve().parent
    site = {pathlib.Path(sysconfig.get_path(name)).resolve() for name in ("purelib", "platlib")}
    assert package.parent in site, (package, site)
    assert package != SOURCE_ROOT / "codec-py" / "python" / "frozenpack"
    assert pathlib.Path(extension.__file__).resolve().parent == package
    assert reference.__file__ and pathlib.Path(reference.__file__).resolve().parent == package


@installed_only
def test_the_metadata_licences_and_stubs_are_installed():
    dist = importlib.metadata.distribution("frozenpack")
    meta = dist.metadata
    assert meta["Metadata-Version"] == "2.4"
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert sorted(meta.get_all("License-File")) == ["LICENSE-APACHE", "LICENSE-MIT"]
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"].startswith("text/markdown")
    assert "pip install frozenpack" in meta.get_payload()
    classifiers = meta.get_all("Classifier")
    for classifier in ("Typing :: Typed", "Programming Language :: Rust",
                       f"Programming Language :: Python :: 3.{sys.version_info.minor}"):
        assert classifier in classifiers
    assert any(url.startswith("Specification, https://") for url in meta.get_all("Project-URL"))
    files = {str(path) for path in dist.files}
    for name in ("LICENSE-MIT", "LICENSE-APACHE"):
        licence = next(path for path in dist.files if str(path).endswith(f"licenses/{name}"))
        assert licence.read_text() == (SOURCE_ROOT / name).read_text()
    for stub in ("frozenpack/py.typed", "frozenpack/_frozenpack.pyi"):
        assert stub in files


@installed_only
def test_the_console_script_is_python_m_frozenpack():
    script = pathlib.Path(sysconfig.get_path("scripts")) / "frozenpack"
    assert script.is_file()
    outputs = []
    for command in ([str(script)], [sys.executable, "-m", "frozenpack"]):
        result = subprocess.run([*command, "encode", "--hex", "(1, 'a', None)"],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs == ["b3 01 81 61 c0\n"] * 2
