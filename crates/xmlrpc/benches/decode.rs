//! Decoding a ~14 MB Odoo-style `search_read` response (10 000 partners): straight into typed
//! records, into `Value`, quick-xml's bare event scan of the same bytes (the floor a generic
//! XML tokenizer sets), and serde_xmlrpc 0.3 into its `Value`. Criterion measures each; then a
//! ratio table, from medians measured in this same run, is printed.
//!
//! `cargo bench -p openspp-xmlrpc --bench decode`

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use openspp_xmlrpc::Value;
use support::Partner;

fn typed(body: &[u8]) -> usize {
    let rows: Vec<Partner> = openspp_xmlrpc::from_response(body).unwrap().unwrap();
    rows.len()
}

fn value(body: &[u8]) -> usize {
    let v: Value = openspp_xmlrpc::from_response(body).unwrap().unwrap();
    v.as_array().map_or(0, <[Value]>::len)
}

fn quick_xml_scan(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
            Err(e) => panic!("quick-xml: {e}"),
        }
    }
}

fn serde_xmlrpc(body: &str) -> usize {
    match serde_xmlrpc::response_from_str::<serde_xmlrpc::Value>(body).unwrap() {
        serde_xmlrpc::Value::Array(a) => a.len(),
        _ => 0,
    }
}

fn median(f: &mut dyn FnMut() -> usize, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let body = support::search_read_response(10_000);
    let text = std::str::from_utf8(&body).unwrap().to_owned();
    assert_eq!(typed(&body), 10_000);
    assert_eq!(value(&body), 10_000);
    assert_eq!(serde_xmlrpc(&text), 10_000);
    println!(
        "search_read response: {} records, {:.1} MB",
        10_000,
        body.len() as f64 / 1e6
    );

    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    {
        let mut g = c.benchmark_group("search_read_10k");
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("typed", |b| b.iter(|| typed(black_box(&body))));
        g.bench_function("value", |b| b.iter(|| value(black_box(&body))));
        g.bench_function("quick_xml_scan", |b| {
            b.iter(|| quick_xml_scan(black_box(&body)))
        });
        g.bench_function("serde_xmlrpc", |b| {
            b.iter(|| serde_xmlrpc(black_box(&text)))
        });
        g.finish();
    }
    c.final_summary();

    // Ratio table: medians of interleaved rounds, so that load from other processes hits all
    // contenders alike.
    let runs = 15;
    let mut samples: [Vec<Duration>; 4] = Default::default();
    for _ in 0..runs {
        samples[0].push(median(&mut || typed(&body), 1));
        samples[1].push(median(&mut || value(&body), 1));
        samples[2].push(median(&mut || quick_xml_scan(&body), 1));
        samples[3].push(median(&mut || serde_xmlrpc(&text), 1));
    }
    let med: Vec<f64> = samples
        .iter_mut()
        .map(|s| {
            s.sort();
            s[runs / 2].as_secs_f64()
        })
        .collect();
    let mb = body.len() as f64 / 1e6;
    println!("\nmedian of {runs} interleaved runs ({mb:.1} MB):");
    for (name, t) in [
        "typed (openspp-xmlrpc)",
        "Value (openspp-xmlrpc)",
        "quick-xml bare event scan",
        "serde_xmlrpc 0.3 Value",
    ]
    .iter()
    .zip(&med)
    {
        println!("  {name:<28} {:>8.1} ms  {:>7.0} MB/s", t * 1e3, mb / t);
    }
    println!(
        "  typed vs quick-xml scan:     {:.2}x the speed (target >= 1.0, never < 0.7)",
        med[2] / med[0]
    );
    println!(
        "  typed vs serde_xmlrpc:       {:.2}x the speed (target >= 2.0)",
        med[3] / med[0]
    );
    println!(
        "  Value vs serde_xmlrpc:       {:.2}x the speed",
        med[3] / med[1]
    );
}
