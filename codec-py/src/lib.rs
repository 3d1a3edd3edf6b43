//! `frozenpack._frozenpack`: the Python extension module behind `frozenpack.dumps` and
//! `frozenpack.loads`.
//!
//! It parses and writes nothing itself: decoding drives the codec's [`frozenpack::Reader`]
//! and builds Python objects straight from its events; encoding walks the Python objects and
//! drives the codec's [`frozenpack::Writer`], which writes into the buffer of the `bytes`
//! object that `dumps` returns.
//!
//! The module is defined on the raw C API (pyo3-ffi) with multi-phase initialisation, so it
//! can be imported in any number of interpreters, including isolated sub-interpreters with
//! their own GIL (CPython 3.12+): every Python object it keeps (the `DecodeError` class, the
//! iterator type, cached strings) lives in the per-module state (the `state` module), never in a
//! static. The statics below are plain C data (the module definition and its tables), which
//! CPython reads but never writes after initialisation.
//!
//! Behaviour is that of `frozenpack.reference`, exactly: values, error kinds, offsets,
//! messages and `TypeError` texts (codec-py/tests/test_extension_*.py check it).

// The C API is raw pointers throughout; every function here is an FFI boundary.
#![allow(clippy::missing_safety_doc)]
// Nothing here may panic: a panic that reached CPython would abort the process, so any
// input that triggered one would be a way to kill it. `make lint-extension` runs
// clippy with these as errors; `guard` catches whatever slips through anyway.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

mod args;
mod buffer;
mod busy;
mod decode;
mod decoder;
mod encode;
mod errors;
mod functions;
mod guard;
mod heap_type;
mod iter;
mod load_iter;
mod messages;
mod output;
mod pyint;
mod reader;
mod stack;
mod state;
mod stream;
mod strings;
mod utf8;

use std::ffi::c_int;
use std::ptr::{addr_of_mut, null_mut};

use pyo3_ffi::*;

/// The module's docstring.
const MODULE_DOC: &std::ffi::CStr = c"The compiled core of frozenpack: dumps, loads, loads_prefix, iter_loads, dump, load,
iter_load, Decoder and DecodeError.

Use them through the frozenpack package (frozenpack.dumps, ...); frozenpack.reference is the
pure-Python reference implementation they match exactly.";

static mut METHODS: [PyMethodDef; 9] = [
    method(c"dumps", functions::dumps, functions::DUMPS_DOC),
    method(c"loads", functions::loads, functions::LOADS_DOC),
    method(c"loads_prefix", functions::loads_prefix, functions::LOADS_PREFIX_DOC),
    method(c"iter_loads", functions::iter_loads, functions::ITER_LOADS_DOC),
    method(c"dump", functions::dump, functions::DUMP_DOC),
    method(c"load", functions::load, functions::LOAD_DOC),
    method(c"iter_load", functions::iter_load, functions::ITER_LOAD_DOC),
    method(
        c"_panic_guard_selftest",
        functions::panic_guard_selftest,
        functions::PANIC_GUARD_SELFTEST_DOC,
    ),
    PyMethodDef::zeroed(),
];

/// A `METH_FASTCALL | METH_KEYWORDS` module function.
const fn method(
    name: &'static std::ffi::CStr,
    function: PyCFunctionFastWithKeywords,
    doc: &'static std::ffi::CStr,
) -> PyMethodDef {
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: PyMethodDefPointer {
            PyCFunctionFastWithKeywords: function,
        },
        ml_flags: METH_FASTCALL | METH_KEYWORDS,
        ml_doc: doc.as_ptr(),
    }
}

const SLOT_COUNT: usize = 2 + cfg!(Py_3_12) as usize;

static mut SLOTS: [PyModuleDef_Slot; SLOT_COUNT] = [
    PyModuleDef_Slot {
        slot: Py_mod_exec,
        value: module_exec as *mut std::ffi::c_void,
    },
    // Everything the module keeps is in its own state, so each interpreter, with its own GIL
    // or not, gets an independent copy.
    #[cfg(Py_3_12)]
    PyModuleDef_Slot {
        slot: Py_mod_multiple_interpreters,
        value: Py_MOD_PER_INTERPRETER_GIL_SUPPORTED,
    },
    PyModuleDef_Slot {
        slot: 0,
        value: null_mut(),
    },
];

static mut MODULE_DEF: PyModuleDef = PyModuleDef {
    m_base: PyModuleDef_HEAD_INIT,
    m_name: c"frozenpack._frozenpack".as_ptr(),
    m_doc: MODULE_DOC.as_ptr(),
    m_size: std::mem::size_of::<state::State>() as Py_ssize_t,
    m_methods: addr_of_mut!(METHODS) as *mut PyMethodDef,
    m_slots: addr_of_mut!(SLOTS) as *mut PyModuleDef_Slot,
    m_traverse: Some(state::traverse),
    m_clear: Some(state::clear),
    m_free: Some(state::free),
};

/// The module's entry point: multi-phase initialisation hands CPython the definition, and
/// CPython creates a module object per interpreter and runs `module_exec` on it.
///
/// First, the interpreter must be the CPython version this build is for: the module is compiled
/// against that version's C API and object layouts (an `int`'s digits are read in place, see
/// `pyint`), which change between versions. The import system only loads a module whose file
/// name carries the right ABI tag, but a renamed or copied file gets here, and is refused with
/// an ImportError that says what to install instead of crashing later.
#[no_mangle]
#[allow(non_snake_case)]
pub unsafe extern "C" fn PyInit__frozenpack() -> *mut PyObject {
    if let Err(message) = check_interpreter_version() {
        // `PyErr_SetString` and the exception object are in the stable ABI: safe to use on
        // any CPython 3.
        PyErr_SetString(PyExc_ImportError, message.as_ptr());
        return null_mut();
    }
    PyModuleDef_Init(addr_of_mut!(MODULE_DEF))
}

/// The CPython version (`major.minor`) this module was compiled for, from build.rs.
const BUILT_FOR_PYTHON: &str = env!("FROZENPACK_BUILT_FOR_PYTHON");

/// Whether the running interpreter is the CPython version this module was compiled for; if
/// not, the message of the ImportError to raise.
unsafe fn check_interpreter_version() -> Result<(), std::ffi::CString> {
    // `Py_Version` (3.11+) is the running interpreter's PY_VERSION_HEX.
    let hex = Py_Version;
    let running = format!("{}.{}", (hex >> 24) & 0xff, (hex >> 16) & 0xff);
    if running == BUILT_FOR_PYTHON {
        return Ok(());
    }
    let message = format!(
        "this build of frozenpack {version} (frozenpack._frozenpack) is for CPython \
         {BUILT_FOR_PYTHON}, and this interpreter is CPython {running}.{micro}; the C API and \
         the layout of objects it reads differ between versions. Install the wheel built for \
         this interpreter (`pip install --force-reinstall frozenpack=={version}`) or build \
         from the sdist with this interpreter.",
        version = env!("CARGO_PKG_VERSION"),
        micro = (hex >> 8) & 0xff,
    );
    // The message has no NUL octet; should it ever, an empty message still refuses.
    Err(std::ffi::CString::new(message).unwrap_or_default())
}

/// `Py_mod_exec`: fills the new module's state and namespace.
unsafe extern "C" fn module_exec(module: *mut PyObject) -> c_int {
    guard::int(-1, || match state::init(module) {
        Ok(()) => 0,
        Err(()) => -1,
    })
}
