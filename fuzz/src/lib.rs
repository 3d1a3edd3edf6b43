//! Helpers shared by the fuzz targets in `fuzz_targets/`: the independent decoding paths
//! the `decode` target compares, and the typed shapes the `serde` target reads.

pub mod paths;
pub mod shapes;
