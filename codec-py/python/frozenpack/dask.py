"""A Dask serialization family, "frozenpack": immutable values move between Dask processes as
frozenpack octets. Importing this module registers it (distributed must be installed:
`pip install frozenpack[dask]`).

    >>> import frozenpack.dask                                               # doctest: +SKIP
    >>> client = Client(cluster, serializers=frozenpack.dask.SERIALIZERS,
    ...                 deserializers=frozenpack.dask.SERIALIZERS)

SERIALIZERS is ["frozenpack", "dask", "pickle"]: frozenpack for values, then Dask's own
serializers and pickle for everything else. The family takes a value only when every object in
it is exactly None, bool, int, float, str, bytes or tuple (a namedtuple, an IntEnum or another
subclass falls back to the next serializer, so it comes back as itself); it refuses anything
else with NotImplementedError, which is how distributed moves on to the next family. A bare
bytes object is left to Dask's serializer of bytes, which sends it without copying it.
`frozenpack.wrap(value)` objects are taken as they are: their encoding is the frame (see below).

Every process that may receive frozenpack frames must have imported this module: the workers
too (`LocalCluster(..., preload=["frozenpack.dask"])`, `dask worker --preload frozenpack.dask`),
otherwise a worker fails with KeyError: 'frozenpack' when it reads one.

What distributed does with collections, and so where frozenpack helps: distributed serializes
a tuple, list, set or dict handed to scatter or returned by a task *one item at a time* (each
item its own header and frame), so a tuple of 10,000 rows is 10,000 small frames whatever the
family, and what the family changes is the cost of each. To send a large tuple as one frame,
wrap it: `client.scatter(frozenpack.wrap(rows))` is one frozenpack encoding, decoded on the
worker into the plain tuple the tasks receive. A task may return `frozenpack.wrap(result)` for
the same effect on gather, but a task on the same worker that takes that result as an argument
receives the FrozenValue itself (data that stays on a worker is never serialized): wrap only
what goes back to the client.

The arguments of client.submit and client.map travel inside the task graph, which Dask pickles
as a whole: the family is not asked about them. Scatter large arguments first, or wrap them
(a FrozenValue pickles as its frozenpack encoding: frozenpack.bridge).
"""

import sys
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, TypeGuard, cast

try:
    # distributed leaves it unannotated (its parameters are Unknown to pyright; mypy flags the
    # call below).
    from distributed.protocol.serialize import (
        register_serialization_family,  # pyright: ignore[reportUnknownVariableType]
    )
except ImportError as error:
    raise ImportError(
        f"frozenpack.dask needs Dask's distributed ({error}); install it with "
        "`pip install frozenpack[dask]`") from error

from . import Value, dumps, loads
from .bridge import FrozenValue

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from 3.12 on

__all__ = ["FAMILY", "SERIALIZERS", "is_value"]

#: The family's name.
FAMILY = "frozenpack"

#: The serializers (and deserializers) to give a Client: frozenpack first, then Dask's own.
SERIALIZERS = [FAMILY, "dask", "pickle"]

_LEAF_TYPES = frozenset({type(None), bool, int, float, str, bytes})
_VALUE_TYPES = _LEAF_TYPES | {tuple}

# Between the processes of a Dask cluster, which exchange pickles anyway, the writer is trusted;
# the depth of what is decoded is bounded by the length of the frames (an octet per level).
_NO_DEPTH_LIMIT = sys.maxsize


def is_value(obj: object) -> TypeGuard[Value]:
    """True when every object in `obj` is exactly None, bool, int, float, str, bytes or tuple.

    frozenpack.dumps would encode subclasses as their base value; this family must not, since
    what it refuses goes to a serializer that keeps the type. Checked a level of nesting at a
    time, at C speed (set(map(type, ...)) over chain.from_iterable), not item by item in Python;
    a level is made into a list only when it holds tuples to go into.
    """
    kind = type(obj)
    if kind is not tuple:
        return kind in _LEAF_TYPES
    # The tuples of the level being checked. (The casts say what the types of kind and kinds
    # have shown: these are tuples.)
    tuples: Sequence[tuple[object, ...]] = (cast("tuple[object, ...]", obj),)
    while tuples:
        kinds = set(map(type, chain.from_iterable(tuples)))
        if not kinds <= _VALUE_TYPES:
            return False
        if tuple not in kinds:
            return True
        if len(kinds) == 1:
            tuples = cast("list[tuple[object, ...]]", list(chain.from_iterable(tuples)))
        else:
            tuples = cast("list[tuple[object, ...]]",
                          [item for item in chain.from_iterable(tuples) if type(item) is tuple])
    return True


def serialize(obj: object) -> tuple[dict[str, object], list[bytes]]:
    """distributed's dumps of the family: (header, frames), or NotImplementedError."""
    if type(obj) is FrozenValue:
        return {}, [obj.encoded]
    if type(obj) is bytes:
        # Left to Dask's own serializer of bytes, which makes the object itself the frame.
        raise NotImplementedError("bytes: Dask's serializer sends them without a copy")
    if not is_value(obj):
        raise NotImplementedError(f"not a frozenpack value: {type(obj).__name__}")
    return {}, [dumps(obj)]


def deserialize(header: dict[str, object], frames: Sequence["Buffer"]) -> Value:
    """distributed's loads of the family: the value, decoded from the frames in place."""
    data = frames[0] if len(frames) == 1 else b"".join(frames)
    return loads(data, max_depth=_NO_DEPTH_LIMIT)


register_serialization_family(FAMILY, serialize, deserialize)  # type: ignore[no-untyped-call]
