//! Python ints to and from little-endian two's complement, for BIGINT payloads.
//!
//! CPython 3.13 has a public API for it (`PyLong_AsNativeBytes`, `PyLong_FromNativeBytes`);
//! 3.11 and 3.12 have the private, exported functions `int.to_bytes` and `int.from_bytes`
//! themselves use. Both read the C integer of an `int` subclass directly: no `__index__` or
//! other method the subclass could override is called (as in the reference).

use pyo3_ffi::*;

#[cfg(not(Py_3_13))]
extern "C" {
    // Exported by CPython 3.11 and 3.12 (cpython/longobject.h); pyo3-ffi leaves it out.
    fn _PyLong_NumBits(v: *mut PyObject) -> usize;
}

/// `Py_ASNATIVEBYTES_LITTLE_ENDIAN`: little-endian, signed (no `UNSIGNED_BUFFER` flag).
#[cfg(Py_3_13)]
const LITTLE_ENDIAN_SIGNED: std::ffi::c_int = 1;

/// The int whose two's complement, little-endian, is `le`. New reference, or null with an
/// exception set.
pub unsafe fn from_le_signed(le: &[u8]) -> *mut PyObject {
    #[cfg(Py_3_13)]
    {
        PyLong_FromNativeBytes(le.as_ptr().cast(), le.len(), LITTLE_ENDIAN_SIGNED)
    }
    #[cfg(not(Py_3_13))]
    {
        _PyLong_FromByteArray(le.as_ptr(), le.len(), 1, 1)
    }
}

/// Replaces the contents of `buf` with the two's complement of `obj` (an int or a subclass),
/// little-endian, in enough octets to keep its sign (possibly a few more; the writer drops
/// redundant sign octets). On error (memory) a Python exception is set.
pub unsafe fn to_le_signed(obj: *mut PyObject, buf: &mut Vec<u8>) -> Result<(), ()> {
    #[cfg(Py_3_13)]
    {
        let needed = PyLong_AsNativeBytes(obj, std::ptr::null_mut(), 0, LITTLE_ENDIAN_SIGNED);
        if needed < 0 {
            return Err(());
        }
        buf.clear();
        buf.resize(needed as usize, 0);
        if PyLong_AsNativeBytes(obj, buf.as_mut_ptr().cast(), needed, LITTLE_ENDIAN_SIGNED) < 0 {
            return Err(());
        }
        Ok(())
    }
    #[cfg(not(Py_3_13))]
    {
        let bits = _PyLong_NumBits(obj);
        if bits == usize::MAX && !PyErr_Occurred().is_null() {
            return Err(());
        }
        // bits / 8 + 1 octets always hold the value with its sign bit.
        let n = bits / 8 + 1;
        buf.clear();
        buf.resize(n, 0);
        if _PyLong_AsByteArray(obj.cast::<PyLongObject>(), buf.as_mut_ptr(), n, 1, 1) < 0 {
            return Err(());
        }
        Ok(())
    }
}

/// The layout of an `int` object in the C API versions this crate is built for: CPython
/// stores the magnitude in 30-bit digits, least significant first, after the object header
/// and the size (3.11: `ob_size`, signed digit count) or `lv_tag` (3.12+: digit count << 3,
/// and the sign in the low bits: 0 positive, 1 zero, 2 negative).
#[cfg(not(Py_3_12))]
#[repr(C)]
struct LongLayout {
    ob_base: PyVarObject,
    ob_digit: [u32; 1],
}

#[cfg(Py_3_12)]
#[repr(C)]
struct LongLayout {
    ob_base: PyObject,
    lv_tag: usize,
    ob_digit: [u32; 1],
}

/// Whether this interpreter's ints use the 30-bit digits in 32-bit words that
/// [`two_digit_value`] reads (`sys.int_info`); the default on every 64-bit build, but a build
/// may choose 15-bit digits. On error a Python exception is set.
pub unsafe fn digits_are_30_bit() -> Result<bool, ()> {
    let info = PyLong_GetInfo();
    if info.is_null() {
        return Err(());
    }
    let bits = PyLong_AsLong(PyStructSequence_GetItem(info, 0));
    let size = PyLong_AsLong(PyStructSequence_GetItem(info, 1));
    Py_DECREF(info);
    if !PyErr_Occurred().is_null() {
        return Err(());
    }
    Ok(bits == 30 && size == 4)
}

/// The digit count and sign of an `int` (or subclass), read from its header.
#[inline]
unsafe fn digit_count_and_sign(long: *const LongLayout) -> (usize, bool) {
    #[cfg(not(Py_3_12))]
    {
        let size = (*long).ob_base.ob_size;
        (size.unsigned_abs(), size < 0)
    }
    #[cfg(Py_3_12)]
    {
        let tag = (*long).lv_tag;
        (tag >> 3, tag & 3 == 2)
    }
}

/// The value of an `int` (or subclass) that fits in an `i64`, read straight from the object
/// (at most three digits), or None for a larger one. Only valid when [`digits_are_30_bit`].
///
/// `PyLong_AsLongLongAndOverflow` gives the same answer through a general loop with overflow
/// checks; encoding ints is mostly this, so the direct read is worth its few lines. Three
/// digits hold 90 bits: the third is read only for the ints of 2^60 and more (most of the
/// 64-bit range), which otherwise took the big-int path.
#[inline]
pub unsafe fn small_value(obj: *mut PyObject) -> Option<i64> {
    let long = obj as *const LongLayout;
    let digits = std::ptr::addr_of!((*long).ob_digit) as *const u32;
    let (count, negative) = digit_count_and_sign(long);
    let magnitude = match count {
        0 => 0,
        1 => i64::from(*digits),
        // Only a two-digit int has a second digit to read.
        2 => i64::from(*digits) | (i64::from(*digits.add(1)) << 30),
        3 => {
            let low = u64::from(*digits) | (u64::from(*digits.add(1)) << 30);
            let top = u64::from(*digits.add(2));
            // |v| < 2^63, or v = -2^63 (magnitude 2^63 exactly).
            if top < 8 {
                (low | (top << 60)) as i64
            } else if negative && top == 8 && low == 0 {
                return Some(i64::MIN);
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Replaces the contents of `buf` with the two's complement of `obj` (an int or a subclass),
/// little-endian, with at least one sign bit, converted from its 30-bit digits directly
/// (several times faster than `_PyLong_AsByteArray`, which goes octet by octet with checks).
/// Only valid when [`digits_are_30_bit`].
///
/// The digits go into a 128-bit accumulator and out 8 octets at a time, and a negative
/// value is negated a word at a time: octet-by-octet pushes cost about 400 instructions for
/// an int of 200 bits, more than all the rest of encoding it.
pub unsafe fn to_le_signed_from_digits(obj: *mut PyObject, buf: &mut Vec<u8>) {
    let long = obj as *const LongLayout;
    let digits = std::ptr::addr_of!((*long).ob_digit) as *const u32;
    let (count, negative) = digit_count_and_sign(long);
    let digits = std::slice::from_raw_parts(digits, count);
    // The magnitude's octets, whole words of them, then a zero octet on top so that the sign
    // bit is clear (the writer drops it when it is redundant).
    let words = (count * DIGIT_BITS as usize).div_ceil(64);
    buf.clear();
    buf.reserve(words * 8 + 16);
    let out = buf.as_mut_ptr();
    let mut written = 0;
    let mut acc: u128 = 0;
    let mut bits = 0;
    for &digit in digits {
        acc |= u128::from(digit) << bits;
        bits += DIGIT_BITS;
        if bits >= 64 {
            std::ptr::write_unaligned(out.add(written).cast::<u64>(), acc as u64);
            written += 8;
            acc >>= 64;
            bits -= 64;
        }
    }
    // What is left (under 64 bits), then zeros: two whole words, of which the octets holding
    // bits and one zero octet (the sign) are kept. Every octet the negation below reads is
    // thus written.
    std::ptr::write_unaligned(out.add(written).cast::<u64>(), acc as u64);
    std::ptr::write_unaligned(out.add(written + 8).cast::<u64>(), 0);
    written += (bits as usize).div_ceil(8) + 1;
    if negative {
        // Two's complement: invert, add one, a word at a time (the last word partly).
        let mut carry = 1u64;
        let mut at = 0;
        while at < written {
            let take = (written - at).min(8);
            let word = out.add(at).cast::<u64>();
            let value = std::ptr::read_unaligned(word);
            let (negated, overflowed) = (!value).overflowing_add(carry);
            carry = u64::from(overflowed);
            // Octets past `written` are scratch, within the two words written above.
            std::ptr::write_unaligned(word, negated);
            at += take;
        }
    }
    buf.set_len(written);
}

extern "C" {
    // Exported by CPython 3.11 to 3.13 (cpython/longintrepr.h); pyo3-ffi leaves it out. A new
    // int of `size` digits, their values (and on 3.12+ the sign) for the caller to set.
    fn _PyLong_New(size: Py_ssize_t) -> *mut PyObject;
}

/// Digits of 30 bits, as CPython stores them.
const DIGIT_BITS: u32 = 30;
const DIGIT_MASK: u64 = (1 << DIGIT_BITS) - 1;

/// The int whose two's complement, little-endian, is `le` (a BIGINT payload: at least 9
/// octets, its value outside the 64-bit range), built straight from its 30-bit digits. New
/// reference, or null with an exception set. Only valid when [`digits_are_30_bit`].
///
/// `_PyLong_FromByteArray` (and 3.13's `PyLong_FromNativeBytes`, which calls it) takes each
/// octet through a general loop with overflow checks: about 30 instructions an octet, which
/// made decoding big ints slower than pickle. Here 8 octets at a time feed the digits.
pub unsafe fn from_le_signed_digits(le: &[u8]) -> *mut PyObject {
    let negative = le.last().is_some_and(|&top| top >= 0x80);
    // The magnitude never needs more digits than the octets have bits.
    let capacity = (le.len() * 8).div_ceil(DIGIT_BITS as usize);
    let Ok(size) = Py_ssize_t::try_from(capacity) else {
        return PyErr_NoMemory();
    };
    let obj = _PyLong_New(size);
    if obj.is_null() {
        return obj;
    }
    let long = obj as *mut LongLayout;
    let digits = std::slice::from_raw_parts_mut(std::ptr::addr_of_mut!((*long).ob_digit) as *mut u32, capacity);
    // Digit i is bits 30i .. 30i + 30 of the value (sign bits beyond the octets); for a
    // negative value the magnitude is the two's complement of that: each digit inverted, plus
    // a carry that starts at one and runs from the least significant digit up.
    let pad = if negative { 0xff } else { 0x00 };
    let flip = if negative { DIGIT_MASK } else { 0 };
    let mut carry = u64::from(negative);
    let base = le.as_ptr();
    // Two digits (60 bits) from each 8-octet window: the pair k starts at bit 60k, i.e. at
    // octet 7.5k, so the window is read at octet 60k / 8 and shifted by 0 or 4.
    let mut put = |digit: &mut u32, raw: u64| {
        // Negative: inverted, plus the carry (one's complement plus one, digit-wise).
        let value = ((raw & DIGIT_MASK) ^ flip) + carry;
        carry = value >> DIGIT_BITS;
        *digit = (value & DIGIT_MASK) as u32;
    };
    let mut pairs = digits.chunks_mut(2);
    let mut at = 0usize;
    for pair in &mut pairs {
        let start = at / 8;
        let window = if start + 8 <= le.len() {
            u64::from_le(std::ptr::read_unaligned(base.add(start).cast::<u64>()))
        } else {
            window_le(le, start, pad)
        } >> (at % 8);
        let mut pair = pair.iter_mut();
        if let Some(digit) = pair.next() {
            put(digit, window);
        }
        if let Some(digit) = pair.next() {
            put(digit, window >> DIGIT_BITS);
        }
        at += 2 * DIGIT_BITS as usize;
    }
    let filled = capacity;
    // No zero digits on top (CPython's invariant): a BIGINT has at least 65 significant bits,
    // so some digit is non-zero.
    let mut count = filled.min(capacity);
    while count > 0 && digits.get(count - 1) == Some(&0) {
        count -= 1;
    }
    set_digit_count_and_sign(long, count, negative);
    obj
}

/// The 8 octets of `le` from `start` as a little-endian word, `pad` standing for the octets
/// past its end (for the last digits of an int: assembled by shifts, not copied, which would
/// be a `memcpy` call of a variable length).
#[inline]
fn window_le(le: &[u8], start: usize, pad: u8) -> u64 {
    if let Some(window) = le.get(start..).and_then(|rest| rest.first_chunk::<8>()) {
        return u64::from_le_bytes(*window);
    }
    let present = le.get(start..).unwrap_or_default();
    let mut word = if pad == 0 { 0 } else { u64::MAX };
    for (i, &octet) in present.iter().enumerate().take(8) {
        let shift = 8 * i as u32;
        word = (word & !(0xff << shift)) | (u64::from(octet) << shift);
    }
    word
}

/// The int `v`, as `PyLong_FromLongLong` makes it (small ints are CPython's cached objects),
/// but one of two or three digits (|v| of 2^30 and more) is built from them directly
/// rather than through CPython's loop that counts them first. New reference, or null with
/// an exception set. Only valid when [`digits_are_30_bit`].
#[inline(always)]
pub unsafe fn from_i64_digits(v: i64) -> *mut PyObject {
    let magnitude = v.unsigned_abs();
    if magnitude <= DIGIT_MASK {
        // One digit or none: CPython's own fast path (and its small-int cache).
        return PyLong_FromLongLong(v);
    }
    let count = if magnitude >> (2 * DIGIT_BITS) == 0 { 2 } else { 3 };
    let obj = _PyLong_New(count as Py_ssize_t);
    if obj.is_null() {
        return obj;
    }
    let long = obj as *mut LongLayout;
    let digits = std::ptr::addr_of_mut!((*long).ob_digit) as *mut u32;
    *digits = (magnitude & DIGIT_MASK) as u32;
    *digits.add(1) = ((magnitude >> DIGIT_BITS) & DIGIT_MASK) as u32;
    if count == 3 {
        // At most 2^63: the top digit holds the last 4 bits.
        *digits.add(2) = (magnitude >> (2 * DIGIT_BITS)) as u32;
    }
    set_digit_count_and_sign(long, count, v < 0);
    obj
}

/// Sets the header of a new int of `count` digits (more were allocated) and its sign.
#[inline]
unsafe fn set_digit_count_and_sign(long: *mut LongLayout, count: usize, negative: bool) {
    #[cfg(not(Py_3_12))]
    {
        let count = count as Py_ssize_t;
        (*long).ob_base.ob_size = if negative { -count } else { count };
    }
    #[cfg(Py_3_12)]
    {
        // lv_tag: the digit count above three bits of sign: 0 positive, 1 zero, 2 negative.
        let sign = if count == 0 { 1 } else if negative { 2 } else { 0 };
        (*long).lv_tag = (count << 3) | sign;
    }
}
