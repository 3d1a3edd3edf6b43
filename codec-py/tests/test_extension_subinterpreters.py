"""The extension in isolated sub-interpreters with their own GIL (CPython 3.13's _interpreters).

An "isolated" interpreter refuses extension modules that do not declare support for multiple
interpreters (single-phase init, pyo3's module machinery, global Python objects: msgspec,
ormsgpack, orjson and cbor2 fail here). frozenpack declares it and keeps everything in its
per-module state, so: it imports in each interpreter, encodes in one, and what it wrote decodes
in another, ints over 64 bits included (which CPython's own cross-interpreter data refuses;
here they travel as frozenpack bytes). Interpreters run concurrently, each with its own GIL.

Run by `make test-python-3.13` (and skipped, saying so, on older interpreters).
"""

import os
import pathlib
import sys
import threading

import pytest

_interpreters = pytest.importorskip(
    "_interpreters", reason="isolated sub-interpreters need CPython 3.13's _interpreters")

import frozenpack  # noqa: E402
from frozenpack import reference  # noqa: E402

PACKAGE = str(pathlib.Path(frozenpack.__file__).resolve().parent.parent)

VALUE_SOURCE = "(2**100, -(2**70) - 1, 'a\\ud800b', b'\\x00\\xff', -0.0, (None, True, ((),)), 7)"
VALUE = eval(VALUE_SOURCE)  # noqa: S307 - a literal, written once for both sides

# The script each interpreter runs: makes the package importable, and defines `send`, which
# writes a frozenpack value to the pipe the test reads.
PRELUDE = """
import os, sys
if PACKAGE not in sys.path:
    sys.path.insert(0, PACKAGE)
import frozenpack
def send(value):
    data = frozenpack.dumps(value)
    os.write(FD, len(data).to_bytes(8, "little") + data)
"""


def _run(interp, script, **shared):
    """Runs script in interp with `shared` set in its __main__; returns what it sent."""
    read_fd, write_fd = os.pipe()
    try:
        failure = _interpreters.exec(
            interp, PRELUDE + script, dict(shared, PACKAGE=PACKAGE, FD=write_fd))
        assert failure is None, failure
        os.close(write_fd)
        write_fd = None
        received = b""
        while chunk := os.read(read_fd, 1 << 16):
            received += chunk
    finally:
        os.close(read_fd)
        if write_fd is not None:
            os.close(write_fd)
    # A sequence of length-prefixed frozenpack values (decoded here, in the main interpreter).
    values = []
    while received:
        n = int.from_bytes(received[:8], "little")
        values.append(frozenpack.loads(received[8 : 8 + n]))
        received = received[8 + n :]
    return values


@pytest.fixture
def isolated():
    """A new isolated interpreter (own GIL, only multi-interpreter-safe extensions)."""
    config = _interpreters.new_config("isolated")
    assert config.gil == "own" and config.check_multi_interp_extensions
    interps = []

    def make():
        interp = _interpreters.create(config)
        interps.append(interp)
        return interp

    yield make
    for interp in interps:
        _interpreters.destroy(interp)


def test_frozenpack_imports_in_an_isolated_interpreter(isolated):
    (answer,) = _run(isolated(), """
import frozenpack._frozenpack as ext
send((ext.__name__, frozenpack.dumps is ext.dumps, frozenpack.DecodeError.__module__))
""")
    assert answer == ("frozenpack._frozenpack", True, "frozenpack")


def test_a_value_encoded_in_one_interpreter_decodes_in_another(isolated):
    writer, reader = isolated(), isolated()
    # Encoded in `writer`; its bytes come back here (as the payload of a frozenpack bytes).
    (encoded,) = _run(writer, f"send(frozenpack.dumps({VALUE_SOURCE}))")
    assert type(encoded) is bytes
    assert encoded == reference.dumps(VALUE) == frozenpack.dumps(VALUE)
    # Decoded in `reader`, from bytes passed in through the interpreter's shared data, and
    # checked there: exact types, ints over 64 bits, the float's sign, the surrogate.
    (checked,) = _run(reader, f"""
value = frozenpack.loads(DATA)
expected = {VALUE_SOURCE}
send((
    value[0] == 2**100 and value[1] == -(2**70) - 1,
    tuple(type(x).__name__ for x in value),
    value[2] == 'a\\ud800b' and len(value[2]) == 3,
    str(value[4]) == '-0.0',
    frozenpack.dumps(value) == DATA,
))
""", DATA=encoded)
    assert checked == (True, ("int", "int", "str", "bytes", "float", "tuple", "int"), True, True,
                       True)


def test_decode_errors_are_raised_with_each_interpreters_own_class(isolated):
    (answer,) = _run(isolated(), """
try:
    frozenpack.loads(b"\\xc5\\x64\\x00")
except frozenpack.DecodeError as e:
    send((type(e).__name__, isinstance(e, ValueError), e.kind, e.offset, str(e)))
""")
    assert answer == ("DecodeError", True, "non_canonical", 0,
                      "non_canonical at offset 0: INT2 holds 100, whose top octet only repeats "
                      "the sign")


def test_each_interpreter_shares_one_decode_error_between_extension_and_reference(isolated):
    # The extension imports DecodeError from frozenpack._common when it initialises, in each
    # interpreter: there it is that interpreter's class, the one its reference raises too.
    (answer,) = _run(isolated(), """
import frozenpack._common, frozenpack._frozenpack, frozenpack.reference
classes = (frozenpack.DecodeError, frozenpack._frozenpack.DecodeError,
           frozenpack.reference.DecodeError, frozenpack._common.DecodeError)
try:
    frozenpack.reference.loads(b"\\xc4\\x05")
except frozenpack.DecodeError as e:
    caught = e.kind
send((all(c is classes[0] for c in classes), caught, id(classes[0])))
""")
    assert answer[:2] == (True, "non_canonical")
    assert answer[2] != id(frozenpack.DecodeError)


def test_interpreters_run_frozenpack_concurrently_and_independently(isolated):
    interps = [isolated() for _ in range(3)]
    results = {}

    def work(index, interp):
        results[index] = _run(interp, f"""
value = ({index}, 'x' * {index}, 2**(64 + {index}))
total = 0
for _ in range(2000):
    total += len(frozenpack.dumps(frozenpack.loads(frozenpack.dumps(value))))
send((value, total))
""")

    threads = [threading.Thread(target=work, args=(i, interp)) for i, interp in enumerate(interps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in range(3):
        ((value, total),) = results[index]
        assert value == (index, "x" * index, 2 ** (64 + index))
        assert total == 2000 * len(frozenpack.dumps(value))


def test_the_stream_api_works_there_with_each_interpreters_own_types(isolated):
    # Decoder and the iter_load iterator are heap types made per module, so per interpreter.
    script = """
import io
import frozenpack._frozenpack as ext
decoder = frozenpack.Decoder()
values = decoder.feed(DATA[:5]) + decoder.feed(DATA[5:])
decoder.close()
fp = io.BytesIO(DATA)
first = frozenpack.load(fp)
rest = list(frozenpack.iter_load(fp))
decoder = frozenpack.Decoder()
before = decoder.feed(b"\\x01\\xc4\\x05")  # the value before the error, then the error
try:
    decoder.close()
except frozenpack.DecodeError as e:
    error = (tuple(before), e.kind, e.offset)
# (frozenpack carries tuples, not lists)
send((tuple(values), first, tuple(rest), error, id(ext.Decoder), id(ext.LoadIterator)))
"""
    data = frozenpack.dumps(VALUE) + frozenpack.dumps("two") + frozenpack.dumps(3)
    answers = [_run(isolated(), script, DATA=data)[0] for _ in range(2)]
    for values, first, rest, error, *_ in answers:
        assert values == (VALUE, "two", 3)
        assert (first, rest) == (VALUE, ("two", 3))
        assert error == ((1,), "non_canonical", 1)
    # Each interpreter made its own types, and neither is the main interpreter's.
    ids = {id(frozenpack.Decoder), id(frozenpack._frozenpack.LoadIterator)}
    assert len(ids | set(answers[0][4:]) | set(answers[1][4:])) == 6


def test_the_main_interpreter_is_unaffected_after_interpreters_go_away(isolated):
    for _ in range(3):
        interp = _interpreters.create(_interpreters.new_config("isolated"))
        _run(interp, "send(frozenpack.loads(frozenpack.dumps((1, 2**65))))")
        _interpreters.destroy(interp)
    assert frozenpack.loads(frozenpack.dumps(VALUE))[0] == 2**100
    with pytest.raises(frozenpack.DecodeError):
        frozenpack.loads(b"\xe0")


@pytest.mark.skipif(sys.version_info < (3, 13), reason="3.13's _interpreters")
def test_a_single_phase_init_module_is_refused_there(isolated):
    # The check the tests above pass: an isolated interpreter refuses extensions that do not
    # support multiple interpreters (here one from the standard library's test suite, when
    # CPython was built with it).
    script = """
try:
    import _testsinglephase
except ImportError as e:
    send(("refused", "does not support loading in subinterpreters" in str(e)))
except ModuleNotFoundError:
    send(("absent", True))
else:
    send(("imported", False))
"""
    (answer,) = _run(isolated(), script)
    assert answer in (("refused", True), ("absent", True))
