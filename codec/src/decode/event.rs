//! The events a [`Reader`](super::Reader) produces.

use crate::value::{BigInt, SurrogateStr};

/// One step of a decoded value, in order: a leaf, or the start or end of a tuple.
///
/// Every borrowed payload is a slice of the input (zero-copy) and has been validated: a
/// `Str` is UTF-8, a `SurrogateStr` generalized UTF-8 holding a surrogate, a `BigInt` the
/// shortest two's complement of an int outside the `i64` range.
///
/// ```
/// use frozenpack::{Event, Reader};
/// let mut reader = Reader::new(b"\xb2\x81x\xc0");
/// assert_eq!(reader.next_event().unwrap(), Some(Event::TupleStart(2)));
/// assert_eq!(reader.next_event().unwrap(), Some(Event::Str("x")));
/// assert_eq!(reader.next_event().unwrap(), Some(Event::None));
/// assert_eq!(reader.next_event().unwrap(), Some(Event::TupleEnd));
/// assert_eq!(reader.next_event().unwrap(), None);
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Event<'de> {
    /// `None`.
    None,
    /// `False` or `True`.
    Bool(bool),
    /// An int in the `i64` range (every FIXINT, NEGFIXINT and INT1 … INT8).
    Int(i64),
    /// An int outside the `i64` range (a BIGINT): its shortest little-endian two's
    /// complement, borrowed from the input.
    BigInt(BigInt<&'de [u8]>),
    /// A float; its 64 bits are exactly those of the input.
    Float(f64),
    /// A str without surrogates, borrowed from the input.
    Str(&'de str),
    /// A str with at least one surrogate, as generalized UTF-8 borrowed from the input.
    SurrogateStr(SurrogateStr<&'de [u8]>),
    /// A bytes value, borrowed from the input.
    Bytes(&'de [u8]),
    /// A tuple of this many items starts; they are the next items read, then
    /// [`TupleEnd`](Event::TupleEnd).
    ///
    /// The count was checked against the octets that remain (spec §6 step 6), so it is at
    /// most the input's length. The counts of *nested* open tuples are not bounded jointly,
    /// though: a consumer that reserves room for every tuple as it opens can be made to
    /// reserve O(*N* × depth). Reserve for a tuple only while the total reserved for open
    /// tuples stays within the input's length, as this crate's own builders do.
    TupleStart(usize),
    /// The innermost open tuple ends.
    TupleEnd,
}

impl PartialEq for Event<'_> {
    /// Floats compare by their bits, as values do (spec §1).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Event::None, Event::None) | (Event::TupleEnd, Event::TupleEnd) => true,
            (Event::Bool(a), Event::Bool(b)) => a == b,
            (Event::Int(a), Event::Int(b)) => a == b,
            (Event::BigInt(a), Event::BigInt(b)) => a == b,
            (Event::Float(a), Event::Float(b)) => a.to_bits() == b.to_bits(),
            (Event::Str(a), Event::Str(b)) => a == b,
            (Event::SurrogateStr(a), Event::SurrogateStr(b)) => a == b,
            (Event::Bytes(a), Event::Bytes(b)) => a == b,
            (Event::TupleStart(a), Event::TupleStart(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Event<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_compare_by_bits() {
        let nan = f64::from_bits(0x7ff8_0000_0000_0001);
        assert_eq!(Event::Float(nan), Event::Float(nan));
        assert_ne!(Event::Float(0.0), Event::Float(-0.0));
        assert_ne!(Event::Float(1.0), Event::Int(1));
    }
}
