//! Decoding to a dynamic value tree: frozenpack's borrowed `Value` and Bytes-backed
//! `SharedValue` against MessagePack (`rmpv::Value`, owned, and `rmpv::ValueRef`, borrowed)
//! and CBOR (`ciborium::Value`), on the six payloads and on 1 KiB bytes (to show that 10 MiB
//! of bytes decodes in the same time: zero-copy).
//!
//! Each payload is encoded once per format, and each decoder's result is checked against the
//! source once before timing. Times include dropping the decoded tree.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use frozenpack::bytes::Bytes;
use frozenpack::{DecodeOptions, Writer};

use common::payloads::{self, Payload, Shape};
use common::{cbor, msgpack, settings};

fn decode_value(c: &mut Criterion) {
    let mut all = payloads::all();
    all.insert(3, payloads::small_bytes());
    for payload in &all {
        bench_payload(c, payload);
    }
}

fn bench_payload(c: &mut Criterion, payload: &Payload) {
    let options = DecodeOptions::new();

    let mut writer = Writer::new(Vec::with_capacity(frozenpack::encoded_len(&payload.value)));
    writer.write_value(&payload.value);
    let fp = writer.into_inner();
    let shared = Bytes::from(fp.clone());
    let mp_value = msgpack::from_value(&payload.value);
    let mut mp = Vec::new();
    rmpv::encode::write_value(&mut mp, &mp_value).unwrap();
    let cb_value = cbor::from_value(&payload.value);
    let mut cb = Vec::new();
    ciborium::into_writer(&cb_value, &mut cb).unwrap();

    assert_eq!(options.decode(&fp).unwrap(), payload.value);
    assert_eq!(options.decode_shared(&shared).unwrap(), payload.value);
    assert_eq!(rmpv::decode::read_value(&mut &mp[..]).unwrap(), mp_value);
    assert_eq!(
        rmpv::decode::read_value_ref(&mut &mp[..])
            .unwrap()
            .to_owned(),
        mp_value
    );
    let cb_decoded: ciborium::Value =
        ciborium::de::from_reader_with_recursion_limit(&cb[..], cbor::RECURSION_LIMIT).unwrap();
    assert_eq!(cb_decoded, cb_value);
    eprintln!(
        "decode/{}: encoded sizes: frozenpack {} B, msgpack {} B, cbor {} B",
        payload.name,
        fp.len(),
        mp.len(),
        cb.len()
    );

    let mut group = c.benchmark_group(format!("decode/{}", payload.name));
    if matches!(payload.shape, Shape::Rows | Shape::Ints | Shape::Bytes) && fp.len() > 1 << 16 {
        settings::heavy(&mut group);
    }
    group.bench_function("frozenpack", |b| {
        b.iter(|| options.decode(black_box(&fp)).unwrap())
    });
    group.bench_function("frozenpack_shared", |b| {
        b.iter(|| options.decode_shared(black_box(&shared)).unwrap())
    });
    group.bench_function("rmpv", |b| {
        b.iter(|| rmpv::decode::read_value(&mut black_box(&mp[..])).unwrap())
    });
    group.bench_function("rmpv_ref", |b| {
        b.iter(|| rmpv::decode::read_value_ref(&mut black_box(&mp[..])).unwrap())
    });
    group.bench_function("ciborium", |b| {
        b.iter(|| {
            let value: ciborium::Value = ciborium::de::from_reader_with_recursion_limit(
                black_box(&cb[..]),
                cbor::RECURSION_LIMIT,
            )
            .unwrap();
            value
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = decode_value
}
criterion_main!(benches);
