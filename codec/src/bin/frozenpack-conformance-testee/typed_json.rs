//! Typed JSON (`conformance/README.md`, "Typed JSON") to and from [`Value`].
//!
//! Shared, as a source file, by the conformance testee binary and the crate's in-process
//! conformance test (`tests/conformance.rs`), so both read and write values the same way.
//!
//! Writing produces the writers' form: `str_codepoints` exactly for strs with surrogates, and
//! `nest` for every maximal chain of [`NEST_MIN`] or more directly nested singleton tuples.
//! Reading accepts every form and rejects anything else with a message naming the place
//! (`$.tuple[1].int: ...`), like the Python `typed_json`. Both recurse once per level of
//! JSON: the JSON a decoded value becomes is bounded by the decoder's depth limit, and
//! callers run this on a stack sized for it.

use frozenpack::{BigInt, Value, ValueRef, ValueTree};
use serde_json::{json, Map, Value as Json};

/// Chains of at least this many directly nested singleton tuples are written as `nest`.
pub const NEST_MIN: usize = 64;

/// The writers' typed JSON of `value`.
pub fn to_json(value: &Value<'_>) -> Json {
    let (depth, inner) = singleton_chain(value);
    if depth >= NEST_MIN {
        return json!({"nest": {"depth": depth, "inner": to_json(inner)}});
    }
    match value.as_value_ref() {
        ValueRef::None => json!({"none": null}),
        ValueRef::Bool(b) => json!({ "bool": b }),
        ValueRef::Int(v) => json!({"int": v.to_string()}),
        ValueRef::BigInt(big) => json!({"int": big.to_decimal_string()}),
        ValueRef::Float(x) => json!({"float": format!("{:016x}", x.to_bits())}),
        ValueRef::Str(s) => json!({ "str": s }),
        ValueRef::SurrogateStr(s) => {
            json!({"str_codepoints": s.code_points().collect::<Vec<u32>>()})
        }
        ValueRef::Bytes(b) => json!({"bytes": hex(b)}),
        ValueRef::Tuple(items) => {
            json!({"tuple": items.iter().map(to_json).collect::<Vec<Json>>()})
        }
    }
}

/// The length of the chain of directly nested singleton tuples starting at `value`, and the
/// value inside it.
fn singleton_chain<'v, 'a>(value: &'v Value<'a>) -> (usize, &'v Value<'a>) {
    let mut depth = 0;
    let mut inner = value;
    while let Some([only]) = inner.as_tuple() {
        depth += 1;
        inner = only;
    }
    (depth, inner)
}

/// Lowercase hex, two digits an octet.
pub fn hex(octets: &[u8]) -> String {
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

/// The octets of lowercase hex (an even number of `0-9a-f` digits).
pub fn unhex(text: &str) -> Result<Vec<u8>, String> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(format!("not a lowercase hex digit: {:?}", char::from(c))),
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", bytes.len()));
    }
    bytes
        .chunks(2)
        .map(|pair| Ok(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// What a JSON value is, for messages.
fn json_type(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// The value of a typed JSON form (any reader form), or a message naming what is wrong and
/// where.
pub fn from_json(json: &Json) -> Result<Value<'static>, String> {
    read(json, "$")
}

fn read(json: &Json, path: &str) -> Result<Value<'static>, String> {
    let fail = |what: String| Err(format!("{path}: {what}"));
    let Json::Object(object) = json else {
        return fail(format!(
            "expected a one-key object naming a kind, got {}",
            json_type(json)
        ));
    };
    let mut entries = object.iter();
    let (Some((kind, payload)), None) = (entries.next(), entries.next()) else {
        return fail(format!(
            "expected exactly one key, got {:?}",
            object.keys().collect::<Vec<_>>()
        ));
    };
    let here = format!("{path}.{kind}");
    let fail = |what: String| Err(format!("{here}: {what}"));
    match (kind.as_str(), payload) {
        ("none", Json::Null) => Ok(Value::None),
        ("bool", Json::Bool(b)) => Ok(Value::Bool(*b)),
        ("int", Json::String(text)) => {
            if !is_canonical_decimal(text) {
                return fail(format!("not a canonical decimal integer: {text:?}"));
            }
            match text.parse::<BigInt<Vec<u8>>>() {
                Ok(big) => Ok(Value::from(big)),
                Err(e) => fail(e.to_string()),
            }
        }
        ("float", Json::String(text)) => {
            let digits_ok =
                text.len() == 16 && text.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
            match u64::from_str_radix(text, 16) {
                Ok(bits) if digits_ok => Ok(Value::Float(f64::from_bits(bits))),
                _ => fail(format!(
                    "expected exactly 16 lowercase hex digits, got {text:?}"
                )),
            }
        }
        // serde_json strings are Rust strings: they cannot hold a surrogate.
        ("str", Json::String(text)) => Ok(Value::from(text.clone())),
        ("str_codepoints", Json::Array(items)) => {
            let mut code_points = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item
                    .as_u64()
                    .and_then(|cp| u32::try_from(cp).ok())
                    .filter(|&cp| cp <= 0x10_ffff)
                {
                    Some(cp) => code_points.push(cp),
                    None => {
                        return Err(format!(
                            "{here}[{i}]: not a code point in 0..1114111: {item}"
                        ))
                    }
                }
            }
            Value::from_code_points(code_points).map_err(|e| format!("{here}: {e}"))
        }
        ("bytes", Json::String(text)) => unhex(text)
            .map(Value::from)
            .map_err(|e| format!("{here}: {e}")),
        ("tuple", Json::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(read(item, &format!("{here}[{i}]"))?);
            }
            Ok(Value::from(out))
        }
        ("nest", Json::Object(body)) => read_nest(body, &here),
        (kind, other) => match expected_payload(kind) {
            Some(expected) => fail(format!("expected {expected}, got {}", json_type(other))),
            None => Err(format!("{path}: unknown kind {kind:?}")),
        },
    }
}

/// What each kind's payload must be, for messages; `None` for an unknown kind.
fn expected_payload(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "none" => "null",
        "bool" => "true or false",
        "int" => "a decimal string",
        "float" => "a string of 16 hex digits",
        "str" => "a string",
        "str_codepoints" => "an array of code points",
        "bytes" => "a string of hex digits",
        "tuple" => "an array",
        "nest" => "an object",
        _ => return None,
    })
}

fn read_nest(body: &Map<String, Json>, here: &str) -> Result<Value<'static>, String> {
    let (Some(depth), Some(inner), 2) = (body.get("depth"), body.get("inner"), body.len()) else {
        return Err(format!(
            "{here}: expected exactly the keys 'depth' and 'inner', got {:?}",
            body.keys().collect::<Vec<_>>()
        ));
    };
    let Some(depth) = depth.as_u64().filter(|&d| d >= 1) else {
        return Err(format!(
            "{here}.depth: expected an integer >= 1, got {depth}"
        ));
    };
    let mut value = read(inner, &format!("{here}.inner"))?;
    for _ in 0..depth {
        value = Value::from(vec![value]);
    }
    Ok(value)
}

/// `0`, or an optional `-` and digits without a leading zero.
fn is_canonical_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let all_digits = !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit());
    all_digits && (digits == "0" && !text.starts_with('-') || !digits.starts_with('0'))
}
