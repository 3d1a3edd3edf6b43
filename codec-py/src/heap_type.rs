//! The module's types (iterators, `Decoder`): heap types made per module object, so per
//! interpreter, from a spec, each finding its module's state through the type.

use std::ffi::{c_int, c_ulong, c_void, CStr};
use std::ptr::null_mut;

use pyo3_ffi::*;

/// A slot of a type spec.
pub fn slot(slot: c_int, pfunc: *mut c_void) -> PyType_Slot {
    PyType_Slot { slot, pfunc }
}

/// Creates the type `name` for `module` (a new reference): instances of `basicsize` octets,
/// with `flags` and the `slots` given (the terminating slot is added here).
pub unsafe fn create(
    module: *mut PyObject,
    name: &CStr,
    basicsize: usize,
    flags: c_ulong,
    slots: &[PyType_Slot],
) -> Result<*mut PyObject, ()> {
    let mut slots: Vec<PyType_Slot> = slots.to_vec();
    slots.push(slot(0, null_mut()));
    let mut spec = PyType_Spec {
        name: name.as_ptr(),
        basicsize: c_int::try_from(basicsize).unwrap_or(c_int::MAX),
        itemsize: 0,
        flags: flags as _,
        slots: slots.as_mut_ptr(),
    };
    let t = PyType_FromModuleAndSpec(module, &mut spec, null_mut());
    if t.is_null() {
        Err(())
    } else {
        Ok(t)
    }
}

/// Creates an iterator type: `next()` is `iternext`; instances hold references, which the
/// collector sees through `traverse` and drops through `clear`; users cannot make one.
#[allow(clippy::too_many_arguments)]
pub unsafe fn create_iterator(
    module: *mut PyObject,
    name: &CStr,
    basicsize: usize,
    doc: &CStr,
    iternext: unsafe extern "C" fn(*mut PyObject) -> *mut PyObject,
    dealloc: unsafe extern "C" fn(*mut PyObject),
    traverse: unsafe extern "C" fn(*mut PyObject, visitproc, *mut c_void) -> c_int,
    clear: unsafe extern "C" fn(*mut PyObject) -> c_int,
) -> Result<*mut PyObject, ()> {
    create(
        module,
        name,
        basicsize,
        Py_TPFLAGS_DEFAULT
            | Py_TPFLAGS_HAVE_GC
            | Py_TPFLAGS_IMMUTABLETYPE
            | Py_TPFLAGS_DISALLOW_INSTANTIATION,
        &[
            slot(Py_tp_iter, PyObject_SelfIter as *mut c_void),
            slot(Py_tp_iternext, iternext as *mut c_void),
            slot(Py_tp_dealloc, dealloc as *mut c_void),
            slot(Py_tp_traverse, traverse as *mut c_void),
            slot(Py_tp_clear, clear as *mut c_void),
            slot(Py_tp_doc, doc.as_ptr() as *mut c_void),
        ],
    )
}
