"""The conformance runner, run as a subprocess the way implementers run it.

The faults come from broken_testee.py, an oracle over the fixture vectors that misbehaves on
the requests it is told to; so these tests do not depend on any implementation, except the
ones that run the reference testee on purpose.
"""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CONFORMANCE = HERE.parent
RUN = CONFORMANCE / "run.py"
FIXTURES = HERE / "fixtures" / "vectors"
REFERENCE = CONFORMANCE / "testees" / "python_reference.py"
BROKEN = HERE / "broken_testee.py"


def _fixture_docs():
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(FIXTURES.glob("*.json"))}


def _fixture_ids():
    ids = []
    for topic, doc in _fixture_docs().items():
        for case in doc["valid"]:
            case_id = f"{topic}/{case['description']}"
            ids += [f"{case_id} [decode]", f"{case_id} [encode]"]
        ids += [f"{topic}/{case['description']} [decode]" for case in doc["decode_errors"]]
    return ids


ALL_IDS = _fixture_ids()
TOTAL = len(ALL_IDS)


def run(testee, *args, vectors=FIXTURES):
    """Run the runner with a plain environment (no PYTHONPATH: run.py and the testees must find
    their own imports) and return the completed process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, str(RUN), "--testee", shlex.join(testee),
                           "--vectors", str(vectors), *args],
                          capture_output=True, text=True, timeout=120, env=env)


def reference():
    return [sys.executable, str(REFERENCE)]


def broken(mode, target=None, op=None, vectors=FIXTURES, ops=None):
    argv = [sys.executable, str(BROKEN), "--vectors", str(vectors), "--mode", mode]
    if target is not None:
        argv += ["--target", target]
    if op is not None:
        argv += ["--op", op]
    if ops is not None:
        argv += ["--ops", ops]
    return argv


def fail_lines(stdout):
    return [line for line in stdout.splitlines() if line.startswith("FAIL ")]


def last_line(stdout):
    return stdout.rstrip("\n").splitlines()[-1]


def assert_failures(result, expected):
    """expected: {check id: the reason, exactly}; nothing else may fail."""
    assert fail_lines(result.stdout) == [f"FAIL {i}: {r}" for i, r in expected.items()], \
        result.stdout
    assert last_line(result.stdout) == f"{TOTAL - len(expected)} passed, {len(expected)} failed"
    assert result.returncode == 1


# --- passing -----------------------------------------------------------------------------------

def test_reference_testee_passes_the_fixture_vectors():
    result = run(reference())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"0 expected failures\n{TOTAL} passed, 0 failed\n"
    assert TOTAL == 89  # 35 valid cases (2 checks each) + 19 decode errors in the fixtures


def test_oracle_testee_passes_and_verbose_prints_name_and_topics():
    result = run(broken("correct"), "-v")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("testee: broken_testee (correct) (pid ")
    assert lines[1:] == ["topic scalars: 44 passed, 0 failed, 0 expected failures",
                         "topic strings: 26 passed, 0 failed, 0 expected failures",
                         "topic tuples: 19 passed, 0 failed, 0 expected failures",
                         "0 expected failures",
                         f"{TOTAL} passed, 0 failed"]


# --- wrong answers -----------------------------------------------------------------------------

def test_wrong_offset():
    result = run(broken("wrong-offset", "scalars/INT2 cut short"))
    assert_failures(result, {
        "scalars/INT2 cut short [decode]":
            "expected error truncated at 2, got error truncated at 3"})


def test_wrong_kind():
    result = run(broken("wrong-kind", "tuples/1001"))
    assert_failures(result, {
        "tuples/1001 nested tuples [decode]":
            "expected error depth_exceeded at 1000, got error truncated at 1000"})


def test_wrong_bytes():
    result = run(broken("wrong-bytes", "strings/e acute"))
    assert_failures(result, {
        "strings/e acute [encode]": "expected hex 82c3a9, got hex 82c3a8 (first difference at "
                                    "octet 2; 3 octets expected, 3 received)"})


@pytest.mark.parametrize("target, reason", [
    ("scalars/true", 'expected value {"bool":true}, got value {"int":"1"}'),
    ("scalars/none", 'expected value {"none":null}, got value {"bool":false}'),
    ("scalars/int 128", 'expected value {"int":"128"}, got value {"float":"4060000000000000"}'),
    ("scalars/float quiet NaN",
     'expected value {"float":"7ff8000000000001"}, got value {"float":"fff8000000000001"}'),
    ("scalars/float -0.0",
     'expected value {"float":"8000000000000000"}, got value {"float":"0000000000000000"}'),
    ("strings/lone high",
     'expected value {"str_codepoints":[55296]}, got value {"bytes":"eda080"}'),
    ("strings/bytes 00 ff", 'expected value {"bytes":"00ff"}, got value {"str":"\\u0000\\u00ff"}'),
    # A bare array is not typed JSON: the response is malformed and the testee is restarted.
    ("tuples/pair", 'malformed response: in "value": $: expected a one-key object naming a '
                    'kind, got an array'),
])
def test_wrong_type(target, reason):
    result = run(broken("wrong-type", target))
    check_id = next(i for i in ALL_IDS if target in i and i.endswith("[decode]"))
    assert_failures(result, {check_id: reason})


def test_wrong_answers_are_shown_shortened():
    result = run(broken("wrong-type", "tuples/1000 nested tuples"))
    (line,) = fail_lines(result.stdout)
    assert line.startswith('FAIL tuples/1000 nested tuples [decode]: malformed response: in '
                           '"value": $: expected a one-key object naming a kind, got an array')
    result = run(broken("wrong-bytes", "tuples/1000 nested tuples"))
    (line,) = fail_lines(result.stdout)
    assert line == ("FAIL tuples/1000 nested tuples [encode]: expected hex " + "b1" * 80
                    + "... (2000 characters), got hex " + "b1" * 80 + "... (2000 characters) "
                    "(first difference at octet 999; 1000 octets expected, 1000 received)")


# --- broken testees ----------------------------------------------------------------------------

def test_hang_is_killed_after_the_timeout_and_the_run_continues():
    # Timeouts in these tests leave a restarted testee ample time for its hello on a busy machine.
    result = run(broken("hang", "scalars/false", "decode"), "--timeout", "2", "-v")
    assert_failures(result, {"scalars/false [decode]": "timeout after 2s"})
    # One restart: a second process said hello, and it answered every later check.
    assert sum(line.startswith("testee: ") for line in result.stdout.splitlines()) == 2


def test_hang_with_a_fractional_timeout():
    result = run(broken("hang", "tuples/pair", "encode"), "--timeout", "1.5")
    assert_failures(result, {"tuples/pair [encode]": "timeout after 1.5s"})


def test_crash_fails_the_check_and_the_testee_is_restarted():
    result = run(broken("crash", "strings/a", "decode"), "-v")
    assert_failures(result, {
        "strings/a [decode]": "the testee exited with status 3 without answering"})
    assert "broken_testee: crashing on purpose" in result.stderr  # testee stderr passes through
    assert sum(line.startswith("testee: ") for line in result.stdout.splitlines()) == 2


def test_crash_on_several_checks_fails_each_one():
    result = run(broken("crash", "scalars/int 2**6"))
    crashing = [i for i in ALL_IDS if i.startswith("scalars/int 2**6")]
    assert len(crashing) == 6
    assert_failures(result, {i: "the testee exited with status 3 without answering"
                             for i in crashing})


def test_garbage():
    result = run(broken("garbage", "scalars/none"))
    reason = ("the testee wrote a line that is not JSON (Expecting value: line 1 column 1 "
              "(char 0)): this is not JSON")
    assert_failures(result, {"scalars/none [decode]": reason, "scalars/none [encode]": reason})


def test_extra_line_fails_the_next_check():
    # The extra line is seen when the next request is about to be sent: that check fails, and
    # the restarted testee answers the rest.
    result = run(broken("extra-line", "scalars/none", "decode"))
    assert_failures(result, {"scalars/none [encode]": 'before this request the testee wrote an '
                                                      'extra line {"value":{"none":null}}'})


def test_bad_hello_stops_the_run():
    result = run(broken("bad-hello"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("run.py: error: hello failed: the testee implements spec_version 2; "
                             "this runner checks spec_version 1\n")


def test_testee_that_cannot_start_stops_the_run(tmp_path):
    result = run([str(tmp_path / "no-such-testee")])
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"run.py: error: cannot start testee {tmp_path / 'no-such-testee'}: ")


def test_testee_that_exits_badly_at_the_end_fails_the_run():
    result = run(broken("bad-exit"))
    assert fail_lines(result.stdout) == [
        "FAIL (testee shutdown): the testee exited with status 1 after its input closed "
        "(expected 0)"]
    assert last_line(result.stdout) == f"{TOTAL} passed, 1 failed"
    assert result.returncode == 1


def test_testee_that_does_not_exit_at_the_end_fails_the_run():
    result = run(broken("linger"), "--timeout", "2")
    assert fail_lines(result.stdout) == [
        "FAIL (testee shutdown): the testee did not exit within 2s of its input closing"]
    assert last_line(result.stdout) == f"{TOTAL} passed, 1 failed"
    assert result.returncode == 1


# --- expected failures -------------------------------------------------------------------------

def test_listed_failure_is_expected(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("# known bug, issue 12\n\n  scalars/INT2 cut short [decode]  \n")
    result = run(broken("wrong-offset", "scalars/INT2 cut short"),
                 "--expected-failures", str(listing))
    assert result.returncode == 0, result.stdout
    assert result.stdout == (
        "XFAIL scalars/INT2 cut short [decode]: expected failure: expected error truncated at 2, "
        "got error truncated at 3\n"
        "1 expected failures\n"
        f"{TOTAL - 1} passed, 0 failed\n")


def test_stale_expected_failure_fails_the_run(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("strings/a [encode]\n")
    result = run(broken("correct"), "--expected-failures", str(listing))
    assert fail_lines(result.stdout) == [
        "FAIL strings/a [encode]: stale expected failure: remove it (the check passes)"]
    assert last_line(result.stdout) == f"{TOTAL - 1} passed, 1 failed"
    assert result.returncode == 1


def test_unknown_expected_failure_fails_the_run(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("strings/a [decode]\nstrings/no such case [decode]\n")
    result = run(broken("wrong-type", "strings/a"), "--expected-failures", str(listing))
    assert fail_lines(result.stdout) == [
        f"FAIL strings/no such case [decode]: unknown id in expected failures ({listing}:2)"]
    assert "1 expected failures\n" in result.stdout
    assert last_line(result.stdout) == f"{TOTAL - 1} passed, 1 failed"
    assert result.returncode == 1


def test_listed_id_outside_the_k_filter_is_neither_stale_nor_unknown(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("strings/a [encode]\n")
    result = run(broken("correct"), "--expected-failures", str(listing), "-k", "scalars/")
    assert result.returncode == 0, result.stdout
    assert last_line(result.stdout) == "44 passed, 0 failed"


def test_duplicate_expected_failure_is_a_usage_error(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("strings/a [encode]\nstrings/a [encode]\n")
    result = run(broken("correct"), "--expected-failures", str(listing))
    assert result.returncode == 2
    assert result.stderr == (f"run.py: error: {listing}:2: 'strings/a [encode]' is already "
                             f"listed on line 1\n")


# --- selection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("substring, count", [("strings/", 26), ("[encode]", 35),
                                              ("scalars/int 2**6", 6), ("tuples/pair [decode]", 1)])
def test_k_selects_checks_by_substring(substring, count):
    assert count == sum(substring in i for i in ALL_IDS)
    result = run(broken("correct"), "-k", substring)
    assert result.returncode == 0, result.stdout
    assert last_line(result.stdout) == f"{count} passed, 0 failed"


def test_k_applies_before_the_checks_run():
    # The hanging check is filtered out, so nothing waits for it.
    result = run(broken("hang", "scalars/"), "-k", "strings/", "--timeout", "30")
    assert result.returncode == 0
    assert last_line(result.stdout) == "26 passed, 0 failed"


def test_k_matching_nothing_is_a_usage_error():
    result = run(broken("correct"), "-k", "no such check")
    assert result.returncode == 2
    assert result.stderr == "run.py: error: no check id contains 'no such check'\n"


# --- vector files ------------------------------------------------------------------------------

def _doc():
    return json.loads((FIXTURES / "scalars.json").read_text(encoding="utf-8"))


def _set(path, value):
    def mutate(doc):
        *parents, last = path
        target = doc
        for key in parents:
            target = target[key]
        target[last] = value
    return mutate


def _drop(key):
    return lambda doc: doc.pop(key)


@pytest.mark.parametrize("mutate, message", [
    (_drop("decode_errors"), "file: expected exactly the keys ['decode_errors', 'description', "
                             "'spec_version', 'topic', 'valid'] (and optionally ['prefix', "
                             "'sequences']); missing ['decode_errors']"),
    (_set(["extra"], 1), "; unexpected ['extra']"),
    (_set(["spec_version"], 2), "spec_version: expected 1, got 2"),
    (_set(["spec_version"], True), "spec_version: expected 1, got True"),
    (_set(["topic"], "ints"), "topic: expected 'scalars' (the file is <topic>.json), got 'ints'"),
    (_set(["valid"], {}), "valid: expected an array"),
    (_set(["valid", 0, "hex"], "C0"), "valid[0].hex: expected a non-empty even number of "
                                      "lowercase hex digits, got 'C0'"),
    (_set(["valid", 0, "hex"], ""), "valid[0].hex: expected a non-empty even number"),
    (_set(["valid", 1, "value"], {"int": "007"}),
     "valid[1].value: $.int: not a canonical decimal integer: '007'"),
    (_set(["valid", 1, "extra"], 0), "valid[1]: expected exactly the keys"),
    (_set(["valid", 2, "description"], "none"),
     "valid[2].description: 'none' is also the description of valid[0]"),
    (_set(["decode_errors", 0, "description"], "none"),
     "decode_errors[0].description: 'none' is also the description of valid[0]"),
    (_set(["valid", 0, "description"], "none "), "valid[0].description: expected a non-empty "
                                                 "one-line string"),
    (_set(["valid", 0, "description"], "a\nb"), "valid[0].description: expected a non-empty"),
    (_set(["decode_errors", 1, "kind"], "overflow"), "decode_errors[1].kind: expected one of "
                                                     "truncated, unknown_tag, non_canonical"),
    (_set(["decode_errors", 1, "offset"], 2), "decode_errors[1].offset: expected an integer "
                                              "in 0..1 (spec section 7), got 2"),
    (_set(["decode_errors", 1, "offset"], "0"), "decode_errors[1].offset: expected an integer"),
    (_set(["decode_errors", 3, "offset"], 1), "decode_errors[3].offset: truncated is always "
                                              "reported at the input length 2"),
])
def test_malformed_vector_file_is_an_error(tmp_path, mutate, message):
    doc = _doc()
    mutate(doc)
    path = tmp_path / "scalars.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run(reference(), vectors=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"run.py: error: malformed vector file {path}: ")
    assert message in result.stderr


@pytest.mark.parametrize("text, message", [
    ('{"spec_version": 1,', "Expecting property name enclosed in double quotes"),
    ('{"spec_version": 1, "spec_version": 1}', "duplicate key 'spec_version'"),
    ("[]", "file: expected an object"),
])
def test_vector_file_that_is_not_a_json_object_is_an_error(tmp_path, text, message):
    (tmp_path / "scalars.json").write_text(text, encoding="utf-8")
    result = run(reference(), vectors=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"run.py: error: malformed vector file {tmp_path / 'scalars.json'}: ")
    assert message in result.stderr


def test_empty_vector_directory_is_an_error(tmp_path):
    result = run(reference(), vectors=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"run.py: error: no vector files (*.json) in {tmp_path}\n"


# --- the real suite ----------------------------------------------------------------------------

VECTORS = CONFORMANCE / "vectors"


@pytest.mark.skipif(not any(VECTORS.glob("*.json")),
                    reason="conformance/vectors/ has no vectors yet")
def test_reference_testee_passes_the_conformance_vectors():
    result = run(reference(), vectors=VECTORS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert fail_lines(result.stdout) == []
    passed, rest = last_line(result.stdout).split(" passed, ")
    assert int(passed) > 0 and rest == "0 failed"
