#!/usr/bin/env python3
"""Write a versioned, reproducible tarball of the conformance suite.

    python3 conformance/dist.py [--out DIR]     # default DIR: dist/ at the repository root

Writes DIR/frozenpack-conformance-<VERSION>.tar.gz and, beside it, <that name>.sha256 (the
tarball's SHA-256, in `sha256sum` format). Inside, under frozenpack-conformance-<VERSION>/:
the runner (run.py, typed_json.py), the vectors, their JSON Schema, README.md, VERSION, and
SHA256SUMS, the SHA-256 of every other file (`sha256sum -c SHA256SUMS` checks them).

The archive depends only on the files' contents: names sorted, times, owners and modes fixed,
gzip without a timestamp. So the same suite always gives the same octets and the same hash,
and a third party can pin a release by the hash alone. Standard library only.
"""

import argparse
import gzip
import hashlib
import io
import pathlib
import sys
import tarfile

HERE = pathlib.Path(__file__).resolve().parent
FILES = ("README.md", "VERSION", "run.py", "typed_json.py", "vectors.schema.json")


def suite_version():
    return (HERE / "VERSION").read_text(encoding="ascii").strip()


def members():
    """(name inside the suite directory, contents), sorted by name, SHA256SUMS last."""
    files = [(name, (HERE / name).read_bytes()) for name in FILES]
    files += [(f"vectors/{p.name}", p.read_bytes()) for p in sorted((HERE / "vectors").glob("*.json"))]
    files.sort()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files)
    return files + [("SHA256SUMS", sums.encode("ascii"))]


def tarball(version):
    """The .tar.gz octets of the suite."""
    root = f"frozenpack-conformance-{version}"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members():
            info = tarfile.TarInfo(f"{root}/{name}")
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=HERE.parent / "dist", metavar="DIR")
    args = parser.parse_args(argv)
    version = suite_version()
    data = tarball(version)
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"frozenpack-conformance-{version}.tar.gz"
    (args.out / name).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (args.out / f"{name}.sha256").write_text(f"{digest}  {name}\n", encoding="ascii")
    print(f"{args.out / name}: {len(data)} octets, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
