//! The payloads as MessagePack values (`rmpv::Value`).
//!
//! Tuples become arrays. MessagePack has no int beyond 64 bits: a frozenpack BIGINT becomes a
//! `bin` of its little-endian two's complement (the octets frozenpack itself carries), which
//! the reader must know to interpret — the workaround the results table marks.

use frozenpack::Value;

/// `value` as an `rmpv::Value`.
pub fn from_value(value: &Value<'_>) -> rmpv::Value {
    match value {
        Value::None => rmpv::Value::Nil,
        Value::Bool(b) => rmpv::Value::Boolean(*b),
        Value::Int(v) => rmpv::Value::from(*v),
        Value::BigInt(big) => rmpv::Value::Binary(big.as_le_bytes().to_vec()),
        Value::Float(x) => rmpv::Value::F64(*x),
        Value::Str(s) => rmpv::Value::from(&**s),
        Value::Bytes(b) => rmpv::Value::Binary(b.to_vec()),
        Value::Tuple(items) => rmpv::Value::Array(items.iter().map(from_value).collect()),
        Value::SurrogateStr(_) => unreachable!("no payload holds a surrogate str"),
    }
}
