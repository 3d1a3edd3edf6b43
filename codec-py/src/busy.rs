//! Refusing re-entry: an object with state (an iterator, a `Decoder`) is "busy" while one of
//! its calls runs, and a call made meanwhile — from a finalizer the garbage collector runs
//! inside an allocation, or from another thread when Python code runs — is refused with
//! `ValueError`, as a running generator refuses `next()`, instead of working on state that
//! the outer call is in the middle of changing.

use std::ffi::CStr;

use pyo3_ffi::*;

/// The busy flag of an object, set for as long as this lives (cleared when it is dropped,
/// also when the call panics: the panic guard then reports a `SystemError`, and the object
/// stays usable).
pub struct Busy(*mut bool);

impl Busy {
    /// Marks the object whose flag is `flag` busy, or raises `ValueError(refusal)` if a call
    /// is already running on it.
    #[inline]
    pub unsafe fn enter(flag: *mut bool, refusal: &CStr) -> Result<Busy, ()> {
        if *flag {
            PyErr_SetString(PyExc_ValueError, refusal.as_ptr());
            return Err(());
        }
        *flag = true;
        Ok(Busy(flag))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        unsafe { *self.0 = false }
    }
}
