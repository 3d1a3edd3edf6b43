//! The encoder's output: the buffer of the `bytes` object `dumps` returns.
//!
//! The codec's `Writer` writes into it directly. A small encoding is written into an inline
//! buffer first and becomes a `bytes` with one allocation at the end (no reallocation, no
//! trimming); once it outgrows that, or when the caller knows it will be large, the octets go
//! straight into a `bytes` object's buffer, which grows by `realloc` (large blocks move
//! without copying where the allocator can) and is trimmed to the exact length at the end.
//! So a large payload is copied once, into its final place.

use std::mem::MaybeUninit;
use std::ptr::null_mut;

use frozenpack::Output;
use pyo3_ffi::*;

extern "C" {
    // Public in CPython's C API (cpython/bytesobject.h); pyo3-ffi keeps its declaration
    // private.
    fn _PyBytes_Resize(bytes: *mut *mut PyObject, newsize: Py_ssize_t) -> std::ffi::c_int;
}

/// Octets kept inline before a `bytes` object is allocated.
pub const INLINE: usize = 256;

/// An encoding being written: `len` octets in the inline buffer (while `obj` is null) or in
/// the `bytes` object `obj` of capacity `cap`.
pub struct BytesOut {
    obj: *mut PyObject,
    len: usize,
    cap: usize,
    /// Growing the `bytes` failed: `MemoryError` is set and nothing more is written.
    failed: bool,
    /// Not initialised until written: zeroing 256 octets cost more than encoding a small
    /// tuple's items (callgrind).
    inline: [MaybeUninit<u8>; INLINE],
}

impl BytesOut {
    /// An output that starts inline.
    #[inline]
    pub fn new() -> Self {
        BytesOut {
            obj: null_mut(),
            len: 0,
            cap: INLINE,
            failed: false,
            inline: [const { MaybeUninit::uninit() }; INLINE],
        }
    }

    /// An output that starts as a `bytes` of `cap` octets, or an error with `MemoryError` set.
    pub unsafe fn with_capacity(cap: usize) -> Result<Self, ()> {
        let mut out = BytesOut::new();
        let obj = PyBytes_FromStringAndSize(std::ptr::null(), cap as Py_ssize_t);
        if obj.is_null() {
            return Err(());
        }
        out.obj = obj;
        out.cap = cap;
        Ok(out)
    }

    /// Whether growing the buffer failed (`MemoryError` is set then).
    #[inline]
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The `bytes` object holding exactly what was written (a new reference), or null with
    /// the exception set.
    pub unsafe fn finish(mut self) -> *mut PyObject {
        if self.failed {
            return null_mut();
        }
        if self.obj.is_null() {
            // The first `len` octets of the inline buffer were written.
            return PyBytes_FromStringAndSize(self.inline.as_ptr().cast(), self.len as Py_ssize_t);
        }
        if self.len != self.cap && _PyBytes_Resize(&mut self.obj, self.len as Py_ssize_t) < 0 {
            // _PyBytes_Resize has released the object and set MemoryError.
            self.obj = null_mut();
            return null_mut();
        }
        std::mem::replace(&mut self.obj, null_mut())
    }

    /// Makes room for `extra` more octets; false (with `MemoryError` set) if that failed.
    #[cold]
    unsafe fn grow(&mut self, extra: usize) -> bool {
        let needed = match self.len.checked_add(extra) {
            Some(n) if n <= isize::MAX as usize => n,
            _ => return self.fail(true),
        };
        // Doubling keeps appends amortised O(1); a large payload gets exactly its size.
        let cap = needed.max(self.cap.saturating_mul(2)).min(isize::MAX as usize);
        if self.obj.is_null() {
            let obj = PyBytes_FromStringAndSize(std::ptr::null(), cap as Py_ssize_t);
            if obj.is_null() {
                return self.fail(false);
            }
            std::ptr::copy_nonoverlapping(
                self.inline.as_ptr().cast::<u8>(),
                PyBytes_AS_STRING(obj) as *mut u8,
                self.len,
            );
            self.obj = obj;
        } else if _PyBytes_Resize(&mut self.obj, cap as Py_ssize_t) < 0 {
            // The object is gone and MemoryError is set.
            self.obj = null_mut();
            return self.fail(false);
        }
        self.cap = cap;
        true
    }

    #[cold]
    unsafe fn fail(&mut self, set_error: bool) -> bool {
        if set_error {
            PyErr_NoMemory();
        }
        self.release();
        self.failed = true;
        // No room at all from now on, so every later write takes the path that checks
        // `failed` (with the old capacity, a small write could have landed in the inline
        // buffer at an offset past its end).
        self.len = 0;
        self.cap = 0;
        false
    }

    #[inline]
    fn buffer(&mut self) -> *mut u8 {
        if self.obj.is_null() {
            self.inline.as_mut_ptr().cast::<u8>()
        } else {
            unsafe { PyBytes_AS_STRING(self.obj) as *mut u8 }
        }
    }

    /// `write_octets`, out of line: the slow path of the short writes, kept apart so that
    /// its variable-length copy is not merged with their fixed-size ones.
    #[cold]
    #[inline(never)]
    fn write_octets_slowly(&mut self, octets: &[u8]) {
        Output::write_octets(self, octets);
    }

    unsafe fn release(&mut self) {
        let obj = std::mem::replace(&mut self.obj, null_mut());
        Py_XDECREF(obj);
    }
}

impl Drop for BytesOut {
    fn drop(&mut self) {
        // An encoding abandoned on an error: the GIL is held (we are inside a call).
        unsafe { self.release() }
    }
}

impl Output for BytesOut {
    #[inline]
    fn write_octets(&mut self, octets: &[u8]) {
        unsafe {
            if self.cap - self.len < octets.len() && (self.failed || !self.grow(octets.len())) {
                return;
            }
            std::ptr::copy_nonoverlapping(octets.as_ptr(), self.buffer().add(self.len), octets.len());
            self.len += octets.len();
        }
    }

    /// An int's tag and octets, or a header: all 9 octets copied (a fixed-size move) when
    /// there is room, `len` of them kept.
    #[inline]
    fn write_prefix(&mut self, octets: &[u8; 9], len: usize) {
        unsafe {
            if self.cap - self.len >= octets.len() && len <= octets.len() {
                // Two plain stores. (A copy of 9 octets here let LLVM merge it with the
                // variable-length copy of the slow path into one `memcpy` call.)
                let dst = self.buffer().add(self.len);
                let [a, b, c, d, e, f, g, h, i] = *octets;
                std::ptr::write_unaligned(dst.cast::<[u8; 8]>(), [a, b, c, d, e, f, g, h]);
                *dst.add(8) = i;
                self.len += len;
                return;
            }
        }
        self.write_octets_slowly(octets.get(..len).unwrap_or(octets));
    }

    /// A short payload (at most 32 octets): copied by fixed-size moves, not a `memcpy` call
    /// of a variable length.
    #[inline]
    fn write_short(&mut self, octets: &[u8]) {
        unsafe {
            if octets.len() <= SHORT && self.cap - self.len >= octets.len() {
                copy_short(self.buffer().add(self.len), octets);
                self.len += octets.len();
                return;
            }
        }
        self.write_octets_slowly(octets);
    }

    #[inline]
    fn write_octet(&mut self, octet: u8) {
        unsafe {
            if self.cap == self.len && (self.failed || !self.grow(1)) {
                return;
            }
            *self.buffer().add(self.len) = octet;
            self.len += 1;
        }
    }
}

/// The most octets [`copy_short`] copies.
const SHORT: usize = 32;

/// Copies `octets` (at most [`SHORT`]) to `dst`, which has room for them, with a pair of
/// fixed-size moves whatever the length: the first and the last 16, 8, 4, 2 or 1 octets,
/// which overlap where the length is not twice the size.
#[inline(always)]
unsafe fn copy_short(dst: *mut u8, octets: &[u8]) {
    let len = octets.len();
    let src = octets.as_ptr();
    macro_rules! pair {
        ($n:expr) => {
            if len >= $n {
                std::ptr::copy_nonoverlapping(src, dst, $n);
                std::ptr::copy_nonoverlapping(src.add(len - $n), dst.add(len - $n), $n);
                return;
            }
        };
    }
    pair!(16);
    pair!(8);
    pair!(4);
    pair!(2);
    pair!(1);
}
