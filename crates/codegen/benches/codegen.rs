//! Codegen of the whole reference set (573 models, ~10 000 fields); target < 1 s.
//!
//! Prints the full generation time against a baseline measured in the same run: loading
//! the schemas from disk (the part of `cargo xtask codegen` that is not generation).

use criterion::{Criterion, criterion_group, criterion_main};
use openspp_codegen::{GenerationSettings, Generator};
use openspp_schema::SchemaSet;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn schemas_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn bench(c: &mut Criterion) {
    let set = SchemaSet::load(schemas_dir()).expect("the checked-in schemas load");
    let generator = Generator::new(GenerationSettings::default());

    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.bench_function("load schemas (baseline)", |b| {
        b.iter(|| SchemaSet::load(black_box(schemas_dir())).expect("loads"))
    });
    group.bench_function("generate whole set", |b| {
        b.iter(|| generator.generate(black_box(&set)).expect("generates"))
    });
    group.bench_function("resolve only", |b| {
        b.iter(|| openspp_codegen::resolve::resolve(black_box(&set), &[]))
    });
    group.finish();

    // One timed pass of each for the ratio line (criterion's own report has the detail).
    let runs = 5;
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..runs {
            f();
        }
        start.elapsed().as_secs_f64() / f64::from(runs)
    };
    let load = time(&|| {
        black_box(SchemaSet::load(schemas_dir()).expect("loads"));
    });
    let generate = time(&|| {
        black_box(generator.generate(&set).expect("generates"));
    });
    let files = generator.generate(&set).expect("generates");
    let bytes: usize = files.values().map(String::len).sum();
    println!(
        "codegen: whole set {:.0} ms ({} files, {:.1} MB) = {:.2}x loading the schemas ({:.0} ms); target < 1000 ms",
        generate * 1e3,
        files.len(),
        bytes as f64 / 1e6,
        generate / load,
        load * 1e3,
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
