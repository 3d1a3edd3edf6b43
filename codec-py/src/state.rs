//! The per-module state: every Python object the module keeps, one set per interpreter.
//!
//! CPython allocates it zeroed with the module (`m_size`), so each field starts as a null
//! pointer; [`init`] fills it during `Py_mod_exec`, [`traverse`] shows it to the cyclic
//! garbage collector and [`clear`] drops it when the module goes away.

use std::ffi::{c_int, c_void, CStr};
use std::ptr::null_mut;

use pyo3_ffi::*;

use crate::iter;
use crate::strings::StrCache;

/// What one module object (one per interpreter that imports it) keeps.
#[repr(C)]
pub struct State {
    /// `frozenpack.DecodeError`, a subclass of `ValueError` (see [`DECODE_ERROR_SOURCE`]).
    pub decode_error: *mut PyObject,
    /// The type of the iterators `iter_loads` returns.
    pub iterator_type: *mut PyObject,
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

/// `DecodeError` is defined in Python, in the module's own namespace, so that it is exactly
/// the class the reference defines: `kind`, `offset` and `detail` attributes, the message
/// `"{kind} at offset {offset}: {detail}"`, and pickling that keeps all three. Running the
/// class statement in `Py_mod_exec` makes a new class per module object, hence one per
/// interpreter. `__module__` is `frozenpack`, where users find it (and where pickle looks).
const DECODE_ERROR_SOURCE: &CStr = c"
class DecodeError(ValueError):
    \"\"\"An input that is not a canonical frozenpack encoding (spec section 7).

    ``kind`` is one of ERROR_KINDS, ``offset`` an index into the whole input (counted from the
    start of the buffer even when decoding began later), ``detail`` a human-readable reason.
    \"\"\"

    def __init__(self, kind, offset, detail):
        super().__init__(f\"{kind} at offset {offset}: {detail}\")
        self.kind = kind
        self.offset = offset
        self.detail = detail

    def __reduce__(self):
        # The default would call DecodeError(message) and lose kind/offset across pickling.
        return (type(self), (self.kind, self.offset, self.detail))
";

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

    (*state).decode_error = define_decode_error()?;
    add_ref(module, c"DecodeError", (*state).decode_error)?;

    (*state).iterator_type = iter::create_type(module)?;
    add_ref(module, c"LoadsIterator", (*state).iterator_type)?;

    // FROZENPACK_GENERIC_INTS=1 turns the digit fast path off, so that the tests can exercise
    // the general path that 15-bit-digit builds of CPython take.
    (*state).digits_are_30_bit = crate::pyint::digits_are_30_bit()?
        && std::env::var_os("FROZENPACK_GENERIC_INTS").is_none();
    (*state).str_write = interned(c"write")?;
    (*state).str_read = interned(c"read")?;

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

/// Runs [`DECODE_ERROR_SOURCE`] in a fresh namespace and returns the class (a new reference).
unsafe fn define_decode_error() -> Result<*mut PyObject, ()> {
    let namespace = PyDict_New();
    if namespace.is_null() {
        return Err(());
    }
    let result = (|| {
        let builtins = PyImport_ImportModule(c"builtins".as_ptr());
        if builtins.is_null() {
            return Err(());
        }
        let set = PyDict_SetItemString(namespace, c"__builtins__".as_ptr(), builtins);
        Py_DECREF(builtins);
        let name = PyUnicode_FromString(c"frozenpack".as_ptr());
        if set < 0 || name.is_null() {
            Py_XDECREF(name);
            return Err(());
        }
        let set = PyDict_SetItemString(namespace, c"__name__".as_ptr(), name);
        Py_DECREF(name);
        if set < 0 {
            return Err(());
        }
        let ran = PyRun_String(
            DECODE_ERROR_SOURCE.as_ptr(),
            Py_file_input,
            namespace,
            namespace,
        );
        if ran.is_null() {
            return Err(());
        }
        Py_DECREF(ran);
        let class = PyDict_GetItemString(namespace, c"DecodeError".as_ptr());
        if class.is_null() {
            PyErr_SetString(PyExc_SystemError, c"DecodeError was not defined".as_ptr());
            return Err(());
        }
        Ok(Py_NewRef(class))
    })();
    Py_DECREF(namespace);
    result
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
    for obj in [(*state).decode_error, (*state).iterator_type] {
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
