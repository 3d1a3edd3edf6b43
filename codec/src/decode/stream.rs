//! Reading a sequence of concatenated values (spec §9).

use core::iter::FusedIterator;

use super::build::build;
use super::parse::Cursor;
use super::DecodeOptions;
use crate::error::Error;
use crate::value::{BorrowBuilder, Value};

/// An iterator over the values of a sequence: zero or more encodings back to back.
///
/// It yields each value in turn, ends when the input does, and stops after the first error
/// (whose offset counts from the start of the whole input). A `truncated` error means the
/// input stops inside a value; [`offset`](Stream::offset) tells where that value began, so a
/// reader receiving the stream in pieces can wait for more octets and start again there.
///
/// ```
/// let mut values = frozenpack::decode_values(b"\x01\x81a\xb0\xc4");
/// assert_eq!(values.next().unwrap()?, frozenpack::Value::Int(1));
/// assert_eq!(values.next().unwrap()?, frozenpack::Value::from("a"));
/// assert_eq!(values.next().unwrap()?, frozenpack::Value::from(Vec::<frozenpack::Value>::new()));
/// assert_eq!(values.offset(), 4);
/// let err = values.next().unwrap().unwrap_err();
/// assert_eq!((err.kind().as_str(), err.offset()), ("truncated", 5));
/// assert!(values.next().is_none());
/// # Ok::<(), frozenpack::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Stream<'de> {
    /// Where the next value starts (after an error: where the failed value started).
    cursor: Cursor<'de>,
    max_depth: usize,
    finished: bool,
}

impl<'de> Stream<'de> {
    pub(crate) fn new(input: &'de [u8], options: &DecodeOptions) -> Self {
        Stream {
            cursor: super::cursor_at(input, 0),
            max_depth: options.max_depth(),
            finished: false,
        }
    }

    /// Where the next value starts (after an error: where the failed value started).
    ///
    /// ```
    /// let mut values = frozenpack::decode_values(b"\x01\x02");
    /// values.next();
    /// assert_eq!(values.offset(), 1);
    /// ```
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }
}

impl<'de> Iterator for Stream<'de> {
    type Item = Result<Value<'de>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished || self.cursor.is_at_end() {
            self.finished = true;
            return None;
        }
        // On an error the cursor stays where the failed value started.
        let result = build(&mut self.cursor, 0, self.max_depth, &mut BorrowBuilder);
        self.finished = result.is_err();
        Some(result)
    }
}

impl FusedIterator for Stream<'_> {}
