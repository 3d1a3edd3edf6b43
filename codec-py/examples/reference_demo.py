"""A tour of frozenpack through its reference implementation (what `make demo` runs).

Run: PYTHONPATH=codec-py/python python codec-py/examples/reference_demo.py
"""

import io
import struct

from frozenpack.listing import dis
from frozenpack.reference import DecodeError, dumps, loads


def float_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def float_from_bits(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def exactly_equal(a, b):
    """Equality as the format sees it (spec §1): same type, floats by their 64 bits."""
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return float_bits(a) == float_bits(b)
    if type(a) is tuple:
        return len(a) == len(b) and all(map(exactly_equal, a, b))
    return a == b


EXAMPLES = [
    ("a nested tuple", (1, ("two", (b"3",)), None, True)),
    ("an int above 2**64", 2**64 + 1),
    ("negative zero, not 0.0", -0.0),
    ("a NaN with payload 1", float_from_bits(0x7FF8000000000001)),
    ("a str with a lone surrogate", "a\udc80b"),
    ("bytes", b"\x00\xff"),
]

REJECTED = [
    ("INT2 holding 100, which must be the single octet 64", "c5 64 00"),
    ("a FIXSTR of 3 octets with 2 present", "83 61 62"),
]


def show(title, value):
    encoded = dumps(value)
    listing = io.StringIO()
    dis(encoded, listing)
    back = loads(encoded)
    print(f"== {title}")
    print(f"   value:   {value!r}")
    print(f"   encoded: {encoded.hex(' ')}")
    print("   listing:")
    for line in listing.getvalue().splitlines():
        print(f"     {line}")
    detail = f", bits {float_bits(back):016x}" if type(back) is float else ""
    print(f"   decoded: {back!r} ({type(back).__name__}{detail});"
          f" exactly equal: {exactly_equal(back, value)}")
    print()


def main():
    for title, value in EXAMPLES:
        show(title, value)
    print("== rejected inputs")
    for title, hex_text in REJECTED:
        try:
            loads(bytes.fromhex(hex_text))
        except DecodeError as e:
            print(f"   {hex_text:<10} {title}: {e.kind} at offset {e.offset}")
    print()
    print("== unsupported values")
    try:
        dumps((1, [2, 3]))
    except TypeError as e:
        print(f"   dumps((1, [2, 3])): TypeError: {e}")


if __name__ == "__main__":
    main()
