//! [`BigInt`]: an int of any size as its shortest little-endian two's complement, over any
//! storage (borrowed from an input, a `Vec`, a `Cow`, a `bytes::Bytes`).

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use std::borrow::Cow;

use crate::int;

/// An integer of any size, stored as its shortest little-endian two's complement (spec §2
/// `TC(minbytes(v), v)`: at least one octet, never a redundant sign octet).
///
/// `B` is the storage: `&[u8]` when borrowed from a decoded input, `Cow<[u8]>` inside
/// [`Value`](crate::Value), [`bytes::Bytes`] inside [`SharedValue`](crate::SharedValue),
/// `Vec<u8>` when built in code. Because the form is the shortest, two `BigInt`s are equal
/// exactly when their octets are, whatever their storage.
///
/// The decoder produces a `BigInt` only for ints outside the `i64` range (BIGINT), but the
/// type holds any int, so conversions from Rust integers always succeed.
///
/// # Text
///
/// `Display` (and `Debug`, as `BigInt(…)`) writes an int of at most 256 octets (2048 bits
/// of two's complement: −2^2047 ≤ v < 2^2047, at most 617 digits) in decimal, and a longer
/// one in hexadecimal as Python writes it, `0x…` or `-0x…`: decimal conversion takes time
/// quadratic in the length, so formatting a decoded int from an untrusted input must not do
/// it at any size (spec §11, "Time linear in the input"). Either way the text is a Python
/// literal of the int and [`str::parse`] reads it back. For the exact decimal at any size,
/// with its quadratic cost, there is [`to_decimal_string`](BigInt::to_decimal_string).
///
/// ```
/// use frozenpack::BigInt;
/// let big = BigInt::from(u64::MAX);
/// assert_eq!(big.as_le_bytes(), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
/// assert_eq!(big.to_string(), "18446744073709551615");
/// assert_eq!(u64::try_from(&big), Ok(u64::MAX));
/// assert!(i64::try_from(&big).is_err());
///
/// // -2^2048 needs 257 octets: hexadecimal.
/// let mut octets = vec![0u8; 256];
/// octets.push(0xff);
/// let huge = BigInt::from_minimal_le_bytes(octets)?;
/// assert_eq!(huge.to_string(), format!("-0x1{}", "0".repeat(512)));
/// assert_eq!(huge.to_string().parse::<BigInt<Vec<u8>>>(), Ok(huge.to_vec_backed()));
/// # Ok::<(), frozenpack::NotMinimal>(())
/// ```
#[derive(Clone, Copy)]
pub struct BigInt<B>(B);

/// The error of [`BigInt::from_minimal_le_bytes`]: the octets are not the shortest form
/// (or are empty).
///
/// ```
/// assert!(frozenpack::BigInt::from_minimal_le_bytes(&[0x05u8, 0x00][..]).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotMinimal;

impl fmt::Display for NotMinimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("two's complement is empty or has a redundant sign octet")
    }
}

impl std::error::Error for NotMinimal {}

/// The error of converting a [`BigInt`] to a Rust integer type that cannot hold it.
///
/// ```
/// let big = frozenpack::BigInt::from(-1i64);
/// assert!(u128::try_from(&big).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntOutOfRange;

impl fmt::Display for IntOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the int is out of the target type's range")
    }
}

impl std::error::Error for IntOutOfRange {}

/// The error of parsing a [`BigInt`] from text that is not a decimal or `0x` hexadecimal
/// integer.
///
/// ```
/// assert!("12a".parse::<frozenpack::BigInt<Vec<u8>>>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseBigIntError;

impl fmt::Display for ParseBigIntError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "not an integer (optional sign, then ASCII digits, or 0x and hexadecimal digits)",
        )
    }
}

impl std::error::Error for ParseBigIntError {}

impl<B: AsRef<[u8]>> BigInt<B> {
    /// Wraps octets that are already the shortest two's complement of an int, without
    /// copying them.
    ///
    /// ```
    /// use frozenpack::BigInt;
    /// let octets = [0x00u8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00];
    /// let big = BigInt::from_minimal_le_bytes(&octets[..])?;
    /// assert_eq!(big.to_string(), "9223372036854775808");
    /// # Ok::<(), frozenpack::NotMinimal>(())
    /// ```
    pub fn from_minimal_le_bytes(le: B) -> Result<Self, NotMinimal> {
        let octets = le.as_ref();
        if octets.is_empty() || int::has_redundant_sign_octet(octets) {
            return Err(NotMinimal);
        }
        Ok(BigInt(le))
    }

    /// Wraps octets the caller has checked to be minimal (the decoder, after its canonical
    /// checks).
    pub(crate) fn from_canonical_unchecked(le: B) -> Self {
        debug_assert!(!le.as_ref().is_empty() && !int::has_redundant_sign_octet(le.as_ref()));
        BigInt(le)
    }

    /// The shortest little-endian two's complement.
    ///
    /// ```
    /// assert_eq!(frozenpack::BigInt::from(-129i64).as_le_bytes(), [0x7f, 0xff]);
    /// ```
    pub fn as_le_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The storage.
    ///
    /// ```
    /// assert_eq!(frozenpack::BigInt::from(1i64).into_inner(), vec![1]);
    /// ```
    pub fn into_inner(self) -> B {
        self.0
    }

    /// Whether the int is below zero.
    ///
    /// ```
    /// assert!(frozenpack::BigInt::from(i128::MIN).is_negative());
    /// ```
    pub fn is_negative(&self) -> bool {
        int::is_negative(self.as_le_bytes())
    }

    /// The same int, borrowing this one's octets.
    ///
    /// ```
    /// let owned = frozenpack::BigInt::from(u128::MAX);
    /// assert_eq!(owned.as_borrowed(), owned);
    /// ```
    pub fn as_borrowed(&self) -> BigInt<&[u8]> {
        BigInt(self.as_le_bytes())
    }

    /// The same int in a `Vec` of its own.
    ///
    /// ```
    /// let borrowed = frozenpack::BigInt::from_minimal_le_bytes(&[0xffu8][..])?;
    /// assert_eq!(borrowed.to_vec_backed().into_inner(), vec![0xff]);
    /// # Ok::<(), frozenpack::NotMinimal>(())
    /// ```
    pub fn to_vec_backed(&self) -> BigInt<Vec<u8>> {
        BigInt(self.as_le_bytes().to_vec())
    }

    /// The exact decimal text, at any size.
    ///
    /// This takes time quadratic in the length (about a second for an int of 100 000
    /// octets), which is why `Display` switches to hexadecimal above 256 octets: call it on
    /// ints you trust, or bound their length first.
    ///
    /// ```
    /// let big = frozenpack::BigInt::from(u128::MAX);
    /// assert_eq!(big.to_decimal_string(), "340282366920938463463374607431768211455");
    /// ```
    pub fn to_decimal_string(&self) -> String {
        int::to_decimal(self.as_le_bytes())
    }
}

impl BigInt<Vec<u8>> {
    /// The int named by any little-endian two's complement (redundant sign octets are
    /// dropped; the empty string is 0).
    ///
    /// ```
    /// let big = frozenpack::BigInt::from_le_bytes(&[0x05, 0x00, 0x00]);
    /// assert_eq!(big.as_le_bytes(), [0x05]);
    /// ```
    pub fn from_le_bytes(le: &[u8]) -> Self {
        if le.is_empty() {
            return BigInt(vec![0]);
        }
        BigInt(le[..int::minimal_len(le)].to_vec())
    }
}

impl<'a> BigInt<Cow<'a, [u8]>> {
    /// The same int, owning its octets.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// let octets = [0x01u8];
    /// let big = frozenpack::BigInt::from_minimal_le_bytes(Cow::Borrowed(&octets[..]))?;
    /// let owned: frozenpack::BigInt<Cow<'static, [u8]>> = big.into_owned();
    /// assert_eq!(owned.as_le_bytes(), [1]);
    /// # Ok::<(), frozenpack::NotMinimal>(())
    /// ```
    pub fn into_owned(self) -> BigInt<Cow<'static, [u8]>> {
        BigInt(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> From<BigInt<&'a [u8]>> for BigInt<Cow<'a, [u8]>> {
    fn from(big: BigInt<&'a [u8]>) -> Self {
        BigInt(Cow::Borrowed(big.0))
    }
}

impl From<BigInt<Vec<u8>>> for BigInt<Cow<'_, [u8]>> {
    fn from(big: BigInt<Vec<u8>>) -> Self {
        BigInt(Cow::Owned(big.0))
    }
}

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for BigInt<Vec<u8>> {
            fn from(v: $t) -> Self {
                BigInt(int::i128_to_minimal_le(i128::from(v)))
            }
        }
    )*};
}
from_signed!(i8, i16, i32, i64, i128);

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for BigInt<Vec<u8>> {
            fn from(v: $t) -> Self {
                BigInt(int::u128_to_minimal_le(u128::from(v)))
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64, u128);

macro_rules! try_into_int {
    ($($t:ty => $via:ident),*) => {$(
        impl<B: AsRef<[u8]>> TryFrom<&BigInt<B>> for $t {
            type Error = IntOutOfRange;
            fn try_from(big: &BigInt<B>) -> Result<Self, IntOutOfRange> {
                int::$via(big.as_le_bytes()).and_then(|v| <$t>::try_from(v).ok()).ok_or(IntOutOfRange)
            }
        }
        impl<B: AsRef<[u8]>> TryFrom<BigInt<B>> for $t {
            type Error = IntOutOfRange;
            fn try_from(big: BigInt<B>) -> Result<Self, IntOutOfRange> {
                <$t>::try_from(&big)
            }
        }
    )*};
}
try_into_int!(i64 => to_i128, i128 => to_i128, u64 => to_u128, u128 => to_u128);

impl core::str::FromStr for BigInt<Vec<u8>> {
    type Err = ParseBigIntError;

    /// Parses what `Display` writes: an optional sign, then either ASCII digits or `0x` (or
    /// `0X`) and hexadecimal digits in either case; any number of digits, no separators.
    ///
    /// Hexadecimal text is read in linear time; decimal text in time quadratic in its
    /// length, so bound the length of decimal text you do not trust.
    ///
    /// ```
    /// use frozenpack::BigInt;
    /// assert_eq!("-0x80".parse::<BigInt<Vec<u8>>>(), Ok(BigInt::from(-128i8)));
    /// assert_eq!("+255".parse::<BigInt<Vec<u8>>>(), Ok(BigInt::from(255u8)));
    /// ```
    fn from_str(text: &str) -> Result<Self, ParseBigIntError> {
        int::from_hex(text)
            .or_else(|| int::from_decimal(text))
            .map(BigInt)
            .ok_or(ParseBigIntError)
    }
}

impl<B: AsRef<[u8]>> fmt::Display for BigInt<B> {
    /// Decimal for ints of at most 256 octets, hexadecimal (`0x…`, `-0x…`) beyond: linear
    /// time at any size (see [the type's docs](BigInt#text)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let le = self.as_le_bytes();
        if le.len() <= int::DECIMAL_MAX_OCTETS {
            f.write_str(&int::to_decimal(le))
        } else {
            int::write_hex(le, f)
        }
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for BigInt<B> {
    /// `BigInt(…)` around the `Display` text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BigInt({self})")
    }
}

impl<B: AsRef<[u8]>, C: AsRef<[u8]>> PartialEq<BigInt<C>> for BigInt<B> {
    fn eq(&self, other: &BigInt<C>) -> bool {
        self.as_le_bytes() == other.as_le_bytes()
    }
}

impl<B: AsRef<[u8]>> Eq for BigInt<B> {}

impl<B: AsRef<[u8]>, C: AsRef<[u8]>> PartialOrd<BigInt<C>> for BigInt<B> {
    fn partial_cmp(&self, other: &BigInt<C>) -> Option<Ordering> {
        Some(int::cmp_minimal(self.as_le_bytes(), other.as_le_bytes()))
    }
}

impl<B: AsRef<[u8]>> Ord for BigInt<B> {
    /// Numeric order.
    fn cmp(&self, other: &Self) -> Ordering {
        int::cmp_minimal(self.as_le_bytes(), other.as_le_bytes())
    }
}

impl<B: AsRef<[u8]>> Hash for BigInt<B> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_le_bytes().hash(state);
    }
}

#[cfg(any(test, feature = "num-bigint"))]
mod num_bigint_conversions {
    use super::BigInt;

    impl<B: AsRef<[u8]>> From<&BigInt<B>> for num_bigint::BigInt {
        /// ```
        /// # #[cfg(feature = "num-bigint")] {
        /// let big = frozenpack::BigInt::from(u128::MAX);
        /// assert_eq!(num_bigint::BigInt::from(&big), num_bigint::BigInt::from(u128::MAX));
        /// # }
        /// ```
        fn from(big: &BigInt<B>) -> Self {
            num_bigint::BigInt::from_signed_bytes_le(big.as_le_bytes())
        }
    }

    impl From<&num_bigint::BigInt> for BigInt<Vec<u8>> {
        /// ```
        /// # #[cfg(feature = "num-bigint")] {
        /// let n: num_bigint::BigInt = "-170141183460469231731687303715884105729".parse().unwrap();
        /// assert_eq!(frozenpack::BigInt::from(&n).to_string(), n.to_string());
        /// # }
        /// ```
        fn from(n: &num_bigint::BigInt) -> Self {
            BigInt::from_le_bytes(&n.to_signed_bytes_le())
        }
    }

    impl From<num_bigint::BigInt> for BigInt<Vec<u8>> {
        fn from(n: num_bigint::BigInt) -> Self {
            BigInt::from(&n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn minimal_octets_are_required_to_wrap() {
        assert!(BigInt::from_minimal_le_bytes(&[][..]).is_err());
        assert!(BigInt::from_minimal_le_bytes(&[0xff, 0xff][..]).is_err());
        assert!(BigInt::from_minimal_le_bytes(&[0xff, 0x00][..]).is_ok());
    }

    #[test]
    fn conversions_cover_the_rust_integer_edges() {
        assert_eq!(BigInt::from(0u8).as_le_bytes(), [0]);
        assert_eq!(BigInt::from(i64::MIN).as_le_bytes().len(), 8);
        assert_eq!(BigInt::from(1u128 << 127).as_le_bytes().len(), 17);
        assert_eq!(u128::try_from(BigInt::from(u128::MAX)), Ok(u128::MAX));
        assert_eq!(i128::try_from(BigInt::from(u128::MAX)), Err(IntOutOfRange));
        assert_eq!(i64::try_from(BigInt::from(i64::MIN)), Ok(i64::MIN));
        assert_eq!(
            i64::try_from(BigInt::from(i64::MAX as u64 + 1)),
            Err(IntOutOfRange)
        );
        assert_eq!(u64::try_from(BigInt::from(-1i8)), Err(IntOutOfRange));
        let huge: BigInt<Vec<u8>> = format!("1{}", "0".repeat(60)).parse().unwrap();
        assert_eq!(i128::try_from(&huge), Err(IntOutOfRange));
    }

    #[test]
    fn storage_does_not_matter_for_equality() {
        let owned = BigInt::from(1u128 << 100);
        let octets = owned.as_le_bytes().to_vec();
        let borrowed = BigInt::from_minimal_le_bytes(&octets[..]).unwrap();
        let shared = BigInt::from_minimal_le_bytes(bytes::Bytes::from(octets.clone())).unwrap();
        assert_eq!(owned, borrowed);
        assert_eq!(borrowed, shared);
        assert_eq!(
            format!("{shared:?}"),
            "BigInt(1267650600228229401496703205376)"
        );
    }

    proptest! {
        #[test]
        fn order_is_numeric(a in any::<i128>(), b in any::<i128>()) {
            prop_assert_eq!(BigInt::from(a).cmp(&BigInt::from(b)), a.cmp(&b));
        }

        #[test]
        fn decimal_text_matches_rust(a in any::<i128>(), b in any::<u128>()) {
            prop_assert_eq!(BigInt::from(a).to_string(), a.to_string());
            prop_assert_eq!(BigInt::from(b).to_string(), b.to_string());
            prop_assert_eq!(a.to_string().parse::<BigInt<Vec<u8>>>().unwrap(), BigInt::from(a));
        }

        #[test]
        fn display_is_decimal_to_256_octets_then_hex_and_parses_back(
            octets in prop::collection::vec(any::<u8>(), 1..600),
        ) {
            let big = BigInt::from_le_bytes(&octets);
            let n = num_bigint::BigInt::from(&big);
            let text = big.to_string();
            if big.as_le_bytes().len() <= 256 {
                prop_assert_eq!(&text, &n.to_string());
            } else {
                prop_assert_eq!(&text, &format!("{n:#x}"));
            }
            prop_assert_eq!(format!("{big:?}"), format!("BigInt({text})"));
            prop_assert_eq!(text.parse::<BigInt<Vec<u8>>>(), Ok(big.clone()));
            prop_assert_eq!(big.to_decimal_string(), n.to_string());
            prop_assert_eq!(big.to_decimal_string().parse::<BigInt<Vec<u8>>>(), Ok(big));
        }

        #[test]
        fn from_le_bytes_normalizes_any_octets(octets in prop::collection::vec(any::<u8>(), 0..24)) {
            let big = BigInt::from_le_bytes(&octets);
            prop_assert!(BigInt::from_minimal_le_bytes(big.as_le_bytes()).is_ok());
            let n = num_bigint::BigInt::from_signed_bytes_le(&octets);
            prop_assert_eq!(num_bigint::BigInt::from(&big), n.clone());
            prop_assert_eq!(big.to_string(), n.to_string());
            prop_assert_eq!(BigInt::from(&n), big);
        }
    }
}
