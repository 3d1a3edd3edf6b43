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
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                slot.write(value);
            }
            None => self.spill.push(value),
        }
        self.len += 1;
    }

    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        match self.inline.get(self.len) {
            // SAFETY: slots below the old length are initialised.
            Some(slot) => Some(unsafe { slot.assume_init() }),
            None => self.spill.pop(),
        }
    }

    /// The number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The entry at `index` (0 is the bottom).
    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        match self.inline.get(index) {
            // SAFETY: slots below the length are initialised.
            Some(slot) => Some(unsafe { slot.assume_init_ref() }),
            None => self.spill.get(index - N),
        }
    }

    /// The entries, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.inline
            .iter()
            .take(self.len)
            // SAFETY: these slots are below the length, so initialised.
            .map(|slot| unsafe { slot.assume_init_ref() })
            .chain(self.spill.iter())
    }
}
