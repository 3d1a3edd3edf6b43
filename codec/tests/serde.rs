//! The serde API as a client crate sees it: a glob import next to serde's own names, typed
//! data borrowed from the input, the error categories, and a sequence of typed records.

// A glob import of the crate must not make `serde` ambiguous (the crate's serde support
// lives at its root for this reason, not in a public module named `serde`).
use frozenpack::*;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Event<'a> {
    Started,
    Message {
        from: &'a str,
        body: Cow<'a, str>,
        attachment: Option<Attachment<'a>>,
    },
    Stopped(i32),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Attachment<'a> {
    name: &'a str,
    #[serde(with = "as_bytes")]
    data: &'a [u8],
}

use std::borrow::Cow;

/// `&[u8]` as frozenpack bytes (what `serde_bytes` does for owned buffers).
mod as_bytes {
    pub fn serialize<S: serde::Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'de [u8], D::Error> {
        <&[u8] as serde::Deserialize>::deserialize(d)
    }
}

#[test]
fn typed_records_round_trip_and_borrow() {
    let events = vec![
        Event::Started,
        Event::Message {
            from: "ann",
            body: Cow::Borrowed("hi"),
            attachment: Some(Attachment {
                name: "a.txt",
                data: b"\x00\x01",
            }),
        },
        Event::Stopped(-1),
    ];
    let bytes = to_vec(&events).unwrap();
    assert_eq!(
        decode_value(&bytes).unwrap().to_string(),
        "('Started', ('Message', 'ann', 'hi', ('a.txt', b'\\x00\\x01')), ('Stopped', -1))"
    );
    let back: Vec<Event<'_>> = from_slice(&bytes).unwrap();
    assert_eq!(back, events);
    let range = bytes.as_ptr_range();
    let Event::Message {
        from,
        attachment: Some(a),
        ..
    } = &back[1]
    else {
        panic!()
    };
    assert!(range.contains(&from.as_ptr()));
    assert!(range.contains(&a.data.as_ptr()));
}

#[test]
fn a_stream_of_typed_records() {
    let mut bytes = Vec::new();
    for n in 0..3 {
        to_writer(&mut bytes, &Event::Stopped(n)).unwrap();
    }
    let events: Vec<Event<'_>> = iter_from_slice(&bytes).collect::<Result<_, _>>().unwrap();
    assert_eq!(
        events,
        [Event::Stopped(0), Event::Stopped(1), Event::Stopped(2)]
    );
}

#[test]
fn error_categories_keep_the_wire_kinds_closed() {
    let wire = from_slice::<Event<'_>>(b"\xb2\x87Stopped").unwrap_err();
    assert_eq!(wire.kind(), SerdeErrorKind::Wire(ErrorKind::Truncated));
    assert_eq!(wire.wire().unwrap().offset(), 9);
    let mismatch = from_slice::<Event<'_>>(b"\xb2\x87Stopped\x81x").unwrap_err();
    assert_eq!(mismatch.kind(), SerdeErrorKind::Mismatch);
    assert!(mismatch.wire().is_none());
    assert_eq!(
        mismatch.to_string(),
        "invalid type: str, expected i32 at offset 9"
    );
    let custom = from_slice::<Event<'_>>(b"\x84Gone").unwrap_err();
    assert_eq!(custom.kind(), SerdeErrorKind::Custom);
    assert_eq!(custom.offset(), Some(0));
}

#[test]
fn values_and_typed_data_meet() {
    // The same octets, read as a Value and as typed data.
    let bytes = to_vec(&(1u8, "two", [3.5f64])).unwrap();
    let value: Value<'_> = from_slice(&bytes).unwrap();
    assert_eq!(value.to_string(), "(1, 'two', (3.5,))");
    assert_eq!(to_vec(&value).unwrap(), bytes);
    let direct = encode_value(&value);
    let (one, two, [three]): (u8, &str, [f64; 1]) = from_slice(&direct).unwrap();
    assert_eq!((one, two, three), (1, "two", 3.5));
}
