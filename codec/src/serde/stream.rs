//! Deserializing a sequence of values (spec §9), one `T` each.

use core::iter::FusedIterator;
use core::marker::PhantomData;

use ::serde::Deserialize;

use super::de::Deserializer;
use super::error::SerdeError;
use crate::decode::DecodeOptions;

/// An iterator over a sequence of concatenated encodings (spec §9), deserializing each as a
/// `T`; from [`iter_from_slice`](crate::iter_from_slice).
///
/// It ends when the input does and stops after the first error, whose offset counts from
/// the start of the whole input. [`offset`](StreamDeserializer::offset) is where the next
/// value starts (after an error, where the failed one started).
///
/// ```
/// let mut values = frozenpack::iter_from_slice::<(u8, &str)>(b"\xb2\x01\x81a\xb2\x02\x80\x03");
/// assert_eq!(values.next().unwrap()?, (1, "a"));
/// assert_eq!(values.next().unwrap()?, (2, ""));
/// assert_eq!(values.offset(), 7);
/// let err = values.next().unwrap().unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: int 3, expected tuple of 2 items at offset 7");
/// assert!(values.next().is_none());
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub struct StreamDeserializer<'de, T> {
    de: Deserializer<'de>,
    start: usize,
    finished: bool,
    output: PhantomData<fn() -> T>,
}

impl<T> core::fmt::Debug for StreamDeserializer<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StreamDeserializer")
            .field("offset", &self.start)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<'de, T: Deserialize<'de>> StreamDeserializer<'de, T> {
    /// A stream over `input`, with `options` (the depth limit applies to each value).
    ///
    /// ```
    /// use frozenpack::{DecodeOptions, StreamDeserializer};
    /// let values: Vec<u8> = StreamDeserializer::new(b"\x01\x02", &DecodeOptions::new())
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(values, [1, 2]);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn new(input: &'de [u8], options: &DecodeOptions) -> Self {
        StreamDeserializer {
            de: Deserializer::with_options(input, 0, options),
            start: 0,
            finished: false,
            output: PhantomData,
        }
    }

    /// Where the next value starts (after an error: where the failed value started).
    ///
    /// ```
    /// let mut values = frozenpack::iter_from_slice::<u8>(b"\x01\x02");
    /// values.next();
    /// assert_eq!(values.offset(), 1);
    /// ```
    pub fn offset(&self) -> usize {
        self.start
    }

    fn read(&mut self) -> Result<T, SerdeError> {
        let value = T::deserialize(&mut self.de)?;
        self.de.value_done()?;
        Ok(value)
    }
}

impl<'de, T: Deserialize<'de>> Iterator for StreamDeserializer<'de, T> {
    type Item = Result<T, SerdeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        if self.de.is_at_end() {
            self.finished = true;
            return None;
        }
        let result = self.read();
        match result {
            Ok(_) => {
                self.de.restart();
                self.start = self.de.offset();
            }
            Err(_) => self.finished = true,
        }
        Some(result)
    }
}

impl<'de, T: Deserialize<'de>> FusedIterator for StreamDeserializer<'de, T> {}
