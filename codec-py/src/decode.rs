//! Decoding: Python objects built straight from the codec's grammar, in one pass.
//!
//! The codec's `Cursor` reads each item with every check of spec section 6 and hands it to
//! this module's sink, which makes its Python object at once (no `Event` in between); this
//! module only keeps the open tuples, fills them and counts their items. Open tuples are a
//! heap stack, so any depth limit is safe for the native stack.
//!
//! A tuple is normally created at its final size when its `TupleStart(n)` arrives and its
//! slots are filled in order. The reader checks each count against the octets that remain,
//! but not the counts of nested open tuples jointly, so tuples are presized only while the
//! slots reserved for open tuples stay within the input's length; beyond that budget the
//! items are gathered as they arrive (each took at least one octet) and the tuple is made at
//! its end. Decoding N octets thus reserves O(N) memory, as spec section 8 requires.
//!
//! Tuples are untracked by the cyclic garbage collector as soon as they are created: they
//! hold only atoms and other such tuples, so they can never be part of a cycle (CPython's
//! collector untracks such tuples itself, but only after examining them in a collection).

use std::cell::Cell;

use frozenpack::{BigInt, Cursor, Event, Sink, SurrogateStr};
use pyo3_ffi::*;

use crate::errors;
use crate::messages::{self, At};
use crate::pyint;
use crate::state::State;
use crate::strings;

/// One open tuple.
#[derive(Clone, Copy)]
struct Frame {
    /// The presized tuple being filled, or null when its items go to the spill stack.
    tuple: *mut PyObject,
    /// The item count, and how many items are in place.
    count: usize,
    filled: usize,
    /// Where this tuple's items start on the spill stack (unused when presized).
    spill_start: usize,
}

/// The open tuples and the items of those that are not presized; owns every reference in it.
struct Building {
    /// Innermost last. A plain `Vec`, so the per-item `last_mut` is one length test (the
    /// inline-then-spill `Stack` also tested which of its two parts holds the top). It comes
    /// from, and goes back to, [`FRAME_POOL`], and is reserved for the whole depth limit at
    /// the first tuple (see [`Building::open`]): nesting never regrows it, and a decode
    /// does not allocate it anew.
    frames: Vec<Frame>,
    spill: Vec<*mut PyObject>,
    /// Slots reserved by presized open tuples.
    reserved: usize,
}

/// Frames reserved by [`Building::open`] never exceed this many, and a frame stack is kept
/// in [`FRAME_POOL`] only up to it: 32 KiB, the default depth limit's worth.
const MAX_RESERVED_FRAMES: usize = 1024;

thread_local! {
    /// An empty frame stack with its room, kept between decodes on this thread. Each decode
    /// takes it (leaving an empty one, so a decode that starts inside another, e.g. from a
    /// finalizer run by the garbage collector, gets a fresh one) and gives it back at the
    /// end. It holds no references while pooled, so sharing it between interpreters on one
    /// thread is harmless. Measured: allocating the stack per call cost ~10% of decoding a
    /// small tuple, and regrowing it ~8% of decoding 500 nested tuples.
    static FRAME_POOL: Cell<Vec<Frame>> = const { Cell::new(Vec::new()) };
}

impl Drop for Building {
    fn drop(&mut self) {
        // Only non-empty after an error: release the partial tuples (their unfilled slots are
        // null, which tuple deallocation skips) and the gathered items.
        unsafe {
            while let Some(frame) = self.frames.pop() {
                Py_XDECREF(frame.tuple);
            }
            for item in self.spill.drain(..) {
                Py_DECREF(item);
            }
        }
        if self.frames.capacity() <= MAX_RESERVED_FRAMES {
            let frames = std::mem::take(&mut self.frames);
            // During thread teardown the pool may be gone; the stack is then simply freed.
            let _ = FRAME_POOL.try_with(|pool| pool.set(frames));
        }
    }
}

/// Reads one value starting at `offset` of `data` (spec section 6, `read_item(offset, 0)`),
/// returning it (a new reference) and the offset just past it. Raises `DecodeError` with the
/// reference's kind, offset and detail, or `MemoryError`.
#[inline]
pub unsafe fn read_value(
    state: *mut State,
    data: &[u8],
    offset: usize,
    max_depth: usize,
) -> Result<(*mut PyObject, usize), ()> {
    match decode_value(state, data, offset, max_depth, 0) {
        Ok(decoded) => Ok(decoded),
        Err(failure) => failure.raise(state),
    }
}

/// Why [`decode_value`] returned no value.
pub enum Failure {
    /// A Python exception is set (`MemoryError`, say).
    Raised,
    /// The octets are not a valid value; nothing is raised yet.
    Invalid(Invalid),
}

impl Failure {
    /// Raises it (an `Invalid` one as `DecodeError`); a `Raised` one already is.
    pub unsafe fn raise<T>(&self, state: *mut State) -> Result<T, ()> {
        match self {
            Failure::Raised => Err(()),
            Failure::Invalid(invalid) => invalid.raise(state),
        }
    }
}

impl From<()> for Failure {
    fn from((): ()) -> Failure {
        Failure::Raised
    }
}

/// An invalid value, as the reference's `DecodeError` describes it: its kind, its offset and
/// its detail.
#[derive(Clone)]
pub struct Invalid {
    pub kind: &'static str,
    pub offset: usize,
    pub detail: String,
}

impl Invalid {
    /// Raises it as `DecodeError`.
    pub unsafe fn raise<T>(&self, state: *mut State) -> Result<T, ()> {
        errors::raise_decode_error(state, self.kind, self.offset, &self.detail)
    }
}

/// [`read_value`], returning an invalid input's error instead of raising it (a stream
/// decoder keeps it, to raise it again on every later call). `base` is the offset of
/// `data[0]` in the whole input (a stream reader holds only the octets of the value it
/// reads): the error's offset, and the offsets its detail mentions, count from there.
pub unsafe fn decode_value(
    state: *mut State,
    data: &[u8],
    offset: usize,
    max_depth: usize,
    base: usize,
) -> Result<(*mut PyObject, usize), Failure> {
    let Some(mut cursor) = Cursor::new(data, offset) else {
        // The callers check the offset first.
        return internal_error(c"decoding was asked to start past the input").map_err(Failure::from);
    };
    let mut sink = Objects { state };
    let mut building = Building {
        frames: FRAME_POOL.try_with(Cell::take).unwrap_or_default(),
        spill: Vec::new(),
        reserved: 0,
    };
    loop {
        let level = building.frames.len();
        let mut obj = match cursor.item_into(level, max_depth, &mut sink) {
            Ok(Built::Leaf(obj)) if obj.is_null() => return Err(Failure::Raised),
            Ok(Built::Leaf(obj)) => obj,
            Ok(Built::Tuple(0)) => new_untracked_tuple(0)?,
            Ok(Built::Tuple(count)) => {
                building.open(count, data.len(), max_depth)?;
                continue;
            }
            Err(err) => {
                // The cursor has not moved: it stands at the failing item's tag.
                let at = At {
                    data,
                    p: cursor.offset(),
                    level,
                    max_depth,
                    base,
                };
                return Err(Failure::Invalid(Invalid {
                    kind: err.kind().as_str(),
                    offset: err.offset().saturating_add(base),
                    detail: messages::detail(&err, &at),
                }));
            }
        };
        // Into the innermost open tuple; every tuple it completes goes into the one around it.
        loop {
            let Some(frame) = building.frames.last_mut() else {
                return Ok((obj, cursor.offset()));
            };
            if frame.tuple.is_null() {
                building.spill.push(obj);
            } else {
                PyTuple_SET_ITEM(frame.tuple, frame.filled as Py_ssize_t, obj);
            }
            frame.filled += 1;
            if frame.filled < frame.count {
                break;
            }
            obj = building.close()?;
        }
    }
}

/// What the sink makes of an item: a leaf's object (null with an exception set if making it
/// failed), or a tuple of `n` items opening.
enum Built {
    Leaf(*mut PyObject),
    Tuple(usize),
}

/// The grammar's sink: each leaf's Python object, made as the leaf is read.
struct Objects {
    state: *mut State,
}

impl<'de> Sink<'de> for Objects {
    type Out = Built;

    // Every kind has its own method below; this is for completeness.
    #[inline(always)]
    fn event(&mut self, event: Event<'de>) -> Built {
        match event {
            Event::TupleStart(n) => Built::Tuple(n),
            Event::TupleEnd => Built::Tuple(0),
            leaf => Built::Leaf(unsafe { leaf_object(self.state, leaf) }),
        }
    }
    #[inline(always)]
    fn none(&mut self) -> Built {
        Built::Leaf(unsafe { Py_NewRef(Py_None()) })
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) -> Built {
        Built::Leaf(unsafe { Py_NewRef(if b { Py_True() } else { Py_False() }) })
    }
    #[inline(always)]
    fn int(&mut self, v: i64) -> Built {
        Built::Leaf(unsafe {
            if (*self.state).digits_are_30_bit {
                pyint::from_i64_digits(v)
            } else {
                PyLong_FromLongLong(v)
            }
        })
    }
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Built {
        Built::Leaf(unsafe {
            if (*self.state).digits_are_30_bit {
                pyint::from_le_signed_digits(big.as_le_bytes())
            } else {
                pyint::from_le_signed(big.as_le_bytes())
            }
        })
    }
    #[inline(always)]
    fn float(&mut self, x: f64) -> Built {
        Built::Leaf(unsafe { PyFloat_FromDouble(x) })
    }
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> Built {
        Built::Leaf(unsafe { strings::from_utf8(&mut (*self.state).strings, s) })
    }
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Built {
        Built::Leaf(unsafe { strings::from_generalized_utf8(s.as_generalized_utf8()) })
    }
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> Built {
        Built::Leaf(unsafe { PyBytes_FromStringAndSize(b.as_ptr().cast(), b.len() as Py_ssize_t) })
    }
    #[inline(always)]
    fn tuple(&mut self, n: usize) -> Built {
        Built::Tuple(n)
    }
}

impl Building {
    /// A tuple of `count` items starts, in an input of `budget` octets decoded under
    /// `max_depth`.
    #[inline]
    unsafe fn open(&mut self, count: usize, budget: usize, max_depth: usize) -> Result<(), ()> {
        if self.frames.len() == self.frames.capacity() {
            // Room for every level the reader can let through, up front: the depth limit,
            // at most one per octet, at most MAX_RESERVED_FRAMES; beyond that the stack
            // grows by doubling.
            let levels = max_depth.min(budget).clamp(1, MAX_RESERVED_FRAMES);
            self.frames.reserve(levels.saturating_sub(self.frames.len()).max(1));
        }
        let mut tuple = std::ptr::null_mut();
        if count > 0 && count <= budget - self.reserved {
            tuple = new_untracked_tuple(count)?;
            self.reserved += count;
        }
        self.frames.push(Frame {
            tuple,
            count,
            filled: 0,
            spill_start: self.spill.len(),
        });
        Ok(())
    }

    /// The innermost tuple is complete: returns it (a new reference).
    #[inline]
    unsafe fn close(&mut self) -> Result<*mut PyObject, ()> {
        let Some(frame) = self.frames.pop() else {
            // The reader pairs every TupleEnd with a TupleStart.
            return internal_error(c"a tuple ended that was not open");
        };
        debug_assert_eq!(frame.filled, frame.count);
        if !frame.tuple.is_null() {
            self.reserved -= frame.count;
            return Ok(frame.tuple);
        }
        if frame.count == 0 {
            return new_untracked_tuple(0);
        }
        let tuple = new_untracked_tuple(frame.count)?;
        for (i, item) in self.spill.drain(frame.spill_start..).enumerate() {
            PyTuple_SET_ITEM(tuple, i as Py_ssize_t, item);
        }
        Ok(tuple)
    }
}

/// `PyTuple_New(n)`, out of the garbage collector's sight (see the module docs).
#[inline]
unsafe fn new_untracked_tuple(n: usize) -> Result<*mut PyObject, ()> {
    let tuple = PyTuple_New(n as Py_ssize_t);
    if tuple.is_null() {
        return Err(());
    }
    if n > 0 {
        PyObject_GC_UnTrack(tuple.cast());
    }
    Ok(tuple)
}

/// The object for a leaf event: a new reference, or null with an exception set.
#[inline]
unsafe fn leaf_object(state: *mut State, event: Event<'_>) -> *mut PyObject {
    match event {
        Event::None => Py_NewRef(Py_None()),
        Event::Bool(true) => Py_NewRef(Py_True()),
        Event::Bool(false) => Py_NewRef(Py_False()),
        // CPython returns its cached objects for small ints.
        Event::Int(v) if (*state).digits_are_30_bit => pyint::from_i64_digits(v),
        Event::Int(v) => PyLong_FromLongLong(v),
        Event::BigInt(big) if (*state).digits_are_30_bit => {
            pyint::from_le_signed_digits(big.as_le_bytes())
        }
        Event::BigInt(big) => pyint::from_le_signed(big.as_le_bytes()),
        Event::Float(x) => PyFloat_FromDouble(x),
        Event::Str(text) => strings::from_utf8(&mut (*state).strings, text),
        Event::SurrogateStr(text) => strings::from_generalized_utf8(text.as_generalized_utf8()),
        Event::Bytes(octets) => {
            PyBytes_FromStringAndSize(octets.as_ptr().cast(), octets.len() as Py_ssize_t)
        }
        Event::TupleStart(_) | Event::TupleEnd => {
            PyErr_SetString(PyExc_SystemError, c"a tuple event was taken for a leaf".as_ptr());
            std::ptr::null_mut()
        }
    }
}

/// Raises `SystemError(message)`: the reader broke a promise this module relies on.
#[cold]
unsafe fn internal_error<T>(message: &std::ffi::CStr) -> Result<T, ()> {
    PyErr_SetString(PyExc_SystemError, message.as_ptr());
    Err(())
}

/// Decodes the whole of `data` as one value (`loads`): octets after it are `trailing_bytes`.
pub unsafe fn read_whole(
    state: *mut State,
    data: &[u8],
    max_depth: usize,
) -> Result<*mut PyObject, ()> {
    let (value, end) = read_value(state, data, 0, max_depth)?;
    if end != data.len() {
        Py_DECREF(value);
        let detail = messages::trailing(data.len() - end);
        return errors::raise_decode_error(state, "trailing_bytes", end, &detail);
    }
    Ok(value)
}
