"""frozenpack.listing: exact listings, the error line, and the command line."""

import io
import os
import subprocess
import sys

import pytest

from frozenpack.listing import dis, main
from frozenpack.reference import DecodeError
from reference_helpers import h


def _listing(data, **kwargs):
    out = io.StringIO()
    dis(data, out, **kwargs)
    return out.getvalue()


def test_tuple_of_small_items():
    # (5, 1000, "hello", -3, None)
    assert _listing(h("b5 05 c5 e8 03 85 68 65 6c 6c 6f fd c0")) == (
        " 0  b5             FIXTUPLE n=5\n"
        " 1  05               FIXINT 5\n"
        " 2  c5 e803          INT2 1000\n"
        " 5  85 68656c6c6f    FIXSTR len=5 'hello'\n"
        "11  fd               NEGFIXINT -3\n"
        "12  c0               NONE\n"
    )


def test_long_payloads_are_abbreviated_after_16_octets():
    data = h(
        "b3"
        "d0 28" + "61" * 40 +  # "a" * 40
        "d4 14" + "00" * 20 +  # b"\0" * 20
        "cc 26" + "00" * 37 + "f0"  # -2**300: 38 octets, shown by size
    )
    assert _listing(data) == (
        " 0  b3                                       FIXTUPLE n=3\n"
        " 1  d0 28 61616161616161616161616161616161…    STR len=40 'aaaaaaaaaaaaaaaa…'\n"
        "43  d4 14 00000000000000000000000000000000…    BYTES len=20 "
        "b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00…'\n"
        "65  cc 26 00000000000000000000000000000000…    BIGINT n=38 (negative, 301 bits)\n"
    )


def test_floats_bigints_surrogates_and_nesting():
    data = h(
        "b5"
        "c3 00 00 00 00 00 00 f8 3f"  # 1.5
        "cc 09 00 00 00 00 00 00 00 00 01"  # 2**64
        "dc 04 ed a0 80 78"  # "\ud800x"
        "b2 c2 b0"  # (True, ())
        "c3 01 00 00 00 00 00 f8 7f"  # NaN with payload 1
    )
    assert _listing(data) == (
        " 0  b5                        FIXTUPLE n=5\n"
        " 1  c3 000000000000f83f         FLOAT 1.5 (bits 3ff8000000000000)\n"
        "10  cc 09 000000000000000001    BIGINT n=9 18446744073709551616\n"
        "21  dc 04 eda08078              SSTR len=4 '\\ud800x'\n"
        "27  b2                          FIXTUPLE n=2\n"
        "28  c2                            TRUE\n"
        "29  b0                            FIXTUPLE n=0\n"
        "30  c3 010000000000f87f         FLOAT nan (bits 7ff8000000000001)\n"
    )


def test_a_sequence_lists_each_value_at_level_zero():
    assert _listing(h("01 b1 c1 a2 00 ff")) == (
        "0  01       FIXINT 1\n"
        "1  b1       FIXTUPLE n=1\n"
        "2  c1         FALSE\n"
        "3  a2 00ff  FIXBYTES len=2 b'\\x00\\xff'\n"
    )


def test_empty_input_lists_nothing():
    assert _listing(b"") == ""


def test_bad_input_lists_what_was_read_then_the_error():
    out = io.StringIO()
    with pytest.raises(DecodeError) as info:
        dis(h("b3 01 c4 05 02"), out)
    assert (info.value.kind, info.value.offset) == ("non_canonical", 2)
    assert out.getvalue() == (
        "0  b3  FIXTUPLE n=3\n"
        "1  01    FIXINT 1\n"
        f"error: non_canonical at offset 2: {info.value.detail}\n"
    )


def test_truncated_input():
    out = io.StringIO()
    with pytest.raises(DecodeError) as info:
        dis(h("b2 d0 20 61"), out)
    assert (info.value.kind, info.value.offset) == ("truncated", 4)
    assert out.getvalue() == (
        f"0  b2  FIXTUPLE n=2\nerror: truncated at offset 4: {info.value.detail}\n"
    )


def test_depth_limit():
    out = io.StringIO()
    with pytest.raises(DecodeError) as info:
        dis(h("b1 b1 c0"), out, max_depth=1)
    assert out.getvalue() == (
        f"0  b1  FIXTUPLE n=1\nerror: depth_exceeded at offset 1: {info.value.detail}\n"
    )


# --- linear in the input (spec §11) ----------------------------------------------------------


def test_deep_items_keep_64_spaces_and_show_their_level():
    lines = _listing(h("b1" * 40 + "c0")).splitlines()
    assert lines[32] == "32  b1  " + "  " * 32 + "FIXTUPLE n=1"
    assert lines[33] == "33  b1  " + "  " * 32 + "[level 33] FIXTUPLE n=1"
    assert lines[40] == "40  c0  " + "  " * 32 + "[level 40] NONE"


def test_listing_length_is_linear_in_the_depth():
    # Indenting every level made a chain of depth D list in O(D^2) characters: 8 times the
    # depth gave 60 times the text. Counted, not timed.
    def length(depth):
        return len(_listing(h("b1" * depth + "c0"), max_depth=depth))

    small, large = length(500), length(4000)
    assert large < 10 * small, (small, large)


def test_a_huge_bigint_is_listed_by_its_size():
    # 160 000 octets: 385 000 digits, which str() refuses (ValueError) and which would take
    # seconds to convert; the listing shows the size and never converts.
    n = 160_000
    data = bytes([0xCE]) + n.to_bytes(4, "little") + b"\x00" * (n - 1) + b"\x80"
    limit = sys.get_int_max_str_digits()
    try:
        for digits in (limit, 0):  # the limit on, and off (where str() would go quadratic)
            sys.set_int_max_str_digits(digits)
            assert _listing(data) == (
                "0  ce 00710200 00000000000000000000000000000000…  "
                "BIGINT n=160000 (negative, 1280000 bits)\n"
            )
    finally:
        sys.set_int_max_str_digits(limit)


# --- command line -----------------------------------------------------------------------------


def test_cli_hex_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"b2 01\n 81 61\n")))
    assert main(["--hex", "-"]) == 0
    assert capsys.readouterr().out == (
        "0  b2     FIXTUPLE n=2\n"
        "1  01       FIXINT 1\n"
        "2  81 61    FIXSTR len=1 'a'\n"
    )


def test_cli_binary_file_with_an_error(tmp_path, capsys):
    path = tmp_path / "bad.fpk"
    path.write_bytes(h("05 e0"))
    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "0  05  FIXINT 5",
        "error: unknown_tag at offset 1: tag e0 is reserved (e0-ef) in version 1",
    ]


def test_cli_max_depth(tmp_path, capsys):
    path = tmp_path / "deep.fpk"
    path.write_bytes(h("b1 b1 c0"))
    assert main(["--max-depth", "2", str(path)]) == 0
    assert main(["--max-depth", "1", str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("error: depth_exceeded at offset 1:")


def test_cli_rejects_text_that_is_not_hex(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"zz")))
    with pytest.raises(SystemExit) as info:
        main(["--hex", "-"])
    assert info.value.code == 2
    assert "not hex text" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path):
    path = tmp_path / "value.hex"
    path.write_text("b1 c0\n")
    result = subprocess.run(
        [sys.executable, "-m", "frozenpack.listing", "--hex", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "0  b1  FIXTUPLE n=1\n1  c0    NONE\n",
        "",
    )
