"""Tests of conformance/generate.py: the committed vectors are current, --check notices any
change to them, and generation refuses a case whose hand-derived answer the reference does not
give (rather than writing whatever the reference says)."""

import dataclasses
import json
import pathlib
import shutil
import subprocess
import sys
import types

import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent
GENERATE = CONFORMANCE / "generate.py"
VECTORS = CONFORMANCE / "vectors"

if str(CONFORMANCE) not in sys.path:
    sys.path.insert(0, str(CONFORMANCE))

import cases  # noqa: E402
import generate  # noqa: E402


def run_generate(*args):
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def modules():
    return generate.load_topic_modules()


@pytest.fixture(scope="module")
def files(modules):
    return generate.rendered_files(generate.build(modules))


@pytest.fixture
def vectors_copy(tmp_path):
    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)
    return copy


def with_replaced(module, attribute, index, entry):
    """A stand-in topic module equal to `module` except for one entry of VALID/DECODE_ERRORS."""
    entries = list(getattr(module, attribute))
    entries[index] = entry
    names = ("TOPIC", "DESCRIPTION", "VALID", "DECODE_ERRORS")
    fields = {name: getattr(module, name) for name in names}
    fields[attribute] = entries
    return types.SimpleNamespace(**fields)


def test_check_passes_on_committed_vectors():
    result = run_generate("--check")
    assert result.returncode == 0, result.stderr
    assert "cases in" in result.stdout


def test_check_fails_on_a_changed_offset(vectors_copy, files):
    path = vectors_copy / "structure.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["decode_errors"][0]["offset"] += 1
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    diffs = generate.differences(files, vectors_copy)
    assert len(diffs) == 1 and diffs[0].startswith(f"{path}: differs")
    result = run_generate("--check", "--vectors-dir", str(vectors_copy))
    assert result.returncode == 1
    assert "structure.json: differs" in result.stderr


def test_check_fails_on_reformatted_but_equal_json(vectors_copy, files):
    # The files are byte-for-byte generator output: the same data laid out differently is stale.
    path = vectors_copy / "none_bool.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    diffs = generate.differences(files, vectors_copy)
    assert len(diffs) == 1 and diffs[0].startswith(f"{path}: differs, first at line 2: ")


def test_check_fails_on_missing_and_extra_files(vectors_copy, files):
    (vectors_copy / "float.json").unlink()
    (vectors_copy / "stray.json").write_text("{}\n", encoding="utf-8")
    assert generate.differences(files, vectors_copy) == [
        f"{vectors_copy / 'float.json'}: missing",
        f"{vectors_copy / 'stray.json'}: not produced by any case list",
    ]
    assert run_generate("--check", "--vectors-dir", str(vectors_copy)).returncode == 1


def test_writing_restores_the_committed_files(vectors_copy, files):
    (vectors_copy / "tuple.json").write_text("{}\n", encoding="utf-8")
    (vectors_copy / "stray.json").write_text("{}\n", encoding="utf-8")
    result = run_generate("--vectors-dir", str(vectors_copy))
    assert result.returncode == 0, result.stderr
    assert generate.differences(files, vectors_copy) == []


def test_wrong_hand_written_offset_fails_generation(modules):
    index = next(i for i, m in enumerate(modules) if m.TOPIC == "depth")
    depth = modules[index]
    target = "1001 singletons around None"
    position = next(i for i, e in enumerate(depth.DECODE_ERRORS) if e.description == target)
    wrong = dataclasses.replace(depth.DECODE_ERRORS[position], offset=1001)
    tampered = list(modules)
    tampered[index] = with_replaced(depth, "DECODE_ERRORS", position, wrong)
    with pytest.raises(generate.GenerationError) as raised:
        generate.build(tampered)
    # One problem, naming the case, the (shortened) input and both answers; the reference's
    # detail text in parentheses is its own business.
    [problem] = raised.value.problems
    assert problem.startswith(
        "depth/1001 singletons around None: input "
        + "b1" * 24
        + "... (1002 octets): reference reports depth_exceeded at 1000 ("
    )
    assert problem.endswith("), hand-derived depth_exceeded at 1001")


def test_wrong_hand_written_kind_fails_generation(modules):
    module = modules[0]
    wrong = dataclasses.replace(module.DECODE_ERRORS[0], kind="invalid_utf8")  # X1 is non_canonical
    doc, problems = generate.build_topic(with_replaced(module, "DECODE_ERRORS", 0, wrong))
    assert len(problems) == 1
    assert problems[0].startswith(
        "examples/X1 INT1 holding 5: input c405: reference reports non_canonical at 0"
    )
    assert problems[0].endswith("hand-derived invalid_utf8 at 0")
    assert len(doc["decode_errors"]) == len(module.DECODE_ERRORS) - 1


def test_accepted_input_in_decode_errors_fails_generation(modules):
    module = modules[0]
    accepted = cases.Err("X1 INT1 holding 5", "c4ee", "non_canonical", 0)  # c4 ee is -18
    _, problems = generate.build_topic(with_replaced(module, "DECODE_ERRORS", 0, accepted))
    assert problems == [
        "examples/X1 INT1 holding 5: reference accepts c4ee as -18, hand-derived non_canonical at 0"
    ]


def test_wrong_hand_written_hex_fails_generation(modules):
    module = modules[0]
    wrong = dataclasses.replace(module.VALID[0], hex="c3")  # E1 None is c0
    _, problems = generate.build_topic(with_replaced(module, "VALID", 0, wrong))
    assert problems == [
        "examples/E1 None: reference encodes c0, hand-derived c3 (first difference at octet 0)"
    ]


def test_cli_reports_a_failure_and_writes_nothing(tmp_path, monkeypatch, capsys, modules):
    wrong = dataclasses.replace(modules[0].VALID[0], hex="c3")
    tampered = [with_replaced(modules[0], "VALID", 0, wrong), *modules[1:]]
    monkeypatch.setattr(generate, "load_topic_modules", lambda: tampered)
    out = tmp_path / "out"
    assert generate.main(["--vectors-dir", str(out)]) == 1
    assert not out.exists()
    assert "examples/E1 None: reference encodes c0, hand-derived c3" in capsys.readouterr().err


def test_duplicate_description_and_input_are_refused(modules):
    module = modules[0]
    duplicate = dataclasses.replace(module.VALID[1], description=module.VALID[0].description)
    _, problems = generate.build_topic(with_replaced(module, "VALID", 1, duplicate))
    assert problems == ["examples/E1 None: description used twice"]
    same_input = cases.Err("another reserved tag e0", "e0", "unknown_tag", 0)  # X5 is e0 too
    _, problems = generate.build_topic(with_replaced(module, "DECODE_ERRORS", 0, same_input))
    assert problems == [
        "examples/X5 reserved tag: same input as examples/another reserved tag e0 (e0)"
    ]


def test_whole_set_rules(files):
    docs = [json.loads(text) for text in files.values()]
    assert generate.whole_set_problems(docs) == []
    tiny = {
        "topic": "tiny",
        "valid": [{"hex": "c0"}, {"hex": "01"}],
        "decode_errors": [{"hex": "e0", "kind": "unknown_tag"}] * 3
        + [{"hex": "", "kind": "truncated"}],
    }
    assert generate.whole_set_problems([tiny, tiny]) == [
        "topic 'tiny' is defined by 2 modules",
        "12 cases in all, fewer than 400",
        "no case starts with octet(s) "
        + " ".join(f"{t:02x}" for t in range(256) if t not in (0x01, 0xC0, 0xE0)),
        "error kind truncated has 2 case(s), fewer than 3",
        "error kind non_canonical has 0 case(s), fewer than 3",
        "error kind invalid_utf8 has 0 case(s), fewer than 3",
        "error kind depth_exceeded has 0 case(s), fewer than 3",
        "error kind trailing_bytes has 0 case(s), fewer than 3",
        "0 prefix cases, fewer than 50",
        "0 sequences cases, fewer than 50",
        "0 max_depth cases, fewer than 30",
    ]


def test_case_validation_catches_impossible_answers():
    with pytest.raises(ValueError, match="only truncated, and always truncated"):
        cases.Err("truncated not at the end", "c5", "truncated", 0)
    with pytest.raises(ValueError, match="only truncated, and always truncated"):
        cases.Err("other kind at the end", "c500", "non_canonical", 2)
    with pytest.raises(ValueError, match="unknown error kind"):
        cases.Err("a made-up kind", "e0", "reserved_tag", 0)
    with pytest.raises(ValueError, match="lowercase octet pairs"):
        cases.Case("upper-case hex", None, "C0")


def _stand_in(module, **replacements):
    names = ("TOPIC", "DESCRIPTION", "VALID", "DECODE_ERRORS", "PREFIX", "SEQUENCES")
    fields = {n: getattr(module, n) for n in names if hasattr(module, n)}
    fields.update(replacements)
    return types.SimpleNamespace(**fields)


@pytest.mark.parametrize("entry, problem", [
    (cases.Prefix("wrong end", "01c0c0", 1, value=None, end=3),
     "prefix/wrong end: reference.loads_prefix of 01c0c0 from 1 gives None ending at 2, "
     "hand-derived a value ending at 3"),
    (cases.Prefix("wrong offset", "05b201e0", 1, kind="unknown_tag", offset=2),
     "prefix/wrong offset: reference.loads_prefix of 05b201e0 from 1 reports unknown_tag at 3, "
     "hand-derived unknown_tag at 2"),
    (cases.Prefix("depth ignored", "00b1b1c0", 1, value=((None,),), end=4, max_depth=1),
     "prefix/depth ignored: reference.loads_prefix of 00b1b1c0 from 1 reports depth_exceeded "
     "at 2, hand-derived a value ending at 4"),
])
def test_generation_refuses_a_wrong_prefix_case(modules, entry, problem):
    module = next(m for m in modules if m.TOPIC == "prefix")
    with pytest.raises(generate.GenerationError) as info:
        generate.build([_stand_in(module, PREFIX=[*module.PREFIX, entry])])
    assert problem in info.value.problems


@pytest.mark.parametrize("entry, problem", [
    (cases.Sequence("missing error", "0102c40503", (1, 2)),
     "sequence/missing error: reference.iter_loads of 0102c40503 ends with "
     "('non_canonical', 2), hand-derived the end"),
    (cases.Sequence("one value short", "010203", (1, 2)),
     "sequence/one value short: reference.iter_loads of 010203 gives 3 values, not the 2 "
     "hand-derived ones"),
    (cases.Sequence("wrong value", "0102", (1, 3)),
     "sequence/wrong value: reference.iter_loads of 0102 gives value #1 2, hand-derived 3"),
])
def test_generation_refuses_a_wrong_sequence_case(modules, entry, problem):
    module = next(m for m in modules if m.TOPIC == "sequence")
    with pytest.raises(generate.GenerationError) as info:
        generate.build([_stand_in(module, SEQUENCES=[*module.SEQUENCES, entry])])
    assert problem in info.value.problems


def test_the_1_0_topics_have_no_1_1_sections(files):
    # Their files are unchanged from suite 1.0, so a 1.0 harness can still read them.
    for name, text in files.items():
        doc = json.loads(text)
        if name not in ("prefix.json", "sequence.json", "max_depth.json"):
            assert set(doc) == {"spec_version", "topic", "description", "valid",
                                "decode_errors"}, name
