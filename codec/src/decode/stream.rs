//! Reading a sequence of concatenated values (spec §9).

use core::iter::FusedIterator;

use super::build::build;
use super::{DecodeOptions, Reader};
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
    reader: Reader<'de>,
    /// Where the value being read (or the next one) starts.
    start: usize,
    finished: bool,
}

impl<'de> Stream<'de> {
    pub(crate) fn new(input: &'de [u8], options: &DecodeOptions) -> Self {
        Stream {
            reader: Reader::with_options(input, 0, options),
            start: 0,
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
        self.start
    }
}

impl<'de> Iterator for Stream<'de> {
    type Item = Result<Value<'de>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        if self.reader.offset() == self.reader.input().len() {
            self.finished = true;
            return None;
        }
        let result = build(&mut self.reader, &mut BorrowBuilder);
        match result {
            Ok(_) => {
                self.reader.restart();
                self.start = self.reader.offset();
            }
            Err(_) => self.finished = true,
        }
        Some(result)
    }
}

impl FusedIterator for Stream<'_> {}
