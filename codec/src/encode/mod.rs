//! The encoder: spec §4, once, for every client of the crate.
//!
//! [`Writer`] is the one encoder: a method per value kind, each writing that item's
//! canonical encoding to an [`Output`] (any [`bytes::BufMut`], including `Vec<u8>` and
//! `BytesMut`). [`encode_value`], [`encode_value_to_writer`] and [`encoded_len`] run it over
//! a whole [`ValueTree`]; the serde [`Serializer`](crate::Serializer) (and a Python
//! extension) drive the same `Writer` item by item, announcing each tuple's length in its
//! header.

mod output;
mod writer;

pub use output::Output;
pub use writer::{Incomplete, Writer};

use std::io;

use crate::value::{ValueRef, ValueTree};
use output::Counter;
pub(crate) use output::{IoOutput, VecOut};

/// The canonical encoding of `value`, in a new `Vec`: the direct path for value trees,
/// without serde, for any depth.
///
/// The `Vec` starts at a size guessed from the root alone (exact for a leaf, 8 octets per
/// item for a tuple) and doubles as it needs, like any `Vec`; room beyond twice the length
/// (and beyond 4 KiB) is given back at the end. (Measuring the value exactly first, as
/// [`encoded_len`] does, is a second walk of the whole tree: it cost a third of the
/// instructions of encoding 10,000 rows, more than the reallocations it saves; see
/// `BENCHMARKS.md`.)
///
/// ```
/// use frozenpack::Value;
/// let value = Value::from(vec![Value::from(42), Value::from(3.14), Value::from("abc"), Value::None]);
/// assert_eq!(frozenpack::encode_value(&value), b"\xb4\x2a\xc3\x1f\x85\xeb\x51\xb8\x1e\x09\x40\x83abc\xc0");
/// ```
pub fn encode_value<T: ValueTree>(value: &T) -> Vec<u8> {
    let mut writer = Writer::new(VecOut(Vec::with_capacity(first_guess(value))));
    writer.write_value(value);
    let VecOut(mut out) = writer.into_inner();
    /// Spare room not worth a reallocation to give back.
    const KEEP: usize = 4096;
    if out.capacity().saturating_sub(out.len()) > out.len().max(KEEP) {
        out.shrink_to_fit();
    }
    out
}

/// The room [`encode_value`] starts with, from the root node alone: for a leaf its exact
/// size, for a tuple 8 octets per item (rows of a few scalars and a short str take 5 to 10)
/// and 64 for the header and small tuples.
fn first_guess<T: ValueTree>(value: &T) -> usize {
    const PER_ITEM: usize = 8;
    const BASE: usize = 64;
    match value.as_value_ref() {
        ValueRef::Tuple(items) => items.len().saturating_mul(PER_ITEM).saturating_add(BASE),
        _ => encoded_len(value),
    }
}

/// Writes the canonical encoding of `value` to `out`, through an internal buffer (so `out`
/// need not be buffered).
///
/// # Errors
///
/// The first error `out` reports; encoding stops writing after it.
///
/// ```
/// let mut out = Vec::new();
/// frozenpack::encode_value_to_writer(&mut out, &frozenpack::Value::from(&b"\x00\xff"[..]))?;
/// assert_eq!(out, b"\xa2\x00\xff");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn encode_value_to_writer<W: io::Write, T: ValueTree>(out: W, value: &T) -> io::Result<()> {
    let mut writer = Writer::new(IoOutput::new(out));
    writer.write_value(value);
    writer.into_inner().finish()
}

/// The exact length of `value`'s canonical encoding, without producing it.
///
/// ```
/// let value = frozenpack::Value::from("x".repeat(300));
/// assert_eq!(frozenpack::encoded_len(&value), 3 + 300);
/// assert_eq!(frozenpack::encoded_len(&value), frozenpack::encode_value(&value).len());
/// ```
pub fn encoded_len<T: ValueTree>(value: &T) -> usize {
    let mut counter = Writer::new(Counter::default());
    counter.write_value(value);
    counter.into_inner().0
}
