"""conformance/vectors.schema.json: every committed vector file (and every fixture) is valid
under it, and it rejects what the runner rejects where a schema can say so."""

import copy
import json
import pathlib
import sys

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = json.loads((CONFORMANCE / "vectors.schema.json").read_text(encoding="utf-8"))
FILES = sorted([*(CONFORMANCE / "vectors").glob("*.json"),
                *(CONFORMANCE / "tests" / "fixtures").glob("*/*.json")])
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def validate(doc):
    # depth.json nests typed JSON about 130 levels; the validator recurses a few frames each.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        return sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    finally:
        sys.setrecursionlimit(limit)


def test_the_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vector_file_is_valid(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    errors = validate(doc)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}"[:300] for e in errors[:5]]


def test_every_section_is_covered_by_the_committed_files():
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in (CONFORMANCE / "vectors").glob("*.json")]
    for section in ("valid", "decode_errors", "prefix", "sequences"):
        assert any(doc.get(section) for doc in docs), section


def _fixture():
    return json.loads((CONFORMANCE / "tests" / "fixtures" / "vectors_1_1" / "streams.json")
                      .read_text(encoding="utf-8"))


@pytest.mark.parametrize("path, value", [
    (["spec_version"], 2),
    (["extra"], 1),
    (["valid", 0, "hex"], "B1C0"),
    (["valid", 0, "hex"], ""),
    (["valid", 0, "max_depth"], -1),
    (["valid", 0, "max_depth"], "1"),
    (["valid", 1, "value"], {"int": "007"}),
    (["valid", 1, "value"], {"float": "3ff"}),
    (["valid", 1, "value"], {"tuple": [{"none": None}], "extra": 1}),
    (["valid", 1, "value"], {"nest": {"depth": 0, "inner": {"none": None}}}),
    (["valid", 1, "value"], [1, 2]),
    (["decode_errors", 0, "kind"], "overflow"),
    (["decode_errors", 0, "offset"], -1),
    (["prefix", 0, "end"], 0),
    (["prefix", 0, "kind"], "truncated"),  # a value and an error at once
    (["prefix", 1, "kind"], "trailing_bytes"),
    (["sequences", 0, "error"], {"kind": "trailing_bytes", "offset": 0}),
    (["sequences", 0, "values"], {}),
    (["sequences", 1, "description"], " padded"),
])
def test_the_schema_rejects(path, value):
    doc = _fixture()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = copy.deepcopy(value)
    assert validate(doc), f"accepted {path} = {value!r}"


@pytest.mark.parametrize("missing", [["sequences", 0, "error"], ["prefix", 0, "end"],
                                     ["decode_errors"]])
def test_the_schema_requires(missing):
    doc = _fixture()
    target = doc
    for key in missing[:-1]:
        target = target[key]
    del target[missing[-1]]
    assert validate(doc)
