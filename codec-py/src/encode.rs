//! Encoding: Python objects walked with an explicit stack, each item written by the codec's
//! `Writer` straight into the result's `bytes` buffer.
//!
//! Dispatch is on exact types first (the common case, and `bool` must be told apart from
//! `int`), then on subclasses, which are encoded as their base value from the C data of the
//! object: no method a subclass could override is called, as in the reference. The walk uses
//! no native recursion, so a tuple nested a million deep encodes like a flat one, as the
//! reference's does.

use std::ffi::CString;

use frozenpack::Writer;
use pyo3_ffi::*;

use crate::errors;
use crate::output::{BytesOut, INLINE};
use crate::utf8;
use crate::pyint;
use crate::stack::Stack;
use crate::state::State;

/// A tuple whose items are being written.
#[derive(Clone, Copy)]
struct Frame {
    tuple: *mut PyObject,
    len: Py_ssize_t,
    /// The index of the next item to write.
    next: Py_ssize_t,
}

/// `dumps(obj, default=default)`: the canonical encoding of `obj` as a new `bytes`, or null
/// with `TypeError` (unsupported type, with its path), `MemoryError` or the exception of
/// `default` set. `default` is null (none given) or a callable, called with each unsupported
/// object; what it returns is encoded in its place.
pub unsafe fn dumps(state: *mut State, obj: *mut PyObject, default: *mut PyObject) -> *mut PyObject {
    let capacity = initial_capacity(obj);
    let out = if capacity <= INLINE {
        BytesOut::new()
    } else {
        match BytesOut::with_capacity(capacity) {
            Ok(out) => out,
            Err(()) => return std::ptr::null_mut(),
        }
    };
    let mut encoder = Encoder {
        writer: Writer::new(out),
        stack: Stack::new(),
        scratch: Vec::new(),
        digits_are_30_bit: (*state).digits_are_30_bit,
        default,
        replacing: false,
        replacements: Owned(Vec::new()),
        open_replacements: Vec::new(),
    };
    if encoder.run(obj).is_err() {
        return std::ptr::null_mut();
    }
    encoder.writer.into_inner().finish()
}

/// A first guess at the encoding's size: exact for a lone bytes or ASCII str (so a large
/// payload is written with one copy and no reallocation), a rough one for tuples; at most
/// [`INLINE`] means "start inline".
unsafe fn initial_capacity(obj: *mut PyObject) -> usize {
    if PyBytes_CheckExact(obj) != 0 {
        return Py_SIZE(obj) as usize + 9;
    }
    if PyUnicode_CheckExact(obj) != 0 && PyUnicode_IS_COMPACT_ASCII(obj) != 0 {
        return PyUnicode_GET_LENGTH(obj) as usize + 9;
    }
    if PyTuple_CheckExact(obj) != 0 {
        return (PyTuple_GET_SIZE(obj) as usize).saturating_mul(8).min(1 << 20);
    }
    0
}

struct Encoder {
    writer: Writer<BytesOut>,
    stack: Stack<Frame, 32>,
    /// Reused for the two's complement of big ints and the UTF-8 of non-ASCII strs.
    scratch: Vec<u8>,
    /// Small ints can be read from their digits (see `pyint::small_value`).
    digits_are_30_bit: bool,
    /// The `default` callable (borrowed; null when none was given).
    default: *mut PyObject,
    /// The item being written is what `default` returned: it is not handed to `default`
    /// again (an unsupported replacement is a TypeError), though its items are.
    replacing: bool,
    /// What `default` returned (owned): tuples among them are walked by borrowed pointers
    /// on the stack, so they live until the encoding is done.
    replacements: Owned,
    /// The open tuples that `default` returned, as (stack length with it on top, tuple):
    /// entries whose frame has since been popped are dropped when `default` is next
    /// called, so the hot path never looks at this.
    open_replacements: Vec<(usize, *mut PyObject)>,
}

/// How deeply what `default` returns may nest in what it returned before. A `default` that
/// returns its argument inside a tuple would otherwise expand without end; this stops it
/// with a `RecursionError`, as json.dumps stops a list nested too deep.
pub const MAX_DEFAULT_NESTING: usize = 10_000;

/// Strong references, released when dropped.
struct Owned(Vec<*mut PyObject>);

impl Drop for Owned {
    fn drop(&mut self) {
        // The GIL is held: the encoder lives inside a call of dumps.
        for obj in self.0.drain(..) {
            unsafe { Py_DECREF(obj) };
        }
    }
}

impl Encoder {
    unsafe fn run(&mut self, obj: *mut PyObject) -> Result<(), ()> {
        self.item(obj)?;
        while let Some(frame) = self.stack.last_mut() {
            if frame.next == frame.len {
                self.stack.pop();
                continue;
            }
            // Borrowed: the tuple holds it, and nothing in the walk runs Python code that
            // could release the tuple.
            let item = PyTuple_GET_ITEM(frame.tuple, frame.next);
            frame.next += 1;
            self.item(item)?;
        }
        Ok(())
    }

    /// Writes one item; a tuple's header is written and its frame pushed.
    #[inline]
    unsafe fn item(&mut self, obj: *mut PyObject) -> Result<(), ()> {
        let t = Py_TYPE(obj);
        if obj == Py_None() {
            self.writer.write_none();
        } else if t == &raw mut PyBool_Type {
            self.writer.write_bool(obj == Py_True());
        } else if t == &raw mut PyLong_Type {
            self.int(obj)?;
        } else if t == &raw mut PyFloat_Type {
            self.writer.write_f64_bits(PyFloat_AS_DOUBLE(obj).to_bits());
        } else if t == &raw mut PyUnicode_Type {
            self.str(obj)?;
        } else if t == &raw mut PyBytes_Type {
            self.bytes(obj);
        } else if t == &raw mut PyTuple_Type {
            self.tuple(obj);
        // Subclasses: bool cannot be subclassed, so an int subclass is always an int value.
        } else if PyLong_Check(obj) != 0 {
            self.int(obj)?;
        } else if PyFloat_Check(obj) != 0 {
            self.writer.write_f64_bits(PyFloat_AS_DOUBLE(obj).to_bits());
        } else if PyUnicode_Check(obj) != 0 {
            self.str(obj)?;
        } else if PyBytes_Check(obj) != 0 {
            self.bytes(obj);
        } else if PyTuple_Check(obj) != 0 {
            self.tuple(obj);
        } else {
            return self.other(obj, t);
        }
        if self.writer.get_ref().failed() {
            return Err(());
        }
        Ok(())
    }

    #[inline]
    unsafe fn int(&mut self, obj: *mut PyObject) -> Result<(), ()> {
        if self.digits_are_30_bit {
            match pyint::small_value(obj) {
                Some(v) => self.writer.write_i64(v),
                None => {
                    pyint::to_le_signed_from_digits(obj, &mut self.scratch);
                    self.writer.write_int_le(&self.scratch);
                }
            }
            return Ok(());
        }
        let mut overflow = 0;
        let v = PyLong_AsLongLongAndOverflow(obj, &mut overflow);
        if overflow == 0 {
            if v == -1 && !PyErr_Occurred().is_null() {
                return Err(());
            }
            self.writer.write_i64(v);
        } else {
            pyint::to_le_signed(obj, &mut self.scratch)?;
            self.writer.write_int_le(&self.scratch);
        }
        Ok(())
    }

    #[inline]
    unsafe fn str(&mut self, obj: *mut PyObject) -> Result<(), ()> {
        if PyUnicode_IS_COMPACT_ASCII(obj) != 0 {
            // ASCII is UTF-8 as it is stored.
            let len = PyUnicode_GET_LENGTH(obj) as usize;
            let octets = std::slice::from_raw_parts(PyUnicode_DATA(obj) as *const u8, len);
            self.writer.write_str(std::str::from_utf8_unchecked(octets));
            return Ok(());
        }
        // Any other str is encoded here from its code points, not through
        // PyUnicode_AsUTF8AndSize: that keeps a UTF-8 copy on the str for the rest of its
        // life (a 10 MiB str would grow by up to 40 MiB because it was once encoded).
        #[cfg(not(Py_3_12))]
        if PyUnicode_IS_READY(obj) == 0 {
            return self.legacy_str(obj);
        }
        let len = PyUnicode_GET_LENGTH(obj) as usize;
        let data = PyUnicode_DATA(obj);
        let kind = PyUnicode_KIND(obj);
        let has_surrogate = if kind == PyUnicode_1BYTE_KIND {
            utf8::encode(std::slice::from_raw_parts(data as *const u8, len), &mut self.scratch)
        } else if kind == PyUnicode_2BYTE_KIND {
            utf8::encode(std::slice::from_raw_parts(data as *const u16, len), &mut self.scratch)
        } else {
            utf8::encode(std::slice::from_raw_parts(data as *const u32, len), &mut self.scratch)
        };
        if !has_surrogate {
            // Code points that are not surrogates, each encoded by the UTF-8 rules: valid.
            self.writer.write_str(std::str::from_utf8_unchecked(&self.scratch));
            return Ok(());
        }
        if self.writer.write_generalized_utf8(&self.scratch).is_err() {
            PyErr_SetString(
                PyExc_SystemError,
                c"a str encoded to octets that are not generalized UTF-8".as_ptr(),
            );
            return Err(());
        }
        Ok(())
    }

    /// A 3.11 str in the legacy (`wchar_t`) representation, which only deprecated C APIs
    /// make: encoded by CPython (surrogatepass: generalized UTF-8), which neither caches the
    /// result on the str nor needs `_PyUnicode_Ready` (not exported by 3.12: a symbol this
    /// module referenced would keep a 3.11 build from loading far enough to say it is one).
    #[cfg(not(Py_3_12))]
    #[cold]
    unsafe fn legacy_str(&mut self, obj: *mut PyObject) -> Result<(), ()> {
        let encoded = PyUnicode_AsEncodedString(obj, c"utf-8".as_ptr(), c"surrogatepass".as_ptr());
        if encoded.is_null() {
            return Err(());
        }
        let octets = std::slice::from_raw_parts(
            PyBytes_AS_STRING(encoded) as *const u8,
            usize::try_from(Py_SIZE(encoded)).unwrap_or(0),
        );
        let written = match std::str::from_utf8(octets) {
            Ok(text) => {
                self.writer.write_str(text);
                Ok(())
            }
            Err(_) => self.writer.write_generalized_utf8(octets).map(|_| ()),
        };
        Py_DECREF(encoded);
        if written.is_err() {
            PyErr_SetString(
                PyExc_SystemError,
                c"a str encoded to octets that are not generalized UTF-8".as_ptr(),
            );
            return Err(());
        }
        Ok(())
    }

    #[inline]
    unsafe fn bytes(&mut self, obj: *mut PyObject) {
        let octets = std::slice::from_raw_parts(
            PyBytes_AS_STRING(obj) as *const u8,
            Py_SIZE(obj) as usize,
        );
        self.writer.write_bytes(octets);
    }

    #[inline]
    unsafe fn tuple(&mut self, obj: *mut PyObject) {
        let len = PyTuple_GET_SIZE(obj);
        self.writer.write_tuple_header(len as usize);
        if len > 0 {
            self.stack.push(Frame {
                tuple: obj,
                len,
                next: 0,
            });
        }
    }

    /// An object of no supported type: what `default` makes of it, or the `TypeError`.
    #[cold]
    unsafe fn other(&mut self, obj: *mut PyObject, t: *mut PyTypeObject) -> Result<(), ()> {
        if self.default.is_null() || self.replacing {
            return self.unsupported(t);
        }
        // Forget the replacements whose tuples have been written since.
        while let Some(&(height, tuple)) = self.open_replacements.last() {
            match self.stack.get(height.wrapping_sub(1)) {
                Some(frame) if frame.tuple == tuple => break,
                _ => self.open_replacements.pop(),
            };
        }
        if self.open_replacements.len() >= MAX_DEFAULT_NESTING {
            PyErr_SetString(
                PyExc_RecursionError,
                c"what default returned is nested more than 10000 deep in earlier results of default".as_ptr(),
            );
            return Err(());
        }
        let replacement = PyObject_CallOneArg(self.default, obj);
        if replacement.is_null() {
            return Err(());
        }
        self.replacements.0.push(replacement);
        self.replacing = true;
        let height = self.stack.len();
        let written = self.item(replacement);
        self.replacing = false;
        if self.stack.len() > height {
            // A non-empty tuple: its items are written next, under this replacement.
            self.open_replacements.push((self.stack.len(), replacement));
        }
        written
    }

    /// Raises the reference's `TypeError`: "unsupported type 'list' at $[2][0]".
    #[cold]
    unsafe fn unsupported(&self, t: *mut PyTypeObject) -> Result<(), ()> {
        // Each frame's index has already moved past the item being encoded.
        let mut path = String::from("$");
        for frame in self.stack.iter() {
            path.push_str(&format!("[{}]", frame.next - 1));
        }
        // Digits, brackets and "$" only: never a NUL.
        let path = CString::new(path).unwrap_or_default();
        let name = errors::type_name(t);
        if name.is_null() {
            return Err(());
        }
        let message = PyUnicode_FromFormat(c"unsupported type %R at %s".as_ptr(), name, path.as_ptr());
        Py_DECREF(name);
        if !message.is_null() {
            PyErr_SetObject(PyExc_TypeError, message);
            Py_DECREF(message);
        }
        Err(())
    }
}
