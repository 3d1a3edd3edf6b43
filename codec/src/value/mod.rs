//! Value trees: [`Value`] (borrowing from its input, or owning its data) and
//! [`SharedValue`] (backed by reference-counted [`bytes::Bytes`]), with the int and
//! surrogate-str types they hold.
//!
//! Both trees implement [`ValueTree`], through which one iterative implementation each of
//! encoding, equality, order, hashing and formatting serves them. Their tuple types also drop
//! and clone iteratively, so a tree of any depth the decoder accepts is safe to keep, clone,
//! compare, print and drop.

mod bigint;
mod build;
mod convert;
mod deep;
mod display;
mod shared;
mod sstr;
mod tree;
mod walk;

#[cfg(any(test, feature = "arbitrary"))]
mod arbitrary;

pub use bigint::{BigInt, IntOutOfRange, NotMinimal, ParseBigIntError};
pub(crate) use build::{BorrowBuilder, SharedBuilder};
pub use shared::{SharedStr, SharedTuple, SharedValue};
pub use sstr::{CodePoints, EncodeUtf16, SurrogateStr, SurrogateStrError};
pub use tree::{ValueRef, ValueTree};

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};
use std::borrow::Cow;

use deep::Nested;

/// A frozenpack value (spec §1): `None`, a bool, an int of any size, a float (all 64 bits),
/// a str (surrogates included), bytes, or a tuple of values.
///
/// Decoding borrows: [`Str`](Value::Str), [`Bytes`](Value::Bytes) and the octets of
/// [`BigInt`](Value::BigInt) and [`SurrogateStr`](Value::SurrogateStr) are
/// `Cow::Borrowed` slices of the input. Values built in code may own their data instead
/// (`Value<'static>`); [`into_owned`](Value::into_owned) turns the one into the other.
///
/// Equality, [`Ord`] and [`Hash`] follow the spec's data model: floats compare by their
/// bits (NaN equals the same NaN, −0.0 differs from 0.0), kinds never equal each other
/// (`True` is not `1`), and the order is the spec's informative value order. An int is the
/// same value whichever variant holds it: `Int(5)` equals a `BigInt` holding 5 (the decoder
/// only produces `BigInt` outside the `i64` range, but code can build one anywhere).
///
/// ```
/// use frozenpack::Value;
/// let value = Value::from(vec![Value::from(1), Value::from("a"), Value::from(-0.0)]);
/// assert_eq!(value.to_string(), "(1, 'a', -0.0)");
/// assert_ne!(Value::from(0.0), Value::from(-0.0));
/// assert_ne!(Value::from(true), Value::from(1));
/// assert!(Value::None < Value::from(false));
/// ```
#[derive(Clone)]
pub enum Value<'a> {
    /// `None`.
    None,
    /// `False` or `True`.
    Bool(bool),
    /// An int in the `i64` range.
    Int(i64),
    /// An int of any size; the decoder uses it for ints outside the `i64` range.
    BigInt(BigInt<Cow<'a, [u8]>>),
    /// A float, every bit kept.
    Float(f64),
    /// A str without surrogate code points.
    Str(Cow<'a, str>),
    /// A str with at least one surrogate code point.
    SurrogateStr(SurrogateStr<Cow<'a, [u8]>>),
    /// Bytes.
    Bytes(Cow<'a, [u8]>),
    /// A tuple.
    Tuple(Tuple<'a>),
}

/// The items of a [`Value::Tuple`]: a `Vec` of values (it dereferences to one) that drops
/// and clones without recursion, so that tuples nested to any depth are safe.
///
/// ```
/// use frozenpack::{Tuple, Value};
/// let mut tuple = Tuple::from(vec![Value::from(1)]);
/// tuple.push(Value::from(2));
/// assert_eq!(Value::from(tuple).to_string(), "(1, 2)");
/// ```
#[derive(Default)]
pub struct Tuple<'a>(Vec<Value<'a>>);

impl<'a> Tuple<'a> {
    /// An empty tuple.
    ///
    /// ```
    /// assert!(frozenpack::Tuple::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Tuple(Vec::new())
    }

    /// The items.
    ///
    /// ```
    /// let tuple = frozenpack::Tuple::from(vec![frozenpack::Value::None]);
    /// assert_eq!(tuple.into_vec(), vec![frozenpack::Value::None]);
    /// ```
    pub fn into_vec(mut self) -> Vec<Value<'a>> {
        core::mem::take(&mut self.0)
    }
}

impl<'a> Deref for Tuple<'a> {
    type Target = Vec<Value<'a>>;
    fn deref(&self) -> &Vec<Value<'a>> {
        &self.0
    }
}

impl DerefMut for Tuple<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Tuple<'_> {
    fn drop(&mut self) {
        deep::drop_items(&mut self.0);
    }
}

impl Clone for Tuple<'_> {
    fn clone(&self) -> Self {
        Tuple(deep::clone_items(&self.0))
    }
}

impl<'a> From<Vec<Value<'a>>> for Tuple<'a> {
    fn from(items: Vec<Value<'a>>) -> Self {
        Tuple(items)
    }
}

impl<'a> FromIterator<Value<'a>> for Tuple<'a> {
    fn from_iter<I: IntoIterator<Item = Value<'a>>>(iter: I) -> Self {
        Tuple(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for Tuple<'a> {
    type Item = Value<'a>;
    type IntoIter = std::vec::IntoIter<Value<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl<'t, 'a> IntoIterator for &'t Tuple<'a> {
    type Item = &'t Value<'a>;
    type IntoIter = core::slice::Iter<'t, Value<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Debug for Tuple<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<'b> PartialEq<Tuple<'b>> for Tuple<'_> {
    fn eq(&self, other: &Tuple<'b>) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Tuple<'_> {}

impl Nested for Value<'_> {
    fn items(&self) -> Option<&[Self]> {
        match self {
            Value::Tuple(t) => Some(&t.0),
            _ => None,
        }
    }

    fn items_mut(&mut self) -> Option<&mut Vec<Self>> {
        match self {
            Value::Tuple(t) => Some(&mut t.0),
            _ => None,
        }
    }

    fn from_items(items: Vec<Self>) -> Self {
        Value::Tuple(Tuple(items))
    }

    fn clone_shallow(&self) -> Self {
        match self {
            Value::Tuple(t) => {
                debug_assert!(t.is_empty());
                Value::Tuple(Tuple::new())
            }
            leaf => leaf.clone(),
        }
    }

    #[inline]
    fn placeholder() -> Self {
        Value::None
    }

    #[inline]
    fn owns_nothing(&self) -> bool {
        match self {
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) => true,
            Value::Str(s) => matches!(s, Cow::Borrowed(_)),
            Value::Bytes(b) => matches!(b, Cow::Borrowed(_)),
            Value::SurrogateStr(s) => matches!(s.storage(), Cow::Borrowed(_)),
            // (`BigInt` does not show its storage; dropping it the ordinary way is correct.)
            Value::BigInt(_) => false,
            Value::Tuple(t) => t.capacity() == 0,
        }
    }
}

impl ValueTree for Value<'_> {
    fn as_value_ref(&self) -> ValueRef<'_, Self> {
        match self {
            Value::None => ValueRef::None,
            Value::Bool(b) => ValueRef::Bool(*b),
            Value::Int(v) => ValueRef::Int(*v),
            Value::BigInt(big) => ValueRef::BigInt(big.as_borrowed()),
            Value::Float(x) => ValueRef::Float(*x),
            Value::Str(s) => ValueRef::Str(s),
            Value::SurrogateStr(s) => ValueRef::SurrogateStr(s.as_borrowed()),
            Value::Bytes(b) => ValueRef::Bytes(b),
            Value::Tuple(t) => ValueRef::Tuple(&t.0),
        }
    }
}

impl<'a> Value<'a> {
    /// The str of these code points: a [`Str`](Value::Str) when none is a surrogate, else a
    /// [`SurrogateStr`](Value::SurrogateStr) (the one canonical choice, spec §5 rule 3).
    ///
    /// ```
    /// use frozenpack::Value;
    /// assert_eq!(Value::from_code_points([0x68, 0x69])?, Value::from("hi"));
    /// assert_eq!(Value::from_code_points([0xd800])?.to_string(), r"'\ud800'");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn from_code_points<I: IntoIterator<Item = u32>>(
        code_points: I,
    ) -> Result<Value<'static>, SurrogateStrError> {
        let (text, has_surrogate) = sstr::encode_code_points(code_points)?;
        if has_surrogate {
            return Ok(Value::SurrogateStr(
                SurrogateStr::from_validated_unchecked(text).into(),
            ));
        }
        match String::from_utf8(text) {
            Ok(text) => Ok(Value::Str(Cow::Owned(text))),
            Err(_) => unreachable!("generalized UTF-8 without a surrogate is UTF-8"),
        }
    }

    /// The str whose generalized UTF-8 is `text`, borrowing it: a [`Str`](Value::Str) when
    /// it has no surrogate, else a [`SurrogateStr`](Value::SurrogateStr).
    ///
    /// ```
    /// use frozenpack::Value;
    /// assert_eq!(Value::from_generalized_utf8(b"ok")?, Value::from("ok"));
    /// assert!(matches!(Value::from_generalized_utf8(b"\xed\xa0\x80")?, Value::SurrogateStr(_)));
    /// assert!(Value::from_generalized_utf8(b"\xff").is_err());
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn from_generalized_utf8(text: &'a [u8]) -> Result<Value<'a>, SurrogateStrError> {
        match SurrogateStr::from_generalized_utf8(text) {
            Ok(s) => Ok(Value::SurrogateStr(s.into())),
            // Generalized UTF-8 without a surrogate is UTF-8.
            Err(SurrogateStrError::NoSurrogate) => Ok(Value::Str(Cow::Borrowed(
                core::str::from_utf8(text).map_err(|e| {
                    SurrogateStrError::InvalidGeneralizedUtf8 {
                        valid_up_to: e.valid_up_to(),
                    }
                })?,
            ))),
            Err(e) => Err(e),
        }
    }

    /// The same value, owning all its data (no borrow of the input is left).
    ///
    /// ```
    /// let input = b"\xb1\x83abc".to_vec();
    /// let owned = frozenpack::decode_value(&input)?.into_owned();
    /// drop(input);
    /// assert_eq!(owned.to_string(), "('abc',)");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn into_owned(self) -> Value<'static> {
        deep::map_tree(
            self,
            |leaf| match leaf {
                Value::None => Value::None,
                Value::Bool(b) => Value::Bool(b),
                Value::Int(v) => Value::Int(v),
                Value::BigInt(big) => Value::BigInt(big.into_owned()),
                Value::Float(x) => Value::Float(x),
                Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
                Value::SurrogateStr(s) => Value::SurrogateStr(s.into_owned()),
                Value::Bytes(b) => Value::Bytes(Cow::Owned(b.into_owned())),
                Value::Tuple(_) => unreachable!("tuples are converted by map_tree"),
            },
            |items| Value::Tuple(Tuple(items)),
        )
    }

    /// The kind's name as spec §1 spells it: `none`, `bool`, `int`, `float`, `str`, `bytes`
    /// or `tuple`.
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from(u128::MAX).kind_name(), "int");
    /// ```
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::None => "none",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) | Value::SurrogateStr(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "tuple",
        }
    }

    /// Whether this is `None`.
    ///
    /// ```
    /// assert!(frozenpack::Value::None.is_none());
    /// ```
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The bool, if this is one.
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from(true).as_bool(), Some(true));
    /// assert_eq!(frozenpack::Value::from(1).as_bool(), None);
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The int, if this is an int in the `i64` range (in either variant).
    ///
    /// ```
    /// use frozenpack::{BigInt, Value};
    /// assert_eq!(Value::from(-5).as_i64(), Some(-5));
    /// assert_eq!(Value::BigInt(BigInt::from(7u8).into()).as_i64(), Some(7));
    /// assert_eq!(Value::from(u64::MAX).as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            Value::BigInt(big) => i64::try_from(big).ok(),
            _ => None,
        }
    }

    /// The float, if this is one.
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from(1.5).as_f64(), Some(1.5));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            _ => None,
        }
    }

    /// The str, if this is a str without surrogates.
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from("x").as_str(), Some("x"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a bytes value.
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from(&b"\x00"[..]).as_bytes(), Some(&b"\x00"[..]));
    /// ```
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The items, if this is a tuple.
    ///
    /// ```
    /// let value = frozenpack::Value::from(vec![frozenpack::Value::None]);
    /// assert_eq!(value.as_tuple().map(|items| items.len()), Some(1));
    /// ```
    pub fn as_tuple(&self) -> Option<&[Value<'a>]> {
        match self {
            Value::Tuple(t) => Some(&t.0),
            _ => None,
        }
    }

    /// The depth of spec §1: 0 for everything but a tuple, 1 + the deepest item for a tuple.
    ///
    /// ```
    /// let value = frozenpack::decode_value(b"\xb2\x01\xb1\xb0")?; // (1, ((),))
    /// assert_eq!(value.depth(), 3);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn depth(&self) -> usize {
        walk::depth(self)
    }

    /// The canonical encoding (the same as [`encode_value`](crate::encode_value)).
    ///
    /// ```
    /// assert_eq!(frozenpack::Value::from(1000).to_vec(), b"\xc5\xe8\x03");
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        crate::encode_value(self)
    }
}

impl fmt::Display for Value<'_> {
    /// Python literal syntax, as `repr()` shows the same Python value: `None`, `True`, `12`,
    /// `1.5`, `-0.0`, `'text'` with Python's escapes (`'\ud800'` for a lone surrogate),
    /// `b'\x00'`, `(1,)`, `()`. Non-finite floats are written as the expressions that make
    /// them: `float('inf')`, `float('nan')`, and for a NaN with other bits
    /// `struct.unpack('>d', bytes.fromhex('7ff8000000000001'))[0]`.
    ///
    /// ```
    /// let value = frozenpack::decode_value(b"\xb3\xc0\xdc\x03\xed\xa0\x80\xa1\x00")?;
    /// assert_eq!(value.to_string(), r"(None, '\ud800', b'\x00')");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display::fmt_python(self, f)
    }
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display::fmt_debug(self, f)
    }
}

impl<'b> PartialEq<Value<'b>> for Value<'_> {
    fn eq(&self, other: &Value<'b>) -> bool {
        walk::compare(self, other) == Ordering::Equal
    }
}

impl Eq for Value<'_> {}

impl<'b> PartialOrd<Value<'b>> for Value<'_> {
    fn partial_cmp(&self, other: &Value<'b>) -> Option<Ordering> {
        Some(walk::compare(self, other))
    }
}

impl Ord for Value<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        walk::compare(self, other)
    }
}

impl Hash for Value<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        walk::hash(self, state);
    }
}

impl PartialEq<SharedValue> for Value<'_> {
    fn eq(&self, other: &SharedValue) -> bool {
        walk::compare(self, other) == Ordering::Equal
    }
}

impl PartialEq<Value<'_>> for SharedValue {
    fn eq(&self, other: &Value<'_>) -> bool {
        walk::compare(self, other) == Ordering::Equal
    }
}

#[cfg(test)]
mod tests;
