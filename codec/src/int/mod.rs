//! Little-endian two's-complement arithmetic shared by the decoder (canonical checks), the
//! encoder (minimal forms) and [`BigInt`](crate::BigInt) (conversions, text).
//!
//! Every function here works on octet strings of any length: the format puts no bound on
//! ints (spec §8), so neither does this module. Everything is linear in the length except
//! the decimal conversions ([`to_decimal`], [`from_decimal`]), which are quadratic, as
//! schoolbook base conversion is; `Display` keeps them off untrusted paths by writing ints
//! longer than [`DECIMAL_MAX_OCTETS`] in hexadecimal ([`write_hex`], linear).


/// Whether the most significant octet of `le` only repeats the sign of the octet below it
/// (spec §5 rule 1), i.e. whether `le` is one octet longer than it needs to be.
pub(crate) fn has_redundant_sign_octet(le: &[u8]) -> bool {
    match le {
        [.., below, top] => (*top == 0x00 && *below < 0x80) || (*top == 0xff && *below >= 0x80),
        _ => false,
    }
}

/// The length of the shortest two's-complement form of the integer `le` names: `le` with its
/// redundant sign octets removed (at least 1; the empty string is read as 0).
pub(crate) fn minimal_len(le: &[u8]) -> usize {
    let mut minimal = le;
    while has_redundant_sign_octet(minimal) {
        // At least two octets here: drop the top one.
        minimal = minimal.split_last().map_or(minimal, |(_, rest)| rest);
    }
    minimal.len().max(1)
}

/// Whether the integer `le` names is negative (the empty string names 0).
pub(crate) fn is_negative(le: &[u8]) -> bool {
    le.last().is_some_and(|top| *top >= 0x80)
}

/// Numeric order of two shortest two's-complement forms.
pub(crate) fn cmp_minimal(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    use core::cmp::Ordering;
    let (neg_a, neg_b) = (is_negative(a), is_negative(b));
    if neg_a != neg_b {
        return if neg_a {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // Same sign: a longer shortest form means a larger magnitude.
    let by_len = a.len().cmp(&b.len());
    if by_len != Ordering::Equal {
        return if neg_a { by_len.reverse() } else { by_len };
    }
    // Same sign and length: two's complement orders like the unsigned octets, top first.
    a.iter().rev().cmp(b.iter().rev())
}

/// The shortest two's complement of an `i64`, in a stack buffer: `(buffer, length)`.
pub(crate) fn i64_minimal_le(v: i64) -> ([u8; 8], usize) {
    (v.to_le_bytes(), minbytes_i64(v))
}

/// `minbytes(v)` of spec §2 for an `i64`: the fewest octets of two's complement holding `v`.
pub(crate) const fn minbytes_i64(v: i64) -> usize {
    // Bits of magnitude (counting from the top, the sign bit's copies are redundant), plus
    // one sign bit.
    let magnitude = if v < 0 { !v } else { v };
    // 1 to 65: leading_zeros is at most 64, so nothing wraps.
    let bits = 65u32.wrapping_sub(magnitude.leading_zeros()) as usize;
    bits.div_ceil(8)
}

/// `minbytes(v)` for an `i128`.
pub(crate) const fn minbytes_i128(v: i128) -> usize {
    let magnitude = if v < 0 { !v } else { v };
    // 1 to 129: leading_zeros is at most 128, so nothing wraps.
    let bits = 129u32.wrapping_sub(magnitude.leading_zeros()) as usize;
    bits.div_ceil(8)
}

/// Sign-extends `le` (1 ..= 8 octets) to an `i64`.
///
/// Each width is a load of exactly its octets (`from_le_bytes` of a fixed-size array, which
/// compiles to one or two plain loads) and a sign-extending shift. The obvious version —
/// copy into a sign-filled `[u8; 8]`, then read it — called `memcpy` for the variable-length
/// copy and then stalled on store-to-load forwarding: 9% of the Python extension's decode loop
/// on rows of small ints (perf).
#[inline]
pub(crate) fn sign_extend_i64(le: &[u8]) -> i64 {
    debug_assert!((1..=8).contains(&le.len()));
    // The k octets, zero-extended, then shifted to the top and back arithmetically.
    let (raw, k) = match *le {
        [a] => (u64::from(a), 1),
        [a, b] => (u64::from(u16::from_le_bytes([a, b])), 2),
        [a, b, c] => (
            u64::from(u16::from_le_bytes([a, b])) | (u64::from(c) << 16),
            3,
        ),
        [a, b, c, d] => (u64::from(u32::from_le_bytes([a, b, c, d])), 4),
        [a, b, c, d, e] => (
            u64::from(u32::from_le_bytes([a, b, c, d])) | (u64::from(e) << 32),
            5,
        ),
        [a, b, c, d, e, f] => (
            u64::from(u32::from_le_bytes([a, b, c, d]))
                | (u64::from(u16::from_le_bytes([e, f])) << 32),
            6,
        ),
        [a, b, c, d, e, f, g] => (
            u64::from(u32::from_le_bytes([a, b, c, d]))
                | (u64::from(u32::from_le_bytes([d, e, f, g])) << 24),
            7,
        ),
        [a, b, c, d, e, f, g, h] => return i64::from_le_bytes([a, b, c, d, e, f, g, h]),
        // Callers pass 1 to 8 octets; the empty string names 0, and more than 8 is not an
        // i64 (their low 8 octets, rather than a panic).
        [] => return 0,
        [a, b, c, d, e, f, g, h, ..] => return i64::from_le_bytes([a, b, c, d, e, f, g, h]),
    };
    sign_extend_low(raw, k)
}

/// Sign-extends the low `k` octets (1 ..= 8) of `raw`, whose higher octets are ignored.
#[inline]
pub(crate) const fn sign_extend_low(raw: u64, k: usize) -> i64 {
    // k is 1 to 8 (clamped, so that no k can make the shift overflow).
    let k = if k < 1 { 1 } else if k > 8 { 8 } else { k };
    let unused = 64u32.saturating_sub(8u32.saturating_mul(k as u32));
    ((raw << unused) as i64) >> unused
}

/// The integer `le` names as an `i128`, if it fits.
pub(crate) fn to_i128(le: &[u8]) -> Option<i128> {
    let n = minimal_len(le);
    if n > 16 {
        return None;
    }
    let fill = if is_negative(le) { 0xff } else { 0x00 };
    let mut buf = [fill; 16];
    for (slot, octet) in buf.iter_mut().zip(le.iter().take(n)) {
        *slot = *octet;
    }
    Some(i128::from_le_bytes(buf))
}

/// The integer `le` names as a `u128`, if it fits.
pub(crate) fn to_u128(le: &[u8]) -> Option<u128> {
    let n = minimal_len(le);
    if is_negative(le) || n > 17 || (n == 17 && le.get(16) != Some(&0)) {
        return None;
    }
    let mut buf = [0u8; 16];
    for (slot, octet) in buf.iter_mut().zip(le.iter().take(n)) {
        *slot = *octet;
    }
    Some(u128::from_le_bytes(buf))
}

/// The minimal two's complement of a `u128` (up to 17 octets: 2^127 and above need a `00`
/// sign octet).
pub(crate) fn u128_to_minimal_le(v: u128) -> Vec<u8> {
    let mut le = v.to_le_bytes().to_vec();
    le.push(0);
    let n = minimal_len(&le);
    le.truncate(n);
    le
}

/// The minimal two's complement of an `i128`.
pub(crate) fn i128_to_minimal_le(v: i128) -> Vec<u8> {
    let mut le = v.to_le_bytes().to_vec();
    le.truncate(minbytes_i128(v));
    le
}


// Decimal and hexadecimal text of ints: for `Display`, `Debug` and parsing, never on the
// decoding or encoding paths (which is why they are outside this module's panic-free lint).
mod text;
pub(crate) use text::*;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    #[test]
    fn redundant_sign_octets_follow_spec_rule_1() {
        assert!(has_redundant_sign_octet(&[0x05, 0x00]));
        assert!(has_redundant_sign_octet(&[0xff, 0xff]));
        assert!(has_redundant_sign_octet(&[0x80, 0xff]));
        assert!(!has_redundant_sign_octet(&[0xff, 0x00])); // 255
        assert!(!has_redundant_sign_octet(&[0x7f, 0xff])); // -129
        assert!(!has_redundant_sign_octet(&[0x00]));
        assert!(!has_redundant_sign_octet(&[]));
    }

    #[test]
    fn minbytes_matches_the_spec_boundaries() {
        let cases: &[(i128, usize)] = &[
            (0, 1),
            (127, 1),
            (-128, 1),
            (128, 2),
            (-129, 2),
            (32_767, 2),
            (32_768, 3),
            ((1 << 31), 5),
            (-(1 << 31), 4),
            (i64::MAX as i128, 8),
            (i64::MIN as i128, 8),
            (1 << 63, 9),
            (-(1 << 63) - 1, 9),
            (i128::MAX, 16),
            (i128::MIN, 16),
        ];
        for &(v, k) in cases {
            assert_eq!(minbytes_i128(v), k, "{v}");
            if let Ok(small) = i64::try_from(v) {
                assert_eq!(minbytes_i64(small), k, "{v}");
            }
        }
    }

    #[test]
    fn sign_extension_reads_every_width() {
        // For each width, values at both ends, around zero and with mixed octets, against
        // i128 arithmetic on the octets.
        for k in 1..=8usize {
            let lo = -(1i128 << (8 * k - 1));
            let hi = (1i128 << (8 * k - 1)) - 1;
            for v in [lo, lo + 1, -1, 0, 1, hi - 1, hi, lo / 3, hi / 7 * 5] {
                let le = &(v as i64).to_le_bytes()[..k];
                assert_eq!(i128::from(sign_extend_i64(le)), v, "{k} octets: {le:02x?}");
            }
            // Octets above the k low ones do not matter to sign_extend_low.
            assert_eq!(sign_extend_low(0xdead_beef_0000_0080u64 | 0x7f, k), {
                let mut buf = [0u8; 8];
                buf[..k].copy_from_slice(&0xdead_beef_0000_00ffu64.to_le_bytes()[..k]);
                let neg = buf[k - 1] >= 0x80;
                let fill = if neg { 0xff } else { 0 };
                buf[k..].fill(fill);
                i64::from_le_bytes(buf)
            });
        }
    }

    #[test]
    fn minimal_len_strips_every_redundant_octet() {
        assert_eq!(minimal_len(&[0x05, 0x00, 0x00, 0x00]), 1);
        assert_eq!(minimal_len(&[0xff, 0xff, 0xff]), 1);
        assert_eq!(minimal_len(&[0x80, 0x00, 0x00]), 2);
        assert_eq!(minimal_len(&[]), 1);
    }

    #[test]
    fn u128_and_i128_conversions_round_trip_at_the_edges() {
        for v in [
            0u128,
            1,
            127,
            128,
            u64::MAX as u128,
            (1 << 127) - 1,
            1 << 127,
            u128::MAX,
        ] {
            let le = u128_to_minimal_le(v);
            assert_eq!(le.len(), minimal_len(&le));
            assert_eq!(to_u128(&le), Some(v));
        }
        assert_eq!(u128_to_minimal_le(u128::MAX).len(), 17);
        for v in [
            0i128,
            -1,
            -16,
            127,
            -129,
            i64::MIN as i128,
            i128::MIN,
            i128::MAX,
        ] {
            assert_eq!(to_i128(&i128_to_minimal_le(v)), Some(v));
        }
        assert_eq!(to_i128(&u128_to_minimal_le(1 << 127)), None);
        assert_eq!(to_u128(&i128_to_minimal_le(-1)), None);
    }

    #[test]
    fn decimal_round_trips_and_matches_known_text() {
        let cases = [
            ("0", vec![0x00]),
            ("-1", vec![0xff]),
            ("255", vec![0xff, 0x00]),
            ("-129", vec![0x7f, 0xff]),
            ("9223372036854775808", vec![0, 0, 0, 0, 0, 0, 0, 0x80, 0x00]),
            ("-18446744073709551616", vec![0, 0, 0, 0, 0, 0, 0, 0, 0xff]),
            (
                "1267650600228229401496703205376",
                vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10],
            ),
        ];
        for (text, le) in cases {
            assert_eq!(from_decimal(text).as_deref(), Some(&le[..]), "{text}");
            assert_eq!(to_decimal(&le), text);
        }
        assert_eq!(from_decimal("+7"), Some(vec![7]));
        assert_eq!(from_decimal("-0"), Some(vec![0]));
        assert_eq!(from_decimal("000123"), Some(vec![123]));
        for bad in ["", "-", "1_000", "1e5", " 1", "0x10", "--1"] {
            assert_eq!(from_decimal(bad), None, "{bad:?}");
        }
    }

    fn hex(le: &[u8]) -> String {
        let mut out = String::new();
        write_hex(le, &mut out).unwrap();
        out
    }

    #[test]
    fn hex_is_python_hex_of_the_int() {
        // Each expected text is CPython's hex() of the same int.
        let cases: [(&[u8], &str); 10] = [
            (&[0x00], "0x0"),
            (&[0x01], "0x1"),
            (&[0xff], "-0x1"),
            (&[0x80], "-0x80"),
            (&[0xff, 0x00], "0xff"),
            (&[0x01, 0xff], "-0xff"),
            (&[0x00, 0x80], "-0x8000"),
            (&[0x00, 0x01, 0x00, 0xf0], "-0xfffff00"),
            (&[0, 0, 0, 0, 0, 0, 0, 0, 0x01], "0x10000000000000000"),
            (&[0x0f, 0, 0, 0, 0, 0, 0, 0x10], "0x100000000000000f"),
        ];
        for (le, text) in cases {
            assert_eq!(hex(le), text, "{le:02x?}");
            assert_eq!(from_hex(text).as_deref(), Some(le), "{text}");
        }
        // Past the 512-digit buffer.
        let mut long = vec![0xab; 700];
        long.push(0x00);
        assert_eq!(hex(&long), format!("0x{}", "ab".repeat(700)));
        assert_eq!(from_hex(&hex(&long)), Some(long));
    }

    #[test]
    fn hex_parsing_takes_only_python_hex_literals() {
        assert_eq!(from_hex("0X0aB"), Some(vec![0xab, 0x00]));
        assert_eq!(from_hex("+0x7f"), Some(vec![0x7f]));
        assert_eq!(from_hex("-0x0"), Some(vec![0x00]));
        assert_eq!(from_hex("0x000001"), Some(vec![0x01]));
        for bad in [
            "", "0x", "-0x", "ff", "0xg", "0x_1", "0x1_0", "--0x1", " 0x1", "0x1 ", "x1",
        ] {
            assert_eq!(from_hex(bad), None, "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn hex_matches_num_bigint_and_round_trips(octets in vec(any::<u8>(), 0..80)) {
            let n = minimal_len(&octets).min(octets.len());
            let le = if octets.is_empty() { vec![0] } else { octets[..n].to_vec() };
            let big = num_bigint::BigInt::from_signed_bytes_le(&le);
            prop_assert_eq!(hex(&le), format!("{big:#x}"));
            prop_assert_eq!(from_hex(&hex(&le)), Some(le));
        }
    }

    #[test]
    fn conversion_work_is_counted() {
        work::take();
        hex(&[0x01; 800]);
        assert_eq!(work::take(), 800);
        // 100 octets: 25 limbs, divided by 10^9 until none is left (27 groups of 9 digits).
        to_decimal(&[0x01; 100]);
        let steps = work::take();
        assert!((25 * 27 / 2..=25 * 27).contains(&steps), "{steps}");
    }

    #[test]
    fn decimal_of_a_long_power_of_ten() {
        let text = format!("1{}", "0".repeat(300));
        let le = from_decimal(&text).unwrap();
        assert_eq!(to_decimal(&le), text);
        let neg = format!("-{text}");
        assert_eq!(to_decimal(&from_decimal(&neg).unwrap()), neg);
    }
}
