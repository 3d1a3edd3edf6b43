//! The conformance vectors (`conformance/vectors/*.json`, here `tests/vectors`), run
//! in-process: every valid case decodes to exactly its value and encodes to exactly its
//! octets, every decode_errors case fails with exactly its kind and offset, every prefix case
//! gives its value and end or its error, and every sequence case its values and then its
//! error — through every decoding entry point, the stream readers (fed in one piece and octet
//! by octet) included. A case's `max_depth` is the depth limit used.

#[path = "../src/bin/frozenpack-conformance-testee/typed_json.rs"]
mod typed_json;

use std::path::{Path, PathBuf};

use std::io::Read;

use bytes::Bytes;
use frozenpack::stream::{PushDecoder, StreamError, ValueReader};
use frozenpack::{DecodeOptions, ErrorKind, Value};
use serde::Deserialize;
use serde_json::Value as Json;

/// `tests/vectors` is a link to the repository's `conformance/vectors`; `cargo package` copies
/// the files into the `.crate`, so the packaged crate's tests run them too (`make
/// check-crate` checks the packaged copy is byte-equal).
fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Every vector file, parsed, sorted by name.
fn vector_files() -> Vec<(String, Json)> {
    let dir = vectors_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no vector files in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut de = serde_json::Deserializer::from_str(&text);
            // Vector files nest deeper than serde_json's default limit allows.
            de.disable_recursion_limit();
            let json =
                Json::deserialize(&mut de).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                json,
            )
        })
        .collect()
}

fn cases<'j>(file: &'j Json, key: &str) -> &'j [Json] {
    file[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array"))
}

/// The sections of suite 1.1, absent from the files of 1.0 topics.
fn optional_cases<'j>(file: &'j Json, key: &str) -> &'j [Json] {
    file.get(key).map_or(&[], |_| cases(file, key))
}

/// The case's depth limit.
fn options(case: &Json) -> DecodeOptions {
    match case.get("max_depth") {
        None => DecodeOptions::new(),
        Some(d) => DecodeOptions::new().with_max_depth(d.as_u64().unwrap() as usize),
    }
}

fn text<'j>(case: &'j Json, key: &str) -> &'j str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {case}"))
}

/// Runs `f` on a thread with a stack sized for the deepest JSON the vectors hold.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Decodes `input` through every entry point and checks they agree: the whole-input value
/// or error is returned.
fn decode_everywhere<'i>(
    input: &'i [u8],
    options: &DecodeOptions,
) -> Result<Value<'i>, frozenpack::Error> {
    let whole = options.decode(input);
    // SharedValue: same value or same error.
    let shared = options.decode_shared(&Bytes::copy_from_slice(input));
    match (&whole, &shared) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("decode_value {whole:?} but SharedValue {shared:?}"),
    }
    // Prefix decoding after a junk octet: offsets shift by one, and trailing bytes are
    // not an error there.
    let mut shifted = vec![0xc0];
    shifted.extend_from_slice(input);
    let prefix = options.decode_prefix(&shifted, 1);
    match (&whole, &prefix) {
        (Ok(value), Ok((again, end))) => {
            assert_eq!(value, again);
            assert_eq!(*end, shifted.len());
        }
        (Err(e), Err(p)) if e.kind() != ErrorKind::TrailingBytes => {
            assert_eq!((p.kind(), p.offset()), (e.kind(), e.offset() + 1));
        }
        (Err(e), Ok((_, end))) if e.kind() == ErrorKind::TrailingBytes => {
            assert_eq!(*end, e.offset() + 1)
        }
        _ => panic!("decode_value {whole:?} but prefix decoding {prefix:?}"),
    }
    // The event reader alone reaches the same verdict.
    let mut reader = options.reader(input, 0);
    let events = loop {
        match reader.next_event() {
            Ok(Some(_)) => {}
            Ok(None) => break Ok(reader.offset()),
            Err(e) => break Err(e),
        }
    };
    match (&whole, events) {
        (Ok(_), Ok(end)) => assert_eq!(end, input.len()),
        (Err(e), Ok(end)) => assert_eq!((e.kind(), e.offset()), (ErrorKind::TrailingBytes, end)),
        (Err(e), Err(r)) => assert_eq!(e, &r),
        (Ok(_), Err(r)) => panic!("decode_value succeeded but the reader failed: {r}"),
    }
    whole
}

#[test]
fn every_vector_passes() {
    with_big_stack(|| {
        for (topic, file) in vector_files() {
            let mut checked = 0;
            assert_eq!(file["topic"].as_str(), Some(topic.as_str()));
            assert_eq!(file["spec_version"].as_u64(), Some(1), "{topic}");
            for case in cases(&file, "valid") {
                let id = format!("{topic}/{}", text(case, "description"));
                let expected =
                    typed_json::from_json(&case["value"]).unwrap_or_else(|e| panic!("{id}: {e}"));
                let hex = text(case, "hex");
                let input = typed_json::unhex(hex).unwrap();
                // Decode: exactly the value, and its typed JSON exactly the case's.
                let value = decode_everywhere(&input, &options(case))
                    .unwrap_or_else(|e| panic!("{id} [decode]: {e}"));
                assert_eq!(value, expected, "{id} [decode]");
                assert_eq!(
                    typed_json::to_json(&value),
                    case["value"],
                    "{id} [typed json]"
                );
                // Encode: exactly the octets, and the length predicted.
                assert_eq!(
                    typed_json::hex(&frozenpack::encode_value(&expected)),
                    hex,
                    "{id} [encode]"
                );
                assert_eq!(
                    frozenpack::encoded_len(&expected),
                    input.len(),
                    "{id} [encoded_len]"
                );
                checked += 1;
            }
            for case in cases(&file, "decode_errors") {
                let id = format!("{topic}/{}", text(case, "description"));
                let input = typed_json::unhex(text(case, "hex")).unwrap();
                let err = match decode_everywhere(&input, &options(case)) {
                    Ok(value) => panic!("{id}: expected an error, got {value}"),
                    Err(err) => err,
                };
                let kind = text(case, "kind").parse::<ErrorKind>().unwrap();
                let offset = case["offset"].as_u64().unwrap() as usize;
                assert_eq!((err.kind(), err.offset()), (kind, offset), "{id}: {err}");
                checked += 1;
            }
            for case in optional_cases(&file, "prefix") {
                let id = format!("{topic}/{}", text(case, "description"));
                check_prefix(&id, case);
                checked += 1;
            }
            for case in optional_cases(&file, "sequences") {
                let id = format!("{topic}/{}", text(case, "description"));
                check_sequence(&id, case);
                checked += 1;
            }
            assert!(checked > 0, "{topic}: a vector file without cases");
        }
    });
}

/// (kind, offset) of a case's expected error object.
fn expected_error(error: &Json) -> (ErrorKind, usize) {
    (
        text(error, "kind").parse().unwrap(),
        error["offset"].as_u64().unwrap() as usize,
    )
}

fn check_prefix(id: &str, case: &Json) {
    let input = typed_json::unhex(text(case, "hex")).unwrap();
    let start = case["start"].as_u64().unwrap() as usize;
    let options = options(case);
    let got = options.decode_prefix(&input, start);
    let mut de = frozenpack::Deserializer::with_options(&input, start, &options);
    let serde = Value::deserialize(&mut de).map(|value| (value, de.offset()));
    if case.get("kind").is_some() {
        let expected = expected_error(case);
        let e = got.expect_err(id);
        assert_eq!((e.kind(), e.offset()), expected, "{id}: {e}");
        let e = serde.expect_err(id);
        assert_eq!(
            e.wire().map(|e| (e.kind(), e.offset())),
            Some(expected),
            "{id}: {e}"
        );
    } else {
        let expected = typed_json::from_json(&case["value"]).unwrap();
        let end = case["end"].as_u64().unwrap() as usize;
        let (value, got_end) = got.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!((&value, got_end), (&expected, end), "{id}");
        let (value, got_end) = serde.unwrap_or_else(|e| panic!("{id} [serde]: {e}"));
        assert_eq!((&value, got_end), (&expected, end), "{id} [serde]");
    }
}

/// What a sequence reader gave: the values, then the error if any.
type Outcome = (Vec<Value<'static>>, Option<(ErrorKind, usize)>);

/// A reader that gives one octet per read, and is interrupted before each.
struct Trickle<'a> {
    octets: &'a [u8],
    interrupt: bool,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt = !self.interrupt;
        if self.interrupt {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let Some((&first, rest)) = self.octets.split_first() else {
            return Ok(0);
        };
        buf[0] = first;
        self.octets = rest;
        Ok(1)
    }
}

fn pushed(input: &[u8], options: &DecodeOptions, piece: usize) -> Outcome {
    let mut decoder = PushDecoder::with_options(options);
    let mut values = Vec::new();
    for chunk in input.chunks(piece.max(1)) {
        decoder.feed(chunk);
        for value in decoder.values() {
            match value {
                Ok(value) => values.push(value),
                Err(e) => return (values, Some((e.kind(), e.offset()))),
            }
        }
    }
    decoder.finish();
    for value in decoder.values() {
        match value {
            Ok(value) => values.push(value),
            Err(e) => return (values, Some((e.kind(), e.offset()))),
        }
    }
    (values, None)
}

fn read_from(source: impl Read, options: &DecodeOptions) -> Outcome {
    let mut values = Vec::new();
    for value in ValueReader::with_options(source, options) {
        match value {
            Ok(value) => values.push(value),
            Err(StreamError::Decode(e)) => return (values, Some((e.kind(), e.offset()))),
            Err(e) => panic!("{e}"),
        }
    }
    (values, None)
}

fn check_sequence(id: &str, case: &Json) {
    let input = typed_json::unhex(text(case, "hex")).unwrap();
    let options = options(case);
    let values: Vec<Value<'static>> = cases(case, "values")
        .iter()
        .map(|v| typed_json::from_json(v).unwrap())
        .collect();
    let error = (!case["error"].is_null()).then(|| expected_error(&case["error"]));
    let expected: Outcome = (values, error);
    // decode_values on the whole input.
    let mut got = (Vec::new(), None);
    for value in options.decode_stream(&input) {
        match value {
            Ok(value) => got.0.push(value.into_owned()),
            Err(e) => got.1 = Some((e.kind(), e.offset())),
        }
    }
    assert_eq!(got, expected, "{id} [decode_values]");
    // The stream readers, however the octets arrive.
    assert_eq!(
        pushed(&input, &options, input.len()),
        expected,
        "{id} [push, one piece]"
    );
    assert_eq!(
        pushed(&input, &options, 1),
        expected,
        "{id} [push, octet by octet]"
    );
    assert_eq!(
        pushed(&input, &options, 7),
        expected,
        "{id} [push, 7 at a time]"
    );
    assert_eq!(
        read_from(&input[..], &options),
        expected,
        "{id} [ValueReader]"
    );
    let trickle = Trickle {
        octets: &input,
        interrupt: false,
    };
    assert_eq!(
        read_from(trickle, &options),
        expected,
        "{id} [ValueReader, trickle]"
    );
}

#[test]
fn typed_json_rejects_malformed_forms() {
    let bad = [
        (
            r#"{"int": "007"}"#,
            "$.int: not a canonical decimal integer",
        ),
        (r#"{"int": "-0"}"#, "$.int: not a canonical decimal integer"),
        (r#"{"int": "+1"}"#, "$.int: not a canonical decimal integer"),
        (
            r#"{"int": 5}"#,
            "$.int: expected a decimal string, got a number",
        ),
        (
            r#"{"float": "3FF0000000000000"}"#,
            "$.float: expected exactly 16 lowercase hex digits",
        ),
        (
            r#"{"float": "3ff00000000000"}"#,
            "$.float: expected exactly 16 lowercase hex digits",
        ),
        (r#"{"bytes": "0"}"#, "$.bytes: odd number of hex digits"),
        (r#"{"bytes": "AB"}"#, "$.bytes: not a lowercase hex digit"),
        (
            r#"{"str_codepoints": [1114112]}"#,
            "$.str_codepoints[0]: not a code point",
        ),
        (
            r#"{"str_codepoints": [1.0]}"#,
            "$.str_codepoints[0]: not a code point",
        ),
        (
            r#"{"str_codepoints": [true]}"#,
            "$.str_codepoints[0]: not a code point",
        ),
        (
            r#"{"tuple": [{"none": null}, {"nope": 1}]}"#,
            "$.tuple[1]: unknown kind",
        ),
        (
            r#"{"nest": {"depth": 0, "inner": {"none": null}}}"#,
            "$.nest.depth: expected an integer >= 1",
        ),
        (
            r#"{"nest": {"depth": 1}}"#,
            "$.nest: expected exactly the keys",
        ),
        (
            r#"{"none": null, "bool": true}"#,
            "$: expected exactly one key",
        ),
        (r#"[]"#, "$: expected a one-key object"),
    ];
    for (json, message) in bad {
        let json: Json = serde_json::from_str(json).unwrap();
        let err = typed_json::from_json(&json).unwrap_err();
        assert!(err.starts_with(message), "{json}: {err}");
    }
}

#[test]
fn typed_json_reads_every_form_and_writes_the_writers_form() {
    let read = |text: &str| typed_json::from_json(&serde_json::from_str(text).unwrap()).unwrap();
    // str_codepoints is accepted for a str without surrogates, and written back as str.
    let value = read(r#"{"str_codepoints": [104, 105]}"#);
    assert_eq!(value, Value::from("hi"));
    assert_eq!(
        typed_json::to_json(&value),
        serde_json::json!({"str": "hi"})
    );
    // A nest of 63 is written back as tuples; of 64, as a nest; nests inside nests merge.
    let nest = |depth: usize| {
        read(&format!(
            r#"{{"nest": {{"depth": {depth}, "inner": {{"none": null}}}}}}"#
        ))
    };
    assert!(typed_json::to_json(&nest(63)).get("tuple").is_some());
    assert_eq!(typed_json::to_json(&nest(64))["nest"]["depth"], 64);
    let merged = read(
        r#"{"nest": {"depth": 40, "inner": {"nest": {"depth": 30, "inner": {"int": "-5"}}}}}"#,
    );
    assert_eq!(
        typed_json::to_json(&merged),
        serde_json::json!({"nest": {"depth": 70, "inner": {"int": "-5"}}})
    );
    assert_eq!(
        read(r#"{"int": "-18446744073709551616"}"#).to_vec(),
        b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\xff"
    );
}
