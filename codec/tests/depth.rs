//! The depth limit (spec §8): configurable, enforced at the spec's offset, and safe for the
//! native stack at any configured depth — every test here runs on a 2 MiB stack.

use bytes::Bytes;
use frozenpack::{DecodeOptions, ErrorKind, SharedValue, Value};

/// `depth` singleton tuples around `None`: `b1` × depth, then `c0`.
fn nested(depth: usize) -> Vec<u8> {
    let mut input = vec![0xb1; depth];
    input.push(0xc0);
    input
}

fn on_2mib_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn default_limit_is_1000() {
    on_2mib_stack(|| {
        assert_eq!(
            frozenpack::decode_value(&nested(1000)).unwrap().depth(),
            1000
        );
        let err = frozenpack::decode_value(&nested(1001)).unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::DepthExceeded, 1000));
    });
}

#[test]
fn depth_100_000_configured_decodes_and_drops_on_a_small_stack() {
    on_2mib_stack(|| {
        let options = DecodeOptions::new().with_max_depth(100_000);
        let input = nested(100_000);
        let value = options.decode(&input).unwrap();
        assert_eq!(value.depth(), 100_000);
        assert_eq!(frozenpack::encode_value(&value), input);
        let shared = options.decode_shared(&Bytes::from(input.clone())).unwrap();
        assert_eq!(shared, value);
        drop(shared);
        drop(value);
        let err = options.decode(&nested(100_001)).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (ErrorKind::DepthExceeded, 100_000)
        );
    });
}

#[test]
fn no_limit_at_all_is_safe_too() {
    on_2mib_stack(|| {
        let options = DecodeOptions::new().with_max_depth(usize::MAX);
        let input = nested(1_000_000);
        let value = options.decode(&input).unwrap();
        assert_eq!(value.depth(), 1_000_000);
    });
}

#[test]
fn the_depth_check_comes_before_the_length_field() {
    // 1000 levels, then a TUPLE tag whose 8-octet length field is missing: the tuple would
    // stand at level 1001, which is reported first (spec §6 step 3 before step 4).
    let mut input = vec![0xb1; 1000];
    input.push(0xdb);
    let err = frozenpack::decode_value(&input).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::DepthExceeded, 1000));
    // One level less, and the missing length field is what is found.
    let err = frozenpack::decode_value(&input[1..]).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, 1000));
}

#[test]
fn a_depth_bomb_is_rejected_at_its_first_excess_tag() {
    let bomb = vec![0xb1; 10_000];
    let err = frozenpack::decode_value(&bomb).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::DepthExceeded, 1000));
}

#[test]
fn each_value_of_a_sequence_has_its_own_depth() {
    let options = DecodeOptions::new().with_max_depth(3);
    let mut input = nested(3);
    input.extend(nested(3));
    input.extend(nested(4));
    let results: Vec<_> = options.decode_stream(&input).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::DepthExceeded, 8 + 3)
    );
}

#[test]
fn limits_below_the_default_are_honoured() {
    let options = DecodeOptions::new().with_max_depth(0);
    assert_eq!(options.decode(b"\x05").unwrap(), Value::Int(5));
    let err = options.decode(b"\xb0").unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::DepthExceeded, 0));
    let shared = options
        .decode_shared(&Bytes::from_static(b"\xb0"))
        .unwrap_err();
    assert_eq!(shared.kind(), ErrorKind::DepthExceeded);
    assert!(SharedValue::from_bytes(&Bytes::from_static(b"\xb0")).is_ok());
}
