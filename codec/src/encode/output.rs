//! Where the encoder writes: the [`Output`] trait, implemented for every
//! [`bytes::BufMut`] (so `Vec<u8>` and `BytesMut` among them), a counter for
//! [`encoded_len`](crate::encoded_len), and a buffered `io::Write` adapter.

use std::io;

use bytes::BufMut;

/// A sink for encoded octets. Writing cannot fail: sinks that can fail (an `io::Write`)
/// remember their first error, as `std`'s formatting adapters do, and report it at the end.
///
/// Implemented for every [`BufMut`]: `Vec<u8>` and `BytesMut` grow as needed; a fixed
/// buffer such as `&mut [u8]` panics when it runs out, as `BufMut::put_slice` does (size it
/// with [`encoded_len`](crate::encoded_len) first).
///
/// ```
/// use frozenpack::{Output, Writer};
/// let mut buf = bytes::BytesMut::new();
/// Writer::new(&mut buf).write_str("hi");
/// assert_eq!(&buf[..], b"\x82hi");
/// ```
pub trait Output {
    /// Appends `octets`.
    ///
    /// ```
    /// use frozenpack::Output;
    /// let mut out = Vec::new();
    /// out.write_octets(b"\xc0");
    /// assert_eq!(out, b"\xc0");
    /// ```
    fn write_octets(&mut self, octets: &[u8]);

    /// Appends one octet.
    ///
    /// ```
    /// use frozenpack::Output;
    /// let mut out = bytes::BytesMut::new();
    /// out.write_octet(0xc2);
    /// assert_eq!(&out[..], b"\xc2");
    /// ```
    fn write_octet(&mut self, octet: u8) {
        self.write_octets(&[octet]);
    }
}

impl<B: BufMut + ?Sized> Output for B {
    #[inline]
    fn write_octets(&mut self, octets: &[u8]) {
        self.put_slice(octets);
    }

    #[inline]
    fn write_octet(&mut self, octet: u8) {
        self.put_u8(octet);
    }
}

/// Counts octets instead of writing them: [`encoded_len`](crate::encoded_len) runs the
/// encoder itself over a `Counter`, so the length is exact by construction.
#[derive(Debug, Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Output for Counter {
    #[inline]
    fn write_octets(&mut self, octets: &[u8]) {
        self.0 = self.0.saturating_add(octets.len());
    }

    #[inline]
    fn write_octet(&mut self, _octet: u8) {
        self.0 = self.0.saturating_add(1);
    }
}

/// Buffers octets for an `io::Write`, so that the many small writes of an encoding become
/// few large ones, and keeps the first I/O error (after which nothing more is written).
pub(crate) struct IoOutput<W: io::Write> {
    inner: W,
    buf: Vec<u8>,
    error: Option<io::Error>,
}

/// The buffer size: large enough to amortise system calls, small enough to stay in cache.
const IO_BUFFER: usize = 8 * 1024;

impl<W: io::Write> IoOutput<W> {
    pub(crate) fn new(inner: W) -> Self {
        IoOutput {
            inner,
            buf: Vec::with_capacity(IO_BUFFER),
            error: None,
        }
    }

    fn flush_buf(&mut self) {
        if self.error.is_none() && !self.buf.is_empty() {
            if let Err(e) = self.inner.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// Writes out what is buffered and reports the first error, if any.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.flush_buf();
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl<W: io::Write> Output for IoOutput<W> {
    fn write_octets(&mut self, octets: &[u8]) {
        if self.error.is_some() {
            return;
        }
        if self.buf.len().saturating_add(octets.len()) > IO_BUFFER {
            self.flush_buf();
        }
        if octets.len() >= IO_BUFFER {
            // A large payload goes straight through rather than through the buffer.
            if let Err(e) = self.inner.write_all(octets) {
                self.error = Some(e);
            }
        } else {
            self.buf.extend_from_slice(octets);
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // Tests compute with small, known numbers.
mod tests {
    use super::*;

    /// A writer that accepts `limit` octets, then fails.
    struct Limited {
        written: Vec<u8>,
        limit: usize,
        calls: usize,
    }

    impl io::Write for Limited {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.written.len() + buf.len() > self.limit {
                return Err(io::Error::other("full"));
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn small_writes_are_batched_and_large_ones_pass_through() {
        let mut sink = Limited {
            written: Vec::new(),
            limit: usize::MAX,
            calls: 0,
        };
        let mut out = IoOutput::new(&mut sink);
        for _ in 0..1000 {
            out.write_octet(1);
        }
        out.write_octets(&vec![2u8; 3 * IO_BUFFER]);
        out.write_octets(b"end");
        out.finish().unwrap();
        assert_eq!(sink.written.len(), 1000 + 3 * IO_BUFFER + 3);
        assert_eq!(sink.calls, 3);
    }

    #[test]
    fn the_first_error_is_reported_and_writing_stops() {
        let mut sink = Limited {
            written: Vec::new(),
            limit: 10,
            calls: 0,
        };
        let mut out = IoOutput::new(&mut sink);
        out.write_octets(&vec![0u8; 2 * IO_BUFFER]);
        out.write_octets(b"more");
        assert_eq!(out.finish().unwrap_err().to_string(), "full");
        assert_eq!(sink.calls, 1);
    }

    #[test]
    fn counter_counts() {
        let mut counter = Counter::default();
        counter.write_octets(b"abc");
        counter.write_octet(0);
        assert_eq!(counter.0, 4);
    }
}
