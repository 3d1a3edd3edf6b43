//! Decimal and hexadecimal text of little-endian two's-complement ints, for `Display`,
//! `Debug` and `FromStr` of [`BigInt`](crate::BigInt) and the conformance testee. None of it
//! runs when a value is decoded or encoded, so it is kept out of the panic-free lint that
//! covers the rest of [`crate::int`]: its loops index buffers whose lengths they compute.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::unreachable
)]

use core::fmt;

use super::{is_negative, minimal_len};

/// callers extend by a sign octet first where the magnitude could overflow).
fn negate_in_place(le: &mut [u8]) {
    let mut carry = true;
    for octet in le.iter_mut() {
        let (sum, overflow) = (!*octet).overflowing_add(u8::from(carry));
        *octet = sum;
        carry = carry && overflow;
    }
}

/// The longest int, in octets of its shortest two's complement, that `Display` and `Debug`
/// write in decimal; longer ints are written in hexadecimal (`0x…`, `-0x…`).
///
/// Decimal conversion is quadratic: [`to_decimal`] does about `n² / 30` limb divisions for
/// an `n`-octet int. Capping `n` at 256 caps that at about 9 divisions per octet of the int,
/// so formatting any value costs at most a constant per octet of its encoding: measured with
/// callgrind (release build), about 300 instructions per octet for a 256-octet int against
/// 30 in hexadecimal, whereas a 40 000-octet int in decimal takes 15 000 per octet and a
/// 160 000-octet one seconds. 256 octets are 2048 bits (−2^2047 ≤ v < 2^2047, at most 617
/// digits): every int a person reads as a number, RSA-2048 moduli included, still prints in
/// decimal. (CPython's `str(int)` limit of 4300 digits, about 1786 octets, would cost 7
/// times as much per octet.)
pub(crate) const DECIMAL_MAX_OCTETS: usize = 256;

/// The decimal text of the integer `le` names (two's complement, little-endian).
///
/// Quadratic in the length, like every schoolbook base conversion: callers bound the
/// length ([`DECIMAL_MAX_OCTETS`]) or trust the int (spec §11, "Time linear in the input").
pub(crate) fn to_decimal(le: &[u8]) -> String {
    let negative = is_negative(le);
    let mut magnitude = le.to_vec();
    if negative {
        magnitude.push(0xff);
        negate_in_place(&mut magnitude);
    }
    // Base-2^32 limbs, little-endian, divided repeatedly by 10^9.
    let mut limbs: Vec<u32> = magnitude
        .chunks(4)
        .map(|c| {
            let mut buf = [0u8; 4];
            buf[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(buf)
        })
        .collect();
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut groups: Vec<u32> = Vec::new();
    while !limbs.is_empty() {
        work::count(limbs.len());
        let mut rem: u64 = 0;
        for limb in limbs.iter_mut().rev() {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        groups.push(rem as u32);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    match groups.split_last() {
        None => out.push('0'),
        Some((first, rest)) => {
            out.push_str(&first.to_string());
            for group in rest.iter().rev() {
                out.push_str(&format!("{group:09}"));
            }
        }
    }
    out
}

/// Writes the integer `le` names as a Python hexadecimal literal: `0x` and the magnitude's
/// lowercase hex digits without leading zeros, after a `-` when negative (`-0x80` for
/// `[0x80]`). Linear in the length, and allocation-free: the magnitude of a negative int is
/// produced octet by octet, from the top, as the negation's carry allows (see below).
pub(crate) fn write_hex<W: fmt::Write + ?Sized>(le: &[u8], out: &mut W) -> fmt::Result {
    work::count(le.len());
    let negative = is_negative(le);
    // -x = !x + 1: the carry of the + 1 runs through the low octets that are 0 and stops at
    // the first that is not (it cannot overflow that one), so the magnitude's octet i is 0
    // below that octet, its negation at it, and the complement above it.
    let lowest_nonzero = le.iter().position(|&octet| octet != 0).unwrap_or(le.len());
    let mut magnitude = le
        .iter()
        .enumerate()
        .rev()
        .map(|(i, &octet)| match i.cmp(&lowest_nonzero) {
            _ if !negative => octet,
            core::cmp::Ordering::Greater => !octet,
            core::cmp::Ordering::Equal => octet.wrapping_neg(),
            core::cmp::Ordering::Less => 0,
        })
        .skip_while(|&octet| octet == 0);
    out.write_str(if negative { "-0x" } else { "0x" })?;
    let Some(top) = magnitude.next() else {
        return out.write_char('0');
    };
    // The digits go out a few hundred at a time through one buffer, not one `write!` each.
    let mut digits = String::with_capacity(CHUNK_DIGITS);
    if top >= 0x10 {
        digits.push(hex_digit(top >> 4));
    }
    digits.push(hex_digit(top));
    for octet in magnitude {
        if digits.len() >= CHUNK_DIGITS {
            out.write_str(&digits)?;
            digits.clear();
        }
        digits.push(hex_digit(octet >> 4));
        digits.push(hex_digit(octet));
    }
    out.write_str(&digits)
}

/// How many hex digits [`write_hex`] hands to its writer at a time.
const CHUNK_DIGITS: usize = 512;

/// The lowercase hex digit of the low 4 bits of `nibble`.
fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0xf)])
}

/// Counts the steps of the conversions in this module, so tests can check how the work
/// grows with the length without timing it. Compiled away outside the crate's unit tests.
pub(crate) mod work {
    #[cfg(test)]
    std::thread_local! {
        static STEPS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }

    /// Records `steps` units of work (a limb division, or an octet written as hex).
    #[inline(always)]
    pub(crate) fn count(steps: usize) {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + steps as u64));
        #[cfg(not(test))]
        let _ = steps;
    }

    /// The steps counted on this thread since the last call, resetting the count.
    #[cfg(test)]
    pub(crate) fn take() -> u64 {
        STEPS.with(|s| s.replace(0))
    }
}

/// Whether `text` starts with `-`, and `text` after its sign (`-` or `+`), if any.
fn split_sign(text: &str) -> (bool, &[u8]) {
    match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    }
}

/// Parses decimal text (an optional `-` or `+`, then ASCII digits, no separators) into the
/// minimal two's complement of the integer it names. `None` for anything else.
///
/// Quadratic in the length, as [`to_decimal`] is.
pub(crate) fn from_decimal(text: &str) -> Option<Vec<u8>> {
    let (negative, digits) = split_sign(text);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Magnitude in base-2^32 limbs, built by multiply-and-add of 9-digit groups.
    let mut limbs: Vec<u32> = Vec::new();
    let first = digits.len() % 9;
    let mut chunks: Vec<&[u8]> = Vec::new();
    if first != 0 {
        chunks.push(&digits[..first]);
    }
    chunks.extend(digits[first..].chunks(9));
    for chunk in chunks {
        let scale = 10u64.pow(chunk.len() as u32);
        let value = chunk
            .iter()
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        let mut carry = value;
        for limb in limbs.iter_mut() {
            let cur = u64::from(*limb) * scale + carry;
            *limb = cur as u32;
            carry = cur >> 32;
        }
        if carry != 0 {
            limbs.push(carry as u32);
        }
    }
    let le: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
    Some(signed_minimal(le, negative))
}

/// Parses hexadecimal text as [`write_hex`] writes it and Python reads it — an optional `-` or
/// `+`, `0x` or `0X`, then hex digits in either case (no separators) — into the minimal two's
/// complement of the integer it names. `None` for anything else. Linear in the length.
pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    let (negative, rest) = split_sign(text);
    let digits = match rest {
        [b'0', b'x' | b'X', digits @ ..] if !digits.is_empty() => digits,
        _ => return None,
    };
    // The magnitude, little-endian, two digits an octet from the last digit back.
    let mut le = Vec::with_capacity(digits.len() / 2 + 2);
    for pair in digits.rchunks(2) {
        let mut octet = 0u8;
        for &digit in pair {
            octet = (octet << 4) | (char::from(digit).to_digit(16)? as u8);
        }
        le.push(octet);
    }
    Some(signed_minimal(le, negative))
}

/// The minimal two's complement of the integer whose magnitude is `le` (little-endian) and
/// whose sign is `negative`: what both parsers end with.
fn signed_minimal(mut le: Vec<u8>, negative: bool) -> Vec<u8> {
    // A sign octet of 00 keeps the magnitude non-negative before any negation.
    le.push(0);
    if negative {
        negate_in_place(&mut le);
    }
    let n = minimal_len(&le);
    le.truncate(n);
    le
}
