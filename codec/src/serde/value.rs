//! `Serialize` and `Deserialize` for the crate's own value types.
//!
//! With this crate's serializer and deserializer a [`Value`] passes through serde exactly:
//! ints of any size, surrogate strs, float bits, bool versus int, tuples. Three private
//! newtype names (the pattern of serde_json's arbitrary-precision `Number` and `RawValue`)
//! carry what serde's data model has no slot for:
//!
//! * serializing, a [`BigInt`] outside `i128`/`u128` is `newtype_struct(BIGINT_TOKEN,
//!   bytes)` with its little-endian two's complement, and a [`SurrogateStr`]
//!   `newtype_struct(SSTR_TOKEN, bytes)` with its generalized UTF-8; this crate's
//!   serializer writes them as the int and the str, any other serializer sees a newtype
//!   around bytes;
//! * deserializing, `Value` asks for `newtype_struct(VALUE_TOKEN)`: this crate's
//!   deserializer reads the whole value (checking it as always), then hands its encoding
//!   over as a one-entry map `{VALUE_TOKEN: bytes}`, which `Value`'s visitor decodes with
//!   the crate's decoder, iteratively and borrowing from the input. Any other deserializer
//!   calls the visitor with what it has, and the visitor takes the natural reading.

use core::fmt;
use std::borrow::Cow;

use ::serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use ::serde::ser::{Serialize, SerializeSeq, Serializer};

use super::{BIGINT_TOKEN, SSTR_TOKEN, VALUE_TOKEN};
use crate::decode::DecodeOptions;
use crate::value::{BigInt, SharedValue, SurrogateStr, Tuple, Value, ValueRef, ValueTree};

/// A `ValueTree` node, serialized.
struct Node<'v, T>(&'v T);

impl<T: ValueTree> Serialize for Node<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_value_ref() {
            ValueRef::None => serializer.serialize_unit(),
            ValueRef::Bool(b) => serializer.serialize_bool(b),
            ValueRef::Int(v) => serializer.serialize_i64(v),
            ValueRef::BigInt(big) => big.serialize(serializer),
            ValueRef::Float(x) => serializer.serialize_f64(x),
            ValueRef::Str(s) => serializer.serialize_str(s),
            ValueRef::SurrogateStr(s) => s.serialize(serializer),
            ValueRef::Bytes(b) => serializer.serialize_bytes(b),
            ValueRef::Tuple(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node(item))?;
                }
                seq.end()
            }
        }
    }
}

/// Exact with this crate's serializer; with others: none is unit, a tuple is a sequence,
/// bytes are bytes, a float is an `f64`, an int is an `i64`, `i128` or `u128` when it fits
/// one, else bytes (its little-endian two's complement), and a str with surrogates is bytes
/// (its generalized UTF-8, as Python's `'surrogatepass'` gives it).
///
/// serde serializes by recursion: this crate's serializer refuses values deeper than its
/// depth limit (1000 by default) with an error; [`Writer::write_value`](crate::Writer::write_value)
/// and [`encode_value`](crate::encode_value) write any depth.
///
/// ```
/// use frozenpack::Value;
/// let value = Value::from(vec![Value::from(1u128 << 100), Value::from_code_points([0xd800])?]);
/// assert_eq!(frozenpack::to_vec(&value)?, frozenpack::encode_value(&value));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Node(self).serialize(serializer)
    }
}

/// As [`Value`]'s.
///
/// ```
/// let input = bytes::Bytes::from_static(b"\xb2\x01\x81a");
/// let value = frozenpack::SharedValue::from_bytes(&input)?;
/// assert_eq!(frozenpack::to_vec(&value)?, &input[..]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for SharedValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Node(self).serialize(serializer)
    }
}

/// Octets given to a serializer as bytes.
struct Octets<'v>(&'v [u8]);

impl Serialize for Octets<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// An `i128` or `u128` when the int fits one; else the private newtype around its
/// little-endian two's complement (an int with this crate's serializer, bytes with others).
///
/// ```
/// let big: frozenpack::BigInt<Vec<u8>> = "-340282366920938463463374607431768211457".parse()?;
/// let bytes = frozenpack::to_vec(&big)?;
/// assert_eq!(bytes, frozenpack::encode_value(&frozenpack::Value::from(big.clone())));
/// assert_eq!(frozenpack::from_slice::<frozenpack::BigInt<Vec<u8>>>(&bytes)?, big);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<B: AsRef<[u8]>> Serialize for BigInt<B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let le = self.as_le_bytes();
        if let Some(v) = crate::int::to_i128(le) {
            if v >= 0 {
                return serializer.serialize_u128(v as u128);
            }
            return serializer.serialize_i128(v);
        }
        if let Some(v) = crate::int::to_u128(le) {
            return serializer.serialize_u128(v);
        }
        serializer.serialize_newtype_struct(BIGINT_TOKEN, &Octets(le))
    }
}

/// The private newtype around its generalized UTF-8 (a str with this crate's serializer,
/// bytes with others).
///
/// ```
/// let s = frozenpack::SurrogateStr::from_code_points([0x61, 0xdc00])?;
/// assert_eq!(frozenpack::to_vec(&s)?, b"\xdc\x04a\xed\xb0\x80");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<B: AsRef<[u8]>> Serialize for SurrogateStr<B> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(SSTR_TOKEN, &Octets(self.as_generalized_utf8()))
    }
}

/// Exact from this crate's deserializer, borrowing strs, bytes and big ints from the input
/// and decoding without recursion (any depth the deserializer's limit admits). It reads the
/// value's octets twice, once to check them and find their end and once to build the value;
/// [`decode_value`](crate::decode_value) and [`DecodeOptions`] read them once. From other
/// deserializers, the natural reading: unit and none are none, `Some(x)` is `x`, integers
/// are ints, floats floats (an `f32` widened exactly), strs and chars strs, bytes bytes,
/// sequences tuples, and a map a tuple of `(key, value)` pairs.
///
/// A `Value<'a>` field of a derived struct borrows from the input when marked
/// `#[serde(borrow)]` (serde borrows only `&str` and `&[u8]` without being asked).
///
/// ```
/// use frozenpack::Value;
/// let input = b"\xb3\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01\xdc\x03\xed\xa0\x80\xc2";
/// let value: Value = frozenpack::from_slice(input)?;
/// assert_eq!(value.to_string(), r"(18446744073709551616, '\ud800', True)");
/// assert_eq!(value, frozenpack::decode_value(input)?);
///
/// let from_json: Value = serde_json::from_str(r#"[1, "a", null, {"k": 2.5}]"#)?;
/// assert_eq!(from_json.to_string(), "(1, 'a', None, (('k', 2.5),))");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<'de: 'a, 'a> Deserialize<'de> for Value<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(VALUE_TOKEN, ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a frozenpack value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value<'de>, E> {
        Ok(Value::from(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value<'de>, E> {
        Ok(Value::from(v))
    }

    fn visit_f32<E>(self, v: f32) -> Result<Value<'de>, E> {
        Ok(Value::Float(super::float::widen(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }

    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value<'de>, E> {
        Ok(Value::Bytes(Cow::Owned(v.to_owned())))
    }

    fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Value<'de>, E> {
        Ok(Value::Bytes(Cow::Borrowed(v)))
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value<'de>, E> {
        Ok(Value::Bytes(Cow::Owned(v)))
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value<'de>, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::None)
    }

    /// A newtype from a deserializer that does not know `VALUE_TOKEN`: its inner value.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        // Reserve no more than serde's own collections would for an untrusted hint.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Value<'de>>()? {
            items.push(item);
        }
        Ok(Value::Tuple(Tuple::from(items)))
    }

    /// `{VALUE_TOKEN: encoding}` from this crate's deserializer; any other map becomes a
    /// tuple of `(key, value)` pairs.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        let mut pairs = Vec::new();
        match map.next_key_seed(KeySeed)? {
            None => return Ok(Value::Tuple(Tuple::new())),
            Some(Key::Encoded) => {
                let Encoded(raw) = map.next_value()?;
                // The deserializer has read and checked these octets as one value at its
                // level, depth limit included; decoding them again cannot fail.
                return DecodeOptions::new()
                    .with_max_depth(usize::MAX)
                    .decode(raw)
                    .map_err(de::Error::custom);
            }
            Some(Key::Value(key)) => {
                let value = map.next_value::<Value<'de>>()?;
                pairs.push(Value::from(vec![key, value]));
            }
        }
        while let Some((key, value)) = map.next_entry::<Value<'de>, Value<'de>>()? {
            pairs.push(Value::from(vec![key, value]));
        }
        Ok(Value::from(pairs))
    }
}

/// A map's first key: the private token, or an ordinary key.
enum Key<'de> {
    Encoded,
    Value(Value<'de>),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        Value::deserialize(deserializer).map(|key| match key {
            Value::Str(ref s) if s == VALUE_TOKEN => Key::Encoded,
            other => Key::Value(other),
        })
    }
}

/// The encoding handed over under `VALUE_TOKEN`.
struct Encoded<'de>(&'de [u8]);

impl<'de> Deserialize<'de> for Encoded<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = Encoded<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the borrowed encoding of a frozenpack value")
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Encoded<'de>, E> {
                Ok(Encoded(v))
            }
        }
        deserializer.deserialize_bytes(RawVisitor)
    }
}

/// Any int: from this crate's deserializer exactly (BIGINT octets included), from others
/// whatever integer or bytes (little-endian two's complement) they give.
///
/// ```
/// let big: frozenpack::BigInt<Vec<u8>> = frozenpack::from_slice(b"\xc5\xe8\x03")?;
/// assert_eq!(big.to_string(), "1000");
/// let err = frozenpack::from_slice::<frozenpack::BigInt<Vec<u8>>>(b"\x81a").unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: str, expected int at offset 0");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
impl<'de> Deserialize<'de> for BigInt<Vec<u8>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(BIGINT_TOKEN, BigIntVisitor)
    }
}

struct BigIntVisitor;

impl<'de> Visitor<'de> for BigIntVisitor {
    type Value = BigInt<Vec<u8>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an int")
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(BigInt::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(BigInt::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(BigInt::from(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(BigInt::from(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(BigInt::from_le_bytes(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut le = Vec::new();
        while let Some(octet) = seq.next_element::<u8>()? {
            le.push(octet);
        }
        Ok(BigInt::from_le_bytes(&le))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A str with at least one surrogate: from this crate's deserializer an SSTR, from others
/// its generalized UTF-8 as bytes.
///
/// ```
/// let s: frozenpack::SurrogateStr<Vec<u8>> = frozenpack::from_slice(b"\xdc\x03\xed\xa0\x80")?;
/// assert_eq!(s.code_points().collect::<Vec<_>>(), [0xd800]);
/// let err = frozenpack::from_slice::<frozenpack::SurrogateStr<Vec<u8>>>(b"\x81a").unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: str, expected str with surrogates at offset 0");
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
impl<'de> Deserialize<'de> for SurrogateStr<Vec<u8>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(SSTR_TOKEN, SurrogateStrVisitor)
    }
}

struct SurrogateStrVisitor;

impl<'de> Visitor<'de> for SurrogateStrVisitor {
    type Value = SurrogateStr<Vec<u8>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the generalized UTF-8 of a str with surrogates")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        SurrogateStr::from_generalized_utf8(v.to_vec()).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut text = Vec::new();
        while let Some(octet) = seq.next_element::<u8>()? {
            text.push(octet);
        }
        self.visit_bytes(&text)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}
