"""Canonical encodings derived by hand from spec §3-§5, one per tag family and boundary.

Each case is (id, value, hex). The hex is written out literally; long runs are spelled with
string repetition of literal hex ("61" * 32), never computed by the code under test. The
encoder tests check dumps(value) against it and the decoder tests check loads(hex) against
the value, so every row is checked in both directions.
"""

from reference_helpers import float_from_bits

CANONICAL = [
    # Atoms (§4 none, bool). A bool is not an int.
    ("none", None, "c0"),
    ("false", False, "c1"),
    ("true", True, "c2"),
    # FIXINT and NEGFIXINT: the tag read as a signed octet is the value.
    ("fixint 0", 0, "00"),
    ("fixint 1", 1, "01"),
    ("fixint 127", 127, "7f"),
    ("negfixint -1", -1, "ff"),
    ("negfixint -16", -16, "f0"),
    # INT1: -128 ... -17 (128 ... 255 need a sign octet, so INT2).
    ("int1 -17", -17, "c4 ef"),
    ("int1 -128", -128, "c4 80"),
    # INT2 ... INT8 at both ends of each width.
    ("int2 128", 128, "c5 80 00"),
    ("int2 255", 255, "c5 ff 00"),
    ("int2 256", 256, "c5 00 01"),
    ("int2 -129", -129, "c5 7f ff"),
    ("int2 32767", 32767, "c5 ff 7f"),
    ("int2 -32768", -32768, "c5 00 80"),
    ("int3 32768", 32768, "c6 00 80 00"),
    ("int3 -32769", -32769, "c6 ff 7f ff"),
    ("int3 2**23-1", 2**23 - 1, "c6 ff ff 7f"),
    ("int3 -2**23", -(2**23), "c6 00 00 80"),
    ("int4 2**23", 2**23, "c7 00 00 80 00"),
    ("int4 2**31-1", 2**31 - 1, "c7 ff ff ff 7f"),
    ("int4 -2**31", -(2**31), "c7 00 00 00 80"),
    ("int5 2**31", 2**31, "c8 00 00 00 80 00"),
    ("int5 -2**31-1", -(2**31) - 1, "c8 ff ff ff 7f ff"),
    ("int5 2**39-1", 2**39 - 1, "c8 ff ff ff ff 7f"),
    ("int6 2**39", 2**39, "c9 00 00 00 00 80 00"),
    ("int6 -2**47", -(2**47), "c9 00 00 00 00 00 80"),
    ("int7 2**47", 2**47, "ca 00 00 00 00 00 80 00"),
    ("int7 2**55-1", 2**55 - 1, "ca ff ff ff ff ff ff 7f"),
    ("int8 2**55", 2**55, "cb 00 00 00 00 00 00 80 00"),
    ("int8 2**63-1", 2**63 - 1, "cb ff ff ff ff ff ff ff 7f"),
    ("int8 -2**63", -(2**63), "cb 00 00 00 00 00 00 00 80"),
    ("int8 0x0123456789abcdef", 0x0123456789ABCDEF, "cb ef cd ab 89 67 45 23 01"),
    # BIGINT: n >= 9 octets of two's complement after a length field.
    ("bigint 2**63", 2**63, "cc 09 00 00 00 00 00 00 00 80 00"),
    ("bigint -2**63-1", -(2**63) - 1, "cc 09 ff ff ff ff ff ff ff 7f ff"),
    ("bigint 2**64-1", 2**64 - 1, "cc 09 ff ff ff ff ff ff ff ff 00"),
    ("bigint 2**64", 2**64, "cc 09 00 00 00 00 00 00 00 00 01"),
    ("bigint -2**64", -(2**64), "cc 09 00 00 00 00 00 00 00 00 ff"),
    ("bigint 2**71-1", 2**71 - 1, "cc 09 ff ff ff ff ff ff ff ff 7f"),
    ("bigint -2**71", -(2**71), "cc 09 00 00 00 00 00 00 00 00 80"),
    ("bigint 2**71", 2**71, "cc 0a 00 00 00 00 00 00 00 00 80 00"),
    # 2**2031 needs 2032 bits and a sign bit: 255 octets, the most a 1-octet field holds.
    ("bigint n=255", 2**2031, "cc ff" + "00" * 253 + "80 00"),
    # 2**2039: 256 octets, so the 2-octet field.
    ("bigint n=256", 2**2039, "cd 00 01" + "00" * 254 + "80 00"),
    ("bigint -2**2039-1", -(2**2039) - 1, "cd 00 01" + "ff" * 254 + "7f ff"),
    # FLOAT: c3 then the 64-bit pattern little-endian, bit for bit.
    ("float 0.0", 0.0, "c3 00 00 00 00 00 00 00 00"),
    ("float -0.0", -0.0, "c3 00 00 00 00 00 00 00 80"),
    ("float 1.0", 1.0, "c3 00 00 00 00 00 00 f0 3f"),
    ("float -2.5", -2.5, "c3 00 00 00 00 00 00 04 c0"),
    ("float max", 1.7976931348623157e308, "c3 ff ff ff ff ff ff ef 7f"),
    ("float smallest subnormal", 5e-324, "c3 01 00 00 00 00 00 00 00"),
    ("float +inf", float("inf"), "c3 00 00 00 00 00 00 f0 7f"),
    ("float -inf", float("-inf"), "c3 00 00 00 00 00 00 f0 ff"),
    ("float quiet nan", float_from_bits("7ff8000000000000"), "c3 00 00 00 00 00 00 f8 7f"),
    ("float nan payload", float_from_bits("7ff8000000000001"), "c3 01 00 00 00 00 00 f8 7f"),
    ("float signalling nan", float_from_bits("7ff0000000000001"), "c3 01 00 00 00 00 00 f0 7f"),
    ("float negative nan", float_from_bits("fff8000000000000"), "c3 00 00 00 00 00 00 f8 ff"),
    ("float all ones", float_from_bits("ffffffffffffffff"), "c3 ff ff ff ff ff ff ff ff"),
    # FIXSTR (0 ... 31 octets of UTF-8) and STR.
    ("str empty", "", "80"),
    ("str a", "a", "81 61"),
    ("str nul", "\x00", "81 00"),
    ("str 2-octet", "\u00e9", "82 c3 a9"),
    ("str U+07FF", "\u07ff", "82 df bf"),
    ("str U+0800", "\u0800", "83 e0 a0 80"),
    ("str U+D7FF", "\ud7ff", "83 ed 9f bf"),
    ("str U+E000", "\ue000", "83 ee 80 80"),
    ("str U+FFFF", "\uffff", "83 ef bf bf"),
    ("str U+10000", "\U00010000", "84 f0 90 80 80"),
    ("str U+10FFFF", "\U0010ffff", "84 f4 8f bf bf"),
    ("str 31 octets", "a" * 31, "9f" + "61" * 31),
    ("str 32 octets", "a" * 32, "d0 20" + "61" * 32),
    ("str 30 octets + 2-octet char", "a" * 30 + "\u00e9", "d0 20" + "61" * 30 + "c3 a9"),
    ("str 255 octets", "b" * 255, "d0 ff" + "62" * 255),
    ("str 256 octets", "b" * 256, "d1 00 01" + "62" * 256),
    ("str 65535 octets", "c" * 65535, "d1 ff ff" + "63" * 65535),
    ("str 65536 octets", "c" * 65536, "d2 00 00 01 00" + "63" * 65536),
    # SSTR: generalized UTF-8, only when a surrogate is present; no FIX form.
    ("sstr high surrogate", "\ud800", "dc 03 ed a0 80"),
    ("sstr low surrogate", "\udfff", "dc 03 ed bf bf"),
    ("sstr surrogate pair stays two", "\ud83d\ude00", "dc 06 ed a0 bd ed b8 80"),
    ("sstr mixed", "a\udc80\U0001f600", "dc 08 61 ed b2 80 f0 9f 98 80"),
    ("sstr 256 octets", "\udbff" + "d" * 253, "dd 00 01 ed af bf" + "64" * 253),
    # FIXBYTES (0 ... 15) and BYTES.
    ("bytes empty", b"", "a0"),
    ("bytes 2", b"\x00\xff", "a2 00 ff"),
    ("bytes 15", b"\x07" * 15, "af" + "07" * 15),
    ("bytes 16", b"\x07" * 16, "d4 10" + "07" * 16),
    ("bytes 255", b"\xee" * 255, "d4 ff" + "ee" * 255),
    ("bytes 256", b"\xee" * 256, "d5 00 01" + "ee" * 256),
    ("bytes 65536", b"\x01" * 65536, "d6 00 00 01 00" + "01" * 65536),
    # FIXTUPLE (0 ... 15 items) and TUPLE; items follow the header with no terminator.
    ("tuple empty", (), "b0"),
    ("tuple of none", (None,), "b1 c0"),
    ("tuple of empty tuple", ((),), "b1 b0"),
    ("tuple mixed", (1, (2, 3), "x"), "b3 01 b2 02 03 81 78"),
    ("tuple bool is not int", (True, 1, False, 0), "b4 c2 01 c1 00"),
    ("tuple 15", (0,) * 15, "bf" + "00" * 15),
    ("tuple 16", (0,) * 16, "d8 10" + "00" * 16),
    ("tuple 255", (None,) * 255, "d8 ff" + "c0" * 255),
    ("tuple 256", (None,) * 256, "d9 00 01" + "c0" * 256),
    ("tuple 65535", ((),) * 65535, "d9 ff ff" + "b0" * 65535),
    ("tuple 65536", ((),) * 65536, "da 00 00 01 00" + "b0" * 65536),
    ("tuple depth 3", (((-1,),),), "b1 b1 b1 ff"),
]
