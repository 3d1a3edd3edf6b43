//! Makes the target interpreter's version cfgs (`Py_3_12`, `Py_3_13`, ...) visible to this
//! crate, as pyo3-ffi sees them: the C API differs between 3.11, 3.12 and 3.13. Also tells the
//! crate which CPython it is built for (`FROZENPACK_BUILT_FOR_PYTHON`, e.g. "3.12"), so that
//! the module refuses to initialise in any other (lib.rs).
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let version = pyo3_build_config::get().version();
    println!(
        "cargo:rustc-env=FROZENPACK_BUILT_FOR_PYTHON={}.{}",
        version.major, version.minor
    );
}
