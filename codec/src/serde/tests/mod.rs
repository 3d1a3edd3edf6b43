//! Tests of the serde mapping: every row of the table in both directions with exact bytes,
//! the errors with exact messages and offsets, `Value`'s exactness, and round-trip
//! properties.

mod de;
mod props;
mod ser;
mod value;

use ::serde::{Serialize, Serializer};

/// Bytes that serialize with `serialize_bytes` (what `serde_bytes` does).
#[derive(Debug, PartialEq)]
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// `depth` singleton tuples around none: `b1` × depth, then `c0`.
pub(crate) fn nested(depth: usize) -> Vec<u8> {
    let mut input = vec![0xb1; depth];
    input.push(0xc0);
    input
}
