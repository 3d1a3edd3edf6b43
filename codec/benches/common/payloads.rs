//! The six payload shapes of the Python benchmark, as frozenpack values built once.
//!
//! Every payload is deterministic (a fixed-seed generator), so runs and machines measure the
//! same octets. The frozenpack [`Value`] is the source each peer's form is made from.

use frozenpack::{BigInt, Value};

/// Which of the six shapes a payload is (each peer format needs its own form of each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `(None, True, 42, -100000, 2.5e-3, 'héllo wörld', b'\x00\x01\x02\x03', (1, 'a'))`.
    Mixed,
    /// 10,000 rows `(int, float, short str, None)`.
    Rows,
    /// One bytes value (10 MiB, and 1 KiB for the zero-copy comparison).
    Bytes,
    /// 100,000 ints whose magnitudes span every width from 1 to 64 bits, both signs.
    Ints,
    /// 500 nested tuples: `((…((),)…),)`, depth 500.
    Deep,
    /// 1,000 ints near 2^200, alternating sign.
    BigInts,
}

/// One payload: a name for criterion, its shape, and the value.
pub struct Payload {
    /// The criterion group suffix, e.g. `rows_10k`.
    pub name: &'static str,
    /// Which shape it is.
    pub shape: Shape,
    /// The value itself.
    pub value: Value<'static>,
}

/// The number of rows, ints, big ints and the nesting depth.
pub const ROWS: usize = 10_000;
pub const INTS: usize = 100_000;
pub const BIG_INTS: usize = 1_000;
pub const DEPTH: usize = 500;
/// The big bytes payload, and the small one it is compared with.
pub const BIG_BYTES: usize = 10 * 1024 * 1024;
pub const SMALL_BYTES: usize = 1024;

/// The six payloads of the issue, in its order.
pub fn all() -> Vec<Payload> {
    vec![
        Payload {
            name: "mixed",
            shape: Shape::Mixed,
            value: mixed(),
        },
        Payload {
            name: "rows_10k",
            shape: Shape::Rows,
            value: rows(),
        },
        Payload {
            name: "bytes_10mib",
            shape: Shape::Bytes,
            value: bytes(BIG_BYTES),
        },
        Payload {
            name: "ints_100k",
            shape: Shape::Ints,
            value: ints(),
        },
        Payload {
            name: "deep_500",
            shape: Shape::Deep,
            value: deep(),
        },
        Payload {
            name: "bigints_1k",
            shape: Shape::BigInts,
            value: big_ints(),
        },
    ]
}

/// The payload called `name` (one of [`all`]'s, or `bytes_1kib`), built alone: the
/// instruction-count harness builds only what it measures, since under valgrind building the
/// 10 MiB payload alone takes seconds.
pub fn by_name(name: &str) -> Option<Payload> {
    let (shape, value) = match name {
        "mixed" => (Shape::Mixed, mixed()),
        "rows_10k" => (Shape::Rows, rows()),
        "bytes_10mib" => (Shape::Bytes, bytes(BIG_BYTES)),
        "bytes_1kib" => return Some(small_bytes()),
        "ints_100k" => (Shape::Ints, ints()),
        "deep_500" => (Shape::Deep, deep()),
        "bigints_1k" => (Shape::BigInts, big_ints()),
        _ => return None,
    };
    let name = all_names().into_iter().find(|n| *n == name)?;
    Some(Payload { name, shape, value })
}

/// The names of [`all`]'s payloads, in its order.
pub fn all_names() -> [&'static str; 6] {
    [
        "mixed",
        "rows_10k",
        "bytes_10mib",
        "ints_100k",
        "deep_500",
        "bigints_1k",
    ]
}

/// The 1 KiB bytes payload: decoding it should cost what decoding the 10 MiB one does.
pub fn small_bytes() -> Payload {
    Payload {
        name: "bytes_1kib",
        shape: Shape::Bytes,
        value: bytes(SMALL_BYTES),
    }
}

fn mixed() -> Value<'static> {
    Value::from(vec![
        Value::None,
        Value::from(true),
        Value::from(42),
        Value::from(-100_000),
        Value::from(2.5e-3),
        Value::from("héllo wörld"),
        Value::from(vec![0u8, 1, 2, 3]),
        Value::from(vec![Value::from(1), Value::from("a")]),
    ])
}

/// Row `i` is `(id, score, name, None)`: ids of 1 to 4 octets, names of 10 octets (FIXSTR).
fn rows() -> Value<'static> {
    (0..ROWS as i64)
        .map(|i| {
            Value::from(vec![
                Value::from(i * 7919 % 1_000_003 - 500_000),
                Value::from(i as f64 * 0.5 + 0.25),
                Value::from(format!("user-{i:05}")),
                Value::None,
            ])
        })
        .collect()
}

fn bytes(len: usize) -> Value<'static> {
    let mut rng = SplitMix64(0x0123_4567_89ab_cdef);
    let octets: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    Value::from(octets)
}

/// A random 64-bit int shifted right arithmetically by `i % 64`: every width from 1 to 64
/// bits, so every int form from FIXINT to INT8, each sign.
fn ints() -> Value<'static> {
    let mut rng = SplitMix64(42);
    (0..INTS)
        .map(|i| Value::from((rng.next() as i64) >> (i % 64)))
        .collect()
}

fn deep() -> Value<'static> {
    let mut value = Value::from(Vec::<Value>::new());
    for _ in 1..DEPTH {
        value = Value::from(vec![value]);
    }
    value
}

/// `(-1)^i * (2^200 + i * (2^64 - 59))`: 26-octet BIGINTs.
fn big_ints() -> Value<'static> {
    (0..BIG_INTS)
        .map(|i| {
            let magnitude = big_magnitude(i as u128 * u128::from(u64::MAX - 58));
            let le = if i % 2 == 0 {
                magnitude
            } else {
                negate(&magnitude)
            };
            Value::from(BigInt::from_le_bytes(&le))
        })
        .collect()
}

/// 2^200 + `low` as 26 little-endian octets (a positive two's complement: bit 207 is 0).
fn big_magnitude(low: u128) -> Vec<u8> {
    let mut le = vec![0u8; 26];
    le[..16].copy_from_slice(&low.to_le_bytes());
    le[25] = 1;
    le
}

/// The two's complement negation of a little-endian two's complement.
fn negate(le: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = le.iter().map(|octet| !octet).collect();
    for octet in &mut out {
        let (sum, carry) = octet.overflowing_add(1);
        *octet = sum;
        if !carry {
            break;
        }
    }
    out
}

/// SplitMix64: a tiny, fixed, well-mixed generator, so payloads need no rand crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
