//! The serde [`Deserializer`]: the crate's one grammar ([`Cursor::item`], the same one the
//! [`Reader`](crate::Reader) reads through) driven by serde's type-directed calls. Every
//! check of the wire format is the grammar's; this file only decides which visitor call an
//! item becomes, or that it does not fit the type asked for.
//!
//! It keeps its own bookkeeping of tuples rather than the reader's stack of counts: serde
//! recurses once per level of nesting anyway, so the count of items still to read in each
//! enclosing tuple is saved in the native frame of the visitor call that reads the tuple
//! (see [`Deserializer::open`]), and only the innermost count and the level live here.

use core::fmt;

use ::serde::de::value::{BorrowedBytesDeserializer, BorrowedStrDeserializer};
use ::serde::de::{self, Visitor};

use super::access::{Items, Pairs, RawValue, VariantItems, VariantName};
use super::error::SerdeError;
use super::want::{Want, WantBool, WantBytes, WantFloat, WantInt, WantStr, WantTuple};
use super::{describe, BIGINT_TOKEN, SSTR_TOKEN, VALUE_TOKEN};
use crate::decode::{build, cursor_at, whole, Builder, Cursor, DecodeOptions, Event, Events, Sink};
use crate::error::Error;
use crate::value::BigInt;

/// A serde `Deserializer` over one encoded value (or, with
/// [`StreamDeserializer`](crate::StreamDeserializer), a sequence of them), borrowing every
/// str and bytes it hands out from the input.
///
/// [`from_slice`](crate::from_slice) is this with the default options plus [`end`]; use
/// the type directly for another depth limit, or to read a value at an offset.
///
/// [`end`]: Deserializer::end
///
/// ```
/// use serde::Deserialize;
/// use frozenpack::{DecodeOptions, Deserializer};
///
/// let input = b"\xb2\x01\xb1\x02";
/// let mut de = Deserializer::with_options(input, 0, &DecodeOptions::new().with_max_depth(1));
/// let err = <(u8, (u8,))>::deserialize(&mut de).unwrap_err();
/// assert_eq!(err.to_string(), "depth_exceeded at offset 2: a tuple at level 2 exceeds the depth limit 1");
///
/// let mut de = Deserializer::from_slice(input);
/// let value = <(u8, (u8,))>::deserialize(&mut de)?;
/// de.end()?;
/// assert_eq!(value, (1, (2,)));
/// # Ok::<(), frozenpack::SerdeError>(())
/// ```
#[derive(Debug)]
pub struct Deserializer<'de> {
    /// Where the next item starts. Nothing is ever read ahead (`deserialize_option` looks at
    /// the next tag octet instead).
    cursor: Cursor<'de>,
    max_depth: usize,
    /// The tuples open around the next item: the spec's level.
    level: usize,
    /// Items still to be read in the innermost open tuple; at the top, 1 until the value's
    /// item is read and 0 after.
    left: usize,
    /// The wire error decoding failed with, reported again by every later read (a visitor may
    /// ignore an error and ask for more). Only looked at once `left` is 0, which a failure
    /// sets.
    failed: Option<Error>,
    /// Where the item the last read belongs to starts, as the count of octets from it to the
    /// end of the input: the cursor's rest at that item, which every read has at hand, so
    /// that recording it is one store; [`at`](Self::at) turns it into an offset for the
    /// errors that need one (this was the offset itself, computed on every read: 322 → 303
    /// instructions per typed row).
    at_rest: usize,
    /// The input's length less the items announced by the open tuples whose count was passed
    /// on as a size hint: their sum stays within the input's length, so that visitors which
    /// reserve room for every hint reserve O(input) in total however deep tuples nest (see
    /// `Event::TupleStart`). Kept as what remains rather than as the sum, so that a hint
    /// costs one compare and one subtraction (303 → 301 instructions per typed row).
    hint_room: usize,
}

impl<'de> Deserializer<'de> {
    /// A deserializer of the value at the start of `input`, with the default options.
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_slice(b"\x83abc");
    /// assert_eq!(<&str>::deserialize(&mut de)?, "abc");
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn from_slice(input: &'de [u8]) -> Self {
        Deserializer::with_options(input, 0, &DecodeOptions::new())
    }

    /// A deserializer of the value at `offset` of `input`, with `options` (the depth limit).
    /// Offsets in errors count from the start of `input`.
    ///
    /// # Panics
    ///
    /// If `offset > input.len()`.
    ///
    /// ```
    /// use serde::Deserialize;
    /// use frozenpack::{DecodeOptions, Deserializer};
    /// let mut de = Deserializer::with_options(b"\x01\x02", 1, &DecodeOptions::new());
    /// assert_eq!(u8::deserialize(&mut de)?, 2);
    /// assert_eq!(de.offset(), 2);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn with_options(input: &'de [u8], offset: usize, options: &DecodeOptions) -> Self {
        Deserializer {
            cursor: cursor_at(input, offset),
            max_depth: options.max_depth(),
            level: 0,
            left: 1,
            failed: None,
            at_rest: input.len().saturating_sub(offset),
            hint_room: input.len(),
        }
    }

    /// Where the next value starts; after a value has been deserialized, the offset just
    /// past it.
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_slice(b"\xb2\x01\x02\xc0");
    /// <(u8, u8)>::deserialize(&mut de)?;
    /// assert_eq!(de.offset(), 3);
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// Checks that the value has been read completely and that nothing follows it (whole-
    /// input decoding, spec §6): octets after it are `trailing_bytes`.
    ///
    /// # Errors
    ///
    /// `trailing_bytes` at the end of the value; a [`Custom`](crate::SerdeErrorKind::Custom)
    /// error when the `Deserialize` impl stopped before the end of the value.
    ///
    /// ```
    /// use serde::Deserialize;
    /// let mut de = frozenpack::Deserializer::from_slice(b"\x01\x02");
    /// assert_eq!(u8::deserialize(&mut de)?, 1);
    /// assert_eq!(de.end().unwrap_err().to_string(), "trailing_bytes at offset 1: 1 octet follows the value");
    /// # Ok::<(), frozenpack::SerdeError>(())
    /// ```
    pub fn end(&mut self) -> Result<(), SerdeError> {
        self.value_done()?;
        whole(&self.cursor)?;
        Ok(())
    }

    /// An error unless the value was read to its end (a `Deserialize` impl may return
    /// without asking for anything).
    pub(crate) fn value_done(&self) -> Result<(), SerdeError> {
        if let Some(err) = &self.failed {
            return Err(err.clone().into());
        }
        if self.left != 0 || self.level != 0 {
            let e: SerdeError =
                de::Error::custom("the Deserialize impl stopped before the end of the value");
            return Err(e.at(self.cursor.offset()));
        }
        Ok(())
    }

    /// Prepares to read the next value of a sequence (spec §9), once the last one is
    /// complete.
    pub(crate) fn restart(&mut self) {
        if self.failed.is_none() && self.level == 0 {
            self.left = 1;
        }
        self.at_rest = self.cursor.rest().len();
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.cursor.is_at_end()
    }

    /// The next event, and records where its item starts.
    ///
    /// Always inlined (it is a thin wrapper around the reader's own call): every typed
    /// `deserialize_*` then matches the reader's event where it receives it, instead of
    /// getting a copy back from another call and matching it again (8% of the typed-rows
    /// decode when this was measured, see BENCHMARKS.md).
    #[inline(always)]
    fn read(&mut self) -> Result<Event<'de>, SerdeError> {
        self.read_into(&mut Events)
    }

    /// The next item, handed by the grammar to `sink` (see `want.rs`), and records where it
    /// starts.
    #[inline(always)]
    fn read_into<S: Sink<'de>>(&mut self, sink: &mut S) -> Result<S::Out, SerdeError> {
        let Some(left) = self.left.checked_sub(1) else {
            return Err(self.no_item_left());
        };
        self.at_rest = self.cursor.rest().len();
        match self.cursor.item_into(self.level, self.max_depth, sink) {
            Ok(out) => {
                self.left = left;
                Ok(out)
            }
            Err(err) => Err(self.fail(err)),
        }
    }

    /// A read where no item is left: after a failure, that failure again; else either the
    /// whole value has been read, or the innermost tuple has, and some `Deserialize` impl
    /// returned without reading an item it was given (so the items after it were misread).
    #[cold]
    #[inline(never)]
    fn no_item_left(&self) -> SerdeError {
        match (&self.failed, self.level) {
            (Some(err), _) => err.clone().into(),
            (None, 0) => {
                de::Error::custom("a Deserialize impl asked for more than the value holds")
            }
            (None, _) => self.skipped_item(),
        }
    }

    /// Records a wire error, so that every later read reports it again.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, err: Error) -> SerdeError {
        self.left = 0;
        self.failed = Some(err.clone());
        err.into()
    }

    /// Enters the tuple of `n` items whose `TupleStart` was just read: its items are read
    /// next, one level deeper. Returns the enclosing tuple's count of items still to read,
    /// for [`close`](Self::close) to restore: the caller keeps it in its own frame.
    #[inline]
    #[must_use]
    pub(crate) fn open(&mut self, n: usize) -> usize {
        // Each open tuple has consumed its tag octet, so the level stays below the input's
        // length.
        self.level = self.level.saturating_add(1);
        core::mem::replace(&mut self.left, n)
    }

    /// Leaves the innermost tuple, which must have been read to its end (else some
    /// `Deserialize` impl returned without reading an item it was given), restoring the
    /// enclosing tuple's count `outer_left` from [`open`](Self::open).
    #[inline]
    pub(crate) fn close(&mut self, outer_left: usize) -> Result<(), SerdeError> {
        if self.left != 0 {
            return Err(self.no_item_left_in_tuple());
        }
        self.level = self.level.saturating_sub(1);
        self.left = outer_left;
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn no_item_left_in_tuple(&self) -> SerdeError {
        match &self.failed {
            Some(err) => err.clone().into(),
            None => self.skipped_item(),
        }
    }

    /// The next item's first event (never `TupleEnd`).
    ///
    /// The access types hand out exactly as many items as a tuple holds, so a `TupleEnd`
    /// here, or anything but one in [`end_tuple`](Self::end_tuple), means that some
    /// `Deserialize` impl returned without reading the item it was given: an error, not a
    /// panic, since the impl is not this crate's.
    #[inline]
    pub(crate) fn next(&mut self) -> Result<Event<'de>, SerdeError> {
        self.read()
    }

    #[cold]
    #[inline(never)]
    fn skipped_item(&self) -> SerdeError {
        let e: SerdeError = de::Error::custom(
            "a Deserialize impl returned without reading its item, so the items after it were \
             misread",
        );
        e.at(self.cursor.offset())
    }

    /// The offset of the item the last read belongs to.
    pub(crate) fn at(&self) -> usize {
        self.offset_of(self.at_rest)
    }

    /// The offset of the octet from which `rest` octets remain.
    fn offset_of(&self, rest: usize) -> usize {
        self.cursor.input().len().saturating_sub(rest)
    }

    /// Where the next item starts.
    fn item_offset(&self) -> usize {
        self.cursor.offset()
    }

    /// `invalid type: <what the event is>, expected <expected>` at the current item.
    #[cold]
    #[inline(never)]
    pub(crate) fn unexpected(
        &self,
        event: &Event<'_>,
        expected: &dyn core::fmt::Display,
    ) -> SerdeError {
        SerdeError::mismatch(
            self.at(),
            format_args!("invalid type: {}, expected {expected}", describe(event)),
        )
    }

    /// Reads the next complete value, checking it fully, and returns the octets it spans.
    fn skip_value(&mut self) -> Result<&'de [u8], SerdeError> {
        let Some(left) = self.left.checked_sub(1) else {
            return Err(self.no_item_left());
        };
        let start = self.cursor.offset();
        self.at_rest = self.cursor.rest().len();
        if let Err(err) = build(&mut self.cursor, self.level, self.max_depth, &mut Skip) {
            return Err(self.fail(err));
        }
        self.left = left;
        let input = self.cursor.input();
        Ok(input.get(start..self.cursor.offset()).unwrap_or_default())
    }

    /// The size hint to give for a tuple of `n` items: `n` while the hints of all open
    /// tuples stay within the input's length, else none.
    fn hint_for(&mut self, n: usize) -> Option<usize> {
        if let Some(room) = self.hint_room.checked_sub(n) {
            self.hint_room = room;
            Some(n)
        } else {
            None
        }
    }

    /// After a visitor has had the items of a tuple of `n` (`left` of them not handed out):
    /// every item must have been handed out and read, then the tuple ends (`outer_left` is
    /// what [`open`](Self::open) returned for it).
    #[inline]
    pub(crate) fn end_tuple(
        &mut self,
        start: usize,
        n: usize,
        left: usize,
        hint: Option<usize>,
        outer_left: usize,
    ) -> Result<(), SerdeError> {
        if let Some(hint) = hint {
            // Gives back what `hint_for` took, so never more than the input's length.
            self.hint_room = self.hint_room.saturating_add(hint);
        }
        if left > 0 {
            return Err(stopped_early(start, n, left));
        }
        self.close(outer_left)
    }

    /// Runs `read`, a typed read through the sink `S`, inline when the next tag is one `S`
    /// calls hot, else through an out-of-line copy of `read`.
    ///
    /// Inline, the grammar's `match` on the tag then reduces to the arm of the kind wanted
    /// (the compiler knows the tag's range from the test), where it took up to seven
    /// compares to reach an INT*k* or FLOAT arm; the other kinds' arms, and the mismatch,
    /// live in the out-of-line copy. Both copies are the same code over the same grammar:
    /// only speed depends on the split (301 → 278 instructions per typed row; a hot set of
    /// two or three ranges made the test itself cost more than it saved, see `want.rs`).
    #[inline(always)]
    fn typed<S: Want<'de>, T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, SerdeError>,
    ) -> Result<T, SerdeError> {
        match self.cursor.rest().first() {
            Some(&t) if S::is_hot(t) => read(self),
            _ => self.typed_out_of_line(read),
        }
    }

    /// The cold side of [`typed`](Self::typed).
    #[inline(never)]
    fn typed_out_of_line<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, SerdeError>,
    ) -> Result<T, SerdeError> {
        read(self)
    }

    /// Reads a `TupleStart` of exactly `len` items (for a tuple, tuple struct or struct).
    /// What was expected is only put into words when something else is found.
    #[inline]
    fn tuple_of(&mut self, len: usize, shape: Shape) -> Result<(), SerdeError> {
        self.typed::<WantTuple, _>(|de| match de.read_into(&mut WantTuple)? {
            Ok(n) if n == len => Ok(()),
            Ok(n) => Err(de.not_tuple_of(&Event::TupleStart(n), len, shape)),
            Err(other) => Err(de.not_tuple_of(&other, len, shape)),
        })
    }

    #[cold]
    #[inline(never)]
    fn not_tuple_of(&self, found: &Event<'_>, len: usize, shape: Shape) -> SerdeError {
        let expected = TupleOf { len, shape };
        match found {
            Event::TupleStart(n) => SerdeError::mismatch(
                self.at(),
                format_args!(
                    "invalid length: tuple of {}, expected {expected}",
                    items(*n)
                ),
            ),
            other => self.unexpected(other, &expected),
        }
    }

    /// Hands the `n` items of the tuple just opened at `start` to `visitor` as a sequence.
    #[inline]
    fn visit_items<V: Visitor<'de>>(
        &mut self,
        start: usize,
        n: usize,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        let hint = self.hint_for(n);
        let outer = self.open(n);
        let mut items = Items::new(self, n, hint);
        let value = visitor.visit_seq(&mut items).map_err(|e| e.at(start))?;
        let left = items.left();
        self.end_tuple(start, n, left, hint, outer)?;
        Ok(value)
    }

    /// An int: the `i64` ones as they are, BIGINTs as their octets.
    fn int(&mut self, expected: &'static str) -> Result<Int<'de>, SerdeError> {
        match self.next()? {
            Event::Int(v) => Ok(Int::Small(v)),
            Event::BigInt(big) => Ok(Int::Big(big)),
            other => Err(self.unexpected(&other, &expected)),
        }
    }

    /// The rest of a `deserialize_<ty>` for an int type of up to 64 bits, once the event is
    /// not an `Event::Int`: a BIGINT in the type's range (only a `u64` above `i64::MAX`
    /// can be), or the mismatch.
    #[cold]
    #[inline(never)]
    fn not_small_int<T: TryFrom<u128>>(
        &self,
        found: Event<'de>,
        ty: &'static str,
    ) -> Result<T, SerdeError> {
        match found {
            Event::BigInt(big) => crate::int::to_u128(big.as_le_bytes())
                .and_then(|v| T::try_from(v).ok())
                .ok_or_else(|| self.out_of_range(Int::Big(big), ty)),
            other => Err(self.unexpected(&other, &ty)),
        }
    }

    #[cold]
    #[inline(never)]
    fn out_of_range(&self, int: Int<'_>, ty: &str) -> SerdeError {
        let value = match int {
            Int::Small(v) => format!("int {v}"),
            Int::Big(big) => describe(&Event::BigInt(big)),
        };
        SerdeError::mismatch(
            self.at(),
            format_args!("invalid value: {value} does not fit {ty}"),
        )
    }

    #[inline]
    fn float(&mut self, expected: &'static str) -> Result<f64, SerdeError> {
        self.typed::<WantFloat, _>(|de| match de.read_into(&mut WantFloat)? {
            Ok(x) => Ok(x),
            Err(other) => Err(de.unexpected(&other, &expected)),
        })
    }

    #[inline]
    fn str(&mut self, expected: &'static str) -> Result<&'de str, SerdeError> {
        self.typed::<WantStr, _>(|de| match de.read_into(&mut WantStr)? {
            Ok(s) => Ok(s),
            Err(other) => Err(de.not_str(&other, expected)),
        })
    }

    #[cold]
    #[inline(never)]
    fn not_str(&self, found: &Event<'_>, expected: &'static str) -> SerdeError {
        match found {
            Event::SurrogateStr(_) => SerdeError::mismatch(
                self.at(),
                format_args!(
                    "invalid type: str with surrogates, expected {expected}: a Rust string \
                     cannot hold a surrogate code point (frozenpack::SurrogateStr and \
                     frozenpack::Value can)"
                ),
            ),
            other => self.unexpected(other, &expected),
        }
    }

    /// The private newtypes of `Value`, `BigInt` and `SurrogateStr` (see `value.rs`). Kept
    /// out of `deserialize_newtype_struct` so that the frame of every ordinary newtype, which
    /// serde recurses through, stays small.
    #[inline(never)]
    fn private_newtype<V: Visitor<'de>>(
        &mut self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        match name {
            VALUE_TOKEN => {
                let raw = self.skip_value()?;
                self.visit(visitor.visit_map(RawValue::new(raw)))
            }
            BIGINT_TOKEN => match self.int("int")? {
                Int::Small(v) => self.visit(visitor.visit_i64(v)),
                Int::Big(big) => self.visit(visitor.visit_borrowed_bytes(big.into_inner())),
            },
            _ => match self.next()? {
                Event::SurrogateStr(s) => self.visit(visitor.visit_borrowed_bytes(s.into_inner())),
                other => Err(self.unexpected(&other, &"str with surrogates")),
            },
        }
    }

    /// Calls a visitor on the item just read, placing its errors at that item.
    #[inline]
    fn visit<T>(&self, result: Result<T, SerdeError>) -> Result<T, SerdeError> {
        result.map_err(|e| e.at(self.at()))
    }
}

fn is_private(name: &str) -> bool {
    matches!(name, VALUE_TOKEN | BIGINT_TOKEN | SSTR_TOKEN)
}

/// "1 item", "3 items": a `Display`, so that nothing is formatted unless a message is.
pub(crate) fn items(n: usize) -> ItemCount {
    ItemCount(n)
}

/// See [`items`].
#[derive(Clone, Copy)]
pub(crate) struct ItemCount(usize);

impl fmt::Display for ItemCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 item"),
            n => write!(f, "{n} items"),
        }
    }
}

/// What a fixed-length tuple is read for, to name it when the input holds something else.
#[derive(Clone, Copy)]
enum Shape {
    Tuple,
    TupleStruct(&'static str),
    Struct(&'static str),
}

/// The expectation of [`Deserializer::tuple_of`]: "tuple of 2 items (struct Point)".
struct TupleOf {
    len: usize,
    shape: Shape,
}

impl fmt::Display for TupleOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tuple of {}", items(self.len))?;
        match self.shape {
            Shape::Tuple => Ok(()),
            Shape::TupleStruct(name) => write!(f, " (tuple struct {name})"),
            Shape::Struct(name) => write!(f, " (struct {name})"),
        }
    }
}

/// A visitor took only `n - left` of a tuple's `n` items.
#[cold]
#[inline(never)]
fn stopped_early(start: usize, n: usize, left: usize) -> SerdeError {
    SerdeError::mismatch(
        start,
        format_args!(
            "invalid length: tuple of {}, expected {} (the visitor stopped early)",
            items(n),
            items(n - left)
        ),
    )
}

/// An int as the reader gave it.
#[derive(Clone, Copy)]
enum Int<'de> {
    Small(i64),
    Big(BigInt<&'de [u8]>),
}

/// `deserialize_<ty>` for the ints up to 64 bits: in range, or an error naming the value
/// and the type.
macro_rules! small_int {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
            let v: $ty = self.typed::<WantInt, _>(|de| match de.read_into(&mut WantInt)? {
                Ok(v) => <$ty>::try_from(v)
                    .map_err(|_| de.out_of_range(Int::Small(v), stringify!($ty))),
                Err(other) => de.not_small_int(other, stringify!($ty)),
            })?;
            self.visit(visitor.$visit(v))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = SerdeError;

    /// Self-describing: every event has one visitor call (see the mapping table).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let event = self.next()?;
        match event {
            Event::None => self.visit(visitor.visit_unit()),
            Event::Bool(b) => self.visit(visitor.visit_bool(b)),
            Event::Int(v) if v >= 0 => self.visit(visitor.visit_u64(v as u64)),
            Event::Int(v) => self.visit(visitor.visit_i64(v)),
            Event::BigInt(big) => {
                let le = big.as_le_bytes();
                if let Some(v) = crate::int::to_u128(le) {
                    self.visit(visitor.visit_u128(v))
                } else if let Some(v) = crate::int::to_i128(le) {
                    self.visit(visitor.visit_i128(v))
                } else {
                    Err(SerdeError::mismatch(
                        self.at(),
                        format_args!(
                            "invalid value: {} does not fit i128 or u128 (frozenpack::BigInt \
                             and frozenpack::Value can hold it)",
                            describe(&event)
                        ),
                    ))
                }
            }
            Event::Float(x) => self.visit(visitor.visit_f64(x)),
            Event::Str(s) => self.visit(visitor.visit_borrowed_str(s)),
            Event::SurrogateStr(_) => Err(SerdeError::mismatch(
                self.at(),
                "invalid type: str with surrogates, which only frozenpack::SurrogateStr and \
                 frozenpack::Value can hold",
            )),
            Event::Bytes(b) => self.visit(visitor.visit_borrowed_bytes(b)),
            Event::TupleStart(n) => {
                let start = self.at();
                self.visit_items(start, n, visitor)
            }
            // The grammar never reads a `TupleEnd` (tuples end by their counts).
            Event::TupleEnd => Err(self.skipped_item()),
        }
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let b = self.typed::<WantBool, _>(|de| match de.read_into(&mut WantBool)? {
            Ok(b) => Ok(b),
            Err(other) => Err(de.unexpected(&other, &"bool")),
        })?;
        self.visit(visitor.visit_bool(b))
    }

    small_int! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let int = self.int("i128")?;
        let v = match int {
            Int::Small(v) => Some(i128::from(v)),
            Int::Big(big) => crate::int::to_i128(big.as_le_bytes()),
        };
        match v {
            Some(v) => self.visit(visitor.visit_i128(v)),
            None => Err(self.out_of_range(int, "i128")),
        }
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let int = self.int("u128")?;
        let v = match int {
            Int::Small(v) => u128::try_from(v).ok(),
            Int::Big(big) => crate::int::to_u128(big.as_le_bytes()),
        };
        match v {
            Some(v) => self.visit(visitor.visit_u128(v)),
            None => Err(self.out_of_range(int, "u128")),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let x = self.float("f32")?;
        match super::float::narrow_exact(x) {
            Some(narrow) => self.visit(visitor.visit_f32(narrow)),
            None => Err(SerdeError::mismatch(
                self.at(),
                format_args!(
                    "invalid value: float {} (bits {:016x}) is not exactly an f32",
                    crate::Value::Float(x),
                    x.to_bits()
                ),
            )),
        }
    }

    #[inline]
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let x = self.float("f64")?;
        self.visit(visitor.visit_f64(x))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let s = self.str("a str of one code point")?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => self.visit(visitor.visit_char(c)),
            _ => Err(SerdeError::mismatch(
                self.at(),
                format_args!(
                    "invalid value: str of {} code points, expected a str of one code point",
                    s.chars().count()
                ),
            )),
        }
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let s = self.str("str")?;
        self.visit(visitor.visit_borrowed_str(s))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let b = self.typed::<WantBytes, _>(|de| match de.read_into(&mut WantBytes)? {
            Ok(b) => Ok(b),
            Err(other) => Err(de.unexpected(&other, &"bytes")),
        })?;
        self.visit(visitor.visit_borrowed_bytes(b))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.deserialize_bytes(visitor)
    }

    /// none is `None`; anything else is `Some` of it.
    ///
    /// The next tag octet decides, so that nothing is read ahead: a NONE is then read (and
    /// checked) by the reader, anything else by the inner type's own `deserialize_*` call.
    /// Where the octet is not the next item's tag (a tuple's end is due, or the value is
    /// complete) the read fails as it would for any type.
    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let Some(left) = self.left.checked_sub(1) else {
            return Err(self.no_item_left());
        };
        let at_rest = self.cursor.rest().len();
        if self.cursor.none() {
            self.left = left;
            self.at_rest = at_rest;
            self.visit(visitor.visit_none())
        } else {
            match visitor.visit_some(&mut *self) {
                Ok(value) => Ok(value),
                Err(e) => Err(e.at(self.offset_of(at_rest))),
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.next()? {
            Event::None => self.visit(visitor.visit_unit()),
            other => Err(self.unexpected(&other, &"none (unit)")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        match self.next()? {
            Event::None => self.visit(visitor.visit_unit()),
            other => Err(self.unexpected(&other, &format_args!("none (unit struct {name})"))),
        }
    }

    /// The inner value, except for the private names of [`Value`](crate::Value),
    /// [`BigInt`] and [`SurrogateStr`](crate::SurrogateStr), which this deserializer hands
    /// over exactly (see the `serde` module's notes).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        if is_private(name) {
            return self.private_newtype(name, visitor);
        }
        let at = self.item_offset();
        visitor
            .visit_newtype_struct(&mut *self)
            .map_err(|e| e.at(at))
    }

    #[inline]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        let n = self.typed::<WantTuple, _>(|de| match de.read_into(&mut WantTuple)? {
            Ok(n) => Ok(n),
            Err(other) => Err(de.unexpected(&other, &"tuple")),
        })?;
        let start = self.at();
        self.visit_items(start, n, visitor)
    }

    #[inline]
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.tuple_of(len, Shape::Tuple)?;
        let start = self.at();
        self.visit_items(start, len, visitor)
    }

    #[inline]
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        self.tuple_of(len, Shape::TupleStruct(name))?;
        let start = self.at();
        self.visit_items(start, len, visitor)
    }

    /// A tuple of `(key, value)` pairs.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        match self.next()? {
            Event::TupleStart(n) => {
                let start = self.at();
                let hint = self.hint_for(n);
                let outer = self.open(n);
                let mut pairs = Pairs::new(self, n, hint);
                let value = visitor.visit_map(&mut pairs).map_err(|e| e.at(start))?;
                let left = pairs.left();
                self.end_tuple(start, n, left, hint, outer)?;
                Ok(value)
            }
            other => Err(self.unexpected(&other, &"tuple of (key, value) pairs")),
        }
    }

    /// A tuple of exactly the fields' values, in declaration order.
    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        let len = fields.len();
        self.tuple_of(len, Shape::Struct(name))?;
        let start = self.at();
        self.visit_items(start, len, visitor)
    }

    /// A str (unit variant) or a tuple `(variant, payload…)`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SerdeError> {
        let start = self.item_offset();
        let result = match self.next()? {
            Event::Str(s) => visitor.visit_enum(VariantName::new(s, self.at())),
            Event::TupleStart(n) if n >= 1 => {
                let outer = self.open(n);
                visitor.visit_enum(VariantItems::new(self, name, n, outer))
            }
            other => Err(self.unexpected(
                &other,
                &format_args!("enum {name}: a str (unit variant) or a tuple (variant, payload…)"),
            )),
        };
        result.map_err(|e| e.at(start))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SerdeError> {
        self.skip_value()?;
        self.visit(visitor.visit_unit())
    }

    fn is_human_readable(&self) -> bool {
        false
    }
}

/// A unit variant's name as the `EnumAccess` key deserializer.
pub(crate) fn name_deserializer(s: &str) -> BorrowedStrDeserializer<'_, SerdeError> {
    BorrowedStrDeserializer::new(s)
}

/// Raw octets as a deserializer (for the private `Value` protocol).
pub(crate) fn raw_deserializer(raw: &[u8]) -> BorrowedBytesDeserializer<'_, SerdeError> {
    BorrowedBytesDeserializer::new(raw)
}

/// The builder of [`Deserializer::skip_value`]: reads a value through the grammar (every check,
/// every error) and builds nothing. Its tuples are `Vec<()>`, which never allocate.
struct Skip;

impl<'de> Builder<'de> for Skip {
    type Node = ();
    fn none(&mut self) {}
    fn bool(&mut self, _: bool) {}
    fn int(&mut self, _: i64) {}
    fn bigint(&mut self, _: BigInt<&'de [u8]>) {}
    fn float(&mut self, _: f64) {}
    fn str(&mut self, _: &'de str) {}
    fn surrogate_str(&mut self, _: crate::SurrogateStr<&'de [u8]>) {}
    fn bytes(&mut self, _: &'de [u8]) {}
    fn tuple(&mut self, _: Vec<()>) {}
}
