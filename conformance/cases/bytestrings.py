"""FIXBYTES and BYTES (tags a0..af, d4..d7): octet strings, never validated as text."""

from . import Case, Err, h, head, rep

TOPIC = "bytes"
DESCRIPTION = (
    "FIXBYTES (a0+n, n <= 15) and BYTES (hdr(d4, n)): every FIXBYTES length, the 15/16,"
    " 255/256 and 65535/65536 boundaries, payloads that look like tags or invalid UTF-8,"
    " truncated lengths and payloads including lengths of 2**32, 2**62 and 2**64-1."
)

# 00 01 02 .. ff: a payload in which every octet value occurs, so no octet is special-cased.
_ALL_OCTETS = "".join(f"{i:02x}" for i in range(256))
_ALL_OCTETS_VALUE = bytes(range(256))

VALID = [
    # bytes 0, 1, .. n-1 for every FIXBYTES length (tags a0..af).
    *(
        Case(f"FIXBYTES of {n} octets", bytes(range(n)), f"{0xA0 + n:02x}" + _ALL_OCTETS[: 2 * n])
        for n in range(16)
    ),
    Case("single octet ff", b"\xff", h("a1 ff")),
    Case("15 octets ff, the longest FIXBYTES", b"\xff" * 15, h("af" + rep("ff", 15))),
    Case("16 octets ff, the shortest BYTES", b"\xff" * 16, h("d4 10" + rep("ff", 16))),
    Case("17 octets", bytes(range(17)), h("d4 11" + _ALL_OCTETS[: 2 * 17])),
    # 31 and 32 are the str boundary, not the bytes one: both are BYTES with a 1-octet length.
    Case("31 octets", bytes(range(31)), h("d4 1f" + _ALL_OCTETS[: 2 * 31])),
    Case("32 octets", bytes(range(32)), h("d4 20" + _ALL_OCTETS[: 2 * 32])),
    Case(
        "255 octets, the longest 1-octet length",
        bytes(range(255)),
        h("d4 ff" + _ALL_OCTETS[: 2 * 255]),
    ),
    Case("256 octets, every value once", _ALL_OCTETS_VALUE, h("d5 00 01" + _ALL_OCTETS)),
    Case(
        "65535 octets, the longest 2-octet length",
        _ALL_OCTETS_VALUE * 255 + bytes(range(255)),
        h("d5 ff ff" + rep(_ALL_OCTETS, 255) + _ALL_OCTETS[: 2 * 255]),
    ),
    Case(
        "65536 octets, the shortest 4-octet length",
        _ALL_OCTETS_VALUE * 256,
        h(head(0xD6, 65536) + rep(_ALL_OCTETS, 256)),
    ),
    # Payload octets are never read as tags or as text.
    Case("reserved tag octets as payload", b"\xe0\xef", h("a2 e0 ef")),
    Case("invalid UTF-8 as payload", b"\xc0\xaf\xff", h("a3 c0 af ff")),
    Case("a whole encoding as payload", b"\xc4\x05", h("a2 c4 05")),
    Case("empty bytes, empty str and empty tuple differ", (b"", "", ()), h("b3 a0 80 b0")),
]

DECODE_ERRORS = [
    Err("FIXBYTES tag alone", h("a5"), "truncated", 1),
    Err("FIXBYTES of 5 with 2 octets", h("a5 00 01"), "truncated", 3),
    Err("FIXBYTES of 15 with 14 octets", h("af" + rep("00", 14)), "truncated", 15),
    Err("BYTES tag alone", h("d4"), "truncated", 1),
    Err("BYTES of 16 with no payload", h("d4 10"), "truncated", 2),
    Err("BYTES of 16 with 15 octets", h("d4 10" + rep("00", 15)), "truncated", 17),
    Err("2-octet length tag alone", h("d5"), "truncated", 1),
    Err("2-octet length field cut", h("d5 00"), "truncated", 2),
    Err("BYTES of 256 with 255 octets", h("d5 00 01" + _ALL_OCTETS[: 2 * 255]), "truncated", 258),
    Err("4-octet length tag alone", h("d6"), "truncated", 1),
    Err("4-octet length field cut", h("d6 00 00 01"), "truncated", 4),
    Err("BYTES of 2**16 with no payload", h(head(0xD6, 2**16)), "truncated", 5),
    Err("BYTES of 2**32-1 with one octet", h(head(0xD6, 2**32 - 1) + "00"), "truncated", 6),
    Err("8-octet length tag alone", h("d7"), "truncated", 1),
    Err("8-octet length field cut", h("d7 00 00 00 00 01 00 00"), "truncated", 8),
    Err("BYTES of 2**32 with no payload", h(head(0xD7, 2**32)), "truncated", 9),
    Err("BYTES of 2**62 with three octets", h(head(0xD7, 2**62) + "00 01 02"), "truncated", 12),
    Err("BYTES of 2**64-1 with no payload", h(head(0xD7, 2**64 - 1)), "truncated", 9),
    Err("bytes item cut inside a tuple", h("b2 a3 00 01 02"), "truncated", 5),
    Err("bytes followed by one octet", h("a1 00 00"), "trailing_bytes", 2),
    # The payload holds a reserved tag, but only what comes after the value is reported.
    Err("bytes holding e0 followed by e0", h("a1 e0 e0"), "trailing_bytes", 2),
]
