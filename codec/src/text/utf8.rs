//! Strict UTF-8 validation (Unicode §3.9, Table 3-7) reporting the spec's offset *m*: the
//! length of the longest prefix made of complete, well-formed sequences.
//!
//! Which validator runs depends on the payload, from measurements (`BENCHMARKS.md`):
//!
//! * short payloads (under 64 octets, every FIXSTR) that are ASCII — most strs of real data —
//!   are recognised by one word-at-a-time scan (`<[u8]>::is_ascii`), about 15 instructions
//!   for a 10-octet str where `core::str::from_utf8` takes about 110;
//! * other short payloads go to `core::str::from_utf8`;
//! * long payloads to simdutf8's `basic` validator (3.6× core's speed on ASCII, 14× on mixed
//!   scripts), and only when it finds an error, to `core::str::from_utf8` for the offset.
//!
//! # One pass decides
//!
//! The input may be memory that another thread or process writes to while it is read (the
//! Python extension decodes shared memory). Whatever the octets do, the result returned is
//! the verdict of exactly one pass over them, never a combination of two passes that could
//! disagree: an `Ok` is the text the pass that returns it found valid, an `Err` the offset
//! that pass found. In particular nothing here expects a second pass to confirm a first one
//! (simdutf8's `compat::from_utf8` does: after a failed SIMD pass it re-validates and
//! `unwrap_err()`s, which panics if the octets changed back in between).

/// Payloads at least this long go to simdutf8; shorter ones to the ASCII scan and core.
const SIMD_MIN_LEN: usize = 64;

/// Validates `payload` as strict UTF-8: the text, or the length of its longest valid prefix.
#[inline]
pub(crate) fn validate(payload: &[u8]) -> Result<&str, usize> {
    if payload.len() < SIMD_MIN_LEN {
        match ascii(payload) {
            Some(text) => Ok(text),
            None => by_core(payload),
        }
    } else {
        long(payload)
    }
}

/// `payload` as a `str` if every octet is ASCII.
#[inline]
fn ascii(payload: &[u8]) -> Option<&str> {
    if !is_ascii_short(payload) {
        return None;
    }
    #[allow(unsafe_code)]
    // SAFETY: every octet of `payload` was just found to be below 0x80, and ASCII is UTF-8.
    // `payload` is a shared borrow, so it cannot change for the lifetime of the result.
    let text = unsafe { core::str::from_utf8_unchecked(payload) };
    Some(text)
}

/// Whether every octet of `payload` is ASCII, for short payloads: the high bits of a few
/// loads that together cover every octet (overlapping where the length is not a multiple of
/// the load), ORed. About 10 instructions for a 10-octet str, where `<[u8]>::is_ascii` takes
/// about 20 (it aligns its loads first, which pays only on long payloads).
#[inline]
fn is_ascii_short(payload: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |octets: &[u8; 8]| u64::from_le_bytes(*octets);
    let bits = match (payload.first_chunk::<8>(), payload.last_chunk::<8>()) {
        // 8 … 16 octets: two words.
        (Some(first), Some(last)) if payload.len() <= 16 => word(first) | word(last),
        // Longer: every whole word, and the last word for the remainder.
        (Some(_), Some(last)) => payload
            .chunks_exact(8)
            .fold(word(last), |bits, w| bits | w.first_chunk::<8>().map_or(0, word)),
        _ => match (payload.first_chunk::<4>(), payload.last_chunk::<4>()) {
            // 4 … 7 octets: two half words.
            (Some(first), Some(last)) => {
                u64::from(u32::from_le_bytes(*first) | u32::from_le_bytes(*last))
            }
            // 0 … 3 octets.
            _ => payload.iter().fold(0, |bits, &o| bits | u64::from(o)),
        },
    };
    bits & HIGH == 0
}

/// `core::str::from_utf8`, its error reduced to the offset.
fn by_core(payload: &[u8]) -> Result<&str, usize> {
    core::str::from_utf8(payload).map_err(|e| e.valid_up_to())
}

/// Long payloads: one SIMD pass; if (and only if) it rejects the payload, core's pass
/// decides, offset and all (out of line: the common case is the valid one).
fn long(payload: &[u8]) -> Result<&str, usize> {
    match simdutf8::basic::from_utf8(payload) {
        Ok(text) => Ok(text),
        Err(_) => by_core(payload),
    }
}

/// Whether all of `payload` is UTF-8 (one pass; the fast validators of [`validate`]).
pub(crate) fn is_valid(payload: &[u8]) -> bool {
    if payload.len() < SIMD_MIN_LEN {
        payload.is_ascii() || core::str::from_utf8(payload).is_ok()
    } else {
        simdutf8::basic::from_utf8(payload).is_ok()
    }
}

/// The length of the longest valid prefix of `payload`, in time linear in that prefix (plus
/// a few octets): `core::str::from_utf8` stops at the first error, where a SIMD validator
/// would first read everything. For the generalized-UTF-8 validator, which restarts after
/// each surrogate and must not reread the rest each time.
pub(crate) fn valid_up_to(payload: &[u8]) -> usize {
    match core::str::from_utf8(payload) {
        Ok(_) => payload.len(),
        Err(e) => e.valid_up_to(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ascii_scan_sees_every_octet_at_every_length() {
        for len in 0..80 {
            let mut octets = vec![b'a'; len];
            assert!(is_ascii_short(&octets), "{len}");
            for at in 0..len {
                octets[at] = 0x80;
                assert!(!is_ascii_short(&octets), "{len} octets, high bit at {at}");
                octets[at] = 0x7f;
            }
        }
    }

    #[test]
    fn reports_the_longest_valid_prefix() {
        assert_eq!(validate(b"abc"), Ok("abc"));
        assert_eq!(validate(b""), Ok(""));
        assert_eq!(validate(b"\xc0\xaf"), Err(0)); // overlong '/'
        assert_eq!(validate(b"\xed\xa0\x80"), Err(0)); // a surrogate
        assert_eq!(validate(b"a\xf0\x9f\x98"), Err(1)); // cut short
        assert_eq!(validate(b"\xf4\x90\x80\x80"), Err(0)); // above U+10FFFF
        assert_eq!(validate(b"\x7f\x80"), Err(1)); // ASCII up to the last octet
        let mut long = vec![b'x'; 100];
        long.extend_from_slice(b"\xff");
        assert_eq!(validate(&long), Err(100));
        assert_eq!(valid_up_to(&long), 100);
        assert!(!is_valid(&long));
        long.pop();
        long.extend_from_slice("é".as_bytes());
        assert_eq!(validate(&long).map(str::len), Ok(102));
        assert!(is_valid(&long));
    }

    proptest! {
        // Every path (ASCII scan, core, SIMD) must agree with core on every input, long and
        // short, and so must the prefix and the yes/no answers.
        #[test]
        fn agrees_with_core_on_random_bytes(
            bytes in prop::collection::vec(
                prop_oneof![
                    4 => Just(b'a'), 1 => Just(0xedu8), 1 => Just(0xf0u8), 1 => Just(0x9fu8),
                    1 => Just(0x80u8), 1 => Just(0xc3u8), 1 => Just(0xa9u8), 1 => any::<u8>()
                ],
                0..200,
            )
        ) {
            let expected = core::str::from_utf8(&bytes).map_err(|e| e.valid_up_to());
            prop_assert_eq!(validate(&bytes), expected);
            prop_assert_eq!(is_valid(&bytes), expected.is_ok());
            prop_assert_eq!(valid_up_to(&bytes), expected.map_or_else(|m| m, str::len));
            prop_assert_eq!(is_ascii_short(&bytes), bytes.is_ascii());
        }
    }
}
