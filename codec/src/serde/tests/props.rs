//! Round-trip properties through serde, thousands of cases each: `Value` against the direct
//! paths, and nested derived structs, enums, maps and options.

use std::collections::BTreeMap;

use ::serde::de::IgnoredAny;
use ::serde::{Deserialize, Serialize, Serializer};
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::strategy::{encoding, value};
use crate::{decode_value, encode_value, from_slice, to_vec, Value};

/// 4096 cases per property unless `PROPTEST_CASES` says otherwise (as the crate's other
/// properties).
fn config() -> Config {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default()
    } else {
        Config {
            cases: 4096,
            ..Config::default()
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone)]
enum Kind {
    Unit,
    New(i64),
    Tup(u8, String),
    Struct { a: Option<u32>, b: Vec<i16> },
}

#[derive(Serialize, Deserialize, Debug, Clone)]
struct Node {
    kind: Kind,
    inner: Option<Box<Node>>,
    weights: Vec<f32>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
struct Scalars {
    id: u64,
    delta: i32,
    small: i8,
    wide: i128,
    uwide: u128,
    ratio: f64,
    name: String,
    tag: char,
    flag: bool,
    unit: (),
}

#[derive(Serialize, Deserialize, Debug, Clone)]
struct Record {
    scalars: Scalars,
    nodes: Vec<Node>,
    index: BTreeMap<String, Option<Kind>>,
    pair: (u16, Option<bool>),
    raw: Vec<u8>,
}

/// Borrowing fields: `&str` and `&[u8]` (as bytes) come back as slices of the input.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Borrowed<'a> {
    name: &'a str,
    #[serde(serialize_with = "as_bytes")]
    blob: &'a [u8],
    rest: Vec<&'a str>,
}

fn as_bytes<S: Serializer>(b: &&[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(b)
}

fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![any::<f64>(), any::<u64>().prop_map(f64::from_bits)]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Unit),
        any::<i64>().prop_map(Kind::New),
        (any::<u8>(), text()).prop_map(|(n, s)| Kind::Tup(n, s)),
        (any::<Option<u32>>(), vec(any::<i16>(), 0..20)).prop_map(|(a, b)| Kind::Struct { a, b }),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    let weights = || vec(any::<u32>().prop_map(f32::from_bits), 0..4);
    (kind(), weights())
        .prop_map(|(kind, weights)| Node {
            kind,
            inner: None,
            weights,
        })
        .prop_recursive(4, 16, 1, move |inner| {
            (kind(), option::of(inner), weights()).prop_map(|(kind, inner, weights)| Node {
                kind,
                inner: inner.map(Box::new),
                weights,
            })
        })
}

fn scalars() -> impl Strategy<Value = Scalars> {
    (
        (
            any::<u64>(),
            any::<i32>(),
            any::<i8>(),
            any::<i128>(),
            any::<u128>(),
        ),
        (float(), text(), any::<char>(), any::<bool>()),
    )
        .prop_map(
            |((id, delta, small, wide, uwide), (ratio, name, tag, flag))| Scalars {
                id,
                delta,
                small,
                wide,
                uwide,
                ratio,
                name,
                tag,
                flag,
                unit: (),
            },
        )
}

fn record() -> impl Strategy<Value = Record> {
    (
        scalars(),
        vec(node(), 0..4),
        btree_map(text(), option::of(kind()), 0..4),
        (any::<u16>(), any::<Option<bool>>()),
        vec(any::<u8>(), 0..20),
    )
        .prop_map(|(scalars, nodes, index, pair, raw)| Record {
            scalars,
            nodes,
            index,
            pair,
            raw,
        })
}

proptest! {
    #![proptest_config(config())]

    /// Through serde a Value is encoded exactly as the direct encoder does, and decodes
    /// back to itself.
    #[test]
    fn values_through_serde_match_the_direct_paths(v in value()) {
        let bytes = to_vec(&v).unwrap();
        prop_assert_eq!(&bytes, &encode_value(&v));
        let back: Value<'_> = from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &v);
    }

    /// Every valid encoding decodes through serde to what the direct decoder gives.
    #[test]
    fn encodings_through_serde_match_the_direct_decoder(b in encoding()) {
        let direct = decode_value(&b).unwrap();
        let through: Value<'_> = from_slice(&b).unwrap();
        prop_assert_eq!(&through, &direct);
        prop_assert!(from_slice::<IgnoredAny>(&b).is_ok());
    }

    /// Nested derived data round-trips, and its encoding is canonical: a valid value that
    /// the direct paths re-encode to the same octets.
    #[test]
    fn typed_data_round_trips(r in record()) {
        let bytes = to_vec(&r).unwrap();
        let back: Record = from_slice(&bytes).unwrap();
        // Debug shows every field (floats compare by their bits below).
        prop_assert_eq!(format!("{back:?}"), format!("{r:?}"));
        prop_assert_eq!(&to_vec(&back).unwrap(), &bytes);
        let as_value = decode_value(&bytes).unwrap();
        prop_assert_eq!(&encode_value(&as_value), &bytes);
        prop_assert_eq!(as_value.as_tuple().map(<[_]>::len), Some(5));
    }

    /// Corrupting one octet of typed data gives an error or another valid record, never a
    /// panic; what decodes re-encodes to a record that decodes the same. A wire error is the
    /// direct decoder's (kind, offset, detail): the typed calls read every item in order
    /// through the same grammar, inline or out of line (`Deserializer::typed`), so the first
    /// malformed item they meet is the first one there is.
    #[test]
    fn corrupted_typed_data_is_rejected_or_valid(
        r in record(),
        at in any::<prop::sample::Index>(),
        octet in any::<u8>(),
    ) {
        let mut bytes = to_vec(&r).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = octet;
        match from_slice::<Record>(&bytes) {
            Ok(decoded) => {
                let again = to_vec(&decoded).unwrap();
                let twice: Record = from_slice(&again).unwrap();
                prop_assert_eq!(format!("{twice:?}"), format!("{decoded:?}"));
            }
            Err(e) => {
                if let Some(wire) = e.wire() {
                    let direct = decode_value(&bytes).err();
                    prop_assert_eq!(Some(wire), direct.as_ref());
                }
            }
        }
    }

    /// Borrowed strs and bytes point into the input.
    #[test]
    fn borrowed_fields_are_slices_of_the_input(
        name in text(),
        blob in vec(any::<u8>(), 0..40),
        rest in vec(text(), 0..5),
    ) {
        let original = Borrowed {
            name: &name,
            blob: &blob,
            rest: rest.iter().map(String::as_str).collect(),
        };
        let bytes = to_vec(&original).unwrap();
        let back: Borrowed<'_> = from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &original);
        let range = bytes.as_ptr_range();
        for s in back.rest.iter().chain([&back.name]).filter(|s| !s.is_empty()) {
            prop_assert!(range.contains(&s.as_ptr()));
        }
        prop_assert!(back.blob.is_empty() || range.contains(&back.blob.as_ptr()));
    }

    /// A sequence of unknown length encodes exactly as the same sequence of known length.
    #[test]
    fn unknown_lengths_encode_as_known_ones(items in vec(vec(any::<u16>(), 0..20), 0..20)) {
        let unsized_ = Unsized(items.iter().map(|inner| Unsized(inner.clone())).collect());
        prop_assert_eq!(to_vec(&unsized_).unwrap(), to_vec(&items).unwrap());
    }
}

/// Serializes its items as a sequence whose length serde does not know.
struct Unsized<T>(Vec<T>);

impl<T: Serialize> Serialize for Unsized<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().filter(|_| true))
    }
}
