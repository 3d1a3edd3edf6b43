//! The stream readers (spec §9): `PushDecoder` fed in any pieces, `ValueReader` over any
//! `io::Read` and serde's `IoDeserializer` give exactly what `decode_values` gives on the
//! whole stream; the readers never consume octets past a value; I/O errors (`Interrupted`,
//! `WouldBlock`) lose nothing; a real pipe.

use std::collections::VecDeque;
use std::io::{self, Cursor, Read, Write};

use frozenpack::stream::{PushDecoder, StreamError, ValueReader};
use frozenpack::{DecodeOptions, Deserializer, ErrorKind, IoDeserializer, SerdeErrorKind, Value};
use proptest::prelude::*;
use serde::Deserialize;

/// Values, then the error that ended the stream (if any).
type Outcome = (Vec<Value<'static>>, Option<(ErrorKind, usize)>);

fn expected(input: &[u8], options: &DecodeOptions) -> Outcome {
    let mut values = Vec::new();
    for value in options.decode_stream(input) {
        match value {
            Ok(value) => values.push(value.into_owned()),
            Err(e) => return (values, Some((e.kind(), e.offset()))),
        }
    }
    (values, None)
}

/// Feeds `input` cut at `cuts`, taking values out after each piece; `keep_feeding` goes on
/// feeding after an error, which must then be returned again, unchanged.
fn pushed(input: &[u8], cuts: &[usize], options: &DecodeOptions, keep_feeding: bool) -> Outcome {
    let mut decoder = PushDecoder::with_options(options);
    let mut values = Vec::new();
    let mut error = None;
    let mut take = |decoder: &mut PushDecoder, values: &mut Vec<Value<'static>>| loop {
        match decoder.next_value() {
            Ok(Some(value)) => values.push(value),
            Ok(None) => return true,
            Err(e) => {
                let got = (e.kind(), e.offset());
                assert!(
                    error.is_none() || error == Some(got),
                    "a second, different error"
                );
                error = Some(got);
                return keep_feeding;
            }
        }
    };
    let mut start = 0;
    for &end in cuts.iter().chain([&input.len()]) {
        decoder.feed(&input[start..end]);
        start = end;
        if !take(&mut decoder, &mut values) {
            return (values, error);
        }
    }
    decoder.finish();
    take(&mut decoder, &mut values);
    (values, error)
}

/// A source that plays a script of reads: each step gives up to n octets, or fails.
#[derive(Clone, Debug)]
enum Step {
    Give(usize),
    Interrupted,
    WouldBlock,
}

struct Scripted<'a> {
    octets: &'a [u8],
    script: VecDeque<Step>,
    /// Play the script again and again (else: once, then give whatever is asked).
    repeat: bool,
    /// How many octets each read asked for: a reader never asks for more than it needs.
    asked: Vec<usize>,
}

impl Read for Scripted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.asked.push(buf.len());
        let step = self.script.pop_front().unwrap_or(Step::Give(usize::MAX));
        if self.repeat {
            self.script.push_back(step.clone());
        }
        match step {
            Step::Interrupted => Err(io::ErrorKind::Interrupted.into()),
            Step::WouldBlock => Err(io::ErrorKind::WouldBlock.into()),
            Step::Give(n) => {
                let n = n.min(buf.len()).min(self.octets.len());
                buf[..n].copy_from_slice(&self.octets[..n]);
                self.octets = &self.octets[n..];
                Ok(n)
            }
        }
    }
}

/// Reads every value, calling again after `WouldBlock` (the reader must resume the value).
fn read_all(source: impl Read, options: &DecodeOptions) -> Outcome {
    let mut reader = ValueReader::with_options(source, options);
    let mut values = Vec::new();
    let mut would_block = 0;
    loop {
        match reader.read_value() {
            Ok(Some(value)) => values.push(value),
            Ok(None) => return (values, None),
            Err(StreamError::Decode(e)) => {
                // Stuck on it.
                assert_eq!(reader.read_value().unwrap_err().decode(), Some(&e));
                return (values, Some((e.kind(), e.offset())));
            }
            Err(StreamError::Io(e)) => {
                assert_eq!(e.kind(), io::ErrorKind::WouldBlock, "{e}");
                would_block += 1;
                assert!(would_block < 100_000, "no progress");
            }
            Err(e) => panic!("{e}"),
        }
    }
}

fn serde_read_all(source: impl Read, options: &DecodeOptions) -> Outcome {
    let mut de = IoDeserializer::with_options(source, options);
    let mut values = Vec::new();
    loop {
        let value = match de.at_end() {
            Ok(true) => return (values, None),
            Ok(false) => Value::deserialize(&mut de).map(Value::into_owned),
            Err(e) => Err(e),
        };
        match value {
            Ok(value) => values.push(value),
            Err(e) if e.kind() == SerdeErrorKind::Io => {} // WouldBlock: call again
            Err(e) => {
                let wire = e.wire().unwrap_or_else(|| panic!("{e}"));
                return (values, Some((wire.kind(), wire.offset())));
            }
        }
    }
}

// --- strategies -------------------------------------------------------------------------------

fn leaf() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        Just(Value::None),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-20i64..130).prop_map(Value::Int),
        any::<u128>().prop_map(Value::from),
        any::<u64>().prop_map(|bits| Value::Float(f64::from_bits(bits))),
        ".{0,40}".prop_map(Value::from),
        proptest::collection::vec(0xd800u32..0xe000, 1..3)
            .prop_map(|cps| Value::from_code_points(cps).unwrap()),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value<'static>> {
    leaf().prop_recursive(4, 40, 20, |inner| {
        proptest::collection::vec(inner, 0..20).prop_map(Value::from)
    })
}

/// A sequence of values, encoded, then edited a little (so that it holds errors too).
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let edits = proptest::collection::vec((0usize..4, any::<usize>(), any::<u8>()), 0..3);
    (proptest::collection::vec(value(), 0..6), edits).prop_map(|(values, edits)| {
        let mut octets: Vec<u8> = values.iter().flat_map(frozenpack::encode_value).collect();
        for (op, at, octet) in edits {
            let at = at % (octets.len() + 1);
            match op {
                0 if at < octets.len() => octets[at] = octet,
                1 => octets.insert(at, octet),
                2 if at < octets.len() => {
                    octets.remove(at);
                }
                _ => octets.truncate(at),
            }
        }
        octets
    })
}

fn options() -> impl Strategy<Value = DecodeOptions> {
    prop_oneof![
        4 => Just(1000usize),
        1 => Just(0usize),
        1 => Just(1usize),
        1 => Just(3usize),
    ]
    .prop_map(|d| DecodeOptions::new().with_max_depth(d))
}

fn cuts(len: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..=len, 0..10).prop_map(|mut cuts| {
        cuts.sort_unstable();
        cuts
    })
}

/// Reads of 1 to 7 octets, whole buffers, `Interrupted` and `WouldBlock`, played in a loop:
/// each loop gives at least one octet, so the reader always makes progress.
fn script() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            6 => (1usize..8).prop_map(Step::Give),
            1 => Just(Step::Give(usize::MAX)),
            1 => Just(Step::Interrupted),
            1 => Just(Step::WouldBlock),
        ],
        0..8,
    )
    .prop_map(|mut script| {
        script.push(Step::Give(1));
        script
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_push_decoder_in_any_pieces_gives_what_decode_values_gives(
        (input, cuts) in stream().prop_flat_map(|s| { let n = s.len(); (Just(s), cuts(n)) }),
        options in options(),
        keep_feeding in any::<bool>(),
    ) {
        let want = expected(&input, &options);
        prop_assert_eq!(pushed(&input, &cuts, &options, keep_feeding), want);
    }

    #[test]
    fn the_push_decoder_octet_by_octet(input in stream(), options in options()) {
        let cuts: Vec<usize> = (1..input.len()).collect();
        prop_assert_eq!(pushed(&input, &cuts, &options, false), expected(&input, &options));
    }

    #[test]
    fn the_value_reader_over_any_reads_gives_what_decode_values_gives(
        input in stream(),
        options in options(),
        script in script(),
    ) {
        let want = expected(&input, &options);
        let source = Scripted { octets: &input, script: script.clone().into(), repeat: true, asked: Vec::new() };
        prop_assert_eq!(read_all(source, &options), want.clone());
        let source = Scripted { octets: &input, script: script.into(), repeat: true, asked: Vec::new() };
        prop_assert_eq!(serde_read_all(source, &options), want);
    }

    #[test]
    fn no_reader_reads_past_a_value(values in proptest::collection::vec(value(), 1..5)) {
        let encoded: Vec<Vec<u8>> = values.iter().map(frozenpack::encode_value).collect();
        let mut input = encoded.concat();
        input.extend_from_slice(b"\xe0 not frozenpack");
        let mut cursor = Cursor::new(&input[..]);
        let mut end = 0;
        for (value, octets) in values.iter().zip(&encoded) {
            let mut reader = ValueReader::new(&mut cursor);
            let got = reader.read_value().unwrap();
            prop_assert_eq!(got.as_ref(), Some(value));
            end += octets.len();
            prop_assert_eq!(cursor.position() as usize, end);
        }
    }
}

// --- behaviour, case by case --------------------------------------------------------------------

#[test]
fn reads_never_ask_for_more_than_the_value_needs() {
    // (1, 'ab', b'\x00' * 16) then a FLOAT, then junk: the asked sizes add up to the values.
    let mut input = b"\xb3\x01\x82ab\xd4\x10".to_vec();
    input.extend([0; 16]);
    input.extend(b"\xc3\0\0\0\0\0\0\xf0\x3f");
    let values_len = input.len();
    input.extend(b"junk");
    let mut source = Scripted {
        octets: &input,
        script: vec![Step::Give(usize::MAX)].into(),
        repeat: true,
        asked: Vec::new(),
    };
    let mut reader = ValueReader::new(&mut source);
    assert_eq!(
        reader.read_value().unwrap().unwrap().to_string(),
        format!("(1, 'ab', b'{}')", r"\x00".repeat(16))
    );
    assert_eq!(reader.read_value().unwrap(), Some(Value::Float(1.0)));
    drop(reader);
    assert_eq!(source.asked.iter().sum::<usize>(), values_len);
    assert_eq!(source.octets, b"junk");
}

#[test]
fn would_block_and_interrupted_lose_nothing() {
    // 'hello' arrives in pieces with a WouldBlock between them.
    let mut source = Scripted {
        octets: b"\x85hello\x05",
        script: vec![
            Step::Give(3),
            Step::WouldBlock,
            Step::Interrupted,
            Step::Give(10),
        ]
        .into(),
        repeat: false,
        asked: Vec::new(),
    };
    let mut reader = ValueReader::new(&mut source);
    let err = reader.read_value().unwrap_err();
    assert_eq!(
        err.io().map(io::Error::kind),
        Some(io::ErrorKind::WouldBlock)
    );
    assert_eq!(reader.offset(), 0);
    assert_eq!(reader.read_value().unwrap(), Some(Value::from("hello")));
    assert_eq!(reader.read_value().unwrap(), Some(Value::Int(5)));
    assert_eq!(reader.read_value().unwrap(), None);
    assert_eq!(reader.offset(), 7);
}

#[test]
fn the_iterator_retries_after_io_errors_and_stops_after_a_decode_error() {
    let source = Scripted {
        octets: b"\x01\x02\xc4\x05\x03",
        script: vec![Step::Give(1), Step::WouldBlock].into(),
        repeat: true,
        asked: Vec::new(),
    };
    let results: Vec<_> = ValueReader::new(source).collect();
    let kinds: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => v.to_string(),
            Err(StreamError::Io(e)) => format!("io {:?}", e.kind()),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "1",
            "io WouldBlock",
            "2",
            "io WouldBlock",
            "io WouldBlock",
            "non_canonical at offset 2: INT1 holds 5, which fits FIXINT"
        ]
    );
}

#[test]
fn a_stream_ending_inside_a_value_is_truncated_at_its_length() {
    let mut reader = ValueReader::new(&b"\x01\xb3\x01\x82a"[..]);
    assert_eq!(reader.read_value().unwrap(), Some(Value::Int(1)));
    let err = reader.read_value().unwrap_err();
    let wire = err.decode().unwrap();
    assert_eq!((wire.kind(), wire.offset()), (ErrorKind::Truncated, 5));
    // An error its octets already hold wins over the end of the stream (spec §9).
    let mut reader = ValueReader::new(&b"\xb2\xc4\x00"[..]);
    let err = reader.read_value().unwrap_err();
    assert_eq!(
        err.decode().map(|e| (e.kind(), e.offset())),
        Some((ErrorKind::NonCanonical, 1))
    );
}

#[test]
fn the_push_decoder_reports_an_error_before_the_value_ends() {
    // A TUPLE of 256 items: 1, 2, a non-canonical INT1, then BYTES of 1000 octets. Once the
    // 256 items fit, the error is final (spec §9), while the BYTES are still arriving.
    let mut decoder = PushDecoder::new();
    decoder.feed(b"\xd9\x00\x01\x01\x02\xc4\x05\xd5\xe8\x03");
    let mut fed = 10;
    let err = loop {
        assert!(
            fed < 800,
            "the error was not reported before the value's end"
        );
        decoder.feed(&[0; 64]);
        fed += 64;
        if let Err(e) = decoder.next_value() {
            break e;
        }
    };
    assert_eq!((err.kind(), err.offset()), (ErrorKind::NonCanonical, 5));
    // Nothing is kept after an error, and nothing fed later is.
    assert_eq!(decoder.buffered(), 0);
    decoder.feed(b"\x01");
    assert_eq!(decoder.buffered(), 0);
    assert_eq!(decoder.next_value().unwrap_err(), err);
}

#[test]
fn the_push_decoder_delivers_values_before_an_error_and_waits_on_truncated() {
    let mut decoder = PushDecoder::new();
    decoder.feed(b"\x01\x02\x83a");
    assert_eq!(decoder.next_value(), Ok(Some(Value::Int(1))));
    assert_eq!(decoder.next_value(), Ok(Some(Value::Int(2))));
    assert_eq!(decoder.next_value(), Ok(None));
    assert_eq!((decoder.offset(), decoder.buffered()), (2, 2));
    decoder.feed(b"bc");
    assert_eq!(decoder.next_shared().unwrap().unwrap().to_string(), "'abc'");
    decoder.feed(b"\xb2\xe0");
    assert_eq!(decoder.next_value(), Ok(None)); // spec R1: 2 items, 1 octet, undecided
    decoder.feed(b"\x00");
    let err = decoder.next_value().unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::UnknownTag, 7));
}

#[test]
fn a_real_pipe_leaves_the_octets_after_a_value_in_the_pipe() {
    let (mut reader, mut writer) = io::pipe().unwrap();
    let big = Value::from(vec![7u8; 300_000]);
    let deep = (0..1000).fold(Value::None, |inner, _| Value::from(vec![inner]));
    let mut payload = frozenpack::encode_value(&big);
    payload.extend(frozenpack::encode_value(&deep));
    payload.extend(b"after");
    let writing = std::thread::spawn(move || writer.write_all(&payload));
    let mut values = ValueReader::new(&mut reader);
    assert_eq!(values.read_value().unwrap().as_ref(), Some(&big));
    assert_eq!(values.read_value().unwrap().as_ref(), Some(&deep));
    drop(values);
    let mut rest = Vec::new();
    writing.join().unwrap().unwrap();
    reader.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"after");
}

#[test]
fn from_reader_reads_one_value_and_offsets_count_from_the_stream_start() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Point {
        x: i32,
        label: String,
    }
    let mut source = Cursor::new(b"\xb2\x01\x81a\xb2\x02\x82\xc0\xaf".to_vec());
    let point: Point = frozenpack::from_reader(&mut source).unwrap();
    assert_eq!(
        point,
        Point {
            x: 1,
            label: "a".into()
        }
    );
    assert_eq!(source.position(), 4);
    let err = frozenpack::from_reader::<_, Point>(&mut source).unwrap_err();
    // From this call's first octet: the stream here starts at the second value.
    assert_eq!(
        err.to_string(),
        "invalid_utf8 at offset 3: str payload is not well-formed UTF-8"
    );

    let mut de = Deserializer::from_reader(&b"\xb2\x01\x81a\xb2\x02\x82\xc0\xaf"[..]);
    Point::deserialize(&mut de).unwrap();
    let err = Point::deserialize(&mut de).unwrap_err();
    assert_eq!(err.offset(), Some(7));
    // The stream is over after a wire error.
    assert_eq!(Point::deserialize(&mut de).unwrap_err().offset(), Some(7));
}

#[test]
fn a_type_mismatch_fails_its_value_only() {
    let mut de = Deserializer::from_reader(&b"\x81a\x05\x06"[..]);
    let err = u8::deserialize(&mut de).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (SerdeErrorKind::Mismatch, Some(0))
    );
    assert_eq!(u8::deserialize(&mut de).unwrap(), 5);
    let values: Vec<u8> = de.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(values, [6]);
    // ... unless the rest of the value is not valid either: then the stream ends there.
    let mut de = Deserializer::from_reader(&b"\xb2\x81a\xc4\x05\x06"[..]);
    let err = <(u8, u8)>::deserialize(&mut de).unwrap_err();
    assert_eq!(err.kind(), SerdeErrorKind::Mismatch);
    let err = u8::deserialize(&mut de).unwrap_err();
    assert_eq!(
        err.wire().map(|e| (e.kind(), e.offset())),
        Some((ErrorKind::NonCanonical, 3))
    );
}

#[test]
fn end_of_stream_and_trailing_octets_through_serde() {
    let mut de = Deserializer::from_reader(&b""[..]);
    let err = u8::deserialize(&mut de).unwrap_err();
    assert_eq!(
        err.to_string(),
        "truncated at offset 0: the input ends where a value's tag should be"
    );
    let mut de = Deserializer::from_reader(&b"\x01\x02\x03"[..]);
    assert_eq!(u8::deserialize(&mut de).unwrap(), 1);
    assert_eq!(de.offset(), 1);
    let err = de.end().unwrap_err();
    assert_eq!(
        err.to_string(),
        "trailing_bytes at offset 1: 2 octets follow the value"
    );
}
