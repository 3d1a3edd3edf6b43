//! Arguments of the module functions (`METH_FASTCALL | METH_KEYWORDS`): binding to the
//! parameters of the reference's signatures, and the reference's checks of `max_depth` and
//! `offset`.

use std::ffi::CStr;

use pyo3_ffi::*;

use crate::errors;

/// A Python signature: `positional` parameters (the first `required` of them without a
/// default), then keyword-only parameters (all with defaults).
pub struct Signature {
    pub function: &'static CStr,
    /// A method's (`function` is then its qualified name): Python counts `self` among the
    /// positional arguments in its messages.
    pub method: bool,
    pub positional: &'static [&'static CStr],
    pub required: usize,
    pub keyword_only: &'static [&'static CStr],
}

impl Signature {
    /// Binds the call's arguments to the parameters, in the order positional then
    /// keyword-only; a missing optional argument is null. Raises `TypeError` as Python does
    /// for a bad call.
    pub unsafe fn bind<const N: usize>(
        &self,
        args: *const *mut PyObject,
        nargsf: Py_ssize_t,
        kwnames: *mut PyObject,
    ) -> Result<[*mut PyObject; N], ()> {
        debug_assert_eq!(N, self.positional.len() + self.keyword_only.len());
        let mut bound = [std::ptr::null_mut(); N];
        let nargs = PyVectorcall_NARGS(nargsf as usize) as usize;
        if nargs > self.positional.len() {
            return self.too_many(nargs);
        }
        for (i, slot) in bound.iter_mut().enumerate().take(nargs) {
            *slot = *args.add(i);
        }
        if !kwnames.is_null() {
            let nkw = PyTuple_GET_SIZE(kwnames) as usize;
            for k in 0..nkw {
                let key = PyTuple_GET_ITEM(kwnames, k as Py_ssize_t);
                let value = *args.add(nargs + k);
                match self.index_of(key).and_then(|i| bound.get_mut(i)) {
                    None => {
                        return errors::raise_with(
                            PyExc_TypeError,
                            &self.message(c"got an unexpected keyword argument %R"),
                            Py_NewRef(key),
                        )
                    }
                    Some(slot) if !slot.is_null() => {
                        return errors::raise_with(
                            PyExc_TypeError,
                            &self.message(c"got multiple values for argument %R"),
                            Py_NewRef(key),
                        )
                    }
                    Some(slot) => *slot = value,
                }
            }
        }
        let missing: Vec<&CStr> = self
            .positional
            .iter()
            .zip(bound.iter())
            .take(self.required)
            .filter(|(_, value)| value.is_null())
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            return self.missing(&missing);
        }
        Ok(bound)
    }

    /// [`bind`](Signature::bind) for a call made with an argument tuple and a keyword
    /// dictionary (`tp_new`; either may be null).
    pub unsafe fn bind_tuple<const N: usize>(
        &self,
        args: *mut PyObject,
        kwargs: *mut PyObject,
    ) -> Result<[*mut PyObject; N], ()> {
        // Borrowed references: the tuple and the dictionary outlive the call.
        let mut vector: Vec<*mut PyObject> = Vec::new();
        let nargs = if args.is_null() { 0 } else { PyTuple_GET_SIZE(args) };
        for i in 0..nargs {
            vector.push(PyTuple_GET_ITEM(args, i));
        }
        let mut kwnames = std::ptr::null_mut();
        if !kwargs.is_null() && PyDict_Size(kwargs) > 0 {
            kwnames = PyTuple_New(PyDict_Size(kwargs));
            if kwnames.is_null() {
                return Err(());
            }
            let (mut pos, mut i) = (0, 0);
            let (mut key, mut value) = (std::ptr::null_mut(), std::ptr::null_mut());
            while PyDict_Next(kwargs, &mut pos, &mut key, &mut value) != 0 && i < PyTuple_GET_SIZE(kwnames) {
                PyTuple_SET_ITEM(kwnames, i, Py_NewRef(key));
                vector.push(value);
                i += 1;
            }
        }
        let bound = self.bind::<N>(vector.as_ptr(), nargs, kwnames);
        Py_XDECREF(kwnames);
        bound
    }

    /// Python's error for missing required arguments: "f() missing 1 required positional
    /// argument: 'a'", "... 2 required positional arguments: 'a' and 'b'", "'a', 'b' and
    /// 'c'" for three (as CPython words it).
    #[cold]
    unsafe fn missing<T>(&self, names: &[&CStr]) -> Result<T, ()> {
        let quoted: Vec<String> = names
            .iter()
            .map(|name| format!("'{}'", name.to_str().unwrap_or("?")))
            .collect();
        let listed = match quoted.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, [first])) => format!("{first} and {last}"),
            Some((last, rest)) => format!("{}, and {last}", rest.join(", ")),
            None => String::new(),
        };
        let count = names.len();
        let text = format!(
            "{}() missing {count} required positional argument{}: {listed}",
            self.function.to_str().unwrap_or("?"),
            if count == 1 { "" } else { "s" }
        );
        set_type_error(&text);
        Err(())
    }

    unsafe fn index_of(&self, key: *mut PyObject) -> Option<usize> {
        self.positional
            .iter()
            .chain(self.keyword_only.iter())
            .position(|name| PyUnicode_CompareWithASCIIString(key, name.as_ptr()) == 0)
    }

    /// "{function}() {what}", as a format for `PyUnicode_FromFormat`.
    fn message(&self, what: &CStr) -> std::ffi::CString {
        let text = format!(
            "{}() {}",
            self.function.to_str().unwrap_or("?"),
            what.to_str().unwrap_or("?")
        );
        // Both parts come from C strings, so there is no NUL inside.
        std::ffi::CString::new(text).unwrap_or_default()
    }

    unsafe fn too_many<T>(&self, given: usize) -> Result<T, ()> {
        let this = usize::from(self.method);
        let (max, required, given) = (
            self.positional.len() + this,
            self.required + this,
            given + this,
        );
        let takes = if required == max {
            format!("{max} positional argument{}", if max == 1 { "" } else { "s" })
        } else {
            format!("from {required} to {max} positional arguments")
        };
        let text = format!(
            "{}() takes {takes} but {given} {} given",
            self.function.to_str().unwrap_or("?"),
            if given == 1 { "was" } else { "were" }
        );
        set_type_error(&text);
        Err(())
    }
}

/// Sets `TypeError(text)`.
unsafe fn set_type_error(text: &str) {
    let text = std::ffi::CString::new(text.replace('\0', "")).unwrap_or_default();
    PyErr_SetString(PyExc_TypeError, text.as_ptr());
}

/// The depth limit from a `max_depth` argument (null: the default, 1000). As the reference:
/// an exact `int` (not a bool), at least 0; any larger int is no limit beyond the input.
pub unsafe fn max_depth(obj: *mut PyObject) -> Result<usize, ()> {
    if obj.is_null() {
        return Ok(frozenpack::DEFAULT_MAX_DEPTH);
    }
    if PyLong_CheckExact(obj) == 0 {
        return errors::raise_with(
            PyExc_TypeError,
            c"max_depth must be an int, not %R",
            errors::qualname_of(obj),
        );
    }
    let mut overflow = 0;
    let v = PyLong_AsLongLongAndOverflow(obj, &mut overflow);
    if overflow > 0 {
        return Ok(usize::MAX);
    }
    if overflow < 0 || v < 0 {
        return errors::raise_with(PyExc_ValueError, c"max_depth must be >= 0, not %S", Py_NewRef(obj));
    }
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

/// The start offset from an `offset` argument (null: 0), within 0..=`len`, as the reference
/// checks it.
pub unsafe fn offset(obj: *mut PyObject, len: usize) -> Result<usize, ()> {
    if obj.is_null() {
        return Ok(0);
    }
    if PyLong_CheckExact(obj) == 0 {
        return errors::raise_with(
            PyExc_TypeError,
            c"offset must be an int, not %R",
            errors::qualname_of(obj),
        );
    }
    let mut overflow = 0;
    let v = PyLong_AsLongLongAndOverflow(obj, &mut overflow);
    if overflow == 0 && v >= 0 && (v as u64) <= len as u64 {
        return Ok(v as usize);
    }
    let message = PyUnicode_FromFormat(
        c"offset %S is outside the input (0 to %zd)".as_ptr(),
        obj,
        len as Py_ssize_t,
    );
    if !message.is_null() {
        PyErr_SetObject(PyExc_ValueError, message);
        Py_DECREF(message);
    }
    Err(())
}

/// The `default` argument of `dumps`/`dump`: null when absent or None, else a callable
/// (borrowed), as the reference checks it.
pub unsafe fn default(obj: *mut PyObject) -> Result<*mut PyObject, ()> {
    if obj.is_null() || obj == Py_None() {
        return Ok(std::ptr::null_mut());
    }
    if PyCallable_Check(obj) == 0 {
        return errors::raise_with(
            PyExc_TypeError,
            c"default must be callable or None, not %R",
            errors::qualname_of(obj),
        );
    }
    Ok(obj)
}
