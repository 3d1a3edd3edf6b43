//! One value of a stream while its octets arrive: the reference's `_StreamValue`, on the
//! codec's framing.
//!
//! `load`, `iter_load` and `Decoder` (spec section 9) keep the octets of the value being read
//! and ask two questions of them, exactly when the reference asks them (so that a file is left
//! at the same position, and a `Decoder` raises in the same call, as the reference's):
//!
//! - where does the value end? The codec's [`Framing`] follows the tags and length fields as
//!   the octets arrive, says how many more the value needs at the least, and runs the codec's
//!   decoder (building nothing) on the octets so far while they are short, then each time
//!   they have doubled, so that an error inside a long value is found while it arrives. Its
//!   schedule is the reference's, check for check.
//! - what is the value, or its error? Once the framing says the value is complete (or final
//!   error), `decode::decode_value` builds it from the octets, or words its error as the
//!   reference does. No second parser: the framing is the codec's, the decoding the module's.
//!
//! Nothing is reserved by what a header claims: the octets held grow with what arrives.

use frozenpack::stream::{Framing, Verdict};
use frozenpack::DecodeOptions;
use pyo3_ffi::*;

use crate::decode::{self, Failure};
use crate::state::State;

/// A value's buffer at most this large is kept, emptied, for the next value.
const KEPT_CAPACITY: usize = 64 << 10;

/// The room a value's buffer starts with (most values are short).
const INITIAL_CAPACITY: usize = 64;

/// The octets of one value received so far, and the framing that follows them.
pub struct StreamValue {
    data: Vec<u8>,
    /// The stream offset of the value's first octet: offsets in errors count from the
    /// stream's start.
    base: usize,
    framing: Framing,
    max_depth: usize,
}

/// A complete value: the object (a new reference) and its octets' count.
pub type Complete = (*mut PyObject, usize);

/// What the framing says of the octets held.
pub enum Step {
    /// More octets are needed (at least [`StreamValue::need`]).
    Undecided,
    /// The octets held are the whole value: decode them.
    Complete,
    /// The octets held hold a final error: word it.
    Failed,
}

impl StreamValue {
    /// A value whose first octet is at offset `base` of the stream.
    pub fn new(base: usize, max_depth: usize) -> StreamValue {
        StreamValue {
            base,
            // Room for a short value, whatever it claims: the buffer then grows with what
            // arrives (at most doubling).
            data: Vec::with_capacity(INITIAL_CAPACITY),
            framing: Framing::new(&DecodeOptions::new().with_max_depth(max_depth)),
            max_depth,
        }
    }

    /// The octets held.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Appends octets that arrived (the buffer grows by them, at most doubling).
    pub fn add(&mut self, octets: &[u8]) {
        self.data.extend_from_slice(octets);
    }

    /// At least this many more octets are needed before the verdict can change (for a value
    /// whose length cannot be known: the octets after which its error is final).
    pub fn need(&self) -> u64 {
        self.framing.need(self.data.len())
    }

    /// The framing cannot tell where the value ends: it is an error whatever follows.
    pub fn length_unknown(&self) -> bool {
        self.framing.length_unknown()
    }

    /// The reference's `verdict()`: `Ok(None)` while undecided, the value once complete, or
    /// its final error.
    pub unsafe fn verdict(&mut self, state: *mut State) -> Result<Option<Complete>, Failure> {
        match self.frame()? {
            Step::Undecided => Ok(None),
            Step::Complete => self.decide(state).map(Some),
            Step::Failed => Err(self.fail(state)),
        }
    }

    /// The framing's verdict on the octets held (no Python code runs). A caller whose
    /// `StreamValue` lives in a Python object calls this, then [`decide`](Self::decide) or
    /// [`fail`](Self::fail), which run Python code but only read the value.
    pub fn frame(&mut self) -> Result<Step, Failure> {
        let verdict = self.framing.verdict(&self.data);
        self.step(verdict)
    }

    /// [`frame`](Self::frame), but a check of the undecided value that falls due is left for
    /// [`run_due_check`](Self::run_due_check) (the Decoder runs it once per piece: see the
    /// codec's `Framing::frame`).
    pub fn frame_deferring_check(&mut self) -> Result<Step, Failure> {
        let verdict = self.framing.frame(&self.data);
        self.step(verdict)
    }

    /// Runs the check left by [`frame_deferring_check`](Self::frame_deferring_check), if
    /// any: `Undecided`, or `Failed`.
    pub fn run_due_check(&mut self) -> Result<Step, Failure> {
        let verdict = self.framing.run_due_check(&self.data);
        self.step(verdict)
    }

    fn step(&self, verdict: Verdict) -> Result<Step, Failure> {
        match verdict {
            Verdict::Undecided => Ok(Step::Undecided),
            Verdict::Complete(end) if end == self.data.len() => Ok(Step::Complete),
            // The stream readers hand the framing no octet past what it asked for.
            Verdict::Complete(_) => {
                Err(unsafe { internal_error(c"a stream value was read past its end") })
            }
            Verdict::Failed(_) => Ok(Step::Failed),
            _ => Err(unsafe { internal_error(c"an unknown verdict of the framing") }),
        }
    }

    /// The final error of a value the framing failed, worded as the reference words it.
    pub unsafe fn fail(&self, state: *mut State) -> Failure {
        match self.decide(state) {
            Ok((value, _)) => {
                Py_DECREF(value);
                internal_error(c"the framing failed a value that decodes")
            }
            Err(failure) => failure,
        }
    }

    /// The stream ended: the final error of the octets held, `truncated` or another (spec
    /// section 9). Only for a value that holds octets and is undecided.
    pub unsafe fn at_end(&self, state: *mut State) -> Failure {
        match self.decide(state) {
            Ok((value, _)) => {
                Py_DECREF(value);
                internal_error(c"a complete stream value was not delivered")
            }
            Err(failure) => failure,
        }
    }

    /// Decodes the octets held as one value, which must take all of them.
    pub unsafe fn decide(&self, state: *mut State) -> Result<Complete, Failure> {
        let (value, end) = decode::decode_value(state, &self.data, 0, self.max_depth, self.base)?;
        if end != self.data.len() {
            Py_DECREF(value);
            return Err(internal_error(
                c"the framing and the decoder disagree on a value's end",
            ));
        }
        Ok((value, end))
    }

    /// Starts over, for the next value, at offset `base` of the stream: the framing anew, the
    /// octets dropped (their room is kept for the next value, unless it is large: what is
    /// held follows what arrives).
    pub fn reset(&mut self, base: usize) {
        self.base = base;
        self.framing.reset();
        if self.data.capacity() > KEPT_CAPACITY {
            self.data = Vec::with_capacity(INITIAL_CAPACITY);
        } else {
            self.data.clear();
        }
    }

    /// Lets go of the octets (after an error, nothing more is decoded).
    pub fn release(&mut self) {
        self.data = Vec::new();
    }
}

/// Raises `SystemError(message)`: the framing broke a promise this module relies on.
#[cold]
unsafe fn internal_error(message: &std::ffi::CStr) -> Failure {
    PyErr_SetString(PyExc_SystemError, message.as_ptr());
    Failure::Raised
}
