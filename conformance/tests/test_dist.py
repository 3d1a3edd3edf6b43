"""make conformance-dist: conformance/dist.py writes a versioned tarball whose octets depend on
the suite's contents alone, with a SHA-256 beside it and one per file inside, and the unpacked
suite runs on its own."""

import hashlib
import pathlib
import subprocess
import sys
import tarfile

CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONFORMANCE))
import dist  # noqa: E402
import run  # noqa: E402


def test_the_suite_version_is_the_runners():
    assert dist.suite_version() == run.SUITE_VERSION == "1.1"


def build(out):
    result = subprocess.run([sys.executable, str(CONFORMANCE / "dist.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return out / f"frozenpack-conformance-{run.SUITE_VERSION}.tar.gz"


def test_the_tarball_is_reproducible_and_its_hash_is_written_beside_it(tmp_path):
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert pathlib.Path(f"{first}.sha256").read_text() == f"{digest}  {first.name}\n"


def test_the_tarball_holds_the_suite_with_a_checksum_per_file(tmp_path):
    path = build(tmp_path)
    root = f"frozenpack-conformance-{run.SUITE_VERSION}"
    with tarfile.open(path) as tar:
        names = tar.getnames()
        contents = {n[len(root) + 1:]: tar.extractfile(n).read() for n in names}
        assert all(m.mtime == 0 and m.uid == 0 and m.mode == 0o644 for m in tar.getmembers())
    vectors = sorted(p.name for p in (CONFORMANCE / "vectors").glob("*.json"))
    assert sorted(contents) == sorted(["README.md", "VERSION", "run.py", "typed_json.py",
                                       "vectors.schema.json", "SHA256SUMS",
                                       *(f"vectors/{v}" for v in vectors)])
    sums = dict(reversed(line.split("  ")) for line in contents["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(contents) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest
        assert contents[name] == (CONFORMANCE / name).read_bytes()


def test_the_unpacked_suite_runs_on_its_own(tmp_path):
    with tarfile.open(build(tmp_path / "out")) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    suite = tmp_path / "unpacked" / f"frozenpack-conformance-{run.SUITE_VERSION}"
    testee = CONFORMANCE / "testees" / "python_reference.py"
    result = subprocess.run([sys.executable, str(suite / "run.py"), "--testee",
                             f"{sys.executable} {testee}", "-k", "prefix/P"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("7 passed, 0 failed\n")
