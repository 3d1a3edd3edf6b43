//! The pull reader: the one decoder every client of the crate drives.

use super::parse::Cursor;
use super::{DecodeOptions, Event};
use crate::error::Error;

/// A pull reader over one encoded value (or, with [`restart`](Reader::restart), a sequence
/// of them): each call to [`next_event`](Reader::next_event) reads one more item and
/// returns it as an [`Event`].
///
/// It never recurses: the open tuples are a stack of item counts on the heap, one `usize`
/// per level, and every open tuple has consumed at least its tag octet, so the stack is never
/// longer than the input. Any depth limit can therefore be configured without risk to the
/// native stack. Errors follow spec §6 exactly: the same kind and offset as its procedure,
/// offsets counted from the start of the whole input.
///
/// ```
/// use frozenpack::{Event, Reader};
/// // (1, (b'\x00',))
/// let mut reader = Reader::new(b"\xb2\x01\xb1\xa1\x00");
/// let mut events = Vec::new();
/// while let Some(event) = reader.next_event()? {
///     events.push(event);
/// }
/// assert_eq!(events, [
///     Event::TupleStart(2), Event::Int(1),
///     Event::TupleStart(1), Event::Bytes(b"\x00"), Event::TupleEnd,
///     Event::TupleEnd,
/// ]);
/// assert_eq!(reader.offset(), 5);
/// # Ok::<(), frozenpack::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'de> {
    /// Where the next item starts; the grammar of one item is the cursor's.
    cursor: Cursor<'de>,
    max_depth: usize,
    /// Items still to be read at the current level: in the innermost open tuple, or at the
    /// top 1 until the value's item is read and 0 after. Kept apart from `open` so that the
    /// per-item bookkeeping is one counter in the reader, not a load through the stack.
    left: usize,
    /// Items still to be read in each tuple around the innermost open one, outermost first
    /// (at the top level, the top's `left`); its length is the level (spec §6) of the next
    /// item.
    open: Vec<usize>,
    /// The error decoding failed with; every further call reports it again. Only looked at
    /// once `left` is 0 (a failure sets it so), which keeps it off the per-item path.
    failed: Option<Error>,
}

impl<'de> Reader<'de> {
    /// A reader of one value at the start of `input`, with the default options.
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\xc0");
    /// assert_eq!(reader.next_event().unwrap(), Some(frozenpack::Event::None));
    /// ```
    pub fn new(input: &'de [u8]) -> Self {
        Reader::with_options(input, 0, &DecodeOptions::new())
    }

    /// A reader of one value starting at `offset` of `input`. Offsets in errors still
    /// count from the start of `input`.
    ///
    /// # Panics
    ///
    /// If `offset > input.len()`.
    ///
    /// ```
    /// use frozenpack::{DecodeOptions, Event, Reader};
    /// let mut reader = Reader::with_options(b"\x05\x06", 1, &DecodeOptions::new());
    /// assert_eq!(reader.next_event().unwrap(), Some(Event::Int(6)));
    /// ```
    pub fn with_options(input: &'de [u8], offset: usize, options: &DecodeOptions) -> Self {
        Reader {
            cursor: super::cursor_at(input, offset),
            max_depth: options.max_depth(),
            left: 1,
            open: Vec::new(),
            failed: None,
        }
    }

    /// Reads the next item: a leaf, a tuple's start or end, or `None` once the value is
    /// complete.
    ///
    /// After an error the reader is stuck: every further call returns the same error.
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\xb1\xe0");
    /// reader.next_event().unwrap();
    /// let err = reader.next_event().unwrap_err();
    /// assert_eq!((err.kind().as_str(), err.offset()), ("unknown_tag", 1));
    /// assert_eq!(reader.next_event().unwrap_err(), err);
    /// ```
    #[inline]
    pub fn next_event(&mut self) -> Result<Option<Event<'de>>, Error> {
        let Some(left) = self.left.checked_sub(1) else {
            return self.end_of_level();
        };
        match self.cursor.item(self.open.len(), self.max_depth) {
            Ok(event) => {
                self.left = left;
                if let Event::TupleStart(n) = event {
                    self.open_tuple(n);
                }
                Ok(Some(event))
            }
            Err(err) => Err(self.fail(err)),
        }
    }

    /// A tuple of `n` items starts: the current level's count is saved, `n` items follow.
    #[inline]
    fn open_tuple(&mut self, n: usize) {
        if self.open.capacity() == 0 {
            self.open.reserve(self.open_capacity());
        }
        self.open.push(self.left);
        self.left = n;
    }

    /// The room reserved for the stack of open tuples at the first one: enough for every
    /// level the depth limit allows, so that nesting up to it never regrows the stack
    /// (decoding 500 nested tuples in the Python extension, regrowing this stack and the
    /// extension's own cost about 10% of the instructions), but never more levels than
    /// octets remain (each open tuple takes at least its tag) and never more than a fixed
    /// 8 KiB: past that the stack grows by doubling as usual.
    #[cold]
    fn open_capacity(&self) -> usize {
        /// 8 KiB of counts, the default depth limit's worth.
        const MAX_INITIAL: usize = 1024;
        self.max_depth
            .min(self.cursor.rest().len().saturating_add(1))
            .clamp(1, MAX_INITIAL)
    }

    /// No item is left at the current level: the innermost tuple ends, or the value is
    /// complete, or decoding failed before.
    #[inline]
    fn end_of_level(&mut self) -> Result<Option<Event<'de>>, Error> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        match self.open.pop() {
            Some(outer) => {
                self.left = outer;
                Ok(Some(Event::TupleEnd))
            }
            None => Ok(None),
        }
    }

    /// Records a failure (the reader stays stuck on it) and returns it.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, err: Error) -> Error {
        self.failed = Some(err.clone());
        self.left = 0;
        err
    }

    /// Reads past the next complete value (a leaf, or a tuple with everything in it),
    /// checking it as fully as reading it would.
    ///
    /// ```
    /// use frozenpack::{Event, Reader};
    /// let mut reader = Reader::new(b"\xb2\xb2\x01\x02\x03");
    /// assert_eq!(reader.next_event()?, Some(Event::TupleStart(2)));
    /// reader.skip_value()?; // (1, 2)
    /// assert_eq!(reader.next_event()?, Some(Event::Int(3)));
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn skip_value(&mut self) -> Result<(), Error> {
        let level = self.open.len();
        while let Some(event) = self.next_event()? {
            if self.open.len() == level && !matches!(event, Event::TupleStart(_)) {
                break;
            }
        }
        Ok(())
    }

    /// The offset of the next octet to read; once the value is complete, the offset just
    /// past it.
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\x01\x02");
    /// reader.next_event()?;
    /// assert_eq!(reader.offset(), 1);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// The number of tuples open around the next item (the spec's *level*).
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\xb1\xb1\xc0");
    /// reader.next_event()?;
    /// reader.next_event()?;
    /// assert_eq!(reader.level(), 2);
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn level(&self) -> usize {
        self.open.len()
    }

    /// The whole input the reader reads from.
    ///
    /// ```
    /// assert_eq!(frozenpack::Reader::new(b"\xc0").input(), b"\xc0");
    /// ```
    pub fn input(&self) -> &'de [u8] {
        self.cursor.input()
    }

    /// Whether the value is complete (the next call to [`next_event`](Reader::next_event)
    /// returns `None`).
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\xc0");
    /// assert!(!reader.is_done());
    /// reader.next_event()?;
    /// assert!(reader.is_done());
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn is_done(&self) -> bool {
        self.left == 0 && self.open.is_empty() && self.failed.is_none()
    }

    /// Prepares to read another value where the last one ended, for a sequence of values
    /// (spec §9). The depth limit applies to each value on its own.
    ///
    /// # Panics
    ///
    /// If the current value is neither complete nor failed: restarting in the middle of a
    /// value would read its items as new values.
    ///
    /// ```
    /// let mut reader = frozenpack::Reader::new(b"\x05\x06");
    /// assert_eq!(reader.next_event()?, Some(frozenpack::Event::Int(5)));
    /// reader.restart();
    /// assert_eq!(reader.next_event()?, Some(frozenpack::Event::Int(6)));
    /// # Ok::<(), frozenpack::Error>(())
    /// ```
    pub fn restart(&mut self) {
        if self.failed.is_some() {
            return;
        }
        if !self.is_done() {
            restart_mid_value();
        }
        self.left = 1;
    }
}

/// The documented panic of [`Reader::restart`] in the middle of a value (a caller's bug:
/// the items left would be read as new values).
#[cold]
#[inline(never)]
#[track_caller]
#[allow(clippy::panic)] // Documented under "Panics"; the Python extension never restarts.
fn restart_mid_value() -> ! {
    panic!("restart() in the middle of a value")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn events(input: &[u8]) -> Result<Vec<Event<'_>>, (ErrorKind, usize)> {
        let mut reader = Reader::new(input);
        let mut out = Vec::new();
        loop {
            match reader.next_event() {
                Ok(Some(event)) => out.push(event),
                Ok(None) => return Ok(out),
                Err(e) => return Err((e.kind(), e.offset())),
            }
        }
    }

    #[test]
    fn empty_tuple_starts_and_ends() {
        assert_eq!(
            events(b"\xb0"),
            Ok(vec![Event::TupleStart(0), Event::TupleEnd])
        );
        assert_eq!(
            events(b"\xb1\xb0"),
            Ok(vec![
                Event::TupleStart(1),
                Event::TupleStart(0),
                Event::TupleEnd,
                Event::TupleEnd
            ])
        );
    }

    #[test]
    fn reading_stops_after_one_value() {
        let mut reader = Reader::new(b"\x05\x06");
        assert_eq!(reader.next_event(), Ok(Some(Event::Int(5))));
        assert_eq!(reader.next_event(), Ok(None));
        assert_eq!(reader.offset(), 1);
    }

    #[test]
    fn errors_inside_tuples_use_absolute_offsets() {
        assert_eq!(events(b"\xb2\x01\xe5"), Err((ErrorKind::UnknownTag, 2)));
        assert_eq!(events(b"\xb1\xc4\x05"), Err((ErrorKind::NonCanonical, 1)));
        assert_eq!(events(b"\xbf\x01"), Err((ErrorKind::Truncated, 2)));
        // Two items announced and present, then the input ends inside the second one.
        assert_eq!(events(b"\xb2\x01\xc5\x00"), Err((ErrorKind::Truncated, 4)));
    }

    #[test]
    fn depth_limit_counts_levels() {
        let options = DecodeOptions::new().with_max_depth(2);
        let read_all = |input: &[u8]| {
            let mut reader = Reader::with_options(input, 0, &options);
            while reader.next_event()?.is_some() {}
            Ok::<_, Error>(())
        };
        assert!(read_all(b"\xb1\xb1\xc0").is_ok());
        let err = read_all(b"\xb1\xb1\xb1\xc0").unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::DepthExceeded, 2));
        // A depth limit of 0 admits no tuple at all, but every other value.
        let zero = DecodeOptions::new().with_max_depth(0);
        assert_eq!(
            Reader::with_options(b"\xb0", 0, &zero)
                .next_event()
                .unwrap_err()
                .kind(),
            ErrorKind::DepthExceeded
        );
        assert_eq!(
            Reader::with_options(b"\xc0", 0, &zero).next_event(),
            Ok(Some(Event::None))
        );
    }

    #[test]
    fn skip_value_skips_leaves_and_whole_tuples() {
        let mut reader = Reader::new(b"\xb3\x01\xb2\xb0\x02\x03");
        assert_eq!(reader.next_event(), Ok(Some(Event::TupleStart(3))));
        reader.skip_value().unwrap();
        assert_eq!(reader.offset(), 2);
        reader.skip_value().unwrap();
        assert_eq!(reader.offset(), 5);
        assert_eq!(reader.next_event(), Ok(Some(Event::Int(3))));
        assert_eq!(reader.next_event(), Ok(Some(Event::TupleEnd)));
    }

    #[test]
    fn skip_value_reports_errors_inside_the_skipped_value() {
        let mut reader = Reader::new(b"\xb1\xb1\xc4\x00");
        reader.next_event().unwrap();
        assert_eq!(reader.skip_value().unwrap_err().offset(), 2);
    }

    #[test]
    fn level_offset_and_done_follow_every_event() {
        // ((), (1,)), then a second value 7: after each event, (level, offset, done).
        let mut reader = Reader::new(b"\xb2\xb0\xb1\x01\x07");
        let mut seen = Vec::new();
        while let Some(event) = reader.next_event().unwrap() {
            seen.push((event, reader.level(), reader.offset(), reader.is_done()));
        }
        assert_eq!(
            seen,
            [
                (Event::TupleStart(2), 1, 1, false),
                (Event::TupleStart(0), 2, 2, false),
                (Event::TupleEnd, 1, 2, false),
                (Event::TupleStart(1), 2, 3, false),
                (Event::Int(1), 2, 4, false),
                (Event::TupleEnd, 1, 4, false),
                (Event::TupleEnd, 0, 4, true),
            ]
        );
        // Done stays done until restarted; the next value is read where the last one ended.
        assert_eq!(reader.next_event(), Ok(None));
        assert!(reader.is_done());
        reader.restart();
        assert!(!reader.is_done());
        assert_eq!(reader.next_event(), Ok(Some(Event::Int(7))));
        assert!(reader.is_done());
        assert_eq!((reader.level(), reader.offset()), (0, 5));
    }

    #[test]
    fn a_failed_reader_keeps_its_error_level_and_offset() {
        let mut reader = Reader::new(b"\xb2\xb1\xe0\x01");
        reader.next_event().unwrap();
        reader.next_event().unwrap();
        let err = reader.next_event().unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::UnknownTag, 2));
        for _ in 0..2 {
            assert_eq!(reader.next_event().unwrap_err(), err);
            assert_eq!((reader.level(), reader.offset()), (2, 2));
            assert!(!reader.is_done());
        }
        // Restarting a failed reader does nothing: the error stays.
        reader.restart();
        assert_eq!(reader.next_event().unwrap_err(), err);
    }

    #[test]
    fn nesting_past_the_initial_room_grows_the_stack() {
        // Deeper than the 1024 levels reserved up front, under a larger limit.
        let depth = 3000;
        let mut input = vec![0xb1; depth];
        input.push(0x05);
        let options = DecodeOptions::new().with_max_depth(depth);
        let mut reader = Reader::with_options(&input, 0, &options);
        for level in 1..=depth {
            assert_eq!(reader.next_event(), Ok(Some(Event::TupleStart(1))));
            assert_eq!(reader.level(), level);
        }
        assert_eq!(reader.next_event(), Ok(Some(Event::Int(5))));
        for level in (0..depth).rev() {
            assert_eq!(reader.next_event(), Ok(Some(Event::TupleEnd)));
            assert_eq!(reader.level(), level);
        }
        assert_eq!(reader.next_event(), Ok(None));
        assert_eq!(reader.offset(), input.len());
    }

    #[test]
    #[should_panic(expected = "middle of a value")]
    fn restart_mid_value_panics() {
        let mut reader = Reader::new(b"\xb1\xc0");
        reader.next_event().unwrap();
        reader.restart();
    }
}
