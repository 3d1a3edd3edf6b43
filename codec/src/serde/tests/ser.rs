//! Serializing: each row of the mapping, as exact bytes.

use std::collections::BTreeMap;

use ::serde::ser::{SerializeSeq, Serializer as _};
use ::serde::Serialize;

use super::Bytes;
use crate::{to_vec, to_writer, SerdeErrorKind, Serializer};

fn bytes<T: ?Sized + Serialize>(value: &T) -> Vec<u8> {
    to_vec(value).expect("serializable")
}

#[test]
fn scalars() {
    assert_eq!(bytes(&false), b"\xc1");
    assert_eq!(bytes(&true), b"\xc2");
    assert_eq!(bytes(&-17i8), b"\xc4\xef");
    assert_eq!(bytes(&127u8), b"\x7f");
    assert_eq!(bytes(&200u8), b"\xc5\xc8\x00");
    assert_eq!(bytes(&-16i16), b"\xf0");
    assert_eq!(bytes(&65536u32), b"\xc6\x00\x00\x01");
    assert_eq!(bytes(&i64::MIN), b"\xcb\x00\x00\x00\x00\x00\x00\x00\x80");
    assert_eq!(
        bytes(&u64::MAX),
        b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\xff\x00"
    );
    assert_eq!(
        bytes(&(1u64 << 63)),
        b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00"
    );
    assert_eq!(bytes(&5i128), b"\x05");
    assert_eq!(
        bytes(&i128::MIN),
        b"\xcc\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
    );
    assert_eq!(
        bytes(&u128::MAX),
        b"\xcc\x11\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"
    );
    assert_eq!(bytes(&1.5f64), b"\xc3\x00\x00\x00\x00\x00\x00\xf8\x3f");
    assert_eq!(bytes(&-0.0f64), b"\xc3\x00\x00\x00\x00\x00\x00\x00\x80");
    assert_eq!(
        bytes(&f64::from_bits(0x7ff0_0000_0000_0001)),
        b"\xc3\x01\x00\x00\x00\x00\x00\xf0\x7f"
    );
    // f32 widened exactly: 1.5 is 1.5, and a NaN keeps its payload.
    assert_eq!(bytes(&1.5f32), bytes(&1.5f64));
    assert_eq!(
        bytes(&f32::from_bits(0x7f80_0001)),
        b"\xc3\x00\x00\x00\x20\x00\x00\xf0\x7f"
    );
}

#[test]
fn text_and_bytes() {
    assert_eq!(bytes(&'é'), b"\x82\xc3\xa9");
    assert_eq!(bytes("abc"), b"\x83abc");
    assert_eq!(bytes(&String::from("")), b"\x80");
    let long = "x".repeat(32);
    assert_eq!(&bytes(&long)[..2], b"\xd0\x20");
    assert_eq!(bytes(&Bytes(b"\x00\xff")), b"\xa2\x00\xff");
    // A Vec<u8> is a serde sequence, hence a tuple of ints (serde_bytes makes it bytes).
    assert_eq!(bytes(&vec![1u8, 200]), b"\xb2\x01\xc5\xc8\x00");
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(u8);

#[derive(Serialize)]
struct Pair(u8, &'static str);

#[derive(Serialize)]
struct Fields {
    b: bool,
    a: Option<u8>,
    z: (),
}

#[derive(Serialize)]
enum Shape {
    Empty,
    Circle(f64),
    Line(u8, u8),
    Rect { w: u8, h: u8 },
}

#[test]
fn option_unit_and_newtypes() {
    assert_eq!(bytes(&None::<u8>), b"\xc0");
    assert_eq!(bytes(&Some(5u8)), b"\x05");
    assert_eq!(bytes(&Some(Some(()))), b"\xc0");
    assert_eq!(bytes(&()), b"\xc0");
    assert_eq!(bytes(&Unit), b"\xc0");
    assert_eq!(bytes(&Newtype(7)), b"\x07");
}

#[test]
fn sequences_tuples_structs_and_maps_are_tuples() {
    assert_eq!(bytes(&vec![1u16, 2, 3]), b"\xb3\x01\x02\x03");
    assert_eq!(bytes(&Vec::<u8>::new()), b"\xb0");
    assert_eq!(bytes(&[0u8; 16][..])[..2], *b"\xd8\x10");
    assert_eq!(bytes(&(1u8, "a", ())), b"\xb3\x01\x81a\xc0");
    assert_eq!(bytes(&Pair(1, "b")), b"\xb2\x01\x81b");
    // Field values in declaration order; names are not written.
    assert_eq!(
        bytes(&Fields {
            b: true,
            a: None,
            z: ()
        }),
        b"\xb3\xc2\xc0\xc0"
    );
    let map = BTreeMap::from([("a", 1u8), ("b", 2)]);
    assert_eq!(bytes(&map), b"\xb2\xb2\x81a\x01\xb2\x81b\x02");
    assert_eq!(bytes(&BTreeMap::<u8, u8>::new()), b"\xb0");
}

#[test]
fn enums_are_a_name_or_a_tuple_led_by_the_name() {
    assert_eq!(bytes(&Shape::Empty), b"\x85Empty");
    assert_eq!(
        bytes(&Shape::Circle(1.5)),
        b"\xb2\x86Circle\xc3\x00\x00\x00\x00\x00\x00\xf8\x3f"
    );
    assert_eq!(bytes(&Shape::Line(1, 2)), b"\xb3\x84Line\x01\x02");
    assert_eq!(bytes(&Shape::Rect { w: 3, h: 4 }), b"\xb3\x84Rect\x03\x04");
}

/// Serializes its items as a sequence whose length serde does not know.
struct Unsized<T>(Vec<T>);

impl<T: Serialize> Serialize for Unsized<T> {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in &self.0 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

#[test]
fn sequences_of_unknown_length_are_buffered() {
    assert_eq!(bytes(&Unsized(vec![1u8, 2])), b"\xb2\x01\x02");
    assert_eq!(bytes(&Unsized(Vec::<u8>::new())), b"\xb0");
    // Nested, and long enough for a TUPLE header.
    let inner = Unsized((0..20u8).collect());
    let out = bytes(&(Unsized(vec![Unsized(vec![]), inner]), 9u8));
    let mut expected = b"\xb2\xb2\xb0\xd8\x14".to_vec();
    expected.extend(0..20u8);
    expected.push(9);
    assert_eq!(out, expected);
    // serde's collect_seq of an iterator without an exact length takes the same path.
    let mut ser = Serializer::new(Vec::new());
    (&mut ser)
        .collect_seq((0..40u8).filter(|n| n % 2 == 0))
        .unwrap();
    let mut expected = b"\xd8\x14".to_vec();
    expected.extend((0..40u8).filter(|n| n % 2 == 0));
    assert_eq!(ser.into_inner(), expected);
}

#[derive(Serialize)]
struct Inner {
    x: u8,
}

#[derive(Serialize)]
struct Flattened {
    a: u8,
    #[serde(flatten)]
    inner: Inner,
}

#[test]
fn flatten_is_a_map_of_unknown_length() {
    assert_eq!(
        bytes(&Flattened {
            a: 1,
            inner: Inner { x: 2 }
        }),
        b"\xb2\xb2\x81a\x01\xb2\x81x\x02"
    );
}

#[derive(Serialize)]
struct Skipping {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<u8>,
    b: u8,
}

#[test]
fn skipped_fields_are_refused() {
    assert_eq!(bytes(&Skipping { a: Some(1), b: 2 }), b"\xb2\x01\x02");
    let err = to_vec(&Skipping { a: None, b: 2 }).unwrap_err();
    assert_eq!(err.kind(), SerdeErrorKind::Unsupported);
    assert_eq!(
        err.to_string(),
        "field `a` was skipped: frozenpack writes struct fields by position, so a skipped \
         field would shift the ones after it (drop skip_serializing_if)"
    );
    assert_eq!(err.offset(), None);
}

/// Announces `announced` items and serializes `given`.
struct Liar {
    announced: usize,
    given: usize,
}

impl Serialize for Liar {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.announced))?;
        for _ in 0..self.given {
            seq.serialize_element(&0u8)?;
        }
        seq.end()
    }
}

#[test]
fn a_length_that_is_not_kept_is_an_error() {
    for (announced, given) in [(3, 2), (1, 2)] {
        let err = to_vec(&Liar { announced, given }).unwrap_err();
        assert_eq!(err.kind(), SerdeErrorKind::Unsupported);
        assert_eq!(
            err.to_string(),
            format!("the Serialize impl announced {announced} items but gave {given}")
        );
    }
}

/// `depth` nested sequences.
#[derive(Serialize)]
struct Deep(Vec<Deep>);

fn deep(depth: usize) -> Deep {
    let mut value = Deep(Vec::new());
    for _ in 1..depth {
        value = Deep(vec![value]);
    }
    value
}

#[test]
fn the_serializer_refuses_nesting_beyond_its_depth_limit() {
    // Run on a thread with a stated stack, the one the mapping's notes promise suffices.
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let ok = bytes(&deep(1000));
            let mut expected = vec![0xb1; 999];
            expected.push(0xb0);
            assert_eq!(ok, expected);
            let err = to_vec(&deep(1001)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "a tuple at level 1001 exceeds the serializer's depth limit 1000"
            );
            let mut ser = Serializer::new(Vec::new()).with_max_depth(2);
            assert!(deep(2).serialize(&mut ser).is_ok());
            let mut ser = Serializer::new(Vec::new()).with_max_depth(2);
            assert!(deep(3).serialize(&mut ser).is_err());
            // Map pairs and variants are tuples too.
            let mut ser = Serializer::new(Vec::new()).with_max_depth(1);
            assert!(BTreeMap::from([(1u8, 2u8)]).serialize(&mut ser).is_err());
            let mut ser = Serializer::new(Vec::new()).with_max_depth(0);
            assert!(Shape::Circle(0.0).serialize(&mut ser).is_err());
            let mut ser = Serializer::new(Vec::new()).with_max_depth(0);
            assert!(Shape::Empty.serialize(&mut ser).is_ok());
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Fails after accepting `room` octets.
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.room {
            return Err(std::io::Error::other("disk full"));
        }
        self.room -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn to_writer_writes_the_same_octets_and_reports_io_errors() {
    let value = (vec!["x".repeat(10_000); 3], 5u8);
    let mut out = Vec::new();
    to_writer(&mut out, &value).unwrap();
    assert_eq!(out, bytes(&value));
    let err = to_writer(Full { room: 100 }, &value).unwrap_err();
    assert_eq!(err.kind(), SerdeErrorKind::Io);
    assert_eq!(err.to_string(), "I/O error: disk full");
    assert!(std::error::Error::source(&err).is_some());
    // A serialization error comes first, whatever the output did.
    let err = to_writer(
        Full { room: 0 },
        &Liar {
            announced: 2,
            given: 0,
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), SerdeErrorKind::Unsupported);
}

#[test]
fn any_output_takes_the_encoding() {
    let mut ser = Serializer::new(bytes::BytesMut::new());
    Shape::Line(1, 2).serialize(&mut ser).unwrap();
    assert_eq!(&ser.into_inner()[..], b"\xb3\x84Line\x01\x02");
}
