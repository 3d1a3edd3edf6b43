//! The iterator `iter_loads` returns: the values of a sequence (spec section 9), one per
//! `next()`, decoded with prefix decoding where the previous one ended.
//!
//! A heap type made per module (so per interpreter) with `PyType_FromModuleAndSpec`; each
//! iterator finds its module's state through its type. It behaves as the reference's
//! generator: a `DecodeError` ends the iteration (later `next()` calls raise
//! `StopIteration`), and the input's buffer is released as soon as the iteration ends.

use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

use pyo3_ffi::*;

use crate::buffer::Input;
use crate::decode;
use crate::state::State;

#[repr(C)]
struct LoadsIterator {
    ob_base: PyObject,
    input: Input,
    /// Where the next value starts.
    pos: usize,
    max_depth: usize,
    /// The iteration has ended (input exhausted, or an error was raised).
    done: bool,
}

const DOC: &std::ffi::CStr = c"Iterator over the values of a frozenpack sequence; see iter_loads().";

/// Creates the iterator type for `module` (a new reference).
pub unsafe fn create_type(module: *mut PyObject) -> Result<*mut PyObject, ()> {
    let mut slots = [
        PyType_Slot {
            slot: Py_tp_iter,
            pfunc: PyObject_SelfIter as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_iternext,
            pfunc: iternext as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_dealloc,
            pfunc: dealloc as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_traverse,
            pfunc: traverse as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_clear,
            pfunc: clear as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_doc,
            pfunc: DOC.as_ptr() as *mut c_void,
        },
        PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        },
    ];
    let mut spec = PyType_Spec {
        name: c"frozenpack._frozenpack.LoadsIterator".as_ptr(),
        basicsize: std::mem::size_of::<LoadsIterator>() as c_int,
        itemsize: 0,
        flags: (Py_TPFLAGS_DEFAULT
            | Py_TPFLAGS_HAVE_GC
            | Py_TPFLAGS_IMMUTABLETYPE
            | Py_TPFLAGS_DISALLOW_INSTANTIATION) as _,
        slots: slots.as_mut_ptr(),
    };
    let t = PyType_FromModuleAndSpec(module, &mut spec, null_mut());
    if t.is_null() {
        Err(())
    } else {
        Ok(t)
    }
}

/// A new iterator over `input` (consumed).
pub unsafe fn new(state: *mut State, input: Input, max_depth: usize) -> Result<*mut PyObject, ()> {
    let t = (*state).iterator_type as *mut PyTypeObject;
    let alloc = (*t).tp_alloc.unwrap_or(PyType_GenericAlloc);
    let obj = alloc(t, 0);
    if obj.is_null() {
        return Err(());
    }
    let it = obj as *mut LoadsIterator;
    std::ptr::addr_of_mut!((*it).input).write(input);
    (*it).pos = 0;
    (*it).max_depth = max_depth;
    (*it).done = false;
    Ok(obj)
}

unsafe extern "C" fn iternext(obj: *mut PyObject) -> *mut PyObject {
    let it = obj as *mut LoadsIterator;
    if (*it).done {
        return null_mut();
    }
    let octets = (*it).input.octets();
    if (*it).pos >= octets.len() {
        finish(it);
        return null_mut();
    }
    let state = PyType_GetModuleState(Py_TYPE(obj)) as *mut State;
    match decode::read_value(state, octets, (*it).pos, (*it).max_depth) {
        Ok((value, end)) => {
            (*it).pos = end;
            value
        }
        Err(()) => {
            finish(it);
            null_mut()
        }
    }
}

/// Ends the iteration and lets go of the input.
unsafe fn finish(it: *mut LoadsIterator) {
    (*it).done = true;
    (*it).input.release();
}

unsafe extern "C" fn dealloc(obj: *mut PyObject) {
    let t = Py_TYPE(obj);
    PyObject_GC_UnTrack(obj.cast());
    std::ptr::drop_in_place(std::ptr::addr_of_mut!((*(obj as *mut LoadsIterator)).input));
    let free = (*t).tp_free.unwrap_or(PyObject_GC_Del);
    free(obj.cast());
    // Instances of heap types hold a reference to their type.
    Py_DECREF(t.cast());
}

unsafe extern "C" fn traverse(obj: *mut PyObject, visit: visitproc, arg: *mut c_void) -> c_int {
    let r = visit(Py_TYPE(obj).cast(), arg);
    if r != 0 {
        return r;
    }
    let held = (*(obj as *mut LoadsIterator)).input.object();
    if held.is_null() {
        0
    } else {
        visit(held, arg)
    }
}

unsafe extern "C" fn clear(obj: *mut PyObject) -> c_int {
    finish(obj as *mut LoadsIterator);
    0
}
