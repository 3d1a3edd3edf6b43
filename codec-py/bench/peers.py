"""The serializers frozenpack is compared with, each set up to carry a payload exactly.

A peer turns a payload into a Codec: a dumps and a loads that the benchmark times, and a note
saying how the peer was made to carry the payload when it cannot out of the box. Any Python
work such a workaround needs (a pass converting lists back to tuples, big ints to extension
types) is inside the timed functions: the times are those of a round trip that gives back an
exactly equal value. The benchmark checks that round trip before timing anything, and a peer
that still cannot carry a payload (an exception, or a value that differs) gets no times.

MessagePack and CBOR have no tuple: they write arrays, which msgpack, msgspec and cbor2 can be
told to read back as tuples, and ormsgpack cannot. MessagePack ints stop at 64 bits; bigger
ones go as an extension type holding the two's-complement octets (type code 1, as
frozenpack's BIGINT payload), which is what a user of these libraries would write.

A call with keyword arguments is timed as the call written out, `pickle.dumps(value,
protocol=5)` (a Call), never through functools.partial: a partial holding keywords merges them
into a new dict on every call, which costs pickle.dumps of the small tuple about 350 ns, more
than frozenpack's whole dumps of it, and made pickle look twice as slow there as it is.
"""

import importlib
import importlib.metadata
import marshal
import pickle
import platform
from dataclasses import dataclass
from typing import Callable

import frozenpack

_INT64_MIN, _UINT64_END = -(1 << 63), 1 << 64
_BIGINT_EXT = 1


@dataclass(frozen=True)
class Call:
    """function(value, **keywords): the benchmark times it written out as such a call."""

    function: Callable
    keywords: dict

    def __call__(self, value):
        return self.function(value, **self.keywords)


@dataclass(frozen=True)
class Codec:
    dumps: Callable
    loads: Callable
    note: str = ""  # how the payload is carried, when not plainly


@dataclass(frozen=True)
class Peer:
    name: str
    package: str  # the distribution whose version is reported
    codec: Callable  # Payload -> Codec

    def version(self):
        if self.package == "python":
            return platform.python_version()
        if self.package == "frozenpack":
            return frozenpack.__version__
        return importlib.metadata.version(self.package)


def _int_octets(v):
    return v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)


def _octets_int(data, _from_bytes=int.from_bytes):
    return _from_bytes(data, "little", signed=True)


def _lists_to_tuples(x):
    if type(x) is list:
        return tuple([_lists_to_tuples(item) for item in x])
    return x


# --- the peers ---------------------------------------------------------------------------------


def _frozenpack(payload):
    return Codec(frozenpack.dumps, frozenpack.loads)


def _pickle(payload):
    return Codec(Call(pickle.dumps, {"protocol": 5}), pickle.loads)


def _marshal(payload):
    return Codec(marshal.dumps, marshal.loads)


def _msgspec(payload):
    import msgspec

    encoder = msgspec.msgpack.Encoder()
    notes = []
    if payload.msgspec_type is not bytes:
        notes.append("decoded with a tuple type, so arrays come back as tuples")

    if payload.has_big_ints:
        Ext = msgspec.msgpack.Ext

        def to_ext(x):
            if type(x) is tuple:
                return tuple([to_ext(item) for item in x])
            if type(x) is int and not _INT64_MIN <= x < _UINT64_END:
                return Ext(_BIGINT_EXT, _int_octets(x))
            return x

        def dumps(value):
            return encoder.encode(to_ext(value))

        decoder = msgspec.msgpack.Decoder(
            payload.msgspec_type, ext_hook=lambda code, data: _octets_int(data)
        )
        notes.append("ints over 64 bits: a Python pass makes them Ext(1, octets), ext_hook "
                     "reads them back (both timed)")
    else:
        dumps = encoder.encode
        decoder = msgspec.msgpack.Decoder(payload.msgspec_type)
    return Codec(dumps, decoder.decode, "; ".join(notes))


def _ormsgpack(payload):
    import ormsgpack

    notes = []
    if payload.has_big_ints:
        dumps = Call(ormsgpack.packb, {
            "option": ormsgpack.OPT_PASSTHROUGH_BIG_INT,
            "default": lambda v: ormsgpack.Ext(_BIGINT_EXT, _int_octets(v)),
        })
        unpackb = Call(ormsgpack.unpackb, {"ext_hook": lambda code, data: _octets_int(data)})
        notes.append("ints over 64 bits: default= makes them Ext(1, octets), ext_hook reads "
                     "them back (timed)")
    else:
        dumps, unpackb = ormsgpack.packb, ormsgpack.unpackb
    if payload.is_bulk_bytes:
        loads = unpackb
    else:
        def loads(data):
            return _lists_to_tuples(unpackb(data))

        notes.insert(0, "unpackb returns lists: a Python pass turns them into tuples (timed)")
    return Codec(dumps, loads, "; ".join(notes))


def _msgpack(payload):
    import msgpack

    notes = []
    if payload.has_big_ints:
        def default(v):
            if type(v) is int:
                return msgpack.ExtType(_BIGINT_EXT, _int_octets(v))
            raise TypeError(f"unsupported type {type(v).__qualname__!r}")

        dumps = Call(msgpack.packb, {"default": default})
        loads = Call(msgpack.unpackb, {"use_list": False,
                                       "ext_hook": lambda code, data: _octets_int(data)})
        notes.append("ints over 64 bits: default= makes them ExtType(1, octets), ext_hook "
                     "reads them back (timed)")
    else:
        dumps = msgpack.packb
        loads = Call(msgpack.unpackb, {"use_list": False})
    if not payload.is_bulk_bytes:
        notes.insert(0, "unpackb(use_list=False) returns tuples")
    return Codec(dumps, loads, "; ".join(notes))


def _cbor2(payload):
    import cbor2

    # cbor2 refuses nesting beyond 400 by default; frozenpack's limit is 1000.
    loads = Call(cbor2.loads, {"immutable": True, "max_depth": 1000})
    notes = []
    if not payload.is_bulk_bytes:
        notes.append("loads(immutable=True) returns tuples")
    if payload.key == "deep":
        notes.append("max_depth raised from 400 to 1000")
    if payload.has_big_ints:
        notes.append("ints over 64 bits are CBOR bignums (tags 2 and 3)")
    return Codec(cbor2.dumps, loads, "; ".join(notes))


PEERS = [
    Peer("frozenpack", "frozenpack", _frozenpack),
    Peer("pickle (protocol 5)", "python", _pickle),
    Peer("marshal", "python", _marshal),
    Peer("msgspec", "msgspec", _msgspec),
    Peer("ormsgpack", "ormsgpack", _ormsgpack),
    Peer("msgpack", "msgpack", _msgpack),
    Peer("cbor2", "cbor2", _cbor2),
]

_MODULES = {"msgspec": "msgspec", "ormsgpack": "ormsgpack", "msgpack": "msgpack",
            "cbor2": "cbor2"}


def available():
    """(peers that can be imported, {name: why not} for the others)."""
    found, missing = [], {}
    for peer in PEERS:
        module = _MODULES.get(peer.package)
        if module is not None:
            try:
                importlib.import_module(module)
            except ImportError as e:
                missing[peer.name] = f"not installed ({e})"
                continue
        found.append(peer)
    return found, missing
