//! Decoding N octets allocates O(N) (spec §8), through every decoding path — `decode_value`,
//! `decode_shared`, serde's `from_slice::<Value>` and typed serde shapes — whatever the
//! headers claim; and the error reported is the one spec §6 reaches, at its offset.
//! `memory.rs` covers one 2^64 − 1 length and the nested-count budget for the first two
//! paths; this file adds 2^62 claims for every prefixed family, the serde paths, `b2` chains
//! and depth bombs made of prefixed headers.

use bytes::Bytes;
use frozenpack::{
    DecodeOptions, Deserializer, Error, ErrorKind, SerdeError, SerdeErrorKind, Value,
};
use serde::Deserialize;

mod common;
use common::peak_during;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

fn kind_at(e: &Error) -> (ErrorKind, usize) {
    (e.kind(), e.offset())
}

fn serde_kind_at(e: &SerdeError) -> (ErrorKind, usize) {
    match e.kind() {
        SerdeErrorKind::Wire(kind) => (kind, e.offset().unwrap()),
        other => panic!("expected a wire error, got {other:?}: {e}"),
    }
}

/// The bound per input octet when every octet may open a tuple (`b1`/`b2` chains): the open
/// tuple's item vector (at least 4 slots of 32-octet values: Rust's smallest non-empty
/// `Vec`) and its entry on the decoder's stack. Measured: about 256 for `b1` chains, 105 for
/// `b2` chains, 77 for `d9 ff ff` chains.
const PER_OPEN_TUPLE: usize = 320;

/// The bound per input octet for a wide tuple of one-octet items: one 32-octet value per
/// item, plus the builder's bookkeeping (measured: 40 through `decode_shared`).
const PER_ITEM: usize = 48;

/// A recursive typed shape: a tuple of tuples of …, as serde sees `Vec`s of itself.
#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Nest(Vec<Nest>);

/// Decodes `input` through every path expected to fail with `expected`, each within
/// `per_octet` × len + `constant` bytes of peak allocation.
fn every_path_fails(
    input: &[u8],
    options: DecodeOptions,
    expected: (ErrorKind, usize),
    per_octet: usize,
    constant: usize,
) {
    let bound = per_octet * input.len() + constant;
    let len = input.len();
    let shared = Bytes::copy_from_slice(input);
    let (peak, r) = peak_during(|| options.decode(input).map(drop));
    assert_eq!(kind_at(&r.unwrap_err()), expected, "decode");
    eprintln!("decode: peak {peak} for {len} octets");
    assert!(peak <= bound, "decode: peak {peak} > {bound}");
    let (peak, r) = peak_during(|| options.decode_shared(&shared).map(drop));
    assert_eq!(kind_at(&r.unwrap_err()), expected, "decode_shared");
    eprintln!("decode_shared: peak {peak} for {len} octets");
    assert!(peak <= bound, "decode_shared: peak {peak} > {bound}");
    // serde's path: `from_slice` with these options.
    let (peak, r) = peak_during(|| {
        let mut de = Deserializer::with_options(input, 0, &options);
        Value::deserialize(&mut de).map(drop)?;
        de.end()
    });
    assert_eq!(serde_kind_at(&r.unwrap_err()), expected, "serde Value");
    eprintln!("serde Value: peak {peak} for {len} octets");
    assert!(peak <= bound, "serde Value: peak {peak} > {bound}");
}

/// `tag` ‖ LE(8, 2^62) ‖ `present`: a header claiming 2^62 items or octets with only
/// `present` after it.
fn claims_2_62(tag: u8, present: &[u8]) -> Vec<u8> {
    let mut input = vec![tag];
    input.extend_from_slice(&(1u64 << 62).to_le_bytes());
    input.extend_from_slice(present);
    input
}

#[test]
fn headers_claiming_2_62_are_truncated_before_anything_is_reserved() {
    // TUPLE8, BYTES8, STR8, BIGINT8, SSTR8: the count passes the canonical check (it needs
    // an 8-octet field) and fails the remaining-octets check (spec §6 step 6): `truncated`
    // at L, whatever follows, with nothing reserved for the claim.
    for tag in [0xdb, 0xd7, 0xd3, 0xcf, 0xdf] {
        for present in [&b""[..], b"\x00", b"\x01\x02\x03\x04\x05\x06\x07"] {
            let input = claims_2_62(tag, present);
            let expected = (ErrorKind::Truncated, input.len());
            every_path_fails(&input, DecodeOptions::new(), expected, 0, 1024);
        }
    }
    // The same claims inside a tuple, as its second item: the offset is still L.
    let mut input = b"\xb3\x01".to_vec();
    input.extend(claims_2_62(0xdb, b"\xc0\xc0"));
    every_path_fails(
        &input,
        DecodeOptions::new(),
        (ErrorKind::Truncated, input.len()),
        0,
        1024,
    );
}

#[test]
fn typed_serde_shapes_reserve_nothing_for_a_2_62_claim() {
    let tuple = claims_2_62(0xdb, b"\x01\x02\x03");
    let bytes = claims_2_62(0xd7, b"abc");
    let text = claims_2_62(0xd3, b"abc");
    let expected = |input: &[u8]| (ErrorKind::Truncated, input.len());
    let (peak, r) = peak_during(|| frozenpack::from_slice::<Vec<u8>>(&tuple).map(drop));
    assert_eq!(serde_kind_at(&r.unwrap_err()), expected(&tuple));
    assert!(peak < 1024, "Vec<u8>: peak {peak}");
    let (peak, r) = peak_during(|| frozenpack::from_slice::<Vec<Nest>>(&tuple).map(drop));
    assert_eq!(serde_kind_at(&r.unwrap_err()), expected(&tuple));
    assert!(peak < 1024, "Vec<Nest>: peak {peak}");
    let (peak, r) = peak_during(|| frozenpack::from_slice::<&[u8]>(&bytes).map(drop));
    assert_eq!(serde_kind_at(&r.unwrap_err()), expected(&bytes));
    assert!(peak < 1024, "&[u8]: peak {peak}");
    let (peak, r) = peak_during(|| frozenpack::from_slice::<String>(&text).map(drop));
    assert_eq!(serde_kind_at(&r.unwrap_err()), expected(&text));
    assert!(peak < 1024, "String: peak {peak}");
}

/// 1000 TUPLE2 headers each claiming 65 535 items (within what remains), then 65 535
/// one-octet items: the innermost tuple completes, its parent cannot.
fn nested_claims(levels: usize) -> Vec<u8> {
    let mut input = b"\xd9\xff\xff".repeat(levels);
    input.extend(std::iter::repeat_n(0x00, 65_535));
    input
}

#[test]
fn nested_claims_stay_within_o_n_through_serde_too() {
    let input = nested_claims(1000);
    let expected = (ErrorKind::Truncated, input.len());
    // Reserving every claim in full would be 1000 × 65 535 values (2 GB as Values).
    every_path_fails(&input, DecodeOptions::new(), expected, PER_OPEN_TUPLE, 4096);
    let (peak, r) = peak_during(|| frozenpack::from_slice::<Nest>(&input).map(drop));
    // The innermost items are ints, not tuples: the typed path fails on the first one, as
    // an invalid type, after reserving within its budget.
    assert!(r.is_err());
    assert!(peak <= PER_OPEN_TUPLE * input.len(), "Nest: peak {peak}");
}

#[test]
fn singleton_chains_claiming_two_items_each_are_truncated_at_the_end() {
    // `b2` × n then `c0`: every header's claim of 2 items fits what remains but the last
    // one's; §8 forbids rejecting early, so the error is `truncated` at L, and the open
    // tuples hold at most what the input could fill.
    let n = 200_000;
    let mut input = vec![0xb2; n];
    input.push(0xc0);
    let unlimited = DecodeOptions::new().with_max_depth(usize::MAX);
    every_path_fails(
        &input,
        unlimited,
        (ErrorKind::Truncated, input.len()),
        PER_OPEN_TUPLE,
        4096,
    );
    // With the default limit, the 1001st tuple is the error, at its tag.
    every_path_fails(
        &input,
        DecodeOptions::new(),
        (ErrorKind::DepthExceeded, 1000),
        PER_OPEN_TUPLE,
        4096,
    );
}

#[test]
fn depth_bombs_of_prefixed_headers_fail_at_the_first_excess_tag() {
    // 100 000 TUPLE2 headers claiming 65 535 items: the 1001st header, at 3 × 1000, is the
    // error (the depth check comes before its length field, spec §6 step 3).
    let bomb = nested_claims(100_000);
    every_path_fails(
        &bomb,
        DecodeOptions::new(),
        (ErrorKind::DepthExceeded, 3000),
        PER_OPEN_TUPLE,
        4096,
    );
    // A limit of 5: the sixth header.
    every_path_fails(
        &bomb,
        DecodeOptions::new().with_max_depth(5),
        (ErrorKind::DepthExceeded, 15),
        PER_OPEN_TUPLE,
        4096,
    );
    // TUPLE8 headers claiming 2^62 items: the depth check still comes first at level 1001;
    // below it, each header's claim is truncated before the next one is read.
    let mut deep = Vec::new();
    for _ in 0..1001 {
        deep.extend(claims_2_62(0xdb, b""));
    }
    every_path_fails(
        &deep,
        DecodeOptions::new(),
        (ErrorKind::Truncated, deep.len()),
        0,
        1024,
    );
    let mut fixed = vec![0xb1; 1000];
    fixed.extend(claims_2_62(0xdb, b""));
    every_path_fails(
        &fixed,
        DecodeOptions::new(),
        (ErrorKind::DepthExceeded, 1000),
        PER_OPEN_TUPLE,
        4096,
    );
}

#[test]
fn a_million_one_octet_items_cost_a_bounded_multiple_of_the_input() {
    let count = 1_000_000u32;
    let mut wide = vec![0xda];
    wide.extend_from_slice(&count.to_le_bytes());
    wide.extend(std::iter::repeat_n(0x01, count as usize));
    let n = wide.len();
    let shared = Bytes::from(wide.clone());

    let (peak, len) = peak_during(|| {
        frozenpack::decode_value(&wide)
            .unwrap()
            .as_tuple()
            .unwrap()
            .len()
    });
    assert_eq!(len, 1_000_000);
    assert!(peak <= PER_ITEM * n, "decode_value: peak {peak} for {n}");
    let (peak, value) = peak_during(|| DecodeOptions::new().decode_shared(&shared).unwrap());
    assert_eq!(value, frozenpack::decode_value(&wide).unwrap());
    drop(value);
    assert!(peak <= PER_ITEM * n, "decode_shared: peak {peak} for {n}");
    let (peak, len) = peak_during(|| {
        frozenpack::from_slice::<Value>(&wide)
            .unwrap()
            .as_tuple()
            .unwrap()
            .len()
    });
    assert_eq!(len, 1_000_000);
    // Value items grow by doubling past the hint budget: up to 1.5 × the final size.
    assert!(
        peak <= 2 * PER_ITEM * n,
        "from_slice::<Value>: peak {peak} for {n}"
    );
    // A typed Vec<u8> is one octet per item: the bound is the input's size, doubled for
    // growth.
    let (peak, items) = peak_during(|| frozenpack::from_slice::<Vec<u8>>(&wide).unwrap());
    assert!(items.iter().all(|&b| b == 1) && items.len() == 1_000_000);
    drop(items);
    assert!(peak <= 2 * n + 4096, "Vec<u8>: peak {peak} for {n}");

    // One item short: truncated at L, and nothing more than the complete case reserved.
    let short = &wide[..n - 1];
    every_path_fails(
        short,
        DecodeOptions::new(),
        (ErrorKind::Truncated, n - 1),
        2 * PER_ITEM,
        4096,
    );
}
