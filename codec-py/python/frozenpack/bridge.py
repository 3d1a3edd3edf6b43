"""frozenpack inside anything that pickles: `wrap(value)` pickles as its frozenpack encoding.

concurrent.futures, multiprocessing.Pool, Connection.send, Dask's pickle serializer and every
other pickle-based system move objects by pickling them. A wrapped value pickles as a call of
`frozenpack.bridge.unwrap` on its frozenpack octets, so it is encoded by frozenpack (once, when
it is wrapped) and decoded by frozenpack on the other side, where the receiver gets the plain
value, not a wrapper:

    >>> import pickle, frozenpack
    >>> rows = ((1, 2.5, "a\\ud800", None), (2**70, -0.0, "b", b"\\x00"))
    >>> pickle.loads(pickle.dumps(frozenpack.wrap(rows))) == rows
    True
    >>> with concurrent.futures.ProcessPoolExecutor() as executor:          # doctest: +SKIP
    ...     total = executor.submit(summarize, frozenpack.wrap(rows)).result()

`summarize` receives `rows` itself. To send a result back the same way, return
`frozenpack.wrap(result)`.

Under pickle protocol 5, an encoding of at least OUT_OF_BAND_MIN octets is handed over as a
`pickle.PickleBuffer`: a pickler given a buffer_callback (Dask, and any code that sends the
buffers apart) ships the octets without copying them into the pickle, and the receiver decodes
them in place. Other picklers (multiprocessing's are protocol 4 in CPython before 3.14) write the
octets into the pickle as bytes.

A value frozenpack cannot carry raises TypeError when it is wrapped, naming the type and where
it sits ("unsupported type 'list' at $[1][0]"), so the error is in the caller, not in a worker.
Subclasses of int, float, str, bytes and tuple are encoded as their base value (as
frozenpack.dumps does): a namedtuple arrives as a tuple.

What this is for: speed and exactness. It is not a way to read untrusted data: the receiver still
unpickles what it is sent (pickle runs whatever a pickle names). Between processes that do not
trust each other, send frozenpack octets alone (frozenpack.connection).
"""

import reprlib
import sys
from collections.abc import Callable
from pickle import PickleBuffer
from typing import TYPE_CHECKING, SupportsIndex, final

from . import Value, dumps, loads

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from 3.12 on

__all__ = ["OUT_OF_BAND_MIN", "FrozenValue", "unwrap", "wrap"]

#: Encodings at least this long go out of band under pickle protocol 5 (below it, the extra
#: buffer costs more than the copy it saves).
OUT_OF_BAND_MIN = 64 * 1024

# A pickle comes from a trusted writer (pickle runs code anyway), and each level of nesting takes
# an octet of the input, so the decoder's depth is bounded by the input's length: no limit is
# needed beyond that, and any value that could be wrapped can be unwrapped.
_NO_DEPTH_LIMIT = sys.maxsize


def unwrap(data: "Buffer") -> Value:
    """Decode the frozenpack octets a FrozenValue pickled as (what unpickling calls): bytes, or
    under protocol 5 whatever buffer the unpickler was handed for the PickleBuffer."""
    return loads(data, max_depth=_NO_DEPTH_LIMIT)


# The pickle of a FrozenValue: a call of unwrap on its octets.
_Reduced = tuple[Callable[["Buffer"], Value], tuple[bytes | PickleBuffer]]


@final  # wrap() tells a FrozenValue by its exact type
class FrozenValue:
    """A value with its frozenpack encoding, which pickles as that encoding (see wrap).

    `value` is the value given; `encoded` its frozenpack octets; `bytes(wrapped)` the same.
    Immutable and comparable: two are equal when their encodings are (frozenpack's equality:
    same types, same float bits). copy.copy and copy.deepcopy return the same object.
    """

    __slots__ = ("_value", "_encoded")
    _value: Value
    _encoded: bytes

    def __init__(self, value: Value) -> None:
        # TypeError here, in the caller, for what cannot go.
        object.__setattr__(self, "_encoded", dumps(value))
        object.__setattr__(self, "_value", value)

    @property
    def value(self) -> Value:
        return self._value

    @property
    def encoded(self) -> bytes:
        return self._encoded

    def __bytes__(self) -> bytes:
        return self._encoded

    def __reduce_ex__(self, protocol: SupportsIndex) -> _Reduced:
        encoded = self._encoded
        if int(protocol) >= 5 and len(encoded) >= OUT_OF_BAND_MIN:
            return unwrap, (PickleBuffer(encoded),)
        return unwrap, (encoded,)

    def __reduce__(self) -> _Reduced:
        return self.__reduce_ex__(2)

    def __copy__(self) -> "FrozenValue":
        return self

    def __deepcopy__(self, memo: object) -> "FrozenValue":
        return self

    def __eq__(self, other: object) -> bool:
        if type(other) is not FrozenValue:
            return NotImplemented
        return self._encoded == other._encoded

    def __hash__(self) -> int:
        return hash(self._encoded)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a FrozenValue cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a FrozenValue cannot be changed")

    def __repr__(self) -> str:
        return f"frozenpack.wrap({reprlib.repr(self._value)})"


def wrap(value: Value | FrozenValue) -> FrozenValue:
    """`value` in a FrozenValue: pickled, it is its frozenpack encoding; unpickled, `value`.

    TypeError, naming the type and where it sits, if frozenpack cannot carry `value`. Wrapping a
    FrozenValue returns it unchanged.
    """
    if type(value) is FrozenValue:
        return value
    return FrozenValue(value)
