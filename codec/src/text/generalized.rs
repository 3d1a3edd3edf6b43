//! Generalized UTF-8 (spec §4 "str"): UTF-8's bit layout applied to every code point,
//! surrogates included, each surrogate alone as a 3-octet sequence `ed a0 80` … `ed bf bf`.
//! This is what Python's `surrogatepass` error handler produces; it is neither CESU-8 nor
//! WTF-8 (both pair a high surrogate with a following low one).

use super::utf8;

/// Validates `payload` as generalized UTF-8. On success, tells whether it contains at least
/// one surrogate; on failure, returns the length of its longest valid prefix (the spec's *m*).
///
/// The two grammars differ only in the octet after `ed` (`80`–`bf` instead of `80`–`9f`).
/// Text without a surrogate — the common case — is accepted by one pass of the fast strict
/// validator. Otherwise a second, scalar pass decides everything (whatever the first one
/// found, so that octets changing under the reader cannot make the two disagree): it runs
/// the strict validator, which stops at its first error, and wherever that is a surrogate
/// sequence, steps over it and resumes, so each octet is examined a bounded number of times
/// (spec §11, "Time linear in the input"). Where strict validation stops at anything else,
/// generalized validation stops there too, because every other sequence is judged the same by
/// both grammars.
pub(crate) fn validate(payload: &[u8]) -> Result<bool, usize> {
    if utf8::is_valid(payload) {
        return Ok(false);
    }
    let mut rest = payload;
    let mut has_surrogate = false;
    loop {
        let valid = utf8::valid_up_to(rest);
        let Some(at_error) = rest.get(valid..).filter(|r| !r.is_empty()) else {
            return Ok(has_surrogate);
        };
        match at_error {
            [0xed, 0xa0..=0xbf, 0x80..=0xbf, after @ ..] => {
                has_surrogate = true;
                rest = after;
            }
            // Offset from the start: what has been consumed, up to the error.
            _ => return Err(payload.len().saturating_sub(at_error.len())),
        }
    }
}

/// Whether `cp` is a surrogate code point, U+D800 … U+DFFF.
#[inline]
pub(crate) const fn is_surrogate(cp: u32) -> bool {
    matches!(cp, 0xd800..=0xdfff)
}

/// The number of octets generalized UTF-8 uses for `cp`, or `None` above U+10FFFF.
#[inline]
pub(crate) const fn encoded_len(cp: u32) -> Option<usize> {
    match cp {
        0..=0x7f => Some(1),
        0x80..=0x7ff => Some(2),
        0x800..=0xffff => Some(3),
        0x1_0000..=0x10_ffff => Some(4),
        _ => None,
    }
}

/// Appends the generalized-UTF-8 form of `cp` to `out` (nothing above U+10FFFF, which
/// callers have refused already).
pub(crate) fn push_code_point(cp: u32, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(encode_code_point(cp, &mut buf));
}

/// Writes the generalized-UTF-8 form of `cp` into `buf`, returning that part; empty above
/// U+10FFFF (callers check [`encoded_len`] first).
pub(crate) fn encode_code_point(cp: u32, buf: &mut [u8; 4]) -> &[u8] {
    // The casts keep the low six (or fewer) bits each octet carries.
    match encoded_len(cp) {
        Some(1) => {
            buf[0] = cp as u8;
            &buf[..1]
        }
        Some(2) => {
            buf[0] = 0xc0 | (cp >> 6) as u8;
            buf[1] = 0x80 | (cp & 0x3f) as u8;
            &buf[..2]
        }
        Some(3) => {
            buf[0] = 0xe0 | (cp >> 12) as u8;
            buf[1] = 0x80 | ((cp >> 6) & 0x3f) as u8;
            buf[2] = 0x80 | (cp & 0x3f) as u8;
            &buf[..3]
        }
        Some(_) => {
            buf[0] = 0xf0 | (cp >> 18) as u8;
            buf[1] = 0x80 | ((cp >> 12) & 0x3f) as u8;
            buf[2] = 0x80 | ((cp >> 6) & 0x3f) as u8;
            buf[3] = 0x80 | (cp & 0x3f) as u8;
            &buf[..4]
        }
        None => &buf[..0],
    }
}

/// Decodes the code point at the start of `text`, which should be valid generalized UTF-8
/// (every caller's text was validated): the code point and its length, `None` at the end.
///
/// Never panics, even if `text` is not what was validated (memory written under the reader):
/// a sequence cut short reads its missing continuation octets as zero bits and ends the
/// text, and every length returned is at least 1 and at most what remains.
#[inline]
pub(crate) fn decode_first(text: &[u8]) -> Option<(u32, usize)> {
    let (&b0, tail) = text.split_first()?;
    let cont = |i: usize| tail.get(i).map_or(0, |b| u32::from(b & 0x3f));
    let (cp, len) = match b0 {
        0x00..=0x7f => return Some((u32::from(b0), 1)),
        0xc0..=0xdf => ((u32::from(b0 & 0x1f) << 6) | cont(0), 2),
        0xe0..=0xef => ((u32::from(b0 & 0x0f) << 12) | (cont(0) << 6) | cont(1), 3),
        _ => (
            (u32::from(b0 & 0x07) << 18) | (cont(0) << 12) | (cont(1) << 6) | cont(2),
            4,
        ),
    };
    Some((cp, len.min(text.len())))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // Tests compute with small, known numbers.
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An independent, octet-at-a-time reading of Table 3-7 with the one generalized change,
    /// to check the fast path against.
    fn reference(payload: &[u8]) -> Result<bool, usize> {
        let mut i = 0;
        let mut has_surrogate = false;
        while i < payload.len() {
            let b0 = payload[i];
            let (len, second): (usize, core::ops::RangeInclusive<u8>) = match b0 {
                0x00..=0x7f => (1, 0..=0),
                0xc2..=0xdf => (2, 0x80..=0xbf),
                0xe0 => (3, 0xa0..=0xbf),
                0xe1..=0xec | 0xee..=0xef => (3, 0x80..=0xbf),
                0xed => (3, 0x80..=0xbf), // generalized: strict UTF-8 says 80..=9f
                0xf0 => (4, 0x90..=0xbf),
                0xf1..=0xf3 => (4, 0x80..=0xbf),
                0xf4 => (4, 0x80..=0x8f),
                _ => return Err(i),
            };
            if len > 1 {
                let ok = payload.get(i + 1).is_some_and(|b| second.contains(b))
                    && (2..len).all(|j| {
                        payload
                            .get(i + j)
                            .is_some_and(|b| (0x80..=0xbf).contains(b))
                    });
                if !ok {
                    return Err(i);
                }
                if b0 == 0xed && payload[i + 1] >= 0xa0 {
                    has_surrogate = true;
                }
            }
            i += len;
        }
        Ok(has_surrogate)
    }

    #[test]
    fn accepts_surrogates_and_reports_them() {
        assert_eq!(validate(b""), Ok(false));
        assert_eq!(validate(b"a"), Ok(false));
        assert_eq!(validate(b"\xed\xa0\x80"), Ok(true));
        assert_eq!(validate(b"\xed\xa0\xbd\xed\xb8\x80"), Ok(true));
        assert_eq!(validate(b"a\xed\xb2\x80b"), Ok(true));
        assert_eq!(validate(b"\xed\x9f\xbf"), Ok(false)); // U+D7FF, ordinary UTF-8
    }

    #[test]
    fn rejects_at_the_spec_offset() {
        assert_eq!(validate(b"\xed\xa0\x80\xff"), Err(3)); // spec example X19
        assert_eq!(validate(b"\xed\xa0"), Err(0)); // a surrogate cut short
        assert_eq!(validate(b"\xed\xa0\x80\xed\xa0"), Err(3));
        assert_eq!(validate(b"\xc0\xaf"), Err(0)); // overlong forms stay invalid
        assert_eq!(validate(b"\xf4\x90\x80\x80"), Err(0));
    }

    #[test]
    fn long_payloads_with_many_surrogates_validate_to_the_end() {
        // Past the fast validator's threshold, with a surrogate every 5 octets: each is
        // stepped over once (a SIMD pass per surrogate over the rest would be quadratic).
        let mut text = "x".repeat(100).into_bytes();
        for _ in 0..20_000 {
            text.extend_from_slice(b"\xed\xa0\x80ab");
        }
        assert_eq!(validate(&text), Ok(true));
        text.extend_from_slice("é".as_bytes());
        assert_eq!(validate(&text), Ok(true));
        text.push(0xff);
        assert_eq!(validate(&text), Err(text.len() - 1));
        // Long text without a surrogate takes the fast path alone.
        assert_eq!(validate("é".repeat(100).as_bytes()), Ok(false));
        assert_eq!(validate(&[b'a'; 200]), Ok(false));
    }

    #[test]
    fn code_points_encode_and_decode_at_every_length_boundary() {
        for cp in [
            0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff,
            0x1_0000, 0x10_ffff,
        ] {
            let mut buf = [0u8; 4];
            let seq = encode_code_point(cp, &mut buf).to_vec();
            assert_eq!(seq.len(), encoded_len(cp).unwrap());
            assert_eq!(decode_first(&seq), Some((cp, seq.len())));
            assert_eq!(validate(&seq), Ok(is_surrogate(cp)), "{cp:#x}");
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(seq, c.to_string().into_bytes());
            }
        }
        assert_eq!(encoded_len(0x11_0000), None);
        assert_eq!(encode_code_point(0x11_0000, &mut [0; 4]), b"");
        assert_eq!(decode_first(b""), None);
        // Text that is not what was validated still decodes without a panic.
        assert_eq!(decode_first(b"\xf0\x9f"), Some((0x1_f000, 2)));
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_the_reference(
            bytes in prop::collection::vec(
                prop_oneof![Just(b'a'), Just(0xedu8), Just(0xa0u8), Just(0xbfu8), Just(0x80u8),
                            Just(0xf0u8), Just(0x9fu8), any::<u8>()],
                0..120,
            )
        ) {
            prop_assert_eq!(validate(&bytes), reference(&bytes));
        }

        #[test]
        fn every_code_point_sequence_validates(cps in prop::collection::vec(0u32..=0x10_ffff, 0..40)) {
            let mut text = Vec::new();
            for &cp in &cps {
                push_code_point(cp, &mut text);
            }
            prop_assert_eq!(validate(&text), Ok(cps.iter().any(|&c| is_surrogate(c))));
            let mut decoded = Vec::new();
            let mut rest = &text[..];
            while let Some((cp, len)) = decode_first(rest) {
                decoded.push(cp);
                rest = &rest[len..];
            }
            prop_assert_eq!(decoded, cps);
        }
    }
}
