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

    /// Every path that reads through the grammar — the value builders, the event reader,
    /// serde (which keeps its own count of items), prefix decoding — reaches the same
    /// verdict on a valid encoding with a few octets changed: the same value, or the same
    /// error kind and offset. (They share the grammar but not the bookkeeping of tuples;
    /// this, the conformance vectors and the fuzz targets are what keeps them in step.)
    #[test]
    fn every_decoding_path_agrees_on_mutated_encodings(
        b in encoding(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in proptest::option::of(any::<prop::sample::Index>()),
        max_depth in prop_oneof![0..6usize, Just(crate::DEFAULT_MAX_DEPTH)],
    ) {
        let mut input = b;
        for (at, octet) in edits {
            let i = at.index(input.len());
            input[i] = octet;
        }
        if let Some(cut) = cut {
            input.truncate(cut.index(input.len() + 1));
        }
        let options = DecodeOptions::new().with_max_depth(max_depth);
        let direct = options.decode(&input).map_err(|e| (e.kind(), e.offset()));

        let shared = options.decode_shared(&bytes::Bytes::from(input.clone()));
        match (&shared, &direct) {
            (Ok(s), Ok(v)) => prop_assert!(s == v),
            (Err(e), Err(d)) => prop_assert_eq!(&(e.kind(), e.offset()), d),
            _ => prop_assert!(false, "shared {:?} vs direct {:?}", shared, direct),
        }

        fn serde_path<'de, T: ::serde::Deserialize<'de>>(
            input: &'de [u8],
            options: &DecodeOptions,
        ) -> Result<T, Option<(ErrorKind, usize)>> {
            let mut de = crate::Deserializer::with_options(input, 0, options);
            T::deserialize(&mut de)
                .and_then(|value| de.end().map(|()| value))
                .map_err(|e| e.wire().map(|w| (w.kind(), w.offset())))
        }
        let through_serde = serde_path::<Value<'_>>(&input, &options);
        prop_assert_eq!(through_serde, direct.clone().map_err(Some));
        let skipped = serde_path::<::serde::de::IgnoredAny>(&input, &options).map(|_| ());
        prop_assert_eq!(skipped, direct.clone().map(|_| ()).map_err(Some));
        // A typed read goes item by item through the serde access types; it may stop at an
        // item its type cannot hold, but any wire error it reports is the decoder's.
        if let Err(Some(wire)) = serde_path::<Nested>(&input, &options) {
            prop_assert_eq!(Err(wire), direct.clone().map(|_| ()));
        }

        let mut reader = crate::Reader::with_options(&input, 0, &options);
        let events = loop {
            match reader.next_event() {
                Ok(Some(_)) => {}
                Ok(None) if reader.offset() == input.len() => break Ok(()),
                Ok(None) => break Err((ErrorKind::TrailingBytes, reader.offset())),
                Err(e) => break Err((e.kind(), e.offset())),
            }
        };
        prop_assert_eq!(events, direct.clone().map(|_| ()));

        let mut shifted = vec![0xc0];
        shifted.extend_from_slice(&input);
        let prefix = options.decode_prefix(&shifted, 1);
        match (prefix, &direct) {
            (Ok((value, end)), Ok(expected)) => {
                prop_assert_eq!(&value, expected);
                prop_assert_eq!(end, shifted.len());
            }
            (Ok((_, end)), Err((ErrorKind::TrailingBytes, at))) => prop_assert_eq!(end, at + 1),
            (Err(e), Err((kind, at))) => prop_assert_eq!((e.kind(), e.offset()), (*kind, at + 1)),
            (prefix, _) => prop_assert!(false, "prefix {:?} vs direct {:?}", prefix, direct),
        };
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

/// Any value whose leaves serde's data model can hold, read item by item through
/// `deserialize_any` (tuples as sequences of it) and kept as nothing.
#[derive(Debug)]
struct Nested;

impl<'de> ::serde::Deserialize<'de> for Nested {
    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> ::serde::de::Visitor<'de> for Visit {
            type Value = Nested;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("anything")
            }
            fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Nested, A::Error> {
                while seq.next_element::<Nested>()?.is_some() {}
                Ok(Nested)
            }
            fn visit_unit<E>(self) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_borrowed_str<E>(self, _: &'de str) -> Result<Nested, E> {
                Ok(Nested)
            }
            fn visit_borrowed_bytes<E>(self, _: &'de [u8]) -> Result<Nested, E> {
                Ok(Nested)
            }
        }
        d.deserialize_any(Visit)
    }
}
