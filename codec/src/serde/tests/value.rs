//! `Value`, `BigInt` and `SurrogateStr` through serde: exact with this crate on both sides,
//! zero-copy and without recursion when decoding, and a sensible degradation elsewhere.

use ::serde::{Deserialize, Serialize};

use super::nested;
use crate::{
    decode_value, encode_value, from_slice, to_vec, BigInt, DecodeOptions, Deserializer, ErrorKind,
    SerdeErrorKind, SharedValue, SurrogateStr, Value,
};

/// Values serde's data model has no slot for, and the distinctions it could blur.
fn tricky() -> Vec<Value<'static>> {
    let big: BigInt<Vec<u8>> = "-123456789012345678901234567890123456789012345678901234567890"
        .parse()
        .unwrap();
    vec![
        Value::from(big),
        Value::from(u128::MAX),
        Value::from(i128::MIN),
        Value::from(u64::MAX),
        Value::from_code_points([0xd800]).unwrap(),
        Value::from_code_points([0x61, 0xdbff, 0xdc00]).unwrap(),
        Value::Float(f64::from_bits(0x7ff4_0000_0000_0001)),
        Value::Float(-0.0),
        Value::Bool(true),
        Value::Int(1),
        Value::None,
        Value::from(&b""[..]),
        Value::from(""),
        Value::from(Vec::<Value<'static>>::new()),
        Value::from(vec![
            Value::from(vec![Value::None]),
            Value::from("x".repeat(40)),
        ]),
    ]
}

#[test]
fn values_pass_through_serde_exactly() {
    let all = Value::from(tricky());
    for value in tricky().into_iter().chain([all]) {
        let direct = encode_value(&value);
        assert_eq!(to_vec(&value).unwrap(), direct, "{value}");
        let back: Value<'_> = from_slice(&direct).unwrap();
        assert_eq!(back, value);
        assert_eq!(back.to_string(), value.to_string());
    }
}

#[test]
fn decoded_values_borrow_from_the_input() {
    let input = b"\xb3\x83abc\xa2\x00\x01\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00".to_vec();
    let value: Value<'_> = from_slice(&input).unwrap();
    let range = input.as_ptr_range();
    let Value::Tuple(items) = &value else {
        panic!("{value}")
    };
    match (&items[0], &items[1], &items[2]) {
        (Value::Str(s), Value::Bytes(b), Value::BigInt(big)) => {
            assert!(matches!(s, std::borrow::Cow::Borrowed(_)));
            assert!(range.contains(&s.as_ptr()));
            assert!(range.contains(&b.as_ptr()));
            assert!(range.contains(&big.as_le_bytes().as_ptr()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn values_decode_without_recursion() {
    // The deepest value the default limit admits, on a stack far too small for recursion
    // through serde at one frame per level.
    std::thread::Builder::new()
        .stack_size(64 << 10)
        .spawn(|| {
            let input = nested(1000);
            let value: Value<'_> = from_slice(&input).unwrap();
            assert_eq!(value.depth(), 1000);
            let e = from_slice::<Value<'_>>(&nested(1001)).unwrap_err();
            assert_eq!(e.kind(), SerdeErrorKind::Wire(ErrorKind::DepthExceeded));
            assert_eq!(e.offset(), Some(1000));
            let deeper = DecodeOptions::new().with_max_depth(100_000);
            let input = nested(100_000);
            let mut de = Deserializer::with_options(&input, 0, &deeper);
            let value = Value::deserialize(&mut de).unwrap();
            de.end().unwrap();
            assert_eq!(value.depth(), 100_000);
        })
        .unwrap()
        .join()
        .unwrap();
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Holder<'a> {
    #[serde(borrow)]
    value: Value<'a>,
    #[serde(borrow)]
    maybe: Option<Value<'a>>,
    n: u8,
}

#[test]
fn values_inside_typed_data() {
    let cases = [
        (Value::from(1u128 << 100), None),
        (
            Value::None,
            Some(Value::from(vec![Value::from(1), Value::from("a")])),
        ),
        (
            Value::from_code_points([0xdfff]).unwrap(),
            Some(Value::from(u128::MAX)),
        ),
    ];
    for (value, maybe) in cases {
        let holder = Holder { value, maybe, n: 9 };
        let bytes = to_vec(&holder).unwrap();
        let expected = Value::from(vec![
            holder.value.clone(),
            holder.maybe.clone().unwrap_or(Value::None),
            Value::from(9),
        ]);
        assert_eq!(bytes, encode_value(&expected));
        assert_eq!(from_slice::<Holder<'_>>(&bytes).unwrap(), holder);
    }
    // An error inside a Value field is the decoder's, at its offset.
    let e = from_slice::<Holder<'_>>(b"\xb3\xb1\xc4\x00\xc0\x09").unwrap_err();
    assert_eq!(
        e.wire().map(|e| (e.kind(), e.offset())),
        Some((ErrorKind::NonCanonical, 2))
    );
}

#[test]
fn big_ints_and_surrogate_strs_on_their_own() {
    for text in [
        "0",
        "-1",
        "18446744073709551616",
        "-340282366920938463463374607431768211457",
    ] {
        let big: BigInt<Vec<u8>> = text.parse().unwrap();
        let bytes = to_vec(&big).unwrap();
        assert_eq!(bytes, encode_value(&Value::from(big.clone())));
        assert_eq!(from_slice::<BigInt<Vec<u8>>>(&bytes).unwrap(), big);
    }
    let s = SurrogateStr::from_code_points([0xd800, 0x62]).unwrap();
    let bytes = to_vec(&s).unwrap();
    assert_eq!(bytes, b"\xdc\x04\xed\xa0\x80b");
    assert_eq!(from_slice::<SurrogateStr<Vec<u8>>>(&bytes).unwrap(), s);
    let e = from_slice::<SurrogateStr<Vec<u8>>>(b"\x81a").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid type: str, expected str with surrogates at offset 0"
    );
}

#[test]
fn shared_values_serialize_like_values() {
    let input = bytes::Bytes::from(encode_value(&Value::from(tricky())));
    let shared = SharedValue::from_bytes(&input).unwrap();
    assert_eq!(to_vec(&shared).unwrap(), &input[..]);
}

#[test]
fn values_deeper_than_the_serializers_limit_are_refused_not_crashed() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let input = nested(1000);
            let ok = decode_value(&input).unwrap();
            assert_eq!(to_vec(&ok).unwrap(), nested(1000));
            let input = nested(1001);
            let deep = DecodeOptions::new()
                .with_max_depth(2000)
                .decode(&input)
                .unwrap();
            let e = to_vec(&deep).unwrap_err();
            assert_eq!(e.kind(), SerdeErrorKind::Unsupported);
            assert_eq!(encode_value(&deep), nested(1001));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn other_formats_get_the_natural_reading() {
    let value = Value::from(vec![
        Value::None,
        Value::Bool(false),
        Value::from(-5),
        Value::from(u128::MAX),
        Value::from(1.5),
        Value::from("é"),
        Value::from(&b"\x01"[..]),
        Value::from(vec![Value::from(1)]),
    ]);
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"[null,false,-5,340282366920938463463374607431768211455,1.5,"é",[1],[1]]"#
    );
    // Beyond 128 bits an int is its little-endian two's complement; a str with surrogates
    // its generalized UTF-8.
    let value = Value::from(vec![
        Value::from(BigInt::from_le_bytes(&[
            0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80,
        ])),
        Value::from_code_points([0xd800]).unwrap(),
    ]);
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        "[[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,128],[237,160,128]]"
    );
    let from_json: Value<'_> =
        serde_json::from_str(r#"{"a": [1, -2, 3.0], "b": null, "c": 18446744073709551615}"#)
            .unwrap();
    assert_eq!(
        from_json.to_string(),
        "(('a', (1, -2, 3.0)), ('b', None), ('c', 18446744073709551615))"
    );
    assert_eq!(
        serde_json::from_str::<Value<'_>>("{}").unwrap(),
        Value::from(Vec::<Value<'_>>::new())
    );
    // A map whose first key is an ordinary string that happens to start with '$'.
    let from_json: Value<'_> = serde_json::from_str(r#"{"$x": 1}"#).unwrap();
    assert_eq!(from_json.to_string(), "(('$x', 1),)");
    // BigInt and SurrogateStr come back from the bytes they degrade to.
    let big: BigInt<Vec<u8>> = "-340282366920938463463374607431768211457".parse().unwrap();
    let json = serde_json::to_string(&big).unwrap();
    assert_eq!(serde_json::from_str::<BigInt<Vec<u8>>>(&json).unwrap(), big);
    let s = SurrogateStr::from_code_points([0xdc00]).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(
        serde_json::from_str::<SurrogateStr<Vec<u8>>>(&json).unwrap(),
        s
    );
    assert_eq!(
        serde_json::from_str::<BigInt<Vec<u8>>>("-7").unwrap(),
        BigInt::from(-7i8)
    );
}
