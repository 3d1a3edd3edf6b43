//! The stream readers' memory follows the octets received (spec §9 "Memory"): a header that
//! claims 2^64 − 1 octets or items, alone or nested, costs what arrived, not what it claims —
//! through `PushDecoder`, `ValueReader` and serde's `from_reader` — and the error is the one
//! `decode_values` gives on the same octets.

use std::io::{self, Read};

use frozenpack::stream::{PushDecoder, ValueReader};
use frozenpack::{ErrorKind, SerdeErrorKind, Value};
use serde::Deserialize;

mod common;
use common::peak_during;

#[global_allocator]
static ALLOCATOR: common::Counting = common::Counting;

/// Octets, then the end of the stream, `piece` octets per read.
struct Pieces<'a> {
    octets: &'a [u8],
    piece: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.piece).min(self.octets.len());
        buf[..n].copy_from_slice(&self.octets[..n]);
        self.octets = &self.octets[n..];
        Ok(n)
    }
}

fn expected_error(input: &[u8]) -> (ErrorKind, usize) {
    let e = frozenpack::decode_values(input)
        .find_map(Result::err)
        .expect("an error");
    (e.kind(), e.offset())
}

/// Every reader reads `input` in 4096-octet pieces, within `per_octet` × len + `constant`
/// bytes of peak allocation, and reports `decode_values`' error.
fn every_reader_within(input: &[u8], per_octet: usize, constant: usize) {
    let expected = expected_error(input);
    let bound = per_octet * input.len() + constant;
    let (peak, got) = peak_during(|| {
        let mut decoder = PushDecoder::new();
        for piece in input.chunks(4096) {
            decoder.feed(piece);
            if let Err(e) = decoder.next_value() {
                return (e.kind(), e.offset());
            }
        }
        decoder.finish();
        let e = decoder.next_value().unwrap_err();
        (e.kind(), e.offset())
    });
    assert_eq!(got, expected, "PushDecoder");
    assert!(
        peak <= bound,
        "PushDecoder: peak {peak} > {bound} for {} octets",
        input.len()
    );

    let (peak, got) = peak_during(|| {
        let source = Pieces {
            octets: input,
            piece: 4096,
        };
        let e = ValueReader::new(source).read_value().unwrap_err();
        let e = e.decode().unwrap();
        (e.kind(), e.offset())
    });
    assert_eq!(got, expected, "ValueReader");
    assert!(
        peak <= bound,
        "ValueReader: peak {peak} > {bound} for {} octets",
        input.len()
    );

    let (peak, got) = peak_during(|| {
        let source = Pieces {
            octets: input,
            piece: 4096,
        };
        let mut de = frozenpack::Deserializer::from_reader(source);
        let e = Value::deserialize(&mut de).map(drop).unwrap_err();
        assert!(matches!(e.kind(), SerdeErrorKind::Wire(_)), "{e}");
        (e.wire().unwrap().kind(), e.offset().unwrap())
    });
    assert_eq!(got, expected, "Deserializer::from_reader");
    assert!(
        peak <= bound,
        "Deserializer::from_reader: peak {peak} > {bound} for {} octets",
        input.len()
    );
}

#[test]
fn a_length_of_2_64_costs_what_arrived() {
    for tag in [0xcf, 0xd3, 0xd7, 0xdf] {
        let mut input = vec![tag];
        input.extend([0xff; 8]);
        input.resize(1 << 20, 0x61);
        every_reader_within(&input, 3, 64 << 10);
    }
}

#[test]
fn a_count_of_2_64_costs_what_arrived() {
    // TUPLE of 2^64 − 1 items, then 1 MiB of one-octet items.
    let mut input = vec![0xdb];
    input.extend([0xff; 8]);
    input.resize(1 << 20, 0xc0);
    every_reader_within(&input, 3, 64 << 10);
}

#[test]
fn nested_counts_of_2_64_cost_what_arrived() {
    // 1000 nested TUPLE headers, each claiming 2^64 − 1 items.
    let header = [0xdb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    let input: Vec<u8> = header.iter().copied().cycle().take(9 * 1000).collect();
    every_reader_within(&input, 8, 64 << 10);
}

#[test]
fn a_depth_bomb_is_refused_at_level_1001() {
    // 100,000 singleton tags: depth_exceeded at 1000, while the octets still arrive.
    let input = vec![0xb1; 100_000];
    assert_eq!(expected_error(&input), (ErrorKind::DepthExceeded, 1000));
    every_reader_within(&input, 3, 64 << 10);
}

#[test]
fn the_push_decoder_holds_only_the_octets_not_decoded() {
    // A million small values fed in one piece and taken out: the decoder frees what it has
    // decoded, and holds nothing more than what was fed.
    let input: Vec<u8> = (0..1_000_000u32).map(|i| (i % 100) as u8).collect();
    let (peak, count) = peak_during(|| {
        let mut decoder = PushDecoder::new();
        decoder.feed(&input);
        let mut count = 0;
        while decoder.next_value().unwrap().is_some() {
            count += 1;
        }
        assert_eq!(decoder.buffered(), 0);
        count
    });
    assert_eq!(count, 1_000_000);
    assert!(peak <= 2 * input.len() + (64 << 10), "peak {peak}");
}
