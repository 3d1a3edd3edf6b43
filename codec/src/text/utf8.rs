//! Strict UTF-8 validation (Unicode §3.9, Table 3-7) reporting the spec's offset *m*: the
//! length of the longest prefix made of complete, well-formed sequences.
//!
//! Both validators used here report exactly that prefix as `valid_up_to` (simdutf8's
//! `compat` API promises the same value as `core::str::from_utf8`; a unit test compares them
//! on random input). Which one runs depends on the payload's length, from the measurements in
//! `BENCHMARKS.md`: simdutf8 is 3.6× faster on 1 MiB of ASCII and 14× faster on 1 MiB of
//! mixed-script text, while on payloads of a few dozen octets the two are within noise and
//! core's validator avoids simdutf8's dispatch and block setup.

/// Payloads at least this long go to simdutf8; shorter ones to `core::str::from_utf8`.
const SIMD_MIN_LEN: usize = 64;

/// Validates `payload` as strict UTF-8: the text, or the length of its longest valid prefix.
#[inline]
pub(crate) fn validate(payload: &[u8]) -> Result<&str, usize> {
    if payload.len() < SIMD_MIN_LEN {
        core::str::from_utf8(payload).map_err(|e| e.valid_up_to())
    } else {
        simdutf8::compat::from_utf8(payload).map_err(|e| e.valid_up_to())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reports_the_longest_valid_prefix() {
        assert_eq!(validate(b"abc"), Ok("abc"));
        assert_eq!(validate(b"\xc0\xaf"), Err(0)); // overlong '/'
        assert_eq!(validate(b"\xed\xa0\x80"), Err(0)); // a surrogate
        assert_eq!(validate(b"a\xf0\x9f\x98"), Err(1)); // cut short
        assert_eq!(validate(b"\xf4\x90\x80\x80"), Err(0)); // above U+10FFFF
        let mut long = vec![b'x'; 100];
        long.extend_from_slice(b"\xff");
        assert_eq!(validate(&long), Err(100));
    }

    proptest! {
        // Both validators must agree with core on every input, long and short.
        #[test]
        fn agrees_with_core_on_random_bytes(
            bytes in prop::collection::vec(
                prop_oneof![Just(b'a'), Just(0xedu8), Just(0xf0u8), Just(0x9fu8), Just(0x80u8), any::<u8>()],
                0..200,
            )
        ) {
            let expected = core::str::from_utf8(&bytes).map_err(|e| e.valid_up_to());
            prop_assert_eq!(validate(&bytes), expected);
            let simd = simdutf8::compat::from_utf8(&bytes).map_err(|e| e.valid_up_to());
            prop_assert_eq!(simd, expected);
        }
    }
}
