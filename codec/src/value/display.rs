//! `Display` (Python literal syntax) and `Debug` (Rust-like) for value trees, each written
//! with an explicit stack so that any depth prints.
//!
//! Both take time linear in the size of the value (spec §11, "Time linear in the input"), so
//! logging a value decoded from a stranger is safe: every leaf is written in one pass over
//! its octets (a str's quote is chosen in one more), and ints longer than 256 octets are
//! written in hexadecimal, `0x…`, which is still a Python literal of the same int, instead
//! of paying the quadratic decimal conversion (see [`BigInt`](crate::BigInt#text)).

use core::fmt::{self, Write};
use core::slice;

use super::tree::{ValueRef, ValueTree};

/// How one format writes leaves and tuple punctuation.
trait Style {
    fn leaf<T>(node: &ValueRef<'_, T>, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn open(f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn close(len: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// Writes `root` in `S`'s style.
fn write_tree<S: Style, T: ValueTree>(root: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    // Each frame: the items still to write, and the tuple's length (for its closing).
    let mut stack: Vec<(slice::Iter<'_, T>, usize)> = Vec::new();
    write_node::<S, T>(root, f, &mut stack)?;
    while let Some((items, len)) = stack.last_mut() {
        let (first, len) = (items.len() == *len, *len);
        match items.next() {
            Some(item) => {
                if !first {
                    f.write_str(", ")?;
                }
                write_node::<S, T>(item, f, &mut stack)?;
            }
            None => {
                S::close(len, f)?;
                stack.pop();
            }
        }
    }
    Ok(())
}

fn write_node<'v, S: Style, T: ValueTree>(
    node: &'v T,
    f: &mut fmt::Formatter<'_>,
    stack: &mut Vec<(slice::Iter<'v, T>, usize)>,
) -> fmt::Result {
    match node.as_value_ref() {
        ValueRef::Tuple(items) => {
            S::open(f)?;
            stack.push((items.iter(), items.len()));
            Ok(())
        }
        leaf => S::leaf(&leaf, f),
    }
}

/// Python literal syntax: what `repr()` shows for the same Python value.
struct Python;

impl Style for Python {
    fn leaf<T>(node: &ValueRef<'_, T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match node {
            ValueRef::None => f.write_str("None"),
            ValueRef::Bool(true) => f.write_str("True"),
            ValueRef::Bool(false) => f.write_str("False"),
            ValueRef::Int(v) => write!(f, "{v}"),
            ValueRef::BigInt(big) => write!(f, "{big}"),
            ValueRef::Float(x) => python_float(*x, f),
            ValueRef::Str(s) => python_str(s.chars().map(u32::from), f),
            ValueRef::SurrogateStr(s) => python_str(s.code_points(), f),
            ValueRef::Bytes(b) => python_bytes(b, f),
            ValueRef::Tuple(_) => unreachable!("tuples are written by the walker"),
        }
    }

    fn open(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('(')
    }

    fn close(len: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A one-item tuple needs its trailing comma to be a tuple.
        f.write_str(if len == 1 { ",)" } else { ")" })
    }
}

/// Rust-like: `Tuple([Int(1), Str("a")])`.
struct Rust;

impl Style for Rust {
    fn leaf<T>(node: &ValueRef<'_, T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match node {
            ValueRef::None => f.write_str("None"),
            ValueRef::Bool(b) => write!(f, "Bool({b})"),
            ValueRef::Int(v) => write!(f, "Int({v})"),
            ValueRef::BigInt(big) => write!(f, "{big:?}"),
            // NaNs differ by payload, which `{:?}` would not show.
            ValueRef::Float(x) if x.is_nan() => write!(f, "Float(NaN bits {:#018x})", x.to_bits()),
            ValueRef::Float(x) => write!(f, "Float({x:?})"),
            ValueRef::Str(s) => write!(f, "Str({s:?})"),
            ValueRef::SurrogateStr(s) => write!(f, "SurrogateStr({s:?})"),
            ValueRef::Bytes(b) => write!(f, "Bytes(b\"{}\")", b.escape_ascii()),
            ValueRef::Tuple(_) => unreachable!("tuples are written by the walker"),
        }
    }

    fn open(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tuple([")
    }

    fn close(_len: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("])")
    }
}

/// Formats `root` as a Python literal.
pub(crate) fn fmt_python<T: ValueTree>(root: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write_tree::<Python, T>(root, f)
}

/// Formats `root` Rust-like, for `Debug`.
pub(crate) fn fmt_debug<T: ValueTree>(root: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write_tree::<Rust, T>(root, f)
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
/// decimal point falls within 16 digits of them, else in exponent notation (`1e+16`,
/// `1.5e-05`). Non-finite values have no literal; they are written as the expressions that
/// make them: `float('inf')`, `float('nan')` for the usual NaN (bits `7ff8000000000000`),
/// and for every other NaN the expression that rebuilds its exact bits.
fn python_float(x: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if x.is_nan() {
        let bits = x.to_bits();
        if bits == 0x7ff8_0000_0000_0000 {
            return f.write_str("float('nan')");
        }
        return write!(f, "struct.unpack('>d', bytes.fromhex('{bits:016x}'))[0]");
    }
    if x.is_infinite() {
        return f.write_str(if x > 0.0 {
            "float('inf')"
        } else {
            "float('-inf')"
        });
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, as Python's repr uses.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // Where the decimal point falls relative to the start of the digits.
    let point = exponent + 1;
    if x.is_sign_negative() {
        f.write_char('-')?;
    }
    if !(-3..=16).contains(&point) {
        let (head, tail) = digits.split_at(1);
        let sign = if exponent < 0 { '-' } else { '+' };
        if tail.is_empty() {
            write!(f, "{head}e{sign}{:02}", exponent.unsigned_abs())
        } else {
            write!(f, "{head}.{tail}e{sign}{:02}", exponent.unsigned_abs())
        }
    } else if point <= 0 {
        write!(f, "0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else {
        let point = point as usize;
        if point >= digits.len() {
            write!(f, "{digits}{}.0", "0".repeat(point - digits.len()))
        } else {
            write!(f, "{}.{}", &digits[..point], &digits[point..])
        }
    }
}

/// The quote Python's repr picks: `'`, unless the text has a `'` and no `"`.
fn python_quote(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

/// Whether Python's repr shows a non-ASCII character as itself. Python escapes the
/// categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs; Rust's `escape_debug` escapes the same
/// ones (its table is generated by the same rule), plus grapheme extenders at the start of
/// a string only, which the leading `a` here avoids.
fn is_printable(c: char) -> bool {
    let mut buf = [0u8; 5];
    buf[0] = b'a';
    let len = 1 + c.encode_utf8(&mut buf[1..]).len();
    let pair = core::str::from_utf8(&buf[..len]).unwrap_or("");
    pair.escape_debug().count() == 2
}

/// Python's `repr(str)` of a sequence of code points (surrogates included).
fn python_str<I: Iterator<Item = u32> + Clone>(
    code_points: I,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let has = |wanted: char| code_points.clone().any(|cp| cp == u32::from(wanted));
    let quote = python_quote(has('\''), has('"'));
    f.write_char(quote)?;
    for cp in code_points {
        match char::from_u32(cp) {
            Some(c) if c == quote || c == '\\' => write!(f, "\\{c}")?,
            Some('\t') => f.write_str("\\t")?,
            Some('\n') => f.write_str("\\n")?,
            Some('\r') => f.write_str("\\r")?,
            Some(c @ ' '..='~') => f.write_char(c)?,
            Some(c) if !c.is_ascii() && is_printable(c) => f.write_char(c)?,
            // Surrogates, controls and every other unprintable code point.
            _ if cp <= 0xff => write!(f, "\\x{cp:02x}")?,
            _ if cp <= 0xffff => write!(f, "\\u{cp:04x}")?,
            _ => write!(f, "\\U{cp:08x}")?,
        }
    }
    f.write_char(quote)
}

/// Python's `repr(bytes)`.
fn python_bytes(octets: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let quote = python_quote(octets.contains(&b'\''), octets.contains(&b'"'));
    f.write_char('b')?;
    f.write_char(quote)?;
    for &b in octets {
        match b {
            b'\\' => f.write_str("\\\\")?,
            _ if char::from(b) == quote => write!(f, "\\{quote}")?,
            b'\t' => f.write_str("\\t")?,
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            b' '..=b'~' => f.write_char(char::from(b))?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    f.write_char(quote)
}

#[cfg(test)]
mod tests {
    use crate::{BigInt, SurrogateStr, Value};

    fn py(value: impl Into<Value<'static>>) -> String {
        value.into().to_string()
    }

    #[test]
    fn floats_match_python_repr() {
        // Each expected text is CPython 3.11's repr() of the same float.
        let cases = [
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (5e-324, "5e-324"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1.5, "1.5"),
            (-2.5e-7, "-2.5e-07"),
        ];
        for (x, text) in cases {
            assert_eq!(py(x), text, "{x:e}");
        }
        assert_eq!(py(f64::INFINITY), "float('inf')");
        assert_eq!(py(f64::NEG_INFINITY), "float('-inf')");
        assert_eq!(py(f64::from_bits(0x7ff8_0000_0000_0000)), "float('nan')");
        assert_eq!(
            py(f64::from_bits(0x7ff8_0000_0000_0001)),
            "struct.unpack('>d', bytes.fromhex('7ff8000000000001'))[0]"
        );
        assert_eq!(
            py(f64::from_bits(0xfff8_0000_0000_0000)),
            "struct.unpack('>d', bytes.fromhex('fff8000000000000'))[0]"
        );
    }

    #[test]
    fn strings_match_python_repr() {
        // Each expected text is CPython 3.11's repr() of the same str.
        let cases = [
            ("\u{a0}", r"'\xa0'"),
            ("\u{200b}", r"'\u200b'"),
            ("é", "'é'"),
            ("\u{301}", "'\u{301}'"),
            ("\u{ad}", r"'\xad'"),
            ("\u{2028}", r"'\u2028'"),
            ("😀", "'😀'"),
            ("\u{e0001}", r"'\U000e0001'"),
            ("\x7f", r"'\x7f'"),
            ("\u{85}", r"'\x85'"),
            ("a'b", r#""a'b""#),
            ("a'\"b", r#"'a\'"b'"#),
            ("tab\there\n\r\\", r"'tab\there\n\r\\'"),
            ("\0", r"'\x00'"),
        ];
        for (s, text) in cases {
            assert_eq!(py(s), text, "{s:?}");
        }
        let lone = SurrogateStr::from_code_points([0x61, 0xd800, 0x27]).unwrap();
        assert_eq!(py(lone), r#""a\ud800'""#);
    }

    #[test]
    fn bytes_and_tuples_match_python_repr() {
        assert_eq!(py(&b"a'b\x00\x7f\x80\t"[..]), r#"b"a'b\x00\x7f\x80\t""#);
        assert_eq!(py(&b"\\\""[..]), r#"b'\\"'"#);
        assert_eq!(py(Vec::<Value>::new()), "()");
        assert_eq!(py(vec![Value::from(1)]), "(1,)");
        assert_eq!(
            py(vec![
                Value::None,
                Value::from(true),
                Value::from(vec![Value::from(Vec::<Value>::new())])
            ]),
            "(None, True, ((),))"
        );
        assert_eq!(py(i128::MIN), "-170141183460469231731687303715884105728");
    }

    /// The int 2^bits (bits >= 7), built from its octets.
    fn power_of_two(bits: usize, negative: bool) -> Value<'static> {
        let mut le = vec![0u8; bits / 8 + 1];
        le[bits / 8] = 1 << (bits % 8);
        if negative {
            // -2^bits: the complement plus one, which carries through the zero octets.
            let mut carry = true;
            for octet in le.iter_mut() {
                let (sum, overflow) = (!*octet).overflowing_add(u8::from(carry));
                *octet = sum;
                carry &= overflow;
            }
            le.push(0xff);
        } else {
            le.push(0);
        }
        Value::from(BigInt::from_le_bytes(&le))
    }

    #[test]
    fn ints_over_256_octets_are_written_in_hex() {
        // 2^2047 - 1 and -2^2047 fill 256 octets: decimal, as CPython's repr.
        let max_decimal = BigInt::from_le_bytes(&[&[0xffu8; 255][..], &[0x7f]].concat());
        assert_eq!(max_decimal.as_le_bytes().len(), 256);
        let text = py(Value::from(max_decimal));
        assert_eq!(text.len(), 617);
        // Its first and last digits, from CPython's str(2**2047 - 1).
        assert!(text.starts_with("1615850303565550365035743834433497598022205133485774201606"));
        assert!(text.ends_with("5327"), "{text}");
        let min_decimal = BigInt::from_le_bytes(&[&[0u8; 255][..], &[0x80]].concat());
        assert_eq!(py(Value::from(min_decimal)), format!("-{}8", &text[..616]));
        // 2^2047 and -2^2047 - 1 need 257: hex, as Python writes it.
        assert_eq!(
            py(power_of_two(2047, false)),
            format!("0x8{}", "0".repeat(511))
        );
        let below = BigInt::from_le_bytes(&[&[0xffu8; 255][..], &[0x7f, 0xff]].concat());
        assert_eq!(below.as_le_bytes().len(), 257);
        assert_eq!(py(Value::from(below)), format!("-0x8{}1", "0".repeat(510)));
        let debug = format!("{:?}", Value::from(vec![power_of_two(4000, true)]));
        assert_eq!(debug, format!("Tuple([BigInt(-0x1{})])", "0".repeat(1000)));
    }

    /// The conversion steps (`int::work`) that formatting `value` takes, each way.
    fn steps_to_format(value: &impl core::fmt::Display) -> u64 {
        crate::int::work::take();
        let text = value.to_string();
        assert!(!text.is_empty());
        crate::int::work::take()
    }

    /// Spec §11: formatting is linear in the size of the value. Counted, not timed: an int
    /// 8 times as long must take well under the 64 times the steps that a quadratic
    /// conversion (the decimal one, which all sizes used before) would.
    #[test]
    fn formatting_work_grows_linearly_with_the_int() {
        let forms = |value: Value<'static>| -> [u64; 4] {
            let shared =
                crate::SharedValue::from_bytes(&bytes::Bytes::from(value.to_vec())).unwrap();
            let debug = |v: &dyn core::fmt::Debug| {
                crate::int::work::take();
                assert!(!format!("{v:?}").is_empty());
                crate::int::work::take()
            };
            [
                steps_to_format(&value),
                debug(&value),
                steps_to_format(&shared),
                debug(&shared),
            ]
        };
        // 4 KiB and 32 KiB, in a tuple as a decoded value would be, both signs.
        for negative in [false, true] {
            let small = forms(Value::from(vec![power_of_two(8 * 4096, negative)]));
            let large = forms(Value::from(vec![power_of_two(8 * 8 * 4096, negative)]));
            for (form, (s, l)) in ["Display", "Debug", "shared Display", "shared Debug"]
                .iter()
                .zip(small.iter().zip(large.iter()))
            {
                assert!(*s > 0, "{form}: the conversion counted no steps");
                assert!(
                    *l < 24 * *s,
                    "{form}: 8x the octets took {l} steps against {s}: {}x",
                    l / s
                );
            }
        }
    }

    #[test]
    fn debug_is_rust_like_and_shows_nan_bits() {
        let value = Value::from(vec![
            Value::from(1),
            Value::from("a"),
            Value::from(&b"\x00"[..]),
            Value::from(f64::from_bits(0x7ff8_0000_0000_0001)),
            Value::from(u64::MAX),
        ]);
        assert_eq!(
            format!("{value:?}"),
            r#"Tuple([Int(1), Str("a"), Bytes(b"\x00"), Float(NaN bits 0x7ff8000000000001), BigInt(18446744073709551615)])"#
        );
    }
}
