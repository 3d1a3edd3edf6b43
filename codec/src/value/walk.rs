//! Equality, order, hashing and depth of [`ValueTree`]s, each with an explicit stack.

use core::cmp::Ordering;
use core::hash::{Hash, Hasher};
use core::slice;

use super::tree::{kind_rank, ValueRef, ValueTree};
use crate::int;

/// The value order of spec §1 (which is consistent with its equality): by kind, then false <
/// true, ints numerically, floats by IEEE 754 `totalOrder`, str by code points, bytes by
/// octets, tuples by items, each lexicographically.
pub(crate) fn compare<A: ValueTree, B: ValueTree>(a: &A, b: &B) -> Ordering {
    let mut stack: Vec<(slice::Iter<'_, A>, slice::Iter<'_, B>)> = Vec::new();
    let first = compare_node(a, b, &mut stack);
    if first != Ordering::Equal {
        return first;
    }
    while let Some((left, right)) = stack.last_mut() {
        let ordering = match (left.next(), right.next()) {
            (Some(x), Some(y)) => compare_node(x, y, &mut stack),
            (None, None) => {
                stack.pop();
                Ordering::Equal
            }
            // A proper prefix sorts first.
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// Compares two nodes; for two tuples, pushes their items to be compared next and reports
/// `Equal` so far.
fn compare_node<'v, A: ValueTree, B: ValueTree>(
    a: &'v A,
    b: &'v B,
    stack: &mut Vec<(slice::Iter<'v, A>, slice::Iter<'v, B>)>,
) -> Ordering {
    let (a, b) = (a.as_value_ref(), b.as_value_ref());
    let by_kind = kind_rank(&a).cmp(&kind_rank(&b));
    if by_kind != Ordering::Equal {
        return by_kind;
    }
    match (a, b) {
        (ValueRef::Bool(x), ValueRef::Bool(y)) => x.cmp(&y),
        (ValueRef::Int(x), ValueRef::Int(y)) => x.cmp(&y),
        (ValueRef::Float(x), ValueRef::Float(y)) => x.total_cmp(&y),
        (ValueRef::Bytes(x), ValueRef::Bytes(y)) => x.cmp(y),
        (ValueRef::Tuple(x), ValueRef::Tuple(y)) => {
            stack.push((x.iter(), y.iter()));
            Ordering::Equal
        }
        // Mixed int forms (an `Int` and a `BigInt` built in code) compare by value, and the
        // two str forms by their octets, which sort as their code points do.
        (x, y) => match (int_octets(&x), int_octets(&y)) {
            (Some((xa, xn)), Some((ya, yn))) => {
                int::cmp_minimal(&xa.as_ref()[..xn], &ya.as_ref()[..yn])
            }
            _ => str_octets(&x).cmp(str_octets(&y)),
        },
    }
}

/// The shortest two's complement of an int node: `(octets, length)`.
fn int_octets<'v, T>(node: &ValueRef<'v, T>) -> Option<(IntOctets<'v>, usize)> {
    match node {
        ValueRef::Int(v) => {
            let (buf, len) = int::i64_minimal_le(*v);
            Some((IntOctets::Small(buf), len))
        }
        ValueRef::BigInt(big) => {
            let octets: &'v [u8] = big.into_inner();
            Some((IntOctets::Big(octets), octets.len()))
        }
        _ => None,
    }
}

/// Octets of an int, inline for an `i64`.
enum IntOctets<'v> {
    Small([u8; 8]),
    Big(&'v [u8]),
}

impl AsRef<[u8]> for IntOctets<'_> {
    fn as_ref(&self) -> &[u8] {
        match self {
            IntOctets::Small(buf) => buf,
            IntOctets::Big(octets) => octets,
        }
    }
}

/// The (generalized) UTF-8 of a str node; empty for other nodes, which never reach here
/// with a str on the other side.
fn str_octets<'v, T>(node: &ValueRef<'v, T>) -> &'v [u8] {
    match node {
        ValueRef::Str(s) => s.as_bytes(),
        ValueRef::SurrogateStr(s) => s.into_inner(),
        _ => &[],
    }
}

/// Feeds `root` to `state` so that equal values (in the sense of [`compare`]) hash equally,
/// whatever their tree type or int form.
pub(crate) fn hash<T: ValueTree, H: Hasher>(root: &T, state: &mut H) {
    let mut stack: Vec<slice::Iter<'_, T>> = Vec::new();
    hash_node(root, state, &mut stack);
    while let Some(items) = stack.last_mut() {
        match items.next() {
            Some(item) => hash_node(item, state, &mut stack),
            None => {
                stack.pop();
            }
        }
    }
}

fn hash_node<'v, T: ValueTree, H: Hasher>(
    node: &'v T,
    state: &mut H,
    stack: &mut Vec<slice::Iter<'v, T>>,
) {
    let node = node.as_value_ref();
    state.write_u8(kind_rank(&node));
    match node {
        ValueRef::None => {}
        ValueRef::Bool(b) => b.hash(state),
        ValueRef::Float(x) => x.to_bits().hash(state),
        ValueRef::Bytes(b) => b.hash(state),
        ValueRef::Tuple(items) => {
            // The length first, so that a tuple's items cannot be mistaken for its
            // siblings' (pre-order with lengths is unambiguous).
            items.len().hash(state);
            stack.push(items.iter());
        }
        ValueRef::Str(_) | ValueRef::SurrogateStr(_) => str_octets(&node).hash(state),
        ValueRef::Int(_) | ValueRef::BigInt(_) => {
            if let Some((octets, len)) = int_octets(&node) {
                octets.as_ref()[..len].hash(state);
            }
        }
    }
}

/// The depth of spec §1: 0 for every kind but tuple, 1 + the deepest item for a tuple.
pub(crate) fn depth<T: ValueTree>(root: &T) -> usize {
    let ValueRef::Tuple(items) = root.as_value_ref() else {
        return 0;
    };
    let mut deepest = 1;
    let mut stack: Vec<slice::Iter<'_, T>> = vec![items.iter()];
    while let Some(items) = stack.last_mut() {
        match items.next() {
            Some(item) => {
                if let ValueRef::Tuple(inner) = item.as_value_ref() {
                    stack.push(inner.iter());
                    deepest = deepest.max(stack.len());
                }
            }
            None => {
                stack.pop();
            }
        }
    }
    deepest
}
