"""frozenpack.literal: the reader `python -m frozenpack encode` uses for what `decode` prints.

It must read, at any depth, every spelling of the values frozenpack carries that Python
accepts, with exactly Python's meaning (checked against ast.literal_eval where that can read
the text), and refuse everything else rather than guess.
"""

import ast
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frozenpack.literal import NotReadable, read_literal
from frozenpack.tool import format_value
from reference_helpers import PROPERTY_SETTINGS, exactly_equal, literal_values, nested

# ast.literal_eval reads these depths; deeper texts are compared with the intended value only.
_AST_DEPTH = 150


def _same_as_ast(text):
    """read_literal(text), checked to be exactly what ast.literal_eval makes of it."""
    value = read_literal(text)
    assert exactly_equal(value, ast.literal_eval(text)), text
    return value


# --- what decode prints --------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(literal_values, st.integers(0, 1500))
def test_reads_back_what_decode_prints_at_any_depth(value, depth):
    value = nested(depth, value)
    assert exactly_equal(read_literal(format_value(value)), value)


def test_reads_5000_deep_and_huge_ints_in_hex():
    value = nested(5000, (-(1 << 70000) + 3, "\ud800'\"\\", b"\x00'\"", -0.0, ()))
    text = format_value(value)
    assert "-0x" in text
    assert exactly_equal(read_literal(text), value)


def test_ast_literal_eval_cannot_read_300_deep():
    # Why this module exists (issue 9 item 8); if CPython ever lifts the limit, so much the
    # better, but then this test says the module could go.
    with pytest.raises((SyntaxError, MemoryError, RecursionError)):
        ast.literal_eval(format_value(nested(300, 0)))
    assert read_literal(format_value(nested(300, 0))) == nested(300, 0)


# --- what a person types -------------------------------------------------------------------------

_SPACES = st.sampled_from(["", " ", "  ", "\t", "\n", " \n  ", " # a comment, (with ')\n ", "\r\n"])


def _spaced(draw, inside):
    """Space between tokens: newlines and comments only inside parentheses."""
    space = draw(_SPACES)
    if not inside and ("\n" in space or "#" in space):
        return " "
    return space


def _lookup(name):
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return None


def _escaped(code_point, quote, as_bytes, draw):
    """One character (or octet) of a quoted literal body, in one of the forms Python reads."""
    c = chr(code_point)
    if c == "\\":
        return "\\\\"
    if c == quote:
        return "\\" + c
    if c in "\n\t\r" and draw(st.booleans()):
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}[c]
    printable = 32 <= code_point < 127 if as_bytes else c.isprintable()
    surrogate = 0xD800 <= code_point < 0xE000
    if printable and c not in "\r\n" and not surrogate and draw(st.booleans()):
        return c
    if code_point < 0x100 and (as_bytes or draw(st.booleans())):
        # Octal in three digits: a shorter escape would take a following digit along.
        return draw(st.sampled_from([f"\\x{code_point:02x}", f"\\x{code_point:02X}",
                                     f"\\{code_point:03o}"]))
    name = unicodedata.name(c, None)
    if name is not None and draw(st.booleans()):
        # Names are found in any case, except derived ones (CJK UNIFIED IDEOGRAPH-20000).
        if _lookup(name.lower()) == c and draw(st.booleans()):
            name = name.lower()
        return f"\\N{{{name}}}"
    if code_point < 0x10000 and draw(st.booleans()):
        return f"\\u{code_point:04x}"
    return f"\\U{code_point:08X}"


def _spell_text(draw, content, as_bytes):
    """A literal of `content` (a str, or bytes when as_bytes) in a random Python spelling."""
    code_points = list(content) if as_bytes else [ord(c) for c in content]
    if len(code_points) > 1 and draw(st.integers(0, 4)) == 0:
        # Implicit concatenation of two literals: 'ab' is 'a' 'b'.
        cut = draw(st.integers(1, len(code_points) - 1))
        return (_spell_text(draw, content[:cut], as_bytes) + draw(st.sampled_from([" ", "", "  "]))
                + _spell_text(draw, content[cut:], as_bytes))
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    raw_ok = all(
        (32 <= cp < 127 if as_bytes else chr(cp).isprintable())
        and chr(cp) not in "\\'\"\r\n" and not (0xD800 <= cp < 0xE000)
        for cp in code_points
    )
    if raw_ok and draw(st.booleans()):
        prefix = draw(st.sampled_from(["rb", "Rb", "bR", "BR", "br"] if as_bytes else ["r", "R"]))
        body = bytes(code_points).decode("ascii") if as_bytes else content
    else:
        prefix = draw(st.sampled_from(["b", "B"] if as_bytes else ["", "", "u", "U"]))
        body = "".join(_escaped(cp, quote[0], as_bytes, draw) for cp in code_points)
    return prefix + quote + body + quote


def _spell_int(draw, x):
    sign = "-" if x < 0 else draw(st.sampled_from(["", "", "+", "+ "]))
    if x < 0 and draw(st.booleans()):
        sign = "- "
    magnitude = abs(x)
    form = draw(st.sampled_from(["d", "d_", "x", "X_", "o", "b_"]))
    base = form[0]
    digits = format(magnitude, ("_" if form.endswith("_") else "") + base.lower())
    if base == "X":
        digits = format(magnitude, "_X" if form.endswith("_") else "X")
    prefix = {"d": "", "x": "0x", "X": "0X", "o": "0o", "b": "0b"}[base]
    if prefix and draw(st.booleans()):
        prefix = prefix[0] + prefix[1].upper()
    return sign + prefix + digits


def _spell_float(draw, x):
    text = draw(st.sampled_from([repr(x), format(x, ".17e"), format(x, ".17E")]))
    if text.startswith("-") and draw(st.booleans()):
        text = "- " + text[1:]
    return text


@st.composite
def _spelled(draw, depth=0):
    """(value, text): a value frozenpack carries and a Python spelling of it."""
    kind = draw(st.sampled_from(["none", "bool", "int", "float", "str", "bytes", "tuple"]
                                if depth < 4 else ["int", "str", "none"]))
    if kind == "none":
        return None, "None"
    if kind == "bool":
        b = draw(st.booleans())
        return b, repr(b)
    if kind == "int":
        x = draw(st.one_of(st.integers(-300, 300), st.integers(-(2**200), 2**200)))
        return x, _spell_int(draw, x)
    if kind == "float":
        x = draw(st.floats(allow_nan=False, allow_infinity=False))
        return x, _spell_float(draw, x)
    if kind == "str":
        s = draw(st.text(st.one_of(st.characters(), st.characters(min_codepoint=0xD800,
                                                                  max_codepoint=0xDFFF)),
                         max_size=8))
        return s, _spell_text(draw, s, as_bytes=False)
    if kind == "bytes":
        b = draw(st.binary(max_size=8))
        return b, _spell_text(draw, b, as_bytes=True)
    items = draw(st.lists(_spelled(depth + 1), max_size=4))
    value = tuple(v for v, _ in items)
    parts = [t for _, t in items]
    inner = ("," + _spaced(draw, True)).join(parts)
    if len(parts) == 1 or (parts and draw(st.booleans())):
        inner += ","
    text = "(" + _spaced(draw, True) + inner + _spaced(draw, True) + ")"
    if draw(st.integers(0, 5)) == 0:
        text = "(" + text + ")"  # (x) is x
    return value, text


@PROPERTY_SETTINGS
@given(_spelled(), st.integers(0, 400), st.data())
def test_reads_every_spelling_python_reads(spelled, depth, data):
    value, text = spelled
    # Nest it, in singletons written with varying space and redundant parentheses.
    for _ in range(depth):
        text = "(" + text + data.draw(st.sampled_from([",)", ", )", ",\n)", ",)"]))
    value = nested(depth, value)
    text = data.draw(st.sampled_from(["", " ", "\t "])) + text
    text += data.draw(st.sampled_from(["", "\n", "  # done\n", " \n\n"]))
    read = read_literal(text)
    assert exactly_equal(read, value), text
    if depth < _AST_DEPTH:
        assert exactly_equal(read, ast.literal_eval(text)), text


# --- what it refuses ----------------------------------------------------------------------------

# Fragments of Python, valid and not, for texts made at random.
_FRAGMENTS = [
    "(", "(", ")", ")", ",", ",", " ", "\n", "-", "+", "1", "0x1F", "0X_a", "1_0", "0o7", "0b1",
    "00", "0123", "1__0", "1_", "0x", "1.5", "1e3", ".5", "5.", "1.e-5", "1j", "None", "True",
    "False", "x", "inf", "nan", "'a'", '"b"', "b'c'", "B'\\xff'", "r'\\d'", "rb'\\x'", "u'\u00e9'",
    "ur'x'", "f'x'", "'''t\nq'''", "'\\N{BULLET}'", "'\\N{bogus}'", "'\\x1'", "b'\u00e9'", "'",
    "\"", "'\\'", "'a\\\nb'", "# c", "[", "]", "{", "}", ":", ".", "\t", "\\\n", "\r", "\f",
    "\u00a0", "'\\ud800'", "-0.0", "0_0", "9" * 5000, "lambda", "*", "2**", "==",
]


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=24))
def test_reads_nothing_python_does_not_and_nothing_differently(fragments):
    text = "".join(fragments)
    try:
        value = read_literal(text)
    except NotReadable as error:
        assert error.lineno >= 1 and error.offset >= 1
        return
    assert exactly_equal(value, ast.literal_eval(text)), text


@pytest.mark.parametrize(
    "text, message, column",
    [
        ("", "unexpected end of the literal", 1),
        ("(1,", "'(' was never closed", 1),
        ("(1, (2,)", "'(' was never closed", 1),
        ("1)", "unmatched ')'", 2),
        ("(1,,)", "invalid syntax", 4),
        ("(1 2)", "invalid syntax", 4),
        ("-'a'", "invalid syntax", 2),
        ("--1", "invalid syntax", 2),
        ("-(1)", "invalid syntax", 2),  # Python reads it; the caller falls back to it
        ("(x,)", "'x' is not a literal", 2),
        ("(1, [2])", "frozenpack cannot encode a list", 5),
        ("({},)", "frozenpack cannot encode a dict or set", 2),
        ("(1j,)", "frozenpack cannot encode a complex number", 2),
        ("('abc", "unterminated string literal", 2),
        ("(1,\f2)", "unexpected character '\\x0c'", 4),
        ("1,\n2", "invalid syntax", 1),
        ("('\\N{bogus}',)", "(unicode error) 'unicodeescape' codec can't decode bytes in "
                            "position 0-8: unknown Unicode character name", 2),
    ],
)
def test_refusals_say_what_and_where(text, message, column):
    with pytest.raises(NotReadable) as info:
        read_literal(text)
    assert (info.value.msg, info.value.offset) == (message, column)


def test_error_positions_count_lines():
    with pytest.raises(NotReadable) as info:
        read_literal("(1,\n  2,\n  x)")
    assert (info.value.lineno, info.value.offset) == (3, 3)


def test_reads_what_literal_eval_reads_for_ordinary_texts():
    for text in [
        "1", "-1", "+1", "- 0x_ff", "0o17", "0B101", "1_000_000", "-0.0", "1.e5", ".5e-3",
        "None", "(None)", "((1))", "(())", "()", "(1,)", "1,", "1, 2,", "(1, (2, (3,)),)",
        "'a' \"b\" '''c'''", "b'a' rb'\\x' Br'y'", "u'\\N{EM DASH}\\u00e9\\U0001F600\\x00'",
        "('a'\n 'b',  # comment\n 2)", "'a\\\nb'", " \t(1,)\n", "1 # trailing", "1\r\n",
        "'\\ud800\\udfff'", "'\\377'", "b'\\377'", "'''a''' '''b'''", '"""x\n"y"\n"""',
    ]:
        _same_as_ast(text)
