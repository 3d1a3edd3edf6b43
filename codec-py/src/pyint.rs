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

/// The value of an `int` (or subclass) of at most two digits (|v| < 2^60) read straight from
/// the object, or None for a larger one. Only valid when [`digits_are_30_bit`].
///
/// `PyLong_AsLongLongAndOverflow` gives the same answer through a general loop with overflow
/// checks; encoding ints is mostly this, so the direct read is worth its few lines.
#[inline]
pub unsafe fn two_digit_value(obj: *mut PyObject) -> Option<i64> {
    let long = obj as *const LongLayout;
    let digits = std::ptr::addr_of!((*long).ob_digit) as *const u32;
    #[cfg(not(Py_3_12))]
    let (count, negative) = {
        let size = (*long).ob_base.ob_size;
        (size.unsigned_abs(), size < 0)
    };
    #[cfg(Py_3_12)]
    let (count, negative) = {
        let tag = (*long).lv_tag;
        (tag >> 3, tag & 3 == 2)
    };
    let magnitude = match count {
        0 => 0,
        1 => i64::from(*digits),
        // Only a two-digit int has a second digit to read.
        2 => i64::from(*digits) | (i64::from(*digits.add(1)) << 30),
        _ => return None,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Replaces the contents of `buf` with the two's complement of `obj` (an int or a subclass),
/// little-endian, with at least one sign bit, converted from its 30-bit digits directly
/// (several times faster than `_PyLong_AsByteArray`, which goes octet by octet with checks).
/// Only valid when [`digits_are_30_bit`].
pub unsafe fn to_le_signed_from_digits(obj: *mut PyObject, buf: &mut Vec<u8>) {
    let long = obj as *const LongLayout;
    let digits = std::ptr::addr_of!((*long).ob_digit) as *const u32;
    #[cfg(not(Py_3_12))]
    let (count, negative) = {
        let size = (*long).ob_base.ob_size;
        (size.unsigned_abs(), size < 0)
    };
    #[cfg(Py_3_12)]
    let (count, negative) = {
        let tag = (*long).lv_tag;
        (tag >> 3, tag & 3 == 2)
    };
    let digits = std::slice::from_raw_parts(digits, count);
    buf.clear();
    buf.reserve(count * 30 / 8 + 2);
    // The magnitude, little-endian: 30 bits at a time into an accumulator, out 8 at a time.
    let mut acc: u64 = 0;
    let mut bits = 0;
    for &digit in digits {
        acc |= u64::from(digit) << bits;
        bits += 30;
        while bits >= 8 {
            buf.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
    if bits > 0 {
        buf.push(acc as u8);
    }
    // A zero octet on top, so the sign bit is clear (the writer drops it when redundant).
    buf.push(0);
    if negative {
        // Two's complement: invert, add one.
        let mut carry = 1u16;
        for octet in buf.iter_mut() {
            let v = u16::from(!*octet) + carry;
            *octet = v as u8;
            carry = v >> 8;
        }
    }
}
