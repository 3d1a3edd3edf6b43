"""Suite 1.1 in the runner: the optional operations a testee announces in its hello
(decode_prefix, decode_sequence, max_depth), their checks, and the skipping (counted, never
failing) of what a testee does not announce, as a suite 1.0 testee does not."""

import json
import sys

import pytest

from test_runner import CONFORMANCE, fail_lines, last_line, reference, run
from test_runner import broken as broken_1_0

FIXTURES_1_1 = CONFORMANCE / "tests" / "fixtures" / "vectors_1_1"
ALL_OPS = "decode_prefix,decode_sequence,max_depth"
SKIP_LINE = ("SKIP 9 checks: the testee does not announce decode_prefix (3), decode_sequence (3), "
             "max_depth (5) in its hello")

sys.path.insert(0, str(CONFORMANCE))
import run as runner  # noqa: E402


def broken(mode, **kwargs):
    """The oracle testee answering from the 1.1 fixtures."""
    return broken_1_0(mode, vectors=FIXTURES_1_1, **kwargs)


def run11(testee, *args):
    return run(testee, *args, vectors=FIXTURES_1_1)


def test_reference_passes_every_check_of_the_1_1_fixtures():
    result = run11(reference(), "--require-all-ops")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "0 expected failures\n55 passed, 0 failed\n"


def test_a_1_0_testee_runs_and_the_new_checks_are_skipped_and_counted():
    result = run11(broken("correct"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{SKIP_LINE}\n0 expected failures\n46 passed, 0 failed, 9 skipped\n"


def test_require_all_ops_fails_a_testee_that_lacks_some():
    result = run11(broken("correct"), "--require-all-ops")
    assert result.returncode == 1
    assert fail_lines(result.stdout) == [
        "FAIL (skipped checks): --require-all-ops: the testee must announce decode_prefix, "
        "decode_sequence, max_depth"]
    assert last_line(result.stdout) == "46 passed, 1 failed, 9 skipped"


def test_only_what_is_announced_runs():
    result = run11(broken("correct", ops="decode_prefix"), "-v")
    assert result.returncode == 0, result.stdout
    assert "optional operations: decode_prefix)" in result.stdout.splitlines()[0]
    # Two prefix checks run; the third needs max_depth too.
    assert ("SKIP 7 checks: the testee does not announce decode_sequence (3), max_depth (5) in "
            "its hello") in result.stdout
    assert last_line(result.stdout) == "48 passed, 0 failed, 7 skipped"


def test_unknown_names_in_ops_are_ignored():
    result = run11(broken("correct", ops=f"{ALL_OPS},decode_stream,frobnicate"))
    assert result.returncode == 0, result.stdout
    assert last_line(result.stdout) == "55 passed, 0 failed"


def test_wrong_offsets_in_the_new_operations_fail_their_checks():
    result = run11(broken("wrong-offset", target="streams/", ops=ALL_OPS))
    assert fail_lines(result.stdout) == [
        "FAIL streams/nested at depth limit 1 [decode]: expected error depth_exceeded at 1, "
        "got error depth_exceeded at 2",
        "FAIL streams/tuple at depth limit 0 [decode]: expected error depth_exceeded at 0, "
        "got error depth_exceeded at 1",
        "FAIL streams/error offset from the buffer [decode_prefix]: expected error unknown_tag "
        "at 3, got error unknown_tag at 4",
        "FAIL streams/depth limit 1 at an offset [decode_prefix]: expected error depth_exceeded "
        "at 2, got error depth_exceeded at 3",
        'FAIL streams/two then an error [decode_sequence]: expected 2 values [{"int":"1"}, '
        '{"int":"2"}] then error non_canonical at 2, got 2 values [{"int":"1"}, {"int":"2"}] '
        "then error non_canonical at 3",
        'FAIL streams/depth limit 0 [decode_sequence]: expected 2 values [{"int":"1"}, '
        '{"none":null}] then error depth_exceeded at 2, got 2 values [{"int":"1"}, '
        '{"none":null}] then error depth_exceeded at 3',
    ]
    assert last_line(result.stdout) == "49 passed, 6 failed"
    assert result.returncode == 1


def test_a_wrong_value_shape_is_malformed_and_restarts_the_testee():
    result = run11(broken("wrong-type", target="streams/str after", op="decode_prefix",
                          ops=ALL_OPS))
    (line,) = fail_lines(result.stdout)
    assert line.startswith("FAIL streams/str after an int [decode_prefix]: malformed response: "
                           'expected {"value": ..., "end": ...} or {"error": ...}')


def test_an_expected_failure_of_a_skipped_check_is_not_stale(tmp_path):
    listing = tmp_path / "xfail.txt"
    listing.write_text("streams/empty [decode_sequence]\n")
    result = run11(broken("correct"), "--expected-failures", str(listing))
    assert result.returncode == 0, result.stdout
    assert last_line(result.stdout) == "46 passed, 0 failed, 9 skipped"


@pytest.mark.parametrize("ops", ['"decode_prefix"', "[1]"])
def test_a_malformed_ops_list_stops_the_run(tmp_path, ops):
    testee = tmp_path / "testee.py"
    testee.write_text(
        "import sys\n"
        "for line in sys.stdin:\n"
        f"    print('{{\"name\": \"t\", \"spec_version\": 1, \"ops\": {ops}}}', flush=True)\n")
    result = run11([sys.executable, str(testee)])
    assert result.returncode == 2
    assert result.stderr.startswith('run.py: error: hello failed: "ops" must be an array of '
                                    "strings")


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["prefix"][0].update(end=9), "prefix[0].end: expected an integer in 2..5"),
    (lambda d: d["prefix"][0].update(start=6), "prefix[0].start: expected an integer in 0..5"),
    (lambda d: d["prefix"][1].update(kind="trailing_bytes"), "prefix[1].kind: expected one of"),
    (lambda d: d["prefix"][1].pop("offset"), "prefix[1]: expected exactly the keys"),
    (lambda d: d["sequences"][1].update(error={"kind": "truncated", "offset": 2}),
     "sequences[1].error.offset: truncated is always reported at the input length 5"),
    (lambda d: d["sequences"][0].pop("error"), "sequences[0]: expected exactly the keys"),
    (lambda d: d["valid"][0].update(max_depth=-1),
     "valid[0].max_depth: expected an integer >= 0, got -1"),
    (lambda d: d["sequences"][1].update(values={}), "sequences[1].values: expected an array"),
])
def test_malformed_1_1_sections_are_errors(tmp_path, mutate, message):
    doc = json.loads((FIXTURES_1_1 / "streams.json").read_text(encoding="utf-8"))
    mutate(doc)
    (tmp_path / "streams.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run(reference(), vectors=tmp_path)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr


def test_no_request_line_of_the_suite_exceeds_one_mebibyte():
    # conformance/README.md promises this bound to testees that read a line into a buffer.
    checks = runner.load_vectors(CONFORMANCE / "vectors")
    longest = max(len(runner.typed_json.dumps_json(runner.request_for(c))) + 1 for c in checks)
    assert longest <= 1 << 20
    assert longest > 100_000  # the 100000-level depth cases: the bound is not idle
