//! The input of the decoding functions: any C-contiguous buffer, read in place.
//!
//! `bytes` is read through its own pointer; everything else (bytearray, memoryview, mmap,
//! `multiprocessing.shared_memory` buffers, array.array, ...) through the buffer protocol,
//! held for as long as the decoding (or the iterator) needs it, never copied. The accepted
//! inputs and the errors for the others are those of the reference's `as_octets`.

use pyo3_ffi::*;

use crate::errors;

/// An input held for reading (released when dropped).
pub struct Input {
    held: Held,
}

/// What an [`Input`] holds: a strong reference to a `bytes` object, or an acquired buffer.
enum Held {
    Bytes(*mut PyObject),
    Buffer(Box<Py_buffer>),
    /// Released early (an iterator that has finished).
    Released,
}

impl Input {
    /// Holds `obj` for reading, or raises the reference's `TypeError` for an object that is
    /// not bytes-like or not C-contiguous.
    pub unsafe fn acquire(obj: *mut PyObject) -> Result<Input, ()> {
        if PyBytes_CheckExact(obj) != 0 {
            return Ok(Input {
                held: Held::Bytes(Py_NewRef(obj)),
            });
        }
        if PyObject_CheckBuffer(obj) == 0 {
            return not_bytes_like(obj);
        }
        // What memoryview() asks for, so every exporter memoryview accepts is accepted.
        let mut view: Box<Py_buffer> = Box::new(std::mem::zeroed());
        if PyObject_GetBuffer(obj, &mut *view, PyBUF_FULL_RO) < 0 {
            if PyErr_ExceptionMatches(PyExc_TypeError) != 0 {
                PyErr_Clear();
                return not_bytes_like(obj);
            }
            return Err(());
        }
        if PyBuffer_IsContiguous(&*view, b'C' as std::ffi::c_char) == 0 {
            // A strided view has no octet string to read in place.
            PyBuffer_Release(&mut *view);
            PyErr_SetString(
                PyExc_TypeError,
                c"a C-contiguous bytes-like object is required".as_ptr(),
            );
            return Err(());
        }
        Ok(Input {
            held: Held::Buffer(view),
        })
    }

    /// The octets.
    #[inline]
    pub unsafe fn octets(&self) -> &[u8] {
        let (ptr, len) = match &self.held {
            Held::Bytes(obj) => (
                PyBytes_AS_STRING(*obj) as *const u8,
                Py_SIZE(*obj) as usize,
            ),
            Held::Buffer(view) => (view.buf as *const u8, view.len as usize),
            Held::Released => return &[],
        };
        if len == 0 {
            // An empty buffer's pointer may be null, which a slice may not be.
            return &[];
        }
        std::slice::from_raw_parts(ptr, len)
    }

    /// The object read from (borrowed), for the garbage collector.
    pub fn object(&self) -> *mut PyObject {
        match &self.held {
            Held::Bytes(obj) => *obj,
            Held::Buffer(view) => view.obj,
            Held::Released => std::ptr::null_mut(),
        }
    }

    /// Lets go of the object (releases the buffer); the octets are empty afterwards.
    pub unsafe fn release(&mut self) {
        match std::mem::replace(&mut self.held, Held::Released) {
            Held::Bytes(obj) => Py_DECREF(obj),
            Held::Buffer(mut view) => PyBuffer_Release(&mut *view),
            Held::Released => {}
        }
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
