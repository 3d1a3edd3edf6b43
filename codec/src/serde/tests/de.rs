//! Deserializing: each row of the mapping read back, borrowing, and every kind of error
//! with its exact message and offset.

use std::borrow::Cow;
use std::collections::BTreeMap;

use ::serde::de::{IgnoredAny, SeqAccess, Visitor};
use ::serde::Deserialize;

use super::nested;
use crate::{
    from_slice, from_slice_prefix, iter_from_slice, DecodeOptions, Deserializer, ErrorKind,
    SerdeError, SerdeErrorKind,
};

/// The error's display and offset.
fn err<'de, T: Deserialize<'de> + core::fmt::Debug>(input: &'de [u8]) -> (String, Option<usize>) {
    let e = from_slice::<T>(input).unwrap_err();
    (e.to_string(), e.offset())
}

fn mismatch<'de, T: Deserialize<'de> + core::fmt::Debug>(
    input: &'de [u8],
    message: &str,
    offset: usize,
) {
    let e = from_slice::<T>(input).unwrap_err();
    assert_eq!(e.kind(), SerdeErrorKind::Mismatch, "{e}");
    assert_eq!(e.offset(), Some(offset), "{e}");
    assert_eq!(e.to_string(), format!("{message} at offset {offset}"));
}

#[test]
fn scalars_read_back() {
    assert!(from_slice::<bool>(b"\xc2").unwrap());
    assert_eq!(from_slice::<i8>(b"\xc4\xef").unwrap(), -17);
    assert_eq!(from_slice::<u8>(b"\xc5\xc8\x00").unwrap(), 200);
    assert_eq!(
        from_slice::<i64>(b"\xcb\x00\x00\x00\x00\x00\x00\x00\x80").unwrap(),
        i64::MIN
    );
    // 2^63 is a BIGINT, and a u64.
    assert_eq!(
        from_slice::<u64>(b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00").unwrap(),
        1 << 63
    );
    assert_eq!(
        from_slice::<u128>(
            b"\xcc\x11\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"
        )
        .unwrap(),
        u128::MAX
    );
    assert_eq!(
        from_slice::<i128>(
            b"\xcc\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"
        )
        .unwrap(),
        i128::MIN
    );
    assert_eq!(from_slice::<i128>(b"\xff").unwrap(), -1);
    assert_eq!(from_slice::<u128>(b"\x7f").unwrap(), 127);
    assert_eq!(
        from_slice::<f64>(b"\xc3\x00\x00\x00\x00\x00\x00\x00\x80")
            .unwrap()
            .to_bits(),
        0x8000_0000_0000_0000
    );
    assert_eq!(
        from_slice::<f32>(b"\xc3\x00\x00\x00\x00\x00\x00\xf8\x3f").unwrap(),
        1.5
    );
    assert_eq!(
        from_slice::<f32>(b"\xc3\x00\x00\x00\x20\x00\x00\xf0\x7f")
            .unwrap()
            .to_bits(),
        0x7f80_0001
    );
    assert_eq!(from_slice::<char>(b"\x82\xc3\xa9").unwrap(), 'é');
    assert_eq!(from_slice::<String>(b"\x83abc").unwrap(), "abc");
}

#[test]
fn ints_out_of_range_name_the_value_and_the_type() {
    mismatch::<u8>(b"\xc5\x2c\x01", "invalid value: int 300 does not fit u8", 0);
    mismatch::<i8>(
        b"\xc5\x7f\xff",
        "invalid value: int -129 does not fit i8",
        0,
    );
    mismatch::<u32>(b"\xff", "invalid value: int -1 does not fit u32", 0);
    mismatch::<i64>(
        b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00",
        "invalid value: int 9223372036854775808 does not fit i64",
        0,
    );
    mismatch::<(u64,)>(
        b"\xb1\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01",
        "invalid value: int 18446744073709551616 does not fit u64",
        1,
    );
    mismatch::<u128>(
        b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\x7f\xff",
        "invalid value: int -9223372036854775809 does not fit u128",
        0,
    );
    // Large ints are described by their size, not converted to decimal.
    let mut huge = b"\xcc\x28".to_vec();
    huge.extend([0u8; 39]);
    huge.push(1);
    mismatch::<i128>(
        &huge,
        "invalid value: int of 40 octets does not fit i128",
        0,
    );
    // The kinds are disjoint: no bool, float or str is an int, and no int a float.
    mismatch::<u8>(b"\xc2", "invalid type: bool True, expected u8", 0);
    mismatch::<bool>(b"\x01", "invalid type: int 1, expected bool", 0);
    mismatch::<f64>(b"\x01", "invalid type: int 1, expected f64", 0);
    mismatch::<i32>(
        b"\xc3\x00\x00\x00\x00\x00\x00\xf0\x3f",
        "invalid type: float 1.0, expected i32",
        0,
    );
}

#[test]
fn an_f32_must_be_exact() {
    mismatch::<f32>(
        b"\xc3\x9a\x99\x99\x99\x99\x99\xb9\x3f",
        "invalid value: float 0.1 (bits 3fb999999999999a) is not exactly an f32",
        0,
    );
    mismatch::<f32>(
        b"\xc3\x01\x00\x00\x00\x00\x00\xf8\x7f",
        "invalid value: float struct.unpack('>d', bytes.fromhex('7ff8000000000001'))[0] (bits \
         7ff8000000000001) is not exactly an f32",
        0,
    );
}

#[test]
fn strs_borrow_and_surrogates_are_refused_clearly() {
    let input = b"\xb3\x83abc\xa2\x00\xff\x81z".to_vec();
    let (s, b, c): (&str, &[u8], Cow<'_, str>) = from_slice(&input).unwrap();
    assert_eq!((s, b, c.as_ref()), ("abc", &b"\x00\xff"[..], "z"));
    let range = input.as_ptr_range();
    assert!(range.contains(&s.as_ptr()));
    assert!(range.contains(&b.as_ptr()));
    mismatch::<String>(
        b"\xdc\x03\xed\xa0\x80",
        "invalid type: str with surrogates, expected str: a Rust string cannot hold a \
         surrogate code point (frozenpack::SurrogateStr and frozenpack::Value can)",
        0,
    );
    mismatch::<(char,)>(
        b"\xb1\xdc\x03\xed\xa0\x80",
        "invalid type: str with surrogates, expected a str of one code point: a Rust string \
         cannot hold a surrogate code point (frozenpack::SurrogateStr and frozenpack::Value can)",
        1,
    );
    mismatch::<char>(
        b"\x82ab",
        "invalid value: str of 2 code points, expected a str of one code point",
        0,
    );
    mismatch::<char>(
        b"\x80",
        "invalid value: str of 0 code points, expected a str of one code point",
        0,
    );
    mismatch::<&str>(b"\xa1a", "invalid type: bytes of 1 octet, expected str", 0);
    mismatch::<&[u8]>(b"\x81a", "invalid type: str, expected bytes", 0);
}

#[derive(Deserialize, Debug, PartialEq)]
struct Unit;

#[derive(Deserialize, Debug, PartialEq)]
struct Newtype(u8);

#[derive(Deserialize, Debug, PartialEq)]
struct Pair<'a>(u8, &'a str);

#[derive(Deserialize, Debug, PartialEq)]
struct Fields {
    b: bool,
    a: Option<u8>,
    z: (),
}

#[derive(Deserialize, Debug, PartialEq)]
enum Shape {
    Empty,
    Circle(f64),
    Line(u8, u8),
    Rect { w: u8, h: u8 },
}

#[test]
fn options_units_and_newtypes() {
    assert_eq!(from_slice::<Option<u8>>(b"\xc0").unwrap(), None);
    assert_eq!(from_slice::<Option<u8>>(b"\x05").unwrap(), Some(5));
    // The documented ambiguity: Some(()) and Some(None) are written as none.
    assert_eq!(from_slice::<Option<()>>(b"\xc0").unwrap(), None);
    assert_eq!(from_slice::<Option<Option<u8>>>(b"\xc0").unwrap(), None);
    assert_eq!(
        from_slice::<Option<Option<u8>>>(b"\x01").unwrap(),
        Some(Some(1))
    );
    from_slice::<()>(b"\xc0").unwrap();
    assert_eq!(from_slice::<Unit>(b"\xc0").unwrap(), Unit);
    assert_eq!(from_slice::<Newtype>(b"\x07").unwrap(), Newtype(7));
    mismatch::<()>(b"\x00", "invalid type: int 0, expected none (unit)", 0);
    mismatch::<Unit>(
        b"\xb0",
        "invalid type: tuple of 0 items, expected none (unit struct Unit)",
        0,
    );
    mismatch::<Newtype>(b"\xc0", "invalid type: none, expected u8", 0);
    // An error inside Some(…) is at the inner item.
    mismatch::<(u8, Option<u8>)>(b"\xb2\x01\x81a", "invalid type: str, expected u8", 2);
}

#[test]
fn tuples_structs_and_sequences_have_exact_lengths() {
    assert_eq!(
        from_slice::<Vec<u16>>(b"\xb3\x01\x02\x03").unwrap(),
        [1, 2, 3]
    );
    assert_eq!(
        from_slice::<(u8, &str, ())>(b"\xb3\x01\x81a\xc0").unwrap(),
        (1, "a", ())
    );
    assert_eq!(
        from_slice::<Pair<'_>>(b"\xb2\x01\x81b").unwrap(),
        Pair(1, "b")
    );
    assert_eq!(
        from_slice::<Fields>(b"\xb3\xc2\xc0\xc0").unwrap(),
        Fields {
            b: true,
            a: None,
            z: ()
        }
    );
    mismatch::<(u8, u8)>(
        b"\xb3\x01\x02\x03",
        "invalid length: tuple of 3 items, expected tuple of 2 items",
        0,
    );
    mismatch::<Pair<'_>>(
        b"\xb1\x01",
        "invalid length: tuple of 1 item, expected tuple of 2 items (tuple struct Pair)",
        0,
    );
    mismatch::<Fields>(
        b"\xb2\xc2\xc0",
        "invalid length: tuple of 2 items, expected tuple of 3 items (struct Fields)",
        0,
    );
    mismatch::<Fields>(
        b"\xb4\xc2\xc0\xc0\xc0",
        "invalid length: tuple of 4 items, expected tuple of 3 items (struct Fields)",
        0,
    );
    mismatch::<Vec<u8>>(
        b"\xa0",
        "invalid type: bytes of 0 octets, expected tuple",
        0,
    );
    mismatch::<Fields>(
        b"\xb3\xc2\xc0\x01",
        "invalid type: int 1, expected none (unit)",
        3,
    );
    // A fixed-size array is a tuple of its length.
    assert_eq!(from_slice::<[u8; 2]>(b"\xb2\x01\x02").unwrap(), [1, 2]);
}

#[test]
fn maps_are_tuples_of_pairs() {
    let map: BTreeMap<&str, u8> = from_slice(b"\xb2\xb2\x81a\x01\xb2\x81b\x02").unwrap();
    assert_eq!(map, BTreeMap::from([("a", 1), ("b", 2)]));
    mismatch::<BTreeMap<u8, u8>>(
        b"\xb1\xb3\x01\x02\x03",
        "invalid type: tuple of 3 items, expected a (key, value) pair",
        1,
    );
    mismatch::<BTreeMap<u8, u8>>(
        b"\xb1\x01",
        "invalid type: int 1, expected a (key, value) pair",
        1,
    );
    mismatch::<BTreeMap<u8, u8>>(
        b"\xc0",
        "invalid type: none, expected tuple of (key, value) pairs",
        0,
    );
}

#[test]
fn enums_read_back_and_wrong_shapes_are_mismatches() {
    assert_eq!(from_slice::<Shape>(b"\x85Empty").unwrap(), Shape::Empty);
    assert_eq!(
        from_slice::<Shape>(b"\xb2\x86Circle\xc3\x00\x00\x00\x00\x00\x00\xf8\x3f").unwrap(),
        Shape::Circle(1.5)
    );
    assert_eq!(
        from_slice::<Shape>(b"\xb3\x84Line\x01\x02").unwrap(),
        Shape::Line(1, 2)
    );
    assert_eq!(
        from_slice::<Shape>(b"\xb3\x84Rect\x03\x04").unwrap(),
        Shape::Rect { w: 3, h: 4 }
    );
    // The variant's index is accepted too, as serde's derive does.
    assert_eq!(
        from_slice::<Shape>(b"\xb3\x02\x01\x02").unwrap(),
        Shape::Line(1, 2)
    );
    mismatch::<Shape>(
        b"\x86Circle",
        "invalid type: str (unit variant \"Circle\"), expected a tuple (variant, payload…)",
        0,
    );
    mismatch::<Shape>(
        b"\xb1\x85Empty",
        "invalid type: tuple of 1 item, expected a str (a unit variant of enum Shape)",
        0,
    );
    mismatch::<Shape>(
        b"\xb2\x84Line\x01",
        "invalid length: tuple of 2 items, expected 3 items (a tuple variant of enum Shape: the variant, then 2 items)",
        0,
    );
    mismatch::<Shape>(
        b"\xb3\x86Circle\x01\x02",
        "invalid length: tuple of 3 items, expected 2 items (a newtype variant of enum Shape: the variant, then 1 item)",
        0,
    );
    mismatch::<Shape>(
        b"\xb0",
        "invalid type: tuple of 0 items, expected enum Shape: a str (unit variant) or a tuple (variant, payload…)",
        0,
    );
    let (message, offset) = err::<Shape>(b"\x84Oval");
    assert_eq!(
        message,
        "unknown variant `Oval`, expected one of `Empty`, `Circle`, `Line`, `Rect` at offset 0"
    );
    assert_eq!(offset, Some(0));
    let e = from_slice::<Vec<Shape>>(b"\xb2\x85Empty\x84Oval").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (SerdeErrorKind::Custom, Some(7)));
    // Also behind an Option, whose reader has looked at the item already.
    let e = from_slice::<(Option<Shape>,)>(b"\xb1\x84Oval").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (SerdeErrorKind::Custom, Some(1)));
}

/// Names the visitor call `deserialize_any` makes, with its argument.
#[derive(Debug, PartialEq)]
struct Call(String);

impl<'de> Deserialize<'de> for Call {
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Call;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("anything")
            }
            fn visit_unit<E>(self) -> Result<Call, E> {
                Ok(Call("unit".into()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Call, E> {
                Ok(Call(format!("bool {v}")))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Call, E> {
                Ok(Call(format!("u64 {v}")))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Call, E> {
                Ok(Call(format!("i64 {v}")))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Call, E> {
                Ok(Call(format!("u128 {v}")))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Call, E> {
                Ok(Call(format!("i128 {v}")))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Call, E> {
                Ok(Call(format!("f64 {v}")))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Call, E> {
                Ok(Call(format!("borrowed_str {v}")))
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Call, E> {
                Ok(Call(format!("borrowed_bytes {v:?}")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Call, A::Error> {
                let mut items = Vec::new();
                let hint = seq.size_hint();
                while let Some(Call(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Call(format!("seq {hint:?} [{}]", items.join(", "))))
            }
        }
        d.deserialize_any(V)
    }
}

#[test]
fn self_describing_reads_map_events_to_visitor_calls() {
    let call = |input: &[u8]| from_slice::<Call>(input).unwrap().0;
    assert_eq!(call(b"\xc0"), "unit");
    assert_eq!(call(b"\xc1"), "bool false");
    assert_eq!(call(b"\x01"), "u64 1");
    assert_eq!(call(b"\xff"), "i64 -1");
    assert_eq!(
        call(b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01"),
        "u128 18446744073709551616"
    );
    assert_eq!(
        call(b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\x7f\xff"),
        "i128 -9223372036854775809"
    );
    assert_eq!(call(b"\xc3\x00\x00\x00\x00\x00\x00\xf8\x3f"), "f64 1.5");
    assert_eq!(call(b"\x81a"), "borrowed_str a");
    assert_eq!(call(b"\xa1\x00"), "borrowed_bytes [0]");
    assert_eq!(call(b"\xb2\x01\xb0"), "seq Some(2) [u64 1, seq Some(0) []]");
    // serde_json's Value, through the same path.
    let json: serde_json::Value = from_slice(b"\xb5\x01\xff\x81a\xc0\xc2").unwrap();
    assert_eq!(json.to_string(), r#"[1,-1,"a",null,true]"#);
    let mut huge = b"\xcc\x12".to_vec();
    huge.extend([0u8; 17]);
    huge.push(1);
    mismatch::<Call>(
        &huge,
        "invalid value: int 87112285931760246646623899502532662132736 does not fit i128 or \
         u128 (frozenpack::BigInt and frozenpack::Value can hold it)",
        0,
    );
    mismatch::<Call>(
        b"\xb1\xdc\x03\xed\xa0\x80",
        "invalid type: str with surrogates, which only frozenpack::SurrogateStr and \
         frozenpack::Value can hold",
        1,
    );
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Loose<'a> {
    Num(i64),
    Text(&'a str),
    Pair(u8, u8),
}

#[derive(Deserialize, Debug, PartialEq)]
struct Inner {
    x: u8,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Flattened {
    a: u8,
    #[serde(flatten)]
    inner: Inner,
}

#[test]
fn untagged_and_flatten_go_through_deserialize_any() {
    assert_eq!(from_slice::<Loose<'_>>(b"\xff").unwrap(), Loose::Num(-1));
    assert_eq!(from_slice::<Loose<'_>>(b"\x81t").unwrap(), Loose::Text("t"));
    assert_eq!(
        from_slice::<Loose<'_>>(b"\xb2\x01\x02").unwrap(),
        Loose::Pair(1, 2)
    );
    assert_eq!(
        from_slice::<Flattened>(b"\xb2\xb2\x81a\x01\xb2\x81x\x02").unwrap(),
        Flattened {
            a: 1,
            inner: Inner { x: 2 }
        }
    );
}

#[test]
fn wire_errors_are_the_decoders() {
    let cases: &[&[u8]] = &[
        b"",
        b"\xb2\x01",
        b"\xe0",
        b"\xb1\xc4\x05",
        b"\x82\xc0\xaf",
        b"\x05\x06",
        b"\xb1\xd3\xff\xff\xff\xff\xff\xff\xff\xff",
    ];
    for &input in cases {
        let direct = crate::decode_value(input).unwrap_err();
        for e in [
            from_slice::<crate::Value<'_>>(input).unwrap_err(),
            from_slice::<IgnoredAny>(input).unwrap_err(),
        ] {
            assert_eq!(e.wire(), Some(&direct), "{input:02x?}");
            assert_eq!(e.to_string(), direct.to_string());
            assert_eq!(e.kind(), SerdeErrorKind::Wire(direct.kind()));
        }
    }
    // A typed reader meets the same wire error where it reads that far…
    let e = from_slice::<(u8, u8)>(b"\xb2\x01\xe0").unwrap_err();
    assert_eq!(e.kind(), SerdeErrorKind::Wire(ErrorKind::UnknownTag));
    assert_eq!(e.offset(), Some(2));
    // …and trailing bytes after a complete value.
    let e = from_slice::<u8>(b"\x01\x02\x03").unwrap_err();
    assert_eq!(
        e.to_string(),
        "trailing_bytes at offset 1: 2 octets follow the value"
    );
}

#[test]
fn the_depth_limit_is_the_decoders() {
    let ok = nested(1000);
    assert!(from_slice::<IgnoredAny>(&ok).is_ok());
    let e = from_slice::<IgnoredAny>(&nested(1001)).unwrap_err();
    assert_eq!(e.kind(), SerdeErrorKind::Wire(ErrorKind::DepthExceeded));
    assert_eq!(e.offset(), Some(1000));
    let options = DecodeOptions::new().with_max_depth(2);
    let mut de = Deserializer::with_options(b"\xb1\xb1\xb1\x01", 0, &options);
    let e = <(((u8,),),)>::deserialize(&mut de).unwrap_err();
    assert_eq!(
        e.to_string(),
        "depth_exceeded at offset 2: a tuple at level 3 exceeds the depth limit 2"
    );
}

/// A recursive type: one level of serde recursion per tuple.
#[derive(Deserialize, Debug)]
struct Deep(#[allow(dead_code)] Vec<Deep>);

#[test]
fn recursive_types_at_the_depth_limit_fit_a_spawned_threads_stack() {
    // The mapping's notes promise that the default limit fits the 2 MiB stack of a spawned
    // thread (measured: under 1.5 MiB unoptimized for 1000 levels).
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut input = vec![0xb1; 999];
            input.push(0xb0);
            from_slice::<Deep>(&input).unwrap();
            input.insert(0, 0xb1);
            let e = from_slice::<Deep>(&input).unwrap_err();
            assert_eq!(
                e.wire().map(|e| (e.kind(), e.offset())),
                Some((ErrorKind::DepthExceeded, 1000))
            );
        })
        .unwrap()
        .join()
        .unwrap();
}

#[derive(Debug, PartialEq)]
struct Lazy;

impl<'de> Deserialize<'de> for Lazy {
    fn deserialize<D: ::serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Ok(Lazy)
    }
}

/// Takes the first item of a tuple and returns.
#[derive(Debug, PartialEq)]
struct First(u8);

impl<'de> Deserialize<'de> for First {
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = First;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a tuple")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<First, A::Error> {
                Ok(First(seq.next_element()?.unwrap_or(0)))
            }
        }
        d.deserialize_seq(V)
    }
}

#[test]
fn a_value_must_be_read_to_its_end() {
    let e = from_slice::<Lazy>(b"\x01").unwrap_err();
    assert_eq!(e.kind(), SerdeErrorKind::Custom);
    assert_eq!(
        e.to_string(),
        "the Deserialize impl stopped before the end of the value at offset 0"
    );
    let e = from_slice::<First>(b"\xb2\x01\x02").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid length: tuple of 2 items, expected 1 item (the visitor stopped early) at offset 0"
    );
    assert_eq!(from_slice::<First>(b"\xb1\x07").unwrap(), First(7));
    // An impl that reads nothing inside a tuple shifts every later item: an error, never a
    // panic, whichever way the shift shows.
    for input in [&b"\xb2\x01\x02"[..], b"\xb1\xb1\x01", b"\xb2\x01\x81a"] {
        let e = from_slice::<(Lazy, u8)>(input).unwrap_err();
        assert!(
            matches!(e.kind(), SerdeErrorKind::Custom | SerdeErrorKind::Mismatch),
            "{e}"
        );
    }
    // Reported where the tuple's first unread item starts, once the tuple's items have all
    // been handed out.
    let e = from_slice::<(Lazy, u8)>(b"\xb2\x01\x02").unwrap_err();
    assert_eq!(
        e.to_string(),
        "a Deserialize impl returned without reading its item, so the items after it were \
         misread at offset 2"
    );
    assert!(from_slice::<Vec<Lazy>>(b"\xb2\x01\x02").is_err());
    assert!(from_slice::<(Lazy, serde_json::Value)>(b"\xb1\x01").is_err());
}

/// `Option` decides on the next tag octet without reading the item ahead, so every error
/// around it is the one any other type gets at that place.
#[test]
fn options_read_nothing_ahead() {
    // The unread item is where the value stops, as for `Lazy` alone.
    let e = from_slice::<Option<Lazy>>(b"\x01").unwrap_err();
    assert_eq!(e.kind(), SerdeErrorKind::Custom);
    assert_eq!(
        e.to_string(),
        "the Deserialize impl stopped before the end of the value at offset 0"
    );
    // After an item left unread, an `Option` reads the next one, none or not.
    for input in [&b"\xb2\x01\xc0"[..], b"\xb2\xc0\x01"] {
        let e = from_slice::<(Lazy, Option<u8>)>(input).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a Deserialize impl returned without reading its item, so the items after it were \
             misread at offset 2"
        );
    }
    // Past the end of the value, even where a NONE tag follows it.
    for input in [&b"\xc0"[..], b"\x01", b"\x01\xc0"] {
        let mut de = Deserializer::from_slice(input);
        Option::<u8>::deserialize(&mut de).unwrap();
        let e = Option::<u8>::deserialize(&mut de).unwrap_err();
        assert_eq!(e.kind(), SerdeErrorKind::Custom);
        assert_eq!(e.offset(), None);
        assert_eq!(
            e.to_string(),
            "a Deserialize impl asked for more than the value holds"
        );
    }
    // Wire errors are the reader's, whichever way the tag octet points.
    for (input, kind, offset) in [
        (&b""[..], ErrorKind::Truncated, 0),
        (b"\xe0", ErrorKind::UnknownTag, 0),
        (b"\xb1", ErrorKind::Truncated, 1),
        (b"\xc0\xc0", ErrorKind::TrailingBytes, 1),
    ] {
        let e = from_slice::<Option<u8>>(input).unwrap_err();
        assert_eq!(
            e.wire().map(|e| (e.kind(), e.offset())),
            Some((kind, offset)),
            "{e}"
        );
    }
}

#[test]
fn prefixes_and_sequences() {
    let input = b"\x01\xb2\x81a\x02\xe0";
    assert_eq!(
        from_slice_prefix::<(&str, u8)>(input, 1).unwrap(),
        (("a", 2), 5)
    );
    let e = from_slice_prefix::<u8>(input, 5).unwrap_err();
    assert_eq!(
        e.wire().map(|e| (e.kind(), e.offset())),
        Some((ErrorKind::UnknownTag, 5))
    );
    let mut values = iter_from_slice::<crate::Value<'_>>(input);
    assert_eq!(values.next().unwrap().unwrap(), crate::Value::from(1));
    assert_eq!(values.next().unwrap().unwrap().to_string(), "('a', 2)");
    assert_eq!(values.offset(), 5);
    assert!(values.next().unwrap().is_err());
    assert!(values.next().is_none());
    // A Deserialize impl that reads nothing cannot stall a sequence.
    let mut lazy = iter_from_slice::<Lazy>(b"\x01\x02");
    assert!(lazy.next().unwrap().is_err());
    assert!(lazy.next().is_none());
}

thread_local! {
    /// The size hints `Hints` visitors were given, in order.
    static SEEN: std::cell::RefCell<Vec<Option<usize>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads any value, recording the size hint of every tuple in `SEEN` as it opens.
struct Hints;

impl<'de> Deserialize<'de> for Hints {
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Hints;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("ints and tuples")
            }
            fn visit_u64<E>(self, _: u64) -> Result<Hints, E> {
                Ok(Hints)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Hints, A::Error> {
                SEEN.with(|seen| seen.borrow_mut().push(seq.size_hint()));
                while seq.next_element::<Hints>()?.is_some() {}
                Ok(Hints)
            }
        }
        d.deserialize_any(V)
    }
}

fn hints(input: &[u8]) -> (Vec<Option<usize>>, Result<(), SerdeError>) {
    SEEN.with(|seen| seen.borrow_mut().clear());
    let result = from_slice::<Hints>(input).map(|_| ());
    (SEEN.with(|seen| seen.take()), result)
}

#[test]
fn size_hints_of_open_tuples_stay_within_the_input() {
    // (((0, 0, 0),),): every count is hinted.
    let (seen, result) = hints(b"\xb1\xb1\xb3\x00\x00\x00");
    assert_eq!(seen, [Some(1), Some(1), Some(3)]);
    assert!(result.is_ok());
    // Each count fits what remains after its header (spec §6 step 6), but together they
    // exceed the input: the outer announces 30 items, the inner 28, in 32 octets. The inner
    // tuple gets no hint, so nothing reserves beyond the input; the input then turns out
    // truncated.
    let mut input = b"\xd8\x1e\xd8\x1c".to_vec();
    input.extend([0u8; 28]);
    let (seen, result) = hints(&input);
    assert_eq!(seen, [Some(30), None]);
    let e = result.unwrap_err();
    assert_eq!(
        e.wire().map(|e| (e.kind(), e.offset())),
        Some((ErrorKind::Truncated, 32))
    );
}

#[test]
fn errors_keep_their_source_and_debug_form() {
    let e: SerdeError = from_slice::<u8>(b"\xe1").unwrap_err();
    assert_eq!(
        format!("{e:?}"),
        "SerdeError(Wire(UnknownTag): unknown_tag at offset 0: tag e1 is reserved)"
    );
    assert!(std::error::Error::source(&e).is_some());
    let e = from_slice::<u8>(b"\xc0").unwrap_err();
    assert!(std::error::Error::source(&e).is_none());
    assert_eq!(SerdeErrorKind::Mismatch.to_string(), "mismatch");
    assert_eq!(
        SerdeErrorKind::Wire(ErrorKind::Truncated).to_string(),
        "truncated"
    );
}
