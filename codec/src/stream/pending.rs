//! One value of a stream while its octets arrive, and spec §9's verdict on them.

use super::frame::{Framer, Scan};
use crate::decode::DecodeOptions;
use crate::error::{Error, ErrorKind};

/// A value whose octets so far are at most this many is checked by the decoder at every
/// verdict, when checks are eager; a longer one (or any, when they are not) each time its
/// octets have doubled since the last check.
const ALWAYS_CHECK: usize = 64;

/// What can be said of a value's octets so far ([`Framing::verdict`](super::Framing::verdict)).
#[derive(Debug)]
#[non_exhaustive]
pub enum Verdict {
    /// Nothing yet: more octets are needed (at least [`Framing::need`](super::Framing::need)
    /// of them).
    Undecided,
    /// The value's octets are the first this many; decoding them gives its value, or its
    /// final error.
    Complete(usize),
    /// A final error (spec §9: not `truncated`), its offset counted from the value's first
    /// octet.
    Failed(Error),
}

/// The framing of one value of a stream, and when to ask the decoder about it.
///
/// Each call is given the value's octets from its first on (the same octets, possibly more
/// of them, every time). The framer finds where the value ends; the decoder runs on the
/// octets so far while the value is short, then whenever they have doubled, so that an
/// error inside a long value is reported while its octets still arrive, at a cost linear in
/// the octets received (spec §9: any verdict but `truncated` is final).
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    framer: Framer,
    scan: Scan,
    /// How many octets the decoder last saw without reaching a verdict.
    checked: usize,
    /// Check short values at every verdict (the push decoder: one verdict per piece fed);
    /// else from [`ALWAYS_CHECK`] octets on (the reader, which gives a verdict after every
    /// small read of a value and would otherwise decode short values several times over).
    eager: bool,
    /// A check that [`frame`](Pending::frame) found due and did not run: on the first this
    /// many octets (the latest due; an earlier one finds nothing a later one misses).
    due: Option<usize>,
}

impl Pending {
    pub(crate) fn new(options: &DecodeOptions, eager: bool) -> Self {
        Pending {
            framer: Framer::new(options.max_depth()),
            scan: Scan::More(1),
            checked: if eager { 0 } else { ALWAYS_CHECK / 2 },
            eager,
            due: None,
        }
    }

    /// Starts over for the next value (the framer keeps its room).
    pub(crate) fn reset(&mut self) {
        self.framer.reset();
        self.scan = Scan::More(1);
        self.checked = if self.eager { 0 } else { ALWAYS_CHECK / 2 };
        self.due = None;
    }

    /// The verdict on `data`, the value's octets so far.
    pub(crate) fn verdict(&mut self, data: &[u8], options: &DecodeOptions) -> Verdict {
        match self.frame(data, options) {
            Verdict::Undecided => self.run_due_check(data, options),
            decided => decided,
        }
    }

    /// [`verdict`](Pending::verdict), but a check of the undecided value that the schedule
    /// makes due is only noted, for [`run_due_check`](Pending::run_due_check).
    pub(crate) fn frame(&mut self, data: &[u8], options: &DecodeOptions) -> Verdict {
        if let Scan::More(_) = self.scan {
            self.scan = self.framer.scan(data);
        }
        match self.scan {
            Scan::Complete(end) => return Verdict::Complete(end),
            Scan::Stuck(bound) if data.len() as u64 >= bound => {
                let error = check(data, options)
                    .expect_err("a reserved tag or a tuple past the depth limit is an error");
                debug_assert_ne!(error.kind(), ErrorKind::Truncated, "{error}");
                return Verdict::Failed(error);
            }
            _ => {}
        }
        let len = data.len();
        let short = self.eager && len <= ALWAYS_CHECK;
        if len > self.checked && (short || len >= 2 * self.checked) {
            self.checked = len;
            self.due = Some(len);
        }
        Verdict::Undecided
    }

    /// Runs the check [`frame`](Pending::frame) noted, if any, on the octets it was due on
    /// (`data` starts with them): a final error, or `Undecided`.
    pub(crate) fn run_due_check(&mut self, data: &[u8], options: &DecodeOptions) -> Verdict {
        let Some(prefix) = self.due.take().and_then(|len| data.get(..len)) else {
            return Verdict::Undecided;
        };
        match check(prefix, options) {
            Err(error) if error.kind() != ErrorKind::Truncated => Verdict::Failed(error),
            _ => Verdict::Undecided,
        }
    }

    /// Whether the value's length cannot be known (a reserved tag, or a tuple past the depth
    /// limit): it is an error, whatever octets follow.
    pub(crate) fn is_stuck(&self) -> bool {
        matches!(self.scan, Scan::Stuck(_))
    }

    /// At least how many more octets the value needs before the verdict can change (1 once
    /// it is decided: a caller reading for a decided value reads nothing).
    pub(crate) fn need(&self, len: usize) -> u64 {
        match self.scan {
            Scan::More(n) => n,
            Scan::Stuck(bound) => bound.saturating_sub(len as u64).max(1),
            Scan::Complete(_) => 1,
        }
    }
}

/// The stream ended after `data`, the octets of a value that is not complete: its final
/// error (spec §9: whatever the decoder makes of them, `truncated` included).
pub(crate) fn at_end(data: &[u8], options: &DecodeOptions) -> Error {
    check(data, options).expect_err("an incomplete value does not decode")
}

/// The decoder's verdict on `data` as the start of one value, without building it.
fn check(data: &[u8], options: &DecodeOptions) -> Result<(), Error> {
    options.reader(data, 0).skip_value()
}
