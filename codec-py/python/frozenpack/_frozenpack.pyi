"""Type stubs for frozenpack._frozenpack, the compiled core of frozenpack.

The same names are re-exported by the frozenpack package; frozenpack.reference has the same
signatures in pure Python.
"""

import sys
from collections.abc import Callable, Iterator
from typing import Any, Final, Protocol, overload

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
    def read(self) -> Buffer: ...

class _Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...

class LoadsIterator(Iterator[Value]):
    """The iterator iter_loads returns: the values of a sequence, one per next()."""

    def __iter__(self) -> LoadsIterator: ...
    def __next__(self) -> Value: ...

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
    """Decode the rest of fp, a binary file, as one value: loads(fp.read(), max_depth=...)."""
