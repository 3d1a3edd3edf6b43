"""python -m frozenpack: exact outputs, standard input and files, exit codes, error messages.

Most tests call frozenpack.tool.main(argv) in-process (fast); the last ones run
`python -m frozenpack` for real, with binary standard input and output.
"""

import ast
import io
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frozenpack
from frozenpack import DecodeError, iter_loads, loads
from frozenpack.tool import format_value, main
from reference_helpers import PROPERTY_SETTINGS, float_from_bits, h, literal_values, nested


@pytest.fixture
def stdin(monkeypatch):
    """Set standard input to the given octets."""

    def set_stdin(octets):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(octets)))

    return set_stdin


class _BinaryStdout:
    """Standard output with a .buffer, as sys.stdout has, that can say it is a terminal."""

    def __init__(self, tty=False):
        self.buffer = io.BytesIO()
        self._tty = tty

    def isatty(self):
        return self._tty

    def write(self, text):
        self.buffer.write(text.encode())

    def flush(self):
        pass


def _report(source, octets, kind, offset, *, stream=False):
    """The line the tool prints for invalid octets: the source, then the DecodeError of loads
    (iter_loads for a stream) on them, whose kind and offset must be the ones given. The
    detail is frozenpack's own, whichever implementation frozenpack.loads is."""
    with pytest.raises(DecodeError) as info:
        if stream:
            list(iter_loads(octets))
        else:
            loads(octets)
    assert (info.value.kind, info.value.offset) == (kind, offset)
    return f"{source}: {kind} at offset {offset}: {info.value.detail}"


def _run(argv, capsys):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- dis ----------------------------------------------------------------------------------------


def test_dis_file(tmp_path, capsys):
    path = tmp_path / "v.fpk"
    path.write_bytes(h("b3 05 c5 e8 03 85 68 65 6c 6c 6f"))
    assert _run(["dis", str(path)], capsys) == (
        0,
        "0  b3             FIXTUPLE n=3\n"
        "1  05               FIXINT 5\n"
        "2  c5 e803          INT2 1000\n"
        "5  85 68656c6c6f    FIXSTR len=5 'hello'\n",
        "",
    )


def test_dis_hex_stdin_is_the_default_input(stdin, capsys):
    stdin(b"b1 c0\n")
    assert _run(["dis", "--hex"], capsys) == (0, "0  b1  FIXTUPLE n=1\n1  c0    NONE\n", "")


def test_dis_invalid_input_lists_then_reports_on_stderr(stdin, capsys):
    stdin(h("b2 01 c4 05"))
    status, out, err = _run(["dis", "-"], capsys)
    detail = "INT1 holds 5, which is written in the tag alone"
    assert status == 1
    assert out == (
        "0  b2  FIXTUPLE n=2\n"
        "1  01    FIXINT 1\n"
        f"error: non_canonical at offset 2: {detail}\n"
    )
    assert err == f"<stdin>: non_canonical at offset 2: {detail}\n"


def test_dis_max_depth(stdin, capsys):
    stdin(b"b1 b1 c0")
    status, out, err = _run(["dis", "--hex", "--max-depth", "1"], capsys)
    assert status == 1
    assert err.startswith("<stdin>: depth_exceeded at offset 1: ")


# --- decode -------------------------------------------------------------------------------------


def test_decode_prints_the_literal(stdin, capsys):
    stdin(h("b6 01 81 61 c0 c3 00 00 00 00 00 00 00 80 dc 03 ed a0 80 a1 00"))
    assert _run(["decode"], capsys) == (0, "(1, 'a', None, -0.0, '\\ud800', b'\\x00')\n", "")


def test_decode_a_sequence_needs_all(stdin, capsys):
    stdin(b"01 b1 c2 80")
    assert _run(["decode", "--hex"], capsys) == (
        1,
        "",
        _report("<stdin>", h("01 b1 c2 80"), "trailing_bytes", 1)
        + " (use --all for a sequence of values)\n",
    )
    stdin(b"01 b1 c2 80")
    assert _run(["decode", "--hex", "--all"], capsys) == (0, "1\n(True,)\n''\n", "")


def test_decode_all_prints_the_values_before_an_error(stdin, capsys):
    stdin(b"01 02 e5")
    assert _run(["decode", "--hex", "--all"], capsys) == (
        1,
        "1\n2\n",
        _report("<stdin>", h("01 02 e5"), "unknown_tag", 2, stream=True) + "\n",
    )


def test_decode_empty_input(stdin, capsys):
    stdin(b"")
    assert _run(["decode"], capsys) == (1, "", _report("<stdin>", b"", "truncated", 0) + "\n")
    stdin(b"")
    assert _run(["decode", "--all"], capsys) == (0, "", "")


def test_decode_truncated_file_reports_the_file_and_offset(tmp_path, capsys):
    path = tmp_path / "cut.fpk"
    path.write_bytes(h("b2 d0 20 61"))
    assert _run(["decode", str(path)], capsys) == (
        1,
        "",
        _report(str(path), h("b2 d0 20 61"), "truncated", 4) + "\n",
    )


def test_decode_max_depth(stdin, capsys):
    stdin(b"b1 b1 b0")
    assert _run(["decode", "--hex", "--max-depth", "3"], capsys) == (0, "(((),),)\n", "")
    stdin(b"b1 b1 b0")
    status, out, err = _run(["decode", "--hex", "--max-depth", "2"], capsys)
    assert (status, out) == (1, "")
    assert err.startswith("<stdin>: depth_exceeded at offset 2: ")


def test_format_value_is_repr_for_ordinary_values():
    value = (None, True, -17, 2**100, 1.5, float("inf"), "\ud800x", b"\xff", ((), (1,), (2, 3)))
    assert format_value(value) == repr(value)


def test_format_value_writes_nesting_beyond_the_recursion_limit():
    depth = sys.getrecursionlimit() + 100
    assert format_value(nested(depth, 0)) == "(" * depth + "0" + ",)" * depth


def test_format_value_writes_huge_ints_in_hex():
    big = -(1 << 20000) - 1
    assert format_value((big,)) == "(-0x1" + "0" * 4999 + "1,)"
    assert ast.literal_eval(format_value((big,))) == (big,)  # what `encode` reads back


def test_format_value_writes_long_ints_in_hex_whatever_the_int_limit():
    # With the limit off, repr would convert any int to decimal, in quadratic time.
    limit = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(0)
        assert format_value((1 << 20000,)) == "(0x1" + "0" * 5000 + ",)"
        assert format_value(-(10**4299)) == "-1" + "0" * 4299  # 4300 digits: decimal
        sys.set_int_max_str_digits(1000)  # a lower limit than the default is obeyed
        assert format_value(10**1000) == hex(10**1000)
    finally:
        sys.set_int_max_str_digits(limit)


def test_format_value_nan_loses_its_payload():
    # Documented: repr cannot show NaN bits, `dis` does.
    assert format_value(float_from_bits(0x7FF8000000000001)) == "nan"


# --- encode -------------------------------------------------------------------------------------


def test_encode_hex(capsys):
    assert _run(["encode", "--hex", "(1, 'a', None, b'\\x00', -0.0)"], capsys) == (
        0,
        "b5 01 81 61 c0 a1 00 c3 00 00 00 00 00 00 00 80\n",
        "",
    )


def test_encode_binary_to_stdout(monkeypatch):
    # Set here, not in a fixture: pytest's capturing resets sys.stdout between setup and call.
    out = _BinaryStdout()
    monkeypatch.setattr("sys.stdout", out)
    assert main(["encode", "(1, '\\ud800')"]) == 0
    assert out.buffer.getvalue() == h("b2 01 dc 03 ed a0 80")


def test_encode_refuses_binary_to_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout", _BinaryStdout(tty=True))
    with pytest.raises(SystemExit) as info:
        main(["encode", "1"])
    assert info.value.code == 2
    assert "refusing to write binary octets to a terminal" in capsys.readouterr().err


def test_encode_to_a_file_and_from_a_file(tmp_path, capsys):
    source, out = tmp_path / "value.py", tmp_path / "value.fpk"
    source.write_text("(0x10000000000000000,\n 'x')\n")
    assert _run(["encode", "-i", str(source), "-o", str(out)], capsys) == (0, "", "")
    assert out.read_bytes() == h("b2 cc 09 00 00 00 00 00 00 00 00 01 81 78")


def test_encode_reads_stdin_by_default(stdin, capsys):
    stdin(b"(True, ())\n")
    assert _run(["encode", "--hex"], capsys) == (0, "b2 c2 b0\n", "")


@pytest.mark.parametrize(
    "literal, message",
    [
        ("(1, [2])", "unsupported type 'list' at $[1]"),
        ("({1: 2},)", "unsupported type 'dict' at $[0]"),
        ("{1}", "unsupported type 'set' at $"),
        ("(0, (1, 2j))", "unsupported type 'complex' at $[1][1]"),
        ("(1,", "not a Python literal: '(' was never closed at line 1, column 1"),
        ("x + 1", "not a Python literal: malformed node or string on line 1"),
        ("2**70", "not a Python literal: malformed node or string on line 1"),
    ],
)
def test_encode_errors(literal, message, capsys):
    assert _run(["encode", "--hex", literal], capsys) == (
        1,
        "",
        f"python -m frozenpack encode: {message}\n",
    )


def test_encode_input_that_is_not_utf8(stdin, capsys):
    stdin(b"'\xff'")
    assert _run(["encode", "--hex"], capsys) == (
        1,
        "",
        "python -m frozenpack encode: <stdin>: not UTF-8 text at offset 1\n",
    )


def test_encode_literal_and_input_together_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["encode", "--hex", "-i", "-", "1"])
    assert info.value.code == 2
    assert "give either LITERAL or -i FILE, not both" in capsys.readouterr().err


def test_decode_reads_back_what_encode_wrote(tmp_path, capsys):
    literal = (
        "(None, False, -1, 340282366920938463463374607431768211456, 0.1, 'é\\udfff', b'', ((),))"
    )
    out = tmp_path / "v.fpk"
    assert main(["encode", "-o", str(out), literal]) == 0
    assert _run(["decode", str(out)], capsys) == (0, literal + "\n", "")


# --- what decode prints, encode reads (issue 9 item 8) ------------------------------------------


def _every_kind(depth):
    """`depth` singletons around a tuple of every kind, big ints in hex included (its () is
    at level depth + 2)."""
    inner = (-(1 << 20000) - 1, 2**100, -7, "\ud800'\"\\\n\u2028", b"\x00'\"\\\xff", -0.0,
             1e300, None, True, ())
    return nested(depth, inner)


def test_process_decode_then_encode_300_deep():
    # 300 deep is valid at the default limit; ast.literal_eval stops at 200 parentheses.
    octets = frozenpack.dumps(_every_kind(300))
    decoded = _python_m_frozenpack("decode", "-", stdin=octets)
    assert (decoded.returncode, decoded.stderr) == (0, b"")
    encoded = _python_m_frozenpack("encode", stdin=decoded.stdout)
    assert (encoded.returncode, encoded.stderr) == (0, b"")
    assert encoded.stdout == octets


@pytest.mark.parametrize("max_depth", [1000, 5000])
def test_decode_then_encode_at_the_depth_limit(max_depth, tmp_path, capsys):
    source, text, back = tmp_path / "v.fpk", tmp_path / "v.txt", tmp_path / "back.fpk"
    octets = frozenpack.dumps(_every_kind(max_depth - 2))
    source.write_bytes(octets)
    depth_option = ["--max-depth", str(max_depth)]
    status, out, err = _run(["decode", *depth_option, str(source)], capsys)
    assert (status, err) == (0, "")
    text.write_text(out)
    assert _run(["encode", "-i", str(text), "-o", str(back)], capsys) == (0, "", "")
    assert back.read_bytes() == octets
    # It is at the limit: one less and decode refuses it.
    status, _, err = _run(["decode", "--max-depth", str(max_depth - 1), str(source)], capsys)
    assert status == 1 and "depth_exceeded" in err


@PROPERTY_SETTINGS
@given(literal_values, st.integers(0, 1200))
def test_encode_of_what_decode_prints_is_the_encoding(value, depth):
    value = nested(depth, value)
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "v.fpk")
        assert main(["encode", "-o", out, format_value(value)]) == 0
        with open(out, "rb") as f:
            assert f.read() == frozenpack.dumps(value)


_DEEP = "(" * 300


@pytest.mark.parametrize(
    "literal, message",
    [
        (_DEEP + "[1]" + ")" * 300, "frozenpack cannot encode a list at line 1, column 301"),
        (_DEEP + "1", "'(' was never closed at line 1, column 1"),
        (_DEEP + "x" + ",)" * 300, "'x' is not a literal at line 1, column 301"),
        (_DEEP + "1" + ",)" * 300 + ")", "unmatched ')' at line 1, column 902"),
        ("(" + "-" * 10000 + "1,)", "invalid syntax at line 1, column 3"),
        (_DEEP + "float('nan')" + ",)" * 300, "'float' is not a literal at line 1, column 301"),
    ],
)
def test_encode_errors_deeper_than_ast_reads(literal, message, capsys):
    assert _run(["encode", "--hex", literal], capsys) == (
        1,
        "",
        f"python -m frozenpack encode: not a Python literal: {message}\n",
    )


def test_encode_still_reads_what_only_ast_reads(capsys):
    # Not decode's output, but literals encode has always read: -(1), a comment line first.
    assert _run(["encode", "--hex", "(-(1), 2)"], capsys) == (0, "b2 ff 02\n", "")
    assert _run(["encode", "--hex", "# a value\n(1,)"], capsys) == (0, "b1 01\n", "")


# --- validate -----------------------------------------------------------------------------------


def test_validate_files(tmp_path, capsys):
    good, bad, two, empty = (tmp_path / name for name in ("good", "bad", "two", "empty"))
    good.write_bytes(h("b2 01 02"))
    bad.write_bytes(h("b1 d4 01 00"))  # BYTES holding 1 octet, which is FIXBYTES
    two.write_bytes(h("01 02"))
    empty.write_bytes(b"")
    assert _run(["validate", str(good)], capsys) == (0, "", "")
    assert _run(["validate", str(good), str(bad), str(two), str(empty)], capsys) == (
        1,
        "",
        _report(str(bad), h("b1 d4 01 00"), "non_canonical", 1)
        + "\n"
        + _report(str(two), h("01 02"), "trailing_bytes", 1)
        + "\n"
        + _report(str(empty), b"", "truncated", 0)
        + "\n",
    )
    assert _run(["validate", "--stream", str(good), str(two), str(empty)], capsys) == (0, "", "")


def test_validate_stream_reports_the_offset_in_the_whole_input(stdin, capsys):
    stdin(b"01 02 c3 00")
    assert _run(["validate", "--hex", "--stream"], capsys) == (
        1,
        "",
        _report("<stdin>", h("01 02 c3 00"), "truncated", 4, stream=True) + "\n",
    )


def test_validate_text_that_is_not_hex(stdin, capsys):
    stdin(b"b1 c0 zz")
    assert _run(["validate", "--hex"], capsys) == (
        1,
        "",
        "<stdin>: not hex text: non-hexadecimal number found in fromhex() arg at position 6\n",
    )


def test_validate_a_missing_file_goes_on_and_exits_2(tmp_path, capsys):
    good = tmp_path / "good"
    good.write_bytes(b"\x00")
    missing = tmp_path / "missing"
    assert _run(["validate", str(missing), str(good)], capsys) == (
        2,
        "",
        f"python -m frozenpack validate: cannot read {missing}: No such file or directory\n",
    )


# --- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["decode", "--max-depth", "-1", "x"], "must be >= 0, not -1"),
        (["dis", "--max-depth", "ten"], "not an integer: 'ten'"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_help_documents_exit_codes_and_hex_input(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "exit status: 0 success; 1 invalid data" in out
    with pytest.raises(SystemExit):
        main(["decode", "--help"])
    assert "the input is hex text" in capsys.readouterr().out


# --- as a real process --------------------------------------------------------------------------


def _python_m_frozenpack(*args, stdin=b""):
    return subprocess.run(
        [sys.executable, "-m", "frozenpack", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
        timeout=60,
    )


def test_process_encode_then_decode_through_pipes():
    encoded = _python_m_frozenpack("encode", "(1, 2.5, 'x\\udc80', b'\\x01', None)")
    assert (encoded.returncode, encoded.stderr) == (0, b"")
    assert encoded.stdout == h("b5 01 c3 00 00 00 00 00 00 04 40 dc 04 78 ed b2 80 a1 01 c0")
    decoded = _python_m_frozenpack("decode", "-", stdin=encoded.stdout)
    assert (decoded.returncode, decoded.stdout, decoded.stderr) == (
        0,
        b"(1, 2.5, 'x\\udc80', b'\\x01', None)\n",
        b"",
    )


def test_process_invalid_input_exit_1_without_traceback():
    octets = h("cc 09" + "00" * 9)  # BIGINT of 9 octets holding 0
    result = _python_m_frozenpack("validate", stdin=octets)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (
        1,
        b"",
        _report("<stdin>", octets, "non_canonical", 0) + "\n",
    )


def test_process_usage_error_exit_2():
    result = _python_m_frozenpack("decode", "--bogus")
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"unrecognized arguments: --bogus" in result.stderr


def test_without_the_compiled_extension_dis_works_and_decode_says_what_is_missing(tmp_path):
    # A copy of the package's Python files alone, first on the path: no frozenpack._frozenpack.
    package = pathlib.Path(frozenpack.__file__).parent
    copy = tmp_path / "frozenpack"
    copy.mkdir()
    for source in package.glob("*.py"):
        shutil.copy(source, copy / source.name)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "frozenpack", *args], input=b"b1 c0",
                              capture_output=True, env=env, check=False, timeout=60)

    listed = run("dis", "--hex")
    assert (listed.returncode, listed.stdout, listed.stderr) == (
        0, b"0  b1  FIXTUPLE n=1\n1  c0    NONE\n", b"")
    decoded = run("decode", "--hex")
    assert (decoded.returncode, decoded.stdout) == (2, b"")
    assert decoded.stderr.startswith(b"python -m frozenpack decode: frozenpack.")
    assert b"needs the compiled extension" in decoded.stderr
    assert b"Traceback" not in decoded.stderr
