//! Makes the target interpreter's version cfgs (`Py_3_12`, `Py_3_13`, ...) visible to this
//! crate, as pyo3-ffi sees them: the C API differs between 3.11, 3.12 and 3.13.
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
