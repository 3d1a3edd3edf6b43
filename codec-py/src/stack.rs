//! A stack that keeps its first `N` entries inline: the open tuples of a decode or an encode.
//!
//! Most values nest only a few levels, so their whole stack lives in the caller's frame and a
//! call to `dumps`/`loads` on a small value allocates nothing for it (and initialises nothing:
//! the inline slots are written only when pushed); deeper values spill to the heap, one entry
//! per level, without limit.

use std::mem::MaybeUninit;

pub struct Stack<T: Copy, const N: usize> {
    /// Slots `..len.min(N)` are initialised.
    inline: [MaybeUninit<T>; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy, const N: usize> Stack<T, N> {
    #[inline]
    pub fn new() -> Self {
        Stack {
            inline: [const { MaybeUninit::uninit() }; N],
            len: 0,
            spill: Vec::new(),
        }
    }

    #[inline]
    pub fn push(&mut self, value: T) {
        if self.len < N {
            self.inline[self.len].write(value);
        } else {
            self.spill.push(value);
        }
        self.len += 1;
    }

    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        if self.len < N {
            // SAFETY: slots below the old length are initialised.
            Some(unsafe { self.inline[self.len].assume_init() })
        } else {
            self.spill.pop()
        }
    }

    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        match self.len {
            0 => None,
            // SAFETY: slot n - 1 < len is initialised.
            n if n <= N => Some(unsafe { self.inline[n - 1].assume_init_mut() }),
            _ => self.spill.last_mut(),
        }
    }

    /// The entries, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.inline[..self.len.min(N)]
            .iter()
            // SAFETY: these slots are below the length, so initialised.
            .map(|slot| unsafe { slot.assume_init_ref() })
            .chain(self.spill.iter())
    }
}
