//! [`StreamError`]: a decode error of the stream's octets, or an I/O error of its source.

use core::fmt;
use std::io;

use crate::error::{Error, ErrorKind};

/// Why reading a value from a stream failed: the octets are not a valid sequence
/// ([`Decode`](StreamError::Decode), one of the spec's six kinds, with its offset counted
/// from the first octet the reader read), or the source failed
/// ([`Io`](StreamError::Io)).
///
/// A decode error ends the stream (spec §9): the reader returns it again on every later
/// call. An I/O error does not: the octets read before it are kept, and the next call
/// carries on with the same value — which is how a reader over a non-blocking source
/// (`WouldBlock`) or one with a timeout (`TimedOut`) resumes.
///
/// ```
/// use frozenpack::stream::{StreamError, ValueReader};
/// let mut values = ValueReader::new(&b"\x01\x83ab"[..]);
/// assert_eq!(values.read_value()?, Some(frozenpack::Value::Int(1)));
/// let err = values.read_value().unwrap_err();
/// assert_eq!(err.to_string(), "truncated at offset 4: FIXSTR announces 3 octets but 2 octets remain");
/// let wire = err.decode().unwrap();
/// assert_eq!((wire.kind().as_str(), wire.offset()), ("truncated", 4));
/// // Where an io::Error is expected, a decode error is InvalidData (UnexpectedEof if truncated).
/// assert_eq!(std::io::Error::from(err).kind(), std::io::ErrorKind::UnexpectedEof);
/// # Ok::<(), StreamError>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The octets read are not a valid sequence of values.
    Decode(Error),
    /// The source of the octets failed.
    Io(io::Error),
}

impl StreamError {
    /// The decode error, when the octets are at fault.
    ///
    /// ```
    /// let err = frozenpack::stream::StreamError::from(std::io::Error::other("gone"));
    /// assert!(err.decode().is_none());
    /// ```
    pub fn decode(&self) -> Option<&Error> {
        match self {
            StreamError::Decode(e) => Some(e),
            StreamError::Io(_) => None,
        }
    }

    /// The I/O error, when the source is at fault.
    ///
    /// ```
    /// use std::io;
    /// let err = frozenpack::stream::StreamError::from(io::Error::from(io::ErrorKind::WouldBlock));
    /// assert_eq!(err.io().map(io::Error::kind), Some(io::ErrorKind::WouldBlock));
    /// ```
    pub fn io(&self) -> Option<&io::Error> {
        match self {
            StreamError::Io(e) => Some(e),
            StreamError::Decode(_) => None,
        }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode(e) => e.fmt(f),
            StreamError::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Decode(e) => Some(e),
            StreamError::Io(e) => Some(e),
        }
    }
}

impl From<Error> for StreamError {
    fn from(e: Error) -> Self {
        StreamError::Decode(e)
    }
}

impl From<io::Error> for StreamError {
    fn from(e: io::Error) -> Self {
        StreamError::Io(e)
    }
}

impl From<StreamError> for io::Error {
    /// An I/O error as it was; a decode error as `UnexpectedEof` when the stream ended
    /// inside a value (`truncated`), `InvalidData` otherwise, with the decode error as its
    /// inner error.
    fn from(e: StreamError) -> Self {
        match e {
            StreamError::Io(e) => e,
            StreamError::Decode(e) if e.kind() == ErrorKind::Truncated => {
                io::Error::new(io::ErrorKind::UnexpectedEof, e)
            }
            StreamError::Decode(e) => io::Error::new(io::ErrorKind::InvalidData, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_errors_are_send_sync_and_static() {
        fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<StreamError>();
    }

    #[test]
    fn sources_and_display() {
        let wire = crate::decode_value(b"\xe0").unwrap_err();
        let err = StreamError::from(wire.clone());
        assert_eq!(err.to_string(), wire.to_string());
        assert!(std::error::Error::source(&err).is_some());
        let err = StreamError::from(io::Error::other("pipe closed"));
        assert_eq!(err.to_string(), "I/O error: pipe closed");
        assert_eq!(io::Error::from(err).to_string(), "pipe closed");
        let err = io::Error::from(StreamError::from(wire));
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
