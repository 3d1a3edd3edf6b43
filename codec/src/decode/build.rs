//! Building a tree of values from a [`Reader`]'s events, with an explicit stack.

use super::{Event, Reader};
use crate::error::Error;

/// Makes the nodes of one kind of value tree from events.
pub(crate) trait Builder<'de> {
    type Node;
    /// A node for a leaf event (never `TupleStart` or `TupleEnd`).
    fn leaf(&mut self, event: Event<'de>) -> Self::Node;
    /// A tuple node holding `items`.
    fn tuple(&mut self, items: Vec<Self::Node>) -> Self::Node;
}

/// An open tuple being filled.
struct Frame<N> {
    items: Vec<N>,
    /// How many items' room was reserved for this tuple up front.
    reserved: usize,
}

/// Reads one value from `reader` (which must be at the start of a value) and builds it.
///
/// Each tuple's items are gathered in a `Vec` reserved at the tuple's announced count, as long
/// as the room reserved for all open tuples together stays within the input's length: one
/// count alone is bounded by the input (spec §6 step 6), but nested counts are not bounded
/// jointly, and reserving for each in full would let `N` octets reserve O(`N` × depth). Past
/// that budget a tuple's `Vec` grows as its items arrive, which they do only as octets are
/// read, so memory stays O(`N`) (spec §8).
pub(crate) fn build<'de, B: Builder<'de>>(
    reader: &mut Reader<'de>,
    builder: &mut B,
) -> Result<B::Node, Error> {
    let budget = reader.input().len();
    let mut reserved = 0usize;
    let mut stack: Vec<Frame<B::Node>> = Vec::new();
    loop {
        let Some(event) = reader.next_event()? else {
            unreachable!("the reader ends a value only after its last TupleEnd or its leaf")
        };
        let node = match event {
            Event::TupleStart(n) => {
                let reserve = if n <= budget - reserved { n } else { 0 };
                reserved += reserve;
                stack.push(Frame {
                    items: Vec::with_capacity(reserve),
                    reserved: reserve,
                });
                continue;
            }
            Event::TupleEnd => {
                let Some(frame) = stack.pop() else {
                    unreachable!("TupleEnd without TupleStart")
                };
                reserved -= frame.reserved;
                builder.tuple(frame.items)
            }
            leaf => builder.leaf(leaf),
        };
        match stack.last_mut() {
            Some(parent) => parent.items.push(node),
            None => return Ok(node),
        }
    }
}
