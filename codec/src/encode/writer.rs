//! The low-level encoder: one method per value kind, each writing that item's canonical
//! encoding (spec §4). Every encoding this crate produces goes through it.

use super::output::{Output, SHORT};
use crate::int;
use crate::tag::{self, Family};
use crate::text::generalized;
use crate::value::{BigInt, SurrogateStr, SurrogateStrError, ValueRef, ValueTree};

/// Writes canonical encodings, item by item, to an [`Output`].
///
/// Each method writes one item in its canonical form; no method can write anything else
/// (there is no way to ask for a longer int, a wider length field, or an SSTR without a
/// surrogate). A tuple is its header, [`write_tuple_header`](Writer::write_tuple_header),
/// followed by exactly that many items; the writer counts the items still owed, so
/// [`pending_items`](Writer::pending_items) and [`finish`](Writer::finish) tell whether
/// everything written so far is a sequence of complete values.
///
/// ```
/// use frozenpack::Writer;
/// let mut w = Writer::new(Vec::new());
/// w.write_tuple_header(3);
/// w.write_i64(1000);
/// w.write_str("é");
/// w.write_u128(u128::MAX);
/// assert_eq!(w.finish().unwrap(), b"\xb3\xc5\xe8\x03\x82\xc3\xa9\xcc\x11\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00");
/// ```
#[derive(Debug)]
pub struct Writer<O> {
    out: O,
    /// Items owed to open tuples: a tuple header adds its count, every item takes one.
    pending: u128,
}

/// The error of [`Writer::finish`]: some tuple is still missing items.
///
/// ```
/// let mut w = frozenpack::Writer::new(Vec::new());
/// w.write_tuple_header(2);
/// w.write_none();
/// assert_eq!(w.finish().unwrap_err().pending_items(), 1);
/// ```
#[derive(Debug)]
pub struct Incomplete<O> {
    out: O,
    pending: u128,
}

impl<O> Incomplete<O> {
    /// How many items are missing.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_tuple_header(5);
    /// assert_eq!(w.finish().unwrap_err().pending_items(), 5);
    /// ```
    pub fn pending_items(&self) -> u128 {
        self.pending
    }

    /// The output, with the incomplete encoding in it.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_tuple_header(1);
    /// assert_eq!(w.finish().unwrap_err().into_inner(), b"\xb1");
    /// ```
    pub fn into_inner(self) -> O {
        self.out
    }
}

impl<O> core::fmt::Display for Incomplete<O> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} tuple items are still owed", self.pending)
    }
}

impl<O: core::fmt::Debug> std::error::Error for Incomplete<O> {}

impl<O: Output> Writer<O> {
    /// A writer appending to `out`.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_none();
    /// assert_eq!(w.into_inner(), b"\xc0");
    /// ```
    pub fn new(out: O) -> Self {
        Writer { out, pending: 0 }
    }

    /// The output, whatever has been written.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_bool(true);
    /// assert_eq!(w.into_inner(), b"\xc2");
    /// ```
    pub fn into_inner(self) -> O {
        self.out
    }

    /// The output, if every tuple has all its items; else the error says how many are owed.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_tuple_header(0);
    /// assert_eq!(w.finish().unwrap(), b"\xb0");
    /// ```
    pub fn finish(self) -> Result<O, Incomplete<O>> {
        match self.pending {
            0 => Ok(self.out),
            pending => Err(Incomplete {
                out: self.out,
                pending,
            }),
        }
    }

    /// The output, borrowed.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_i64(-1);
    /// assert_eq!(w.get_ref(), b"\xff");
    /// ```
    pub fn get_ref(&self) -> &O {
        &self.out
    }

    /// How many items the open tuples still need (0 when everything written is a sequence
    /// of complete values).
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_tuple_header(2);
    /// w.write_tuple_header(1);
    /// assert_eq!(w.pending_items(), 2);
    /// ```
    pub fn pending_items(&self) -> u128 {
        self.pending
    }

    /// Accounts for one item about to be written.
    #[inline]
    fn item(&mut self) {
        self.pending = self.pending.saturating_sub(1);
    }

    // The `put_*` methods write one item without the accounting of `pending`, for the public
    // `write_*` methods and for whole values (whose accounting is one item in all).

    /// Writes the first `len` (1 ..= 9) octets of `octets`, through
    /// [`Output::write_prefix`] (see there why).
    #[inline(always)]
    fn put_prefix(&mut self, octets: &[u8; 9], len: usize) {
        self.out.write_prefix(octets, len);
    }

    /// Writes a payload: short ones through [`Output::write_short`].
    #[inline(always)]
    fn put_payload(&mut self, octets: &[u8]) {
        if octets.len() <= SHORT {
            self.out.write_short(octets);
        } else {
            self.out.write_octets(octets);
        }
    }

    /// `hdr(t, n)` of spec §4: the family's tag with the narrowest length field holding `n`.
    #[inline]
    fn header(&mut self, family: Family, n: u64) {
        let base = family.base();
        let le = n.to_le_bytes();
        if n < 1 << 8 {
            self.out.write_octets(&[base, le[0]]);
        } else if n < 1 << 16 {
            // The low two bits of a prefixed tag give its length field's width (spec §3).
            self.out.write_octets(&[base | 1, le[0], le[1]]);
        } else if n < 1 << 32 {
            self.out.write_octets(&[base | 2, le[0], le[1], le[2], le[3]]);
        } else {
            let [a, b, c, d, e, f, g, h] = le;
            self.out.write_octets(&[base | 3, a, b, c, d, e, f, g, h]);
        }
    }

    /// A FIX header when `n` fits one, else the family's prefixed header.
    #[inline(always)]
    fn fix_or_header(&mut self, fix_tag: u8, fix_max: usize, family: Family, n: usize) {
        match u8::try_from(n) {
            // `n` ≤ `fix_max` ≤ 31, so the sum stays within the FIX range of the tag.
            Ok(small) if n <= fix_max => self.out.write_octet(fix_tag | small),
            _ => self.header(family, n as u64),
        }
    }

    /// `None`: `c0`.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_none();
    /// assert_eq!(w.into_inner(), b"\xc0");
    /// ```
    pub fn write_none(&mut self) {
        self.item();
        self.put_none();
    }

    #[inline]
    pub(crate) fn put_none(&mut self) {
        self.out.write_octet(tag::NONE);
    }

    /// A bool: `c1` or `c2`.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_bool(false);
    /// assert_eq!(w.into_inner(), b"\xc1");
    /// ```
    pub fn write_bool(&mut self, b: bool) {
        self.item();
        self.put_bool(b);
    }

    #[inline]
    pub(crate) fn put_bool(&mut self, b: bool) {
        self.out.write_octet(if b { tag::TRUE } else { tag::FALSE });
    }

    /// An int: FIXINT/NEGFIXINT for −16 … 127, else INT*k* with the fewest octets.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_i64(-17);
    /// w.write_i64(2_147_483_648);
    /// assert_eq!(w.into_inner(), b"\xc4\xef\xc8\x00\x00\x00\x80\x00");
    /// ```
    pub fn write_i64(&mut self, v: i64) {
        self.item();
        self.put_i64(v);
    }

    #[inline]
    pub(crate) fn put_i64(&mut self, v: i64) {
        if (-16..=127).contains(&v) {
            // The tag read as a signed octet is the value.
            self.out.write_octet(v as u8);
            return;
        }
        // INTk: the tag, then the k low octets of the value (k = minbytes(v) ≤ 8).
        let k = int::minbytes_i64(v);
        let [a, b, c, d, e, f, g, h] = v.to_le_bytes();
        // k ≤ 8: neither sum can overflow.
        let octets = [tag::INT_BASE.saturating_add(k as u8), a, b, c, d, e, f, g, h];
        self.put_prefix(&octets, k.saturating_add(1));
    }

    /// An int from a `u64` (BIGINT above `i64::MAX`).
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_u64(1 << 63);
    /// assert_eq!(w.into_inner(), b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00");
    /// ```
    pub fn write_u64(&mut self, v: u64) {
        self.item();
        self.put_u64(v);
    }

    #[inline]
    pub(crate) fn put_u64(&mut self, v: u64) {
        match i64::try_from(v) {
            Ok(small) => self.put_i64(small),
            Err(_) => self.put_u128(u128::from(v)),
        }
    }

    /// An int from an `i128`.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_i128(-(1 << 64));
    /// assert_eq!(w.into_inner(), b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\xff");
    /// ```
    pub fn write_i128(&mut self, v: i128) {
        self.item();
        self.put_i128(v);
    }

    pub(crate) fn put_i128(&mut self, v: i128) {
        match i64::try_from(v) {
            Ok(small) => self.put_i64(small),
            Err(_) => {
                let n = int::minbytes_i128(v);
                let le = v.to_le_bytes();
                self.bigint_payload(le.get(..n).unwrap_or(&le));
            }
        }
    }

    /// An int from a `u128`.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_u128(18_446_744_073_709_551_615);
    /// assert_eq!(w.into_inner(), b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\xff\x00");
    /// ```
    pub fn write_u128(&mut self, v: u128) {
        self.item();
        self.put_u128(v);
    }

    pub(crate) fn put_u128(&mut self, v: u128) {
        match i64::try_from(v) {
            Ok(small) => self.put_i64(small),
            Err(_) => {
                let octets = int::u128_to_minimal_le(v);
                self.bigint_payload(&octets);
            }
        }
    }

    /// An int given as little-endian two's complement of any length (redundant sign octets
    /// are dropped, the empty string is 0): INT forms when it fits 8 octets, else BIGINT.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_int_le(&[0x05, 0x00, 0x00, 0x00]);
    /// w.write_int_le(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]);
    /// assert_eq!(w.into_inner(), b"\x05\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01");
    /// ```
    pub fn write_int_le(&mut self, le: &[u8]) {
        self.item();
        self.put_int_le(le);
    }

    pub(crate) fn put_int_le(&mut self, le: &[u8]) {
        let minimal = match le {
            [] => &[0][..],
            _ => le.get(..int::minimal_len(le)).unwrap_or(le),
        };
        if minimal.len() <= tag::INT_MAX_OCTETS {
            self.put_i64(int::sign_extend_i64(minimal));
        } else {
            self.bigint_payload(minimal);
        }
    }

    /// A [`BigInt`] (any int, in the form its value needs).
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_bigint(&frozenpack::BigInt::from(7u8));
    /// assert_eq!(w.into_inner(), b"\x07");
    /// ```
    pub fn write_bigint<B: AsRef<[u8]>>(&mut self, big: &BigInt<B>) {
        self.item();
        self.put_bigint(big.as_le_bytes());
    }

    /// The octets of a [`BigInt`], which are its shortest two's complement by the type's
    /// invariant, so that only their length decides the form (anything else is still
    /// written canonically, through [`put_int_le`](Self::put_int_le)).
    #[inline]
    fn put_bigint(&mut self, le: &[u8]) {
        if le.len() > tag::INT_MAX_OCTETS && !int::has_redundant_sign_octet(le) {
            self.bigint_payload(le);
        } else {
            self.put_int_le(le);
        }
    }

    /// BIGINT header and octets; `le` is minimal and longer than 8 octets.
    fn bigint_payload(&mut self, le: &[u8]) {
        debug_assert!(le.len() > tag::INT_MAX_OCTETS && int::minimal_len(le) == le.len());
        self.header(Family::BigInt, le.len() as u64);
        self.put_payload(le);
    }

    /// A float: `c3` and its 64 bits, little-endian, exactly as they are.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_f64(-0.0);
    /// assert_eq!(w.into_inner(), b"\xc3\x00\x00\x00\x00\x00\x00\x00\x80");
    /// ```
    pub fn write_f64(&mut self, x: f64) {
        self.write_f64_bits(x.to_bits());
    }

    /// A float given by its 64-bit pattern (for NaN payloads that must not pass through a
    /// floating-point register on platforms that would quiet them).
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_f64_bits(0x7ff0_0000_0000_0001);
    /// assert_eq!(w.into_inner(), b"\xc3\x01\x00\x00\x00\x00\x00\xf0\x7f");
    /// ```
    pub fn write_f64_bits(&mut self, bits: u64) {
        self.item();
        self.put_f64_bits(bits);
    }

    #[inline]
    pub(crate) fn put_f64_bits(&mut self, bits: u64) {
        let [a, b, c, d, e, f, g, h] = bits.to_le_bytes();
        self.out.write_octets(&[tag::FLOAT, a, b, c, d, e, f, g, h]);
    }

    /// A str without surrogates: FIXSTR up to 31 octets of UTF-8, else STR.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_str("€");
    /// assert_eq!(w.into_inner(), b"\x83\xe2\x82\xac");
    /// ```
    pub fn write_str(&mut self, s: &str) {
        self.item();
        self.put_str(s);
    }

    /// A str without surrogates, as its UTF-8.
    #[inline]
    pub(crate) fn put_str(&mut self, s: &str) {
        self.str_octets(s.as_bytes());
    }

    #[inline]
    fn str_octets(&mut self, utf8: &[u8]) {
        self.fix_or_header(tag::FIXSTR, tag::FIXSTR_MAX, Family::Str, utf8.len());
        self.put_payload(utf8);
    }

    fn sstr_octets(&mut self, generalized: &[u8]) {
        self.header(Family::SStr, generalized.len() as u64);
        self.put_payload(generalized);
    }

    /// A str with surrogates: SSTR.
    ///
    /// ```
    /// let s = frozenpack::SurrogateStr::from_code_points([0xd800])?;
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_surrogate_str(&s);
    /// assert_eq!(w.into_inner(), b"\xdc\x03\xed\xa0\x80");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn write_surrogate_str<B: AsRef<[u8]>>(&mut self, s: &SurrogateStr<B>) {
        self.item();
        self.sstr_octets(s.as_generalized_utf8());
    }

    /// A str given as generalized UTF-8: STR/FIXSTR when it holds no surrogate, SSTR when
    /// it does (the canonical choice).
    ///
    /// # Errors
    ///
    /// When `text` is not generalized UTF-8; nothing is written then.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_generalized_utf8(b"a")?;
    /// w.write_generalized_utf8(b"\xed\xb2\x80")?;
    /// assert!(w.write_generalized_utf8(b"\xc0\xaf").is_err());
    /// assert_eq!(w.into_inner(), b"\x81a\xdc\x03\xed\xb2\x80");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn write_generalized_utf8(&mut self, text: &[u8]) -> Result<(), SurrogateStrError> {
        self.put_generalized_utf8(text)?;
        self.item();
        Ok(())
    }

    pub(crate) fn put_generalized_utf8(&mut self, text: &[u8]) -> Result<(), SurrogateStrError> {
        match generalized::validate(text) {
            Ok(has_surrogate) => {
                if has_surrogate {
                    self.sstr_octets(text);
                } else {
                    self.str_octets(text);
                }
                Ok(())
            }
            Err(valid_up_to) => Err(SurrogateStrError::InvalidGeneralizedUtf8 { valid_up_to }),
        }
    }

    /// A str given as code points (surrogates allowed): STR/FIXSTR without a surrogate,
    /// SSTR with one. The iterator is walked twice (for the length, then the octets), so it
    /// must be `Clone`; nothing is allocated.
    ///
    /// # Errors
    ///
    /// For a code point above U+10FFFF; nothing is written then.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_code_points([0x61, 0xdc80, 0x62])?;
    /// assert_eq!(w.into_inner(), b"\xdc\x05a\xed\xb2\x80b");
    /// # Ok::<(), frozenpack::SurrogateStrError>(())
    /// ```
    pub fn write_code_points<I>(&mut self, code_points: I) -> Result<(), SurrogateStrError>
    where
        I: IntoIterator<Item = u32>,
        I::IntoIter: Clone,
    {
        let code_points = code_points.into_iter();
        let mut len = 0usize;
        let mut has_surrogate = false;
        for cp in code_points.clone() {
            let cp_len =
                generalized::encoded_len(cp).ok_or(SurrogateStrError::CodePointOutOfRange(cp))?;
            len = len.saturating_add(cp_len);
            has_surrogate |= generalized::is_surrogate(cp);
        }
        self.item();
        if has_surrogate {
            self.header(Family::SStr, len as u64);
        } else {
            self.fix_or_header(tag::FIXSTR, tag::FIXSTR_MAX, Family::Str, len);
        }
        let mut buf = [0u8; 4];
        for cp in code_points {
            self.out
                .write_octets(generalized::encode_code_point(cp, &mut buf));
        }
        Ok(())
    }

    /// Bytes: FIXBYTES up to 15 octets, else BYTES.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_bytes(b"\x00\xff");
    /// assert_eq!(w.into_inner(), b"\xa2\x00\xff");
    /// ```
    pub fn write_bytes(&mut self, b: &[u8]) {
        self.item();
        self.put_bytes(b);
    }

    #[inline]
    pub(crate) fn put_bytes(&mut self, b: &[u8]) {
        self.fix_or_header(tag::FIXBYTES, tag::FIXBYTES_MAX, Family::Bytes, b.len());
        self.put_payload(b);
    }

    /// A tuple's header: FIXTUPLE up to 15 items, else TUPLE. The next `len` items written
    /// are its items.
    ///
    /// ```
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_tuple_header(16);
    /// for _ in 0..16 {
    ///     w.write_none();
    /// }
    /// let out = w.finish().unwrap();
    /// assert_eq!(&out[..2], b"\xd8\x10");
    /// ```
    pub fn write_tuple_header(&mut self, len: usize) {
        self.item();
        self.pending = self.pending.saturating_add(len as u128);
        self.put_tuple_header(len);
    }

    #[inline]
    pub(crate) fn put_tuple_header(&mut self, len: usize) {
        self.fix_or_header(tag::FIXTUPLE, tag::FIXTUPLE_MAX, Family::Tuple, len);
    }

    /// Complete items that another `Writer` has encoded into `octets`, appended as they are
    /// (for a serde sequence of unknown length, whose items are encoded before the header
    /// that counts them can be), without the accounting of `pending`, like the `put_*`
    /// methods.
    pub(crate) fn append_encoded(&mut self, octets: &[u8]) {
        self.out.write_octets(octets);
    }

    /// A whole value tree, walked with an explicit stack (any depth).
    ///
    /// ```
    /// let value = frozenpack::Value::from(vec![frozenpack::Value::from(1), frozenpack::Value::None]);
    /// let mut w = frozenpack::Writer::new(Vec::new());
    /// w.write_value(&value);
    /// assert_eq!(w.into_inner(), b"\xb2\x01\xc0");
    /// ```
    pub fn write_value<T: ValueTree>(&mut self, root: &T) {
        self.item();
        self.put_value(root);
    }

    /// [`write_value`](Self::write_value) without the accounting: the open tuples are a stack
    /// of iterators over their items, the innermost kept apart in a local.
    pub(crate) fn put_value<T: ValueTree>(&mut self, root: &T) {
        let Some(mut items) = self.put_node(root) else {
            return;
        };
        let mut outer: Vec<core::slice::Iter<'_, T>> = Vec::new();
        loop {
            match items.next() {
                Some(node) => {
                    if let Some(inner) = self.put_node(node) {
                        outer.push(core::mem::replace(&mut items, inner));
                    }
                }
                None => match outer.pop() {
                    Some(parent) => items = parent,
                    None => return,
                },
            }
        }
    }

    /// Writes a leaf, or a tuple's header and returns its items, to be written next.
    #[inline(always)]
    fn put_node<'v, T: ValueTree>(&mut self, node: &'v T) -> Option<core::slice::Iter<'v, T>> {
        match node.as_value_ref() {
            ValueRef::None => self.out.write_octet(tag::NONE),
            ValueRef::Bool(b) => self.out.write_octet(if b { tag::TRUE } else { tag::FALSE }),
            ValueRef::Int(v) => self.put_i64(v),
            ValueRef::BigInt(big) => self.put_bigint(big.as_le_bytes()),
            ValueRef::Float(x) => self.put_f64_bits(x.to_bits()),
            ValueRef::Str(s) => self.str_octets(s.as_bytes()),
            ValueRef::SurrogateStr(s) => self.sstr_octets(s.as_generalized_utf8()),
            ValueRef::Bytes(b) => self.put_bytes(b),
            ValueRef::Tuple(items) => {
                self.put_tuple_header(items.len());
                return Some(items.iter());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(f: impl FnOnce(&mut Writer<Vec<u8>>)) -> Vec<u8> {
        let mut w = Writer::new(Vec::new());
        f(&mut w);
        w.finish().expect("complete")
    }

    #[test]
    fn ints_follow_spec_examples_e4_to_e26() {
        let cases: &[(i128, &[u8])] = &[
            (0, b"\x00"),
            (127, b"\x7f"),
            (-1, b"\xff"),
            (-16, b"\xf0"),
            (-17, b"\xc4\xef"),
            (-128, b"\xc4\x80"),
            (128, b"\xc5\x80\x00"),
            (255, b"\xc5\xff\x00"),
            (1000, b"\xc5\xe8\x03"),
            (-129, b"\xc5\x7f\xff"),
            (65536, b"\xc6\x00\x00\x01"),
            (2147483648, b"\xc8\x00\x00\x00\x80\x00"),
            (-2147483648, b"\xc7\x00\x00\x00\x80"),
            (i64::MAX as i128, b"\xcb\xff\xff\xff\xff\xff\xff\xff\x7f"),
            (i64::MIN as i128, b"\xcb\x00\x00\x00\x00\x00\x00\x00\x80"),
            (1 << 63, b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00"),
            (
                -(1 << 63) - 1,
                b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\x7f\xff",
            ),
            (
                (1 << 64) - 1,
                b"\xcc\x09\xff\xff\xff\xff\xff\xff\xff\xff\x00",
            ),
            (1 << 64, b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01"),
            (-(1 << 64), b"\xcc\x09\x00\x00\x00\x00\x00\x00\x00\x00\xff"),
            (
                1 << 100,
                b"\xcc\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10",
            ),
            (
                -(1 << 100),
                b"\xcc\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0",
            ),
        ];
        for &(v, bytes) in cases {
            assert_eq!(encoded(|w| w.write_i128(v)), bytes, "{v}");
            assert_eq!(
                encoded(|w| w.write_int_le(&v.to_le_bytes())),
                bytes,
                "{v} via le"
            );
            if let Ok(u) = u128::try_from(v) {
                assert_eq!(encoded(|w| w.write_u128(u)), bytes, "{v} via u128");
            }
            if let Ok(small) = i64::try_from(v) {
                assert_eq!(encoded(|w| w.write_i64(small)), bytes, "{v} via i64");
            }
        }
        assert_eq!(encoded(|w| w.write_int_le(&[])), b"\x00");
    }

    #[test]
    fn length_fields_take_the_narrowest_width() {
        let header = |n: usize| {
            let mut w = Writer::new(Vec::new());
            w.write_bytes(&vec![0u8; n]);
            let out = w.into_inner();
            out[..out.len() - n].to_vec()
        };
        assert_eq!(header(15), b"\xaf");
        assert_eq!(header(16), b"\xd4\x10");
        assert_eq!(header(255), b"\xd4\xff");
        assert_eq!(header(256), b"\xd5\x00\x01");
        assert_eq!(header(65535), b"\xd5\xff\xff");
        assert_eq!(header(65536), b"\xd6\x00\x00\x01\x00");
        // The 8-octet field, without writing 4 GiB: the header alone.
        let mut w = Writer::new(Vec::new());
        w.header(Family::Tuple, 1 << 32);
        assert_eq!(w.into_inner(), b"\xdb\x00\x00\x00\x00\x01\x00\x00\x00");
    }

    #[test]
    fn strings_pick_their_canonical_form() {
        assert_eq!(encoded(|w| w.write_str("")), b"\x80");
        let s31 = "a".repeat(31);
        assert_eq!(encoded(|w| w.write_str(&s31))[0], 0x9f);
        let s32 = "abcdefghijklmnopqrstuvwxyz012345";
        assert_eq!(&encoded(|w| w.write_str(s32))[..2], b"\xd0\x20");
        assert_eq!(
            encoded(|w| w.write_code_points([0xd83d, 0xde00]).unwrap()),
            b"\xdc\x06\xed\xa0\xbd\xed\xb8\x80"
        );
        assert_eq!(
            encoded(|w| w.write_code_points([0x1f600]).unwrap()),
            b"\x84\xf0\x9f\x98\x80"
        );
        assert_eq!(encoded(|w| w.write_generalized_utf8(b"").unwrap()), b"\x80");
        let mut w = Writer::new(Vec::new());
        assert_eq!(
            w.write_code_points([0x61, 0x110000]),
            Err(SurrogateStrError::CodePointOutOfRange(0x110000))
        );
        assert!(w.get_ref().is_empty());
    }

    #[test]
    fn floats_keep_every_bit() {
        assert_eq!(
            encoded(|w| w.write_f64(0.1)),
            b"\xc3\x9a\x99\x99\x99\x99\x99\xb9\x3f"
        );
        assert_eq!(
            encoded(|w| w.write_f64(f64::from_bits(0x7ff8_0000_0000_0001))),
            b"\xc3\x01\x00\x00\x00\x00\x00\xf8\x7f"
        );
    }

    #[test]
    fn pending_items_track_nested_tuples() {
        let mut w = Writer::new(Vec::new());
        w.write_tuple_header(2);
        w.write_tuple_header(2);
        assert_eq!(w.pending_items(), 3);
        w.write_none();
        w.write_none();
        assert_eq!(w.pending_items(), 1);
        w.write_bytes(b"");
        assert_eq!(w.pending_items(), 0);
        // A second top-level value: a sequence (spec §9) is complete too.
        w.write_none();
        assert_eq!(w.finish().unwrap(), b"\xb2\xb2\xc0\xc0\xa0\xc0");
    }
}
