//! `Decoder`: an incremental decoder for a stream that arrives in pieces (spec section 9), the
//! reference's `Decoder` exactly: `feed(data)` returns the values the octets complete, in
//! order, and keeps the octets of a value not complete yet; `close()` says the stream ended.
//!
//! Each piece is walked as the reference walks it: the pending value is handed no more octets
//! than its framing asks for (all of the rest once its length cannot be known), and the
//! framing's verdict is taken after each addition, so the codec's decoder runs on the same
//! octets at the same moments and an error is raised by the same call as the reference's. An
//! error ends the stream: the `feed()` that finds it returns the values completed before it,
//! if any, and the next call raises it; every call after raises it again.
//!
//! A heap type made per module with `PyType_FromModuleAndSpec`. It holds no Python object
//! (the octets and the error are Rust data), so it needs no garbage-collector support.
//! Decoding runs Python code (the garbage collector runs finalizers when a tuple is allocated,
//! and a finalizer may let other threads run): a `feed()` or `close()` made meanwhile, from
//! a finalizer or another thread, is refused with `ValueError`, as a generator refuses to be
//! re-entered, so octets are neither decoded twice nor lost. The fields are only ever
//! borrowed mutably where no Python code runs: the properties may read them at any time.

use std::ffi::{c_void, CStr};
use std::ptr::{addr_of_mut, null_mut};

use pyo3_ffi::*;

use crate::args::{self, Signature};
use crate::buffer::Input;
use crate::busy::Busy;
use crate::decode::{Failure, Invalid};
use crate::errors;
use crate::state::State;
use crate::stream::{Step, StreamValue};

#[repr(C)]
struct Decoder {
    ob_base: PyObject,
    /// The value being received.
    value: StreamValue,
    /// The stream offset of its first octet: the octets before it were decoded.
    offset: usize,
    /// The error that ended the stream, its offset counted from the stream's first octet.
    error: Option<Invalid>,
    /// `close()` was called.
    closed: bool,
    /// A `feed()` was interrupted by an exception other than `DecodeError` (`MemoryError`)
    /// after it had consumed octets: where the stream stands is lost.
    broken: bool,
    /// A `feed()` or `close()` is running.
    running: bool,
}

const DOC: &CStr = c"Decoder(*, max_depth=1000)
--

An incremental decoder for a stream that arrives in pieces (spec section 9): a socket, a pipe
read without blocking, an asyncio StreamReader.

feed(data) takes the next octets and returns the list of values they complete, in order;
the octets of a value not yet complete are kept for the next feed. close() says the stream
has ended: it raises DecodeError if it ended inside a value.

    decoder = Decoder()
    while data := sock.recv(65536):
        for value in decoder.feed(data):
            handle(value)
    decoder.close()

or, with asyncio, ``while data := await reader.read(65536): ...`` in the same way.

Errors follow section 9. An error ends the stream: it is raised by the feed() that finds it if
that call completed no value first; otherwise that feed() returns the values before the
error, and the next call to feed() or close() raises it. Either way no value is lost and
errors come in stream order. After an error, every call raises it again, and the octets
held are let go (buffered is 0). Offsets count from the first octet fed. `truncated` is never raised by feed(): it means \"wait for more\";
only close() turns it into an error.

Memory grows with the octets received, never with what a length header claims. A feed() or
close() made while another runs (from a finalizer or another thread) raises ValueError.";

const FEED_DOC: &CStr = c"feed($self, data)
--

Add the next octets of the stream (any bytes-like object, copied); return the list of the
values they complete.";

const CLOSE_DOC: &CStr = c"close($self)
--

The stream has ended. Raises DecodeError if it ended inside a value (section 9: `truncated`
at the stream's length, or an error the octets received already hold), or if an error is
pending.";

static mut METHODS: [PyMethodDef; 3] = [
    PyMethodDef {
        ml_name: c"feed".as_ptr(),
        ml_meth: PyMethodDefPointer {
            PyCFunctionFastWithKeywords: feed,
        },
        ml_flags: METH_FASTCALL | METH_KEYWORDS,
        ml_doc: FEED_DOC.as_ptr(),
    },
    PyMethodDef {
        ml_name: c"close".as_ptr(),
        ml_meth: PyMethodDefPointer { PyCFunction: close },
        ml_flags: METH_NOARGS,
        ml_doc: CLOSE_DOC.as_ptr(),
    },
    PyMethodDef::zeroed(),
];

static mut GETSET: [PyGetSetDef; 3] = [
    PyGetSetDef {
        name: c"offset".as_ptr(),
        get: Some(get_offset),
        set: None,
        doc: c"The stream offset at which the next value starts (octets before it were decoded)."
            .as_ptr(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: c"buffered".as_ptr(),
        get: Some(get_buffered),
        set: None,
        doc: c"How many octets are held: those of the value not complete yet.".as_ptr(),
        closure: null_mut(),
    },
    PyGetSetDef {
        name: std::ptr::null(),
        get: None,
        set: None,
        doc: std::ptr::null(),
        closure: null_mut(),
    },
];

/// Creates the `Decoder` type for `module` (a new reference).
pub unsafe fn create_type(module: *mut PyObject) -> Result<*mut PyObject, ()> {
    use crate::heap_type::{create, slot};
    create(
        module,
        c"frozenpack._frozenpack.Decoder",
        std::mem::size_of::<Decoder>(),
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
        &[
            slot(Py_tp_new, new as *mut c_void),
            slot(Py_tp_dealloc, dealloc as *mut c_void),
            slot(Py_tp_repr, repr as *mut c_void),
            slot(Py_tp_methods, addr_of_mut!(METHODS) as *mut c_void),
            slot(Py_tp_getset, addr_of_mut!(GETSET) as *mut c_void),
            slot(Py_tp_doc, DOC.as_ptr() as *mut c_void),
        ],
    )
}

static NEW: Signature = Signature {
    function: c"Decoder.__init__",
    method: true,
    positional: &[],
    required: 0,
    keyword_only: &[c"max_depth"],
};

unsafe extern "C" fn new(
    t: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| {
        let made = (|| {
            let [max_depth] = NEW.bind_tuple::<1>(args, kwargs)?;
            let max_depth = args::max_depth(max_depth)?;
            let alloc = (*t).tp_alloc.unwrap_or(PyType_GenericAlloc);
            let obj = alloc(t, 0);
            if obj.is_null() {
                return Err(());
            }
            let d = obj as *mut Decoder;
            addr_of_mut!((*d).value).write(StreamValue::new(0, max_depth));
            addr_of_mut!((*d).error).write(None);
            (*d).offset = 0;
            (*d).closed = false;
            (*d).broken = false;
            (*d).running = false;
            Ok(obj)
        })();
        made.unwrap_or(null_mut())
    })
}

unsafe extern "C" fn dealloc(obj: *mut PyObject) {
    crate::guard::unraisable(|| {
        let t = Py_TYPE(obj);
        let d = obj as *mut Decoder;
        std::ptr::drop_in_place(addr_of_mut!((*d).value));
        std::ptr::drop_in_place(addr_of_mut!((*d).error));
        let free = (*t).tp_free.unwrap_or(PyObject_Free);
        free(obj.cast());
        // Instances of heap types hold a reference to their type.
        Py_DECREF(t.cast());
    })
}

static FEED: Signature = Signature {
    function: c"Decoder.feed",
    method: true,
    positional: &[c"data"],
    required: 1,
    keyword_only: &[],
};

unsafe extern "C" fn feed(
    obj: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    crate::guard::object(|| {
        let fed = (|| {
            let [data] = FEED.bind::<1>(args, nargs, kwnames)?;
            let d = obj as *mut Decoder;
            let state = PyType_GetModuleState(Py_TYPE(obj)) as *mut State;
            let _busy = Busy::enter(addr_of_mut!((*d).running), REFUSAL)?;
            usable(d, state)?;
            if (*d).closed {
                PyErr_SetString(PyExc_ValueError, c"feed() after close()".as_ptr());
                return Err(());
            }
            // The piece is held for this call (read in place if it is bytes, else copied
            // now); the octets the pending value takes are copied into the decoder's buffer.
            let input = Input::acquire(data)?;
            let values = PyList_New(0);
            if values.is_null() {
                return Err(());
            }
            match feed_octets(d, state, input.octets(), values) {
                Ok(()) => Ok(values),
                // An error after some values: they are returned, the error is raised next.
                Err(Failure::Invalid(_)) if PyList_GET_SIZE(values) > 0 => Ok(values),
                Err(failure) => {
                    Py_DECREF(values);
                    if let Failure::Raised = failure {
                        (*d).broken = true;
                    }
                    failure.raise(state)
                }
            }
        })();
        fed.unwrap_or(null_mut())
    })
}

/// The reference's walk of one piece: each value is handed the octets its framing asks for,
/// its verdict taken after each addition; complete values go to `values`. An invalid value is
/// stored as the decoder's error (and returned as `Failure::Invalid`).
///
/// The decoder's checks of a value still undecided (the reference's, at its schedule) are
/// not run at each step but once, when the piece is used up with the value undecided, on the
/// octets the last check due would have seen: that finds an error exactly when one of the
/// reference's checks in this piece would have (spec section 9: a final error in a prefix is
/// final in every longer one), and a value that completes in the piece is decoded anyway.
/// So the same values and error come out of the same call, from one check per piece instead
/// of one per step (several per short value).
unsafe fn feed_octets(
    d: *mut Decoder,
    state: *mut State,
    chunk: &[u8],
    values: *mut PyObject,
) -> Result<(), Failure> {
    let mut pos = 0;
    loop {
        let rest = chunk.get(pos..).unwrap_or_default();
        // A value whose length cannot be known is an error whatever follows: it takes the
        // rest of the piece. Otherwise no more than it needs: the rest starts the next value.
        let take = if (*d).value.length_unknown() {
            rest.len()
        } else {
            usize::try_from((*d).value.need()).map_or(rest.len(), |need| need.min(rest.len()))
        };
        (*d).value.add(rest.get(..take).unwrap_or_default());
        pos += take;
        let mut step = (*d).value.frame_deferring_check()?;
        if let Step::Undecided = step {
            if pos < chunk.len() {
                continue;
            }
            step = (*d).value.run_due_check()?;
        }
        match step {
            Step::Undecided => return Ok(()),
            Step::Failed => return Err(fail(d, (*d).value.fail(state))),
            Step::Complete => {
                let (value, end) = match (*d).value.decide(state) {
                    Ok(complete) => complete,
                    Err(failure) => return Err(fail(d, failure)),
                };
                let appended = PyList_Append(values, value);
                Py_DECREF(value);
                if appended < 0 {
                    return Err(Failure::Raised);
                }
                (*d).offset = (*d).offset.saturating_add(end);
                (*d).value.reset((*d).offset);
                if pos >= chunk.len() {
                    return Ok(());
                }
            }
        }
    }
}

/// The pending value failed. An invalid one ends the stream: it is stored, and the octets
/// held are let go (nothing more will be decoded: `buffered` is 0 from then on).
unsafe fn fail(d: *mut Decoder, failure: Failure) -> Failure {
    match failure {
        Failure::Invalid(invalid) => {
            (*d).value.release();
            (*d).error = Some(invalid.clone());
            Failure::Invalid(invalid)
        }
        raised => raised,
    }
}

unsafe extern "C" fn close(obj: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    crate::guard::object(|| {
        let closed = (|| {
            let d = obj as *mut Decoder;
            let state = PyType_GetModuleState(Py_TYPE(obj)) as *mut State;
            let _busy = Busy::enter(addr_of_mut!((*d).running), REFUSAL)?;
            usable(d, state)?;
            (*d).closed = true;
            if (*d).value.len() > 0 {
                let failure = fail(d, (*d).value.at_end(state));
                return failure.raise(state);
            }
            Ok(Py_NewRef(Py_None()))
        })();
        closed.unwrap_or(null_mut())
    })
}

/// Raises the stored error, or the `ValueError` of a decoder that lost its place.
unsafe fn usable(d: *mut Decoder, state: *mut State) -> Result<(), ()> {
    if let Some(error) = &(*d).error {
        return error.raise(state);
    }
    if (*d).broken {
        PyErr_SetString(
            PyExc_ValueError,
            c"the Decoder lost its place in the stream: an earlier feed() was interrupted by an \
              exception"
                .as_ptr(),
        );
        return Err(());
    }
    Ok(())
}

/// What a call made while another runs raises (as the reference's `Decoder`).
const REFUSAL: &CStr = c"Decoder already executing";

unsafe fn buffered(d: *mut Decoder) -> usize {
    (*d).value.len()
}

unsafe extern "C" fn get_offset(obj: *mut PyObject, _closure: *mut c_void) -> *mut PyObject {
    crate::guard::object(|| PyLong_FromSize_t((*(obj as *mut Decoder)).offset))
}

unsafe extern "C" fn get_buffered(obj: *mut PyObject, _closure: *mut c_void) -> *mut PyObject {
    crate::guard::object(|| PyLong_FromSize_t(buffered(obj as *mut Decoder)))
}

/// `<Decoder offset=N buffered=M[ failed][ closed]>`, as the reference's `__repr__`.
unsafe extern "C" fn repr(obj: *mut PyObject) -> *mut PyObject {
    crate::guard::object(|| {
        let d = obj as *mut Decoder;
        let name = errors::qualname_of(obj);
        if name.is_null() {
            return null_mut();
        }
        let failed = if (*d).error.is_some() {
            c" failed"
        } else {
            c""
        };
        let closed = if (*d).closed { c" closed" } else { c"" };
        let text = PyUnicode_FromFormat(
            c"<%U offset=%zu buffered=%zu%s%s>".as_ptr(),
            name,
            (*d).offset,
            buffered(d),
            failed.as_ptr(),
            closed.as_ptr(),
        );
        Py_DECREF(name);
        text
    })
}
