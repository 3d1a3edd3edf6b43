//! The decoder: spec §6, once, for every client of the crate.
//!
//! # Design: one grammar, read item by item
//!
//! The grammar of one item — the tag table, the fixed parts and length fields, the canonical
//! checks and the order of spec §6, every error with its kind and offset — is written once,
//! in the private `parse` module: a cursor reads one item and hands it to a *sink*, a method
//! per kind of item. Each client is a sink plus its own bookkeeping of open tuples:
//!
//! * [`Reader`], the public *pull* reader: the caller asks for the next [`Event`] — a leaf
//!   (`None`, `Bool`, `Int`, `BigInt`, `Float`, `Str`, `SurrogateStr`, `Bytes`),
//!   `TupleStart(count)` or `TupleEnd` — and the reader reads exactly one item to answer,
//!   keeping a stack of the open tuples' counts to know where each ends. A Python extension
//!   builds objects from it: `TupleStart(count)` gives the count before any item, so it can
//!   allocate each tuple at its final size and fill its slots in order, with its own explicit
//!   stack of (tuple, next slot) — never recursing into Python.
//! * the [`Value`] and [`SharedValue`](crate::SharedValue) builders: each item becomes a
//!   node as it is read (no `Event` in between), kept in a stack of open tuples being
//!   filled, whose counts are the only bookkeeping there is;
//! * the serde [`Deserializer`](crate::Deserializer): serde's typed calls ask for the next
//!   item when a visitor wants it (pull), and each hands the grammar a sink for the one kind
//!   it wants, so `deserialize_i64` reads its tag and its int in one step. serde recurses once
//!   per level anyway, so the enclosing tuples' counts live in the visitors' native frames.
//!
//! Sharing the grammar but not the bookkeeping is what made each path fast (instruction
//! counts in `BENCHMARKS.md`); what keeps them in step is that they agree on every input:
//! the conformance vectors, a property test over mutated encodings under several depth
//! limits (`strategy/tests.rs`), and the fuzz targets compare them.
//!
//! # What every path guarantees
//!
//! * The checks of spec §6 in its order, so every input gives the spec's error kind and
//!   offset (offsets count from the start of the whole input, also for prefix and sequence
//!   decoding).
//! * Zero-copy: str, bytes, SSTR and BIGINT payloads are slices of the input.
//! * No recursion: open tuples are a heap stack, so any configured depth limit is safe for
//!   the native stack; that stack never outgrows the input.
//! * Every length and count is checked against the octets that remain before anything is
//!   reserved for it (spec §6 step 6, §8).
//! * No panic, whatever the input (the crate lints these modules for it), and every verdict
//!   on a str payload comes from one validation pass (see the private `text` module), so
//!   even memory that changes while it is read gives a value or an error.
//!
//! The per-item fixed-width reads (tag, FLOAT, INT*k*, short payloads) are plain slice reads;
//! length fields are nom's little-endian number parsers.

mod build;
mod event;
mod parse;
mod reader;
mod stream;

pub(crate) use build::{build, Builder};
pub use event::Event;
pub use parse::{Cursor, Sink};
pub(crate) use parse::Events;
pub use reader::Reader;
pub use stream::Stream;

use bytes::Bytes;

use crate::error::{Detail, Error};
use crate::value::{BorrowBuilder, SharedBuilder, SharedValue, Value};

/// The depth limit *D* of spec §8 that decoders use unless configured otherwise.
///
/// ```
/// assert_eq!(frozenpack::DEFAULT_MAX_DEPTH, 1000);
/// ```
pub const DEFAULT_MAX_DEPTH: usize = 1000;

/// Decoding options: for now, the depth limit.
///
/// The reader is iterative, so any limit is safe for the native stack, including
/// `usize::MAX` (no limit beyond the input's length).
///
/// ```
/// use frozenpack::{DecodeOptions, ErrorKind};
/// let shallow = DecodeOptions::new().with_max_depth(1);
/// assert!(shallow.decode(b"\xb1\xc0").is_ok());
/// assert_eq!(shallow.decode(b"\xb1\xb0").unwrap_err().kind(), ErrorKind::DepthExceeded);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    max_depth: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions::new()
    }
}

impl DecodeOptions {
    /// The defaults: depth limit [`DEFAULT_MAX_DEPTH`].
    ///
    /// ```
    /// assert_eq!(frozenpack::DecodeOptions::new().max_depth(), 1000);
    /// ```
    pub const fn new() -> Self {
        DecodeOptions {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// The same options with depth limit `max_depth`: the greatest level at which a tuple may
    /// stand (0 rejects every tuple).
    ///
    /// ```
    /// let options = frozenpack::DecodeOptions::new().with_max_depth(100_000);
    /// assert_eq!(options.max_depth(), 100_000);
    /// ```
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The depth limit.
    ///
    /// ```
    /// assert_eq!(frozenpack::DecodeOptions::default().max_depth(), frozenpack::DEFAULT_MAX_DEPTH);
    /// ```
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// A [`Reader`] over the value at `offset` of `input`.
    ///
    /// # Panics
    ///
    /// If `offset > input.len()`.
    ///
    /// ```
    /// let mut reader = frozenpack::DecodeOptions::new().reader(b"\xc2", 0);
    /// assert_eq!(reader.next_event()?, Some(frozenpack::Event::Bool(true)));
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn reader<'de>(&self, input: &'de [u8], offset: usize) -> Reader<'de> {
        Reader::with_options(input, offset, self)
    }

    /// Decodes the whole of `input` as one value (spec §6 "Whole-input decoding"): octets
    /// after it are `trailing_bytes`.
    ///
    /// ```
    /// let options = frozenpack::DecodeOptions::new();
    /// assert_eq!(options.decode(b"\x81a")?, frozenpack::Value::from("a"));
    /// assert_eq!(options.decode(b"\x05\x06").unwrap_err().to_string(),
    ///            "trailing_bytes at offset 1: 1 octet follows the value");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn decode<'de>(&self, input: &'de [u8]) -> Result<Value<'de>, Error> {
        let mut cursor = cursor_at(input, 0);
        let value = build(&mut cursor, 0, self.max_depth, &mut BorrowBuilder)?;
        whole(&cursor)?;
        Ok(value)
    }

    /// Decodes the value at `offset` of `input` (spec §6 "Prefix decoding"), returning it and
    /// the offset just past it; octets after it are left alone.
    ///
    /// # Panics
    ///
    /// If `offset > input.len()`.
    ///
    /// ```
    /// let options = frozenpack::DecodeOptions::new();
    /// let (value, end) = options.decode_prefix(b"\x01\x82hi\x03", 1)?;
    /// assert_eq!((value, end), (frozenpack::Value::from("hi"), 4));
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn decode_prefix<'de>(
        &self,
        input: &'de [u8],
        offset: usize,
    ) -> Result<(Value<'de>, usize), Error> {
        let mut cursor = cursor_at(input, offset);
        let value = build(&mut cursor, 0, self.max_depth, &mut BorrowBuilder)?;
        Ok((value, cursor.offset()))
    }

    /// An iterator over the sequence of values in `input` (spec §9).
    ///
    /// ```
    /// let options = frozenpack::DecodeOptions::new().with_max_depth(1);
    /// let values: Result<Vec<_>, _> = options.decode_stream(b"\xb1\xc0\xb1\xb0").collect();
    /// assert_eq!(values.unwrap_err().offset(), 3);
    /// ```
    pub fn decode_stream<'de>(&self, input: &'de [u8]) -> Stream<'de> {
        Stream::new(input, self)
    }

    /// Decodes the whole of `input` into a [`SharedValue`] whose str, bytes, BIGINT and SSTR
    /// payloads are zero-copy slices of `input` (they keep its buffer alive).
    ///
    /// ```
    /// let input = bytes::Bytes::from_static(b"\xb1\x85hello");
    /// let value = frozenpack::DecodeOptions::new().decode_shared(&input)?;
    /// assert_eq!(value.to_string(), "('hello',)");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn decode_shared(&self, input: &Bytes) -> Result<SharedValue, Error> {
        let mut cursor = cursor_at(input, 0);
        let value = build(&mut cursor, 0, self.max_depth, &mut SharedBuilder::new(input))?;
        whole(&cursor)?;
        Ok(value)
    }

    /// Like [`decode_prefix`](DecodeOptions::decode_prefix), into a [`SharedValue`].
    ///
    /// # Panics
    ///
    /// If `offset > input.len()`.
    ///
    /// ```
    /// let input = bytes::Bytes::from_static(b"\x01\xa1\xff");
    /// let (value, end) = frozenpack::DecodeOptions::new().decode_shared_prefix(&input, 1)?;
    /// assert_eq!((value.to_string(), end), ("b'\\xff'".to_string(), 3));
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn decode_shared_prefix(
        &self,
        input: &Bytes,
        offset: usize,
    ) -> Result<(SharedValue, usize), Error> {
        let mut cursor = cursor_at(input, offset);
        let value = build(&mut cursor, 0, self.max_depth, &mut SharedBuilder::new(input))?;
        Ok((value, cursor.offset()))
    }
}

/// `trailing_bytes` unless the value just read ended at the end of the input (`cursor` is
/// just past it).
#[inline]
pub(crate) fn whole(cursor: &Cursor<'_>) -> Result<(), Error> {
    match cursor.rest().len() {
        0 => Ok(()),
        count => Err(trailing_bytes(cursor.offset(), count)),
    }
}

#[cold]
#[inline(never)]
fn trailing_bytes(end: usize, count: usize) -> Error {
    Error::new(end, Detail::TrailingBytes { count })
}

/// A cursor at `offset` of `input`, for the public constructors that take an offset and
/// document that they panic past the input's end.
#[inline]
pub(crate) fn cursor_at(input: &[u8], offset: usize) -> Cursor<'_> {
    match Cursor::new(input, offset) {
        Some(cursor) => cursor,
        None => offset_past_end(offset, input.len()),
    }
}

/// The documented panic of every constructor given an offset past the input's end (a
/// caller's bug, like an out-of-range index; the Python extension checks offsets first).
#[cold]
#[inline(never)]
#[track_caller]
#[allow(clippy::panic)] // The one deliberate panic of the decoder, documented under "Panics".
fn offset_past_end(offset: usize, len: usize) -> ! {
    panic!("offset {offset} is past the input's end ({len})")
}

/// Decodes the whole of `input` as one [`Value`], with the default options: the direct
/// path, without serde (the same as `DecodeOptions::new().decode(input)`).
///
/// Strings and bytes in the result borrow from `input`.
///
/// ```
/// let value = frozenpack::decode_value(b"\xb2\x01\x83abc")?;
/// assert_eq!(value.to_string(), "(1, 'abc')");
/// # Ok::<(), frozenpack::Error>(())
/// ```
pub fn decode_value(input: &[u8]) -> Result<Value<'_>, Error> {
    DecodeOptions::new().decode(input)
}

/// Decodes the [`Value`] at `offset` of `input` with the default options, returning it and
/// the offset just past it (the same as `DecodeOptions::new().decode_prefix(input, offset)`).
///
/// # Panics
///
/// If `offset > input.len()`.
///
/// ```
/// let (value, end) = frozenpack::decode_value_prefix(b"\xc2\xc1", 0)?;
/// assert_eq!((value, end), (frozenpack::Value::Bool(true), 1));
/// # Ok::<(), frozenpack::Error>(())
/// ```
pub fn decode_value_prefix(input: &[u8], offset: usize) -> Result<(Value<'_>, usize), Error> {
    DecodeOptions::new().decode_prefix(input, offset)
}

/// An iterator over the sequence of [`Value`]s in `input` (spec §9), with the default
/// options (the same as `DecodeOptions::new().decode_stream(input)`).
///
/// ```
/// let values: Vec<_> = frozenpack::decode_values(b"\x01\x02\x03").collect::<Result<_, _>>()?;
/// assert_eq!(values.len(), 3);
/// assert!(frozenpack::decode_values(b"").next().is_none());
/// # Ok::<(), frozenpack::Error>(())
/// ```
pub fn decode_values(input: &[u8]) -> Stream<'_> {
    DecodeOptions::new().decode_stream(input)
}
