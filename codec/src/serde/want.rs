//! Sinks for serde's typed calls: the grammar hands the one kind a `deserialize_<type>` call
//! asked for straight to it, and any other item as its [`Event`], for the mismatch message.
//! (Matching a full `Event` after the grammar made one cost a second dispatch per item.)
//!
//! Each sink also names the tags of the items it is usually given ([`Want::is_hot`]): the
//! typed call reads those inline and any other item through an out-of-line copy of itself
//! (`Deserializer::typed`). Hot are the short forms, one range each: the prefixed forms
//! carry at least 16 items or octets, next to which the call is small, and a second range
//! in the test cost more per item than it saved (measured on the typed rows).

use crate::decode::{Event, Sink};
use crate::tag;

/// A sink for one kind of item.
pub(crate) trait Want<'de>: Sink<'de> {
    /// Whether `t` is the tag of an item of the kind wanted in a form common enough to be
    /// worth reading inline. Only a matter of speed: whatever it says, the item is read by
    /// the same grammar.
    fn is_hot(t: u8) -> bool;
}

/// Defines a sink whose `Out` is `Result<$ty, Event>`: `Ok` from `$method`, `Err(event)` from
/// every other kind.
macro_rules! want {
    ($(#[$doc:meta])* $name:ident: $ty:ty, $method:ident($($arg:ident: $argty:ty),*) => $ok:expr,
     hot($t:ident) => $hot:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl<'de> Sink<'de> for $name {
            type Out = Result<$ty, Event<'de>>;
            #[inline(always)]
            fn event(&mut self, event: Event<'de>) -> Self::Out {
                Err(event)
            }
            #[inline(always)]
            fn $method(&mut self, $($arg: $argty),*) -> Self::Out {
                Ok($ok)
            }
        }

        impl<'de> Want<'de> for $name {
            #[inline(always)]
            fn is_hot($t: u8) -> bool {
                $hot
            }
        }
    };
}

want!(
    /// An int in the `i64` range.
    WantInt: i64, int(v: i64) => v,
    // Not NEGFIXINT (−16 … −1), which is read out of line: with it in this test the typed
    // rows took 287–291 instructions per row instead of 278, for every int.
    hot(t) => matches!(t, 0x00..=tag::FIXINT_LAST | tag::INT1..=tag::INT8)
);
want!(
    /// A float.
    WantFloat: f64, float(x: f64) => x,
    hot(t) => t == tag::FLOAT
);
want!(
    /// A str without surrogates.
    WantStr: &'de str, str(s: &'de str) => s,
    hot(t) => matches!(t, tag::FIXSTR..=tag::FIXSTR_LAST)
);
want!(
    /// A bool.
    WantBool: bool, bool(b: bool) => b,
    hot(t) => matches!(t, tag::FALSE | tag::TRUE)
);
want!(
    /// Bytes.
    WantBytes: &'de [u8], bytes(b: &'de [u8]) => b,
    hot(t) => matches!(t, tag::FIXBYTES..=tag::FIXBYTES_LAST)
);
want!(
    /// A tuple's start: its item count.
    WantTuple: usize, tuple(n: usize) => n,
    hot(t) => matches!(t, tag::FIXTUPLE..=tag::FIXTUPLE_LAST)
);
