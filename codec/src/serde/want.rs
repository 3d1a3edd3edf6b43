//! Sinks for serde's typed calls: the grammar hands the one kind a `deserialize_<type>` call
//! asked for straight to it, and any other item as its [`Event`], for the mismatch message.
//! (Matching a full `Event` after the grammar made one cost a second dispatch per item.)

use crate::decode::{Event, Sink};

/// Defines a sink whose `Out` is `Result<$ty, Event>`: `Ok` from `$method`, `Err(event)` from
/// every other kind.
macro_rules! want {
    ($(#[$doc:meta])* $name:ident: $ty:ty, $method:ident($($arg:ident: $argty:ty),*) => $ok:expr) => {
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
    };
}

want!(
    /// An int in the `i64` range.
    WantInt: i64, int(v: i64) => v
);
want!(
    /// A float.
    WantFloat: f64, float(x: f64) => x
);
want!(
    /// A str without surrogates.
    WantStr: &'de str, str(s: &'de str) => s
);
want!(
    /// A bool.
    WantBool: bool, bool(b: bool) => b
);
want!(
    /// Bytes.
    WantBytes: &'de [u8], bytes(b: &'de [u8]) => b
);
want!(
    /// A tuple's start: its item count.
    WantTuple: usize, tuple(n: usize) => n
);
