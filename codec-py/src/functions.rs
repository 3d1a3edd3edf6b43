//! The module's functions, with the reference's signatures, argument checks (in the same
//! order) and docstrings.

use std::ffi::CStr;

use pyo3_ffi::*;

use crate::args::{self, Signature};
use crate::buffer::Input;
use crate::decode;
use crate::encode;
use crate::iter;
use crate::state::{self, State};

pub const DUMPS_DOC: &CStr = c"dumps(obj, *, default=None)
--

Return the canonical encoding of obj (spec section 4) as bytes.

Accepts None, bool, int, float, str, bytes and tuples of these, nested to any depth.
Subclasses of int, float, str, bytes and tuple (IntEnum, namedtuple, ...) are encoded as
their base value, without calling any method the subclass could override. Anything else
raises TypeError naming the type and where it sits, e.g. \"unsupported type 'list' at $[2]\",
unless default is given: default(x) is then called with each such object x, and what it
returns is encoded in its place (its items too may go through default; what it returns
itself may not: an unsupported result raises the same TypeError). For example
default=lambda x: tuple(x) if isinstance(x, list) else sorted(x.items()) carries lists as
tuples and dicts as sorted (key, value) pairs; nothing of the format changes, so they
decode as tuples.";

pub const LOADS_DOC: &CStr = c"loads(data, *, max_depth=1000)
--

Decode the whole of data (any C-contiguous bytes-like object) as one value (spec section 6).

A bytes object (or a memoryview of one) is read in place; any other buffer is copied once
when the call starts, so a buffer that changes meanwhile (shared memory another process
writes) gives the value of the octets copied, never an inconsistent one. Raises DecodeError for any input that is not
exactly one canonical encoding, including trailing_bytes when octets follow the value.
max_depth is the depth limit D of spec section 8.";

pub const LOADS_PREFIX_DOC: &CStr = c"loads_prefix(data, offset=0, *, max_depth=1000)
--

Decode one value starting at offset of data (spec section 6, prefix decoding).

Returns (value, end_offset); octets after the value are left alone. Error offsets count
from the start of data, not from offset.";

pub const ITER_LOADS_DOC: &CStr = c"iter_loads(data, *, max_depth=1000)
--

Iterate over the values of a sequence (spec section 9): canonical encodings back to back.

An empty input is the empty sequence. A DecodeError ends the iteration, raised by the
next() that meets it, with its offset counted from the start of data. The argument is
checked at once, so a non-bytes-like data raises TypeError here, not at the first next().
A bytes object (or a memoryview of one) is held and read in place until the iteration
ends; any other buffer is copied once, here, and later changes to it are not seen. A next()
made while another is running (from a finalizer or another thread) raises ValueError.";

pub const DUMP_DOC: &CStr = c"dump(obj, fp, *, default=None)
--

Write dumps(obj, default=default) to fp, a binary file (anything with a write(bytes)
method).";

pub const LOAD_DOC: &CStr = c"load(fp, *, max_depth=1000)
--

Decode the rest of fp, a binary file (anything with a read() method returning a bytes-like
object), as one value: loads(fp.read(), max_depth=max_depth).";

/// A function's result: a new reference, or null with an exception set.
fn result(r: Result<*mut PyObject, ()>) -> *mut PyObject {
    r.unwrap_or(std::ptr::null_mut())
}

static DUMPS: Signature = Signature {
    function: c"dumps",
    positional: &[c"obj"],
    required: 1,
    keyword_only: &[c"default"],
};

pub unsafe extern "C" fn dumps(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [obj, default] = DUMPS.bind::<2>(args, nargs, kwnames)?;
        let default = args::default(default)?;
        let encoded = encode::dumps(state::of_module(module), obj, default);
        if encoded.is_null() {
            Err(())
        } else {
            Ok(encoded)
        }
    })()))
}

static LOADS: Signature = Signature {
    function: c"loads",
    positional: &[c"data"],
    required: 1,
    keyword_only: &[c"max_depth"],
};

pub unsafe extern "C" fn loads(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [data, max_depth] = LOADS.bind::<2>(args, nargs, kwnames)?;
        loads_object(state::of_module(module), data, args::max_depth(max_depth)?)
    })()))
}

/// `loads(data, max_depth=max_depth)` after the arguments were checked.
unsafe fn loads_object(
    state: *mut State,
    data: *mut PyObject,
    max_depth: usize,
) -> Result<*mut PyObject, ()> {
    let input = Input::acquire(data)?;
    decode::read_whole(state, input.octets(), max_depth)
}

static LOADS_PREFIX: Signature = Signature {
    function: c"loads_prefix",
    positional: &[c"data", c"offset"],
    required: 1,
    keyword_only: &[c"max_depth"],
};

pub unsafe extern "C" fn loads_prefix(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [data, offset, max_depth] = LOADS_PREFIX.bind::<3>(args, nargs, kwnames)?;
        let max_depth = args::max_depth(max_depth)?;
        let input = Input::acquire(data)?;
        let octets = input.octets();
        let offset = args::offset(offset, octets.len())?;
        let (value, end) = decode::read_value(state::of_module(module), octets, offset, max_depth)?;
        let end = PyLong_FromSize_t(end);
        if end.is_null() {
            Py_DECREF(value);
            return Err(());
        }
        let pair = PyTuple_New(2);
        if pair.is_null() {
            Py_DECREF(value);
            Py_DECREF(end);
            return Err(());
        }
        PyTuple_SET_ITEM(pair, 0, value);
        PyTuple_SET_ITEM(pair, 1, end);
        Ok(pair)
    })()))
}

static ITER_LOADS: Signature = Signature {
    function: c"iter_loads",
    positional: &[c"data"],
    required: 1,
    keyword_only: &[c"max_depth"],
};

pub unsafe extern "C" fn iter_loads(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [data, max_depth] = ITER_LOADS.bind::<2>(args, nargs, kwnames)?;
        let max_depth = args::max_depth(max_depth)?;
        let input = Input::acquire(data)?;
        iter::new(state::of_module(module), input, max_depth)
    })()))
}

static DUMP: Signature = Signature {
    function: c"dump",
    positional: &[c"obj", c"fp"],
    required: 2,
    keyword_only: &[c"default"],
};

pub unsafe extern "C" fn dump(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [obj, fp, default] = DUMP.bind::<3>(args, nargs, kwnames)?;
        let default = args::default(default)?;
        // As the reference's `fp.write(dumps(obj))`: the method is looked up first, so a
        // file without `write` is reported before an unsupported value.
        let write = PyObject_GetAttr(fp, (*state::of_module(module)).str_write);
        if write.is_null() {
            return Err(());
        }
        let encoded = encode::dumps(state::of_module(module), obj, default);
        if encoded.is_null() {
            Py_DECREF(write);
            return Err(());
        }
        let written = PyObject_CallOneArg(write, encoded);
        Py_DECREF(encoded);
        Py_DECREF(write);
        if written.is_null() {
            return Err(());
        }
        Py_DECREF(written);
        Ok(Py_NewRef(Py_None()))
    })()))
}

static LOAD: Signature = Signature {
    function: c"load",
    positional: &[c"fp"],
    required: 1,
    keyword_only: &[c"max_depth"],
};

pub unsafe extern "C" fn load(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [fp, max_depth] = LOAD.bind::<2>(args, nargs, kwnames)?;
        let max_depth = args::max_depth(max_depth)?;
        let state = state::of_module(module);
        let data = PyObject_CallMethodObjArgs(fp, (*state).str_read, std::ptr::null_mut::<PyObject>());
        if data.is_null() {
            return Err(());
        }
        let value = loads_object(state, data, max_depth);
        Py_DECREF(data);
        value
    })()))
}

pub const PANIC_GUARD_SELFTEST_DOC: &CStr = c"_panic_guard_selftest()
--

For frozenpack's tests only: panics inside the extension, which must come out as a
SystemError instead of aborting the process (see codec-py/src/guard.rs).";

/// Proves, in the build users get, that the boundary guard turns a panic into `SystemError`
/// (a panic that unwound into CPython would abort instead).
pub unsafe extern "C" fn panic_guard_selftest(
    _module: *mut PyObject,
    _args: *const *mut PyObject,
    _nargs: Py_ssize_t,
    _kwnames: *mut PyObject,
) -> *mut PyObject {
    #[allow(clippy::panic)] // the one deliberate panic: what the guard is tested with
    crate::guard::object(|| panic!("the panic guard's self-test"))
}
