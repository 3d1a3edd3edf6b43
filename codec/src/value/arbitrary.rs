//! `Arbitrary` for owned values, for fuzzing: every kind, ints and floats across all their
//! forms and bit patterns, strs with and without surrogates, tuples nested a bounded depth.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{BigInt, Value};

/// How deep generated tuples nest: enough to reach every nesting code path, and bounded so
/// that generation, which recurses, stays shallow on the native stack.
const MAX_DEPTH: usize = 8;

impl<'a> Arbitrary<'a> for Value<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        arbitrary_value(u, MAX_DEPTH)
    }
}

fn arbitrary_value(u: &mut Unstructured<'_>, depth_left: usize) -> Result<Value<'static>> {
    let last_kind = if depth_left == 0 { 8 } else { 9 };
    Ok(match u.int_in_range(0..=last_kind)? {
        0 => Value::None,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Int(u.arbitrary()?),
        // Any length of two's complement, so BIGINTs of every size appear.
        3 => Value::from(BigInt::from_le_bytes(&Vec::<u8>::arbitrary(u)?)),
        4 => Value::Float(f64::from_bits(u.arbitrary()?)),
        5 => Value::from(String::arbitrary(u)?),
        6 => {
            // Code points drawn from the whole range, with surrogates likely.
            let raw = Vec::<u32>::arbitrary(u)?;
            let code_points = raw.into_iter().map(|x| {
                if x & 1 == 0 {
                    0xd800 + (x >> 1) % 0x800
                } else {
                    (x >> 1) % 0x11_0000
                }
            });
            match Value::from_code_points(code_points) {
                Ok(value) => value,
                Err(_) => unreachable!("every code point is at most U+10FFFF"),
            }
        }
        7 => Value::from(Vec::<u8>::arbitrary(u)?),
        8 => Value::Int(i64::from(u.int_in_range(-16i8..=127)?)),
        _ => {
            let len = u.arbitrary_len::<u8>()?.min(20);
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(arbitrary_value(u, depth_left - 1)?);
            }
            Value::from(items)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_round_trip() {
        // A fixed pseudo-random byte pool: the test is deterministic and covers many shapes.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let pool: Vec<u8> = (0..1 << 16)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let mut kinds = std::collections::BTreeSet::new();
        for start in (0..pool.len() - 512).step_by(97) {
            let mut u = Unstructured::new(&pool[start..start + 512]);
            let value = Value::arbitrary(&mut u).unwrap();
            kinds.insert(value.kind_name());
            let bytes = crate::encode_value(&value);
            assert_eq!(crate::decode_value(&bytes).unwrap(), value);
        }
        assert_eq!(kinds.len(), 7, "{kinds:?}");
    }
}
