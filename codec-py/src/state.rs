//! The per-module state: every Python object the module keeps, one set per interpreter.
//!
//! CPython allocates it zeroed with the module (`m_size`), so each field starts as a null
//! pointer; [`init`] fills it during `Py_mod_exec`, [`traverse`] shows it to the cyclic
//! garbage collector and [`clear`] drops it when the module goes away.

use std::ffi::{c_int, c_void, CStr};
use std::ptr::null_mut;

use pyo3_ffi::*;

use crate::decoder;
use crate::iter;
use crate::load_iter;
use crate::strings::StrCache;

/// What one module object (one per interpreter that imports it) keeps.
#[repr(C)]
pub struct State {
    /// `frozenpack.DecodeError`, a subclass of `ValueError` (see [`DECODE_ERROR_MODULE`]).
    pub decode_error: *mut PyObject,
    /// The type of the iterators `iter_loads` returns.
    pub iterator_type: *mut PyObject,
    /// The type of the iterators `iter_load` returns.
    pub load_iterator_type: *mut PyObject,
    /// `Decoder`.
    pub decoder_type: *mut PyObject,
    /// Interned method names, for `dump` and `load`.
    pub str_write: *mut PyObject,
    pub str_read: *mut PyObject,
    /// Whether ints use 30-bit digits (`pyint::digits_are_30_bit`), for the encoder's fast path.
    pub digits_are_30_bit: bool,
    /// Short ASCII strings decoded recently (decoding builds many equal keys and labels).
    pub strings: StrCache,
}

/// The state of `module` (a module object created from this crate's definition).
#[inline]
pub unsafe fn of_module(module: *mut PyObject) -> *mut State {
    PyModule_GetState(module) as *mut State
}

/// The pure-Python module that defines `DecodeError`, one class for this module and the
/// reference (`frozenpack.reference`), so that `except frozenpack.DecodeError` catches both.
/// It is imported in `Py_mod_exec`, i.e. in each interpreter that imports this module: an
/// isolated sub-interpreter has its own `sys.modules`, so its own copy of the class.
const DECODE_ERROR_MODULE: &CStr = c"frozenpack._common";

/// This crate's version (the workspace's, in Cargo.toml), which is also the Python package's
/// (maturin reads it for the wheel's metadata): `frozenpack.__version__`.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the crate version contains a NUL"),
    };

/// Whether [`crate::pyint`]'s direct reads of an `int`'s digits may be used at all: the layout
/// it assumes (`ob_size` on 3.11, `lv_tag` on 3.12 and 3.13) was checked against those
/// versions' headers only. A build for a later CPython (from the sdist) takes the general path
/// through the public C API instead of trusting an unchecked layout.
const INT_LAYOUT_CHECKED: bool = !cfg!(Py_3_14);

/// The error kinds of spec section 7, in its order (`ERROR_KINDS`).
pub const ERROR_KINDS: [&CStr; 6] = [
    c"truncated",
    c"unknown_tag",
    c"non_canonical",
    c"invalid_utf8",
    c"depth_exceeded",
    c"trailing_bytes",
];

/// Fills the state of a new `module` and adds the public names to its namespace. On error a
/// Python exception is set; whatever was stored is released by [`clear`].
pub unsafe fn init(module: *mut PyObject) -> Result<(), ()> {
    let state = of_module(module);

    (*state).decode_error = import_decode_error()?;
    add_ref(module, c"DecodeError", (*state).decode_error)?;

    (*state).iterator_type = iter::create_type(module)?;
    add_ref(module, c"LoadsIterator", (*state).iterator_type)?;
    (*state).load_iterator_type = load_iter::create_type(module)?;
    add_ref(module, c"LoadIterator", (*state).load_iterator_type)?;
    (*state).decoder_type = decoder::create_type(module)?;
    add_ref(module, c"Decoder", (*state).decoder_type)?;

    // FROZENPACK_GENERIC_INTS=1 turns the digit fast path off, so that the tests can exercise
    // the general path that 15-bit-digit builds of CPython take.
    (*state).digits_are_30_bit = INT_LAYOUT_CHECKED
        && crate::pyint::digits_are_30_bit()?
        && std::env::var_os("FROZENPACK_GENERIC_INTS").is_none();
    (*state).str_write = interned(c"write")?;
    (*state).str_read = interned(c"read")?;

    let version = PyUnicode_FromString(VERSION.as_ptr());
    add_owned(module, c"__version__", version)?;

    let max_depth = PyLong_FromSize_t(frozenpack::DEFAULT_MAX_DEPTH);
    add_owned(module, c"MAX_DEPTH", max_depth)?;

    let kinds = PyTuple_New(ERROR_KINDS.len() as Py_ssize_t);
    if kinds.is_null() {
        return Err(());
    }
    for (i, kind) in ERROR_KINDS.iter().enumerate() {
        let name = PyUnicode_InternFromString(kind.as_ptr());
        if name.is_null() {
            Py_DECREF(kinds);
            return Err(());
        }
        PyTuple_SET_ITEM(kinds, i as Py_ssize_t, name);
    }
    add_owned(module, c"ERROR_KINDS", kinds)
}

unsafe fn interned(s: &CStr) -> Result<*mut PyObject, ()> {
    let obj = PyUnicode_InternFromString(s.as_ptr());
    if obj.is_null() {
        Err(())
    } else {
        Ok(obj)
    }
}

/// `DecodeError` of [`DECODE_ERROR_MODULE`] (a new reference), checked to be a class derived
/// from `ValueError`, since the decoder raises it with `(kind, offset, detail)`.
unsafe fn import_decode_error() -> Result<*mut PyObject, ()> {
    let module = PyImport_ImportModule(DECODE_ERROR_MODULE.as_ptr());
    if module.is_null() {
        return Err(());
    }
    let class = PyObject_GetAttrString(module, c"DecodeError".as_ptr());
    Py_DECREF(module);
    if class.is_null() {
        return Err(());
    }
    if PyType_Check(class) == 0 || PyType_IsSubtype(class.cast(), PyExc_ValueError.cast()) == 0 {
        Py_DECREF(class);
        PyErr_SetString(
            PyExc_ImportError,
            c"frozenpack._common.DecodeError is not a subclass of ValueError".as_ptr(),
        );
        return Err(());
    }
    Ok(class)
}

/// Adds `value` (borrowed) to the module's namespace as `name`.
unsafe fn add_ref(module: *mut PyObject, name: &CStr, value: *mut PyObject) -> Result<(), ()> {
    if PyModule_AddObjectRef(module, name.as_ptr(), value) < 0 {
        Err(())
    } else {
        Ok(())
    }
}

/// Adds `value` (a new reference, consumed; null means an exception is set) to the module.
unsafe fn add_owned(module: *mut PyObject, name: &CStr, value: *mut PyObject) -> Result<(), ()> {
    if value.is_null() {
        return Err(());
    }
    let result = add_ref(module, name, value);
    Py_DECREF(value);
    result
}

/// `m_traverse`: the objects the state holds. (Pointer reads and `visit` calls only: nothing
/// here can panic, and the collector must not see an exception set, so no guard.)
pub unsafe extern "C" fn traverse(module: *mut PyObject, visit: visitproc, arg: *mut c_void) -> c_int {
    let state = of_module(module);
    if state.is_null() {
        return 0;
    }
    for obj in [
        (*state).decode_error,
        (*state).iterator_type,
        (*state).load_iterator_type,
        (*state).decoder_type,
    ] {
        if !obj.is_null() {
            let r = visit(obj, arg);
            if r != 0 {
                return r;
            }
        }
    }
    0
}

/// `m_clear`: drops every object the state holds.
pub unsafe extern "C" fn clear(module: *mut PyObject) -> c_int {
    crate::guard::unraisable(|| clear_state(module));
    0
}

unsafe fn clear_state(module: *mut PyObject) {
    let state = of_module(module);
    if state.is_null() {
        return;
    }
    for field in [
        &mut (*state).decode_error,
        &mut (*state).iterator_type,
        &mut (*state).load_iterator_type,
        &mut (*state).decoder_type,
        &mut (*state).str_write,
        &mut (*state).str_read,
    ] {
        let obj = std::mem::replace(field, null_mut());
        Py_XDECREF(obj);
    }
    (*state).strings.clear();
}

/// `m_free`: the module is being deallocated.
pub unsafe extern "C" fn free(module: *mut c_void) {
    clear(module as *mut PyObject);
}
