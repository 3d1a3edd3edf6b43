//! The decode error: one of the spec's six kinds, an offset into the whole input, and a
//! human-readable detail (spec §7).

use core::fmt;

use crate::tag::Family;

/// The closed set of error kinds of spec §7.
///
/// ```
/// use frozenpack::ErrorKind;
/// assert_eq!(ErrorKind::NonCanonical.as_str(), "non_canonical");
/// assert_eq!("depth_exceeded".parse::<ErrorKind>(), Ok(ErrorKind::DepthExceeded));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// The input ends before the value does. The offset is always the input's length.
    Truncated,
    /// A tag in the reserved range `e0`–`ef`.
    UnknownTag,
    /// A well-formed encoding that is not the canonical one.
    NonCanonical,
    /// A FIXSTR/STR payload that is not UTF-8, or an SSTR payload that is not generalized
    /// UTF-8.
    InvalidUtf8,
    /// A tuple that would stand deeper than the configured depth limit.
    DepthExceeded,
    /// Whole-input decoding found octets after the value.
    TrailingBytes,
}

impl ErrorKind {
    /// Every kind, in the order of spec §7's table.
    ///
    /// ```
    /// assert_eq!(frozenpack::ErrorKind::ALL.len(), 6);
    /// ```
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Truncated,
        ErrorKind::UnknownTag,
        ErrorKind::NonCanonical,
        ErrorKind::InvalidUtf8,
        ErrorKind::DepthExceeded,
        ErrorKind::TrailingBytes,
    ];

    /// The kind's name exactly as the spec spells it.
    ///
    /// ```
    /// assert_eq!(frozenpack::ErrorKind::InvalidUtf8.as_str(), "invalid_utf8");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Truncated => "truncated",
            ErrorKind::UnknownTag => "unknown_tag",
            ErrorKind::NonCanonical => "non_canonical",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::DepthExceeded => "depth_exceeded",
            ErrorKind::TrailingBytes => "trailing_bytes",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an [`ErrorKind`] from a name that is not one of the six.
///
/// ```
/// assert!("overflow".parse::<frozenpack::ErrorKind>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownErrorKind;

impl fmt::Display for UnknownErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not one of the six frozenpack error kinds")
    }
}

impl std::error::Error for UnknownErrorKind {}

impl core::str::FromStr for ErrorKind {
    type Err = UnknownErrorKind;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ErrorKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or(UnknownErrorKind)
    }
}

/// Why a decode failed: the spec's error kind, the offset into the whole input (counted from
/// its start even when decoding began later), and a detail for people.
///
/// Two errors are equal when kind, offset and detail are; conformance compares only
/// [`kind`](Error::kind) and [`offset`](Error::offset).
///
/// ```
/// let err = frozenpack::decode_value(b"\xc5\x64\x00").unwrap_err();
/// assert_eq!(err.kind(), frozenpack::ErrorKind::NonCanonical);
/// assert_eq!(err.offset(), 0);
/// assert_eq!(err.to_string(), "non_canonical at offset 0: INT2 holds 100, which fits FIXINT");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    /// Boxed so that an `Error` is one pointer: every `Result<_, Error>` of the decoder
    /// (one per event) then stays as small as its `Ok` side, and the reader's per-item path
    /// never moves the detail around. Errors are rare; the allocation is on their path only.
    inner: Box<Inner>,
}

/// What an [`Error`] holds.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    offset: usize,
    detail: Detail,
}

impl fmt::Debug for Error {
    /// The same as a derived `Debug` on the three fields, without the box.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("offset", &self.inner.offset)
            .field("detail", &self.inner.detail)
            .finish()
    }
}

impl Error {
    #[cold]
    #[inline(never)]
    pub(crate) fn new(offset: usize, detail: Detail) -> Self {
        Error {
            inner: Box::new(Inner {
                kind: detail.kind(),
                offset,
                detail,
            }),
        }
    }

    /// The same error with its offset `by` octets further on: the stream readers decode the
    /// octets of one value at a time, and count offsets from the start of the stream.
    #[cold]
    pub(crate) fn shifted(mut self, by: usize) -> Self {
        self.inner.offset = self.inner.offset.saturating_add(by);
        self
    }

    /// The error's kind.
    ///
    /// ```
    /// let err = frozenpack::decode_value(b"\xe0").unwrap_err();
    /// assert_eq!(err.kind(), frozenpack::ErrorKind::UnknownTag);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The offset the spec assigns to the error, an index into the whole input.
    ///
    /// ```
    /// let err = frozenpack::decode_value(b"\x83ab").unwrap_err();
    /// assert_eq!(err.offset(), 3); // truncated: always the input's length
    /// ```
    pub fn offset(&self) -> usize {
        self.inner.offset
    }

    /// The human-readable explanation (what follows the colon in [`Display`](fmt::Display)).
    ///
    /// ```
    /// let err = frozenpack::decode_value(b"\x05\x06").unwrap_err();
    /// assert_eq!(err.detail().to_string(), "1 octet follows the value");
    /// ```
    pub fn detail(&self) -> impl fmt::Display + '_ {
        &self.inner.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at offset {}: {}",
            self.inner.kind, self.inner.offset, self.inner.detail
        )
    }
}

impl std::error::Error for Error {}

/// An int form, for error details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntForm {
    /// FIXINT or NEGFIXINT: the value is in the tag.
    Fix,
    /// INT*k*, 1 ≤ *k* ≤ 8.
    Int(usize),
    /// BIGINT of *n* octets.
    Big(usize),
}

impl IntForm {
    /// The canonical form for a value whose shortest two's complement has `len` octets and
    /// which, when it fits an `i64`, is `value`.
    pub(crate) fn canonical(len: usize, value: Option<i64>) -> IntForm {
        match (len, value) {
            (_, Some(v)) if (-16..=127).contains(&v) => IntForm::Fix,
            (k, _) if k <= 8 => IntForm::Int(k),
            (n, _) => IntForm::Big(n),
        }
    }
}

impl fmt::Display for IntForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntForm::Fix => f.write_str("FIXINT"),
            IntForm::Int(k) => write!(f, "INT{k}"),
            IntForm::Big(n) => write!(f, "BIGINT of {n} octets"),
        }
    }
}

/// What exactly went wrong; each variant belongs to one [`ErrorKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    // truncated
    /// The input ends where a tag should be.
    MissingTag,
    /// The tag's fixed part (FLOAT bits, INT*k* octets, a length field) is cut short.
    FixedPartCut {
        what: FixedPart,
        needed: usize,
        present: usize,
    },
    /// A length or item count exceeds the octets that remain after the header.
    CountExceedsInput {
        family: &'static str,
        n: u64,
        items: bool,
        remaining: usize,
    },

    // unknown_tag
    ReservedTag(u8),

    // non_canonical
    /// An int held in a longer form than its value needs. `value` when it fits an `i64`.
    IntTooLong {
        form: IntForm,
        value: Option<i64>,
        fits: IntForm,
    },
    /// A prefixed length below the least its width allows.
    LengthTooSmall {
        family: Family,
        width: usize,
        n: u64,
    },
    /// An SSTR whose payload has no surrogate.
    SstrWithoutSurrogate,

    // invalid_utf8
    InvalidUtf8 {
        generalized: bool,
    },

    // depth_exceeded
    DepthExceeded {
        max_depth: usize,
    },

    // trailing_bytes
    TrailingBytes {
        count: usize,
    },
}

/// A tag's fixed part, for "cut short" details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FixedPart {
    Float,
    Int(usize),
    LengthField(Family),
}

impl Detail {
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            Detail::MissingTag | Detail::FixedPartCut { .. } | Detail::CountExceedsInput { .. } => {
                ErrorKind::Truncated
            }
            Detail::ReservedTag(_) => ErrorKind::UnknownTag,
            Detail::IntTooLong { .. }
            | Detail::LengthTooSmall { .. }
            | Detail::SstrWithoutSurrogate => ErrorKind::NonCanonical,
            Detail::InvalidUtf8 { .. } => ErrorKind::InvalidUtf8,
            Detail::DepthExceeded { .. } => ErrorKind::DepthExceeded,
            Detail::TrailingBytes { .. } => ErrorKind::TrailingBytes,
        }
    }
}

fn plural(n: impl Into<u64>, one: &'static str, many: &'static str) -> &'static str {
    if n.into() == 1 {
        one
    } else {
        many
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Detail::MissingTag => f.write_str("the input ends where a value's tag should be"),
            Detail::FixedPartCut {
                what,
                needed,
                present,
            } => {
                let what = match what {
                    FixedPart::Float => "FLOAT needs".to_string(),
                    FixedPart::Int(k) => format!("INT{k} needs"),
                    FixedPart::LengthField(family) => {
                        format!("the length field of {} needs", family.name())
                    }
                };
                write!(f, "{what} {needed} octets after its tag, {present} present")
            }
            Detail::CountExceedsInput {
                family,
                n,
                items,
                remaining,
            } => {
                let unit = match items {
                    true => plural(n, "item", "items"),
                    false => plural(n, "octet", "octets"),
                };
                let verb = plural(remaining as u64, "remains", "remain");
                write!(
                    f,
                    "{family} announces {n} {unit} but {remaining} {} {verb}",
                    plural(remaining as u64, "octet", "octets")
                )
            }
            Detail::ReservedTag(tag) => write!(f, "tag {tag:02x} is reserved"),
            Detail::IntTooLong { form, value, fits } => match value {
                Some(v) => write!(f, "{form} holds {v}, which fits {fits}"),
                None => write!(
                    f,
                    "{form} has a redundant sign octet: the value fits {fits}"
                ),
            },
            Detail::LengthTooSmall { family, width, n } => {
                let unit = if family.counts_octets() {
                    plural(n, "octet", "octets")
                } else {
                    plural(n, "item", "items")
                };
                let shorter = match (family, width) {
                    (Family::BigInt, 1) => "INT1 … INT8 or a FIXINT".to_string(),
                    (Family::Str, 1) => "FIXSTR".to_string(),
                    (Family::Bytes, 1) => "FIXBYTES".to_string(),
                    (Family::Tuple, 1) => "FIXTUPLE".to_string(),
                    (_, w) => format!("a {}-octet length field", w / 2),
                };
                write!(
                    f,
                    "{} with a {width}-octet length field holds {n} {unit}, which fits {shorter}",
                    family.name()
                )
            }
            Detail::SstrWithoutSurrogate => {
                f.write_str("SSTR payload holds no surrogate, so the str belongs in FIXSTR/STR")
            }
            Detail::InvalidUtf8 { generalized: false } => {
                f.write_str("str payload is not well-formed UTF-8")
            }
            Detail::InvalidUtf8 { generalized: true } => {
                f.write_str("SSTR payload is not well-formed generalized UTF-8")
            }
            Detail::DepthExceeded { max_depth } => {
                write!(
                    f,
                    "a tuple at level {} exceeds the depth limit {max_depth}",
                    (max_depth as u128).saturating_add(1)
                )
            }
            Detail::TrailingBytes { count } => {
                write!(
                    f,
                    "{count} {} the value",
                    plural(count as u64, "octet follows", "octets follow")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "truncated",
                "unknown_tag",
                "non_canonical",
                "invalid_utf8",
                "depth_exceeded",
                "trailing_bytes"
            ]
        );
        for kind in ErrorKind::ALL {
            assert_eq!(kind.as_str().parse::<ErrorKind>(), Ok(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!("Truncated".parse::<ErrorKind>(), Err(UnknownErrorKind));
    }

    #[test]
    fn display_is_kind_offset_detail() {
        let err = Error::new(
            3,
            Detail::IntTooLong {
                form: IntForm::Int(2),
                value: Some(100),
                fits: IntForm::Fix,
            },
        );
        assert_eq!(
            err.to_string(),
            "non_canonical at offset 3: INT2 holds 100, which fits FIXINT"
        );
        let err = Error::new(
            9,
            Detail::CountExceedsInput {
                family: "STR",
                n: 255,
                items: false,
                remaining: 0,
            },
        );
        assert_eq!(
            err.to_string(),
            "truncated at offset 9: STR announces 255 octets but 0 octets remain"
        );
        let err = Error::new(
            2,
            Detail::CountExceedsInput {
                family: "FIXTUPLE",
                n: 2,
                items: true,
                remaining: 1,
            },
        );
        assert_eq!(
            err.detail().to_string(),
            "FIXTUPLE announces 2 items but 1 octet remains"
        );
        let err = Error::new(
            0,
            Detail::LengthTooSmall {
                family: Family::Tuple,
                width: 2,
                n: 5,
            },
        );
        assert_eq!(
            err.detail().to_string(),
            "TUPLE with a 2-octet length field holds 5 items, which fits a 1-octet length field"
        );
        let err = Error::new(1000, Detail::DepthExceeded { max_depth: 1000 });
        assert_eq!(
            err.to_string(),
            "depth_exceeded at offset 1000: a tuple at level 1001 exceeds the depth limit 1000"
        );
    }

    #[test]
    fn every_detail_names_its_kind() {
        let cases = [
            (Detail::MissingTag, ErrorKind::Truncated),
            (
                Detail::FixedPartCut {
                    what: FixedPart::Float,
                    needed: 8,
                    present: 2,
                },
                ErrorKind::Truncated,
            ),
            (Detail::ReservedTag(0xe0), ErrorKind::UnknownTag),
            (Detail::SstrWithoutSurrogate, ErrorKind::NonCanonical),
            (
                Detail::InvalidUtf8 { generalized: true },
                ErrorKind::InvalidUtf8,
            ),
            (
                Detail::DepthExceeded { max_depth: 0 },
                ErrorKind::DepthExceeded,
            ),
            (Detail::TrailingBytes { count: 2 }, ErrorKind::TrailingBytes),
        ];
        for (detail, kind) in cases {
            assert_eq!(Error::new(0, detail).kind(), kind);
        }
    }
}
