//! [`PushDecoder`]: octets in as they arrive, complete values out.

use core::iter::FusedIterator;

use bytes::{Buf, BytesMut};

use super::pending::{at_end, Pending, Verdict};
use crate::decode::DecodeOptions;
use crate::error::Error;
use crate::value::{SharedValue, Value};

/// An incremental decoder for a sequence that arrives in pieces (spec §9): a socket read
/// without blocking, an async stream, messages of another protocol that split values
/// anywhere.
///
/// [`feed`](PushDecoder::feed) it the octets as they come, in pieces of any size;
/// [`next_value`](PushDecoder::next_value) returns each value once its last octet has
/// arrived, and `Ok(None)` while the next one is still incomplete (`truncated`, in §9's words,
/// means "wait"). When the stream ends, [`finish`](PushDecoder::finish): after that, a value
/// left incomplete is an error (`truncated` at the stream's length, or whatever error its
/// octets already hold), and `Ok(None)` means the end.
///
/// The values, errors and offsets are exactly those of [`decode_values`](crate::decode_values)
/// on the whole stream, however it was cut; offsets count from the first octet fed. An error
/// ends the stream: every later call returns it again. An error inside a long value is
/// reported while its octets still arrive, once they show it (not only at the value's end).
///
/// Memory: the decoder holds the octets fed and not yet decoded, and nothing sized by what a
/// header claims (a header announcing 2^64 − 1 octets costs its 9 octets). Whatever it holds
/// is bounded by the octets received.
///
/// ```
/// use frozenpack::{stream::PushDecoder, Value};
///
/// let mut decoder = PushDecoder::new();
/// // (1, 'ab') then 7, arriving in three pieces.
/// decoder.feed(b"\xb2\x01\x82");
/// assert_eq!(decoder.next_value()?, None); // incomplete: wait for more
/// decoder.feed(b"ab\x07");
/// assert_eq!(decoder.next_value()?.unwrap().to_string(), "(1, 'ab')");
/// assert_eq!(decoder.next_value()?, Some(Value::Int(7)));
/// assert_eq!(decoder.next_value()?, None);
/// decoder.feed(b"\x83x");
/// decoder.finish(); // the peer closed: the str of 3 octets never came
/// let err = decoder.next_value().unwrap_err();
/// assert_eq!((err.kind().as_str(), err.offset()), ("truncated", 8));
/// # Ok::<(), frozenpack::Error>(())
/// ```
///
/// A non-blocking socket, each value as soon as it is complete:
///
/// ```no_run
/// use std::io::{ErrorKind, Read};
/// # fn handle(_: frozenpack::Value<'static>) {}
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut socket = std::net::TcpStream::connect("127.0.0.1:9000")?;
/// socket.set_nonblocking(true)?;
/// let mut decoder = frozenpack::stream::PushDecoder::new();
/// let mut buffer = [0; 65536];
/// loop {
///     match socket.read(&mut buffer) {
///         Ok(0) => decoder.finish(),
///         Ok(n) => decoder.feed(&buffer[..n]),
///         Err(e) if e.kind() == ErrorKind::WouldBlock => { /* poll, then read again */ continue }
///         Err(e) => return Err(e.into()),
///     }
///     for value in decoder.values() {
///         handle(value?);
///     }
///     if decoder.is_finished() {
///         break Ok(());
///     }
/// }
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct PushDecoder {
    options: DecodeOptions,
    /// The octets fed and not decoded yet: the next value's from its first on, then the
    /// values after it (whatever has arrived of them).
    buffer: BytesMut,
    /// The stream offset of `buffer[0]`.
    offset: usize,
    pending: Pending,
    failed: Option<Error>,
    finished: bool,
}

impl Default for PushDecoder {
    fn default() -> Self {
        PushDecoder::new()
    }
}

impl PushDecoder {
    /// A decoder with the default options (depth limit 1000).
    ///
    /// ```
    /// let decoder = frozenpack::stream::PushDecoder::new();
    /// assert_eq!((decoder.offset(), decoder.buffered()), (0, 0));
    /// ```
    pub fn new() -> Self {
        PushDecoder::with_options(&DecodeOptions::new())
    }

    /// A decoder with `options` (the depth limit applies to each value on its own).
    ///
    /// ```
    /// use frozenpack::{stream::PushDecoder, DecodeOptions};
    /// let mut decoder = PushDecoder::with_options(&DecodeOptions::new().with_max_depth(0));
    /// decoder.feed(b"\xc0\xb0");
    /// assert!(decoder.next_value()?.is_some());
    /// assert_eq!(decoder.next_value().unwrap_err().to_string(),
    ///            "depth_exceeded at offset 1: a tuple at level 1 exceeds the depth limit 0");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn with_options(options: &DecodeOptions) -> Self {
        PushDecoder {
            options: options.clone(),
            buffer: BytesMut::new(),
            offset: 0,
            pending: Pending::new(options, true),
            failed: None,
            finished: false,
        }
    }

    /// Adds the next octets of the stream (copied). After an error or
    /// [`finish`](PushDecoder::finish), octets fed are dropped: nothing after them is read.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\x83a");
    /// assert_eq!(decoder.buffered(), 2);
    /// ```
    pub fn feed(&mut self, octets: &[u8]) {
        if self.failed.is_none() && !self.finished {
            self.buffer.extend_from_slice(octets);
        }
    }

    /// Says that the stream has ended: nothing more will be fed. The values complete before
    /// are still returned; then a value left incomplete is an error.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\x05");
    /// decoder.finish();
    /// assert!(decoder.is_finished());
    /// assert_eq!(decoder.next_value()?, Some(frozenpack::Value::Int(5)));
    /// assert_eq!(decoder.next_value()?, None); // the end, without an error
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// Whether [`finish`](PushDecoder::finish) was called.
    ///
    /// ```
    /// assert!(!frozenpack::stream::PushDecoder::new().is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The stream offset at which the next value starts: the octets before it have been
    /// decoded.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\x01\x02\x83");
    /// decoder.next_value()?;
    /// decoder.next_value()?;
    /// assert_eq!(decoder.offset(), 2);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// How many octets are held: those fed and not decoded yet.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\xd7\xff\xff\xff\xff\xff\xff\xff\xff"); // BYTES of 2^64 - 1 octets
    /// assert_eq!(decoder.next_value()?, None);
    /// assert_eq!(decoder.buffered(), 9);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// The next complete value; `Ok(None)` when the next value is not complete yet (or,
    /// after [`finish`](PushDecoder::finish), when the stream ended between two values).
    ///
    /// # Errors
    ///
    /// The stream's first error (spec §9), offset counted from the first octet fed; every
    /// later call returns it again.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\x01\xc4\x05");
    /// assert_eq!(decoder.next_value()?, Some(frozenpack::Value::Int(1)));
    /// assert_eq!(decoder.next_value().unwrap_err().offset(), 1);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn next_value(&mut self) -> Result<Option<Value<'static>>, Error> {
        self.next_with(|options, octets| {
            let (value, _) = options.decode_prefix(octets, 0)?;
            Ok(value.into_owned())
        })
    }

    /// Like [`next_value`](PushDecoder::next_value), as a [`SharedValue`] whose str, bytes,
    /// BIGINT and SSTR payloads are slices of the octets fed, not copies.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\xa3abc");
    /// assert_eq!(decoder.next_shared()?.unwrap().to_string(), "b'abc'");
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn next_shared(&mut self) -> Result<Option<SharedValue>, Error> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match self.verdict()? {
            None => Ok(None),
            Some(end) => {
                let octets = self.buffer.split_to(end).freeze();
                let result = self.options.decode_shared(&octets);
                self.delivered(end, result).map(Some)
            }
        }
    }

    /// An iterator over the values complete in what was fed so far: it ends when the next
    /// value is incomplete, or after yielding an error.
    ///
    /// ```
    /// let mut decoder = frozenpack::stream::PushDecoder::new();
    /// decoder.feed(b"\x01\x02\x03\x83a");
    /// let values: Vec<_> = decoder.values().collect::<Result<_, _>>()?;
    /// assert_eq!(values.len(), 3);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn values(&mut self) -> Values<'_> {
        Values {
            decoder: self,
            done: false,
        }
    }

    fn next_with<T>(
        &mut self,
        decode: impl FnOnce(&DecodeOptions, &[u8]) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match self.verdict()? {
            None => Ok(None),
            Some(end) => {
                let result = decode(&self.options, &self.buffer[..end]);
                if result.is_ok() {
                    self.buffer.advance(end);
                }
                self.delivered(end, result).map(Some)
            }
        }
    }

    /// Where the next value ends, once it is complete; a final error as an error.
    fn verdict(&mut self) -> Result<Option<usize>, Error> {
        match self.pending.verdict(&self.buffer, &self.options) {
            Verdict::Complete(end) => Ok(Some(end)),
            Verdict::Failed(e) => Err(self.fail(e)),
            Verdict::Undecided if self.finished && !self.buffer.is_empty() => {
                let e = at_end(&self.buffer, &self.options);
                Err(self.fail(e))
            }
            Verdict::Undecided => Ok(None),
        }
    }

    /// The value of `end` octets was decoded (the buffer has been advanced past it, if it
    /// decoded): on to the next one.
    fn delivered<T>(&mut self, end: usize, result: Result<T, Error>) -> Result<T, Error> {
        match result {
            Ok(value) => {
                self.offset += end;
                self.pending = Pending::new(&self.options, true);
                Ok(value)
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    #[cold]
    fn fail(&mut self, e: Error) -> Error {
        let e = e.shifted(self.offset);
        self.failed = Some(e.clone());
        // Nothing after an error is decoded: let the octets go.
        self.buffer = BytesMut::new();
        e
    }
}

/// The values complete in what a [`PushDecoder`] was fed; from
/// [`PushDecoder::values`].
#[derive(Debug)]
pub struct Values<'d> {
    decoder: &'d mut PushDecoder,
    done: bool,
}

impl Iterator for Values<'_> {
    type Item = Result<Value<'static>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.decoder.next_value() {
            Ok(Some(value)) => Some(Ok(value)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl FusedIterator for Values<'_> {}
