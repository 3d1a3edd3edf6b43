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

/// The qualified name of `type(obj)` as a new `str` reference (null with an exception set).
///
/// The type's own name (`type.__dict__["__qualname__"]`, as the reference reads it), not
/// whatever a metaclass answers for `__qualname__`: naming the culprit runs no user code.
pub unsafe fn qualname_of(obj: *mut PyObject) -> *mut PyObject {
    PyType_GetQualName(Py_TYPE(obj))
}

/// The reference's name for a type in `dumps` errors: the qualified name for builtins, else
/// `"{module}.{qualname}"`, both the type's own (`type.__dict__["__module__"]` and
/// `["__qualname__"]`, as for [`qualname_of`]). New reference, or null with an exception set.
pub unsafe fn type_name(cls: *mut PyTypeObject) -> *mut PyObject {
    let qualname = PyType_GetQualName(cls);
    if qualname.is_null() {
        return qualname;
    }
    let module = own_module(cls);
    if module.is_null() {
        Py_DECREF(qualname);
        return module;
    }
    let builtin = PyUnicode_CheckExact(module) != 0
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

/// `type.__dict__["__module__"].__get__(cls)`: the module a type says it belongs to, read
/// by `type`'s own descriptor, past any `__module__` a metaclass defines. New reference, or
/// null with an exception set.
unsafe fn own_module(cls: *mut PyTypeObject) -> *mut PyObject {
    let type_dict = PyObject_GetAttrString(std::ptr::addr_of_mut!(PyType_Type).cast(), c"__dict__".as_ptr());
    if type_dict.is_null() {
        return type_dict;
    }
    let descriptor = PyMapping_GetItemString(type_dict, c"__module__".as_ptr());
    Py_DECREF(type_dict);
    if descriptor.is_null() {
        return descriptor;
    }
    let module = match (*Py_TYPE(descriptor)).tp_descr_get {
        Some(get) => get(descriptor, cls.cast(), Py_TYPE(cls.cast()).cast()),
        None => {
            PyErr_SetString(PyExc_SystemError, c"type.__module__ is not a descriptor".as_ptr());
            std::ptr::null_mut()
        }
    };
    Py_DECREF(descriptor);
    module
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
