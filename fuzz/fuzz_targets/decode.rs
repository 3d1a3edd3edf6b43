//! Arbitrary octets into every decoding path.
//!
//! * No path panics, whatever the input.
//! * `decode_value`, `DecodeOptions::decode_shared`, `from_slice::<Value>` and a walk of the
//!   `Reader`'s events agree: the same value (floats by bits), or the same error kind and
//!   offset (spec §6).
//! * Prefix decoding agrees with whole-input decoding: a value ending before the input does
//!   is `trailing_bytes` at its end.
//! * The stream iterators (spec §9), `decode_values` and serde's `iter_from_slice::<Value>`,
//!   yield what prefix decoding at each value's start gives, and their values re-encode to
//!   exactly the octets they were read from.
//! * A valid input decodes under a depth limit equal to its depth and not one below it.
//! * On success the input is the canonical encoding of the value (spec §5: decoding and
//!   encoding are inverse bijections): `encode_value`, `encoded_len` and serde's `to_vec`
//!   give back exactly the input.
#![no_main]

use frozenpack::{
    decode_value_prefix, decode_values, encode_value, encoded_len, iter_from_slice, to_vec,
    DecodeOptions, ErrorKind, Value,
};
use frozenpack_fuzz::paths::{self, rejection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let direct = paths::direct(input);

    match (paths::shared(input), &direct) {
        (Ok(shared), Ok(value)) => assert!(*value == shared, "decode_shared: {shared:?}"),
        (Err(e), Err(expected)) => assert_eq!(&e, expected, "decode_shared"),
        (shared, _) => panic!("decode_shared: {shared:?}, decode_value: {direct:?}"),
    }
    assert_eq!(paths::serde_value(input), direct, "from_slice::<Value>");
    assert_eq!(paths::events(input), direct, "Reader events");

    // Whole-input decoding is prefix decoding at 0 plus the trailing-bytes rule.
    match decode_value_prefix(input, 0) {
        Ok((value, end)) if end == input.len() => assert_eq!(direct, Ok(value), "prefix"),
        Ok((value, end)) => {
            assert_eq!(direct, Err((ErrorKind::TrailingBytes, end)), "prefix");
            assert_eq!(encode_value(&value), &input[..end], "prefix re-encoding");
        }
        Err(e) => assert_eq!(direct, Err(rejection(&e)), "prefix"),
    }

    check_stream(input);

    if let Ok(value) = &direct {
        assert_eq!(encode_value(value), input, "re-encoding a decoded value");
        assert_eq!(
            encoded_len(value),
            input.len(),
            "encoded_len of a decoded value"
        );
        assert_eq!(
            to_vec(value).expect("to_vec of a decoded value"),
            input,
            "to_vec"
        );
        check_depth_limit(input, value);
    }
});

/// Walks `decode_values` and serde's `iter_from_slice::<Value>` in step, checking each
/// value against `decode_value_prefix` at the offset where that value starts.
fn check_stream(input: &[u8]) {
    let mut stream = decode_values(input);
    let mut serde_stream = iter_from_slice::<Value>(input);
    let mut start = 0;
    while let Some(item) = stream.next() {
        let serde_item = serde_stream
            .next()
            .expect("iter_from_slice ended before decode_values");
        match (item, decode_value_prefix(input, start)) {
            (Ok(value), Ok((expected, end))) => {
                assert_eq!(value, expected, "stream value at {start}");
                let serde_value = serde_item.expect("iter_from_slice failed on a valid value");
                assert_eq!(serde_value, expected, "serde stream value at {start}");
                assert_eq!(
                    encode_value(&value),
                    &input[start..end],
                    "stream value at {start}"
                );
                assert_eq!(
                    stream.offset(),
                    end,
                    "stream offset after the value at {start}"
                );
                assert_eq!(serde_stream.offset(), end, "serde stream offset at {start}");
                start = end;
            }
            (Err(e), Err(expected)) => {
                let expected = rejection(&expected);
                assert_eq!(rejection(&e), expected, "stream error at {start}");
                let serde_error =
                    serde_item.expect_err("iter_from_slice accepted an invalid value");
                let wire = serde_error
                    .wire()
                    .expect("a Value stream fails only on wire errors");
                assert_eq!(rejection(wire), expected, "serde stream error at {start}");
                assert_eq!(stream.offset(), start, "stream offset after an error");
                assert_eq!(
                    serde_stream.offset(),
                    start,
                    "serde stream offset after an error"
                );
                assert!(stream.next().is_none(), "the stream went on after an error");
                assert!(
                    serde_stream.next().is_none(),
                    "the serde stream went on after an error"
                );
                return;
            }
            (item, expected) => {
                panic!("stream at {start}: {item:?}, prefix decoding: {expected:?}")
            }
        }
    }
    assert!(
        serde_stream.next().is_none(),
        "iter_from_slice went on after decode_values"
    );
    assert_eq!(start, input.len(), "the stream ended before the input did");
}

/// A valid input decodes under a depth limit equal to its depth, and fails with
/// `depth_exceeded` under one level less (spec §8).
fn check_depth_limit(input: &[u8], value: &Value<'_>) {
    let depth = value.depth();
    let at_limit = DecodeOptions::new().with_max_depth(depth).decode(input);
    assert_eq!(
        at_limit.as_ref().ok(),
        Some(value),
        "max_depth = depth {depth}"
    );
    if depth > 0 {
        let below = DecodeOptions::new().with_max_depth(depth - 1).decode(input);
        let kind = below.map(drop).map_err(|e| e.kind());
        assert_eq!(
            kind,
            Err(ErrorKind::DepthExceeded),
            "max_depth = depth {depth} - 1"
        );
    }
}
