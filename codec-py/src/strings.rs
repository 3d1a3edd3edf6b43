//! Python `str` objects from decoded payloads, with a small cache for short ASCII strings.
//!
//! Decoded data repeats short strings (field names, labels, enum-like values); returning the
//! same object for the same short text saves an allocation and a copy per occurrence. The
//! cache is a direct-mapped table in the module state: a hit costs a hash of at most
//! [`CACHE_MAX_LEN`] octets and one comparison, a miss replaces the slot's entry.

use std::ptr::null_mut;

use pyo3_ffi::*;

/// Slots in the cache: 2^CACHE_BITS.
const CACHE_BITS: u32 = 9;
const CACHE_SIZE: usize = 1 << CACHE_BITS;
/// Longest string (in octets) that is looked up in the cache.
pub const CACHE_MAX_LEN: usize = 16;

/// One slot: a strong reference to a compact ASCII `str` (or null), with a copy of its text,
/// so that a miss is decided without touching the object (usually not in the CPU's cache).
#[derive(Clone, Copy)]
#[repr(C)]
struct Entry {
    obj: *mut PyObject,
    /// The text as [`key`] packs it, and its length.
    key: [u64; 2],
    len: usize,
}

/// A text of at most [`CACHE_MAX_LEN`] octets as two words that, with its length, identify
/// it: its first and last 8 octets (overlapping when it is shorter than 16), or for a text
/// under 8 octets the text padded with zeros, and 0.
#[inline]
fn key(text: &[u8]) -> [u64; 2] {
    let len = text.len();
    if len >= 8 {
        let first = u64::from_le_bytes(octets_at(text, 0));
        let last = u64::from_le_bytes(octets_at(text, len - 8));
        [first, last]
    } else {
        [short_word(text), 0]
    }
}

/// The octets of `text` (fewer than 8) as a little-endian word padded with zeros.
///
/// Built from two overlapping fixed-size loads (of 4, or 2, octets: the first ones and the
/// last ones, which agree where they overlap) instead of copying into a zeroed buffer: that
/// variable-length copy compiled to a `memcpy` call per string.
#[inline]
fn short_word(text: &[u8]) -> u64 {
    let len = text.len();
    debug_assert!(len < 8);
    if len >= 4 {
        let first = u32::from_le_bytes(octets_at(text, 0));
        let last = u32::from_le_bytes(octets_at(text, len - 4));
        u64::from(first) | (u64::from(last) << (8 * (len - 4)))
    } else if len >= 2 {
        let first = u16::from_le_bytes(octets_at(text, 0));
        let last = u16::from_le_bytes(octets_at(text, len - 2));
        u64::from(first) | (u64::from(last) << (8 * (len - 2)))
    } else {
        text.first().map_or(0, |&octet| u64::from(octet))
    }
}

/// The `N` octets of `text` at `at` (the callers check the length first; out of range would
/// read as zeros, never panic).
#[inline]
fn octets_at<const N: usize>(text: &[u8], at: usize) -> [u8; N] {
    text.get(at..)
        .and_then(|rest| rest.first_chunk::<N>())
        .copied()
        .unwrap_or([0; N])
}

/// Whether the text [`key`] packed is ASCII: the key holds every octet of a text of at most
/// 16 (padding is zero), so one test replaces a scan of the octets.
#[inline]
fn key_is_ascii(key: [u64; 2]) -> bool {
    (key[0] | key[1]) & 0x8080_8080_8080_8080 == 0
}

/// The cache: a direct-mapped table of [`Entry`]s.
#[repr(C)]
pub struct StrCache {
    entries: [Entry; CACHE_SIZE],
}

impl StrCache {
    /// Drops every cached string.
    pub unsafe fn clear(&mut self) {
        for entry in self.entries.iter_mut() {
            let obj = std::mem::replace(&mut entry.obj, null_mut());
            Py_XDECREF(obj);
        }
    }

    /// The `str` for `ascii` (at most [`CACHE_MAX_LEN`] octets, all below 0x80), whose
    /// [`key`] is `key`.
    ///
    /// A text is admitted on its second sighting: the first one only records it in the slot,
    /// the second stores the object, later ones return it. Data whose short strings are all
    /// different (ids, names) then never pays for keeping objects alive and for releasing
    /// them when their slot is taken (which touches memory that is usually cold), while
    /// repeated keys and labels are shared from their second occurrence on.
    #[inline]
    unsafe fn get(&mut self, ascii: &[u8], key: [u64; 2]) -> *mut PyObject {
        // A multiplicative hash of both words: a few instructions, and every octet counts.
        let mixed = (key[0] ^ key[1].rotate_left(29) ^ ascii.len() as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // The top CACHE_BITS bits: always a slot of the table.
        let slot = (mixed >> (64 - CACHE_BITS)) as usize % CACHE_SIZE;
        let Some(entry) = self.entries.get_mut(slot) else {
            return new_ascii(ascii);
        };
        let seen = entry.len == ascii.len() && entry.key == key;
        if seen && !entry.obj.is_null() {
            return Py_NewRef(entry.obj);
        }
        let fresh = new_ascii(ascii);
        if fresh.is_null() {
            return fresh;
        }
        if seen {
            entry.obj = Py_NewRef(fresh);
        } else {
            let old = std::mem::replace(&mut entry.obj, null_mut());
            entry.len = ascii.len();
            entry.key = key;
            Py_XDECREF(old);
        }
        fresh
    }
}

/// A new compact ASCII `str` holding `ascii`: allocated at its size and filled with one copy,
/// without the UTF-8 decoder's scan.
#[inline]
unsafe fn new_ascii(ascii: &[u8]) -> *mut PyObject {
    let obj = PyUnicode_New(ascii.len() as Py_ssize_t, 127);
    if !obj.is_null() {
        std::ptr::copy_nonoverlapping(ascii.as_ptr(), PyUnicode_1BYTE_DATA(obj), ascii.len());
    }
    obj
}

/// The `str` of a FIXSTR/STR payload (`text` was validated by the codec). New reference,
/// or null with an exception set.
#[inline]
pub unsafe fn from_utf8(cache: &mut StrCache, text: &str) -> *mut PyObject {
    let octets = text.as_bytes();
    if octets.len() <= CACHE_MAX_LEN {
        let key = key(octets);
        if key_is_ascii(key) {
            return cache.get(octets, key);
        }
    } else if octets.is_ascii() {
        return new_ascii(octets);
    }
    PyUnicode_DecodeUTF8(
        octets.as_ptr().cast(),
        octets.len() as Py_ssize_t,
        std::ptr::null(),
    )
}

/// The `str` of an SSTR payload: generalized UTF-8 (validated by the codec), which is what
/// Python's `surrogatepass` error handler reads, each surrogate its own code point.
pub unsafe fn from_generalized_utf8(octets: &[u8]) -> *mut PyObject {
    PyUnicode_DecodeUTF8(
        octets.as_ptr().cast(),
        octets.len() as Py_ssize_t,
        c"surrogatepass".as_ptr(),
    )
}
