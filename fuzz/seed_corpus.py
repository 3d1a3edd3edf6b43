"""Writes the fuzz targets' seed corpora into fuzz/corpus/<target>/ (gitignored).

Every conformance vector's octets (valid values and decode errors alike) seed every target:
the decoders start from each kind, each canonical edge and each error path the vectors
cover. The `serde` target also gets encodings of values shaped like its types
(fuzz/src/shapes.rs), written by the reference encoder, so that it starts inside those
shapes instead of having to discover a ten-field struct from scratch. For `roundtrip` the
octets are only raw material for `Arbitrary`.

Files are named by the SHA-1 of their contents, as libFuzzer names the inputs it adds, so
running this again adds nothing twice and leaves the inputs libFuzzer found in place.

Run from the repository root (the Makefile does):
    PYTHONPATH=codec-py/python .venv/bin/python fuzz/seed_corpus.py
"""

import hashlib
import json
import pathlib
import sys

from frozenpack.reference import dumps

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "conformance" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"
TARGETS = ("decode", "roundtrip", "serde")


def vector_inputs():
    """The octets of every valid and every decode-error vector, in file order."""
    paths = sorted(VECTORS.glob("*.json"))
    if not paths:
        sys.exit(f"no vectors in {VECTORS}")
    for path in paths:
        topic = json.loads(path.read_text())
        for case in topic["valid"] + topic["decode_errors"]:
            yield bytes.fromhex(case["hex"])


def leaf(n):
    """A `Leaf(i64, Option<f32>, Meters(f32))`."""
    return (n, None if n % 2 else 0.5 * n, -2.25)


def record(name, note):
    """A `Record`: (name, blob, id, delta, ratio, initial, flag, note, inner, leaves)."""
    inner = (-5, 2**40, "label", None if note is None else 7, None, None)
    return (name, b"\x00\xff", 2**100, -(2**90), 1.5, "\u00e9", True, note, inner,
            tuple(leaf(n) for n in range(3)))


def shape_inputs():
    """Values shaped like the serde target's types (fuzz/src/shapes.rs), encoded."""
    records = [record("sensor", "ok"), record("\ud7ff" + "x" * 40, None)]
    shapes = [
        "Empty",
        ("Named", "n"),
        ("Pair", 255, -(2**63)),
        ("Point", 0.25, None),
        ("Point", -0.0, 4_000_000_000),
        ("Nested", ("Empty", ("Pair", 1, 2), ("Nested", ()))),
        0,  # a variant by its index, which the deserializer also accepts
        (2, 1, 2),
    ]
    values = [
        *records,
        tuple(records),
        ((-(2**127), 2**128 - 1, 3.0, "\U0001f600"), (0, 0, -1.0, "a")),
        ("a", None, "\u00e9\u00e9", ""),
        *shapes,
        (("b", (shapes[0],)), ("a", tuple(shapes[1:6]))),
        (None, False, -7, 2**64, 0.1, "text", b"\x01", (1, (2, ("x",)))),
    ]
    return [dumps(value) for value in values]


def write(target, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / hashlib.sha1(data).hexdigest()
    if not path.exists():
        path.write_bytes(data)
        return 1
    return 0


def main():
    vectors = list(vector_inputs())
    shapes = shape_inputs()
    for target in TARGETS:
        seeds = vectors + (shapes if target == "serde" else [])
        added = sum(write(target, data) for data in seeds)
        print(f"fuzz/corpus/{target}: {len(seeds)} seeds, {added} new")


if __name__ == "__main__":
    main()
