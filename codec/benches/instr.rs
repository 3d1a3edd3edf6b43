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
//! cargo bench -p frozenpack --bench instr -- --time=30 decode/rows_10k typed_rows/decode
//! ```
//!
//! `--time=R` measures wall time instead, for whole groups, interleaved (see [`time_group`]):
//! a check that instruction counts translate into time, usable on a loaded machine.
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

/// One case, ready to run: what one iteration does.
type Job = Box<dyn FnMut()>;

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

/// A payload that lives as long as the process, so that jobs can borrow from it.
fn leak(payload: Payload) -> &'static Payload {
    Box::leak(Box::new(payload))
}

fn decode_job(payload: &'static Payload, imp: &str) -> Option<Job> {
    let fp = encode(&payload.value);
    let options = DecodeOptions::new();
    let job: Job = match imp {
        "frozenpack" => Box::new(move || drop(black_box(options.decode(black_box(&fp)).unwrap()))),
        "frozenpack_shared" => {
            let shared = Bytes::from(fp);
            Box::new(move || {
                drop(black_box(
                    options.decode_shared(black_box(&shared)).unwrap(),
                ))
            })
        }
        "frozenpack_events" => Box::new(move || {
            let mut reader = Reader::new(black_box(&fp));
            while let Some(event) = reader.next_event().unwrap() {
                black_box(event);
            }
        }),
        "rmpv" | "rmpv_ref" => {
            let mut mp = Vec::new();
            rmpv::encode::write_value(&mut mp, &msgpack::from_value(&payload.value)).unwrap();
            if imp == "rmpv" {
                Box::new(move || {
                    drop(black_box(
                        rmpv::decode::read_value(&mut black_box(&mp[..])).unwrap(),
                    ))
                })
            } else {
                Box::new(move || {
                    drop(black_box(
                        rmpv::decode::read_value_ref(&mut black_box(&mp[..])).unwrap(),
                    ))
                })
            }
        }
        "ciborium" => {
            let mut cb = Vec::new();
            ciborium::into_writer(&cbor::from_value(&payload.value), &mut cb).unwrap();
            Box::new(move || {
                let value: ciborium::Value = ciborium::de::from_reader_with_recursion_limit(
                    black_box(&cb[..]),
                    cbor::RECURSION_LIMIT,
                )
                .unwrap();
                drop(black_box(value));
            })
        }
        _ => return None,
    };
    Some(job)
}

fn encode_job(payload: &'static Payload, imp: &str) -> Option<Job> {
    let value = &payload.value;
    let job: Job = match imp {
        "frozenpack" => Box::new(move || drop(black_box(encode(black_box(value))))),
        "frozenpack_sized" => Box::new(move || {
            let value = black_box(value);
            let mut writer = Writer::new(Vec::with_capacity(frozenpack::encoded_len(value)));
            writer.write_value(value);
            drop(black_box(writer.into_inner()));
        }),
        "postcard" | "rmp_serde" => {
            let typed = typed::from_payload(payload);
            if imp == "postcard" {
                Box::new(move || drop(black_box(postcard::to_allocvec(black_box(&typed)).unwrap())))
            } else {
                Box::new(move || drop(black_box(rmp_serde::to_vec(black_box(&typed)).unwrap())))
            }
        }
        "rmpv" => {
            let mp = msgpack::from_value(value);
            Box::new(move || {
                let mut out = Vec::new();
                rmpv::encode::write_value(&mut out, black_box(&mp)).unwrap();
                drop(black_box(out));
            })
        }
        "ciborium" => {
            let cb = cbor::from_value(value);
            Box::new(move || {
                let mut out = Vec::new();
                ciborium::into_writer(black_box(&cb), &mut out).unwrap();
                drop(black_box(out));
            })
        }
        _ => return None,
    };
    Some(job)
}

fn typed_job(dir: &str, imp: &str) -> Option<(Job, usize)> {
    let payload = leak(payloads::by_name("rows_10k")?);
    let rows: Vec<Row<'static>> = payload.value.as_tuple()?.iter().map(typed::row).collect();
    let count = rows.len();
    let job: Job = match (dir, imp) {
        ("decode", "frozenpack") => {
            let fp = frozenpack::to_vec(&rows).unwrap();
            Box::new(move || {
                drop(black_box(
                    frozenpack::from_slice::<Vec<Row<'_>>>(black_box(&fp)).unwrap(),
                ))
            })
        }
        ("decode", "postcard") => {
            let pc = postcard::to_allocvec(&rows).unwrap();
            Box::new(move || {
                drop(black_box(
                    postcard::from_bytes::<Vec<Row<'_>>>(black_box(&pc)).unwrap(),
                ))
            })
        }
        ("decode", "rmp_serde") => {
            let mp = rmp_serde::to_vec(&rows).unwrap();
            Box::new(move || {
                drop(black_box(
                    rmp_serde::from_slice::<Vec<Row<'_>>>(black_box(&mp)).unwrap(),
                ))
            })
        }
        ("encode", "frozenpack") => {
            Box::new(move || drop(black_box(frozenpack::to_vec(black_box(&rows)).unwrap())))
        }
        ("encode", "postcard") => {
            Box::new(move || drop(black_box(postcard::to_allocvec(black_box(&rows)).unwrap())))
        }
        ("encode", "rmp_serde") => {
            Box::new(move || drop(black_box(rmp_serde::to_vec(black_box(&rows)).unwrap())))
        }
        _ => return None,
    };
    Some((job, count))
}

/// A case's job, its default iterations and its items.
fn prepare(case: &str) -> Result<(Job, usize, usize), String> {
    let parts: Vec<&str> = case.split('/').collect();
    let unknown = || format!("unknown case {case:?} (--list shows them)");
    match parts[..] {
        ["typed_rows", dir, imp] => {
            let (job, items) = typed_job(dir, imp).ok_or_else(unknown)?;
            Ok((job, TYPED_ITERS, items))
        }
        [dir @ ("decode" | "encode"), name, imp] => {
            let iters = PAYLOADS
                .iter()
                .find(|(p, _)| *p == name)
                .ok_or_else(unknown)?
                .1;
            let payload = leak(payloads::by_name(name).ok_or_else(unknown)?);
            let job = if dir == "decode" {
                decode_job(payload, imp)
            } else {
                encode_job(payload, imp)
            };
            Ok((job.ok_or_else(unknown)?, iters, nodes(&payload.value)))
        }
        _ => Err(unknown()),
    }
}

/// Runs one case `iters` times (the payload's default when `None`) inside [`measured`], after
/// one run outside it (first-use costs: the allocator's first growth, lazy CPU-feature
/// dispatch), and returns its line.
fn count_case(case: &str, iters: Option<usize>) -> Result<String, String> {
    let (mut job, default, items) = prepare(case)?;
    let iters = iters.unwrap_or(default);
    job();
    measured(iters, &mut job);
    Ok(format!(
        r#"{{"case": "{case}", "iters": {iters}, "items": {items}}}"#
    ))
}

/// Wall time of every case in `group` (e.g. `decode/rows_10k`), interleaved: round after
/// round, each case runs for about 10 ms, and the fastest round of each is kept. On a machine
/// loaded by other work the fastest of many short interleaved rounds is a far steadier
/// estimate of a ratio than a long run of one case after another (criterion's way).
fn time_group(group: &str, rounds: usize) -> Result<(), String> {
    let cases: Vec<String> = cases()
        .into_iter()
        .filter(|c| c.rsplit_once('/').map(|(g, _)| g) == Some(group))
        .collect();
    if cases.is_empty() {
        return Err(format!("no cases in group {group:?}"));
    }
    let mut jobs = Vec::new();
    for case in &cases {
        let (mut job, _, items) = prepare(case)?;
        // Calibrate: iterations for about 10 ms.
        let start = std::time::Instant::now();
        job();
        let once = start.elapsed().as_secs_f64().max(1e-9);
        let iters = ((0.01 / once) as usize).clamp(1, 1_000_000);
        jobs.push((case, job, iters, items, f64::INFINITY));
    }
    for _ in 0..rounds {
        for (_, job, iters, _, best) in &mut jobs {
            let start = std::time::Instant::now();
            for _ in 0..*iters {
                job();
            }
            let per_iter = start.elapsed().as_secs_f64() / *iters as f64;
            *best = best.min(per_iter);
        }
    }
    let reference = jobs
        .iter()
        .find(|j| j.0.ends_with("/frozenpack"))
        .map(|j| j.4);
    println!("{group} (fastest of {rounds} interleaved rounds)");
    for (case, _, _, items, best) in &jobs {
        let name = case.rsplit('/').next().unwrap_or(case);
        let ratio = reference.map_or(String::new(), |r| format!("{:6.2}x frozenpack's", best / r));
        println!(
            "  {name:20} {:>12.0} ns/iter {:>8.2} ns/item  {ratio}",
            best * 1e9,
            best * 1e9 / *items as f64
        );
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        for case in cases() {
            println!("{case}");
        }
        return;
    }
    let option = |name: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(name))
            .map(|n| n.parse::<usize>().unwrap_or_else(|_| panic!("{name}N")))
    };
    let iters = option("--iters=");
    let chosen: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if let Some(rounds) = option("--time=") {
        for group in chosen {
            if let Err(e) = time_group(group, rounds) {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if chosen.is_empty() {
        // `cargo bench` / `cargo test --benches`: run everything once, as a check.
        for case in cases() {
            if let Err(e) = count_case(&case, Some(1)) {
                panic!("{e}");
            }
        }
        println!("instr: every case ran once (run instr.py for instruction counts)");
        return;
    }
    for case in chosen {
        match count_case(case, iters) {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
}
