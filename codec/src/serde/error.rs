//! [`SerdeError`]: what `to_vec` and `from_slice` report. The spec's six wire kinds stay a
//! closed set inside [`Error`]; everything serde adds (a value of the wrong type, a message
//! from a `Serialize`/`Deserialize` impl, an I/O error) is a category of its own around it.

use core::fmt;
use std::io;

use crate::error::{Error, ErrorKind};

/// The category of a [`SerdeError`].
///
/// Only [`Wire`](SerdeErrorKind::Wire) means the octets are not a valid encoding; every
/// other category is about the Rust types on either side of a valid one.
///
/// ```
/// use frozenpack::{ErrorKind, SerdeErrorKind};
/// let err = frozenpack::from_slice::<u8>(b"\xc4\x05").unwrap_err();
/// assert_eq!(err.kind(), SerdeErrorKind::Wire(ErrorKind::NonCanonical));
/// let err = frozenpack::from_slice::<u8>(b"\xc5\x2c\x01").unwrap_err();
/// assert_eq!(err.kind(), SerdeErrorKind::Mismatch);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SerdeErrorKind {
    /// The input is not a valid encoding: one of the spec's six error kinds, with the
    /// spec's offset ([`SerdeError::wire`] has the whole [`Error`]).
    Wire(ErrorKind),
    /// The input is a valid encoding, but of a value the target type cannot hold: another
    /// kind, an int out of the type's range, a str with surrogates for a Rust string, a
    /// float that is not exactly an `f32`, a tuple of the wrong length.
    Mismatch,
    /// A message from a `Serialize` or `Deserialize` impl (serde's `custom`): an unknown
    /// variant, a failed validation, …
    Custom,
    /// Serializing: the Rust value has no frozenpack form (a skipped struct field, nesting
    /// beyond the serializer's depth limit).
    Unsupported,
    /// [`to_writer`](crate::to_writer): the output failed.
    Io,
}

impl fmt::Display for SerdeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SerdeErrorKind::Wire(kind) => kind.fmt(f),
            SerdeErrorKind::Mismatch => f.write_str("mismatch"),
            SerdeErrorKind::Custom => f.write_str("custom"),
            SerdeErrorKind::Unsupported => f.write_str("unsupported"),
            SerdeErrorKind::Io => f.write_str("io"),
        }
    }
}

/// The error of serde serialization or deserialization: a wire [`Error`] (the input is not
/// a valid encoding), or a problem with the types on either side of a valid one, with the
/// offset of the item it concerns when there is one.
///
/// A wire error displays exactly as the [`Error`] it holds; the others display as their
/// message followed by `at offset N` when the offset is known (the tag of the item that
/// did not fit the type, or of the value the failing `Deserialize` impl was reading).
///
/// ```
/// let err = frozenpack::from_slice::<u8>(b"\xb1\xc5\x2c\x01").unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: tuple of 1 item, expected u8 at offset 0");
/// let err = frozenpack::from_slice::<(u8,)>(b"\xb1\xc5\x2c\x01").unwrap_err();
/// assert_eq!(err.to_string(), "invalid value: int 300 does not fit u8 at offset 1");
/// assert_eq!(err.offset(), Some(1));
/// let err = frozenpack::from_slice::<u8>(b"\xb1").unwrap_err();
/// assert_eq!(err.to_string(), "truncated at offset 1: FIXTUPLE announces 1 item but 0 octets remain");
/// assert_eq!(err.wire().map(|e| e.offset()), Some(1));
/// ```
pub struct SerdeError(Box<Repr>);

enum Repr {
    Wire(Error),
    Io(io::Error),
    Other {
        kind: SerdeErrorKind,
        message: String,
        offset: Option<usize>,
    },
}

impl SerdeError {
    pub(crate) fn new(kind: SerdeErrorKind, message: impl fmt::Display) -> Self {
        SerdeError(Box::new(Repr::Other {
            kind,
            message: message.to_string(),
            offset: None,
        }))
    }

    /// A type mismatch at `offset`.
    pub(crate) fn mismatch(offset: usize, message: impl fmt::Display) -> Self {
        SerdeError::new(SerdeErrorKind::Mismatch, message).at(offset)
    }

    pub(crate) fn io(e: io::Error) -> Self {
        SerdeError(Box::new(Repr::Io(e)))
    }

    /// The same error with `offset`, unless it already has one (the innermost item that
    /// failed is the most precise place).
    pub(crate) fn at(mut self, at: usize) -> Self {
        if let Repr::Other { offset, .. } = &mut *self.0 {
            offset.get_or_insert(at);
        }
        self
    }

    /// The same error with its offset, if it has one, `by` octets further on (the stream
    /// readers decode one value at a time and count offsets from the stream's start).
    pub(crate) fn shifted(mut self, by: usize) -> Self {
        match &mut *self.0 {
            Repr::Wire(e) => *e = e.clone().shifted(by),
            Repr::Other {
                offset: Some(offset),
                ..
            } => *offset = offset.saturating_add(by),
            _ => {}
        }
        self
    }

    /// The category.
    ///
    /// ```
    /// let err = frozenpack::from_slice::<String>(b"\xa0").unwrap_err();
    /// assert_eq!(err.kind(), frozenpack::SerdeErrorKind::Mismatch);
    /// ```
    pub fn kind(&self) -> SerdeErrorKind {
        match &*self.0 {
            Repr::Wire(e) => SerdeErrorKind::Wire(e.kind()),
            Repr::Io(_) => SerdeErrorKind::Io,
            Repr::Other { kind, .. } => *kind,
        }
    }

    /// The offset into the whole input: the spec's offset for a wire error, the tag of the
    /// item concerned for a decode mismatch or custom error; `None` when serializing.
    ///
    /// ```
    /// let err = frozenpack::from_slice::<(bool, bool)>(b"\xb2\xc2\x01").unwrap_err();
    /// assert_eq!(err.offset(), Some(2));
    /// ```
    pub fn offset(&self) -> Option<usize> {
        match &*self.0 {
            Repr::Wire(e) => Some(e.offset()),
            Repr::Io(_) => None,
            Repr::Other { offset, .. } => *offset,
        }
    }

    /// The wire error, when the input is not a valid encoding.
    ///
    /// ```
    /// let err = frozenpack::from_slice::<()>(b"\xc0\xc0").unwrap_err();
    /// assert_eq!(err.wire().unwrap().kind(), frozenpack::ErrorKind::TrailingBytes);
    /// ```
    pub fn wire(&self) -> Option<&Error> {
        match &*self.0 {
            Repr::Wire(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for SerdeError {
    fn from(e: Error) -> Self {
        SerdeError(Box::new(Repr::Wire(e)))
    }
}

impl fmt::Display for SerdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            Repr::Wire(e) => e.fmt(f),
            Repr::Io(e) => write!(f, "I/O error: {e}"),
            Repr::Other {
                message,
                offset: Some(offset),
                ..
            } => write!(f, "{message} at offset {offset}"),
            Repr::Other { message, .. } => f.write_str(message),
        }
    }
}

impl fmt::Debug for SerdeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SerdeError({:?}: {self})", self.kind())
    }
}

impl std::error::Error for SerdeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            Repr::Wire(e) => Some(e),
            Repr::Io(e) => Some(e),
            Repr::Other { .. } => None,
        }
    }
}

impl ::serde::ser::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerdeError::new(SerdeErrorKind::Custom, msg)
    }
}

impl ::serde::de::Error for SerdeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerdeError::new(SerdeErrorKind::Custom, msg)
    }

    // The three type errors serde's own visitors raise are mismatches, not custom messages;
    // their wording is serde's.
    fn invalid_type(unexp: ::serde::de::Unexpected<'_>, exp: &dyn ::serde::de::Expected) -> Self {
        SerdeError::new(
            SerdeErrorKind::Mismatch,
            format_args!("invalid type: {unexp}, expected {exp}"),
        )
    }

    fn invalid_value(unexp: ::serde::de::Unexpected<'_>, exp: &dyn ::serde::de::Expected) -> Self {
        SerdeError::new(
            SerdeErrorKind::Mismatch,
            format_args!("invalid value: {unexp}, expected {exp}"),
        )
    }

    fn invalid_length(len: usize, exp: &dyn ::serde::de::Expected) -> Self {
        SerdeError::new(
            SerdeErrorKind::Mismatch,
            format_args!("invalid length {len}, expected {exp}"),
        )
    }
}
