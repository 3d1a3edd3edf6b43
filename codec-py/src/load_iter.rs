//! The iterator `iter_load` returns: the values read from a binary file object, one per
//! `next()`, each read as `load` reads it (spec section 9), until the end of the stream.
//!
//! A heap type made per module (so per interpreter) with `PyType_FromModuleAndSpec`, as the
//! `iter_loads` iterator; it holds the file object, so it takes part in garbage collection.
//! It behaves as the reference's generator: any exception (a `DecodeError`, or what `fp.read`
//! raised) ends the iteration, later `next()` calls raise `StopIteration`, the file object is
//! let go as soon as the iteration ends, and a `next()` made while another is running (from
//! a finalizer, from `fp.read` itself, or from another thread while `fp.read` runs) raises
//! `ValueError: generator already executing`.

use std::ffi::{c_int, c_void};
use std::ptr::{addr_of_mut, null_mut};

use pyo3_ffi::*;

use crate::busy::Busy;
use crate::reader;
use crate::state::State;
use crate::stream::StreamValue;

#[repr(C)]
struct LoadIterator {
    ob_base: PyObject,
    /// The file object (a strong reference), null once the iteration has ended.
    fp: *mut PyObject,
    /// The stream offset of the next value: the octets read so far.
    offset: usize,
    /// The buffer and framing of the value being read, kept between values for their room;
    /// taken out of the iterator while a `next()` reads.
    spare: Option<StreamValue>,
    max_depth: usize,
    /// A `next()` is reading (see the module docs).
    running: bool,
}

const DOC: &std::ffi::CStr =
    c"Iterator over the values read from a binary stream; see iter_load().";

/// Creates the iterator type for `module` (a new reference).
pub unsafe fn create_type(module: *mut PyObject) -> Result<*mut PyObject, ()> {
    crate::heap_type::create_iterator(
        module,
        c"frozenpack._frozenpack.LoadIterator",
        std::mem::size_of::<LoadIterator>(),
        DOC,
        iternext,
        dealloc,
        traverse,
        clear,
    )
}

/// A new iterator over the values of `fp` (borrowed), from its current position.
pub unsafe fn new(
    state: *mut State,
    fp: *mut PyObject,
    max_depth: usize,
) -> Result<*mut PyObject, ()> {
    let t = (*state).load_iterator_type as *mut PyTypeObject;
    let alloc = (*t).tp_alloc.unwrap_or(PyType_GenericAlloc);
    let obj = alloc(t, 0);
    if obj.is_null() {
        return Err(());
    }
    let it = obj as *mut LoadIterator;
    (*it).fp = Py_NewRef(fp);
    (*it).offset = 0;
    std::ptr::addr_of_mut!((*it).spare).write(None);
    (*it).max_depth = max_depth;
    (*it).running = false;
    Ok(obj)
}

unsafe extern "C" fn iternext(obj: *mut PyObject) -> *mut PyObject {
    crate::guard::object(|| next_value(obj as *mut LoadIterator))
}

/// `next()`: the next value (a new reference), or null: at the end (no exception set), or
/// with an exception set.
unsafe fn next_value(it: *mut LoadIterator) -> *mut PyObject {
    let Ok(_busy) = Busy::enter(addr_of_mut!((*it).running), c"generator already executing") else {
        return null_mut();
    };
    if (*it).fp.is_null() {
        return null_mut();
    }
    // This call's own reference to the file: whatever runs meanwhile (fp.read, finalizers),
    // it stays alive until the call returns.
    let fp = Py_NewRef((*it).fp);
    let state = PyType_GetModuleState(Py_TYPE(it.cast())) as *mut State;
    // The buffer of the value to read, taken out of the iterator while it reads; kept, reset
    // to the next value, for its room.
    let mut value = (*it)
        .spare
        .take()
        .unwrap_or_else(|| StreamValue::new((*it).offset, (*it).max_depth));
    let read = reader::read_value_into(state, fp, &mut value);
    Py_DECREF(fp);
    match read {
        Ok(Some((object, used))) => {
            (*it).offset = (*it).offset.saturating_add(used);
            value.reset((*it).offset);
            (*it).spare = Some(value);
            object
        }
        Ok(None) | Err(()) => {
            finish(it);
            null_mut()
        }
    }
}

/// Ends the iteration and lets go of the file object and the buffer.
unsafe fn finish(it: *mut LoadIterator) {
    (*it).spare = None;
    let fp = std::mem::replace(&mut (*it).fp, null_mut());
    Py_XDECREF(fp);
}

unsafe extern "C" fn dealloc(obj: *mut PyObject) {
    crate::guard::unraisable(|| {
        let t = Py_TYPE(obj);
        PyObject_GC_UnTrack(obj.cast());
        finish(obj as *mut LoadIterator);
        std::ptr::drop_in_place(std::ptr::addr_of_mut!((*(obj as *mut LoadIterator)).spare));
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
    let fp = (*(obj as *mut LoadIterator)).fp;
    if fp.is_null() {
        0
    } else {
        visit(fp, arg)
    }
}

unsafe extern "C" fn clear(obj: *mut PyObject) -> c_int {
    crate::guard::unraisable(|| finish(obj as *mut LoadIterator));
    0
}
