//! serde support: [`to_vec`] / [`to_writer`] for any `Serialize` type, [`from_slice`] /
//! [`from_slice_prefix`] / [`iter_from_slice`] for any `Deserialize` type, through the
//! [`Serializer`] and [`Deserializer`] here.
//!
//! The mapping of serde's data model onto frozenpack's seven kinds is documented once, in
//! `mapping.md`, which the crate's front page includes. Design notes:
//!
//! * One encoder, one decoder: the `Serializer` drives the crate's `Writer` and the
//!   `Deserializer` its `Reader`; neither looks at an octet itself.
//! * The tuple header holds the item count, so a sequence or map of unknown length
//!   (`serialize_seq(None)`, `#[serde(flatten)]`) is encoded into a scratch buffer and
//!   copied after its header once the count is known.
//! * serde recurses once per level of nesting, in both directions. The `Deserializer`
//!   applies the decoder's depth limit (spec §8); the `Serializer` has the same limit, so
//!   that a deep value is refused with an error instead of exhausting the stack. `Value`
//!   avoids the recursion when both sides are this crate's (see `value.rs`).
//! * Errors: [`SerdeError`] holds either a wire [`Error`](crate::Error) (one of the spec's
//!   six kinds, unchanged) or a category of serde's own, so the six kinds stay closed.

mod access;
mod de;
mod error;
mod float;
mod reader;
mod ser;
mod stream;
mod value;
mod want;

#[cfg(test)]
mod tests;

pub use de::Deserializer;
pub use error::{SerdeError, SerdeErrorKind};
pub use reader::{from_reader, IoDeserializer, IoStreamDeserializer};
pub use ser::{Compound, Serializer};
pub use stream::StreamDeserializer;

use std::io;

use ::serde::{Deserialize, Serialize};

use crate::decode::{DecodeOptions, Event};
use crate::encode::{IoOutput, VecOut};

/// The private newtype name under which [`Value`](crate::Value) asks this crate's
/// deserializer for a whole encoded value.
pub(crate) const VALUE_TOKEN: &str = "$frozenpack::private::Value";
/// The private newtype name of an int given as little-endian two's complement.
pub(crate) const BIGINT_TOKEN: &str = "$frozenpack::private::BigInt";
/// The private newtype name of a str given as generalized UTF-8.
pub(crate) const SSTR_TOKEN: &str = "$frozenpack::private::SurrogateStr";

/// The canonical encoding of `value`.
///
/// # Errors
///
/// When `value` has no frozenpack form (see the mapping): a skipped struct field, nesting
/// beyond the depth limit of 1000, or an error of its own `Serialize` impl.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Point { x: i32, y: i32, label: Option<String> }
///
/// let bytes = frozenpack::to_vec(&Point { x: 1, y: -200, label: None })?;
/// assert_eq!(bytes, b"\xb3\x01\xc5\x38\xff\xc0");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn to_vec<T: ?Sized + Serialize>(value: &T) -> Result<Vec<u8>, SerdeError> {
    let mut serializer = Serializer::new(VecOut(Vec::with_capacity(128)));
    value.serialize(&mut serializer)?;
    Ok(serializer.into_inner().0)
}

/// Writes the canonical encoding of `value` to `out`, through an internal buffer (so `out`
/// need not be buffered).
///
/// # Errors
///
/// As [`to_vec`], and the first error `out` reports
/// ([`SerdeErrorKind::Io`]); writing stops after it.
///
/// ```
/// let mut out = Vec::new();
/// frozenpack::to_writer(&mut out, &("a", [1u8, 2]))?;
/// assert_eq!(out, b"\xb2\x81a\xb2\x01\x02");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn to_writer<W: io::Write, T: ?Sized + Serialize>(out: W, value: &T) -> Result<(), SerdeError> {
    let mut serializer = Serializer::new(IoOutput::new(out));
    let result = value.serialize(&mut serializer);
    let io = serializer.into_inner().finish();
    result?;
    io.map_err(SerdeError::io)
}

/// Deserializes a `T` from the whole of `input` (octets after the value are
/// `trailing_bytes`), with the default depth limit. Strs and bytes can borrow from `input`.
///
/// # Errors
///
/// A wire error when `input` is not a valid encoding (the spec's kind and offset); a
/// mismatch when it is one of a value that `T` cannot hold.
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Point<'a> { x: i32, y: i32, label: Option<&'a str> }
///
/// let input = b"\xb3\x01\xc5\x38\xff\x82hi";
/// let point: Point = frozenpack::from_slice(input)?;
/// assert_eq!(point, Point { x: 1, y: -200, label: Some("hi") });
/// assert!(input.as_ptr_range().contains(&point.label.unwrap().as_ptr()));
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn from_slice<'de, T: Deserialize<'de>>(input: &'de [u8]) -> Result<T, SerdeError> {
    let mut deserializer = Deserializer::from_slice(input);
    let value = T::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes a `T` from the value at `offset` of `input` (spec §6 "Prefix decoding"),
/// returning it and the offset just past it; octets after it are left alone.
///
/// # Errors
///
/// As [`from_slice`], except that nothing is `trailing_bytes`.
///
/// # Panics
///
/// If `offset > input.len()`.
///
/// ```
/// let (value, end) = frozenpack::from_slice_prefix::<bool>(b"\x01\xc2\xc1", 1)?;
/// assert_eq!((value, end), (true, 2));
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn from_slice_prefix<'de, T: Deserialize<'de>>(
    input: &'de [u8],
    offset: usize,
) -> Result<(T, usize), SerdeError> {
    let mut deserializer = Deserializer::with_options(input, offset, &DecodeOptions::new());
    let value = T::deserialize(&mut deserializer)?;
    deserializer.value_done()?;
    Ok((value, deserializer.offset()))
}

/// An iterator deserializing a `T` from each value of the sequence in `input` (spec §9),
/// with the default depth limit.
///
/// ```
/// let values: Vec<String> = frozenpack::iter_from_slice(b"\x81a\x82bc").collect::<Result<_, _>>()?;
/// assert_eq!(values, ["a", "bc"]);
/// assert!(frozenpack::iter_from_slice::<u8>(b"").next().is_none());
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
pub fn iter_from_slice<'de, T: Deserialize<'de>>(input: &'de [u8]) -> StreamDeserializer<'de, T> {
    StreamDeserializer::new(input, &DecodeOptions::new())
}

/// What an event is, for error messages: its kind and, for small scalars, its value (never
/// a str's or bytes' payload, which may be large or sensitive).
pub(crate) fn describe(event: &Event<'_>) -> String {
    match event {
        Event::None => "none".into(),
        Event::Bool(true) => "bool True".into(),
        Event::Bool(false) => "bool False".into(),
        Event::Int(v) => format!("int {v}"),
        // Decimal conversion is quadratic: only for ints of modest size.
        Event::BigInt(big) if big.as_le_bytes().len() <= 32 => format!("int {big}"),
        Event::BigInt(big) => format!("int of {} octets", big.as_le_bytes().len()),
        Event::Float(x) => format!("float {}", crate::Value::Float(*x)),
        Event::Str(_) => "str".into(),
        Event::SurrogateStr(_) => "str with surrogates".into(),
        Event::Bytes(b) if b.len() == 1 => "bytes of 1 octet".into(),
        Event::Bytes(b) => format!("bytes of {} octets", b.len()),
        Event::TupleStart(n) => format!("tuple of {}", de::items(*n)),
        Event::TupleEnd => "the end of a tuple".into(),
    }
}
