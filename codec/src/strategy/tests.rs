//! The crate's round-trip properties, thousands of cases each.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::{encoding, value};
use crate::{
    decode_value, decode_values, encode_value, DecodeOptions, ErrorKind, SharedValue, Value,
};

/// 4096 cases per property unless `PROPTEST_CASES` says otherwise.
fn config() -> Config {
    if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default()
    } else {
        Config {
            cases: 4096,
            ..Config::default()
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// decode(encode(v)) == v, and the length is what `encoded_len` promised.
    #[test]
    fn values_round_trip(v in value()) {
        let bytes = encode_value(&v);
        prop_assert_eq!(bytes.len(), crate::encoded_len(&v));
        let decoded = decode_value(&bytes).unwrap();
        prop_assert_eq!(&decoded, &v);
        // The same through io::Write and through a BytesMut.
        let mut written = Vec::new();
        crate::encode_value_to_writer(&mut written, &v).unwrap();
        prop_assert_eq!(&written, &bytes);
        let mut buf = bytes::BytesMut::new();
        crate::Writer::new(&mut buf).write_value(&v);
        prop_assert_eq!(&buf[..], &bytes[..]);
    }

    /// encode(decode(b)) == b for every valid b, whichever tree decodes it.
    #[test]
    fn encodings_round_trip(b in encoding()) {
        let value = decode_value(&b).unwrap();
        prop_assert_eq!(encode_value(&value), b.clone());
        let shared = SharedValue::from_bytes(&bytes::Bytes::from(b.clone())).unwrap();
        prop_assert_eq!(encode_value(&shared), b.clone());
        prop_assert_eq!(&shared, &value);
        prop_assert_eq!(encode_value(&value.into_owned()), b);
    }

    /// Canonical form makes the map a bijection: change any one octet of a valid encoding,
    /// and the result either fails to decode or is the encoding of what it decodes to.
    #[test]
    fn mutated_encodings_are_rejected_or_canonical(b in encoding(), at in any::<prop::sample::Index>(), octet in any::<u8>()) {
        let mut mutated = b;
        let i = at.index(mutated.len());
        mutated[i] = octet;
        let decoded = decode_value(&mutated).map(|value| encode_value(&value));
        if let Ok(again) = decoded {
            prop_assert_eq!(again, mutated);
        }
    }

    /// Every strict prefix of a valid encoding is `truncated` at its own length.
    #[test]
    fn strict_prefixes_are_truncated(b in encoding(), at in any::<prop::sample::Index>()) {
        let cut = at.index(b.len());
        let err = decode_value(&b[..cut]).unwrap_err();
        prop_assert_eq!((err.kind(), err.offset()), (ErrorKind::Truncated, cut));
    }

    /// A sequence of encodings decodes as the sequence of values (spec §9), and prefix
    /// decoding finds each one's end.
    #[test]
    fn sequences_decode_value_by_value(items in proptest::collection::vec(encoding(), 0..6)) {
        let joined: Vec<u8> = items.concat();
        let decoded: Vec<Value<'_>> = decode_values(&joined).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(decoded.len(), items.len());
        let mut offset = 0;
        for (item, value) in items.iter().zip(&decoded) {
            prop_assert_eq!(&encode_value(value), item);
            let (again, end) = DecodeOptions::new().decode_prefix(&joined, offset).unwrap();
            prop_assert_eq!(&again, value);
            offset = end;
        }
        prop_assert_eq!(offset, joined.len());
    }

    /// Ordering and equality agree with the encodings: equal values, equal octets.
    #[test]
    fn equality_is_encoding_equality(a in value(), b in value()) {
        prop_assert_eq!(a == b, encode_value(&a) == encode_value(&b));
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }
}
