//! nom parsers for one item's tag, fixed part, length field and payload: spec §6 steps 1–7,
//! less the descent into a tuple's items (the [`Reader`](super::Reader) does that, without
//! recursion).
//!
//! Every parser takes the *rest of the whole input* from the item's position on, so the
//! absolute offset of any point is `L − rest.len()`. The custom nom error [`Fail`] records
//! that remaining length and the spec's detail; the reader turns it into an [`Error`] with
//! an absolute offset. The checks run in exactly the order §6 lists them, because when an
//! input has several problems the first one met is the one reported.

use nom::bytes::complete::take;
use nom::error::{ErrorKind as NomErrorKind, ParseError};
use nom::number::complete::{le_u16, le_u32, le_u64, le_u8};
use nom::{IResult, Parser};

use super::Event;
use crate::error::{Detail, Error, FixedPart, IntForm};
use crate::int;
use crate::tag::{self, Family};
use crate::text::{generalized, utf8};
use crate::value::{BigInt, SurrogateStr};

/// A failed parse: the spec's detail, and where it happened as the length of the input
/// that remained at that point.
#[derive(Debug)]
pub(crate) struct Fail {
    rest: usize,
    detail: Detail,
}

impl Fail {
    /// A failure at the point where `rest` octets of the input remained.
    fn at(rest: &[u8], detail: Detail) -> nom::Err<Fail> {
        nom::Err::Failure(Fail {
            rest: rest.len(),
            detail,
        })
    }

    /// `truncated`, which the spec always reports at the input's length (`rest` is empty).
    fn truncated(detail: Detail) -> nom::Err<Fail> {
        nom::Err::Failure(Fail { rest: 0, detail })
    }

    /// The public error, given the whole input's length.
    pub(crate) fn into_error(self, input_len: usize) -> Error {
        Error::new(input_len - self.rest, self.detail)
    }
}

impl ParseError<&[u8]> for Fail {
    /// nom's own parsers used here (`take`, `le_u*`, complete versions) fail only when the
    /// input ends early; every call site replaces this placeholder detail with a precise one.
    fn from_error_kind(_input: &[u8], kind: NomErrorKind) -> Self {
        debug_assert_eq!(kind, NomErrorKind::Eof);
        Fail {
            rest: 0,
            detail: Detail::MissingTag,
        }
    }

    fn append(_input: &[u8], _kind: NomErrorKind, other: Self) -> Self {
        other
    }
}

/// A parse result over the rest of the whole input.
pub(crate) type PResult<'a, T> = IResult<&'a [u8], T, Fail>;

/// Turns a complete parser's end-of-input error into `truncated` with `detail`.
fn or_truncated<'a, T>(result: PResult<'a, T>, detail: impl FnOnce() -> Detail) -> PResult<'a, T> {
    result.map_err(|_| Fail::truncated(detail()))
}

/// Reads a fixed part of `needed` octets (step 4): the octets are there, or the input is
/// `truncated`.
fn fixed(input: &[u8], needed: usize, what: FixedPart) -> PResult<'_, &[u8]> {
    let present = input.len();
    or_truncated(take(needed).parse(input), || Detail::FixedPartCut {
        what,
        needed,
        present,
    })
}

/// Reads a `width`-octet little-endian length field.
fn length_field(input: &[u8], family: Family, width: usize) -> PResult<'_, u64> {
    let present = input.len();
    let result = match width {
        1 => le_u8.map(u64::from).parse(input),
        2 => le_u16.map(u64::from).parse(input),
        4 => le_u32.map(u64::from).parse(input),
        _ => le_u64.parse(input),
    };
    or_truncated(result, || Detail::FixedPartCut {
        what: FixedPart::LengthField(family),
        needed: width,
        present,
    })
}

/// Step 6: a length or count `n` against the octets that remain after the header. For a
/// tuple this bounds the item count too, since each item takes at least one octet; it runs
/// before anything is reserved for the payload or the items.
fn within_input(
    rest: &[u8],
    n: u64,
    family: &'static str,
    items: bool,
) -> Result<usize, nom::Err<Fail>> {
    match usize::try_from(n) {
        Ok(n) if n <= rest.len() => Ok(n),
        _ => Err(Fail::truncated(Detail::CountExceedsInput {
            family,
            n,
            items,
            remaining: rest.len(),
        })),
    }
}

/// INT*k* (steps 4, 5): `k` octets of two's complement, never a redundant sign octet, and
/// an INT1 never in −16 … 127.
fn int_k<'a>(at_tag: &'a [u8], input: &'a [u8], k: usize) -> PResult<'a, i64> {
    let (rest, octets) = fixed(input, k, FixedPart::Int(k))?;
    let value = int::sign_extend_i64(octets);
    let minimal = int::minbytes_i64(value);
    let fits = IntForm::canonical(minimal, Some(value));
    if fits != IntForm::Int(k) {
        return Err(Fail::at(
            at_tag,
            Detail::IntTooLong {
                form: IntForm::Int(k),
                value: Some(value),
                fits,
            },
        ));
    }
    Ok((rest, value))
}

/// A prefixed header (steps 4, 5, 6): the length field, its canonical minimum, and the
/// length against the input.
fn prefixed<'a>(
    at_tag: &'a [u8],
    input: &'a [u8],
    family: Family,
    width: usize,
) -> PResult<'a, usize> {
    let (rest, n) = length_field(input, family, width)?;
    if n < tag::min_len(family, width) {
        return Err(Fail::at(
            at_tag,
            Detail::LengthTooSmall { family, width, n },
        ));
    }
    let n = within_input(rest, n, family.name(), !family.counts_octets())?;
    Ok((rest, n))
}

/// Step 7 for BIGINT: `n` (≥ 9) octets of two's complement without a redundant sign octet.
fn bigint_payload<'a>(at_tag: &'a [u8], input: &'a [u8], n: usize) -> PResult<'a, Event<'a>> {
    let (rest, octets) = take(n).parse(input)?;
    if int::has_redundant_sign_octet(octets) {
        let minimal = int::minimal_len(octets);
        let value = (minimal <= 8).then(|| int::sign_extend_i64(&octets[..minimal]));
        let fits = IntForm::canonical(minimal, value);
        return Err(Fail::at(
            at_tag,
            Detail::IntTooLong {
                form: IntForm::Big(n),
                value: None,
                fits,
            },
        ));
    }
    Ok((
        rest,
        Event::BigInt(BigInt::from_canonical_unchecked(octets)),
    ))
}

/// Step 7 for FIXSTR and STR: strict UTF-8, `invalid_utf8` at the end of the longest valid
/// prefix.
fn str_payload(input: &[u8], n: usize) -> PResult<'_, Event<'_>> {
    let (rest, octets) = take(n).parse(input)?;
    match utf8::validate(octets) {
        Ok(text) => Ok((rest, Event::Str(text))),
        Err(valid) => Err(Fail::at(
            &input[valid..],
            Detail::InvalidUtf8 { generalized: false },
        )),
    }
}

/// Step 7 for SSTR: generalized UTF-8 first, then at least one surrogate.
fn sstr_payload<'a>(at_tag: &'a [u8], input: &'a [u8], n: usize) -> PResult<'a, Event<'a>> {
    let (rest, octets) = take(n).parse(input)?;
    match generalized::validate(octets) {
        Ok(true) => Ok((
            rest,
            Event::SurrogateStr(SurrogateStr::from_validated_unchecked(octets)),
        )),
        Ok(false) => Err(Fail::at(at_tag, Detail::SstrWithoutSurrogate)),
        Err(valid) => Err(Fail::at(
            &input[valid..],
            Detail::InvalidUtf8 { generalized: true },
        )),
    }
}

/// One item of spec §6 `read_item`, standing at `level` under a depth limit `max_depth`:
/// a complete leaf, or a tuple's header as [`Event::TupleStart`] (its items are the next
/// items the caller reads).
pub(crate) fn item(input: &[u8], level: usize, max_depth: usize) -> PResult<'_, Event<'_>> {
    let at_tag = input;
    // Step 1.
    let (input, t) = or_truncated(le_u8(input), || Detail::MissingTag)?;
    // Step 2.
    if tag::is_reserved(t) {
        return Err(Fail::at(at_tag, Detail::ReservedTag(t)));
    }
    // Step 3, before the length field is read: level + 1 > D, written so it cannot overflow.
    let is_tuple =
        matches!(t, 0xb0..=0xbf) || Family::of_tag(t).is_some_and(|(f, _)| f == Family::Tuple);
    if is_tuple && level >= max_depth {
        return Err(Fail::at(at_tag, Detail::DepthExceeded { max_depth }));
    }
    // Steps 4–7 by tag.
    match t {
        0x00..=0x7f => Ok((input, Event::Int(i64::from(t)))),
        0xf0..=0xff => Ok((input, Event::Int(i64::from(t as i8)))),
        tag::NONE => Ok((input, Event::None)),
        tag::FALSE => Ok((input, Event::Bool(false))),
        tag::TRUE => Ok((input, Event::Bool(true))),
        tag::FLOAT => {
            let present = input.len();
            let (rest, bits) = or_truncated(le_u64(input), || Detail::FixedPartCut {
                what: FixedPart::Float,
                needed: 8,
                present,
            })?;
            Ok((rest, Event::Float(f64::from_bits(bits))))
        }
        0xc4..=0xcb => {
            let (rest, value) = int_k(at_tag, input, usize::from(t - tag::INT_BASE))?;
            Ok((rest, Event::Int(value)))
        }
        0x80..=0x9f => {
            let n = within_input(input, u64::from(t - tag::FIXSTR), "FIXSTR", false)?;
            str_payload(input, n)
        }
        0xa0..=0xaf => {
            let n = within_input(input, u64::from(t - tag::FIXBYTES), "FIXBYTES", false)?;
            let (rest, octets) = take(n).parse(input)?;
            Ok((rest, Event::Bytes(octets)))
        }
        0xb0..=0xbf => {
            let n = within_input(input, u64::from(t - tag::FIXTUPLE), "FIXTUPLE", true)?;
            Ok((input, Event::TupleStart(n)))
        }
        _ => {
            let Some((family, width)) = Family::of_tag(t) else {
                unreachable!("tag {t:02x} is covered by the arms above")
            };
            let (rest, n) = prefixed(at_tag, input, family, width)?;
            match family {
                Family::BigInt => bigint_payload(at_tag, rest, n),
                Family::Str => str_payload(rest, n),
                Family::SStr => sstr_payload(at_tag, rest, n),
                Family::Bytes => {
                    let (rest, octets) = take(n).parse(rest)?;
                    Ok((rest, Event::Bytes(octets)))
                }
                Family::Tuple => Ok((rest, Event::TupleStart(n))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// Parses one item at `level` under depth limit `max_depth`: where it ended, or the error
    /// as (kind, offset, detail).
    fn parse_at(
        input: &[u8],
        level: usize,
        max_depth: usize,
    ) -> Result<(usize, Event<'_>), (ErrorKind, usize, String)> {
        match item(input, level, max_depth) {
            Ok((rest, event)) => Ok((input.len() - rest.len(), event)),
            Err(nom::Err::Failure(fail) | nom::Err::Error(fail)) => {
                let err = fail.into_error(input.len());
                let detail = err.detail().to_string();
                Err((err.kind(), err.offset(), detail))
            }
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
        }
    }

    fn parse(input: &[u8]) -> Result<(usize, Event<'_>), (ErrorKind, usize, String)> {
        parse_at(input, 0, 1000)
    }

    #[test]
    fn leaves_parse_to_their_events() {
        assert_eq!(parse(b"\x05rest").unwrap(), (1, Event::Int(5)));
        assert_eq!(parse(b"\xf0").unwrap(), (1, Event::Int(-16)));
        assert_eq!(parse(b"\xc4\xef").unwrap(), (2, Event::Int(-17)));
        assert_eq!(parse(b"\xc5\xff\x00").unwrap(), (3, Event::Int(255)));
        assert_eq!(parse(b"\xc2").unwrap(), (1, Event::Bool(true)));
        assert_eq!(parse(b"\x81a").unwrap(), (2, Event::Str("a")));
        assert_eq!(
            parse(b"\xa2\x00\xff").unwrap(),
            (3, Event::Bytes(b"\x00\xff"))
        );
        assert_eq!(
            parse(b"\xb3\xc2\xc1\xc0").unwrap(),
            (1, Event::TupleStart(3))
        );
    }

    #[test]
    fn fixed_parts_cut_short_are_truncated_at_the_end() {
        assert_eq!(
            parse(b"").unwrap_err(),
            (
                ErrorKind::Truncated,
                0,
                "the input ends where a value's tag should be".into()
            )
        );
        let kind_offset = |input: &[u8]| {
            let (kind, offset, _) = parse(input).unwrap_err();
            (kind, offset)
        };
        assert_eq!(kind_offset(b"\xc3\x00\x00"), (ErrorKind::Truncated, 3));
        assert_eq!(kind_offset(b"\xc6\x00"), (ErrorKind::Truncated, 2));
        assert_eq!(
            parse(b"\xd1\x00").unwrap_err(),
            (
                ErrorKind::Truncated,
                2,
                "the length field of STR needs 2 octets after its tag, 1 present".into()
            )
        );
    }

    #[test]
    fn canonical_checks_report_at_the_tag() {
        assert_eq!(
            parse(b"\xc4\x05").unwrap_err(),
            (
                ErrorKind::NonCanonical,
                0,
                "INT1 holds 5, which fits FIXINT".into()
            )
        );
        assert_eq!(
            parse(b"\xc6\x80\x00\x00").unwrap_err(),
            (
                ErrorKind::NonCanonical,
                0,
                "INT3 holds 128, which fits INT2".into()
            )
        );
        assert_eq!(
            parse(b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\x7f\x00").unwrap_err(),
            (
                ErrorKind::NonCanonical,
                0,
                "BIGINT of 9 octets has a redundant sign octet: the value fits INT8".into()
            )
        );
        assert_eq!(
            parse(b"\xcc\x01\x01").unwrap_err().0,
            ErrorKind::NonCanonical
        );
        assert_eq!(parse(b"\xdc\x01a").unwrap_err().0, ErrorKind::NonCanonical);
    }

    #[test]
    fn length_checks_come_before_payload_checks() {
        // Step 5 (length minimum) before step 6 (length against input), spec X13.
        assert_eq!(
            parse(b"\xd8\x05\x01").unwrap_err().0,
            ErrorKind::NonCanonical
        );
        // Step 6 before step 7, spec X11.
        assert_eq!(
            parse(b"\xb2\xe0").unwrap_err(),
            (
                ErrorKind::Truncated,
                2,
                "FIXTUPLE announces 2 items but 1 octet remains".into()
            )
        );
        // A 2^64 − 1 length is canonical in an 8-octet field and truncated, spec X9.
        let (kind, offset, _) = parse(b"\xd3\xff\xff\xff\xff\xff\xff\xff\xff").unwrap_err();
        assert_eq!((kind, offset), (ErrorKind::Truncated, 9));
    }

    #[test]
    fn utf8_errors_point_past_the_valid_prefix() {
        assert_eq!(parse(b"\x84a\xf0\x9f\x98").unwrap_err().1, 2);
        assert_eq!(parse(b"\xdc\x04\xed\xa0\x80\xff").unwrap_err().1, 5);
        assert_eq!(
            parse(b"\xdc\x01\xff").unwrap_err().0,
            ErrorKind::InvalidUtf8
        );
    }

    #[test]
    fn depth_is_checked_before_the_length_field() {
        // The TUPLE tag's 8-octet length field is missing, but the depth check comes first.
        let (kind, offset, detail) = parse_at(b"\xdb", 5, 5).unwrap_err();
        assert_eq!((kind, offset), (ErrorKind::DepthExceeded, 0));
        assert_eq!(detail, "a tuple at level 6 exceeds the depth limit 5");
        assert!(parse_at(b"\xb0", 4, 5).is_ok());
        // Only tuples are limited.
        assert!(parse_at(b"\xc0", 5, 5).is_ok());
    }
}
