//! Values over pipes, sockets and files (spec §9): read from an [`io::Read`](std::io::Read)
//! one value at a time, or pushed in as octets arrive.
//!
//! * [`ValueReader`]: blocking reads from any `io::Read`, one value at a time (also an
//!   iterator); it never consumes an octet past the value it returns, so a pipe or socket
//!   is left positioned at the next value. serde users have
//!   [`from_reader`](crate::from_reader) and
//!   [`Deserializer::from_reader`](crate::Deserializer::from_reader) on the same reader.
//! * [`PushDecoder`]: [`feed`](PushDecoder::feed) it octets as they come (non-blocking
//!   sockets, async runtimes, another protocol's messages), take complete values out.
//! * [`Framing`]: the per-value framing both use, for a caller with its own read loop and
//!   its own decoder (the Python extension, which builds Python objects).
//!
//! Both give exactly what [`decode_values`](crate::decode_values) gives on the whole stream —
//! the same values, then the same error kind at the same offset, counted from the stream's
//! first octet — however the octets are cut into reads or pieces. Per spec §9, a result is
//! final unless it is `truncated`, which means "wait for more octets"; at the end of the
//! stream a value left incomplete is `truncated` at the stream's length (or the error its
//! octets already hold). An error in the middle of a long value is reported while its octets
//! still arrive, not only once the value's announced length has: the decoder runs on the
//! octets of an incomplete value each time they have doubled (and, in the push decoder, at
//! every piece while the value is under 64 octets), which keeps the work linear.
//!
//! Memory is bounded by the octets received: a length header claiming 2^64 − 1 octets makes
//! no reader reserve them; buffers grow with what arrives. (A stream of valid octets can
//! still be long: bound what you accept from strangers by time or size in the transport.)
//!
//! I/O errors are a separate variant of [`StreamError`], and never lose octets: after
//! `WouldBlock`, `TimedOut` or any other, the next call continues the same value.

mod error;
mod frame;
mod framing;
mod pending;
mod push;
mod read;

pub use error::StreamError;
pub use framing::Framing;
pub use pending::Verdict;
pub use push::{PushDecoder, Values};
pub use read::ValueReader;

pub(crate) use read::FrameReader;
