"""Helpers for the extension's tests: the two implementations, and how to compare them.

The extension (frozenpack._frozenpack, re-exported by the frozenpack package) must behave
exactly as frozenpack.reference: same bytes, same values with the same exact types and float
bits, and on failure the same exception type and message (for DecodeError: the same kind,
offset and detail).
"""

import frozenpack
import frozenpack.reference as reference
from frozenpack import _frozenpack as extension
from reference_helpers import exactly_equal

IMPLEMENTATIONS = (reference, extension)


def outcome(function, *args, **kwargs):
    """What calling function(*args, **kwargs) does: ("value", result) or ("raises", type,
    message, kind, offset, detail); DecodeErrors of both implementations compare equal."""
    try:
        return ("value", function(*args, **kwargs))
    except (reference.DecodeError, extension.DecodeError) as e:
        return ("raises", "DecodeError", str(e), e.kind, e.offset, e.detail)
    except Exception as e:  # noqa: BLE001 - the comparison is the point
        return ("raises", type(e).__name__, str(e))


def same_outcome(a, b):
    """Two outcomes are the same: equal errors, or exactly equal values (spec §1)."""
    if a[0] == "raises" or b[0] == "raises":
        return a == b
    return exactly_equal(a[1], b[1])


def assert_same(name, *args, **kwargs):
    """frozenpack.reference.<name> and the extension's <name> do the same with these
    arguments; returns the outcome."""
    expected = outcome(getattr(reference, name), *args, **kwargs)
    actual = outcome(getattr(extension, name), *args, **kwargs)
    assert same_outcome(expected, actual), (expected, actual)
    return actual


__all__ = ["IMPLEMENTATIONS", "assert_same", "extension", "frozenpack", "outcome", "reference",
           "same_outcome"]
