//! The guard at the FFI boundary: a Rust panic never unwinds into CPython.
//!
//! Unwinding out of an `extern "C"` function aborts the process, so a bug that panics — in
//! this crate, in the codec, in the standard library — would let any input that reaches it
//! kill the interpreter. Every function CPython calls (module functions, the iterator's
//! slots, the module's slots) runs its body through one of these, which turn a panic into a
//! Python `SystemError` carrying the panic's message, as CPython reports its own internal
//! errors. The code is written not to panic (the crate denies `unwrap`, `expect`, `panic!`
//! and unchecked indexing: see lib.rs); this is the second line of defence.

use std::any::Any;
use std::ffi::{c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3_ffi::*;

/// Runs `body`, a function returning a new reference or null with an exception set.
#[inline]
pub fn object(body: impl FnOnce() -> *mut PyObject) -> *mut PyObject {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            raise_system_error(payload.as_ref());
            std::ptr::null_mut()
        }
    }
}

/// Runs `body`, a slot returning a C int; a panic becomes `SystemError` and `failure`.
#[inline]
pub fn int(failure: c_int, body: impl FnOnce() -> c_int) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            raise_system_error(payload.as_ref());
            failure
        }
    }
}

/// Runs `body`, a slot that cannot report an error (deallocation): a panic is reported as an
/// unraisable exception, as CPython does for errors in `__del__`.
#[inline]
pub fn unraisable(body: impl FnOnce()) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(body)) {
        raise_system_error(payload.as_ref());
        unsafe { PyErr_WriteUnraisable(std::ptr::null_mut()) };
    }
}

/// Sets `SystemError("frozenpack internal error: <the panic's message>")`.
#[cold]
fn raise_system_error(payload: &(dyn Any + Send)) {
    let reason = if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.as_str()
    } else {
        "a panic with no message"
    };
    let message = format!("frozenpack internal error (please report it): {reason}")
        .replace('\0', "\\0");
    let message = CString::new(message).unwrap_or_default();
    unsafe { PyErr_SetString(PyExc_SystemError, message.as_ptr()) };
}
