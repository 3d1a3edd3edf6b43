//! Dropping, cloning and converting value trees without recursion.
//!
//! The derived `Drop` and `Clone` of a `Vec` of nested values recurse once per level: a
//! tuple nested 100 000 deep (which a decoder with that limit accepts) would overflow the
//! native stack. The tuple types of [`Value`](crate::Value) and
//! [`SharedValue`](crate::SharedValue) implement both with the explicit stacks below.

use core::mem;

/// A node type whose tuples own a `Vec` of nodes.
pub(crate) trait Nested: Sized {
    /// The items, if this node is a tuple.
    fn items(&self) -> Option<&[Self]>;
    /// The items, if this node is a tuple, to take them out.
    fn items_mut(&mut self) -> Option<&mut Vec<Self>>;
    /// A tuple node of `items`.
    fn from_items(items: Vec<Self>) -> Self;
    /// A copy of a node that is not a non-empty tuple (so copying it does not recurse).
    fn clone_shallow(&self) -> Self;
    /// Whether dropping this node frees nothing and runs no code: a scalar, a borrowed
    /// payload, a tuple without an allocation. `false` is always a correct answer.
    fn owns_nothing(&self) -> bool;
    /// A node that owns nothing, to leave in the place of one taken out to be dropped.
    fn placeholder() -> Self;
}

/// Whether `node` is a tuple with at least one item.
fn is_nonempty_tuple<T: Nested>(node: &T) -> bool {
    node.items().is_some_and(|items| !items.is_empty())
}

/// Empties `items` so that dropping them afterwards never nests deeper than two levels:
/// every tuple's items nested deeper are moved onto a heap work list and dropped level by
/// level.
///
/// The common cases cost a scan or two and no work list: items that all own nothing (ints,
/// floats, borrowed strs…) are let go at once (see [`release`]); items that are leaves, or
/// tuples of leaves, are dropped the ordinary way, which recurses two levels at most.
pub(crate) fn drop_items<T: Nested>(items: &mut Vec<T>) {
    let Some(first_owner) = items.iter().position(|item| !item.owns_nothing()) else {
        release(mem::take(items));
        return;
    };
    let mut nested = items
        .iter()
        .skip(first_owner)
        .filter_map(Nested::items)
        .peekable();
    if nested.peek().is_none() {
        // Leaves only: drop those that own something, one by one, and let the rest go
        // without a call each (rows of scalars and one str or bytes handle, typically).
        for item in items.iter_mut().skip(first_owner) {
            if !item.owns_nothing() {
                drop(mem::replace(item, T::placeholder()));
            }
        }
        release(mem::take(items));
        return;
    }
    // Tuples whose items hold no non-empty tuple: the ordinary drop recurses two levels at
    // most (each tuple's own drop comes back here and finds only leaves), and needs no work
    // list (rows, records: a tuple of tuples of leaves).
    if !nested.any(|inner| inner.iter().any(is_nonempty_tuple)) {
        return;
    }
    let mut pending: Vec<Vec<T>> = vec![mem::take(items)];
    while let Some(mut batch) = pending.pop() {
        let mut owns_nothing = true;
        for item in &mut batch {
            if let Some(inner) = item.items_mut() {
                if !inner.is_empty() {
                    pending.push(mem::take(inner));
                }
            }
            // A tuple emptied just now owns nothing any more.
            owns_nothing &= item.owns_nothing();
        }
        if owns_nothing {
            // The usual case in a deep tree: one tuple per level, nothing else.
            release(batch);
        }
        // Otherwise `batch` drops here; its tuples are empty now, so their own drops return
        // at once.
    }
}

/// Drops `items`, every one of which owns nothing, without running the drop glue of each
/// (a call per item that measured a quarter of decoding a tuple of 100,000 ints): forgetting
/// a value that owns nothing is exactly dropping it, and the buffer itself is freed when the
/// emptied iterator drops.
fn release<T>(items: Vec<T>) {
    items.into_iter().for_each(mem::forget);
}

/// A deep copy of `items`, built with an explicit stack.
pub(crate) fn clone_items<T: Nested>(items: &[T]) -> Vec<T> {
    let mut stack: Vec<(core::slice::Iter<'_, T>, Vec<T>)> =
        vec![(items.iter(), Vec::with_capacity(items.len()))];
    loop {
        let Some((source, copy)) = stack.last_mut() else {
            unreachable!("the root frame returns")
        };
        match source.next() {
            Some(item) => match item.items() {
                Some(inner) if !inner.is_empty() => {
                    stack.push((inner.iter(), Vec::with_capacity(inner.len())))
                }
                _ => copy.push(item.clone_shallow()),
            },
            None => {
                let Some((_, done)) = stack.pop() else {
                    unreachable!()
                };
                match stack.last_mut() {
                    Some((_, parent)) => parent.push(T::from_items(done)),
                    None => return done,
                }
            }
        }
    }
}

/// Converts a tree node by node with an explicit stack, consuming it: `leaf` converts every
/// node that is not a tuple, `tuple` wraps converted items.
pub(crate) fn map_tree<S: Nested, T>(
    root: S,
    mut leaf: impl FnMut(S) -> T,
    mut tuple: impl FnMut(Vec<T>) -> T,
) -> T {
    let mut root = root;
    let Some(items) = root.items_mut() else {
        return leaf(root);
    };
    let items = mem::take(items);
    let len = items.len();
    let mut stack: Vec<(std::vec::IntoIter<S>, Vec<T>)> =
        vec![(items.into_iter(), Vec::with_capacity(len))];
    loop {
        let Some((source, converted)) = stack.last_mut() else {
            unreachable!("the root frame returns")
        };
        match source.next() {
            Some(mut item) => match item.items_mut() {
                Some(inner) => {
                    let inner = mem::take(inner);
                    let len = inner.len();
                    stack.push((inner.into_iter(), Vec::with_capacity(len)));
                }
                None => converted.push(leaf(item)),
            },
            None => {
                let Some((_, done)) = stack.pop() else {
                    unreachable!()
                };
                let node = tuple(done);
                match stack.last_mut() {
                    Some((_, parent)) => parent.push(node),
                    None => return node,
                }
            }
        }
    }
}
