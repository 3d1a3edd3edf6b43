//! frozenpack: the canonical binary wire format for Python's immutable values — `None`,
//! bool, int of any size, float (every bit), str (lone surrogates included), bytes and
//! tuple — as specified in `spec/frozenpack-v1.md`.
//!
//! This crate is the one Rust implementation of the format: one zero-copy decoder
//! ([`Reader`]) and one canonical encoder ([`Writer`]); the value trees, and any serde or
//! Python binding, are clients of those two.
//!
//! # Two minutes
//!
//! ```
//! use frozenpack::Value;
//!
//! // (1, 2**100, -0.0, 'café', b'\x00', ((),)) built in code…
//! let value = Value::from(vec![
//!     Value::from(1),
//!     Value::from(1u128 << 100),
//!     Value::from(-0.0),
//!     Value::from("café"),
//!     Value::from(&b"\x00"[..]),
//!     Value::from(vec![Value::from(Vec::<Value>::new())]),
//! ]);
//!
//! // …encoded: there is exactly one encoding per value…
//! let bytes = frozenpack::to_vec(&value);
//! assert_eq!(bytes.len(), frozenpack::encoded_len(&value));
//!
//! // …decoded: strings and bytes borrow from the input, nothing is copied…
//! let decoded = frozenpack::from_slice(&bytes)?;
//! assert_eq!(decoded, value);
//! let Value::Tuple(items) = &decoded else { unreachable!() };
//! let text: &str = items[3].as_str().unwrap();
//! assert_eq!(text, "café");
//! assert!(bytes.as_ptr_range().contains(&text.as_ptr()));
//!
//! // …and shown as the Python literal of the same value.
//! assert_eq!(decoded.to_string(), "(1, 1267650600228229401496703205376, -0.0, 'café', b'\\x00', ((),))");
//!
//! // Anything that is not a canonical encoding is rejected, with the spec's error kind and
//! // offset.
//! let err = frozenpack::from_slice(b"\xc5\x64\x00").unwrap_err();
//! assert_eq!(err.to_string(), "non_canonical at offset 0: INT2 holds 100, which fits FIXINT");
//! # Ok::<(), frozenpack::Error>(())
//! ```
//!
//! # Map of the crate
//!
//! * Decoding: [`from_slice`], [`from_slice_prefix`], [`iter_from_slice`] (sequences,
//!   spec §9), [`DecodeOptions`] (the depth limit), and underneath them all the pull
//!   [`Reader`] of [`Event`]s. Errors are [`Error`] with an [`ErrorKind`].
//! * Encoding: [`to_vec`], [`to_writer`], [`encoded_len`], and underneath them the
//!   [`Writer`] over an [`Output`].
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
//!   conformance runner's protocol (`conformance/README.md`).

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod decode;
mod encode;
mod error;
mod int;
mod tag;
mod text;
mod value;

#[cfg(any(test, feature = "proptest"))]
pub mod strategy;

pub use decode::{
    from_slice, from_slice_prefix, iter_from_slice, DecodeOptions, Event, Reader, Stream,
    DEFAULT_MAX_DEPTH,
};
pub use encode::{encoded_len, to_vec, to_writer, Incomplete, Output, Writer};
pub use error::{Error, ErrorKind, UnknownErrorKind};
pub use value::{
    BigInt, CodePoints, EncodeUtf16, IntOutOfRange, NotMinimal, ParseBigIntError, SharedStr,
    SharedTuple, SharedValue, SurrogateStr, SurrogateStrError, Tuple, Value, ValueRef, ValueTree,
};

// The crate is built for `bytes` users: re-export it so they name the same version.
pub use bytes;
