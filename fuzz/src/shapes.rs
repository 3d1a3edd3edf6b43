//! The typed shapes the `serde` target decodes arbitrary octets into.
//!
//! Two groups, by whether the serde mapping (`codec/src/serde/mapping.md`) is a bijection
//! between the shape's values and the encodings it accepts:
//!
//! * **Exact** shapes: every encoding the shape accepts is the one its value serialises to,
//!   so re-serialising a decoded value gives back exactly the input. Structs, tuples and
//!   sequences of exact shapes; ints of every width (only canonical ints decode); `f32`
//!   (only floats that are exactly an `f32` decode, and widening keeps every bit); `char`;
//!   borrowed `&str`, `Cow<str>` and `&[u8]` (serde_bytes); unit and unit structs (none);
//!   `Option<T>` where `T` is never none (`Some(x)` is written as `x`). `Option<Option<T>>`
//!   is exact too: decoding never produces `Some(None)`.
//! * **Lossy** shapes, where several encodings decode to one value, so re-serialising
//!   gives a valid encoding but not necessarily the input: enums (the deserializer accepts a
//!   variant's index as well as its name; the serializer writes the name), `BTreeMap`
//!   (pairs in any order, and repeated keys, decode; the serializer writes sorted, unique
//!   keys), and untagged enums (`deserialize_any`, which picks the first variant that
//!   fits). For these the target checks that the re-serialisation decodes into the shape
//!   again, and for enums and maps, which have one normal form per value, that it is a fixed
//!   point: decoding it and serialising again gives the same octets. Untagged variants
//!   overlap (a `String` accepts UTF-8 bytes, a `ByteBuf` a tuple of ints: `((),)` read as
//!   `Vec<Loose>` is `[Blob([])]`, written `(b'',)`, read back as `[Text("")]`), so a
//!   value may change variant on every round and only decoding again is required.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A nested struct with borrowed strs and bytes and every scalar the mapping has.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Record<'a> {
    pub name: &'a str,
    #[serde(borrow, with = "serde_bytes")]
    pub blob: &'a [u8],
    pub id: u128,
    pub delta: i128,
    pub ratio: f32,
    pub initial: char,
    pub flag: bool,
    pub note: Option<&'a str>,
    #[serde(borrow)]
    pub inner: Inner<'a>,
    pub leaves: Vec<Leaf>,
}

/// The struct inside [`Record`].
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Inner<'a> {
    pub small: i8,
    pub wide: u64,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    pub maybe: Option<Option<u16>>,
    pub nothing: (),
    pub marker: Marker,
}

/// A unit struct: none.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Marker;

/// A tuple struct.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Leaf(pub i64, pub Option<f32>, pub Meters);

/// A newtype struct: the value itself.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub struct Meters(pub f32);

/// Every kind of variant (lossy: see the module docs).
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub enum Shape<'a> {
    Empty,
    Named(&'a str),
    Pair(u8, i64),
    Point {
        x: f32,
        y: Option<u32>,
    },
    #[serde(borrow)]
    Nested(Vec<Shape<'a>>),
}

/// Decoded through `deserialize_any` (lossy: see the module docs).
///
/// Not recursive: serde buffers an untagged enum's input and re-buffers it for each nested
/// untagged level, quadratic in the depth, which would spend the fuzzing time in serde
/// rather than in this crate. The recursive shapes are the tagged [`Shape`] and the tuples
/// of the `decode` target.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
pub enum Loose {
    Nothing(()),
    Flag(bool),
    Int(i64),
    Wide(u128),
    Float(f64),
    Text(String),
    Blob(serde_bytes::ByteBuf),
    List(Vec<Option<i64>>),
}

/// A map of lists of enums (lossy: see the module docs).
pub type Index<'a> = BTreeMap<&'a str, Vec<Shape<'a>>>;
