"""The names every implementation in the package shares: DecodeError and Value.

DecodeError is defined once, here, in pure Python: the reference (frozenpack.reference, which
must import without the compiled extension) raises it, and the extension takes it from this
module when it initialises, in each interpreter that imports it (an isolated sub-interpreter
imports its own copy of this module, so it gets its own class). So `except
frozenpack.DecodeError` catches the errors of both.
"""

from typing import TypeAlias

__all__ = ["DecodeError", "Value"]

#: A frozenpack value: None, bool, int, float, str, bytes, or a tuple of values (spec §1).
#: Usable at run time (isinstance checks aside: it is a union with a recursive member).
Value: TypeAlias = None | bool | int | float | str | bytes | tuple["Value", ...]


class DecodeError(ValueError):
    """An input that is not a canonical frozenpack encoding (spec section 7).

    ``kind`` is one of ERROR_KINDS, ``offset`` an index into the whole input (counted from the
    start of the buffer even when decoding began later), ``detail`` a human-readable reason;
    ``str(e) == f"{kind} at offset {offset}: {detail}"``.
    """

    kind: str
    offset: int
    detail: str

    def __init__(self, kind: str, offset: int, detail: str) -> None:
        super().__init__(f"{kind} at offset {offset}: {detail}")
        self.kind = kind
        self.offset = offset
        self.detail = detail

    def __reduce__(self) -> tuple[type["DecodeError"], tuple[str, int, str]]:
        # The default would call DecodeError(message) and lose kind/offset across pickling
        # (multiprocessing, for one, pickles exceptions).
        return (type(self), (self.kind, self.offset, self.detail))


# Users (and pickle, and tracebacks) know it as frozenpack.DecodeError, which is this class.
DecodeError.__module__ = "frozenpack"
