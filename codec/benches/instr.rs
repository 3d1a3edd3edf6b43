//! Instruction counts of the main paths (`make bench-instr`), the measure that stays put on a
//! loaded machine where wall time does not.
//!
//! This binary runs one *case* — a path of the crate or of a peer over one payload — a fixed
//! number of times inside [`measured`], and prints what it ran as one JSON line.
//! `instr.py` runs it under `valgrind --tool=callgrind --toggle-collect=instr::measured`, so
//! only that function and what it calls are counted (building the payload and encoding the
//! input are not), and divides by the iterations and the payload's items (its nodes: leaves
//! and tuples; rows for the typed-rows cases).
//!
//! ```text
//! cargo bench -p frozenpack --bench instr -- --list
//! cargo bench -p frozenpack --bench instr -- decode/rows_10k/frozenpack
//! ```
//!
//! Without a case (as `cargo bench --benches` runs it) it runs every case once, untimed, as a
//! check that each still works.

mod common;

use std::hint::black_box;

use frozenpack::bytes::Bytes;
use frozenpack::{DecodeOptions, Reader, Value, ValueRef, ValueTree, Writer};

use common::payloads::{self, Payload};
use common::typed::{self, Row};
use common::{cbor, msgpack};

/// The payloads measured, with the iterations per case: enough for tens of millions of
/// instructions each, few enough for a run of every case to take a couple of minutes.
const PAYLOADS: [(&str, usize); 6] = [
    ("mixed", 2000),
    ("rows_10k", 3),
    ("bytes_1kib", 2000),
    ("ints_100k", 2),
    ("deep_500", 300),
    ("bigints_1k", 60),
];

const DECODERS: [&str; 6] = [
    "frozenpack",
    "frozenpack_shared",
    "frozenpack_events",
    "rmpv",
    "rmpv_ref",
    "ciborium",
];
const ENCODERS: [&str; 6] = [
    "frozenpack",
    "frozenpack_sized",
    "postcard",
    "rmp_serde",
    "rmpv",
    "ciborium",
];
const TYPED: [&str; 3] = ["frozenpack", "postcard", "rmp_serde"];
const TYPED_ITERS: usize = 3;

/// Every case's name: `decode/<payload>/<impl>`, `encode/<payload>/<impl>`,
/// `typed_rows/{decode,encode}/<impl>`.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for (payload, _) in PAYLOADS {
        out.extend(DECODERS.iter().map(|d| format!("decode/{payload}/{d}")));
    }
    for (payload, _) in PAYLOADS {
        out.extend(ENCODERS.iter().map(|e| format!("encode/{payload}/{e}")));
    }
    for dir in ["decode", "encode"] {
        out.extend(TYPED.iter().map(|t| format!("typed_rows/{dir}/{t}")));
    }
    out
}

/// The one function callgrind counts.
#[inline(never)]
fn measured(iters: usize, f: &mut dyn FnMut()) {
    for _ in 0..iters {
        f();
    }
}

/// Runs `f` once outside the count (first-use costs: the allocator's first growth, lazy
/// CPU-feature dispatch), then `iters` times inside it.
fn run(iters: usize, mut f: impl FnMut()) {
    f();
    measured(iters, &mut f);
}

/// The nodes of a value: every leaf and every tuple.
fn nodes<T: ValueTree>(value: &T) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        count += 1;
        if let ValueRef::Tuple(items) = node.as_value_ref() {
            stack.extend(items.iter());
        }
    }
    count
}

fn encode(value: &Value<'_>) -> Vec<u8> {
    frozenpack::encode_value(value)
}

fn decode_case(payload: &Payload, imp: &str, iters: usize) -> Option<()> {
    let fp = encode(&payload.value);
    let options = DecodeOptions::new();
    match imp {
        "frozenpack" => run(iters, || drop(black_box(options.decode(black_box(&fp)).unwrap()))),
        "frozenpack_shared" => {
            let shared = Bytes::from(fp.clone());
            run(iters, || {
                drop(black_box(options.decode_shared(black_box(&shared)).unwrap()))
            })
        }
        "frozenpack_events" => run(iters, || {
            let mut reader = Reader::new(black_box(&fp));
            while let Some(event) = reader.next_event().unwrap() {
                black_box(event);
            }
        }),
        "rmpv" | "rmpv_ref" => {
            let mut mp = Vec::new();
            rmpv::encode::write_value(&mut mp, &msgpack::from_value(&payload.value)).unwrap();
            if imp == "rmpv" {
                run(iters, || {
                    drop(black_box(rmpv::decode::read_value(&mut black_box(&mp[..])).unwrap()))
                })
            } else {
                run(iters, || {
                    drop(black_box(
                        rmpv::decode::read_value_ref(&mut black_box(&mp[..])).unwrap(),
                    ))
                })
            }
        }
        "ciborium" => {
            let mut cb = Vec::new();
            ciborium::into_writer(&cbor::from_value(&payload.value), &mut cb).unwrap();
            run(iters, || {
                let value: ciborium::Value = ciborium::de::from_reader_with_recursion_limit(
                    black_box(&cb[..]),
                    cbor::RECURSION_LIMIT,
                )
                .unwrap();
                drop(black_box(value));
            })
        }
        _ => return None,
    }
    Some(())
}

fn encode_case(payload: &Payload, imp: &str, iters: usize) -> Option<()> {
    let value = &payload.value;
    match imp {
        "frozenpack" => run(iters, || drop(black_box(encode(black_box(value))))),
        "frozenpack_sized" => run(iters, || {
            let value = black_box(value);
            let mut writer = Writer::new(Vec::with_capacity(frozenpack::encoded_len(value)));
            writer.write_value(value);
            drop(black_box(writer.into_inner()));
        }),
        "postcard" | "rmp_serde" => {
            let typed = typed::from_payload(payload);
            if imp == "postcard" {
                run(iters, || {
                    drop(black_box(postcard::to_allocvec(black_box(&typed)).unwrap()))
                })
            } else {
                run(iters, || {
                    drop(black_box(rmp_serde::to_vec(black_box(&typed)).unwrap()))
                })
            }
        }
        "rmpv" => {
            let mp = msgpack::from_value(value);
            run(iters, || {
                let mut out = Vec::new();
                rmpv::encode::write_value(&mut out, black_box(&mp)).unwrap();
                drop(black_box(out));
            })
        }
        "ciborium" => {
            let cb = cbor::from_value(value);
            run(iters, || {
                let mut out = Vec::new();
                ciborium::into_writer(black_box(&cb), &mut out).unwrap();
                drop(black_box(out));
            })
        }
        _ => return None,
    }
    Some(())
}

fn typed_case(dir: &str, imp: &str, iters: usize) -> Option<usize> {
    let payload = payloads::by_name("rows_10k")?;
    let rows: Vec<Row<'_>> = payload.value.as_tuple()?.iter().map(typed::row).collect();
    match (dir, imp) {
        ("decode", "frozenpack") => {
            let fp = frozenpack::to_vec(&rows).unwrap();
            run(iters, || {
                drop(black_box(frozenpack::from_slice::<Vec<Row<'_>>>(black_box(&fp)).unwrap()))
            })
        }
        ("decode", "postcard") => {
            let pc = postcard::to_allocvec(&rows).unwrap();
            run(iters, || {
                drop(black_box(postcard::from_bytes::<Vec<Row<'_>>>(black_box(&pc)).unwrap()))
            })
        }
        ("decode", "rmp_serde") => {
            let mp = rmp_serde::to_vec(&rows).unwrap();
            run(iters, || {
                drop(black_box(rmp_serde::from_slice::<Vec<Row<'_>>>(black_box(&mp)).unwrap()))
            })
        }
        ("encode", "frozenpack") => run(iters, || {
            drop(black_box(frozenpack::to_vec(black_box(&rows)).unwrap()))
        }),
        ("encode", "postcard") => run(iters, || {
            drop(black_box(postcard::to_allocvec(black_box(&rows)).unwrap()))
        }),
        ("encode", "rmp_serde") => run(iters, || {
            drop(black_box(rmp_serde::to_vec(black_box(&rows)).unwrap()))
        }),
        _ => return None,
    }
    Some(rows.len())
}

/// Runs one case `iters` times (the payload's default when `None`) and returns its line.
fn run_case(case: &str, iters: Option<usize>) -> Result<String, String> {
    let parts: Vec<&str> = case.split('/').collect();
    let unknown = || format!("unknown case {case:?} (--list shows them)");
    let (iters, items) = match parts[..] {
        ["typed_rows", dir, imp] => {
            let iters = iters.unwrap_or(TYPED_ITERS);
            (iters, typed_case(dir, imp, iters).ok_or_else(unknown)?)
        }
        [dir @ ("decode" | "encode"), name, imp] => {
            let default = PAYLOADS.iter().find(|(p, _)| *p == name).ok_or_else(unknown)?.1;
            let iters = iters.unwrap_or(default);
            let payload = payloads::by_name(name).ok_or_else(unknown)?;
            let ran = if dir == "decode" {
                decode_case(&payload, imp, iters)
            } else {
                encode_case(&payload, imp, iters)
            };
            ran.ok_or_else(unknown)?;
            (iters, nodes(&payload.value))
        }
        _ => return Err(unknown()),
    };
    Ok(format!(
        r#"{{"case": "{case}", "iters": {iters}, "items": {items}}}"#
    ))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        for case in cases() {
            println!("{case}");
        }
        return;
    }
    let iters = args
        .iter()
        .find_map(|a| a.strip_prefix("--iters="))
        .map(|n| n.parse().expect("--iters=N"));
    let chosen: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if chosen.is_empty() {
        // `cargo bench` / `cargo test --benches`: run everything once, as a check.
        for case in cases() {
            if let Err(e) = run_case(&case, Some(1)) {
                panic!("{e}");
            }
        }
        println!("instr: every case ran once (run instr.py for instruction counts)");
        return;
    }
    for case in chosen {
        match run_case(case, iters) {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
}
