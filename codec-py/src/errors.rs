//! Raising Python exceptions: `DecodeError` with the reference's kind, offset and detail, and
//! the `TypeError`/`ValueError` texts of the reference's argument checks.

use std::ffi::CStr;

use pyo3_ffi::*;

use crate::state::State;

/// Raises `DecodeError(kind, offset, detail)` (the module's class). Always returns `Err`, so
/// callers can `return raise_decode_error(...)`.
pub unsafe fn raise_decode_error<T>(
    state: *mut State,
    kind: &str,
    offset: usize,
    detail: &str,
) -> Result<T, ()> {
    let args = PyTuple_New(3);
    if args.is_null() {
        return Err(());
    }
    let kind = PyUnicode_FromStringAndSize(kind.as_ptr().cast(), kind.len() as Py_ssize_t);
    let offset = PyLong_FromSize_t(offset);
    let detail = PyUnicode_FromStringAndSize(detail.as_ptr().cast(), detail.len() as Py_ssize_t);
    // SET_ITEM steals each reference; a null item (allocation failure) is released safely
    // with the tuple.
    PyTuple_SET_ITEM(args, 0, kind);
    PyTuple_SET_ITEM(args, 1, offset);
    PyTuple_SET_ITEM(args, 2, detail);
    if kind.is_null() || offset.is_null() || detail.is_null() {
        Py_DECREF(args);
        return Err(());
    }
    let class = (*state).decode_error;
    let error = PyObject_Call(class, args, std::ptr::null_mut());
    Py_DECREF(args);
    if !error.is_null() {
        PyErr_SetObject(class, error);
        Py_DECREF(error);
    }
    Err(())
}

/// `type(obj).__qualname__` as a new `str` reference (null with an exception set).
pub unsafe fn qualname_of(obj: *mut PyObject) -> *mut PyObject {
    PyType_GetQualName(Py_TYPE(obj))
}

/// The reference's name for a type in `dumps` errors: `__qualname__` for builtins, else
/// `"{__module__}.{__qualname__}"`. New reference, or null with an exception set.
pub unsafe fn type_name(cls: *mut PyTypeObject) -> *mut PyObject {
    let qualname = PyType_GetQualName(cls);
    if qualname.is_null() {
        return qualname;
    }
    let module = PyObject_GetAttrString(cls.cast(), c"__module__".as_ptr());
    if module.is_null() {
        Py_DECREF(qualname);
        return module;
    }
    let builtin = PyUnicode_Check(module) != 0
        && PyUnicode_CompareWithASCIIString(module, c"builtins".as_ptr()) == 0;
    let name = if builtin {
        Py_NewRef(qualname)
    } else {
        PyUnicode_FromFormat(c"%S.%S".as_ptr(), module, qualname)
    };
    Py_DECREF(module);
    Py_DECREF(qualname);
    name
}

/// Raises `exc_type` with the message `format` % (`arg`,) in `PyUnicode_FromFormat`'s
/// syntax, where `arg` is a new reference (consumed; null means an exception is already set).
pub unsafe fn raise_with<T>(
    exc_type: *mut PyObject,
    format: &CStr,
    arg: *mut PyObject,
) -> Result<T, ()> {
    if arg.is_null() {
        return Err(());
    }
    let message = PyUnicode_FromFormat(format.as_ptr(), arg);
    Py_DECREF(arg);
    if !message.is_null() {
        PyErr_SetObject(exc_type, message);
        Py_DECREF(message);
    }
    Err(())
}
