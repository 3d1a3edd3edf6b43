//! The payloads as CBOR values (`ciborium::Value`).
//!
//! Tuples become arrays. CBOR carries ints beyond 64 bits natively as bignums (RFC 8949
//! §3.4.3): tag 2 over the big-endian magnitude of n ≥ 0, tag 3 over that of −1 − n for
//! n < 0; `ciborium::Value` keeps those as `Tag(2|3, Bytes)` when they exceed its 128-bit
//! `Integer`.

use frozenpack::Value;

/// The recursion limit given to ciborium's reader: its default, 256, rejects the 500-deep
/// payload; ciborium lets the caller raise it (`from_reader_with_recursion_limit`).
pub const RECURSION_LIMIT: usize = 1024;

/// `value` as a `ciborium::Value`.
pub fn from_value(value: &Value<'_>) -> ciborium::Value {
    match value {
        Value::None => ciborium::Value::Null,
        Value::Bool(b) => ciborium::Value::Bool(*b),
        Value::Int(v) => ciborium::Value::Integer((*v).into()),
        Value::BigInt(big) => bignum(big.as_le_bytes()),
        Value::Float(x) => ciborium::Value::Float(*x),
        Value::Str(s) => ciborium::Value::Text(s.to_string()),
        Value::Bytes(b) => ciborium::Value::Bytes(b.to_vec()),
        Value::Tuple(items) => ciborium::Value::Array(items.iter().map(from_value).collect()),
        Value::SurrogateStr(_) => unreachable!("no payload holds a surrogate str"),
    }
}

/// The CBOR bignum of the int whose little-endian two's complement is `le`.
fn bignum(le: &[u8]) -> ciborium::Value {
    let negative = le.last().is_some_and(|top| top & 0x80 != 0);
    // For n < 0, −1 − n is the bitwise complement of n's two's complement.
    let be: Vec<u8> = le
        .iter()
        .rev()
        .map(|&octet| if negative { !octet } else { octet })
        .skip_while(|&octet| octet == 0)
        .collect();
    let tag = if negative { 3 } else { 2 };
    ciborium::Value::Tag(tag, Box::new(ciborium::Value::Bytes(be)))
}
