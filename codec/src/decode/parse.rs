//! The grammar of spec §6 for one item: its tag, fixed part, length field and payload (steps
//! 1–7, less the descent into a tuple's items, which each client does its own way, without
//! recursion). This is the one place the tag table, the canonical checks and their order
//! live; the [`Reader`](super::Reader), the value builders and the serde `Deserializer` all
//! read items through [`Cursor::item`].
//!
//! The checks run in exactly the order §6 lists them, because when an input has several
//! problems the first one met is the one reported. Errors are built here, with their absolute
//! offsets, by cold out-of-line constructors: the per-item path only branches to them, and
//! passes back a `Result<Event, Error>` that is as small as an `Event` (the error is one
//! pointer).
//!
//! Fixed-width parts (the tag, FLOAT bits, INT*k*, short payloads) are plain slice reads: they
//! run once per item, and one bounds check with the error branch out of line measured fewer
//! instructions than a parser combinator with its error mapped afterwards. The length fields
//! of the prefixed families are nom's little-endian number parsers.
//!
//! Nothing here can panic, whatever the input: every read is a checked slice operation and
//! every length is compared with the octets that remain before it is used (the crate lints
//! this module with `clippy::indexing_slicing`, `unwrap_used`, `panic` and friends).

use nom::number::complete::{le_u16, le_u32, le_u64, le_u8};

use super::Event;
use crate::error::{Detail, Error, FixedPart, IntForm};
use crate::int;
use crate::tag::{self, Family};
use crate::text::{generalized, utf8};
use crate::value::{BigInt, SurrogateStr};

/// What an item becomes: the grammar ([`Cursor::item_into`]) hands each item it reads to one
/// method of a sink, so that every client builds its own representation straight from the
/// parse — a [`Value`] node, a Python object, the one type a serde call asked for, an
/// [`Event`] — without an intermediate value to take apart again.
///
/// Only [`event`](Sink::event) must be written; each other method defaults to it. A sink for
/// a representation of its own writes every method, so that no `Event` is made.
///
/// ```
/// use frozenpack::{Cursor, Event, Sink};
/// /// Whether an item is an int.
/// struct IsInt;
/// impl<'de> Sink<'de> for IsInt {
///     type Out = bool;
///     fn event(&mut self, event: Event<'de>) -> bool {
///         matches!(event, Event::Int(_) | Event::BigInt(_))
///     }
/// }
/// let mut cursor = Cursor::new(b"\xc5\xe8\x03\x80", 0).unwrap();
/// assert!(cursor.item_into(0, 1000, &mut IsInt)?);
/// assert!(!cursor.item_into(0, 1000, &mut IsInt)?);
/// assert!(cursor.is_at_end());
/// # Ok::<(), frozenpack::Error>(())
/// ```
///
/// [`Value`]: crate::Value
pub trait Sink<'de> {
    /// What the sink makes of an item.
    type Out;
    /// Any item the sink has no method of its own for, as its event (a sink that wants one
    /// kind of item implements that kind's method and this one).
    fn event(&mut self, event: Event<'de>) -> Self::Out;
    /// None.
    #[inline(always)]
    fn none(&mut self) -> Self::Out {
        self.event(Event::None)
    }
    /// A bool.
    #[inline(always)]
    fn bool(&mut self, b: bool) -> Self::Out {
        self.event(Event::Bool(b))
    }
    /// An int in the `i64` range (every FIXINT, NEGFIXINT, INT*k*).
    #[inline(always)]
    fn int(&mut self, v: i64) -> Self::Out {
        self.event(Event::Int(v))
    }
    /// An int outside the `i64` range, canonical.
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Self::Out {
        self.event(Event::BigInt(big))
    }
    /// A float (its bits as they were encoded).
    #[inline(always)]
    fn float(&mut self, x: f64) -> Self::Out {
        self.event(Event::Float(x))
    }
    /// A str without surrogates (FIXSTR/STR), validated UTF-8.
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> Self::Out {
        self.event(Event::Str(s))
    }
    /// A str with surrogates (SSTR), validated generalized UTF-8.
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Self::Out {
        self.event(Event::SurrogateStr(s))
    }
    /// A bytes payload.
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> Self::Out {
        self.event(Event::Bytes(b))
    }
    /// A tuple of `n` items starts: its items are the next items read (at one level more;
    /// the caller keeps count of them, as [`Cursor::item_into`] reads one item at a time).
    #[inline(always)]
    fn tuple(&mut self, n: usize) -> Self::Out {
        self.event(Event::TupleStart(n))
    }
}

/// The sink of [`Cursor::item`]: every item as its [`Event`].
pub(crate) struct Events;

impl<'de> Sink<'de> for Events {
    type Out = Event<'de>;
    #[inline(always)]
    fn event(&mut self, event: Event<'de>) -> Event<'de> {
        event
    }
}

/// An item of a prefixed family, as the out-of-line [`Cursor::prefixed`] returns it.
enum Prefixed<'de> {
    BigInt(BigInt<&'de [u8]>),
    Str(&'de str),
    Bytes(&'de [u8]),
    Tuple(usize),
    SStr(SurrogateStr<&'de [u8]>),
}

impl<'de> Prefixed<'de> {
    #[inline(always)]
    fn into_sink<S: Sink<'de>>(self, sink: &mut S) -> S::Out {
        match self {
            Prefixed::BigInt(big) => sink.bigint(big),
            Prefixed::Str(s) => sink.str(s),
            Prefixed::Bytes(b) => sink.bytes(b),
            Prefixed::Tuple(n) => sink.tuple(n),
            Prefixed::SStr(s) => sink.surrogate_str(s),
        }
    }
}

/// A position in an input, from which items are read one at a time: the grammar of spec §6
/// (every check, in its order, with its error kind and offset), one item per call of
/// [`item_into`](Cursor::item_into), for decoders that keep their own stack of open tuples
/// (the crate's value builders, serde, the Python extension). [`Reader`](crate::Reader) is
/// the same grammar with the stack kept for you.
///
/// `rest` is always a suffix of `input`, so the absolute offset of the next octet is
/// `input.len() − rest.len()`; keeping the rest rather than an index means a read needs one
/// bounds check against `rest` and no offset arithmetic.
#[derive(Clone, Debug)]
pub struct Cursor<'de> {
    input: &'de [u8],
    rest: &'de [u8],
}

impl<'de> Cursor<'de> {
    /// A cursor at `offset` of `input`, or `None` if `offset` is past its end. Error offsets
    /// count from the start of `input`.
    pub fn new(input: &'de [u8], offset: usize) -> Option<Self> {
        let rest = input.get(offset..)?;
        Some(Cursor { input, rest })
    }

    /// The whole input.
    pub(crate) fn input(&self) -> &'de [u8] {
        self.input
    }

    /// The input from the next octet on.
    pub(crate) fn rest(&self) -> &'de [u8] {
        self.rest
    }

    /// The absolute offset of the next octet (`rest` is a suffix of `input`, so this never
    /// saturates).
    #[inline]
    pub fn offset(&self) -> usize {
        self.input.len().saturating_sub(self.rest.len())
    }

    /// Whether every octet has been read.
    #[inline]
    pub fn is_at_end(&self) -> bool {
        self.rest.is_empty()
    }

    /// Reads the next item if it is none, and says whether it was. (A NONE tag is a whole
    /// item: no step of §6 past the first applies to it, so this is all of the grammar for
    /// it, for `Option`s that need not read anything else.)
    #[inline(always)]
    pub(crate) fn none(&mut self) -> bool {
        match self.rest.split_first() {
            Some((&tag::NONE, rest)) => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    /// Reads one item standing at `level` under the depth limit `max_depth` (spec §6
    /// `read_item`): a complete leaf, or a tuple's header as [`Event::TupleStart`] (its items
    /// are the next items read). Never [`Event::TupleEnd`]. On an error the cursor has not
    /// moved.
    #[inline(always)]
    pub(crate) fn item(&mut self, level: usize, max_depth: usize) -> Result<Event<'de>, Error> {
        self.item_into(level, max_depth, &mut Events)
    }

    /// Reads one item standing inside `level` open tuples under the depth limit `max_depth`
    /// (spec §6 `read_item`, less the descent into a tuple's items) and hands it to `sink`: a
    /// complete leaf, or a tuple's header ([`Sink::tuple`]; its items are the next items
    /// read, at `level + 1`). On an error the cursor has not moved, so [`offset`](Self::offset)
    /// is that of the failing item's tag.
    ///
    /// One `match` on the tag does steps 2 – 7: for any one tag at most one of steps 2
    /// (reserved) and 3 (depth) can apply, and each arm runs them before reading anything past
    /// the tag, so the order of §6 holds without testing every tag against every range first.
    ///
    /// # Errors
    ///
    /// The item's error (kind and offset) as §6 and §7 define it.
    #[inline(always)]
    pub fn item_into<S: Sink<'de>>(
        &mut self,
        level: usize,
        max_depth: usize,
        sink: &mut S,
    ) -> Result<S::Out, Error> {
        // Step 1.
        let Some((&t, after)) = self.rest.split_first() else {
            return Err(self.missing_tag());
        };
        let (out, rest) = match t {
            0x00..=tag::FIXINT_LAST => (sink.int(i64::from(t)), after),
            tag::FIXSTR..=tag::FIXSTR_LAST => {
                // (The arm's range makes every such difference small and never negative.)
                let n = usize::from(t.saturating_sub(tag::FIXSTR));
                let (text, rest) = self.str_payload(after, n, "FIXSTR")?;
                (sink.str(text), rest)
            }
            tag::FIXBYTES..=tag::FIXBYTES_LAST => {
                let n = usize::from(t.saturating_sub(tag::FIXBYTES));
                let Some((octets, rest)) = after.split_at_checked(n) else {
                    return Err(self.count_exceeds("FIXBYTES", n, false, after));
                };
                (sink.bytes(octets), rest)
            }
            tag::FIXTUPLE..=tag::FIXTUPLE_LAST => {
                // Step 3, before anything else is read: level + 1 > D, written so that it
                // cannot overflow.
                if level >= max_depth {
                    return Err(self.depth_exceeded(max_depth));
                }
                // Step 6: each item takes at least one octet.
                let n = usize::from(t.saturating_sub(tag::FIXTUPLE));
                if n > after.len() {
                    return Err(self.count_exceeds("FIXTUPLE", n, true, after));
                }
                (sink.tuple(n), after)
            }
            tag::NONE => (sink.none(), after),
            tag::FALSE => (sink.bool(false), after),
            tag::TRUE => (sink.bool(true), after),
            tag::FLOAT => match after.split_first_chunk::<8>() {
                Some((bits, rest)) => (sink.float(f64::from_bits(u64::from_le_bytes(*bits))), rest),
                None => return Err(self.cut(FixedPart::Float, 8, after)),
            },
            tag::INT1..=tag::INT8 => {
                let k = usize::from(t.saturating_sub(tag::INT_BASE));
                let (value, rest) = self.int_k(after, k)?;
                (sink.int(value), rest)
            }
            tag::PREFIXED_FIRST..=tag::PREFIXED_LAST => {
                return Ok(self.prefixed(t, after, level, max_depth)?.into_sink(sink));
            }
            // Step 2.
            tag::RESERVED_FIRST..=tag::RESERVED_LAST => return Err(self.reserved(t)),
            // The tag read as a signed octet is the value.
            tag::NEGFIXINT_FIRST..=0xff => (sink.int(i64::from(t as i8)), after),
        };
        self.rest = rest;
        Ok(out)
    }

    /// INT*k* (steps 4, 5): `k` octets of two's complement, never a redundant sign octet, and
    /// an INT1 never in −16 … 127.
    ///
    /// When at least 8 octets follow the tag (the usual case: more items, or a long input)
    /// the value is one unaligned 8-octet load, shifted to keep its `k` low octets with their
    /// sign; at the input's end the `k` octets are assembled into a word first.
    // Always inlined: left to itself the compiler kept it out of line, and the call with its
    // result passed through memory cost more than the body.
    #[inline(always)]
    fn int_k(&self, after: &'de [u8], k: usize) -> Result<(i64, &'de [u8]), Error> {
        let Some((octets, rest)) = after.split_at_checked(k) else {
            return Err(self.cut(FixedPart::Int(k), k, after));
        };
        let word = match after.first_chunk::<8>() {
            Some(word) => *word,
            None => {
                let mut word = [0u8; 8];
                word.iter_mut().zip(octets).for_each(|(w, o)| *w = *o);
                word
            }
        };
        let value = int::sign_extend_low(u64::from_le_bytes(word), k);
        // Canonical iff minbytes(value) = k and the value is outside FIXINT's range (from
        // k = 2 on, minbytes = k already puts it outside −128 … 127).
        if int::minbytes_i64(value) != k || (-16..=127).contains(&value) {
            return Err(self.int_too_long(k, value));
        }
        Ok((value, rest))
    }

    /// Step 7 for FIXSTR and STR: strict UTF-8, `invalid_utf8` at the end of the longest
    /// valid prefix; step 6 (the length against the input) first.
    #[inline(always)]
    fn str_payload(
        &self,
        after: &'de [u8],
        n: usize,
        family: &'static str,
    ) -> Result<(&'de str, &'de [u8]), Error> {
        let Some((octets, rest)) = after.split_at_checked(n) else {
            return Err(self.count_exceeds(family, n, false, after));
        };
        match utf8::validate(octets) {
            Ok(text) => Ok((text, rest)),
            Err(valid) => Err(self.invalid_utf8(after, valid, false)),
        }
    }

    /// Steps 3 – 7 for a tag with a length field (BIGINT, STR, BYTES, TUPLE, SSTR). Out of
    /// line: these items carry 16 or more payload octets or items, so the call is cheap next
    /// to them, and keeping it out keeps [`item`](Self::item) small where it is inlined.
    #[inline(never)]
    fn prefixed(
        &mut self,
        t: u8,
        after: &'de [u8],
        level: usize,
        max_depth: usize,
    ) -> Result<Prefixed<'de>, Error> {
        let Some((family, width)) = Family::of_tag(t) else {
            // Not reached: `item` sends only the prefixed range here, all of which has a
            // family. Were the table to change, this is still an error, not a panic.
            return Err(self.reserved(t));
        };
        // Step 3, before the length field is read.
        if family == Family::Tuple && level >= max_depth {
            return Err(self.depth_exceeded(max_depth));
        }
        // Step 4.
        let parsed: nom::IResult<&[u8], u64, ()> = match width {
            1 => le_u8(after).map(|(rest, n)| (rest, u64::from(n))),
            2 => le_u16(after).map(|(rest, n)| (rest, u64::from(n))),
            4 => le_u32(after).map(|(rest, n)| (rest, u64::from(n))),
            _ => le_u64(after),
        };
        let Ok((payload, n)) = parsed else {
            return Err(self.cut(FixedPart::LengthField(family), width, after));
        };
        // Step 5.
        if n < tag::min_len(family, width) {
            return Err(self.at_tag(Detail::LengthTooSmall { family, width, n }));
        }
        // Step 6: a length or count against the octets that remain after the header (for a
        // tuple this bounds the item count, since each item takes at least one octet), before
        // anything is reserved for the payload or the items.
        let within = usize::try_from(n).ok().filter(|&n| n <= payload.len());
        let Some(n) = within else {
            return Err(self.count_exceeds_u64(family, n, payload));
        };
        if family == Family::Tuple {
            self.rest = payload;
            return Ok(Prefixed::Tuple(n));
        }
        if family == Family::Str {
            let (text, rest) = self.str_payload(payload, n, "STR")?;
            self.rest = rest;
            return Ok(Prefixed::Str(text));
        }
        let Some((octets, rest)) = payload.split_at_checked(n) else {
            return Err(self.count_exceeds_u64(family, n as u64, payload));
        };
        // Step 7.
        let event = match family {
            Family::Bytes | Family::Str => Prefixed::Bytes(octets),
            Family::BigInt => {
                if int::has_redundant_sign_octet(octets) {
                    return Err(self.bigint_too_long(octets));
                }
                Prefixed::BigInt(BigInt::from_canonical_unchecked(octets))
            }
            Family::SStr | Family::Tuple => match generalized::validate(octets) {
                Ok(true) => Prefixed::SStr(SurrogateStr::from_validated_unchecked(octets)),
                Ok(false) => return Err(self.at_tag(Detail::SstrWithoutSurrogate)),
                Err(valid) => return Err(self.invalid_utf8(payload, valid, true)),
            },
        };
        self.rest = rest;
        Ok(event)
    }

    // The errors. Each is cold and out of line; those "at the tag" use the cursor's offset,
    // which is the item's tag because the cursor moves only after a successful read.

    /// `truncated` (always at the input's end): no tag where a value should start.
    #[cold]
    #[inline(never)]
    fn missing_tag(&self) -> Error {
        Error::new(self.input.len(), Detail::MissingTag)
    }

    /// `truncated`: a fixed part of `needed` octets, of which only `present` remain.
    #[cold]
    #[inline(never)]
    fn cut(&self, what: FixedPart, needed: usize, present: &[u8]) -> Error {
        let present = present.len();
        Error::new(self.input.len(), Detail::FixedPartCut { what, needed, present })
    }

    /// `truncated`: a FIX form's length or count `n` exceeds the `remaining` octets.
    #[cold]
    #[inline(never)]
    fn count_exceeds(&self, family: &'static str, n: usize, items: bool, remaining: &[u8]) -> Error {
        let detail = Detail::CountExceedsInput {
            family,
            n: n as u64,
            items,
            remaining: remaining.len(),
        };
        Error::new(self.input.len(), detail)
    }

    /// `truncated`: a prefixed form's length or count `n` exceeds the `remaining` octets.
    #[cold]
    #[inline(never)]
    fn count_exceeds_u64(&self, family: Family, n: u64, remaining: &[u8]) -> Error {
        let detail = Detail::CountExceedsInput {
            family: family.name(),
            n,
            items: !family.counts_octets(),
            remaining: remaining.len(),
        };
        Error::new(self.input.len(), detail)
    }

    /// An error at the item's tag.
    #[cold]
    #[inline(never)]
    fn at_tag(&self, detail: Detail) -> Error {
        Error::new(self.offset(), detail)
    }

    /// `unknown_tag`.
    #[cold]
    #[inline(never)]
    fn reserved(&self, t: u8) -> Error {
        self.at_tag(Detail::ReservedTag(t))
    }

    /// `depth_exceeded` at a tuple's tag.
    #[cold]
    #[inline(never)]
    fn depth_exceeded(&self, max_depth: usize) -> Error {
        self.at_tag(Detail::DepthExceeded { max_depth })
    }

    /// `non_canonical`: an INT*k* holding `value`.
    #[cold]
    #[inline(never)]
    fn int_too_long(&self, k: usize, value: i64) -> Error {
        self.at_tag(Detail::IntTooLong {
            form: IntForm::Int(k),
            value: Some(value),
            fits: IntForm::canonical(int::minbytes_i64(value), Some(value)),
        })
    }

    /// `non_canonical`: a BIGINT payload with a redundant sign octet.
    #[cold]
    #[inline(never)]
    fn bigint_too_long(&self, octets: &[u8]) -> Error {
        let minimal = int::minimal_len(octets);
        let value = octets
            .get(..minimal)
            .filter(|_| minimal <= tag::INT_MAX_OCTETS)
            .map(int::sign_extend_i64);
        self.at_tag(Detail::IntTooLong {
            form: IntForm::Big(octets.len()),
            value: None,
            fits: IntForm::canonical(minimal, value),
        })
    }

    /// `invalid_utf8` at the end of the longest valid prefix (`valid` octets) of a payload;
    /// `from_payload` is the rest of the input from the payload's first octet on.
    #[cold]
    #[inline(never)]
    fn invalid_utf8(&self, from_payload: &[u8], valid: usize, generalized: bool) -> Error {
        let start = self.input.len().saturating_sub(from_payload.len());
        Error::new(start.saturating_add(valid), Detail::InvalidUtf8 { generalized })
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
        let mut cursor = Cursor::new(input, 0).unwrap();
        match cursor.item(level, max_depth) {
            Ok(event) => Ok((cursor.offset(), event)),
            Err(err) => {
                // On an error the cursor has not moved.
                assert_eq!(cursor.offset(), 0);
                Err((err.kind(), err.offset(), err.detail().to_string()))
            }
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
