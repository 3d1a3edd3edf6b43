//! The iterator `iter_loads` returns: the values of a sequence (spec section 9), one per
//! `next()`, decoded with prefix decoding where the previous one ended.
//!
//! A heap type made per module (so per interpreter) with `PyType_FromModuleAndSpec`; each
//! iterator finds its module's state through its type. It behaves as the reference's
//! generator: a `DecodeError` ends the iteration (later `next()` calls raise
//! `StopIteration`), the input is let go as soon as the iteration ends, and a `next()` made
//! while another is running (from a finalizer, or another thread) raises
//! `ValueError: generator already executing`.

use std::ffi::{c_int, c_void};
use std::ptr::{addr_of_mut, null_mut};

use pyo3_ffi::*;

use crate::buffer::Input;
use crate::busy::Busy;
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
    /// A `next()` is decoding. Decoding can run Python code (the cyclic garbage collector
    /// runs finalizers when a tuple is allocated, and a finalizer may let other threads
    /// run), and that code may call `next()` on this iterator again; such a call is refused
    /// with the `ValueError` a generator raises, so values are neither repeated nor lost and
    /// the input is not released under the outer call.
    running: bool,
}

const DOC: &std::ffi::CStr = c"Iterator over the values of a frozenpack sequence; see iter_loads().";

/// Creates the iterator type for `module` (a new reference).
pub unsafe fn create_type(module: *mut PyObject) -> Result<*mut PyObject, ()> {
    crate::heap_type::create_iterator(
        module,
        c"frozenpack._frozenpack.LoadsIterator",
        std::mem::size_of::<LoadsIterator>(),
        DOC,
        iternext,
        dealloc,
        traverse,
        clear,
    )
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
    (*it).running = false;
    Ok(obj)
}

unsafe extern "C" fn iternext(obj: *mut PyObject) -> *mut PyObject {
    crate::guard::object(|| next_value(obj as *mut LoadsIterator))
}

/// `next()`: the next value (a new reference), or null: at the end (no exception set), or
/// with an exception set.
unsafe fn next_value(it: *mut LoadsIterator) -> *mut PyObject {
    let Ok(_busy) = Busy::enter(addr_of_mut!((*it).running), c"generator already executing") else {
        return null_mut();
    };
    if (*it).done {
        return null_mut();
    }
    // This call's own hold on the octets: whatever runs during the decode (see `running`),
    // they stay alive until the call returns.
    let input = (*it).input.share();
    let octets = input.octets();
    if (*it).pos >= octets.len() {
        finish(it);
        return null_mut();
    }
    let state = PyType_GetModuleState(Py_TYPE(it.cast())) as *mut State;
    let decoded = decode::read_value(state, octets, (*it).pos, (*it).max_depth);
    match decoded {
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
    crate::guard::unraisable(|| {
        let t = Py_TYPE(obj);
        PyObject_GC_UnTrack(obj.cast());
        std::ptr::drop_in_place(std::ptr::addr_of_mut!((*(obj as *mut LoadsIterator)).input));
        let free = (*t).tp_free.unwrap_or(PyObject_GC_Del);
        free(obj.cast());
        // Instances of heap types hold a reference to their type.
        Py_DECREF(t.cast());
    })
}

// Pointer reads and calls of `visit` only: nothing in it can panic, and the collector must
// not see an exception set.
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
    crate::guard::unraisable(|| finish(obj as *mut LoadsIterator));
    0
}
