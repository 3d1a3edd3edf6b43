//! Structure-aware: `Arbitrary` values (every kind, ints and floats across all their forms
//! and bit patterns, strs with and without surrogates, nested tuples) through the encoder
//! and back.
//!
//! * `encoded_len` is the length `encode_value` writes.
//! * Decoding the encoding gives the value back (floats compared by bits: `Value`'s
//!   equality is the spec's), through `decode_value`, `decode_shared` and
//!   `from_slice::<Value>`.
//! * serde's `to_vec` writes exactly what `encode_value` writes (one canonical encoding).
#![no_main]

use frozenpack::bytes::Bytes;
use frozenpack::{
    decode_value, encode_value, encoded_len, from_slice, to_vec, DecodeOptions, Value,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: Value<'static>| {
    let encoding = encode_value(&value);
    assert_eq!(encoded_len(&value), encoding.len(), "encoded_len");

    let decoded = decode_value(&encoding).expect("decoding an encoded value");
    assert_eq!(decoded, value, "decode_value");
    let shared = DecodeOptions::new()
        .decode_shared(&Bytes::from(encoding.clone()))
        .expect("decode_shared of an encoded value");
    assert!(value == shared, "decode_shared: {shared:?}");
    let through_serde: Value = from_slice(&encoding).expect("from_slice of an encoded value");
    assert_eq!(through_serde, value, "from_slice::<Value>");

    assert_eq!(to_vec(&value).expect("to_vec"), encoding, "to_vec");
});
