"""FIXINT and NEGFIXINT: every int from -16 to 127, each the single octet TC(1, v) (spec §3)."""

from . import Case, Err, h

TOPIC = "int_small"
DESCRIPTION = (
    "Every int in -16..127: its encoding is one tag octet, the value read as a signed octet"
    " (FIXINT 00..7f, NEGFIXINT f0..ff). Covers every tag of both families."
)

# The tag *is* the value read as a signed octet (§3), so for v >= 0 the octet is v, and for
# v < 0 it is v + 256; writing it out 144 times by hand would add typos, not independence.
VALID = [Case(f"fixint {v}", v, f"{v:02x}") for v in range(0, 128)] + [
    Case(f"negfixint {v}", v, f"{v + 256:02x}") for v in range(-16, 0)
]

DECODE_ERRORS = [
    # A one-octet int is a whole value; anything after it is trailing (§6 whole-input).
    Err("127 followed by an empty str", h("7f 80"), "trailing_bytes", 1),
    Err("-16 followed by -1", h("f0 ff"), "trailing_bytes", 1),
    Err("0 followed by an INT1 tag", h("00 c4"), "trailing_bytes", 1),
]
