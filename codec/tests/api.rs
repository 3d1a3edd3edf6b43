//! The public API as its clients use it: a builder driven by the event reader (the way a
//! Python extension builds presized tuples), the writer driven item by item (the way a
//! serializer would), sequences, and errors.

use frozenpack::{DecodeOptions, ErrorKind, Event, Reader, Value, Writer};

/// A toy "host" tree, built the way a Python extension would: each tuple allocated at its
/// final size when it starts, its slots filled in order, with an explicit stack.
#[derive(Debug, PartialEq)]
enum Host {
    Leaf(String),
    Tuple(Vec<Option<Host>>),
}

fn build_host(input: &[u8]) -> Result<Host, frozenpack::Error> {
    let mut reader = Reader::new(input);
    // (tuple slots, next slot to fill)
    let mut stack: Vec<(Vec<Option<Host>>, usize)> = Vec::new();
    while let Some(event) = reader.next_event()? {
        let node = match event {
            Event::TupleStart(n) => {
                stack.push(((0..n).map(|_| None).collect(), 0));
                continue;
            }
            Event::TupleEnd => {
                let (slots, filled) = stack.pop().unwrap();
                assert_eq!(
                    filled,
                    slots.len(),
                    "TupleEnd after exactly the announced items"
                );
                Host::Tuple(slots)
            }
            leaf => Host::Leaf(format!("{leaf:?}")),
        };
        match stack.last_mut() {
            Some((slots, filled)) => {
                slots[*filled] = Some(node);
                *filled += 1;
            }
            None => return Ok(node),
        }
    }
    unreachable!("the reader ends only after a complete value")
}

#[test]
fn a_host_builder_fills_presized_tuples() {
    let host = build_host(b"\xb2\x01\xb1\x81x").unwrap();
    assert_eq!(
        host,
        Host::Tuple(vec![
            Some(Host::Leaf("Int(1)".into())),
            Some(Host::Tuple(vec![Some(Host::Leaf("Str(\"x\")".into()))])),
        ])
    );
    let err = build_host(b"\xb2\x01").unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, 2));
}

#[test]
fn events_borrow_from_the_input() {
    let input = b"\xb3\x83abc\xa2\x00\x01\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00".to_vec();
    let range = input.as_ptr_range();
    let mut reader = Reader::new(&input);
    let mut borrowed = 0;
    while let Some(event) = reader.next_event().unwrap() {
        let ptr = match event {
            Event::Str(s) => s.as_ptr(),
            Event::Bytes(b) => b.as_ptr(),
            Event::BigInt(big) => big.as_le_bytes().as_ptr(),
            _ => continue,
        };
        assert!(range.contains(&ptr));
        borrowed += 1;
    }
    assert_eq!(borrowed, 3);
}

#[test]
fn a_serializer_style_writer_session_round_trips() {
    // What a serde Serializer would do for `(True, [1.5, "x"], b"")`-like data.
    let mut w = Writer::new(Vec::new());
    w.write_tuple_header(3);
    w.write_bool(true);
    w.write_tuple_header(2);
    w.write_f64(1.5);
    w.write_code_points("x".chars().map(u32::from)).unwrap();
    w.write_bytes(b"");
    let bytes = w.finish().unwrap();
    assert_eq!(
        frozenpack::decode_value(&bytes).unwrap().to_string(),
        "(True, (1.5, 'x'), b'')"
    );
}

#[test]
fn prefix_decoding_leaves_the_rest_alone() {
    let input = b"\x81a\xe0";
    let (value, end) = frozenpack::decode_value_prefix(input, 0).unwrap();
    assert_eq!((value, end), (Value::from("a"), 2));
    // At the end of the input there is no value: truncated at the end.
    let err = frozenpack::decode_value_prefix(input, 3).unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, 3));
}

#[test]
#[should_panic(expected = "past the input's end")]
fn prefix_decoding_past_the_end_panics() {
    let _ = frozenpack::decode_value_prefix(b"\xc0", 2);
}

#[test]
fn a_sequence_stops_at_the_first_error_with_an_absolute_offset() {
    let input = b"\x01\xb1\x02\xb1\xc4\x00\x03";
    let mut values = frozenpack::decode_values(input);
    assert_eq!(values.next().unwrap().unwrap(), Value::from(1));
    assert_eq!(
        values.next().unwrap().unwrap(),
        Value::from(vec![Value::from(2)])
    );
    assert_eq!(values.offset(), 3);
    let err = values.next().unwrap().unwrap_err();
    assert_eq!((err.kind(), err.offset()), (ErrorKind::NonCanonical, 4));
    // The failed value started where the last good one ended.
    assert_eq!(values.offset(), 3);
    assert!(values.next().is_none());
}

#[test]
fn a_reader_can_walk_a_sequence_with_restart() {
    let input = b"\xb1\xc0\x05";
    let mut reader = DecodeOptions::new().reader(input, 0);
    let mut values = 0;
    while reader.offset() < input.len() {
        while reader.next_event().unwrap().is_some() {}
        values += 1;
        reader.restart();
    }
    assert_eq!(values, 2);
}

#[test]
fn errors_display_kind_offset_and_detail() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "truncated at offset 0: the input ends where a value's tag should be"),
        (b"\xd0\xff", "truncated at offset 2: STR announces 255 octets but 0 octets remain"),
        (b"\xea", "unknown_tag at offset 0: tag ea is reserved"),
        (b"\xd4\x03abc", "non_canonical at offset 0: BYTES with a 1-octet length field holds 3 octets, which fits FIXBYTES"),
        (b"\xcd\x0a\x00", "non_canonical at offset 0: BIGINT with a 2-octet length field holds 10 octets, which fits a 1-octet length field"),
        (b"\xdc\x01a", "non_canonical at offset 0: SSTR payload holds no surrogate, so the str belongs in FIXSTR/STR"),
        (b"\x82\xc0\xaf", "invalid_utf8 at offset 1: str payload is not well-formed UTF-8"),
        (b"\x05\x06\x07", "trailing_bytes at offset 1: 2 octets follow the value"),
    ];
    for (input, text) in cases {
        assert_eq!(
            frozenpack::decode_value(input).unwrap_err().to_string(),
            *text
        );
    }
}
