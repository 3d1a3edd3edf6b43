//! Reading values from an [`io::Read`]: [`ValueReader`], and the framing underneath it that
//! the serde reader shares.

use core::iter::FusedIterator;
use std::io::{self, Read};

use bytes::Bytes;

use super::error::StreamError;
use super::pending::{at_end, Pending, Verdict};
use crate::decode::DecodeOptions;
use crate::error::Error;
use crate::value::{SharedValue, Value};

/// A read never asks for more than this, or than the octets of the value already read if
/// that is more: a header claiming 2^64 − 1 octets makes the buffer grow with what arrives,
/// doubling at most, never by what it claims.
const MIN_READ: usize = 8 << 10;

/// The octets of one value read from a source, exactly: the framing tells how many more the
/// value needs at the least, and no read asks for more, so nothing after the value is
/// consumed from the source.
#[derive(Debug)]
pub(crate) struct FrameReader {
    options: DecodeOptions,
    /// The value's octets read so far.
    data: Vec<u8>,
    pending: Pending,
    /// The stream offset of `data[0]`: octets the source gave before this value.
    offset: usize,
    failed: Option<Error>,
    /// The source ended between two values.
    ended: bool,
    /// `data` holds a complete value.
    ready: bool,
    /// ... and it was handed out: the next `fill` moves on to the next value.
    handed_out: bool,
}

impl FrameReader {
    pub(crate) fn new(options: &DecodeOptions) -> Self {
        FrameReader {
            options: options.clone(),
            data: Vec::new(),
            pending: Pending::new(options, false),
            offset: 0,
            failed: None,
            ended: false,
            ready: false,
            handed_out: false,
        }
    }

    pub(crate) fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// The stream offset of the next value's first octet.
    pub(crate) fn offset(&self) -> usize {
        match self.handed_out {
            true => self.offset + self.data.len(),
            false => self.offset,
        }
    }

    /// The stream offset of the first octet of the value in [`frame`](FrameReader::frame).
    pub(crate) fn frame_offset(&self) -> usize {
        self.offset
    }

    /// The error of asking for a value where the stream has ended: `truncated` there.
    pub(crate) fn nothing_left(&self) -> Error {
        at_end(&[], &self.options).shifted(self.offset())
    }

    /// The value in [`frame`](FrameReader::frame) is being decoded where its octets must stay
    /// put: the next [`fill`](FrameReader::fill) moves on past it.
    pub(crate) fn hand_out(&mut self) {
        self.handed_out = true;
    }

    /// Reads until the next value's octets are all there (then true: they are
    /// [`frame`](FrameReader::frame); the caller decodes them, then calls
    /// [`consumed`](FrameReader::consumed)); false when the source ends before the value's
    /// first octet.
    ///
    /// Decode errors found on the way (spec §9: final ones only) are returned with stream
    /// offsets, and again on every later call. An I/O error is returned as it is and changes
    /// nothing: the next call goes on reading the same value. `Interrupted` is retried.
    pub(crate) fn fill(&mut self, source: &mut impl Read) -> Result<bool, StreamError> {
        if let Some(e) = &self.failed {
            return Err(e.clone().into());
        }
        if self.handed_out {
            self.consumed();
        }
        if self.ended {
            return Ok(false);
        }
        if self.ready {
            return Ok(true);
        }
        loop {
            match self.pending.verdict(&self.data, &self.options) {
                Verdict::Complete(end) => {
                    debug_assert_eq!(end, self.data.len(), "read past the value");
                    self.ready = true;
                    return Ok(true);
                }
                Verdict::Failed(e) => return Err(self.fail(e).into()),
                Verdict::Undecided => {}
            }
            let want = self.pending.need(self.data.len());
            let cap = MIN_READ.max(self.data.len());
            let want = usize::try_from(want).unwrap_or(usize::MAX).min(cap);
            let start = self.data.len();
            self.data.resize(start + want, 0);
            let read = source.read(&mut self.data[start..]);
            self.data.truncate(start + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) if start == 0 => {
                    self.ended = true;
                    return Ok(false);
                }
                Ok(0) => {
                    let e = at_end(&self.data, &self.options);
                    return Err(self.fail(e).into());
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The octets of the value [`fill`](FrameReader::fill) completed.
    pub(crate) fn frame(&self) -> &[u8] {
        &self.data
    }

    /// The value just returned by [`fill`](FrameReader::fill) was decoded: on to the next.
    pub(crate) fn consumed(&mut self) {
        self.offset += self.data.len();
        self.data.clear();
        self.pending = Pending::new(&self.options, false);
        self.ready = false;
        self.handed_out = false;
    }

    /// The value's octets, handed over (for a zero-copy decode), then
    /// [`consumed`](FrameReader::consumed).
    fn take(&mut self) -> Bytes {
        let data = Bytes::from(core::mem::take(&mut self.data));
        self.offset += data.len();
        self.pending = Pending::new(&self.options, false);
        self.ready = false;
        self.handed_out = false;
        data
    }

    /// A decode error of the value just returned by `fill`, whose offsets count from that
    /// value's start: it ends the stream.
    pub(crate) fn fail(&mut self, e: Error) -> Error {
        let e = e.shifted(self.offset);
        self.failed = Some(e.clone());
        self.data = Vec::new();
        self.ready = false;
        self.handed_out = false;
        e
    }
}

/// Reads values one at a time from any [`io::Read`]: a file, a pipe, a socket, stdin.
///
/// [`read_value`](ValueReader::read_value) returns the next value, or `None` when the source
/// ends between two values (spec §9); it is also an [`Iterator`] of them.
///
/// **It never reads past a value.** The tags and length fields tell how many octets the
/// value still needs at the least, and no read asks the source for more, so after a value the
/// source is positioned just after its last octet: the octets that follow stay in a pipe or
/// socket for whoever reads next. (The price: a few small reads per value. Over a raw file
/// descriptor wrap the source in a [`BufReader`](std::io::BufReader); a `BufReader` reads
/// ahead into its own buffer, so octets after a value then sit there — they are not lost, as
/// long as you keep reading through the same `BufReader`, or take them with
/// [`buffer`](std::io::BufReader::buffer) before
/// [`into_inner`](std::io::BufReader::into_inner).)
///
/// Errors ([`StreamError`]): a decode error ends the stream, with the spec's kind and its
/// offset counted from the first octet this reader read; a stream that ends inside a value
/// is `truncated` at its length. An I/O error does not: the octets read so far are kept and
/// the next call goes on with the same value, so a non-blocking source's `WouldBlock` is
/// simply "call again later". `Interrupted` is retried.
///
/// Memory: the octets of the value being read, grown by what arrives (at most doubling),
/// never by what a header claims.
///
/// ```
/// use std::io::{Cursor, Read};
/// use frozenpack::{stream::ValueReader, Value};
///
/// // Two values, then octets that are not frozenpack at all.
/// let mut source = Cursor::new(b"\xb2\x01\x81a\x05rest".to_vec());
/// let mut values = ValueReader::new(&mut source);
/// assert_eq!(values.read_value()?.unwrap().to_string(), "(1, 'a')");
/// assert_eq!(values.read_value()?, Some(Value::Int(5)));
/// assert_eq!(values.offset(), 5);
/// drop(values);
/// let mut rest = String::new();
/// source.read_to_string(&mut rest)?; // nothing after the values was consumed
/// assert_eq!(rest, "rest");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Every value of a stream, to its end:
///
/// ```
/// let values: Vec<_> = frozenpack::stream::ValueReader::new(&b"\x01\x02\x03"[..])
///     .collect::<Result<_, _>>()?;
/// assert_eq!(values.len(), 3);
/// # Ok::<(), frozenpack::stream::StreamError>(())
/// ```
#[derive(Debug)]
pub struct ValueReader<R> {
    source: R,
    frames: FrameReader,
    /// The iterator yielded a final error (or the end): it is fused from then on.
    done: bool,
}

impl<R: Read> ValueReader<R> {
    /// A reader of `source` with the default options (depth limit 1000).
    ///
    /// ```
    /// let mut values = frozenpack::stream::ValueReader::new(&b""[..]);
    /// assert!(values.read_value()?.is_none());
    /// # Ok::<(), frozenpack::stream::StreamError>(())
    /// ```
    pub fn new(source: R) -> Self {
        ValueReader::with_options(source, &DecodeOptions::new())
    }

    /// A reader of `source` with `options` (the depth limit applies to each value).
    ///
    /// ```
    /// use frozenpack::{stream::ValueReader, DecodeOptions};
    /// let options = DecodeOptions::new().with_max_depth(1);
    /// let mut values = ValueReader::with_options(&b"\xb1\xb1\xc0"[..], &options);
    /// assert_eq!(values.read_value().unwrap_err().to_string(),
    ///            "depth_exceeded at offset 1: a tuple at level 2 exceeds the depth limit 1");
    /// ```
    pub fn with_options(source: R, options: &DecodeOptions) -> Self {
        ValueReader {
            source,
            frames: FrameReader::new(options),
            done: false,
        }
    }

    /// Reads the next value; `None` when the source ends between two values.
    ///
    /// # Errors
    ///
    /// [`StreamError::Decode`] when the octets are not a valid value (and on every later
    /// call); [`StreamError::Io`] when the source fails (the next call continues the value).
    ///
    /// ```
    /// let mut values = frozenpack::stream::ValueReader::new(&b"\xc4\x05"[..]);
    /// let err = values.read_value().unwrap_err();
    /// assert_eq!(err.to_string(), "non_canonical at offset 0: INT1 holds 5, which fits FIXINT");
    /// ```
    pub fn read_value(&mut self) -> Result<Option<Value<'static>>, StreamError> {
        if !self.frames.fill(&mut self.source)? {
            return Ok(None);
        }
        let decoded = self.frames.options().decode(self.frames.frame());
        match decoded.map(Value::into_owned) {
            Ok(value) => {
                self.frames.consumed();
                Ok(Some(value))
            }
            Err(e) => Err(self.frames.fail(e).into()),
        }
    }

    /// Like [`read_value`](ValueReader::read_value), as a [`SharedValue`]: its str, bytes,
    /// BIGINT and SSTR payloads are slices of the octets read, not copies of them.
    ///
    /// ```
    /// let mut values = frozenpack::stream::ValueReader::new(&b"\xa2\x00\x01"[..]);
    /// assert_eq!(values.read_shared()?.unwrap().to_string(), r"b'\x00\x01'");
    /// # Ok::<(), frozenpack::stream::StreamError>(())
    /// ```
    pub fn read_shared(&mut self) -> Result<Option<SharedValue>, StreamError> {
        if !self.frames.fill(&mut self.source)? {
            return Ok(None);
        }
        let octets = self.frames.take();
        let start = self.frames.offset() - octets.len();
        self.frames
            .options()
            .decode_shared(&octets)
            .map(Some)
            .map_err(|e| {
                // `take` moved the offset past the value; the error counts from its start.
                let e = e.shifted(start);
                self.frames.failed = Some(e.clone());
                e.into()
            })
    }

    /// The stream offset of the next value: the octets read so far, when no value is half
    /// read.
    ///
    /// ```
    /// let mut values = frozenpack::stream::ValueReader::new(&b"\x83abc\x01"[..]);
    /// values.read_value()?;
    /// assert_eq!(values.offset(), 4);
    /// # Ok::<(), frozenpack::stream::StreamError>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.frames.offset()
    }

    /// The source.
    pub fn get_ref(&self) -> &R {
        &self.source
    }

    /// The source. Reading from it between values is fine (the reader holds no octet of
    /// it then); in the middle of a value it would take octets the value needs.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.source
    }

    /// The source, positioned after the last octet read. Octets of a value half read are
    /// dropped with the reader.
    ///
    /// ```
    /// let mut values = frozenpack::stream::ValueReader::new(std::io::Cursor::new(b"\x01\x02"));
    /// values.read_value()?;
    /// assert_eq!(values.into_inner().position(), 1);
    /// # Ok::<(), frozenpack::stream::StreamError>(())
    /// ```
    pub fn into_inner(self) -> R {
        self.source
    }
}

impl<R: Read> Iterator for ValueReader<R> {
    type Item = Result<Value<'static>, StreamError>;

    /// The next value; after the end or a decode error, `None`. After an I/O error the next
    /// call tries again (the iterator is fused only by the end or a decode error).
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_value() {
            Ok(Some(value)) => Some(Ok(value)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = matches!(e, StreamError::Decode(_));
                Some(Err(e))
            }
        }
    }
}

impl<R: Read> FusedIterator for ValueReader<R> {}
