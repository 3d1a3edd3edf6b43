//! Where a value ends, from its tags and length fields alone (spec §3, §9), as its octets
//! arrive.
//!
//! The [`Framer`] decides nothing about validity: the crate's [`Reader`](crate::Reader)
//! does, once the framer says the value is complete (or can go no further). What the framer
//! adds is what a reader of a stream needs and the decoder cannot say from a prefix: where
//! the value ends, and how many octets it needs at the least before anything can change.
//! Its state is a few integers per open tuple; nothing is sized by what a header claims.

/// What the octets seen so far say about the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    /// The value needs at least this many more octets (≥ 1): the rest of the item being read,
    /// as far as its tag and length field tell, plus one octet for each item that open tuples
    /// still announce. Reading exactly that many never reads past a valid value.
    More(u64),
    /// The value's octets are the first this many.
    Complete(usize),
    /// A reserved tag, or a tuple beyond the depth limit: the value's length cannot be known,
    /// and the value is not valid. With at least this many octets (every open tuple's item
    /// count then fits, §6 step 6), §6's verdict on them is final, never `truncated`.
    Stuck(u64),
}

/// Follows one value's framing across calls to [`scan`](Framer::scan), each given the
/// value's octets so far (the same octets, possibly more of them, every time).
#[derive(Clone, Debug)]
pub(crate) struct Framer {
    max_depth: usize,
    /// The offset of the next tag to look at (when neither a field nor a skip is pending).
    pos: usize,
    /// A prefixed tag was read at `pos`: its length field ends here.
    field_end: Option<usize>,
    /// ... and it is a TUPLE tag (its field counts items, not octets).
    tuple_field: bool,
    /// The current item (its fixed part, or its payload) ends at this offset.
    skip_to: Option<u64>,
    /// Per open tuple, innermost last: items not started yet.
    open: Vec<u64>,
    /// The sum of `open`: at least one octet each.
    owed: u128,
    /// Per open tuple: the greatest `q + n` (end of header + item count) of it and of the
    /// tuples around it; §6 step 6 passes for all of them once that many octets are present.
    bounds: Vec<u64>,
}

impl Framer {
    pub(crate) fn new(max_depth: usize) -> Self {
        Framer {
            max_depth,
            pos: 0,
            field_end: None,
            tuple_field: false,
            skip_to: None,
            open: Vec::new(),
            owed: 0,
            bounds: Vec::new(),
        }
    }

    /// Starts over at a new value, keeping the room of its stacks.
    pub(crate) fn reset(&mut self) {
        self.pos = 0;
        self.field_end = None;
        self.tuple_field = false;
        self.skip_to = None;
        self.open.clear();
        self.owed = 0;
        self.bounds.clear();
    }

    /// Looks at the octets of `data` not looked at before. After `Complete` or `Stuck` the
    /// framer must not be asked again.
    pub(crate) fn scan(&mut self, data: &[u8]) -> Scan {
        let len = data.len() as u64;
        loop {
            if let Some(end) = self.skip_to {
                if len < end {
                    return Scan::More(saturate(u128::from(end - len) + self.owed));
                }
                // `end <= len`, so it fits a usize.
                self.pos = end as usize;
                self.skip_to = None;
                if self.item_done() {
                    return Scan::Complete(self.pos);
                }
                continue;
            }
            if let Some(q) = self.field_end {
                if data.len() < q {
                    return Scan::More(saturate((q - data.len()) as u128 + self.owed));
                }
                self.field_end = None;
                let n = le(&data[self.pos + 1..q]);
                self.pos = q;
                if self.tuple_field {
                    if self.open_tuple(q, n) {
                        return Scan::Complete(self.pos);
                    }
                } else {
                    self.skip_to = Some((q as u64).saturating_add(n));
                }
                continue;
            }
            let Some(&tag) = data.get(self.pos) else {
                let need = if self.open.is_empty() { 1 } else { self.owed };
                return Scan::More(saturate(need));
            };
            if (0xe0..=0xef).contains(&tag) {
                return Scan::Stuck(self.bound());
            }
            let is_tuple = (0xb0..=0xbf).contains(&tag) || (0xd8..=0xdb).contains(&tag);
            if is_tuple && self.open.len() >= self.max_depth {
                return Scan::Stuck(self.bound());
            }
            // The item starting here is one that the innermost open tuple announced.
            if let Some(left) = self.open.last_mut() {
                *left -= 1;
                self.owed -= 1;
            }
            let p = self.pos as u64;
            match tag {
                0x00..=0x7f | 0xc0..=0xc2 | 0xf0..=0xff => {
                    self.pos += 1;
                    if self.item_done() {
                        return Scan::Complete(self.pos);
                    }
                }
                0x80..=0x9f => self.skip_to = Some(p + 1 + u64::from(tag - 0x80)),
                0xa0..=0xaf => self.skip_to = Some(p + 1 + u64::from(tag - 0xa0)),
                0xb0..=0xbf => {
                    self.pos += 1;
                    if self.open_tuple(self.pos, u64::from(tag - 0xb0)) {
                        return Scan::Complete(self.pos);
                    }
                }
                0xc3 => self.skip_to = Some(p + 9),
                0xc4..=0xcb => self.skip_to = Some(p + 1 + u64::from(tag - 0xc3)),
                _ => {
                    // cc..df: a prefixed family; its length field of 1, 2, 4 or 8 octets first.
                    self.tuple_field = (0xd8..=0xdb).contains(&tag);
                    self.field_end = Some(self.pos + 1 + (1 << (tag & 0x03)));
                }
            }
        }
    }

    fn bound(&self) -> u64 {
        self.bounds.last().copied().unwrap_or(self.pos as u64 + 1)
    }

    /// A tuple of `n` items whose header ends at `q` starts; true when that completes the
    /// value (an empty tuple is complete at once).
    fn open_tuple(&mut self, q: usize, n: u64) -> bool {
        if n == 0 {
            return self.item_done();
        }
        let outer = self.bounds.last().copied().unwrap_or(0);
        self.bounds.push(outer.max((q as u64).saturating_add(n)));
        self.open.push(n);
        self.owed += u128::from(n);
        false
    }

    /// An item ended at `pos`: close the tuples it completes. True when it was the last item
    /// of the value.
    fn item_done(&mut self) -> bool {
        while self.open.last() == Some(&0) {
            self.open.pop();
            self.bounds.pop();
        }
        self.open.is_empty()
    }
}

fn saturate(n: u128) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// `LE(w, ·)` of spec §2: a little-endian length field of 1 … 8 octets.
fn le(field: &[u8]) -> u64 {
    field
        .iter()
        .rev()
        .fold(0, |n, &octet| (n << 8) | u64::from(octet))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `input` as it arrives one octet at a time; the scans seen, deduplicated.
    fn scans(input: &[u8], max_depth: usize) -> Vec<Scan> {
        let mut framer = Framer::new(max_depth);
        let mut seen = vec![framer.scan(&[])];
        for len in 1..=input.len() {
            if matches!(seen.last(), Some(Scan::Complete(_) | Scan::Stuck(_))) {
                break;
            }
            let scan = framer.scan(&input[..len]);
            if seen.last() != Some(&scan) {
                seen.push(scan);
            }
        }
        seen
    }

    #[test]
    fn leaves_need_their_fixed_part_and_payload() {
        use Scan::*;
        assert_eq!(scans(b"\x05", 1000), [More(1), Complete(1)]);
        assert_eq!(
            scans(b"\xc3\0\0\0\0\0\0\xf0\x3f", 1000),
            [
                More(1),
                More(8),
                More(7),
                More(6),
                More(5),
                More(4),
                More(3),
                More(2),
                More(1),
                Complete(9)
            ]
        );
        // STR with a 2-octet field: the field, then the 300 octets it announces.
        let mut input = vec![0xd1, 0x2c, 0x01];
        input.resize(303, b'a');
        let seen = scans(&input, 1000);
        assert_eq!(&seen[..4], [More(1), More(2), More(1), More(300)]);
        assert_eq!(seen.last(), Some(&Complete(303)));
    }

    #[test]
    fn tuples_owe_an_octet_per_item() {
        use Scan::*;
        // (1, (2, 3), 'x')
        assert_eq!(
            scans(b"\xb3\x01\xb2\x02\x03\x81x", 1000),
            [
                More(1),
                More(3),
                More(2),
                More(3),
                More(2),
                More(1),
                Complete(7)
            ]
        );
        assert_eq!(scans(b"\xb0", 1000), [More(1), Complete(1)]);
        assert_eq!(scans(b"\xb1\xb0", 1000), [More(1), Complete(2)]);
    }

    #[test]
    fn a_header_claiming_2_64_octets_needs_them_without_overflow() {
        let mut framer = Framer::new(1000);
        assert_eq!(
            framer.scan(b"\xd7\xff\xff\xff\xff\xff\xff\xff\xff"),
            Scan::More(u64::MAX - 9)
        );
        let mut framer = Framer::new(1000);
        let tuple = b"\xdb\xff\xff\xff\xff\xff\xff\xff\xff\xdb\xff\xff\xff\xff\xff\xff\xff\xff";
        assert_eq!(framer.scan(tuple), Scan::More(u64::MAX));
    }

    #[test]
    fn reserved_tags_and_depth_stop_the_framer_with_the_bound_of_step_6() {
        assert_eq!(Framer::new(1000).scan(b"\xe0"), Scan::Stuck(1));
        // (e0, _): the tuple's 2 items fit once 3 octets are present.
        assert_eq!(Framer::new(1000).scan(b"\xb2\xe0"), Scan::Stuck(3));
        assert_eq!(Framer::new(1000).scan(b"\xb2\x01\xbf"), Scan::More(15));
        assert_eq!(Framer::new(1).scan(b"\xb2\x01\xbf"), Scan::Stuck(3));
        assert_eq!(Framer::new(0).scan(b"\xb0"), Scan::Stuck(1));
        // The bound is the greatest over the open tuples, the outer one's here.
        assert_eq!(Framer::new(1000).scan(b"\xb5\xb1\xe0"), Scan::Stuck(6));
    }
}
