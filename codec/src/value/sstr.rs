//! [`SurrogateStr`]: a str that holds at least one surrogate code point, which Rust's `str`
//! cannot, stored in generalized UTF-8 (spec §4).

use core::fmt;
use core::hash::{Hash, Hasher};
use core::iter::FusedIterator;
use std::borrow::Cow;

use crate::text::generalized;

/// A str with at least one surrogate code point (U+D800 … U+DFFF), as its generalized UTF-8
/// (every code point as UTF-8 lays it out, each surrogate alone in 3 octets; Python's
/// `surrogatepass`).
///
/// A str without surrogates is always a Rust `str` instead (spec §5 rule 3), so a
/// `SurrogateStr` never holds one: its constructors refuse it, and the decoder only produces
/// one for an SSTR, which must hold a surrogate. `B` is the storage, as for
/// [`BigInt`](crate::BigInt).
///
/// ```
/// use frozenpack::SurrogateStr;
/// let s = SurrogateStr::from_code_points([0x61, 0xd800, 0x1f600])?;
/// assert_eq!(s.as_generalized_utf8(), b"a\xed\xa0\x80\xf0\x9f\x98\x80");
/// assert_eq!(s.code_points().collect::<Vec<_>>(), [0x61, 0xd800, 0x1f600]);
/// assert_eq!(s.encode_utf16().collect::<Vec<_>>(), [0x61, 0xd800, 0xd83d, 0xde00]);
/// # Ok::<(), frozenpack::SurrogateStrError>(())
/// ```
#[derive(Clone, Copy)]
pub struct SurrogateStr<B>(B);

/// Why text could not become a [`SurrogateStr`] (or a str value).
///
/// ```
/// use frozenpack::{SurrogateStr, SurrogateStrError};
/// assert_eq!(SurrogateStr::from_generalized_utf8(&b"abc"[..]).unwrap_err(), SurrogateStrError::NoSurrogate);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SurrogateStrError {
    /// The octets are not generalized UTF-8; the first `valid_up_to` octets are.
    InvalidGeneralizedUtf8 {
        /// The length of the longest valid prefix.
        valid_up_to: usize,
    },
    /// The text has no surrogate: it is an ordinary `str`.
    NoSurrogate,
    /// A code point above U+10FFFF.
    CodePointOutOfRange(u32),
}

impl fmt::Display for SurrogateStrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurrogateStrError::InvalidGeneralizedUtf8 { valid_up_to } => {
                write!(f, "not generalized UTF-8 (valid up to octet {valid_up_to})")
            }
            SurrogateStrError::NoSurrogate => {
                f.write_str("no surrogate code point: this is an ordinary str")
            }
            SurrogateStrError::CodePointOutOfRange(cp) => {
                write!(f, "code point {cp:#x} is above U+10FFFF")
            }
        }
    }
}

impl std::error::Error for SurrogateStrError {}

impl<B: AsRef<[u8]>> SurrogateStr<B> {
    /// Wraps generalized UTF-8 that holds at least one surrogate, without copying it.
    ///
    /// ```
    /// use frozenpack::{SurrogateStr, SurrogateStrError};
    /// assert!(SurrogateStr::from_generalized_utf8(&b"\xed\xb2\x80"[..]).is_ok());
    /// assert_eq!(
    ///     SurrogateStr::from_generalized_utf8(&b"\xed\xa0\x80\xff"[..]).unwrap_err(),
    ///     SurrogateStrError::InvalidGeneralizedUtf8 { valid_up_to: 3 },
    /// );
    /// ```
    pub fn from_generalized_utf8(text: B) -> Result<Self, SurrogateStrError> {
        match generalized::validate(text.as_ref()) {
            Ok(true) => Ok(SurrogateStr(text)),
            Ok(false) => Err(SurrogateStrError::NoSurrogate),
            Err(valid_up_to) => Err(SurrogateStrError::InvalidGeneralizedUtf8 { valid_up_to }),
        }
    }

    /// Wraps text the caller has validated and found to hold a surrogate (the decoder).
    pub(crate) fn from_validated_unchecked(text: B) -> Self {
        debug_assert_eq!(generalized::validate(text.as_ref()), Ok(true));
        SurrogateStr(text)
    }

    /// The generalized UTF-8.
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0xdfff])?;
    /// assert_eq!(s.as_generalized_utf8(), b"\xed\xbf\xbf");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn as_generalized_utf8(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The storage, borrowed.
    pub(crate) fn storage(&self) -> &B {
        &self.0
    }

    /// The storage.
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0xdfff])?;
    /// assert_eq!(s.into_inner(), b"\xed\xbf\xbf".to_vec());
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn into_inner(self) -> B {
        self.0
    }

    /// The code points, surrogates included, in order.
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0xd83d, 0xde00])?;
    /// // Two code points, not the one U+1F600 a UTF-16 reading would pair them into.
    /// assert_eq!(s.code_points().count(), 2);
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn code_points(&self) -> CodePoints<'_> {
        CodePoints {
            rest: self.as_generalized_utf8(),
        }
    }

    /// The text as UTF-16 code units, without loss: each surrogate code point becomes the
    /// unit of the same number, every other code point its ordinary UTF-16 form. (UTF-16
    /// cannot tell the two code points U+D83D U+DE00 from the one code point U+1F600; code
    /// that needs to keep them apart uses [`code_points`](SurrogateStr::code_points).)
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0x10ffff, 0xdc00])?;
    /// assert_eq!(s.encode_utf16().collect::<Vec<u16>>(), [0xdbff, 0xdfff, 0xdc00]);
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn encode_utf16(&self) -> EncodeUtf16<'_> {
        EncodeUtf16 {
            code_points: self.code_points(),
            low: None,
        }
    }

    /// The same str, borrowing this one's octets.
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0xd800])?;
    /// assert_eq!(s.as_borrowed(), s);
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn as_borrowed(&self) -> SurrogateStr<&[u8]> {
        SurrogateStr(self.as_generalized_utf8())
    }

    /// The same str in a `Vec` of its own.
    ///
    /// ```
    /// let octets = b"\xed\xa0\x80".to_vec();
    /// let s = frozenpack::SurrogateStr::from_generalized_utf8(&octets[..])?;
    /// assert_eq!(s.to_vec_backed().into_inner(), octets);
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn to_vec_backed(&self) -> SurrogateStr<Vec<u8>> {
        SurrogateStr(self.as_generalized_utf8().to_vec())
    }
}

impl SurrogateStr<Vec<u8>> {
    /// Builds the str of these code points; it must hold at least one surrogate.
    ///
    /// ```
    /// use frozenpack::{SurrogateStr, SurrogateStrError};
    /// assert_eq!(SurrogateStr::from_code_points([0x110000]).unwrap_err(),
    ///            SurrogateStrError::CodePointOutOfRange(0x110000));
    /// assert_eq!(SurrogateStr::from_code_points("ab".chars().map(u32::from)).unwrap_err(),
    ///            SurrogateStrError::NoSurrogate);
    /// ```
    pub fn from_code_points<I: IntoIterator<Item = u32>>(
        code_points: I,
    ) -> Result<Self, SurrogateStrError> {
        match encode_code_points(code_points)? {
            (text, true) => Ok(SurrogateStr(text)),
            (_, false) => Err(SurrogateStrError::NoSurrogate),
        }
    }
}

/// The generalized UTF-8 of `code_points`, and whether any is a surrogate.
pub(crate) fn encode_code_points<I: IntoIterator<Item = u32>>(
    code_points: I,
) -> Result<(Vec<u8>, bool), SurrogateStrError> {
    let mut text = Vec::new();
    let mut has_surrogate = false;
    for cp in code_points {
        if generalized::encoded_len(cp).is_none() {
            return Err(SurrogateStrError::CodePointOutOfRange(cp));
        }
        has_surrogate |= generalized::is_surrogate(cp);
        generalized::push_code_point(cp, &mut text);
    }
    Ok((text, has_surrogate))
}

impl<'a> SurrogateStr<Cow<'a, [u8]>> {
    /// The same str, owning its octets.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let octets = b"\xed\xa0\x80".to_vec();
    /// let s = frozenpack::SurrogateStr::from_generalized_utf8(Cow::Borrowed(&octets[..]))?;
    /// let owned = s.into_owned();
    /// drop(octets);
    /// assert_eq!(owned.as_generalized_utf8(), b"\xed\xa0\x80");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn into_owned(self) -> SurrogateStr<Cow<'static, [u8]>> {
        SurrogateStr(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> From<SurrogateStr<&'a [u8]>> for SurrogateStr<Cow<'a, [u8]>> {
    fn from(s: SurrogateStr<&'a [u8]>) -> Self {
        SurrogateStr(Cow::Borrowed(s.0))
    }
}

impl From<SurrogateStr<Vec<u8>>> for SurrogateStr<Cow<'_, [u8]>> {
    fn from(s: SurrogateStr<Vec<u8>>) -> Self {
        SurrogateStr(Cow::Owned(s.0))
    }
}

impl<B: AsRef<[u8]>, C: AsRef<[u8]>> PartialEq<SurrogateStr<C>> for SurrogateStr<B> {
    fn eq(&self, other: &SurrogateStr<C>) -> bool {
        self.as_generalized_utf8() == other.as_generalized_utf8()
    }
}

impl<B: AsRef<[u8]>> Eq for SurrogateStr<B> {}

impl<B: AsRef<[u8]>> PartialOrd for SurrogateStr<B> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<B: AsRef<[u8]>> Ord for SurrogateStr<B> {
    /// Code point order: generalized UTF-8, like UTF-8, sorts as its code points do.
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_generalized_utf8().cmp(other.as_generalized_utf8())
    }
}

impl<B: AsRef<[u8]>> Hash for SurrogateStr<B> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_generalized_utf8().hash(state);
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for SurrogateStr<B> {
    /// Like `str`'s `Debug`, with each surrogate as `\u{d800}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for cp in self.code_points() {
            match char::from_u32(cp) {
                Some(c) => write!(f, "{}", c.escape_debug())?,
                None => write!(f, "\\u{{{cp:x}}}")?,
            }
        }
        f.write_str("\"")
    }
}

/// The code points of a [`SurrogateStr`]; see [`SurrogateStr::code_points`].
///
/// ```
/// let s = frozenpack::SurrogateStr::from_code_points([0xe9, 0xdbff])?;
/// let mut code_points = s.code_points();
/// assert_eq!((code_points.next(), code_points.next(), code_points.next()), (Some(0xe9), Some(0xdbff), None));
/// # Ok::<(), frozenpack::SurrogateStrError>(())
/// ```
#[derive(Clone, Debug)]
pub struct CodePoints<'a> {
    rest: &'a [u8],
}

impl Iterator for CodePoints<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (cp, len) = generalized::decode_first(self.rest)?;
        self.rest = self.rest.get(len..).unwrap_or_default();
        Some(cp)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.rest.len().div_ceil(4), Some(self.rest.len()))
    }
}

impl FusedIterator for CodePoints<'_> {}

/// The UTF-16 code units of a [`SurrogateStr`]; see [`SurrogateStr::encode_utf16`].
///
/// ```
/// let s = frozenpack::SurrogateStr::from_code_points([0xdc00, 0x1f600])?;
/// assert_eq!(s.encode_utf16().collect::<Vec<u16>>(), [0xdc00, 0xd83d, 0xde00]);
/// # Ok::<(), frozenpack::SurrogateStrError>(())
/// ```
#[derive(Clone, Debug)]
pub struct EncodeUtf16<'a> {
    code_points: CodePoints<'a>,
    /// The low half of a pair whose high half was just returned.
    low: Option<u16>,
}

impl Iterator for EncodeUtf16<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        if let Some(low) = self.low.take() {
            return Some(low);
        }
        let cp = self.code_points.next()?;
        if cp < 0x1_0000 {
            // Every BMP code point, surrogates included, is its own unit.
            return Some(cp as u16);
        }
        let offset = cp - 0x1_0000;
        self.low = Some(0xdc00 | (offset & 0x3ff) as u16);
        Some(0xd800 | (offset >> 10) as u16)
    }
}

impl FusedIterator for EncodeUtf16<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_text_without_surrogates() {
        assert_eq!(
            SurrogateStr::from_generalized_utf8(&b""[..]).unwrap_err(),
            SurrogateStrError::NoSurrogate
        );
        assert_eq!(
            SurrogateStr::from_code_points([]).unwrap_err(),
            SurrogateStrError::NoSurrogate
        );
    }

    #[test]
    fn debug_escapes_surrogates() {
        let s = SurrogateStr::from_code_points([0x61, 0xd800, 0x22]).unwrap();
        assert_eq!(format!("{s:?}"), r#""a\u{d800}\"""#);
    }

    proptest! {
        #[test]
        fn code_points_round_trip(mut cps in prop::collection::vec(0u32..=0x10_ffff, 0..30), at in any::<prop::sample::Index>()) {
            // Make sure there is a surrogate somewhere.
            let i = at.index(cps.len() + 1);
            cps.insert(i, 0xdc80);
            let s = SurrogateStr::from_code_points(cps.iter().copied()).unwrap();
            prop_assert_eq!(s.code_points().collect::<Vec<_>>(), cps.clone());
            let again = SurrogateStr::from_generalized_utf8(s.as_generalized_utf8()).unwrap();
            prop_assert_eq!(again, s.as_borrowed());
            // UTF-16 units: the same as Rust's for every non-surrogate code point.
            let mut expected = Vec::new();
            for &cp in &cps {
                match char::from_u32(cp) {
                    Some(c) => expected.extend(c.encode_utf16(&mut [0; 2]).iter().copied()),
                    None => expected.push(cp as u16),
                }
            }
            prop_assert_eq!(s.encode_utf16().collect::<Vec<_>>(), expected);
        }
    }
}
