//! Peak heap while decoding a 100 000-record (~140 MB) `search_read` response, against the
//! heap the decoded output itself occupies. A counting global allocator sees every byte.
//!
//! `cargo run --release -p openspp-xmlrpc --example peak_memory [records]`

#[path = "../benches/support/mod.rs"]
mod support;

use openspp_xmlrpc::Value;
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// Decodes with `decode`, returning (peak above the baseline, live output size).
fn measure<T>(name: &str, decode: impl FnOnce() -> T) {
    let base = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let out = decode();
    let peak = ALLOC.peak_usage().saturating_sub(base);
    let live = ALLOC.current_usage().saturating_sub(base);
    println!(
        "  {name:<8} peak {:>7.1} MB   decoded output {:>7.1} MB   peak/output {:.2}",
        mb(peak),
        mb(live),
        peak as f64 / live.max(1) as f64
    );
    drop(out);
}

fn main() {
    let records: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let body = support::search_read_response(records);
    println!(
        "{records} records, document {:.1} MB (held by the caller, not counted below)",
        mb(body.len())
    );
    measure("typed", || {
        let rows: Vec<support::Partner> = openspp_xmlrpc::from_response(&body).unwrap().unwrap();
        rows
    });
    measure("Value", || {
        let v: Value = openspp_xmlrpc::from_response(&body).unwrap().unwrap();
        v
    });
}
