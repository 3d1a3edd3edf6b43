"""Reading the Python literals `python -m frozenpack decode` writes, nested to any depth.

`ast.literal_eval` reads them only up to 200 nested parentheses (CPython's parser stops there
with "too many nested parentheses", and deep unary signs run it out of memory), while the
decoder allows any depth (1000 by default). `read_literal` reads, without recursion, the
literals frozenpack can carry, spelled as `decode` writes them and as a person types them:

    literal  := value | value "," [value ("," value)* [","]]     a bare tuple at the top
    value    := "(" [value ("," value)* [","]] ")"               a tuple, or (value) itself
              | atom
    atom     := "None" | "True" | "False"
              | ["+" | "-"] NUMBER                               int (decimal, 0x, 0o, 0b,
                                                                 underscores) or float
              | STRING STRING*                                   str or bytes literals of
                                                                 every prefix (r, b, rb, u)
                                                                 and quoting, concatenated

with spaces, tabs and comments anywhere, and newlines inside parentheses or at the end.
Tokens are matched by one regular expression and tuples are built on an explicit stack; each
atom is evaluated by `ast.literal_eval` itself (atoms never nest: all of them at once, as one
flat tuple), so every number and string means exactly what Python says it means.

Anything else raises `NotReadable`. Such a text may still be a literal `ast.literal_eval`
reads (a list, `-(1)`, a leading comment line), so callers try that next and use the
`NotReadable` only when it cannot say more (too deep): see `tool._parse_literal`. Whatever
`read_literal` accepts, `ast.literal_eval` accepts too (when shallow enough) with the same
value; the tests check this on generated texts.
"""

import ast
import re
from typing import cast

from ._common import Value

__all__ = ["NotReadable", "read_literal"]


class NotReadable(ValueError):
    """The text is not in the grammar above; `msg` says why, at `lineno`/`offset` (1-based
    line and column, as SyntaxError has them)."""

    def __init__(self, msg: str, text: str, position: int) -> None:
        self.msg = msg
        self.lineno = text.count("\n", 0, position) + 1
        self.offset = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"{msg} at line {self.lineno}, column {self.offset}")


_DIGITS = r"[0-9](?:_?[0-9])*"
_EXPONENT = rf"[eE][-+]?{_DIGITS}"
_FLOAT = rf"(?:{_DIGITS}\.(?:{_DIGITS})?|\.{_DIGITS})(?:{_EXPONENT})?|{_DIGITS}{_EXPONENT}"
_INT = (
    r"0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+"
    r"|0(?:_?0)*|[1-9](?:_?[0-9])*"
)
# A string literal: a prefix Python allows (f-strings excluded: they are expressions), then a
# quoted body in which a backslash escapes the next character (in raw strings too: r'\'' is
# one string), single-quoted bodies on one line unless the newline is escaped. Three quotes
# always open a triple-quoted string, as they do for Python: '''' is not '' followed by ''.
_STRING = r"""
    (?:[rR][bB]?|[bB][rR]?|[uU])?
    (?: '''(?:[^'\\]|\\.|'(?!''))*+'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\"
      | '(?!'')(?:[^'\\\r\n]|\\(?:\r\n|.))*+'
      | "(?!"")(?:[^"\\\r\n]|\\(?:\r\n|.))*+"
    )
"""
_TOKEN = re.compile(
    rf"""
      (?P<space>[ \t]+|\#[^\r\n]*)
    | (?P<newline>\r?\n)
    | (?P<string>{_STRING})
    | (?P<number>(?:{_FLOAT}|{_INT}))(?![\w.])
    | (?P<imaginary>(?:{_FLOAT}|{_DIGITS})[jJ])(?![\w.])
    | (?P<name>[^\W\d]\w*)
    | (?P<punctuation>[(),+-])
    | (?P<container>[\[{{])
    """,
    re.VERBOSE | re.DOTALL,
)

_NAMES = frozenset(["None", "True", "False"])
_CONTAINERS = {"[": "a list", "{": "a dict or set"}

# Events of the parse, besides atoms (which are their index, >= 0).
_OPEN = -1  # "("
_TUPLE = -2  # ")" closing a tuple
_GROUP = -3  # ")" closing a parenthesized value: (x) is x


def read_literal(text: str) -> Value:
    """The value of the literal `text` (see the module docstring), or NotReadable."""
    events, atoms, positions, top_is_tuple = _parse(text)
    values = _evaluate(text, atoms, positions)
    return _build(events, values, top_is_tuple)


def _parse(text: str) -> tuple[list[int], list[str], list[int], bool]:
    """The structure of `text`: events (atom indexes and parenthesis events), the source
    text of each atom and its position, and whether the top level is a bare tuple."""
    events: list[int] = []
    atoms: list[str] = []
    positions: list[int] = []
    # Open parentheses: (position, item count of the enclosing level, its comma_seen).
    frames: list[tuple[int, int, bool]] = []
    count, comma_seen = 0, False  # the innermost level's items so far, and a comma after one
    expect_value = True  # at the start of a level or after a comma
    sign: tuple[str, int] | None = None  # a pending "+" or "-": (its text, its position)
    string_atom = False  # the last item is string literals that another one would extend
    ended = False  # a newline outside parentheses ended the literal
    match, n, pos = _TOKEN.match, len(text), 0

    def invalid(at: int, msg: str = "invalid syntax") -> NotReadable:
        return NotReadable(msg, text, at)

    while pos < n:
        m = match(text, pos)
        if m is None:
            raise invalid(pos, _unreadable_character(text, pos))
        kind, token, start, pos = m.lastgroup, m.group(), pos, m.end()
        if kind == "space":
            continue
        if kind == "newline":
            if frames:
                continue
            # Outside parentheses a newline ends the literal, which must be complete.
            if sign or (expect_value and not comma_seen):
                raise invalid(start)
            ended = True
            continue
        if ended:
            raise invalid(start)
        if kind == "string":
            if sign is not None:
                raise invalid(start)
            if string_atom:  # 'a' 'b' is 'ab'
                atoms[-1] += " " + token
                continue
            if not expect_value:
                raise invalid(start)
            atom, at, string_atom = token, start, True
        elif kind == "number":
            if not expect_value:
                raise invalid(start)
            if sign is None:
                atom, at = token, start
            else:
                atom, at = sign[0] + token, sign[1]
                sign = None
            string_atom = False
        elif kind == "name":
            if token not in _NAMES:
                raise invalid(start, f"{token!r} is not a literal")
            if sign is not None or not expect_value:
                raise invalid(start)
            atom, at, string_atom = token, start, False
        elif kind == "imaginary":
            raise invalid(start, "frozenpack cannot encode a complex number")
        elif kind == "container":
            raise invalid(start, f"frozenpack cannot encode {_CONTAINERS[token]}")
        elif token in "+-":
            if sign is not None or not expect_value:
                raise invalid(start)
            sign = (token, start)
            continue
        elif token == "(":
            if sign is not None or not expect_value:
                raise invalid(start)
            frames.append((start, count, comma_seen))
            events.append(_OPEN)
            count, comma_seen, string_atom = 0, False, False
            continue
        elif token == ",":
            if expect_value:  # "(,", "1,,"
                raise invalid(start)
            comma_seen, expect_value, string_atom = True, True, False
            continue
        else:  # ")"
            if not frames:
                raise invalid(start, "unmatched ')'")
            if sign is not None:
                raise invalid(start)
            # After a value, or after "(" or a trailing comma: "()", "(1,)" are tuples.
            events.append(_GROUP if count == 1 and not comma_seen else _TUPLE)
            _, count, comma_seen = frames.pop()
            count += 1
            expect_value, string_atom = False, False
            continue
        events.append(len(atoms))
        atoms.append(atom)
        positions.append(at)
        count += 1
        expect_value = False
    if frames:
        raise invalid(frames[0][0], "'(' was never closed")
    if sign is not None or count == 0:
        raise invalid(n, "unexpected end of the literal")
    return events, atoms, positions, comma_seen


def _unreadable_character(text: str, pos: int) -> str:
    if text[pos] in "'\"" or re.match(r"(?:[rR][bB]?|[bB][rR]?|[uU])?['\"]", text[pos:pos + 3]):
        return "unterminated string literal"
    return f"unexpected character {text[pos]!r}"


def _evaluate(text: str, atoms: list[str], positions: list[int]) -> tuple[Value, ...]:
    """The values of the atoms, evaluated by ast.literal_eval: all at once as one flat tuple
    (one compile), or, when that fails, one by one to say which one is wrong."""
    if not atoms:
        return ()
    try:
        values = ast.literal_eval("(" + ",".join(atoms) + ",)")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    else:
        if type(values) is tuple:
            # The atoms are literals of None, bools, numbers, strs and bytes (the grammar).
            flat = cast("tuple[Value, ...]", values)
            if len(flat) == len(atoms):
                return flat
    for atom, position in zip(atoms, positions):
        try:
            ast.literal_eval(atom)
        except SyntaxError as e:
            raise NotReadable(e.msg, text, position) from None
        except (ValueError, MemoryError, RecursionError) as e:
            raise NotReadable(str(e) or type(e).__name__, text, position) from None
    raise NotReadable("invalid syntax", text, positions[0])


def _build(events: list[int], values: tuple[Value, ...], top_is_tuple: bool) -> Value:
    """The value the events describe, built on an explicit stack."""
    stack: list[list[Value]] = []
    items: list[Value] = []
    for event in events:
        if event >= 0:
            items.append(values[event])
        elif event == _OPEN:
            stack.append(items)
            items = []
        else:
            inner = tuple(items) if event == _TUPLE else items[0]
            items = stack.pop()
            items.append(inner)
    return tuple(items) if top_is_tuple else items[0]
