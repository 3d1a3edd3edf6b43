//! Shared by the integration tests that measure memory (`memory.rs`, `resource_bounds.rs`):
//! a counting global allocator. A test binary installs it with
//! `#[global_allocator] static ALLOCATOR: common::Counting = common::Counting;`.
//!
//! Only the thread inside [`peak_during`] is counted: the test harness runs tests on several
//! threads and allocates for them itself (names, output capture), and those allocations
//! landing inside another test's measurement made the bounds flaky.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the measuring thread's bytes in use and their peak.
pub struct Counting;

thread_local! {
    // Const-initialised cells need no allocation, so the allocator may touch them.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc(layout);
        if !ptr.is_null() && MEASURING.get() {
            let now = IN_USE.get() + layout.size() as isize;
            IN_USE.set(now);
            PEAK.set(PEAK.get().max(now));
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        if MEASURING.get() {
            IN_USE.set(IN_USE.get() - layout.size() as isize);
        }
    }
}

/// The peak of bytes this thread allocated while `f` runs, above what was in use before, and
/// f's result.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (usize, R) {
    IN_USE.set(0);
    PEAK.set(0);
    MEASURING.set(true);
    let result = f();
    MEASURING.set(false);
    (PEAK.get() as usize, result)
}
