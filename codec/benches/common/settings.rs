//! Criterion settings: the whole `cargo bench -p frozenpack` must stay within minutes on a
//! 2-core machine, so warm-up and measurement are short, and the payloads whose one
//! iteration takes milliseconds get fewer samples (criterion's linear sampling runs
//! 1 + 2 + … + n iterations for n samples).

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion};

/// The defaults for every group.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(50)
        .noise_threshold(0.03)
}

/// Fewer samples and more time for payloads that take milliseconds per iteration.
pub fn heavy(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .measurement_time(Duration::from_millis(2500));
}
