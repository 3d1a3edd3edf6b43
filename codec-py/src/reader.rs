//! Reading one value from a binary file object, as the reference's `_read_stream_value` does:
//! `fp.read(n)` asked for exactly the octets the value still needs at the least (the tag,
//! then the length field, then the payload, one octet per item a tuple announces), so that no
//! octet after a valid value is taken from a pipe or socket that cannot seek back.
//!
//! Each read asks for at most 64 KiB, or the octets already read if more: a header claiming
//! 2^64 octets makes neither `fp` nor this module reserve room for them.

use std::ffi::c_char;

use pyo3_ffi::*;

use crate::buffer::Input;
use crate::state::State;
use crate::stream::{Complete, StreamValue};

/// The least of the largest read (the reference's `_MIN_READ`).
const MIN_READ: usize = 1 << 16;

/// Reads one value from `fp`, whose first octet is at offset `base` of the stream (error
/// offsets count from the start of the stream). Returns the value and its octets' count, or
/// None when the stream ends before the value's first octet. Raises what the reference
/// raises: `DecodeError`, `BlockingIOError` for a `read()` returning None, `TypeError` for one
/// returning no bytes-like object, `ValueError` for one returning more than asked, and
/// whatever `fp.read` raises.
pub unsafe fn read_value(
    state: *mut State,
    fp: *mut PyObject,
    base: usize,
    max_depth: usize,
) -> Result<Option<Complete>, ()> {
    read_value_into(state, fp, &mut StreamValue::new(base, max_depth))
}

/// [`read_value`] into `value`, which must be empty (a reader of many values reuses one,
/// [`reset`](StreamValue::reset) to where the value starts); it is left holding the octets
/// read.
pub unsafe fn read_value_into(
    state: *mut State,
    fp: *mut PyObject,
    value: &mut StreamValue,
) -> Result<Option<Complete>, ()> {
    loop {
        match value.verdict(state) {
            Ok(Some(complete)) => return Ok(Some(complete)),
            Ok(None) => {}
            Err(failure) => return failure.raise(state),
        }
        let cap = MIN_READ.max(value.len());
        let asked = usize::try_from(value.need()).map_or(cap, |need| need.min(cap));
        let chunk = read(state, fp, asked)?;
        let octets = chunk.octets();
        if octets.is_empty() {
            if value.len() == 0 {
                return Ok(None);
            }
            return value.at_end(state).raise(state);
        }
        value.add(octets);
    }
}

/// `fp.read(asked)`, checked as the reference's `_check_octets` checks it: a bytes-like
/// object of at most `asked` octets (empty at the end of the stream), held for reading.
unsafe fn read(state: *mut State, fp: *mut PyObject, asked: usize) -> Result<Input, ()> {
    let size = PyLong_FromSize_t(asked);
    if size.is_null() {
        return Err(());
    }
    let chunk = PyObject_CallMethodOneArg(fp, (*state).str_read, size);
    Py_DECREF(size);
    if chunk.is_null() {
        return Err(());
    }
    if chunk == Py_None() {
        Py_DECREF(chunk);
        PyErr_SetString(
            PyExc_BlockingIOError,
            c"fp.read() returned None (no data available): load() and iter_load() need a \
              blocking stream; feed a Decoder from non-blocking ones"
                .as_ptr(),
        );
        return Err(());
    }
    let input = Input::acquire(chunk);
    Py_DECREF(chunk);
    let input = input?;
    let got = input.octets().len();
    if got > asked {
        let message = PyUnicode_FromFormat(
            c"fp.read(%zu) returned %zu octets, more than asked".as_ptr() as *const c_char,
            asked,
            got,
        );
        if !message.is_null() {
            PyErr_SetObject(PyExc_ValueError, message);
            Py_DECREF(message);
        }
        return Err(());
    }
    Ok(input)
}
