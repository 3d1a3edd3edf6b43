//! proptest strategies (feature `proptest`): values of every kind, and valid encodings built
//! straight from the spec's grammar.
//!
//! [`encoding`] does not call this crate's encoder: it assembles tags, length fields and
//! payloads by the rules of spec §3–§5 itself, so a property such as "decoding then
//! re-encoding gives back the input" checks the decoder and the encoder against an
//! independent statement of the format.
//!
//! ```
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::default();
//! runner.run(&frozenpack::strategy::encoding(), |bytes| {
//!     let value = frozenpack::decode_value(&bytes).expect("valid by construction");
//!     prop_assert_eq!(&frozenpack::encode_value(&value), &bytes);
//!     Ok(())
//! }).unwrap();
//! ```

use proptest::collection::vec;
use proptest::prelude::*;

use crate::{BigInt, Value};

/// How deep generated tuples nest.
const DEPTH: u32 = 6;
/// About how many nodes a generated tree has at most.
const SIZE: u32 = 96;
/// The most items a generated tuple has.
const ITEMS: u32 = 20;

/// Code points with surrogates likely: half from U+D800 … U+DFFF, half from anywhere.
fn code_point() -> impl Strategy<Value = u32> {
    prop_oneof![0xd800u32..=0xdfff, 0u32..=0x7f, 0u32..=0x10_ffff]
}

/// Floats as bit patterns, with the special ones (zeros, infinities, NaNs with payloads,
/// subnormals) likely.
fn float_bits() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        Just(0),
        Just(0x8000_0000_0000_0000),
        Just(0x7ff0_0000_0000_0000),
        Just(0xfff0_0000_0000_0000),
        Just(0x7ff8_0000_0000_0000),
        (0x7ff0_0000_0000_0001u64..=0x7fff_ffff_ffff_ffff),
        (1u64..0x0010_0000_0000_0000),
    ]
}

/// Lengths that reach every FIX form and the 1- and 2-octet length fields.
fn payload_len() -> impl Strategy<Value = usize> {
    prop_oneof![0usize..=40, 250usize..=300]
}

/// Octets of those lengths. Each is expanded from a seed (xorshift) rather than drawn one by
/// one: drawing hundreds of octets per case makes generation, not the code under test, the
/// cost of a property.
fn payload() -> impl Strategy<Value = Vec<u8>> {
    (payload_len(), any::<u64>()).prop_map(|(n, seed)| {
        let mut state = seed | 1;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    })
}

/// Text of any chars (the `String` strategy goes through a regex engine, which is slow).
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

/// A value that is not a tuple.
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree as _};
/// let mut runner = proptest::test_runner::TestRunner::default();
/// let leaf = frozenpack::strategy::leaf().new_tree(&mut runner).unwrap().current();
/// assert_eq!(leaf.depth(), 0);
/// ```
pub fn leaf() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        (-20i64..=130).prop_map(Value::Int),
        any::<i64>().prop_map(Value::Int),
        any::<i128>().prop_map(Value::from),
        any::<u128>().prop_map(Value::from),
        vec(any::<u8>(), 0..40).prop_map(|le| Value::from(BigInt::from_le_bytes(&le))),
        float_bits().prop_map(|bits| Value::Float(f64::from_bits(bits))),
        text().prop_map(Value::from),
        payload_len().prop_map(|n| Value::from("é".repeat(n / 2))),
        vec(code_point(), 0..12).prop_map(|cps| match Value::from_code_points(cps) {
            Ok(value) => value,
            Err(_) => unreachable!("code points are at most U+10FFFF"),
        }),
        payload().prop_map(Value::from),
    ]
}

/// A value of any kind: tuples nest up to 6 deep and hold up to 20 items.
///
/// ```
/// use proptest::prelude::*;
/// let mut runner = proptest::test_runner::TestRunner::default();
/// runner.run(&frozenpack::strategy::value(), |value| {
///     let bytes = frozenpack::encode_value(&value);
///     prop_assert_eq!(frozenpack::decode_value(&bytes).unwrap(), value);
///     Ok(())
/// }).unwrap();
/// ```
pub fn value() -> impl Strategy<Value = Value<'static>> {
    leaf().prop_recursive(DEPTH, SIZE, ITEMS, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..=ITEMS as usize).prop_map(Value::from),
            // Exactly 15 and 16 items: the FIXTUPLE/TUPLE boundary.
            vec(inner, 15..=16).prop_map(Value::from),
        ]
    })
}

/// `hdr(t, n)` of spec §4, or the FIX tag when `n` is at most `fix_max`.
fn header(fix: Option<(u8, usize)>, base: u8, n: usize) -> Vec<u8> {
    if let Some((fix_tag, fix_max)) = fix {
        if n <= fix_max {
            return vec![fix_tag + n as u8];
        }
    }
    let n64 = n as u64;
    let (tag, width) = match n64 {
        0..=0xff => (base, 1),
        0x100..=0xffff => (base + 1, 2),
        0x1_0000..=0xffff_ffff => (base + 2, 4),
        _ => (base + 3, 8),
    };
    let mut out = vec![tag];
    out.extend_from_slice(&n64.to_le_bytes()[..width]);
    out
}

/// The canonical encoding of an int given as an `i128`, by the rules of spec §4.
fn int_encoding(v: i128) -> Vec<u8> {
    if (-16..=127).contains(&v) {
        return vec![v as u8];
    }
    // The fewest octets k with −2^(8k−1) ≤ v < 2^(8k−1).
    let k = (1..=16usize)
        .find(|&k| k == 16 || (-(1i128 << (8 * k - 1))..(1i128 << (8 * k - 1))).contains(&v))
        .unwrap_or(16);
    let le = &v.to_le_bytes()[..k];
    let mut out = if k <= 8 {
        vec![0xc3 + k as u8]
    } else {
        header(None, 0xcc, k)
    };
    out.extend_from_slice(le);
    out
}

/// A BIGINT of 9 … 40 octets: random octets whose top octet is made non-redundant.
fn bigint_encoding() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 9..=40).prop_map(|mut le| {
        let n = le.len();
        let below = le[n - 2];
        match le[n - 1] {
            0x00 if below < 0x80 => le[n - 1] = 0x01,
            0xff if below >= 0x80 => le[n - 1] = 0xfe,
            _ => {}
        }
        let mut out = header(None, 0xcc, n);
        out.extend_from_slice(&le);
        out
    })
}

/// Generalized UTF-8 of code points, written out independently of the crate's encoder.
fn generalized_utf8(code_points: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    for &cp in code_points {
        match char::from_u32(cp) {
            Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            // A surrogate: UTF-8's 3-octet layout, `ed a0 80` … `ed bf bf`.
            None => out.extend_from_slice(&[
                0xed,
                0xa0 | ((cp >> 6) & 0x1f) as u8,
                0x80 | (cp & 0x3f) as u8,
            ]),
        }
    }
    out
}

/// The encoding of a leaf value, built from the grammar.
fn leaf_encoding() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop_oneof![Just(vec![0xc0u8]), Just(vec![0xc1u8]), Just(vec![0xc2u8])],
        any::<i128>().prop_map(int_encoding),
        (-300i128..=300).prop_map(int_encoding),
        bigint_encoding(),
        float_bits().prop_map(|bits| {
            let mut out = vec![0xc3];
            out.extend_from_slice(&bits.to_le_bytes());
            out
        }),
        text().prop_map(|s| {
            let mut out = header(Some((0x80, 31)), 0xd0, s.len());
            out.extend_from_slice(s.as_bytes());
            out
        }),
        payload_len().prop_map(|n| {
            let s = "x".repeat(n);
            let mut out = header(Some((0x80, 31)), 0xd0, n);
            out.extend_from_slice(s.as_bytes());
            out
        }),
        (
            vec(code_point(), 0..12),
            0xd800u32..=0xdfff,
            any::<prop::sample::Index>()
        )
            .prop_map(|(mut cps, surrogate, at)| {
                cps.insert(at.index(cps.len() + 1), surrogate);
                let text = generalized_utf8(&cps);
                let mut out = header(None, 0xdc, text.len());
                out.extend_from_slice(&text);
                out
            }),
        payload().prop_map(|b| {
            let mut out = header(Some((0xa0, 15)), 0xd4, b.len());
            out.extend_from_slice(&b);
            out
        }),
    ]
}

/// A valid (canonical) encoding of one value, assembled from the grammar of spec §3–§5
/// without this crate's encoder: tuples nest up to 6 deep.
///
/// ```
/// use proptest::prelude::*;
/// let mut runner = proptest::test_runner::TestRunner::default();
/// runner.run(&frozenpack::strategy::encoding(), |bytes| {
///     prop_assert!(frozenpack::decode_value(&bytes).is_ok());
///     Ok(())
/// }).unwrap();
/// ```
pub fn encoding() -> impl Strategy<Value = Vec<u8>> {
    leaf_encoding().prop_recursive(DEPTH, SIZE, ITEMS, |inner| {
        prop_oneof![vec(inner.clone(), 0..=ITEMS as usize), vec(inner, 15..=16)].prop_map(|items| {
            let mut out = header(Some((0xb0, 15)), 0xd8, items.len());
            for item in items {
                out.extend_from_slice(&item);
            }
            out
        })
    })
}

#[cfg(test)]
mod tests;
