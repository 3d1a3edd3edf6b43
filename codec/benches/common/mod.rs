//! What the bench binaries share: the payloads, their forms for each peer format, and the
//! criterion settings.
//!
//! Every bench binary includes this module and uses a different part of it, so items unused
//! by one binary are expected.
#![allow(dead_code)]

pub mod cbor;
pub mod msgpack;
pub mod payloads;
pub mod settings;
pub mod typed;
