//! The decoder's builders for [`Value`] and [`SharedValue`].

use std::borrow::Cow;

use bytes::Bytes;

use super::{BigInt, SharedStr, SharedTuple, SharedValue, SurrogateStr, Tuple, Value};
use crate::decode::Builder;

/// Builds a [`Value`] that borrows every payload from the input.
pub(crate) struct BorrowBuilder;

impl<'de> Builder<'de> for BorrowBuilder {
    type Node = Value<'de>;

    #[inline(always)]
    fn none(&mut self) -> Value<'de> {
        Value::None
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) -> Value<'de> {
        Value::Bool(b)
    }
    #[inline(always)]
    fn int(&mut self, v: i64) -> Value<'de> {
        Value::Int(v)
    }
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Value<'de> {
        Value::BigInt(big.into())
    }
    #[inline(always)]
    fn float(&mut self, x: f64) -> Value<'de> {
        Value::Float(x)
    }
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> Value<'de> {
        Value::Str(Cow::Borrowed(s))
    }
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Value<'de> {
        Value::SurrogateStr(s.into())
    }
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> Value<'de> {
        Value::Bytes(Cow::Borrowed(b))
    }
    #[inline(always)]
    fn tuple(&mut self, items: Vec<Value<'de>>) -> Value<'de> {
        Value::Tuple(Tuple::from(items))
    }
}

/// Builds a [`SharedValue`] whose payloads are zero-copy slices of one [`Bytes`] buffer.
pub(crate) struct SharedBuilder<'b> {
    input: &'b Bytes,
}

impl<'b> SharedBuilder<'b> {
    pub(crate) fn new(input: &'b Bytes) -> Self {
        SharedBuilder { input }
    }

    /// The part of the input that `part` (a slice the reader borrowed from it) covers, as
    /// another handle on the same buffer.
    #[inline(never)]
    fn slice(&self, part: &[u8]) -> Bytes {
        // An empty payload may point anywhere (even past the end); it needs no buffer.
        if part.is_empty() {
            return Bytes::new();
        }
        self.input.slice_ref(part)
    }
}

impl<'de> Builder<'de> for SharedBuilder<'_> {
    type Node = SharedValue;

    #[inline(always)]
    fn none(&mut self) -> SharedValue {
        SharedValue::None
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) -> SharedValue {
        SharedValue::Bool(b)
    }
    #[inline(always)]
    fn int(&mut self, v: i64) -> SharedValue {
        SharedValue::Int(v)
    }
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> SharedValue {
        SharedValue::BigInt(BigInt::from_canonical_unchecked(
            self.slice(big.as_le_bytes()),
        ))
    }
    #[inline(always)]
    fn float(&mut self, x: f64) -> SharedValue {
        SharedValue::Float(x)
    }
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> SharedValue {
        SharedValue::Str(SharedStr::from_utf8_unchecked_bytes(
            self.slice(s.as_bytes()),
        ))
    }
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> SharedValue {
        SharedValue::SurrogateStr(SurrogateStr::from_validated_unchecked(
            self.slice(s.as_generalized_utf8()),
        ))
    }
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> SharedValue {
        SharedValue::Bytes(self.slice(b))
    }
    #[inline(always)]
    fn tuple(&mut self, items: Vec<SharedValue>) -> SharedValue {
        SharedValue::Tuple(SharedTuple::from(items))
    }
}
