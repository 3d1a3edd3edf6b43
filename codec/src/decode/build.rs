//! Building a tree of values straight from the grammar's items, with an explicit stack.
//!
//! The builders do not go through the [`Reader`](super::Reader): they read items from the
//! [`Cursor`] and keep the one stack they need anyway, of open tuples being filled, whose
//! item counts tell where each tuple ends. (Through the reader, every item was counted twice,
//! once by the reader's stack of counts and once here, and passed through its `Event`
//! interface, `TupleEnd` included.) The grammar, its checks and its errors are the cursor's,
//! so this path reports exactly what the reader does.

use super::parse::{Cursor, Sink};
use super::Event;
use crate::error::Error;
use crate::value::{BigInt, SurrogateStr};

/// Makes the nodes of one kind of value tree: one method per leaf kind, called by the grammar
/// as it reads the leaf (see [`Sink`]), and one for a tuple once its items are built.
pub(crate) trait Builder<'de> {
    type Node;
    fn none(&mut self) -> Self::Node;
    fn bool(&mut self, b: bool) -> Self::Node;
    fn int(&mut self, v: i64) -> Self::Node;
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Self::Node;
    fn float(&mut self, x: f64) -> Self::Node;
    fn str(&mut self, s: &'de str) -> Self::Node;
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Self::Node;
    fn bytes(&mut self, b: &'de [u8]) -> Self::Node;
    /// A tuple node holding `items`.
    fn tuple(&mut self, items: Vec<Self::Node>) -> Self::Node;
}

/// One item read for a builder: a leaf's node, or a tuple of `n` items opening.
enum Step<N> {
    Leaf(N),
    Open(usize),
}

/// A builder as the grammar's sink.
struct Steps<'b, B>(&'b mut B);

impl<'de, B: Builder<'de>> Sink<'de> for Steps<'_, B> {
    type Out = Step<B::Node>;
    /// Not called by the grammar (every kind has its own method below); total all the same.
    /// A `TupleEnd`, which the grammar never reads, would be an empty tuple.
    #[inline(always)]
    fn event(&mut self, event: Event<'de>) -> Self::Out {
        match event {
            Event::None => self.none(),
            Event::Bool(b) => self.bool(b),
            Event::Int(v) => self.int(v),
            Event::BigInt(big) => self.bigint(big),
            Event::Float(x) => self.float(x),
            Event::Str(s) => self.str(s),
            Event::SurrogateStr(s) => self.surrogate_str(s),
            Event::Bytes(b) => self.bytes(b),
            Event::TupleStart(n) => self.tuple(n),
            Event::TupleEnd => self.tuple(0),
        }
    }
    #[inline(always)]
    fn none(&mut self) -> Self::Out {
        Step::Leaf(self.0.none())
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) -> Self::Out {
        Step::Leaf(self.0.bool(b))
    }
    #[inline(always)]
    fn int(&mut self, v: i64) -> Self::Out {
        Step::Leaf(self.0.int(v))
    }
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Self::Out {
        Step::Leaf(self.0.bigint(big))
    }
    #[inline(always)]
    fn float(&mut self, x: f64) -> Self::Out {
        Step::Leaf(self.0.float(x))
    }
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> Self::Out {
        Step::Leaf(self.0.str(s))
    }
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Self::Out {
        Step::Leaf(self.0.surrogate_str(s))
    }
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> Self::Out {
        Step::Leaf(self.0.bytes(b))
    }
    #[inline(always)]
    fn tuple(&mut self, n: usize) -> Self::Out {
        Step::Open(n)
    }
}

/// An open tuple being filled.
struct Frame<N> {
    items: Vec<N>,
    /// Items still to be read.
    left: usize,
    /// How many items' room was reserved for this tuple up front.
    reserved: usize,
}

/// Reads one value standing at `level` (0 for a whole value, spec §6 `read_item(p, 0)`) at
/// `cursor` and builds it; the cursor ends just past it. On an error the cursor stays where
/// the value started.
///
/// Each tuple's items are gathered in a `Vec` reserved at the tuple's announced count, as long
/// as the room reserved for all open tuples together stays within the input's length: one
/// count alone is bounded by the input (spec §6 step 6), but nested counts are not bounded
/// jointly, and reserving for each in full would let `N` octets reserve O(`N` × depth). Past
/// that budget a tuple's `Vec` grows as its items arrive, which they do only as octets are
/// read, so memory stays O(`N`) (spec §8).
// Always inlined, so that a leaf — a whole value of one item — is the grammar's code and
// nothing else; a tuple goes on to the loop, out of line.
#[inline(always)]
pub(crate) fn build<'de, B: Builder<'de>>(
    cursor: &mut Cursor<'de>,
    level: usize,
    max_depth: usize,
    builder: &mut B,
) -> Result<B::Node, Error> {
    let start = cursor.clone();
    let result = match cursor.item_into(level, max_depth, &mut Steps(builder)) {
        Ok(Step::Open(n)) => build_tuple(cursor, level, n, max_depth, builder),
        Ok(Step::Leaf(node)) => Ok(node),
        Err(err) => Err(err),
    };
    if result.is_err() {
        *cursor = start;
    }
    result
}

/// The rest of [`build`] once the value is a tuple of `n` items.
#[inline(never)]
fn build_tuple<'de, B: Builder<'de>>(
    cursor: &mut Cursor<'de>,
    level: usize,
    n: usize,
    max_depth: usize,
    builder: &mut B,
) -> Result<B::Node, Error> {
    // A copy the compiler can keep in registers through the loop (the caller's cursor is
    // behind a pointer); written back at the end.
    let mut at = cursor.clone();
    let result = fill(&mut at, level, n, max_depth, builder);
    *cursor = at;
    result
}

#[inline(always)]
fn fill<'de, B: Builder<'de>>(
    cursor: &mut Cursor<'de>,
    level: usize,
    n: usize,
    max_depth: usize,
    builder: &mut B,
) -> Result<B::Node, Error> {
    let budget = cursor.input().len();
    let mut reserved = 0;
    let open_tuple = |n: usize, reserved: &mut usize| {
        // `reserved` never exceeds `budget`: it only grows by what this check admits.
        let reserve = if n <= budget.saturating_sub(*reserved) { n } else { 0 };
        *reserved = reserved.saturating_add(reserve);
        Frame {
            items: Vec::with_capacity(reserve),
            left: n,
            reserved: reserve,
        }
    };
    // The tuples around the one being filled, outermost first.
    let mut outer: Stack<Frame<B::Node>> = Stack::new();
    let mut current = open_tuple(n, &mut reserved);
    // The level of the current tuple's items. Every open tuple consumed at least its tag
    // octet, so it cannot overflow.
    let mut item_level = level.saturating_add(1);
    loop {
        let Some(left) = current.left.checked_sub(1) else {
            // The current tuple is complete.
            reserved = reserved.saturating_sub(current.reserved);
            match outer.pop() {
                Some(parent) => {
                    let done = core::mem::replace(&mut current, parent);
                    // Built where it is pushed, so that the node is written once, in place.
                    current.items.push(builder.tuple(done.items));
                    item_level = item_level.saturating_sub(1);
                    continue;
                }
                None => return Ok(builder.tuple(current.items)),
            }
        };
        current.left = left;
        let mut fill = Fill {
            builder: &mut *builder,
            items: &mut current.items,
        };
        if let Some(n) = cursor.item_into(item_level, max_depth, &mut fill)? {
            let inner = open_tuple(n, &mut reserved);
            outer.push(core::mem::replace(&mut current, inner));
            item_level = item_level.saturating_add(1);
        }
    }
}

/// A builder as the grammar's sink inside a tuple: each leaf's node goes straight into the
/// tuple's items, and a tuple's start comes back as its count. (Returning the node to push it
/// there moved each one through a temporary, which cost a stall on every item: the node's
/// tag and payload are written separately and read back as one.)
struct Fill<'f, B, N> {
    builder: &'f mut B,
    items: &'f mut Vec<N>,
}

impl<'de, B: Builder<'de>> Sink<'de> for Fill<'_, B, B::Node> {
    type Out = Option<usize>;
    /// Not called by the grammar (every kind has its own method below); total all the same.
    #[inline(always)]
    fn event(&mut self, event: Event<'de>) -> Option<usize> {
        match event {
            Event::None => self.none(),
            Event::Bool(b) => self.bool(b),
            Event::Int(v) => self.int(v),
            Event::BigInt(big) => self.bigint(big),
            Event::Float(x) => self.float(x),
            Event::Str(s) => self.str(s),
            Event::SurrogateStr(s) => self.surrogate_str(s),
            Event::Bytes(b) => self.bytes(b),
            Event::TupleStart(n) => Some(n),
            Event::TupleEnd => Some(0),
        }
    }
    #[inline(always)]
    fn none(&mut self) -> Option<usize> {
        self.items.push(self.builder.none());
        None
    }
    #[inline(always)]
    fn bool(&mut self, b: bool) -> Option<usize> {
        self.items.push(self.builder.bool(b));
        None
    }
    #[inline(always)]
    fn int(&mut self, v: i64) -> Option<usize> {
        self.items.push(self.builder.int(v));
        None
    }
    #[inline(always)]
    fn bigint(&mut self, big: BigInt<&'de [u8]>) -> Option<usize> {
        self.items.push(self.builder.bigint(big));
        None
    }
    #[inline(always)]
    fn float(&mut self, x: f64) -> Option<usize> {
        self.items.push(self.builder.float(x));
        None
    }
    #[inline(always)]
    fn str(&mut self, s: &'de str) -> Option<usize> {
        self.items.push(self.builder.str(s));
        None
    }
    #[inline(always)]
    fn surrogate_str(&mut self, s: SurrogateStr<&'de [u8]>) -> Option<usize> {
        self.items.push(self.builder.surrogate_str(s));
        None
    }
    #[inline(always)]
    fn bytes(&mut self, b: &'de [u8]) -> Option<usize> {
        self.items.push(self.builder.bytes(b));
        None
    }
    #[inline(always)]
    fn tuple(&mut self, n: usize) -> Option<usize> {
        Some(n)
    }
}

/// How many open tuples [`Stack`] keeps in place before it allocates.
const IN_PLACE: usize = 8;

/// The stack of open tuples: the first [`IN_PLACE`] in the builder's own frame, the rest on
/// the heap. Values a few levels deep — rows, records, the usual — then need no allocation
/// for their stack (one `malloc` and `free` per decode, a tenth of decoding a small tuple).
struct Stack<T> {
    in_place: [Option<T>; IN_PLACE],
    /// Entries in `in_place`, the bottom of the stack.
    len: usize,
    /// Entries above those, once `in_place` is full.
    spilled: Vec<T>,
}

impl<T> Stack<T> {
    #[inline]
    fn new() -> Self {
        Stack {
            in_place: [const { None }; IN_PLACE],
            len: 0,
            spilled: Vec::new(),
        }
    }

    #[inline]
    fn push(&mut self, entry: T) {
        match self.in_place.get_mut(self.len) {
            Some(slot) if self.spilled.is_empty() => {
                *slot = Some(entry);
                // Below `IN_PLACE`, since the slot exists.
                self.len = self.len.saturating_add(1);
            }
            _ => self.spilled.push(entry),
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<T> {
        if let Some(entry) = self.spilled.pop() {
            return Some(entry);
        }
        self.len = self.len.checked_sub(1)?;
        self.in_place.get_mut(self.len).and_then(Option::take)
    }

    /// The number of entries.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len.saturating_add(self.spilled.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_keeps_its_order_across_the_spill() {
        let mut stack = Stack::new();
        for i in 0..3 * IN_PLACE {
            stack.push(i);
            assert_eq!(stack.len(), i + 1);
        }
        for i in (0..3 * IN_PLACE).rev() {
            assert_eq!(stack.pop(), Some(i));
        }
        assert_eq!(stack.pop(), None);
        assert_eq!(stack.len(), 0);
        // Refilled after draining, the in-place part is used again.
        stack.push(7);
        assert!(stack.spilled.is_empty());
        assert_eq!(stack.pop(), Some(7));
    }
}
