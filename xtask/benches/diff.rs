//! `cargo xtask diff` of the two real dumps (`../shared/odoo17/live-dump`, 573 models, against
//! `../shared/odoo19/live-dump`, 433 models) as a process, Markdown report included, against
//! loading the two schema sets in this process, the floor any diff of them pays. Target: the
//! whole diff well under a second.
//!
//! `cargo bench -p xtask --bench diff`

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use openspp_schema::SchemaSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn dumps() -> [PathBuf; 2] {
    let shared = support::replay::captures();
    [shared.join("live-dump"), shared.join("../odoo19/live-dump")]
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn diff(c: &mut Criterion) {
    let [from, to] = dumps();
    let mut samples: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    let mut group = c.benchmark_group("diff_odoo17_odoo19");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(2));
    group.bench_function("load_both_sets", |b| {
        b.iter_custom(|iterations| {
            (0..iterations)
                .map(|_| {
                    let started = Instant::now();
                    let sets = [
                        SchemaSet::load(&from).unwrap(),
                        SchemaSet::load(&to).unwrap(),
                    ];
                    let elapsed = started.elapsed();
                    assert_eq!(sets.map(|s| s.models.len()), [573, 433]);
                    samples[0].push(elapsed);
                    elapsed
                })
                .sum()
        })
    });
    group.bench_function("xtask_diff", |b| {
        b.iter_custom(|iterations| {
            (0..iterations)
                .map(|_| {
                    let started = Instant::now();
                    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
                        .args(["diff", "--from"])
                        .arg(&from)
                        .arg("--to")
                        .arg(&to)
                        .output()
                        .unwrap();
                    let elapsed = started.elapsed();
                    assert!(output.status.success(), "{}", support::text(&output).1);
                    samples[1].push(elapsed);
                    elapsed
                })
                .sum()
        })
    });
    group.finish();
    let (load, whole) = (median(samples[0].clone()), median(samples[1].clone()));
    println!(
        "diff of Odoo 17 (573 models) and 19 (433 models): {:.0} ms, {:.2}x the {:.0} ms of loading both sets (target: well under 1 s)",
        whole.as_secs_f64() * 1e3,
        whole.as_secs_f64() / load.as_secs_f64(),
        load.as_secs_f64() * 1e3
    );
}

criterion_group!(benches, diff);
criterion_main!(benches);
