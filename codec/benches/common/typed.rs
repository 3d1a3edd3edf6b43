//! The payloads as Rust types for the serde formats (postcard, bincode, rmp-serde, and
//! frozenpack's own serde support).
//!
//! Tuples become Rust tuples, tuple structs or `Vec`s; strs and bytes borrow from the
//! frozenpack value they are made from. serde has no int beyond 128 bits: a BIGINT becomes
//! serde bytes of its little-endian two's complement (the workaround the results table marks).

use frozenpack::Value;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::payloads::{Payload, Shape};

/// One row of the rows payload: `(int, float, short str, None)`. A tuple struct, so every
/// serde format writes it as a sequence, as frozenpack writes the tuple (ciborium and
/// rmp-serde's `to_vec_named` would write a struct with named fields as a map).
#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
pub struct Row<'a>(
    pub i64,
    pub f64,
    #[serde(borrow)] pub &'a str,
    pub Option<()>,
);

/// The same row owning its str, for decoders that cannot borrow (ciborium).
#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
pub struct OwnedRow(pub i64, pub f64, pub String, pub Option<()>);

/// serde bytes, borrowed (`serialize_bytes` / `visit_borrowed_bytes`): serde's default for
/// `&[u8]` is a sequence of u8, which no format writes as bytes.
#[derive(PartialEq, Debug, Clone, Copy)]
pub struct Raw<'a>(pub &'a [u8]);

impl Serialize for Raw<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes borrowed from the input")
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Raw<'de>, E> {
                Ok(Raw(v))
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

/// A tuple of zero or one tuples: the 500-deep payload.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
pub struct Deep(pub Vec<Deep>);

/// The small mixed tuple.
pub type Mixed<'a> = (
    Option<()>,
    bool,
    i64,
    i64,
    f64,
    &'a str,
    Raw<'a>,
    (i64, &'a str),
);

/// A payload as a serde type; serialized untagged, i.e. as the payload itself.
#[derive(Serialize, PartialEq, Debug)]
#[serde(untagged)]
pub enum Typed<'a> {
    #[serde(borrow)]
    Mixed(Mixed<'a>),
    Rows(Vec<Row<'a>>),
    Bytes(Raw<'a>),
    Ints(Vec<i64>),
    Deep(Deep),
    BigInts(Vec<Raw<'a>>),
}

/// Runs `$body` with `$t` bound to the concrete payload inside a [`Typed`], so generic code
/// (decoding back with a peer) sees the real type.
#[macro_export]
macro_rules! with_typed {
    ($typed:expr, $t:ident => $body:expr) => {
        match $typed {
            $crate::common::typed::Typed::Mixed($t) => $body,
            $crate::common::typed::Typed::Rows($t) => $body,
            $crate::common::typed::Typed::Bytes($t) => $body,
            $crate::common::typed::Typed::Ints($t) => $body,
            $crate::common::typed::Typed::Deep($t) => $body,
            $crate::common::typed::Typed::BigInts($t) => $body,
        }
    };
}

/// `payload` as its serde type, borrowing its strs and bytes.
pub fn from_payload(payload: &Payload) -> Typed<'_> {
    let value = &payload.value;
    match payload.shape {
        Shape::Mixed => {
            let [none, b, i, j, x, s, raw, pair] = items(value) else {
                panic!("the mixed payload has eight items")
            };
            assert!(none.is_none());
            let [k, t] = items(pair) else {
                panic!("the mixed payload ends with a pair")
            };
            Typed::Mixed((
                None,
                b.as_bool().unwrap(),
                int(i),
                int(j),
                x.as_f64().unwrap(),
                s.as_str().unwrap(),
                Raw(raw.as_bytes().unwrap()),
                (int(k), t.as_str().unwrap()),
            ))
        }
        Shape::Rows => Typed::Rows(items(value).iter().map(row).collect()),
        Shape::Bytes => Typed::Bytes(Raw(value.as_bytes().unwrap())),
        Shape::Ints => Typed::Ints(items(value).iter().map(int).collect()),
        Shape::Deep => Typed::Deep(deep(value)),
        Shape::BigInts => Typed::BigInts(
            items(value)
                .iter()
                .map(|v| match v {
                    Value::BigInt(big) => Raw(big.as_le_bytes()),
                    other => panic!("not a big int: {other}"),
                })
                .collect(),
        ),
    }
}

/// Row `value` of the rows payload.
pub fn row<'a>(value: &'a Value<'_>) -> Row<'a> {
    let [id, score, name, none] = items(value) else {
        panic!("a row has four items")
    };
    assert!(none.is_none());
    Row(
        int(id),
        score.as_f64().unwrap(),
        name.as_str().unwrap(),
        None,
    )
}

fn deep(value: &Value<'_>) -> Deep {
    // Iterative, innermost first: the tree is 500 deep.
    let mut depth = 0;
    let mut node = value;
    while let [inner] = items(node) {
        depth += 1;
        node = inner;
    }
    assert!(items(node).is_empty());
    let mut out = Deep(Vec::new());
    for _ in 0..depth {
        out = Deep(vec![out]);
    }
    out
}

fn items<'v, 'a>(value: &'v Value<'a>) -> &'v [Value<'a>] {
    value.as_tuple().expect("a tuple")
}

fn int(value: &Value<'_>) -> i64 {
    value.as_i64().expect("an int in the i64 range")
}
