//! frozenpack: the canonical binary wire format for Python's immutable values — `None`,
//! bool, int of any size, float (every bit), str (lone surrogates included), bytes and
//! tuple — as specified in
//! [`spec/frozenpack-v1.md`](https://github.com/frozenpack/frozenpack/blob/main/spec/frozenpack-v1.md).
//!
//! This crate is the one Rust implementation of the format: one zero-copy decoder (one
//! grammar of an item, which the pull [`Reader`], the value builders and serde all read
//! through) and one canonical encoder ([`Writer`]); the value trees, and any serde or Python
//! binding, are clients of those two.
//!
//! # Two minutes
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! // Any serde type…
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Reading<'a> {
//!     sensor: &'a str,
//!     value: f64,
//!     raw: Option<&'a [u8]>,
//! }
//!
//! // …is encoded as a tuple of its fields: there is exactly one encoding per value…
//! let reading = Reading { sensor: "t1", value: -0.0, raw: None };
//! let bytes = frozenpack::to_vec(&reading)?;
//! assert_eq!(bytes, b"\xb3\x82t1\xc3\x00\x00\x00\x00\x00\x00\x00\x80\xc0");
//!
//! // …and decoded with strs and bytes borrowed from the input, nothing copied.
//! let decoded: Reading = frozenpack::from_slice(&bytes)?;
//! assert_eq!(decoded, reading);
//! assert!(bytes.as_ptr_range().contains(&decoded.sensor.as_ptr()));
//!
//! // Python's values, all of them, are `Value`s: ints of any size, strs with lone
//! // surrogates, floats by their bits. `decode_value` / `encode_value` are the direct
//! // paths, without serde; through serde the result is the same.
//! use frozenpack::Value;
//! let value = Value::from(vec![
//!     Value::from(1u128 << 100),
//!     Value::from_code_points([0x63, 0xd800])?,
//!     Value::from(&b"\x00"[..]),
//!     Value::from(vec![Value::from(Vec::<Value>::new())]),
//! ]);
//! let bytes = frozenpack::encode_value(&value);
//! assert_eq!(bytes.len(), frozenpack::encoded_len(&value));
//! assert_eq!(frozenpack::to_vec(&value)?, bytes);
//! let decoded = frozenpack::decode_value(&bytes)?;
//! assert_eq!(decoded, value);
//! assert_eq!(frozenpack::from_slice::<Value>(&bytes)?, value);
//! assert_eq!(decoded.to_string(), r"(1267650600228229401496703205376, 'c\ud800', b'\x00', ((),))");
//!
//! // Anything that is not a canonical encoding is rejected, with the spec's error kind and
//! // offset.
//! let err = frozenpack::decode_value(b"\xc5\x64\x00").unwrap_err();
//! assert_eq!(err.to_string(), "non_canonical at offset 0: INT2 holds 100, which fits FIXINT");
//! // A valid encoding of the wrong type for the target is a mismatch, at the item's offset.
//! let err = frozenpack::from_slice::<Reading>(b"\xb3\x82t1\x01\xc0").unwrap_err();
//! assert_eq!(err.to_string(), "invalid type: int 1, expected f64 at offset 4");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Map of the crate
//!
//! * serde: [`to_vec`], [`to_writer`], [`from_slice`], [`from_slice_prefix`],
//!   [`iter_from_slice`] (sequences, spec §9), the [`Serializer`] and [`Deserializer`], and
//!   [`SerdeError`]. The mapping is below.
//! * Values, directly: [`decode_value`], [`decode_value_prefix`], [`decode_values`],
//!   [`DecodeOptions`] (the depth limit); [`encode_value`], [`encode_value_to_writer`],
//!   [`encoded_len`].
//! * Streams (pipes, sockets, files; spec §9): [`stream::ValueReader`] over any
//!   `io::Read`, never reading past a value; [`stream::PushDecoder`], fed octets as they
//!   arrive; serde's [`from_reader`] and [`Deserializer::from_reader`].
//! * Underneath everything: the pull [`Reader`] of [`Event`]s, and the [`Writer`] over an
//!   [`Output`]. Wire errors are [`Error`] with an [`ErrorKind`].
//! * Values: [`Value`] (borrowing or owning), [`SharedValue`] (zero-copy slices of a
//!   [`bytes::Bytes`]), [`BigInt`], [`SurrogateStr`], and the [`ValueTree`] view they share.
//!
//! # Features
//!
//! * `num-bigint`: conversions between [`BigInt`] and `num_bigint::BigInt`.
//! * `arbitrary`: `Arbitrary` for `Value<'static>`, for fuzzing.
//! * `proptest`: the `strategy` module, with proptest strategies for values and for valid
//!   encodings.
//! * `conformance-testee`: the `frozenpack-conformance-testee` binary, which speaks the
//!   conformance runner's protocol
//!   ([`conformance/README.md`](https://github.com/frozenpack/frozenpack/blob/main/conformance/README.md)).
//!
#![doc = include_str!("serde/mapping.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

/// The modules every decode and encode runs through — the Python extension's too, which must
/// never let a panic cross its FFI boundary (issue 9) — are built so that they cannot panic
/// on any input: these lints make every `unwrap`, `expect`, `panic!`, `unreachable!`,
/// indexing or slicing that could fail, and unchecked arithmetic an error there (`make
/// lint-rust`). Where a panic is provably impossible a targeted `#[allow]` says why.
macro_rules! panic_free {
    ($(mod $name:ident;)*) => {$(
        #[deny(
            clippy::unwrap_used,
            clippy::expect_used,
            clippy::panic,
            clippy::unreachable,
            clippy::todo,
            clippy::unimplemented,
            clippy::indexing_slicing,
            clippy::arithmetic_side_effects
        )]
        mod $name;
    )*};
}

panic_free! {
    mod decode;
    mod encode;
    mod error;
    mod int;
    mod tag;
    mod text;
}
mod serde;
mod value;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;
pub mod stream;

pub use self::serde::{
    from_reader, from_slice, from_slice_prefix, iter_from_slice, to_vec, to_writer, Compound,
    Deserializer, IoDeserializer, IoStreamDeserializer, SerdeError, SerdeErrorKind, Serializer,
    StreamDeserializer,
};
pub use decode::{
    decode_value, decode_value_prefix, decode_values, Cursor, DecodeOptions, Event, Reader, Sink,
    Stream, DEFAULT_MAX_DEPTH,
};
pub use encode::{
    encode_value, encode_value_to_writer, encoded_len, Accounting, Counted, Incomplete, Output,
    Uncounted, Writer,
};
pub use error::{Error, ErrorKind, UnknownErrorKind};
pub use value::{
    BigInt, CodePoints, EncodeUtf16, IntOutOfRange, NotMinimal, ParseBigIntError, SharedStr,
    SharedTuple, SharedValue, SurrogateStr, SurrogateStrError, Tuple, Value, ValueRef, ValueTree,
};

// The README's example is compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// The crate is built for `bytes` users: re-export it so they name the same version.
pub use bytes;
