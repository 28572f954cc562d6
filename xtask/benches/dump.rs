//! `cargo xtask dump` of all 573 models against the replay server with 20 ms added to every
//! call (what one `fields_get` costs on the real server): `--concurrency 8` against
//! `--concurrency 1`, measured in the same run. Target: at least 6x.
//!
//! `cargo bench -p xtask --bench dump`

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::{Duration, Instant};
use support::replay::{Options, Replay};

/// One dump; its wall time and the first line of its summary (with the server/writing split).
fn dump_once(server: &Replay, concurrency: &str) -> (Duration, String) {
    let tmp = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = support::dump(
        server,
        &tmp.path().join("schemas"),
        &["--concurrency", concurrency],
    );
    let elapsed = started.elapsed();
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    (
        elapsed,
        stdout.lines().next().unwrap_or_default().to_owned(),
    )
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn concurrency(c: &mut Criterion) {
    let server = Replay::start(Options {
        delay: Duration::from_millis(20),
        ..Options::default()
    });
    let mut samples: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut summaries = [String::new(), String::new()];
    let mut group = c.benchmark_group("dump_573_models_20ms_per_call");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(1));
    for (slot, level) in [(0, "1"), (1, "8")] {
        group.bench_function(format!("concurrency_{level}"), |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| {
                        let (elapsed, summary) = dump_once(&server, level);
                        samples[slot].push(elapsed);
                        summaries[slot] = summary;
                        elapsed
                    })
                    .sum()
            })
        });
    }
    group.finish();
    let (one, eight) = (median(samples[0].clone()), median(samples[1].clone()));
    println!("last run at concurrency 1: {}", summaries[0]);
    println!("last run at concurrency 8: {}", summaries[1]);
    println!(
        "dump of 573 models, 20 ms per call: concurrency 1 {:.2}s, concurrency 8 {:.2}s, ratio {:.2}x (target >= 6x)",
        one.as_secs_f64(),
        eight.as_secs_f64(),
        one.as_secs_f64() / eight.as_secs_f64()
    );
}

criterion_group!(benches, concurrency);
criterion_main!(benches);
