//! serde over an [`io::Read`]: [`from_reader`], [`Deserializer::from_reader`] and
//! [`IoDeserializer::into_iter`].
//!
//! Each value's octets are read exactly (the stream module's framing: nothing past the value
//! is consumed), then deserialized by the crate's slice [`Deserializer`], so every check and
//! every mapping rule is the one `from_slice` applies. Offsets in errors count from the first
//! octet read from the source.

use core::cell::RefCell;
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use std::io::{self, Read};

use ::serde::de::{self, DeserializeOwned, Visitor};

use super::de::Deserializer;
use super::error::{SerdeError, SerdeErrorKind};
use crate::decode::DecodeOptions;
use crate::error::{Detail, Error};
use crate::stream::{FrameReader, StreamError};

/// Deserializes a `T` from the next value of `reader`, leaving `reader` just after it.
///
/// Unlike [`from_slice`](crate::from_slice) (and serde_json's `from_reader`), what follows the
/// value is not looked at: it stays in `reader` for the next read — the convention of a
/// stream of values, as in rmp-serde and ciborium. To require that the value is all there
/// is, use [`Deserializer::from_reader`] and [`IoDeserializer::end`].
///
/// The reader is read in small pieces, never past the value; wrap a raw file descriptor in a
/// [`BufReader`](std::io::BufReader) (see [`ValueReader`](crate::stream::ValueReader) for what
/// that does with the octets after the value).
///
/// # Errors
///
/// A wire error (offsets counted from the first octet read), a mismatch with `T`, or
/// [`SerdeErrorKind::Io`](crate::SerdeErrorKind::Io) when the reader fails. A reader that
/// ends before the value is `truncated`.
///
/// ```
/// use std::io::Read;
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Point { x: i32, y: i32 }
///
/// let mut pipe = std::io::Cursor::new(b"\xb2\x01\x02\xb2\x03\x04".to_vec());
/// let first: Point = frozenpack::from_reader(&mut pipe)?;
/// let second: Point = frozenpack::from_reader(&mut pipe)?;
/// assert_eq!((first, second), (Point { x: 1, y: 2 }, Point { x: 3, y: 4 }));
/// assert_eq!(pipe.position(), 6);
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn from_reader<R: Read, T: DeserializeOwned>(reader: R) -> Result<T, SerdeError> {
    let mut deserializer = Deserializer::from_reader(reader);
    T::deserialize(&mut deserializer)
}

impl Deserializer<'_> {
    /// A serde deserializer reading values from `reader`, with the default options: each
    /// `T::deserialize(&mut deserializer)` reads the next value. See [`IoDeserializer`].
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_reader(&b"\x82hi"[..]);
    /// assert_eq!(String::deserialize(&mut de)?, "hi");
    /// de.end()?;
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn from_reader<R: Read>(reader: R) -> IoDeserializer<R> {
        IoDeserializer::with_options(reader, &DecodeOptions::new())
    }
}

/// A serde deserializer over an [`io::Read`]; from [`Deserializer::from_reader`].
///
/// `&mut IoDeserializer` is a `serde::Deserializer`: each `T::deserialize(&mut de)` reads the
/// next value of the stream, exactly its octets, and deserializes it as
/// [`from_slice`](crate::from_slice) would. What `T` borrows (`&str`, `&[u8]`) borrows from
/// the deserializer's buffer, so it lives until the next value is read.
///
/// Errors: a wire error ends the stream (every later call returns it again); an I/O error does
/// not (the octets read are kept, the next call continues the value); a mismatch with the
/// type fails that value only, unless the rest of its octets are not valid either.
///
/// ```
/// use serde::Deserialize;
/// let mut de = frozenpack::Deserializer::from_reader(&b"\x83abc\xb2\x01\x02"[..]);
/// let text: &str = Deserialize::deserialize(&mut de)?; // borrowed from the buffer
/// assert_eq!(text, "abc");
/// let pair = <(u8, u8)>::deserialize(&mut de)?;
/// assert_eq!(pair, (1, 2));
/// de.end()?; // nothing follows
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub struct IoDeserializer<R> {
    source: R,
    frames: FrameReader,
    /// A wire error found while deserializing a value (through a shared borrow, since what
    /// the visitor returns may borrow the value's octets): it ends the stream.
    failed: RefCell<Option<Error>>,
}

impl<R> fmt::Debug for IoDeserializer<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IoDeserializer")
            .field("offset", &self.frames.offset())
            .finish_non_exhaustive()
    }
}

impl<R: Read> IoDeserializer<R> {
    /// A deserializer reading `reader` with `options` (the depth limit applies to each value).
    ///
    /// ```
    /// use serde::Deserialize;
    /// use frozenpack::{DecodeOptions, IoDeserializer};
    /// let mut de = IoDeserializer::with_options(&b"\xb1\xb1\xc0"[..], &DecodeOptions::new().with_max_depth(1));
    /// let err = <((),)>::deserialize(&mut de).unwrap_err();
    /// assert_eq!(err.offset(), Some(1));
    /// ```
    pub fn with_options(reader: R, options: &DecodeOptions) -> Self {
        IoDeserializer {
            source: reader,
            frames: FrameReader::new(options),
            failed: RefCell::new(None),
        }
    }

    /// Checks that the stream ends here, reading it to its end: octets that follow are
    /// `trailing_bytes` at the offset of the first (whole-input decoding, spec §6).
    ///
    /// # Errors
    ///
    /// `trailing_bytes`, an error met before, or an I/O error of the reader.
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_reader(&b"\x01\x02\x03"[..]);
    /// u8::deserialize(&mut de)?;
    /// assert_eq!(de.end().unwrap_err().to_string(), "trailing_bytes at offset 1: 2 octets follow the value");
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn end(&mut self) -> Result<(), SerdeError> {
        if let Some(e) = self.failed.borrow().as_ref() {
            return Err(e.clone().into());
        }
        let offset = self.frames.offset();
        let mut count = 0usize;
        let mut scratch = [0; 4096];
        loop {
            match self.source.read(&mut scratch) {
                Ok(0) => break,
                Ok(n) => count = count.saturating_add(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(SerdeError::io(e)),
            }
        }
        match count {
            0 => Ok(()),
            count => Err(Error::new(offset, Detail::TrailingBytes { count }).into()),
        }
    }

    /// Whether the stream ends before another value: reads the next value's octets if there
    /// are any (the next `T::deserialize` then deserializes them).
    ///
    /// # Errors
    ///
    /// A wire error in the next value's octets (or met before), or an I/O error.
    ///
    /// ```
    /// use serde::Deserialize;
    /// use frozenpack::Value;
    /// // Values borrow from the deserializer's buffer (Value is not DeserializeOwned), so
    /// // read them one by one rather than with into_iter.
    /// let mut de = frozenpack::Deserializer::from_reader(&b"\x81a\xb1\x02"[..]);
    /// let mut seen = Vec::new();
    /// while !de.at_end()? {
    ///     seen.push(Value::deserialize(&mut de)?.to_string());
    /// }
    /// assert_eq!(seen, ["'a'", "(2,)"]);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn at_end(&mut self) -> Result<bool, SerdeError> {
        if let Some(e) = self.failed.borrow().as_ref() {
            return Err(e.clone().into());
        }
        match self.frames.fill(&mut self.source) {
            Ok(ready) => Ok(!ready),
            Err(StreamError::Decode(e)) => Err(e.into()),
            Err(StreamError::Io(e)) => Err(SerdeError::io(e)),
        }
    }

    /// An iterator deserializing a `T` from each value until the stream ends (spec §9).
    ///
    /// It ends at the end of the stream, or after a wire error; after an I/O error, the next
    /// call tries again.
    ///
    /// ```
    /// let names: Vec<String> = frozenpack::Deserializer::from_reader(&b"\x81a\x82bc"[..])
    ///     .into_iter()
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(names, ["a", "bc"]);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    #[allow(clippy::should_implement_trait)] // serde_json's name for the same thing
    pub fn into_iter<T: DeserializeOwned>(self) -> IoStreamDeserializer<R, T> {
        IoStreamDeserializer {
            de: self,
            done: false,
            output: PhantomData,
        }
    }

    /// The stream offset of the next value.
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_reader(&b"\xc2\xc1"[..]);
    /// bool::deserialize(&mut de)?;
    /// assert_eq!(de.offset(), 1);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.frames.offset()
    }

    /// The reader.
    pub fn get_ref(&self) -> &R {
        &self.source
    }

    /// The reader (reading from it in the middle of a value takes octets the value needs).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.source
    }

    /// The reader, positioned after the last octet read.
    pub fn into_inner(self) -> R {
        self.source
    }

    /// Reads the next value's octets, then runs `deserialize` on a slice deserializer over
    /// them. The result may borrow them for `'a`.
    fn with_next_value<'a, T>(
        &'a mut self,
        deserialize: impl FnOnce(&mut Deserializer<'a>) -> Result<T, SerdeError>,
    ) -> Result<T, SerdeError> {
        if let Some(e) = self.failed.borrow().as_ref() {
            return Err(e.clone().into());
        }
        match self.frames.fill(&mut self.source) {
            Ok(true) => {}
            Ok(false) => return Err(self.frames.nothing_left().into()),
            Err(StreamError::Decode(e)) => return Err(e.into()),
            Err(StreamError::Io(e)) => return Err(SerdeError::io(e)),
        }
        self.frames.hand_out();
        let this: &'a Self = self;
        let octets = this.frames.frame();
        let base = this.frames.frame_offset();
        let mut de = Deserializer::with_options(octets, 0, this.frames.options());
        let result = deserialize(&mut de).and_then(|value| {
            if de.offset() == octets.len() {
                return Ok(value);
            }
            let e: SerdeError =
                de::Error::custom("the Deserialize impl stopped before the end of the value");
            Err(e.at(de.offset()))
        });
        result.map_err(|e| {
            let e = e.shifted(base);
            // A wire error ends the stream; so does one in the part of the value a type
            // error left unread, which the next call reports.
            let wire = match e.wire() {
                Some(wire) => Some(wire.clone()),
                None => this
                    .frames
                    .options()
                    .reader(octets, 0)
                    .skip_value()
                    .err()
                    .map(|wire| wire.shifted(base)),
            };
            if wire.is_some() {
                *this.failed.borrow_mut() = wire;
            }
            e
        })
    }
}

/// Forwards each `deserialize_*` call to a slice [`Deserializer`] over the next value.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'a>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, SerdeError> {
            self.with_next_value(|de| de::Deserializer::$method(de, $($arg,)* visitor))
        }
    )*};
}

impl<'a, R: Read> de::Deserializer<'a> for &'a mut IoDeserializer<R> {
    type Error = SerdeError;

    forward! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}

/// An iterator deserializing a `T` from each value of a stream; from
/// [`IoDeserializer::into_iter`].
pub struct IoStreamDeserializer<R, T> {
    de: IoDeserializer<R>,
    done: bool,
    output: PhantomData<fn() -> T>,
}

impl<R, T> fmt::Debug for IoStreamDeserializer<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IoStreamDeserializer")
            .field("offset", &self.de.frames.offset())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R: Read, T> IoStreamDeserializer<R, T> {
    /// The stream offset of the next value.
    pub fn offset(&self) -> usize {
        self.de.frames.offset()
    }

    /// The deserializer, to read on in another way.
    pub fn into_inner(self) -> IoDeserializer<R> {
        self.de
    }
}

impl<R: Read, T: DeserializeOwned> Iterator for IoStreamDeserializer<R, T> {
    type Item = Result<T, SerdeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.de.at_end() {
            Ok(false) => {}
            Ok(true) => {
                self.done = true;
                return None;
            }
            Err(e) => {
                self.done = e.kind() != SerdeErrorKind::Io;
                return Some(Err(e));
            }
        }
        let result = T::deserialize(&mut self.de);
        self.done = self.de.failed.borrow().is_some();
        Some(result)
    }
}

impl<R: Read, T: DeserializeOwned> FusedIterator for IoStreamDeserializer<R, T> {}
