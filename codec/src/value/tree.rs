//! [`ValueTree`]: the one view of a value that the encoder, comparisons, hashing and
//! formatting walk, so that [`Value`](crate::Value) and [`SharedValue`](crate::SharedValue)
//! (and any tree a user defines) share a single implementation of each.

use super::{BigInt, SurrogateStr};

/// One node of a value tree, borrowed: a leaf, or a tuple's items.
///
/// Leaves are borrowed forms of the value kinds of spec §1; `Tuple` holds the items, still
/// in the tree's own node type so walks can continue into them.
///
/// ```
/// use frozenpack::{Value, ValueRef, ValueTree};
/// let value = Value::from(vec![Value::from(1), Value::from("a")]);
/// match value.as_value_ref() {
///     ValueRef::Tuple(items) => assert_eq!(items.len(), 2),
///     _ => unreachable!(),
/// }
/// ```
#[derive(Debug)]
pub enum ValueRef<'v, T> {
    /// `None`.
    None,
    /// A bool.
    Bool(bool),
    /// An int in the `i64` range.
    Int(i64),
    /// An int of any size, as its shortest two's complement.
    BigInt(BigInt<&'v [u8]>),
    /// A float.
    Float(f64),
    /// A str without surrogates.
    Str(&'v str),
    /// A str with at least one surrogate.
    SurrogateStr(SurrogateStr<&'v [u8]>),
    /// Bytes.
    Bytes(&'v [u8]),
    /// A tuple's items.
    Tuple(&'v [T]),
}

// Manual impls: a derive would require `T: Clone`/`T: Copy`, which a borrowed view does not
// need.
impl<T> Clone for ValueRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ValueRef<'_, T> {}

/// A tree of frozenpack values that can be viewed node by node.
///
/// Implemented by [`Value`](crate::Value) and [`SharedValue`](crate::SharedValue). Every
/// algorithm over a `ValueTree` in this crate (encoding, [`encoded_len`](crate::encoded_len),
/// equality, ordering, hashing, `Display`) walks it with an explicit stack, so trees of any
/// depth are safe. A user type implementing it can be encoded directly.
///
/// ```
/// use frozenpack::{ValueRef, ValueTree};
///
/// /// A tree of ints only.
/// enum Ints { Leaf(i64), Node(Vec<Ints>) }
///
/// impl ValueTree for Ints {
///     fn as_value_ref(&self) -> ValueRef<'_, Self> {
///         match self {
///             Ints::Leaf(v) => ValueRef::Int(*v),
///             Ints::Node(items) => ValueRef::Tuple(items),
///         }
///     }
/// }
///
/// let tree = Ints::Node(vec![Ints::Leaf(1), Ints::Node(vec![])]);
/// assert_eq!(frozenpack::encode_value(&tree), b"\xb2\x01\xb0");
/// ```
pub trait ValueTree: Sized {
    /// This node, borrowed.
    fn as_value_ref(&self) -> ValueRef<'_, Self>;
}

/// The kinds in the value order of spec §1, for comparing and hashing across kinds.
pub(crate) fn kind_rank<T>(node: &ValueRef<'_, T>) -> u8 {
    match node {
        ValueRef::None => 0,
        ValueRef::Bool(_) => 1,
        ValueRef::Int(_) | ValueRef::BigInt(_) => 2,
        ValueRef::Float(_) => 3,
        ValueRef::Str(_) | ValueRef::SurrogateStr(_) => 4,
        ValueRef::Bytes(_) => 5,
        ValueRef::Tuple(_) => 6,
    }
}
