//! Medians of interleaved rounds: each round runs every contender once, in turn, so that a
//! slow moment of the shared machine slows all of them alike; the ratios printed after
//! criterion's report come from these medians.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs each contender once per round for `runs` rounds; the median seconds of each.
pub fn medians(runs: usize, contenders: &mut [&mut dyn FnMut() -> usize]) -> Vec<f64> {
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); contenders.len()];
    for _ in 0..runs {
        for (run, samples) in contenders.iter_mut().zip(&mut samples) {
            let started = Instant::now();
            black_box(run());
            samples.push(started.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2].as_secs_f64()
        })
        .collect()
}
