//! The input of the decoding functions: octets that cannot change while they are decoded.
//!
//! A decoder reads a header, then trusts what it read while it reads the payload; a string is
//! validated, then copied; a cached string is looked up by its octets, then built from them.
//! If the octets could change between two such reads (a `bytearray` that another thread
//! writes once the GIL is released, an `mmap` or `multiprocessing.shared_memory` block that
//! another process writes at any time), the decoder could build a `str` whose octets were
//! never validated, poison the string cache, or panic. So the octets decoded are always ones
//! that nobody can write:
//!
//! - a `bytes` object (exact type) is immutable: it is read in place, holding a reference;
//! - so is a `memoryview` of a `bytes` object (a slice of a larger message, say): the
//!   `bytes` is held and read in place, and the memoryview's buffer is released at once, so
//!   the caller may release the memoryview while an iterator still reads;
//! - any other buffer (bytearray, mmap, shared memory, array, ctypes, NumPy, ...) is copied
//!   once into a new `bytes` (its *snapshot*) when the call starts, and the copy is decoded.
//!   A concurrent writer then changes at most which octets were copied: the result is the
//!   value or the `DecodeError` of some octet string, never an inconsistent object. The copy
//!   costs one `memcpy` of the input (measured against decoding in codec-py/bench/).
//!
//! The accepted inputs and the errors for the others are those of the reference's
//! `as_octets`.

use std::ptr::null_mut;

use pyo3_ffi::*;

use crate::errors;

/// Octets held for reading: `len` octets at offset `start` of the `bytes` object `obj`, which
/// this value holds a strong reference to (null once released).
pub struct Input {
    obj: *mut PyObject,
    start: usize,
    len: usize,
}

impl Input {
    /// Holds the octets of `obj` for reading (see the module docs), or raises the
    /// reference's `TypeError` for an object that is not bytes-like or not C-contiguous.
    pub unsafe fn acquire(obj: *mut PyObject) -> Result<Input, ()> {
        if PyBytes_CheckExact(obj) != 0 {
            return Ok(Input::whole(Py_NewRef(obj)));
        }
        if PyObject_CheckBuffer(obj) == 0 {
            return not_bytes_like(obj);
        }
        // What memoryview() asks for, so every exporter memoryview accepts is accepted.
        let mut view: Py_buffer = std::mem::zeroed();
        if PyObject_GetBuffer(obj, &mut view, PyBUF_FULL_RO) < 0 {
            if PyErr_ExceptionMatches(PyExc_TypeError) != 0 {
                PyErr_Clear();
                return not_bytes_like(obj);
            }
            return Err(());
        }
        let input = Input::from_view(obj, &view);
        PyBuffer_Release(&mut view);
        input
    }

    /// The octets of an acquired buffer `view` of `obj`: in place when they belong to an
    /// immutable `bytes`, else a snapshot. The caller releases `view`.
    unsafe fn from_view(obj: *mut PyObject, view: &Py_buffer) -> Result<Input, ()> {
        if PyBuffer_IsContiguous(view, b'C' as std::ffi::c_char) == 0 {
            // A strided view has no octet string to read in place.
            PyErr_SetString(
                PyExc_TypeError,
                c"a C-contiguous bytes-like object is required".as_ptr(),
            );
            return Err(());
        }
        let len = usize::try_from(view.len).unwrap_or(0);
        if PyMemoryView_Check(obj) != 0 {
            if let Some(input) = Input::within_bytes(obj, view.buf as *const u8, len)? {
                return Ok(input);
            }
        }
        // The snapshot: CPython's memcpy of the octets as they are now. No Rust reference to
        // the shared octets is ever formed, so their changing under the copy is harmless.
        let snapshot = PyBytes_FromStringAndSize(view.buf as *const std::ffi::c_char, len as Py_ssize_t);
        if snapshot.is_null() {
            return Err(());
        }
        Ok(Input::whole(snapshot))
    }

    /// For a memoryview whose exporter is an exact `bytes`, the octets `ptr..ptr + len` in
    /// place, holding that `bytes`; None for any other memoryview.
    unsafe fn within_bytes(view: *mut PyObject, ptr: *const u8, len: usize) -> Result<Option<Input>, ()> {
        let base = PyObject_GetAttrString(view, c"obj".as_ptr());
        if base.is_null() {
            return Err(());
        }
        if PyBytes_CheckExact(base) == 0 {
            Py_DECREF(base);
            return Ok(None);
        }
        let first = PyBytes_AS_STRING(base) as *const u8;
        let size = usize::try_from(Py_SIZE(base)).unwrap_or(0);
        // A view of a bytes lies inside it (or is empty); checked rather than assumed.
        let start = (ptr as usize).wrapping_sub(first as usize);
        if len != 0 && (start > size || len > size - start) {
            Py_DECREF(base);
            return Ok(None);
        }
        let start = if len == 0 { 0 } else { start };
        Ok(Some(Input { obj: base, start, len }))
    }

    /// All of the `bytes` object `obj` (a new reference, consumed).
    fn whole(obj: *mut PyObject) -> Input {
        let len = unsafe { usize::try_from(Py_SIZE(obj)).unwrap_or(0) };
        Input { obj, start: 0, len }
    }

    /// Another hold on the same octets (a new reference to the same `bytes`): a call that
    /// reads the octets keeps one, so that the octets outlive anything the call runs (a
    /// finalizer that releases the iterator holding the first).
    pub unsafe fn share(&self) -> Input {
        Input {
            obj: if self.obj.is_null() { null_mut() } else { Py_NewRef(self.obj) },
            start: self.start,
            len: self.len,
        }
    }

    /// The octets.
    #[inline]
    pub unsafe fn octets(&self) -> &[u8] {
        if self.obj.is_null() || self.len == 0 {
            // A released input reads as empty; an empty slice needs no pointer.
            return &[];
        }
        let first = PyBytes_AS_STRING(self.obj) as *const u8;
        std::slice::from_raw_parts(first.add(self.start), self.len)
    }

    /// The object held (borrowed), for the garbage collector.
    pub fn object(&self) -> *mut PyObject {
        self.obj
    }

    /// Lets go of the octets; they read as empty afterwards.
    pub unsafe fn release(&mut self) {
        let obj = std::mem::replace(&mut self.obj, null_mut());
        self.len = 0;
        Py_XDECREF(obj);
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        // Inputs live only while the GIL is held (a call, or an iterator's deallocation).
        unsafe { self.release() }
    }
}

unsafe fn not_bytes_like<T>(obj: *mut PyObject) -> Result<T, ()> {
    errors::raise_with(
        PyExc_TypeError,
        c"a bytes-like object is required, not %R",
        errors::qualname_of(obj),
    )
}
