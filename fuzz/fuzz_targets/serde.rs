//! Arbitrary octets into typed shapes through serde's `from_slice` (the shapes and why
//! each is exact or lossy: `src/shapes.rs`).
//!
//! * Nothing panics.
//! * The typed path never accepts an invalid encoding, and when it reports a wire error it
//!   is the one `decode_value` reports (same kind and offset): a shape can stop earlier on a
//!   type mismatch, but never at a different wire error.
//! * Exact shapes: re-serialising a decoded value gives exactly the input.
//! * Lossy shapes: re-serialising gives a valid encoding that decodes into the shape again;
//!   for the tagged ones (enums, maps: one normal form per value) that re-serialises to
//!   itself. An untagged enum is only required to decode again: its variants overlap (a
//!   `String` also accepts UTF-8 bytes, a `ByteBuf` a tuple of ints), so a value can move to
//!   an earlier variant on each round.
#![no_main]

use frozenpack::{decode_value, from_slice, to_vec, SerdeError};
use frozenpack_fuzz::paths::{rejection, Rejection};
use frozenpack_fuzz::shapes::{Index, Loose, Record, Shape};
use libfuzzer_sys::fuzz_target;

/// The typed result agrees with `decode_value`'s (`direct`) on the input's validity.
fn agrees<T: std::fmt::Debug>(
    shape: &str,
    direct: Result<(), Rejection>,
    typed: &Result<T, SerdeError>,
) {
    match typed {
        Ok(value) => assert!(
            direct.is_ok(),
            "{shape} accepted an invalid input: {value:?}, {direct:?}"
        ),
        Err(e) => {
            if let Some(wire) = e.wire() {
                assert_eq!(Err(rejection(wire)), direct, "{shape}: wire error");
            }
        }
    }
}

macro_rules! exact {
    ($input:expr, $direct:expr, $shape:ty) => {{
        let typed = from_slice::<$shape>($input);
        agrees(stringify!($shape), $direct, &typed);
        if let Ok(value) = typed {
            let again =
                to_vec(&value).expect(concat!("re-serialising a decoded ", stringify!($shape)));
            assert_eq!(
                again,
                $input,
                "{} is exact: {:?}",
                stringify!($shape),
                value
            );
        }
    }};
}

macro_rules! lossy {
    ($input:expr, $direct:expr, $shape:ty, fixed_point = $fixed_point:expr) => {{
        let typed = from_slice::<$shape>($input);
        agrees(stringify!($shape), $direct, &typed);
        if let Ok(value) = typed {
            let again =
                to_vec(&value).expect(concat!("re-serialising a decoded ", stringify!($shape)));
            decode_value(&again).expect("a re-serialisation is a valid encoding");
            let reread =
                from_slice::<$shape>(&again).expect("a re-serialisation decodes into its shape");
            if $fixed_point {
                let third = to_vec(&reread).expect("serialising again");
                assert_eq!(
                    third,
                    again,
                    "{} re-serialisation is a fixed point: {:?}",
                    stringify!($shape),
                    value
                );
            }
        }
    }};
}

fuzz_target!(|input: &[u8]| {
    let direct = decode_value(input).map(drop).map_err(|e| rejection(&e));
    exact!(input, direct, Record<'_>);
    exact!(input, direct, Vec<Record<'_>>);
    exact!(input, direct, Vec<(i128, u128, f32, char)>);
    exact!(input, direct, Vec<Option<&str>>);
    lossy!(input, direct, Shape<'_>, fixed_point = true);
    lossy!(input, direct, Index<'_>, fixed_point = true);
    lossy!(input, direct, Vec<Loose>, fixed_point = false);
});
