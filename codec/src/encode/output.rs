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

    /// Appends the first `len` octets of `octets` (`len` ≤ 9): how the encoder writes an
    /// int's tag and octets, or a header. The default is
    /// [`write_octets`](Output::write_octets) of that part; a sink with room to spare can
    /// copy all 9 octets and keep `len`, which spares a `memcpy` call of a variable length
    /// (measured: most of the time of encoding rows of small items on the development
    /// machine, more than all the encoder's own work).
    ///
    /// ```
    /// use frozenpack::Output;
    /// let mut out = Vec::new();
    /// out.write_prefix(&[0xc5, 0xe8, 0x03, 0, 0, 0, 0, 0, 0], 3);
    /// assert_eq!(out, b"\xc5\xe8\x03");
    /// ```
    #[inline]
    fn write_prefix(&mut self, octets: &[u8; 9], len: usize) {
        self.write_octets(octets.get(..len).unwrap_or(octets));
    }

    /// Appends `octets`, of which there are few (a short str or bytes payload, at most 32
    /// octets). The default is [`write_octets`](Output::write_octets); a sink with
    /// room to spare can copy them with a few fixed-size moves instead of a `memcpy` call, as
    /// for [`write_prefix`](Output::write_prefix).
    ///
    /// ```
    /// use frozenpack::Output;
    /// let mut out = Vec::new();
    /// out.write_short(b"user-00001");
    /// assert_eq!(out, b"user-00001");
    /// ```
    #[inline]
    fn write_short(&mut self, octets: &[u8]) {
        self.write_octets(octets);
    }
}

/// The most octets the encoder hands to [`Output::write_short`].
pub(crate) const SHORT: usize = 32;

/// A `Vec<u8>` as the encoder's own output ([`encode_value`](crate::encode_value),
/// [`to_vec`](crate::to_vec), the buffer of [`to_writer`](crate::to_writer)): short writes
/// are fixed-size copies into the vector's room (a copy of a constant length compiles to a
/// few moves), and the vector is then shortened to what was meant, which costs nothing.
/// Safe code throughout.
#[derive(Debug, Default)]
pub(crate) struct VecOut(pub(crate) Vec<u8>);

impl Output for VecOut {
    #[inline]
    fn write_octets(&mut self, octets: &[u8]) {
        self.0.extend_from_slice(octets);
    }

    #[inline]
    fn write_octet(&mut self, octet: u8) {
        self.0.push(octet);
    }

    #[inline]
    fn write_prefix(&mut self, octets: &[u8; 9], len: usize) {
        let end = self.0.len().saturating_add(len);
        self.0.extend_from_slice(octets);
        self.0.truncate(end);
    }

    #[inline]
    fn write_short(&mut self, octets: &[u8]) {
        write_short_into(&mut self.0, octets);
    }
}

/// Appends `octets` to `out` with fixed-size moves only when there are at most [`SHORT`]:
/// room for [`SHORT`] is added (zeros, a constant-size write), the octets are copied into it
/// by [`overlapping`] moves, and the vector is shortened to what was meant. The copies read
/// the source, never what was just stored, so no load waits on a store.
#[inline(always)]
fn write_short_into(out: &mut Vec<u8>, octets: &[u8]) {
    let start = out.len();
    if octets.len() > SHORT {
        return out.extend_from_slice(octets);
    }
    out.extend_from_slice(&[0; SHORT]);
    if let Some(room) = out.get_mut(start..) {
        overlapping(room, octets);
    }
    out.truncate(start.saturating_add(octets.len()));
}

/// Copies `octets` (at most [`SHORT`]) to the start of `room` (at least as long) with a pair
/// of fixed-size moves whatever the length: the first and the last 16, 8, 4, 2 or 1 octets,
/// which overlap where the length is not twice the size. A copy of a variable length would be
/// a `memcpy` call.
#[inline(always)]
fn overlapping(room: &mut [u8], octets: &[u8]) {
    fn pair<const N: usize>(room: &mut [u8], octets: &[u8]) -> bool {
        let (Some(first), Some(last)) = (octets.first_chunk::<N>(), octets.last_chunk::<N>())
        else {
            return false;
        };
        if let Some(head) = room.first_chunk_mut::<N>() {
            *head = *first;
        }
        let tail_start = octets.len().saturating_sub(N);
        if let Some(tail) = room.get_mut(tail_start..octets.len()) {
            tail.copy_from_slice(last);
        }
        true
    }
    let _ = pair::<16>(room, octets)
        || pair::<8>(room, octets)
        || pair::<4>(room, octets)
        || pair::<2>(room, octets)
        || pair::<1>(room, octets);
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

impl<W: io::Write> IoOutput<W> {
    /// Whether `n` more octets fit the buffer without a flush.
    #[inline]
    fn room_for(&self, n: usize) -> bool {
        self.error.is_none() && self.buf.len().saturating_add(n) <= IO_BUFFER
    }
}

impl<W: io::Write> Output for IoOutput<W> {
    #[inline]
    fn write_prefix(&mut self, octets: &[u8; 9], len: usize) {
        if self.room_for(octets.len()) {
            let end = self.buf.len().saturating_add(len);
            self.buf.extend_from_slice(octets);
            self.buf.truncate(end);
        } else {
            self.write_octets(octets.get(..len).unwrap_or(octets));
        }
    }

    #[inline]
    fn write_short(&mut self, octets: &[u8]) {
        if octets.len() <= SHORT && self.room_for(SHORT) {
            write_short_into(&mut self.buf, octets);
        } else {
            self.write_octets(octets);
        }
    }

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
    fn short_writes_copy_exactly_the_octets_at_every_length() {
        let source: Vec<u8> = (1..=40).collect();
        for len in 0..=40 {
            let octets = &source[..len];
            let mut out = VecOut(vec![0xee]);
            out.write_short(octets);
            assert_eq!(&out.0[1..], octets, "{len}");
            if len <= 9 {
                let mut nine = [0u8; 9];
                nine[..len].copy_from_slice(octets);
                let mut out = VecOut(Vec::new());
                out.write_prefix(&nine, len);
                assert_eq!(out.0, octets);
            }
            let mut sink = Vec::new();
            let mut io = IoOutput::new(&mut sink);
            io.write_short(octets);
            io.write_prefix(&[7; 9], 3);
            io.finish().unwrap();
            assert_eq!(&sink[..len], octets);
            assert_eq!(&sink[len..], [7, 7, 7]);
        }
    }

    #[test]
    fn counter_counts() {
        let mut counter = Counter::default();
        counter.write_octets(b"abc");
        counter.write_octet(0);
        assert_eq!(counter.0, 4);
    }
}
