"""The extension's API: what the frozenpack package exports, exact types out, subclasses in,
the TypeError and ValueError texts of the reference, options, DecodeError, dump/load."""

import enum
import inspect
import io
import math
import pathlib
import pickle
import struct
import sys
from collections import namedtuple

import pytest

import frozenpack
from extension_helpers import assert_same, extension, outcome, reference, same_outcome
from reference_helpers import exactly_equal, float_bits, float_from_bits, h, nested

FUNCTIONS = ["dump", "dumps", "iter_load", "iter_loads", "load", "loads", "loads_prefix"]
PUBLIC = [*FUNCTIONS, "Decoder", "DecodeError", "MAX_DEPTH", "ERROR_KINDS"]


# --- the package -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC)
def test_the_package_exports_the_extension_not_the_reference(name):
    assert getattr(frozenpack, name) is getattr(extension, name)
    if name in FUNCTIONS:
        assert getattr(frozenpack, name) is not getattr(reference, name)
        assert type(getattr(frozenpack, name)).__name__ == "builtin_function_or_method"
    if name == "Decoder":
        assert frozenpack.Decoder is not reference.Decoder
        assert frozenpack.Decoder.__module__ == "frozenpack._frozenpack"


def test_the_extension_is_compiled():
    assert extension.__file__.endswith((".so", ".pyd"))
    assert extension.__name__ == "frozenpack._frozenpack"


def test_constants_match_the_reference():
    assert extension.MAX_DEPTH == reference.MAX_DEPTH == 1000
    assert extension.ERROR_KINDS == reference.ERROR_KINDS
    assert frozenpack.SPEC_VERSION == 1


def _parameters(function):
    """The parameters as a caller sees them: names, kinds and defaults. (Not the annotations:
    the reference's are in its source, the extension's in its stub, _frozenpack.pyi.)"""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_signatures_and_docstrings_match_the_reference(name):
    ours, theirs = getattr(extension, name), getattr(reference, name)
    assert _parameters(ours) == _parameters(theirs)
    assert ours.__doc__ and len(ours.__doc__) > 40


def _same_words(ours, theirs):
    """The same text but for whitespace and how the spec is cited ("§9" in the reference,
    "section 9" in the extension, whose docstrings are C strings)."""
    theirs = theirs.replace("(§9)", "(spec section 9)").replace("§", "section ")
    return " ".join(ours.split()) == " ".join(theirs.split())


@pytest.mark.parametrize("name", ["load", "iter_load"])
def test_stream_docstrings_are_the_references(name):
    # The promises of load and iter_load (what is read, what is left in fp) are the same words.
    assert _same_words(getattr(extension, name).__doc__, inspect.getdoc(getattr(reference, name)))


def test_decoder_signatures_and_docstrings_match_the_reference():
    assert _parameters(extension.Decoder) == _parameters(reference.Decoder)
    assert _same_words(extension.Decoder.__doc__, inspect.getdoc(reference.Decoder))
    for name in ("feed", "close"):
        ours, theirs = getattr(extension.Decoder(), name), getattr(reference.Decoder(), name)
        assert _parameters(ours) == _parameters(theirs)
        assert _same_words(ours.__doc__, inspect.getdoc(theirs))
    for name in ("offset", "buffered"):
        ours, theirs = getattr(extension.Decoder, name), getattr(reference.Decoder, name)
        assert _same_words(ours.__doc__, inspect.getdoc(theirs))


# --- DecodeError -------------------------------------------------------------------------------


def test_decode_error_is_a_value_error_with_kind_offset_detail():
    with pytest.raises(frozenpack.DecodeError) as info:
        frozenpack.loads(h("c5 64 00"))
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.kind, error.offset) == ("non_canonical", 0)
    assert error.detail == "INT2 holds 100, whose top octet only repeats the sign"
    assert str(error) == "non_canonical at offset 0: INT2 holds 100, whose top octet only repeats the sign"
    assert type(error).__module__ == "frozenpack"
    assert type(error).__qualname__ == "DecodeError"


def test_decode_error_pickles_with_its_fields():
    error = outcome(frozenpack.loads, h("b2 01"))
    with pytest.raises(frozenpack.DecodeError) as info:
        frozenpack.loads(h("b2 01"))
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is frozenpack.DecodeError
    assert (copy.kind, copy.offset, str(copy)) == (error[3], error[4], error[2])


def test_decode_error_can_be_raised_by_users_like_the_reference():
    error = frozenpack.DecodeError("truncated", 3, "x")
    assert str(error) == str(reference.DecodeError("truncated", 3, "x"))


# --- exact types out ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    (), (1,), (True, False, None), 2**64, -(2**64), 2**1000, 0, 255, -17,
    -0.0, 0.0, float("inf"), float_from_bits(0x7FF0000000000001), float_from_bits(0xFFF8000000000123),
    "", "a" * 31, "a" * 32, "é" * 200, "\ud800", "a\udfffb", "\ud83d\ude00", "😀",
    b"", b"\x00" * 15, b"\xff" * 16, b"x" * 70000, ((((),),),), tuple(range(300)),
])
def test_values_round_trip_with_exact_types(value):
    encoded = frozenpack.dumps(value)
    assert encoded == reference.dumps(value)
    decoded = frozenpack.loads(encoded)
    assert exactly_equal(decoded, value)


def test_bools_are_not_ints_and_tuples_are_not_lists():
    decoded = frozenpack.loads(frozenpack.dumps((True, 1, (False, 0))))
    assert [type(x) for x in decoded] == [bool, int, tuple]
    assert decoded[0] is True and decoded[2][0] is False


def test_nan_payloads_keep_every_bit():
    for bits in (0x7FF8000000000001, 0x7FF0000000000001, 0xFFFFFFFFFFFFFFFF, 0x8000000000000000):
        decoded = frozenpack.loads(frozenpack.dumps(float_from_bits(bits)))
        assert float_bits(decoded) == bits
    assert math.copysign(1.0, frozenpack.loads(frozenpack.dumps(-0.0))) == -1.0


def test_adjacent_surrogates_stay_two_code_points():
    # A high surrogate then a low one: two code points, two 3-octet sequences (spec §4).
    pair = "\ud83d\ude00"
    assert frozenpack.dumps(pair) == h("dc 06 ed a0 bd ed b8 80")
    assert frozenpack.loads(h("dc 06 ed a0 bd ed b8 80")) == pair
    assert len(frozenpack.loads(h("dc 06 ed a0 bd ed b8 80"))) == 2


def test_short_strings_decode_to_equal_objects_whatever_the_cache_holds():
    # The short-string cache must never hand back the wrong text: keys that collide in any
    # small table, repeated and interleaved.
    keys = [f"k{i}" for i in range(5000)] + ["", "a", "a" * 16, "a" * 17]
    encoded = frozenpack.dumps(tuple(keys + keys[::-1]))
    assert frozenpack.loads(encoded) == tuple(keys + keys[::-1])


# --- subclasses in -----------------------------------------------------------------------------


class Color(enum.IntEnum):
    RED = 1
    BIG = 2**70


class Str(str):
    def __str__(self):
        return "overridden"

    def encode(self, *args, **kwargs):
        raise AssertionError("must not be called")


class Bytes(bytes):
    def __bytes__(self):
        return b"overridden"

    def __len__(self):
        return 0


class Float(float):
    def __float__(self):
        return 0.0


class Tuple(tuple):
    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    def __getitem__(self, i):
        raise AssertionError("must not be called")


Point = namedtuple("Point", "x y")


class Int(int):
    def __index__(self):
        return 0

    def __int__(self):
        return 0


@pytest.mark.parametrize("value, base", [
    (Color.RED, 1), (Color.BIG, 2**70), (Int(300), 300), (Int(-(2**80)), -(2**80)),
    (Str("abc"), "abc"), (Str("a\ud800"), "a\ud800"), (Bytes(b"xyz"), b"xyz"),
    (Float(-0.0), -0.0), (Tuple((1, 2)), (1, 2)), (Point(1, "y"), (1, "y")),
    ((Point(Color.RED, Str("s")),), ((1, "s"),)),
], ids=lambda v: type(v).__name__)
def test_subclasses_encode_as_their_base_value(value, base):
    assert frozenpack.dumps(value) == reference.dumps(value) == reference.dumps(base)


# --- unsupported types: the reference's TypeError ---------------------------------------------


class Custom:
    pass


@pytest.mark.parametrize("value", [
    [], {}, set(), 1j, bytearray(b"x"), memoryview(b"x"), Custom(), Custom, print,
    (1, [2]), (0, 1, (2, (3, {}))), ((((frozenset(),),),),), (None,) * 20 + ([],),
    nested(2000, [1]),
])
def test_unsupported_types_raise_the_references_type_error(value):
    result = assert_same("dumps", value)
    assert result[0] == "raises" and result[1] == "TypeError"
    assert result[2].startswith("unsupported type ")


class _LyingMeta(type):
    # A metaclass may answer anything for a class's __qualname__ and __module__; the error
    # names the class by its own, in both implementations, without running this code.
    def __getattribute__(cls, name):
        if name in ("__qualname__", "__module__", "__name__"):
            raise AssertionError("user code ran to name the class")
        return super().__getattribute__(name)


class _Lying(metaclass=_LyingMeta):
    pass


def test_type_names_are_the_types_own_not_a_metaclasss():
    result = assert_same("dumps", (1, _Lying()))
    assert result[1:] == ("TypeError", f"unsupported type '{__name__}._Lying' at $[1]")
    result = assert_same("loads", _Lying())
    assert result[1:] == ("TypeError", "a bytes-like object is required, not '_Lying'")
    assert assert_same("loads", b"\x00", max_depth=_Lying())[1] == "TypeError"
    assert assert_same("loads_prefix", b"\x00", _Lying())[1] == "TypeError"


def test_type_error_names_module_and_qualname():
    with pytest.raises(TypeError) as info:
        frozenpack.dumps((1, (2, Custom())))
    assert str(info.value) == (
        f"unsupported type '{__name__}.Custom' at $[1][1]")
    with pytest.raises(TypeError, match=r"^unsupported type 'list' at \$$"):
        frozenpack.dumps([])


# --- deep values -------------------------------------------------------------------------------


def test_a_million_deep_tuple_encodes_without_recursion():
    value = nested(1_000_000)
    assert frozenpack.dumps(value) == b"\xb1" * 1_000_000 + b"\xc0"


def test_depth_limit_is_configurable_and_iterative():
    encoded = b"\xb1" * 200_000 + b"\xc0"
    with pytest.raises(frozenpack.DecodeError) as info:
        frozenpack.loads(encoded)
    assert (info.value.kind, info.value.offset) == ("depth_exceeded", 1000)
    value = frozenpack.loads(encoded, max_depth=200_000)
    assert frozenpack.dumps(value) == encoded
    assert frozenpack.loads(encoded, max_depth=2**100) is not None


# --- options and argument errors ---------------------------------------------------------------


@pytest.mark.parametrize("max_depth", [0, 1, 2, 10**30, -1, -(10**30), True, 1.0, "3", None])
def test_max_depth_is_checked_as_the_reference_does(max_depth):
    for data in (b"\xb1\xb0", b"\xc0", b"\xe0"):
        assert_same("loads", data, max_depth=max_depth)
        assert_same("loads_prefix", data, max_depth=max_depth)
        assert_same_load(lambda: io.BytesIO(data), max_depth=max_depth)
    ref = outcome(lambda: list(reference.iter_loads(b"\xb1\xb0", max_depth=max_depth)))
    ext = outcome(lambda: list(extension.iter_loads(b"\xb1\xb0", max_depth=max_depth)))
    assert ref == ext


@pytest.mark.parametrize("offset", [0, 1, 3, 4, 5, -1, 2**70, True, 1.0, None])
def test_offset_is_checked_as_the_reference_does(offset):
    assert_same("loads_prefix", b"\x01\x82hi", offset)


@pytest.mark.parametrize("call", [
    lambda m: m.dumps(),
    lambda m: m.dumps(1, 2),
    lambda m: m.dumps(obj=5),
    lambda m: m.dumps(1, obj=5),
    lambda m: m.loads(),
    lambda m: m.loads(b"\x00", 5),
    lambda m: m.loads(data=b"\x00"),
    lambda m: m.loads(b"\x00", depth=5),
    lambda m: m.loads_prefix(b"\x00", 0, 0),
    lambda m: m.loads_prefix(b"\x01\x02", offset=1),
    lambda m: m.iter_loads(),
    lambda m: m.iter_load(),
    lambda m: m.iter_load(io.BytesIO(), 5),
    lambda m: m.load(fp=io.BytesIO(b"\x01")),
    lambda m: m.Decoder().feed(),
    lambda m: m.Decoder().feed(b"\x01", b"\x02"),
    lambda m: m.Decoder().feed(data=b"\x01"),
    lambda m: m.Decoder().feed(b"\x01", data=b"\x02"),
    lambda m: m.Decoder(5),
    lambda m: m.Decoder(depth=5),
    lambda m: m.Decoder(max_depth=True),
    lambda m: m.dump(1),
    lambda m: m.dump(),
    lambda m: m.loads_prefix(),
    lambda m: m.dump(fp=1),
    lambda m: m.dump([], object()),
    lambda m: m.dump(1, object()),
])
def test_bad_calls_raise_type_error_like_the_reference(call):
    ref, ext = outcome(call, reference), outcome(call, extension)
    assert ref[:2] == ext[:2], (ref, ext)
    if ref[0] == "raises" and "() " in ref[2]:
        # Python words its own argument errors with the function's qualified name.
        assert ref[2].split("() ", 1)[1] == ext[2].split("() ", 1)[1]
    elif ref[0] == "raises":
        assert ref[2] == ext[2]
    else:
        assert exactly_equal(ref[1], ext[1])


# --- loads_prefix, iter_loads ------------------------------------------------------------------


def test_loads_prefix_returns_value_and_end():
    assert frozenpack.loads_prefix(b"\x01\x82hi\x03", 1) == ("hi", 4)
    with pytest.raises(frozenpack.DecodeError) as info:
        frozenpack.loads_prefix(b"\x01\x02\xb2\x01", 2)
    assert (info.value.kind, info.value.offset) == ("truncated", 4)


def test_iter_loads_reads_a_sequence_and_an_error_ends_it():
    iterator = frozenpack.iter_loads(b"\x01\xb1\x02\xc5\x64\x00\x03")
    assert iter(iterator) is iterator
    assert next(iterator) == 1
    assert next(iterator) == (2,)
    with pytest.raises(frozenpack.DecodeError) as info:
        next(iterator)
    assert (info.value.kind, info.value.offset) == ("non_canonical", 3)
    with pytest.raises(StopIteration):
        next(iterator)
    assert list(frozenpack.iter_loads(b"")) == []


def test_iter_loads_checks_its_arguments_at_once():
    with pytest.raises(TypeError, match="a bytes-like object is required, not 'list'"):
        frozenpack.iter_loads([])
    with pytest.raises(ValueError, match="max_depth must be >= 0, not -1"):
        frozenpack.iter_loads(b"", max_depth=-1)


def test_iterator_type_is_the_modules_and_cannot_be_instantiated():
    assert type(frozenpack.iter_loads(b"")) is extension.LoadsIterator
    with pytest.raises(TypeError):
        extension.LoadsIterator()
    assert type(frozenpack.iter_load(io.BytesIO())) is extension.LoadIterator
    with pytest.raises(TypeError):
        extension.LoadIterator()


def test_decoder_is_the_modules_and_final():
    decoder = frozenpack.Decoder(max_depth=3)
    assert type(decoder) is extension.Decoder
    assert repr(decoder) == "<Decoder offset=0 buffered=0>"
    with pytest.raises(TypeError):
        type("Sub", (extension.Decoder,), {})  # as the stubs say (@final)
    with pytest.raises(AttributeError):
        decoder.offset = 5


# --- dump and load -----------------------------------------------------------------------------


def assert_same_load(open_file, **kwargs):
    """load() of the reference and of the extension, each on a fresh file from open_file()."""
    expected = outcome(reference.load, open_file(), **kwargs)
    actual = outcome(extension.load, open_file(), **kwargs)
    assert same_outcome(expected, actual), (expected, actual)


def test_dump_and_load_with_a_binary_file(tmp_path):
    value = (1, "two", b"3", 4.0, (None, True), 2**100)
    path = tmp_path / "value.fpk"
    with open(path, "wb") as fp:
        assert frozenpack.dump(value, fp) is None
    assert path.read_bytes() == reference.dumps(value)
    with open(path, "rb") as fp:
        assert exactly_equal(frozenpack.load(fp), value)
    buffer = io.BytesIO()
    reference.dump(value, buffer)
    assert exactly_equal(frozenpack.load(io.BytesIO(buffer.getvalue())), value)


def test_load_reads_one_value_as_the_reference_does():
    # It used to read the whole file, and so raised trailing_bytes on a file of two values.
    for data in (b"\x01\x02", b"", b"\xb2\x01", b"\xb2\xc4\x05\x00", b"\xd7" + b"\xff" * 8,
                 b"\xe0\x01", reference.dumps(("x" * 100, 2**100)) + b"\x05"):
        assert_same_load(lambda: io.BytesIO(data))
        ref, ext = io.BytesIO(data), io.BytesIO(data)
        outcome(reference.load, ref), outcome(extension.load, ext)
        assert ref.tell() == ext.tell()
    fp = io.BytesIO(b"\x01\x02")
    assert frozenpack.load(fp) == 1
    assert fp.read() == b"\x02"


def test_dump_and_load_pass_on_file_errors():
    class Broken:
        def write(self, data):
            raise OSError("disk full")

        def read(self, size=-1):
            raise OSError("gone")

    assert_same("dump", 1, Broken())
    assert_same("load", Broken())
    assert_same("load", object())
    assert_same_load(lambda: io.StringIO("text"))
    ref = outcome(lambda: list(reference.iter_load(Broken())))
    ext = outcome(lambda: list(extension.iter_load(Broken())))
    assert ref == ext == ("raises", "OSError", "gone")
    for not_a_stream in (object(), b"\x01", type("NoRead", (), {"read": 5})()):
        assert_same("iter_load", not_a_stream)
    assert_same("dump", [], io.BytesIO())


def test_struct_of_floats_matches_python():
    # The float bits come from the C double, little-endian (spec §4).
    assert frozenpack.dumps(0.1)[1:] == struct.pack("<d", 0.1)


def test_without_the_extension_the_package_says_so_and_keeps_the_reference(tmp_path):
    # A copy of the package without the compiled module: frozenpack.reference still works, and
    # the fast names raise a clear ImportError instead of silently being the reference.
    import shutil
    import subprocess
    import sys

    source = pathlib.Path(frozenpack.__file__).resolve().parent
    shutil.copytree(source, tmp_path / "frozenpack",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    script = (
        "import frozenpack, frozenpack.reference as r\n"
        "assert r.loads(r.dumps((1,))) == (1,)\n"
        "try:\n"
        "    frozenpack.dumps\n"
        "except ImportError as e:\n"
        "    print(e)\n"
        "try:\n"
        "    from frozenpack import loads\n"
        "except ImportError as e:\n"
        "    print(type(e).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)}, timeout=60)
    assert result.returncode == 0, result.stderr
    message, second = result.stdout.splitlines()
    assert message.startswith("frozenpack.dumps needs the compiled extension frozenpack._frozenpack")
    assert "make extension" in message and "frozenpack.reference" in message
    assert second == "ImportError"


# --- str encoding from code points -------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "caf\u00e9", "\u00ff" * 40, "\u20ac", "\u0800\u07ff\u0080", "\uffff\ue000",
    "\U0001f600", "\U0010ffff" * 3, "a\ud800", "\udfff", "\ud83d\ude00", "\u00e9\ud800\U0001f600",
    "x" * 100 + "\u00e9", "\u4e2d\u6587" * 300,
], ids=repr)
def test_strs_of_every_storage_kind_encode_as_the_reference(text):
    assert frozenpack.dumps(text) == reference.dumps(text)
    assert exactly_equal(frozenpack.loads(frozenpack.dumps(text)), text)


def test_encoding_a_str_leaves_no_utf8_copy_on_it():
    import sys

    for text in ("\u00e9" * 100_000, "\u4e2d" * 100_000, "\U0001f600" * 100_000):
        text = text[:-1] + text[-1]  # a fresh object, never encoded before
        before = sys.getsizeof(text)
        frozenpack.dumps(text)
        frozenpack.dumps((text, 1))
        assert sys.getsizeof(text) == before
    # What the test would see if the UTF-8 were kept (CPython caches it on the str):
    text = "\u00e9" * 1000
    before = sys.getsizeof(text)
    text.encode("utf-8")  # not cached
    import ctypes

    as_utf8 = ctypes.pythonapi.PyUnicode_AsUTF8AndSize
    as_utf8.restype = ctypes.c_void_p
    as_utf8.argtypes = [ctypes.py_object, ctypes.c_void_p]
    as_utf8(text, None)
    assert sys.getsizeof(text) == before + 2000 + 1


# --- the guard at the FFI boundary -------------------------------------------------------------


def test_a_panic_inside_the_extension_is_a_system_error_not_an_abort():
    for _ in range(3):
        with pytest.raises(SystemError, match=r"^frozenpack internal error .*self-test"):
            extension._panic_guard_selftest()
    assert frozenpack.loads(frozenpack.dumps((1, "x"))) == (1, "x")


def test_every_function_cpython_calls_runs_behind_the_guard():
    # Every `extern "C" fn` of the extension is called by CPython; its body must go through
    # guard::object/int/unraisable, or be on this list with the reason it needs none.
    import re

    needs_no_guard = {
        "PyInit__frozenpack",  # hands CPython a static definition; nothing can fail
        "traverse",  # pointer reads and visit(); the collector must see no exception
        "free",  # calls `clear`, which is guarded
    }
    source_dir = pathlib.Path(__file__).parents[1] / "src"
    functions = 0
    for path in sorted(source_dir.glob("*.rs")):
        text = path.read_text()
        for match in re.finditer(r'extern "C" fn (\w+)\(', text):
            name = match.group(1)
            functions += 1
            body = text[match.end():text.find("\n}\n", match.end())]
            if name in needs_no_guard:
                continue
            assert "guard::" in body, f"{path.name}: {name} is not behind the panic guard"
    assert functions >= 12


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="legacy (not ready) strs exist up to 3.11")
@pytest.mark.parametrize("text", ["ascii", "caf\u00e9", "a\ud800b", "\U0001f600\u20ac"], ids=repr)
def test_a_legacy_str_that_is_not_ready_encodes_as_any_other(text):
    import ctypes

    api = ctypes.pythonapi
    api.PyUnicode_FromUnicode.restype = ctypes.py_object
    api.PyUnicode_FromUnicode.argtypes = [ctypes.c_void_p, ctypes.c_ssize_t]
    api.PyUnicode_AsUnicode.restype = ctypes.c_void_p
    api.PyUnicode_AsUnicode.argtypes = [ctypes.py_object]
    units = text.encode("utf-32-le", "surrogatepass")  # wchar_t is 4 octets on Linux
    legacy = api.PyUnicode_FromUnicode(None, len(text))  # a str with no data yet: not ready
    ctypes.memmove(api.PyUnicode_AsUnicode(legacy), units, len(units))
    assert frozenpack.dumps(legacy) == reference.dumps(text)
    assert frozenpack.dumps((legacy, 1)) == reference.dumps((text, 1))
