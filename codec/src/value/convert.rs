//! `From` conversions into [`Value`]. Ints pick `Int` when they fit an `i64` and `BigInt`
//! otherwise, so values built in code take the same form the decoder gives them.

use std::borrow::Cow;

use super::{BigInt, SurrogateStr, Tuple, Value};
use crate::int;

macro_rules! from_small_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(v: $t) -> Self {
                Value::Int(i64::from(v))
            }
        }
    )*};
}
from_small_int!(i8, i16, i32, i64, u8, u16, u32);

macro_rules! from_wide_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<'_> {
            fn from(v: $t) -> Self {
                match i64::try_from(v) {
                    Ok(small) => Value::Int(small),
                    Err(_) => Value::BigInt(BigInt::from(v).into()),
                }
            }
        }
    )*};
}
from_wide_int!(u64, i128, u128);

impl From<isize> for Value<'_> {
    fn from(v: isize) -> Self {
        // isize is at most 64 bits on every platform Rust supports today; i128 keeps this
        // correct on any.
        Value::from(v as i128)
    }
}

impl From<usize> for Value<'_> {
    fn from(v: usize) -> Self {
        Value::from(v as u128)
    }
}

impl<'a, B: AsRef<[u8]>> From<BigInt<B>> for Value<'a>
where
    BigInt<B>: Into<BigInt<Cow<'a, [u8]>>>,
{
    /// `Int` when the int fits an `i64`, else `BigInt`.
    fn from(big: BigInt<B>) -> Self {
        let octets = big.as_le_bytes();
        if octets.len() <= 8 {
            return Value::Int(int::sign_extend_i64(octets));
        }
        Value::BigInt(big.into())
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<f32> for Value<'_> {
    /// Widened exactly (every `f32` is an `f64`; NaN payloads move to the top bits).
    fn from(x: f32) -> Self {
        Value::Float(f64::from(x))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Str(Cow::Owned(s))
    }
}

impl<'a> From<Cow<'a, str>> for Value<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Value::Str(s)
    }
}

impl From<char> for Value<'_> {
    fn from(c: char) -> Self {
        Value::Str(Cow::Owned(c.to_string()))
    }
}

impl<'a, B: AsRef<[u8]>> From<SurrogateStr<B>> for Value<'a>
where
    SurrogateStr<B>: Into<SurrogateStr<Cow<'a, [u8]>>>,
{
    fn from(s: SurrogateStr<B>) -> Self {
        Value::SurrogateStr(s.into())
    }
}

impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(b: &'a [u8]) -> Self {
        Value::Bytes(Cow::Borrowed(b))
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Value<'a> {
    fn from(b: &'a [u8; N]) -> Self {
        Value::Bytes(Cow::Borrowed(b))
    }
}

impl From<Vec<u8>> for Value<'_> {
    fn from(b: Vec<u8>) -> Self {
        Value::Bytes(Cow::Owned(b))
    }
}

impl<'a> From<Cow<'a, [u8]>> for Value<'a> {
    fn from(b: Cow<'a, [u8]>) -> Self {
        Value::Bytes(b)
    }
}

impl<'a> From<Vec<Value<'a>>> for Value<'a> {
    fn from(items: Vec<Value<'a>>) -> Self {
        Value::Tuple(Tuple::from(items))
    }
}

impl<'a> From<Tuple<'a>> for Value<'a> {
    fn from(tuple: Tuple<'a>) -> Self {
        Value::Tuple(tuple)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    /// `None` for `None`, the value otherwise.
    fn from(option: Option<T>) -> Self {
        option.map_or(Value::None, Into::into)
    }
}

impl<'a, V: Into<Value<'a>>> FromIterator<V> for Value<'a> {
    /// A tuple of the items.
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> Self {
        Value::Tuple(iter.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_take_the_decoders_form() {
        assert!(matches!(Value::from(u64::MAX), Value::BigInt(_)));
        assert!(matches!(Value::from(i64::MAX as u64), Value::Int(i64::MAX)));
        assert!(matches!(
            Value::from(i128::from(i64::MIN)),
            Value::Int(i64::MIN)
        ));
        assert!(matches!(Value::from(BigInt::from(-3i8)), Value::Int(-3)));
        assert!(matches!(
            Value::from(BigInt::from(u128::MAX)),
            Value::BigInt(_)
        ));
        assert!(matches!(Value::from(usize::MAX), Value::BigInt(_)));
    }

    #[test]
    fn containers_and_options() {
        assert_eq!(Value::from(Some(3)), Value::Int(3));
        assert_eq!(Value::from(None::<i32>), Value::None);
        let tuple: Value = (1..=3).collect();
        assert_eq!(tuple.to_string(), "(1, 2, 3)");
        assert_eq!(Value::from(b"ab").to_string(), "b'ab'");
        assert_eq!(Value::from('x'), Value::from("x"));
        assert_eq!(Value::from(1.5f32), Value::Float(1.5));
    }
}
