//! Encoding: frozenpack's direct value encoder (`encode_value`) against the peers' own
//! encoders of their natural form of each payload — postcard, bincode and rmp-serde from
//! serde types, rmpv from `rmpv::Value`, ciborium from `ciborium::Value` — and, for the
//! 10 MiB bytes, against a plain copy of the same 10 MiB into a new `Vec`.
//!
//! Every encoding is decoded back once (by its own format) and checked before timing.

mod common;

use std::fmt::Debug;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use frozenpack::{DecodeOptions, Value, Writer};

use common::payloads::{self, Payload, Shape};
use common::typed::{self, Typed};
use common::{cbor, msgpack, settings};

fn encode(c: &mut Criterion) {
    for payload in &payloads::all() {
        bench_payload(c, payload);
    }
}

/// frozenpack's direct encoder, as users call it.
fn frozenpack_encode(value: &Value<'_>) -> Vec<u8> {
    frozenpack::encode_value(value)
}

/// The same writer into a `Vec` sized exactly by an `encoded_len` walk first (what
/// `encode_value` did before): a diagnostic row showing whether that walk pays for itself.
fn frozenpack_encode_sized(value: &Value<'_>) -> Vec<u8> {
    let mut writer = Writer::new(Vec::with_capacity(frozenpack::encoded_len(value)));
    writer.write_value(value);
    writer.into_inner()
}

fn postcard_encode(typed: &Typed<'_>) -> Vec<u8> {
    postcard::to_allocvec(typed).unwrap()
}

fn bincode_encode(typed: &Typed<'_>) -> Vec<u8> {
    bincode::serde::encode_to_vec(typed, bincode::config::standard()).unwrap()
}

fn rmp_serde_encode(typed: &Typed<'_>) -> Vec<u8> {
    rmp_serde::to_vec(typed).unwrap()
}

fn rmpv_encode(value: &rmpv::Value) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, value).unwrap();
    out
}

fn ciborium_encode(value: &ciborium::Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

/// The floor for encoding one bytes payload: a copy of it into a new `Vec`.
fn memcpy(octets: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(octets.len());
    out.extend_from_slice(octets);
    out
}

/// `expected`, decoded back from its encoding, is `decoded`.
fn same<T: PartialEq + Debug>(expected: &T, decoded: T) {
    assert!(*expected == decoded, "round trip changed the payload");
}

fn check_round_trips(payload: &Payload, typed: &Typed<'_>, mp: &rmpv::Value, cb: &ciborium::Value) {
    let fp = frozenpack_encode(&payload.value);
    assert_eq!(DecodeOptions::new().decode(&fp).unwrap(), payload.value);
    assert_eq!(frozenpack_encode_sized(&payload.value), fp);
    let postcard = postcard_encode(typed);
    with_typed!(typed, t => same(t, postcard::from_bytes(&postcard).unwrap()));
    let bincode = bincode_encode(typed);
    with_typed!(typed, t => same(
        t,
        bincode::serde::borrow_decode_from_slice(&bincode, bincode::config::standard()).unwrap().0,
    ));
    let rmp = rmp_serde_encode(typed);
    with_typed!(typed, t => same(t, rmp_serde::from_slice(&rmp).unwrap()));
    let rmpv = rmpv_encode(mp);
    assert_eq!(&rmpv::decode::read_value(&mut &rmpv[..]).unwrap(), mp);
    let cbor = ciborium_encode(cb);
    let decoded: ciborium::Value =
        ciborium::de::from_reader_with_recursion_limit(&cbor[..], cbor::RECURSION_LIMIT).unwrap();
    assert_eq!(&decoded, cb);
    eprintln!(
        "encode/{}: sizes: frozenpack {} B, postcard {} B, bincode {} B, rmp-serde {} B, rmpv {} B, ciborium {} B",
        payload.name,
        fp.len(),
        postcard.len(),
        bincode.len(),
        rmp.len(),
        rmpv.len(),
        cbor.len()
    );
}

fn bench_payload(c: &mut Criterion, payload: &Payload) {
    let typed = typed::from_payload(payload);
    let mp = msgpack::from_value(&payload.value);
    let cb = cbor::from_value(&payload.value);
    check_round_trips(payload, &typed, &mp, &cb);

    let mut group = c.benchmark_group(format!("encode/{}", payload.name));
    if matches!(payload.shape, Shape::Rows | Shape::Ints | Shape::Bytes) {
        settings::heavy(&mut group);
    }
    group.bench_function("frozenpack", |b| {
        b.iter(|| frozenpack_encode(black_box(&payload.value)))
    });
    group.bench_function("frozenpack_sized", |b| {
        b.iter(|| frozenpack_encode_sized(black_box(&payload.value)))
    });
    if let Value::Bytes(octets) = &payload.value {
        group.bench_function("memcpy", |b| b.iter(|| memcpy(black_box(octets))));
    }
    group.bench_function("postcard", |b| {
        b.iter(|| postcard_encode(black_box(&typed)))
    });
    group.bench_function("bincode", |b| b.iter(|| bincode_encode(black_box(&typed))));
    group.bench_function("rmp_serde", |b| {
        b.iter(|| rmp_serde_encode(black_box(&typed)))
    });
    group.bench_function("rmpv", |b| b.iter(|| rmpv_encode(black_box(&mp))));
    group.bench_function("ciborium", |b| b.iter(|| ciborium_encode(black_box(&cb))));
    group.finish();
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = encode
}
criterion_main!(benches);
