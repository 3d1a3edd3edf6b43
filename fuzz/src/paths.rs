//! Every way the crate offers to decode one whole input, each reduced to the same result
//! type, so the `decode` target can demand that they all agree (spec §6: every organisation
//! of the decoder must return the same value, or the same error kind and offset).

use frozenpack::bytes::Bytes;
use frozenpack::{
    decode_value, from_slice, DecodeOptions, Error, ErrorKind, Event, Reader, SerdeErrorKind, Value,
};

/// What a decoding path reports when it rejects an input: the spec's kind and offset (the
/// human-readable detail is free to differ between paths).
pub type Rejection = (ErrorKind, usize);

/// The kind and offset of a wire error.
pub fn rejection(e: &Error) -> Rejection {
    (e.kind(), e.offset())
}

/// `decode_value`: the direct path, building a borrowing `Value`.
pub fn direct(input: &[u8]) -> Result<Value<'_>, Rejection> {
    decode_value(input).map_err(|e| rejection(&e))
}

/// `DecodeOptions::decode_shared`: the zero-copy path over `Bytes`, building a
/// `SharedValue` (which compares equal with `Value`s directly).
pub fn shared(input: &[u8]) -> Result<frozenpack::SharedValue, Rejection> {
    DecodeOptions::new()
        .decode_shared(&Bytes::copy_from_slice(input))
        .map_err(|e| rejection(&e))
}

/// serde's `from_slice::<Value>`: `Value`'s own `Deserialize`, which decodes without
/// recursion. A `Value` holds every valid encoding, so anything but a wire error is a bug.
pub fn serde_value(input: &[u8]) -> Result<Value<'_>, Rejection> {
    from_slice::<Value>(input).map_err(|e| match (e.kind(), e.wire()) {
        (SerdeErrorKind::Wire(kind), Some(wire)) => {
            assert_eq!(
                kind,
                wire.kind(),
                "SerdeError::kind disagrees with its wire error"
            );
            rejection(wire)
        }
        _ => panic!("from_slice::<Value> failed with a non-wire error: {e}"),
    })
}

/// The pull `Reader`, driven event by event, with the tree built here (with an explicit
/// stack, as deep inputs are valid) and the whole-input rule applied here: octets after the
/// value are `trailing_bytes` at the offset where it ended (spec §6, `loads`).
pub fn events(input: &[u8]) -> Result<Value<'_>, Rejection> {
    let mut reader = Reader::new(input);
    // Each open tuple: the item count its header announced, and the items read so far.
    // Room is not reserved from the count: nested headers may each claim the whole input.
    let mut open: Vec<(usize, Vec<Value<'_>>)> = Vec::new();
    let mut root = None;
    while let Some(event) = reader.next_event().map_err(|e| rejection(&e))? {
        assert!(
            root.is_none(),
            "an event after the value was complete: {event:?}"
        );
        let item = match event {
            Event::TupleStart(n) => {
                open.push((n, Vec::new()));
                assert_eq!(reader.level(), open.len(), "level after TupleStart");
                continue;
            }
            Event::TupleEnd => {
                let (n, items) = open.pop().expect("TupleEnd with no tuple open");
                assert_eq!(items.len(), n, "a tuple ended after a different item count");
                Value::from(items)
            }
            Event::None => Value::None,
            Event::Bool(b) => Value::Bool(b),
            Event::Int(v) => Value::Int(v),
            Event::BigInt(big) => Value::from(big),
            Event::Float(x) => Value::Float(x),
            Event::Str(s) => Value::from(s),
            Event::SurrogateStr(s) => Value::from(s),
            Event::Bytes(b) => Value::from(b),
        };
        match open.last_mut() {
            Some((n, items)) => {
                assert!(items.len() < *n, "more items than the tuple announced");
                items.push(item);
            }
            None => root = Some(item),
        }
    }
    assert!(open.is_empty(), "the reader finished with tuples open");
    assert!(
        reader.is_done(),
        "next_event returned None before the value was complete"
    );
    // Fused: a complete reader keeps saying so.
    assert_eq!(reader.next_event().map_err(|e| rejection(&e))?, None);
    let value = root.expect("the reader finished without a value");
    if reader.offset() < input.len() {
        return Err((ErrorKind::TrailingBytes, reader.offset()));
    }
    Ok(value)
}
