//! The conformance testee for the Rust crate: speaks the JSON-lines protocol of
//! `conformance/README.md` on stdin/stdout.
//!
//! ```sh
//! cargo build -p frozenpack --features conformance-testee --bin frozenpack-conformance-testee
//! python3 conformance/run.py --testee target/debug/frozenpack-conformance-testee
//! ```
//!
//! Requests go through the crate's serde API, so the runner checks the path most users take:
//! decode requests to a [`frozenpack::Deserializer`] over the input (whole input: `end()`),
//! decode_prefix to one at the request's start, decode_sequence to the stream reader
//! [`frozenpack::Deserializer::from_reader`] over the octets (values until the end or the
//! first error), each with the request's depth limit; encode requests to
//! [`frozenpack::to_vec`]. (The direct paths, `decode_value`, `decode_values`, the push
//! decoder and `encode_value`, are checked against every vector by `tests/conformance.rs`.) A decode error is answered with its kind, offset and detail;
//! anything else that goes wrong (a malformed request, a serde error that is not a wire
//! error, a panic) is answered as an error of kind `internal`, so one bug fails one check
//! rather than the run. Stdout carries nothing but responses.

mod typed_json;

use std::io::{self, BufRead, Write};
use std::panic::{self, AssertUnwindSafe};

use frozenpack::{DecodeOptions, Deserializer, SerdeError, Value};
use serde::Deserialize;
use serde_json::{json, Value as Json};

const SPEC_VERSION: u64 = 1;
/// The optional operations of conformance suite 1.1 this testee answers.
const OPS: [&str; 3] = ["decode_prefix", "decode_sequence", "max_depth"];

/// JSON nests one level per tuple and the JSON of a decoded value can nest as deep as the
/// depth limit allows (twice, with the `tuple` form's object and array), and both serde_json
/// and `typed_json` recurse per level: this stack holds that with a wide margin.
const STACK: usize = 256 << 20;

fn internal(message: impl std::fmt::Display) -> Json {
    json!({"error": {"kind": "internal", "message": message.to_string()}})
}

/// The string field `key` of a request.
fn field<'r>(request: &'r Json, key: &str) -> Result<&'r Json, String> {
    request
        .get(key)
        .ok_or_else(|| format!("request without {key:?}"))
}

fn input(request: &Json) -> Result<Vec<u8>, String> {
    let Json::String(hex) = field(request, "hex")? else {
        return Err("\"hex\" is not a string".into());
    };
    typed_json::unhex(hex)
}

/// The request's depth limit (`max_depth`, absent: the default).
fn options(request: &Json) -> Result<DecodeOptions, String> {
    match request.get("max_depth") {
        None => Ok(DecodeOptions::new()),
        Some(d) => d
            .as_u64()
            .and_then(|d| usize::try_from(d).ok())
            .map(|d| DecodeOptions::new().with_max_depth(d))
            .ok_or_else(|| format!("max_depth is not an integer >= 0: {d}")),
    }
}

/// A wire error as the protocol's error object; anything else is `internal`.
fn error(e: &SerdeError) -> Json {
    match e.wire() {
        Some(e) => {
            json!({"kind": e.kind().as_str(), "offset": e.offset(), "message": e.detail().to_string()})
        }
        None => json!({"kind": "internal", "message": format!("not a wire error: {e}")}),
    }
}

fn decode(request: &Json) -> Result<Json, String> {
    let input = input(request)?;
    let mut de = Deserializer::with_options(&input, 0, &options(request)?);
    let result = Value::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    Ok(match result {
        Ok(value) => json!({"value": typed_json::to_json(&value)}),
        Err(e) => json!({"error": error(&e)}),
    })
}

fn decode_prefix(request: &Json) -> Result<Json, String> {
    let input = input(request)?;
    let start = field(request, "start")?
        .as_u64()
        .and_then(|s| usize::try_from(s).ok())
        .filter(|&s| s <= input.len())
        .ok_or("\"start\" is not an offset of the input")?;
    let mut de = Deserializer::with_options(&input, start, &options(request)?);
    let response = match Value::deserialize(&mut de) {
        Ok(value) => json!({"value": typed_json::to_json(&value), "end": de.offset()}),
        Err(e) => json!({"error": error(&e)}),
    };
    Ok(response)
}

fn decode_sequence(request: &Json) -> Result<Json, String> {
    let input = input(request)?;
    let mut de = frozenpack::IoDeserializer::with_options(&input[..], &options(request)?);
    let mut values = Vec::new();
    loop {
        let value = match de.at_end() {
            Ok(true) => return Ok(json!({"values": values, "error": null})),
            Ok(false) => Value::deserialize(&mut de),
            Err(e) => Err(e),
        };
        match value {
            Ok(value) => values.push(typed_json::to_json(&value)),
            Err(e) => return Ok(json!({"values": values, "error": error(&e)})),
        }
    }
}

fn encode(request: &Json) -> Result<Json, String> {
    let value = typed_json::from_json(field(request, "value")?)?;
    let bytes = frozenpack::to_vec(&value).map_err(|e| e.to_string())?;
    Ok(json!({"hex": typed_json::hex(&bytes)}))
}

/// The response to one request line.
fn answer(line: &str) -> Json {
    let mut de = serde_json::Deserializer::from_str(line);
    // Deep JSON is legitimate here (see STACK).
    de.disable_recursion_limit();
    let request = match Json::deserialize(&mut de).and_then(|r| de.end().map(|()| r)) {
        Ok(request) => request,
        Err(e) => return internal(format!("request is not JSON: {e}")),
    };
    let result = match request.get("op").and_then(Json::as_str) {
        Some("hello") => Ok(
            json!({"name": concat!("frozenpack-rs ", env!("CARGO_PKG_VERSION"), " (Rust)"), "spec_version": SPEC_VERSION, "ops": OPS}),
        ),
        Some("decode") => decode(&request),
        Some("decode_prefix") => decode_prefix(&request),
        Some("decode_sequence") => decode_sequence(&request),
        Some("encode") => encode(&request),
        other => {
            let message = format!("unknown op: {other:?}");
            return json!({"error": {"kind": "unsupported", "message": message}});
        }
    };
    result.unwrap_or_else(internal)
}

fn serve() -> io::Result<()> {
    let stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let response = panic::catch_unwind(AssertUnwindSafe(|| answer(&line)))
            .unwrap_or_else(|_| internal("the testee panicked (see stderr)"));
        serde_json::to_writer(&mut stdout, &response)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
    }
    Ok(())
}

fn main() {
    let server = std::thread::Builder::new()
        .name("testee".into())
        .stack_size(STACK)
        .spawn(serve);
    match server.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => {
            eprintln!("frozenpack-conformance-testee: I/O error: {e}");
            std::process::exit(1);
        }
        Ok(Err(_)) => std::process::exit(1),
        Err(e) => {
            eprintln!("frozenpack-conformance-testee: cannot start: {e}");
            std::process::exit(1);
        }
    }
}
