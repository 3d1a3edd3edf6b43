//! Tests of [`Value`] as a whole: the spec's equality and order, hashing, ownership, and
//! safety at depths far beyond the native stack's reach.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::*;

fn hash_of(v: &Value<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn nested(depth: usize) -> Value<'static> {
    let mut value = Value::None;
    for _ in 0..depth {
        value = Value::from(vec![value]);
    }
    value
}

/// Runs `f` on a thread with a 2 MiB stack, the size the brief's depth tests use.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn equality_follows_the_data_model() {
    assert_eq!(Value::from(f64::NAN), Value::from(f64::NAN));
    assert_ne!(
        Value::from(f64::from_bits(0x7ff8_0000_0000_0001)),
        Value::from(f64::NAN)
    );
    assert_ne!(Value::from(0.0), Value::from(-0.0));
    assert_ne!(Value::from(1), Value::from(1.0));
    assert_ne!(Value::from(true), Value::from(1));
    assert_ne!(Value::from("a"), Value::from(&b"a"[..]));
    assert_ne!(Value::from(vec![Value::None]), Value::None);
    // One int, two variants.
    assert_eq!(Value::BigInt(BigInt::from(5u8).into()), Value::Int(5));
    assert_eq!(
        hash_of(&Value::BigInt(BigInt::from(-300i32).into())),
        hash_of(&Value::Int(-300))
    );
}

#[test]
fn order_follows_the_spec() {
    // Each value sorts strictly before the next (spec §1, value order).
    let ascending = vec![
        Value::None,
        Value::from(false),
        Value::from(true),
        Value::from(-(1i128 << 100)),
        Value::from(i64::MIN),
        Value::from(-1),
        Value::from(0),
        Value::from(i64::MAX),
        Value::from(u64::MAX),
        Value::from(f64::from_bits(0xfff8_0000_0000_0000)), // −NaN
        Value::from(f64::NEG_INFINITY),
        Value::from(-0.0),
        Value::from(0.0),
        Value::from(f64::INFINITY),
        Value::from(f64::NAN),
        Value::from(f64::from_bits(0x7ff8_0000_0000_0001)),
        Value::from(""),
        Value::from("a"),
        Value::from_code_points([0x61, 0xd800]).unwrap(),
        Value::from("a\u{e000}"),
        Value::from_code_points([0xdfff]).unwrap(),
        Value::from("\u{e000}"),
        Value::from("😀"),
        Value::from(&b""[..]),
        Value::from(&b"\x00"[..]),
        Value::from(&b"\x01"[..]),
        Value::from(Vec::<Value>::new()),
        Value::from(vec![Value::None]),
        Value::from(vec![Value::None, Value::None]),
        Value::from(vec![Value::from(0)]),
    ];
    for (i, a) in ascending.iter().enumerate() {
        for (j, b) in ascending.iter().enumerate() {
            assert_eq!(a.cmp(b), i.cmp(&j), "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn into_owned_outlives_the_input() {
    let input =
        b"\xb4\x81a\xa1\x00\xdc\x03\xed\xa0\x80\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00"
            .to_vec();
    let borrowed = crate::decode_value(&input).unwrap();
    let expected = borrowed.to_string();
    let owned: Value<'static> = borrowed.into_owned();
    drop(input);
    assert_eq!(owned.to_string(), expected);
    assert_eq!(owned.into_owned().depth(), 1);
}

#[test]
fn accessors_return_only_their_kind() {
    let value = Value::from(vec![Value::from(1), Value::from("s")]);
    assert_eq!(value.as_tuple().unwrap()[1].as_str(), Some("s"));
    assert_eq!(value.as_str(), None);
    assert_eq!(Value::from(1).as_f64(), None);
    assert_eq!(Value::from(vec![Value::None]).kind_name(), "tuple");
}

#[test]
fn deep_values_are_safe_on_a_small_stack() {
    on_small_stack(|| {
        let depth = 200_000;
        let value = nested(depth);
        assert_eq!(value.depth(), depth);
        let copy = value.clone();
        assert_eq!(copy, value);
        assert_eq!(hash_of(&copy), hash_of(&value));
        let text = value.to_string();
        assert_eq!(text.len(), depth * 3 + 4);
        assert!(format!("{value:?}").starts_with("Tuple([Tuple(["));
        let bytes = crate::encode_value(&value);
        assert_eq!(bytes.len(), depth + 1);
        let owned = copy.into_owned();
        assert_eq!(owned.depth(), depth);
        drop(owned);
        drop(value);
    });
}

#[test]
fn wide_and_deep_mixtures_drop_cleanly() {
    on_small_stack(|| {
        // A comb: every level has a leaf, a nested tuple, and an empty tuple.
        let mut value = Value::None;
        for i in 0..50_000 {
            value = Value::from(vec![
                Value::from(i),
                value,
                Value::from(Vec::<Value>::new()),
            ]);
        }
        let copy = value.clone();
        assert_eq!(copy.cmp(&value), core::cmp::Ordering::Equal);
        drop(copy);
    });
}
