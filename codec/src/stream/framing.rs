//! [`Framing`]: the stream readers' per-value framing, for a caller with its own read loop
//! and its own decoder.

use super::pending::{Pending, Verdict};
use crate::decode::DecodeOptions;

/// Where one value of a stream ends, and spec §9's verdict on its octets so far, for a caller
/// that runs its own read loop and builds values with its own decoder (the Python extension
/// builds Python objects from the octets: `frozenpack.load` and `frozenpack.Decoder`).
///
/// Give [`verdict`](Framing::verdict) the value's octets from its first on, each time more
/// have arrived (the same octets, possibly more of them, every time). It follows the tags and
/// length fields incrementally, and runs the crate's decoder (without building anything) on
/// the octets so far at every verdict while they are at most 64, then each time they have
/// doubled, so that an error inside a long value is reported while its octets still arrive
/// ([`PushDecoder`](super::PushDecoder)'s schedule; work linear in the octets). Read no more
/// than [`need`](Framing::need) octets before the next verdict, and nothing after a valid
/// value is ever read. A [`Verdict::Complete`] value still has to be decoded (by the caller's
/// decoder, which may find it invalid); a [`Verdict::Failed`] one is final, its error's offset
/// counted from the value's first octet.
///
/// The state is a few integers per open tuple: nothing is sized by what a header claims.
///
/// ```
/// use frozenpack::{stream::{Framing, Verdict}, DecodeOptions};
///
/// // (1, 'ab'), read as the framing asks: the tag, its 2 items, the rest of the str.
/// let octets = b"\xb2\x01\x82ab";
/// let mut framing = Framing::new(&DecodeOptions::new());
/// let mut len = 0;
/// let end = loop {
///     match framing.verdict(&octets[..len]) {
///         Verdict::Complete(end) => break end,
///         Verdict::Undecided => len += framing.need(len) as usize, // 1, then 2, then 2
///         other => panic!("{other:?}"),
///     }
/// };
/// assert_eq!(end, 5);
///
/// let mut framing = Framing::new(&DecodeOptions::new());
/// match framing.verdict(b"\xb2\xc4\x05") {
///     Verdict::Failed(e) => assert_eq!((e.kind().as_str(), e.offset()), ("non_canonical", 1)),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Framing {
    options: DecodeOptions,
    pending: Pending,
}

impl Framing {
    /// The framing of a value decoded with `options` (its depth limit bounds the framing).
    pub fn new(options: &DecodeOptions) -> Self {
        Framing {
            options: options.clone(),
            pending: Pending::new(options, true),
        }
    }

    /// The verdict on `value`, the value's octets so far.
    pub fn verdict(&mut self, value: &[u8]) -> Verdict {
        self.pending.verdict(value, &self.options)
    }

    /// [`verdict`](Framing::verdict) without the decoder's check of an undecided value: when
    /// the schedule makes one due, it is only noted, and
    /// [`run_due_check`](Framing::run_due_check) runs it. `frame` then `run_due_check` is
    /// `verdict`.
    ///
    /// For a caller that adds a value's octets in several steps before it must answer (a push
    /// decoder walking one piece, as far as the framing asks each time): it may call `frame`
    /// after each step and `run_due_check` once, when the piece is used up with the value
    /// still undecided. The check then runs on the octets the last check due would have
    /// seen, and finds an error exactly when one of the checks due in the piece would have
    /// (a final error in a prefix is final in every longer one, spec §9): the same answer
    /// for the piece, from one check instead of one per step. A value that completes, or gets
    /// stuck, in the piece needs no check: its verdict is the decoder's anyway.
    ///
    /// ```
    /// use frozenpack::{stream::{Framing, Verdict}, DecodeOptions};
    ///
    /// // A tuple of 3 items whose second is not canonical, arriving octet by octet.
    /// let octets = b"\xb3\x01\xc4\x05\x02";
    /// let mut framing = Framing::new(&DecodeOptions::new());
    /// for len in 0..=4 {
    ///     assert!(matches!(framing.frame(&octets[..len]), Verdict::Undecided));
    /// }
    /// match framing.run_due_check(&octets[..4]) {
    ///     Verdict::Failed(e) => assert_eq!((e.kind().as_str(), e.offset()), ("non_canonical", 2)),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn frame(&mut self, value: &[u8]) -> Verdict {
        self.pending.frame(value, &self.options)
    }

    /// Runs the check that [`frame`](Framing::frame) found due, if any, on the octets it was
    /// due on (`value` is the value's octets so far, which start with them): a final error,
    /// or [`Verdict::Undecided`].
    pub fn run_due_check(&mut self, value: &[u8]) -> Verdict {
        self.pending.run_due_check(value, &self.options)
    }

    /// Starts over at the next value (the state's room is kept).
    pub fn reset(&mut self) {
        self.pending.reset();
    }

    /// At least how many more octets the value needs, when it has `len`, before the verdict
    /// can change; reading exactly that many never reads past a valid value. (For a value
    /// whose length cannot be known, see [`length_unknown`](Framing::length_unknown): the
    /// octets after which the decoder's verdict on it is final.)
    ///
    /// ```
    /// use frozenpack::{stream::Framing, DecodeOptions};
    /// let mut framing = Framing::new(&DecodeOptions::new());
    /// framing.verdict(b"\xd7\xff\xff\xff\xff\xff\xff\xff\xff"); // BYTES of 2^64 - 1 octets
    /// assert_eq!(framing.need(9), u64::MAX - 9);
    /// ```
    pub fn need(&self, len: usize) -> u64 {
        self.pending.need(len)
    }

    /// Whether the framing cannot tell where the value ends (a reserved tag, or a tuple past
    /// the depth limit): the value is an error, whatever octets follow.
    ///
    /// ```
    /// use frozenpack::{stream::Framing, DecodeOptions};
    /// let mut framing = Framing::new(&DecodeOptions::new());
    /// framing.verdict(b"\xb2\xe0");
    /// assert!(framing.length_unknown());
    /// ```
    pub fn length_unknown(&self) -> bool {
        self.pending.is_stuck()
    }
}
