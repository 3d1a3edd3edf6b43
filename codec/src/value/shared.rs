//! [`SharedValue`]: an owned value tree whose payloads are slices of reference-counted
//! [`Bytes`] buffers, so a value decoded from a `Bytes` copies no payload and outlives no
//! borrow.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};

use bytes::Bytes;

use super::deep::{self, Nested};
use super::tree::{ValueRef, ValueTree};
use super::{display, walk, BigInt, SurrogateStr};
use crate::error::Error;
use crate::DecodeOptions;

/// An owned frozenpack value whose str, bytes, BIGINT and SSTR payloads are [`Bytes`]
/// handles: decoding from a `Bytes` makes every payload a zero-copy slice of it
/// ([`Bytes::slice_ref`]), and the value keeps the buffer alive without a lifetime.
///
/// Equality, order, hashing and `Display` are those of [`Value`](crate::Value), and a
/// `SharedValue` equals the `Value` of the same data.
///
/// ```
/// use bytes::Bytes;
/// use frozenpack::SharedValue;
/// let input = Bytes::from(frozenpack::encode_value(&frozenpack::Value::from(vec![
///     frozenpack::Value::from("zero-copy"),
/// ])));
/// let value = SharedValue::from_bytes(&input)?;
/// let SharedValue::Tuple(items) = &value else { unreachable!() };
/// let SharedValue::Str(text) = &items[0] else { unreachable!() };
/// assert_eq!(text.as_str(), "zero-copy");
/// // The str is a view into the input's buffer, not a copy of it.
/// assert_eq!(text.as_bytes().as_ptr(), input[2..].as_ptr());
/// # Ok::<(), frozenpack::Error>(())
/// ```
#[derive(Clone)]
pub enum SharedValue {
    /// `None`.
    None,
    /// `False` or `True`.
    Bool(bool),
    /// An int in the `i64` range.
    Int(i64),
    /// An int of any size; the decoder uses it for ints outside the `i64` range.
    BigInt(BigInt<Bytes>),
    /// A float, every bit kept.
    Float(f64),
    /// A str without surrogate code points.
    Str(SharedStr),
    /// A str with at least one surrogate code point.
    SurrogateStr(SurrogateStr<Bytes>),
    /// Bytes.
    Bytes(Bytes),
    /// A tuple.
    Tuple(SharedTuple),
}

impl SharedValue {
    /// Decodes the whole of `input` with the default options; payloads are slices of it.
    ///
    /// ```
    /// let value = frozenpack::SharedValue::from_bytes(&bytes::Bytes::from_static(b"\xa2\x00\x01"))?;
    /// assert_eq!(value.to_string(), r"b'\x00\x01'");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn from_bytes(input: &Bytes) -> Result<SharedValue, Error> {
        DecodeOptions::new().decode_shared(input)
    }

    /// The depth of spec §1.
    ///
    /// ```
    /// let value = frozenpack::SharedValue::from_bytes(&bytes::Bytes::from_static(b"\xb1\xb0"))?;
    /// assert_eq!(value.depth(), 2);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn depth(&self) -> usize {
        walk::depth(self)
    }

    /// The canonical encoding.
    ///
    /// ```
    /// let input = bytes::Bytes::from_static(b"\xb1\x81a");
    /// assert_eq!(frozenpack::SharedValue::from_bytes(&input)?.to_vec(), &input[..]);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        crate::encode_value(self)
    }
}

/// A str without surrogates held in [`Bytes`]: UTF-8 by construction.
///
/// ```
/// let s = frozenpack::SharedStr::from("hello");
/// assert_eq!(&*s, "hello");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Bytes);

impl SharedStr {
    /// Wraps octets the decoder has validated as UTF-8.
    pub(crate) fn from_utf8_unchecked_bytes(octets: Bytes) -> Self {
        debug_assert!(core::str::from_utf8(&octets).is_ok());
        SharedStr(octets)
    }

    /// Wraps `octets` if they are UTF-8.
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(frozenpack::SharedStr::from_utf8(Bytes::from_static(b"ok")).is_ok());
    /// assert!(frozenpack::SharedStr::from_utf8(Bytes::from_static(b"\xff")).is_err());
    /// ```
    pub fn from_utf8(octets: Bytes) -> Result<Self, core::str::Utf8Error> {
        core::str::from_utf8(&octets)?;
        Ok(SharedStr(octets))
    }

    /// The text.
    ///
    /// ```
    /// assert_eq!(frozenpack::SharedStr::from(String::from("x")).as_str(), "x");
    /// ```
    #[allow(unsafe_code)]
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor checks that the octets are UTF-8 (the decoder's builder
        // after validating the payload, `from_utf8`, or a `str`/`String`), and `Bytes` is
        // immutable, so they stay UTF-8.
        unsafe { core::str::from_utf8_unchecked(&self.0) }
    }

    /// The UTF-8 octets, as a handle on the same buffer.
    ///
    /// ```
    /// assert_eq!(frozenpack::SharedStr::from("é").as_bytes(), &b"\xc3\xa9"[..]);
    /// ```
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The UTF-8 octets.
    ///
    /// ```
    /// assert_eq!(frozenpack::SharedStr::from("a").into_bytes(), bytes::Bytes::from_static(b"a"));
    /// ```
    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for SharedStr {
    fn from(s: &'static str) -> Self {
        SharedStr(Bytes::from_static(s.as_bytes()))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(Bytes::from(s.into_bytes()))
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The items of a [`SharedValue::Tuple`]; like [`Tuple`](crate::Tuple), it drops and clones
/// without recursion.
///
/// ```
/// let tuple = frozenpack::SharedTuple::from(vec![frozenpack::SharedValue::None]);
/// assert_eq!(tuple.len(), 1);
/// ```
#[derive(Default)]
pub struct SharedTuple(Vec<SharedValue>);

impl SharedTuple {
    /// The items.
    ///
    /// ```
    /// let tuple = frozenpack::SharedTuple::from(vec![frozenpack::SharedValue::Int(1)]);
    /// assert_eq!(tuple.into_vec().len(), 1);
    /// ```
    pub fn into_vec(mut self) -> Vec<SharedValue> {
        core::mem::take(&mut self.0)
    }
}

impl Deref for SharedTuple {
    type Target = Vec<SharedValue>;
    fn deref(&self) -> &Vec<SharedValue> {
        &self.0
    }
}

impl DerefMut for SharedTuple {
    fn deref_mut(&mut self) -> &mut Vec<SharedValue> {
        &mut self.0
    }
}

impl Drop for SharedTuple {
    fn drop(&mut self) {
        deep::drop_items(&mut self.0);
    }
}

impl Clone for SharedTuple {
    fn clone(&self) -> Self {
        SharedTuple(deep::clone_items(&self.0))
    }
}

impl From<Vec<SharedValue>> for SharedTuple {
    fn from(items: Vec<SharedValue>) -> Self {
        SharedTuple(items)
    }
}

impl fmt::Debug for SharedTuple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl Nested for SharedValue {
    fn items(&self) -> Option<&[Self]> {
        match self {
            SharedValue::Tuple(t) => Some(&t.0),
            _ => None,
        }
    }

    fn items_mut(&mut self) -> Option<&mut Vec<Self>> {
        match self {
            SharedValue::Tuple(t) => Some(&mut t.0),
            _ => None,
        }
    }

    fn from_items(items: Vec<Self>) -> Self {
        SharedValue::Tuple(SharedTuple(items))
    }

    fn clone_shallow(&self) -> Self {
        match self {
            SharedValue::Tuple(t) => {
                debug_assert!(t.is_empty());
                SharedValue::Tuple(SharedTuple::default())
            }
            leaf => leaf.clone(),
        }
    }

    #[inline]
    fn placeholder() -> Self {
        SharedValue::None
    }

    #[inline]
    fn owns_nothing(&self) -> bool {
        match self {
            SharedValue::None
            | SharedValue::Bool(_)
            | SharedValue::Int(_)
            | SharedValue::Float(_) => true,
            // A `Bytes` handle is a reference count to release (even an empty one may be).
            SharedValue::Tuple(t) => t.capacity() == 0,
            _ => false,
        }
    }
}

impl ValueTree for SharedValue {
    fn as_value_ref(&self) -> ValueRef<'_, Self> {
        match self {
            SharedValue::None => ValueRef::None,
            SharedValue::Bool(b) => ValueRef::Bool(*b),
            SharedValue::Int(v) => ValueRef::Int(*v),
            SharedValue::BigInt(big) => ValueRef::BigInt(big.as_borrowed()),
            SharedValue::Float(x) => ValueRef::Float(*x),
            SharedValue::Str(s) => ValueRef::Str(s.as_str()),
            SharedValue::SurrogateStr(s) => ValueRef::SurrogateStr(s.as_borrowed()),
            SharedValue::Bytes(b) => ValueRef::Bytes(b),
            SharedValue::Tuple(t) => ValueRef::Tuple(&t.0),
        }
    }
}

impl fmt::Display for SharedValue {
    /// Python literal syntax, as for [`Value`](crate::Value).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display::fmt_python(self, f)
    }
}

impl fmt::Debug for SharedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display::fmt_debug(self, f)
    }
}

impl PartialEq for SharedValue {
    fn eq(&self, other: &Self) -> bool {
        walk::compare(self, other) == Ordering::Equal
    }
}

impl Eq for SharedValue {}

impl PartialOrd for SharedValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedValue {
    fn cmp(&self, other: &Self) -> Ordering {
        walk::compare(self, other)
    }
}

impl Hash for SharedValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        walk::hash(self, state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;
    use std::collections::hash_map::DefaultHasher;

    fn hash_of(v: &impl Hash) -> u64 {
        let mut h = DefaultHasher::new();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn every_payload_is_a_slice_of_the_input() {
        let input = Bytes::from(
            b"\xb4\xd0\x20abcdefghijklmnopqrstuvwxyz012345\xa3xyz\xdc\x03\xed\xa0\x80\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00"
                .to_vec(),
        );
        let value = SharedValue::from_bytes(&input).unwrap();
        let SharedValue::Tuple(items) = &value else {
            panic!("{value:?}")
        };
        let range = input.as_ptr_range();
        let inside = |p: *const u8| range.contains(&p);
        let [SharedValue::Str(s), SharedValue::Bytes(b), SharedValue::SurrogateStr(ss), SharedValue::BigInt(big)] =
            &items[..]
        else {
            panic!("{value:?}")
        };
        assert!(inside(s.as_bytes().as_ptr()));
        assert!(inside(b.as_ptr()));
        assert!(inside(ss.as_generalized_utf8().as_ptr()));
        assert!(inside(big.as_le_bytes().as_ptr()));
        assert_eq!(value.to_vec(), &input[..]);
    }

    #[test]
    fn empty_payloads_need_no_buffer() {
        let input = Bytes::from_static(b"\xb2\x80\xa0");
        assert_eq!(
            SharedValue::from_bytes(&input).unwrap().to_string(),
            "('', b'')"
        );
    }

    #[test]
    fn equals_and_hashes_like_the_borrowed_value() {
        let encoded = b"\xb3\x01\x83abc\xb1\xc3\x00\x00\x00\x00\x00\x00\xf8\x7f";
        let shared = SharedValue::from_bytes(&Bytes::from_static(encoded)).unwrap();
        let borrowed = crate::decode_value(encoded).unwrap();
        assert_eq!(shared, borrowed);
        assert_eq!(borrowed, shared);
        assert_eq!(hash_of(&shared), hash_of(&borrowed));
        assert_eq!(shared.to_string(), "(1, 'abc', (float('nan'),))");
        assert_ne!(shared, Value::None);
    }

    #[test]
    fn errors_are_the_same_as_for_slices() {
        let err = SharedValue::from_bytes(&Bytes::from_static(b"\xb1\xc4\x05")).unwrap_err();
        assert_eq!((err.kind().as_str(), err.offset()), ("non_canonical", 1));
    }
}
