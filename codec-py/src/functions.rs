//! The module's functions, with the reference's signatures, argument checks (in the same
//! order) and docstrings.

use std::ffi::CStr;

use pyo3_ffi::*;

use crate::args::{self, Signature};
use crate::buffer::Input;
use crate::decode;
use crate::encode;
use crate::errors;
use crate::iter;
use crate::load_iter;
use crate::reader;
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

Read one value from fp, a binary stream positioned at its first octet, and leave fp
just after it (the convention of pickle.load and marshal.load).

fp is anything with a read(n) method returning a bytes-like object: a file, a pipe, a
socket's makefile(\"rb\"), an io.BytesIO. load asks it for exactly the octets the value
still needs at the least (the tag, then the length field, then the payload, and one octet
per announced tuple item), so it never consumes an octet after the value, even from a
pipe or socket that cannot seek back. A buffered reader (io.BufferedReader, the default
for open(..., \"rb\")) may have read further ahead from its own source: those octets stay
in its buffer, where the next read of fp, or the next load, finds them.

Raises DecodeError for an invalid value (offsets count from the octet at which this call
started reading), `truncated` when the stream ends inside the value or before it (an
empty stream is `truncated` at 0, like loads(b\"\")). To read every value up to the end of
the stream, use iter_load. fp must block until data arrives: a read() returning None
raises BlockingIOError, and the octets read so far are lost (use Decoder instead).

Changed: load used to read fp to its end and decode that as one value, so a stream of
several values raised `trailing_bytes`; it now reads one value and stops.";

pub const ITER_LOAD_DOC: &CStr = c"iter_load(fp, *, max_depth=1000)
--

Iterate over the values in fp, a binary stream, from its current position to its end
(spec section 9): each value is read as load() reads it, so fp never gives up an octet the
next value does not need.

The iteration ends at the end of the stream, when it falls between two values. A stream
that ends inside a value raises DecodeError `truncated`; an invalid value raises its
error, after every value before it has been yielded. Offsets count from the octet at which
the iteration started. The arguments are checked at once. A next() made while another is
running (from a finalizer or another thread) raises ValueError.";

/// A function's result: a new reference, or null with an exception set.
fn result(r: Result<*mut PyObject, ()>) -> *mut PyObject {
    r.unwrap_or(std::ptr::null_mut())
}

static DUMPS: Signature = Signature {
    function: c"dumps",
    method: false,
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
    method: false,
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
    method: false,
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
    method: false,
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
    method: false,
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
    method: false,
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
        match reader::read_value(state, fp, 0, max_depth)? {
            Some((value, _)) => Ok(value),
            None => errors::raise_decode_error(
                state,
                "truncated",
                0,
                "the stream ends where a value's tag should be",
            ),
        }
    })()))
}

static ITER_LOAD: Signature = Signature {
    function: c"iter_load",
    method: false,
    positional: &[c"fp"],
    required: 1,
    keyword_only: &[c"max_depth"],
};

pub unsafe extern "C" fn iter_load(
    module: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| result((|| {
        let [fp, max_depth] = ITER_LOAD.bind::<2>(args, nargs, kwnames)?;
        let max_depth = args::max_depth(max_depth)?;
        let state = state::of_module(module);
        // As the reference: `callable(getattr(fp, "read", None))`, checked at once.
        let read = PyObject_GetAttr(fp, (*state).str_read);
        let readable = if read.is_null() {
            if PyErr_ExceptionMatches(PyExc_AttributeError) == 0 {
                return Err(());
            }
            PyErr_Clear();
            false
        } else {
            let callable = PyCallable_Check(read) != 0;
            Py_DECREF(read);
            callable
        };
        if !readable {
            return errors::raise_with(
                PyExc_TypeError,
                c"iter_load() needs a binary stream with read(), not %R",
                errors::qualname_of(fp),
            );
        }
        load_iter::new(state, fp, max_depth)
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
