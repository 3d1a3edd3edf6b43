"""none and bool: one-octet values (spec §4), distinct from the ints 0 and 1 (§1)."""

from . import Case, Err, h

TOPIC = "none_bool"
DESCRIPTION = (
    "NONE c0, FALSE c1, TRUE c2: whole values in one octet, never equal to the ints 0 and 1."
)

VALID = [
    Case("None", None, h("c0")),
    Case("False", False, h("c1")),
    Case("True", True, h("c2")),
    # The kinds are disjoint (§1): False next to 0 and True next to 1 keep their own tags.
    Case("False and the int 0", (False, 0), h("b2 c1 00")),
    Case("True and the int 1", (True, 1), h("b2 c2 01")),
    Case("None, False, True in order", (None, False, True), h("b3 c0 c1 c2")),
    Case("repeated None", (None, None), h("b2 c0 c0")),
    Case("singleton True", (True,), h("b1 c2")),
]

DECODE_ERRORS = [
    # Whole-input decoding stops after the first value and reports whatever follows (§6).
    Err("None followed by None", h("c0 c0"), "trailing_bytes", 1),
    Err("False followed by the int 0", h("c1 00"), "trailing_bytes", 1),
    # The reserved tag is never read: the value ended at 1 and trailing bytes are reported.
    Err("True followed by a reserved tag", h("c2 e0"), "trailing_bytes", 1),
    Err("singleton None cut before its item", h("b1"), "truncated", 1),
    Err("tuple of True with a reserved tag for its second item", h("b2 c2 ef"), "unknown_tag", 2),
]
