//! The decoder's builders for [`Value`] and [`SharedValue`].

use std::borrow::Cow;

use bytes::Bytes;

use super::{BigInt, SharedStr, SharedTuple, SharedValue, SurrogateStr, Tuple, Value};
use crate::decode::{Builder, Event};

/// Builds a [`Value`] that borrows every payload from the input.
pub(crate) struct BorrowBuilder;

impl<'de> Builder<'de> for BorrowBuilder {
    type Node = Value<'de>;

    fn leaf(&mut self, event: Event<'de>) -> Value<'de> {
        match event {
            Event::None => Value::None,
            Event::Bool(b) => Value::Bool(b),
            Event::Int(v) => Value::Int(v),
            Event::BigInt(big) => Value::BigInt(big.into()),
            Event::Float(x) => Value::Float(x),
            Event::Str(s) => Value::Str(Cow::Borrowed(s)),
            Event::SurrogateStr(s) => Value::SurrogateStr(s.into()),
            Event::Bytes(b) => Value::Bytes(Cow::Borrowed(b)),
            Event::TupleStart(_) | Event::TupleEnd => {
                unreachable!("tuples are built by decode::build")
            }
        }
    }

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

    fn leaf(&mut self, event: Event<'de>) -> SharedValue {
        match event {
            Event::None => SharedValue::None,
            Event::Bool(b) => SharedValue::Bool(b),
            Event::Int(v) => SharedValue::Int(v),
            Event::BigInt(big) => SharedValue::BigInt(BigInt::from_canonical_unchecked(
                self.slice(big.as_le_bytes()),
            )),
            Event::Float(x) => SharedValue::Float(x),
            Event::Str(s) => SharedValue::Str(SharedStr::from_utf8_unchecked_bytes(
                self.slice(s.as_bytes()),
            )),
            Event::SurrogateStr(s) => SharedValue::SurrogateStr(
                SurrogateStr::from_validated_unchecked(self.slice(s.as_generalized_utf8())),
            ),
            Event::Bytes(b) => SharedValue::Bytes(self.slice(b)),
            Event::TupleStart(_) | Event::TupleEnd => {
                unreachable!("tuples are built by decode::build")
            }
        }
    }

    fn tuple(&mut self, items: Vec<SharedValue>) -> SharedValue {
        SharedValue::Tuple(SharedTuple::from(items))
    }
}
