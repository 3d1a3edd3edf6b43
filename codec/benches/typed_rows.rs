//! serde with typed rows: the 10,000 rows `(int, float, short str, None)` as
//! `Vec<Row<'_>>`, where `Row` is a tuple struct whose str borrows from the input
//! (`visit_borrowed_str`), decoded and encoded by frozenpack's serde support, postcard,
//! bincode and rmp-serde; ciborium cannot borrow from its reader, so it decodes rows that own
//! their str (`OwnedRow`), which the results table marks.
//!
//! Every decoder's result is checked against the source rows once before timing.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use frozenpack::Writer;

use common::payloads;
use common::settings;
use common::typed::{self, OwnedRow, Row};

fn typed_rows(c: &mut Criterion) {
    let payload = payloads::all()
        .into_iter()
        .find(|p| p.name == "rows_10k")
        .unwrap();
    let rows: Vec<Row<'_>> = payload
        .value
        .as_tuple()
        .unwrap()
        .iter()
        .map(typed::row)
        .collect();
    let owned: Vec<OwnedRow> = rows
        .iter()
        .map(|r| OwnedRow(r.0, r.1, r.2.to_owned(), r.3))
        .collect();

    let mut writer = Writer::new(Vec::new());
    writer.write_value(&payload.value);
    let fp = writer.into_inner();
    let config = bincode::config::standard();
    let postcard = postcard::to_allocvec(&rows).unwrap();
    let bincode = bincode::serde::encode_to_vec(&rows, config).unwrap();
    let rmp = rmp_serde::to_vec(&rows).unwrap();
    let mut cbor = Vec::new();
    ciborium::into_writer(&owned, &mut cbor).unwrap();

    // serde's mapping writes a tuple struct as a tuple and `None` as none: the same octets
    // as the rows' frozenpack value.
    assert_eq!(frozenpack::to_vec(&rows).unwrap(), fp);
    assert_eq!(frozenpack::from_slice::<Vec<Row<'_>>>(&fp).unwrap(), rows);
    assert_eq!(
        postcard::from_bytes::<Vec<Row<'_>>>(&postcard).unwrap(),
        rows
    );
    assert_eq!(
        bincode::serde::borrow_decode_from_slice::<Vec<Row<'_>>, _>(&bincode, config)
            .unwrap()
            .0,
        rows
    );
    assert_eq!(rmp_serde::from_slice::<Vec<Row<'_>>>(&rmp).unwrap(), rows);
    assert_eq!(
        ciborium::from_reader::<Vec<OwnedRow>, _>(&cbor[..]).unwrap(),
        owned
    );

    let mut group = c.benchmark_group("typed_rows/decode");
    settings::heavy(&mut group);
    group.bench_function("frozenpack", |b| {
        b.iter(|| frozenpack::from_slice::<Vec<Row<'_>>>(black_box(&fp)).unwrap())
    });
    group.bench_function("postcard", |b| {
        b.iter(|| postcard::from_bytes::<Vec<Row<'_>>>(black_box(&postcard)).unwrap())
    });
    group.bench_function("bincode", |b| {
        b.iter(|| {
            bincode::serde::borrow_decode_from_slice::<Vec<Row<'_>>, _>(black_box(&bincode), config)
                .unwrap()
        })
    });
    group.bench_function("rmp_serde", |b| {
        b.iter(|| rmp_serde::from_slice::<Vec<Row<'_>>>(black_box(&rmp)).unwrap())
    });
    group.bench_function("ciborium_owned", |b| {
        b.iter(|| ciborium::from_reader::<Vec<OwnedRow>, _>(black_box(&cbor[..])).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("typed_rows/encode");
    settings::heavy(&mut group);
    group.bench_function("frozenpack", |b| {
        b.iter(|| frozenpack::to_vec(black_box(&rows)).unwrap())
    });
    group.bench_function("postcard", |b| {
        b.iter(|| postcard::to_allocvec(black_box(&rows)).unwrap())
    });
    group.bench_function("bincode", |b| {
        b.iter(|| bincode::serde::encode_to_vec(black_box(&rows), config).unwrap())
    });
    group.bench_function("rmp_serde", |b| {
        b.iter(|| rmp_serde::to_vec(black_box(&rows)).unwrap())
    });
    group.bench_function("ciborium_owned", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            ciborium::into_writer(black_box(&owned), &mut out).unwrap();
            out
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = settings::criterion();
    targets = typed_rows
}
criterion_main!(benches);
