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
    ///
    /// Cold and out of line, like every constructor of a failure: the per-item path only
    /// branches to them.
    #[cold]
    #[inline(never)]
    fn at(rest: &[u8], detail: Detail) -> nom::Err<Fail> {
        nom::Err::Failure(Fail {
            rest: rest.len(),
            detail,
        })
    }

    /// `truncated`, which the spec always reports at the input's length (`rest` is empty).
    #[cold]
    #[inline(never)]
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
        _ => Err(count_exceeds_input(rest, n, family, items)),
    }
}

/// The `truncated` error of [`within_input`].
#[cold]
#[inline(never)]
fn count_exceeds_input(rest: &[u8], n: u64, family: &'static str, items: bool) -> nom::Err<Fail> {
    Fail::truncated(Detail::CountExceedsInput {
        family,
        n,
        items,
        remaining: rest.len(),
    })
}

/// A fixed part of `needed` octets cut short: `truncated`, with `present` octets left.
#[cold]
#[inline(never)]
fn fixed_part_cut(what: FixedPart, needed: usize, present: usize) -> nom::Err<Fail> {
    Fail::truncated(Detail::FixedPartCut {
        what,
        needed,
        present,
    })
}

/// INT*k* (steps 4, 5): `k` octets of two's complement, never a redundant sign octet, and
/// an INT1 never in −16 … 127.
///
/// Plain slice reads, not nom's `take` and a copy: this runs for most ints of real data, and
/// when at least 8 octets follow the tag (the usual case: more items, or a long input) the
/// value is one unaligned 8-octet load, shifted to keep its `k` low octets with their sign.
/// nom offers no such read, and the copy it implies measured slower (see `int.rs`).
// Always inlined: left to itself the compiler kept it out of line, and the call with its
// result passed through memory cost more than the body.
#[inline(always)]
fn int_k<'a>(at_tag: &'a [u8], input: &'a [u8], k: usize) -> PResult<'a, i64> {
    let value = match input.first_chunk::<8>() {
        Some(word) => int::sign_extend_low(u64::from_le_bytes(*word), k),
        None if input.len() >= k => int::sign_extend_i64(&input[..k]),
        None => return Err(fixed_part_cut(FixedPart::Int(k), k, input.len())),
    };
    // Canonical iff minbytes(value) = k, and for k = 1 the value is outside FIXINT's range
    // (from k = 2 on, minbytes = k already puts it outside −128 … 127).
    let canonical = if k == 1 {
        !(-16..=127).contains(&value)
    } else {
        int::minbytes_i64(value) == k
    };
    if !canonical {
        return Err(int_too_long(at_tag, k, value));
    }
    Ok((&input[k..], value))
}

/// The `non_canonical` error of an INT*k* holding `value`.
#[cold]
#[inline(never)]
fn int_too_long(at_tag: &[u8], k: usize, value: i64) -> nom::Err<Fail> {
    Fail::at(
        at_tag,
        Detail::IntTooLong {
            form: IntForm::Int(k),
            value: Some(value),
            fits: IntForm::canonical(int::minbytes_i64(value), Some(value)),
        },
    )
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
#[inline]
fn str_payload(input: &[u8], n: usize) -> PResult<'_, Event<'_>> {
    let (octets, rest) = input.split_at(n);
    match utf8::validate(octets) {
        Ok(text) => Ok((rest, Event::Str(text))),
        Err(valid) => Err(invalid_utf8(&input[valid..], false)),
    }
}

/// The `invalid_utf8` error at the end of the longest valid prefix.
#[cold]
#[inline(never)]
fn invalid_utf8(rest: &[u8], generalized: bool) -> nom::Err<Fail> {
    Fail::at(rest, Detail::InvalidUtf8 { generalized })
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
        Err(valid) => Err(invalid_utf8(&input[valid..], true)),
    }
}

/// One item of spec §6 `read_item`, standing at `level` under a depth limit `max_depth`:
/// a complete leaf, or a tuple's header as [`Event::TupleStart`] (its items are the next
/// items the caller reads).
///
/// One `match` on the tag does steps 2 – 7: for any one tag at most one of steps 2 (reserved)
/// and 3 (depth) can apply, and each arm runs them before reading anything past the tag, so
/// the order of §6 holds without testing every tag against every range first.
///
/// The tag, the FLOAT bits and short payloads are plain slice reads rather than nom
/// combinators: they run once per item, and a single bounds check with the error branch out
/// of line measured fewer instructions per event than nom's complete parsers with their
/// error mapped afterwards. Length fields (only before payloads of 16 octets or more) and
/// the long payloads go through nom.
#[inline]
pub(crate) fn item(input: &[u8], level: usize, max_depth: usize) -> PResult<'_, Event<'_>> {
    let at_tag = input;
    // Step 1.
    let Some((&t, input)) = input.split_first() else {
        return Err(Fail::truncated(Detail::MissingTag));
    };
    match t {
        0x00..=0x7f => Ok((input, Event::Int(i64::from(t)))),
        0x80..=0x9f => {
            let n = within_input(input, u64::from(t - tag::FIXSTR), "FIXSTR", false)?;
            str_payload(input, n)
        }
        0xa0..=0xaf => {
            let n = within_input(input, u64::from(t - tag::FIXBYTES), "FIXBYTES", false)?;
            let (octets, rest) = input.split_at(n);
            Ok((rest, Event::Bytes(octets)))
        }
        0xb0..=0xbf => {
            // Step 3, before anything else is read: level + 1 > D, written so it cannot
            // overflow.
            if level >= max_depth {
                return Err(depth_exceeded(at_tag, max_depth));
            }
            let n = within_input(input, u64::from(t - tag::FIXTUPLE), "FIXTUPLE", true)?;
            Ok((input, Event::TupleStart(n)))
        }
        tag::NONE => Ok((input, Event::None)),
        tag::FALSE => Ok((input, Event::Bool(false))),
        tag::TRUE => Ok((input, Event::Bool(true))),
        tag::FLOAT => match input.first_chunk::<8>() {
            Some(bits) => Ok((
                &input[8..],
                Event::Float(f64::from_bits(u64::from_le_bytes(*bits))),
            )),
            None => Err(fixed_part_cut(FixedPart::Float, 8, input.len())),
        },
        0xc4..=0xcb => {
            let (rest, value) = int_k(at_tag, input, usize::from(t - tag::INT_BASE))?;
            Ok((rest, Event::Int(value)))
        }
        // Step 2 (0xe0 ..= 0xef).
        _ if tag::is_reserved(t) => Err(Fail::at(at_tag, Detail::ReservedTag(t))),
        0xf0..=0xff => Ok((input, Event::Int(i64::from(t as i8)))),
        // 0xcc ..= 0xdf: the prefixed families.
        _ => prefixed_item(at_tag, input, t, level, max_depth),
    }
}

/// Steps 3 – 7 for a tag with a length field (BIGINT, STR, BYTES, TUPLE, SSTR).
fn prefixed_item<'a>(
    at_tag: &'a [u8],
    input: &'a [u8],
    t: u8,
    level: usize,
    max_depth: usize,
) -> PResult<'a, Event<'a>> {
    let Some((family, width)) = Family::of_tag(t) else {
        unreachable!("tag {t:02x} is covered by the arms of `item`")
    };
    // Step 3, before the length field is read.
    if family == Family::Tuple && level >= max_depth {
        return Err(depth_exceeded(at_tag, max_depth));
    }
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

/// The `depth_exceeded` error of a tuple tag at `at_tag`.
#[cold]
#[inline(never)]
fn depth_exceeded(at_tag: &[u8], max_depth: usize) -> nom::Err<Fail> {
    Fail::at(at_tag, Detail::DepthExceeded { max_depth })
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
    fn ints_read_the_same_at_the_end_of_the_input_and_before_more_octets() {
        // INTk is read with one 8-octet load when 8 octets follow its tag and octet by octet
        // otherwise: both must give the same value and the same canonical verdict.
        for k in 1..=8usize {
            let lo = if k == 1 { -128 } else { -(1i128 << (8 * k - 1)) };
            let hi = (1i128 << (8 * k - 1)) - 1;
            let values = [lo, lo + 1, -17, -16, -1, 0, 127, 128, hi - 1, hi];
            for v in values.into_iter().filter(|v| (lo..=hi).contains(v)) {
                let mut input = vec![0xc3 + k as u8];
                input.extend_from_slice(&(v as i64).to_le_bytes()[..k]);
                let input = input;
                let canonical = !(-16..=127).contains(&v) && int::minbytes_i64(v as i64) == k;
                let mut longer = input.clone();
                longer.extend_from_slice(&[0xa5; 9]);
                let at_end = parse(&input);
                let before_more = parse(&longer);
                if canonical {
                    assert_eq!(at_end, Ok((1 + k, Event::Int(v as i64))), "INT{k} {v}");
                    assert_eq!(before_more, Ok((1 + k, Event::Int(v as i64))), "INT{k} {v}");
                } else {
                    let expected = (ErrorKind::NonCanonical, 0);
                    let (kind, offset, detail) = at_end.unwrap_err();
                    assert_eq!((kind, offset), expected, "INT{k} {v}");
                    assert!(detail.starts_with(&format!("INT{k} holds {v}, which fits")));
                    let (kind, offset, again) = before_more.unwrap_err();
                    assert_eq!((kind, offset, again), (expected.0, expected.1, detail));
                }
            }
            // Cut short: truncated at the input's end, whatever octets there are.
            let input = vec![0xc3 + k as u8; k];
            assert_eq!(
                parse(&input).unwrap_err(),
                (
                    ErrorKind::Truncated,
                    k,
                    format!(
                        "INT{k} needs {k} octets after its tag, {} present",
                        k - 1
                    )
                )
            );
        }
    }

    #[test]
    fn floats_keep_their_bits_and_need_eight_octets() {
        let bits = 0x7ff8_0000_0000_0001u64;
        let mut input = vec![0xc3];
        input.extend_from_slice(&bits.to_le_bytes());
        let Ok((9, Event::Float(x))) = parse(&input) else {
            panic!("FLOAT did not parse")
        };
        assert_eq!(x.to_bits(), bits);
        assert_eq!(
            parse(&input[..8]).unwrap_err(),
            (
                ErrorKind::Truncated,
                8,
                "FLOAT needs 8 octets after its tag, 7 present".into()
            )
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
