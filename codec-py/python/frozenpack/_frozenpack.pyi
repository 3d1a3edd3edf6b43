"""Type stubs for frozenpack._frozenpack, the compiled core of frozenpack.

The same names are re-exported by the frozenpack package; frozenpack.reference has the same
signatures in pure Python.
"""

import sys
from collections.abc import Callable, Iterator
from typing import Any, Final, Protocol, final, overload

# The module takes DecodeError from frozenpack._common when it initialises (one class with the
# reference's); Value is only used here, not an attribute of this module.
from ._common import DecodeError as DecodeError
from ._common import Value

if sys.version_info >= (3, 12):
    from collections.abc import Buffer
else:
    # Before 3.12 collections.abc has no type for the buffer protocol; typeshed's
    # typing_extensions.Buffer is the same protocol (__buffer__, which typeshed declares on every
    # buffer exporter: bytes, bytearray, memoryview, array, mmap, pickle.PickleBuffer, ctypes
    # arrays...). Type checkers bring typeshed: typing_extensions need not be installed.
    from typing_extensions import Buffer

#: The crate's version (Cargo.toml), compiled in; frozenpack.__version__.
__version__: Final[str]

#: The depth limit D of spec section 8 that the decoders use unless told otherwise.
MAX_DEPTH: Final[int]

#: The closed set of error kinds of spec section 7, in the order the spec lists them.
ERROR_KINDS: Final[tuple[str, str, str, str, str, str]]

class _Readable(Protocol):
    # None is what a non-blocking stream returns with no data yet (load raises
    # BlockingIOError then).
    def read(self, size: int, /) -> Buffer | None: ...

class _Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...

class LoadsIterator(Iterator[Value]):
    """The iterator iter_loads returns: the values of a sequence, one per next()."""

    def __iter__(self) -> LoadsIterator: ...
    def __next__(self) -> Value: ...

class LoadIterator(Iterator[Value]):
    """The iterator iter_load returns: the values read from a binary stream, one per next()."""

    def __iter__(self) -> LoadIterator: ...
    def __next__(self) -> Value: ...

@final
class Decoder:
    """An incremental decoder for a stream that arrives in pieces (spec section 9).

    feed(data) takes the next octets (copied) and returns the values they complete, in order;
    close() says the stream has ended, and raises DecodeError if it ended inside a value. An
    error is raised by the feed() that finds it, or, if that call completed values first, by
    the next call; every later call raises it again. Memory grows with the octets received.
    """

    def __init__(self, *, max_depth: int = 1000) -> None: ...
    @property
    def offset(self) -> int:
        """The stream offset at which the next value starts."""
    @property
    def buffered(self) -> int:
        """How many octets are held: those of the value not complete yet."""
    def feed(self, data: Buffer) -> list[Value]:
        """Add the next octets of the stream; return the values they complete."""
    def close(self) -> None:
        """The stream has ended; raises DecodeError if it ended inside a value."""

@overload
def dumps(obj: Value, *, default: None = None) -> bytes: ...
@overload
def dumps(obj: object, *, default: Callable[[Any], object]) -> bytes:
    """Return the canonical encoding of obj (spec section 4) as bytes.

    Subclasses of int, float, str, bytes and tuple are encoded as their base value; anything
    else raises TypeError naming the type and where it sits ("unsupported type 'list' at $[2]"),
    unless default is given: default(x) is then encoded in place of each such object x.
    """

def loads(data: Buffer, *, max_depth: int = 1000) -> Value:
    """Decode the whole of data (any C-contiguous bytes-like object) as one value.

    bytes (or a memoryview of bytes) is read in place; any other buffer is copied once first,
    so one that changes meanwhile (shared memory) gives the value of the octets copied.
    Raises DecodeError for any input that is not exactly one canonical encoding.
    """

def loads_prefix(data: Buffer, offset: int = 0, *, max_depth: int = 1000) -> tuple[Value, int]:
    """Decode one value starting at offset of data; return (value, end_offset)."""

def iter_loads(data: Buffer, *, max_depth: int = 1000) -> LoadsIterator:
    """Iterate over the values of a sequence (canonical encodings back to back).

    A DecodeError ends the iteration. bytes (or a memoryview of bytes) is held until the
    iterator ends or is deleted; any other buffer is copied once, here. A next() made while
    another is running (from a finalizer or another thread) raises ValueError.
    """

@overload
def dump(obj: Value, fp: _Writable, *, default: None = None) -> None: ...
@overload
def dump(obj: object, fp: _Writable, *, default: Callable[[Any], object]) -> None:
    """Write dumps(obj, default=default) to fp, a binary file."""

def load(fp: _Readable, *, max_depth: int = 1000) -> Value:
    """Read one value from fp, a binary stream, and leave fp just after it.

    fp.read(n) is asked for exactly the octets the value still needs at the least, so no
    octet after the value is consumed, even from a pipe. An empty stream, or one that ends
    inside the value, raises DecodeError `truncated`.
    """

def iter_load(fp: _Readable, *, max_depth: int = 1000) -> LoadIterator:
    """Iterate over the values in fp, a binary stream, from its position to its end.

    Each value is read as load() reads it. A stream that ends inside a value raises
    DecodeError `truncated`; an invalid value raises its error after the values before it.
    """
