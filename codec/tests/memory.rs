//! Memory stays O(N) in the input's length (spec §8, §11), whatever the headers claim:
//! measured with a counting global allocator.

use frozenpack::{DecodeOptions, ErrorKind};

mod common;
use common::peak_during;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

// One test function: its measurements share one input set-up (only the measuring thread is
// counted, see common/mod.rs).
#[test]
fn hostile_headers_cannot_make_the_decoder_reserve_more_than_o_n() {
    // A length of 2^64 − 1 with nothing after it: rejected before anything is reserved.
    let input = b"\xd7\xff\xff\xff\xff\xff\xff\xff\xff".to_vec();
    let (peak, ()) = peak_during(|| {
        let err = frozenpack::decode_value(&input).unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, 9));
    });
    assert!(peak < 1024, "peak {peak}");

    // 20 000 nested tuples, each announcing 65 536 items (the least a 4-octet count may
    // carry, and no more than the octets that remain), then 65 536 items for the innermost.
    // Reserving every announced count in full would take 20 000 × 65 536 values (over 40
    // GB); the budget keeps the total within the input's length.
    let levels = 20_000;
    let mut input = Vec::new();
    for _ in 0..levels {
        input.extend_from_slice(b"\xda\x00\x00\x01\x00");
    }
    input.extend(std::iter::repeat_n(0xc0, 65_536));
    let len = input.len();
    let options = DecodeOptions::new().with_max_depth(usize::MAX);
    let (peak, ()) = peak_during(|| {
        let err = options.decode(&input).unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, len));
    });
    // A value is 32 octets; the open-tuple stacks hold a few words per level.
    assert!(peak < 64 * len, "peak {peak} for {len} octets of input");

    // The same through the SharedValue builder.
    let shared_input = bytes::Bytes::from(input.clone());
    let (peak, ()) = peak_during(|| {
        assert!(options.decode_shared(&shared_input).is_err());
    });
    assert!(
        peak < 64 * len,
        "peak {peak} for {len} octets of input (shared)"
    );

    // A million-item tuple of Nones: 1 MiB in, one value per octet out.
    let mut wide = b"\xda\x40\x42\x0f\x00".to_vec();
    wide.extend(std::iter::repeat_n(0xc0, 1_000_000));
    let (peak, ()) = peak_during(|| {
        let value = frozenpack::decode_value(&wide).unwrap();
        assert_eq!(value.as_tuple().map(<[_]>::len), Some(1_000_000));
    });
    assert!(
        peak < 40 * wide.len(),
        "peak {peak} for {} octets of input",
        wide.len()
    );
}
