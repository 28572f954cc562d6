//! Decodes the benchmark document in a loop, for profilers (`perf record`).
//!
//! `cargo run --release -p openspp-xmlrpc --example decode_loop [typed|value] [iterations]`

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "typed".into());
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let body = support::search_read_response(10_000);
    let mut total = 0;
    for _ in 0..iterations {
        total += match mode.as_str() {
            "value" => {
                let v: openspp_xmlrpc::Value =
                    openspp_xmlrpc::from_response(&body).unwrap().unwrap();
                v.as_array().map_or(0, <[_]>::len)
            }
            _ => {
                let rows: Vec<support::Partner> =
                    openspp_xmlrpc::from_response(&body).unwrap().unwrap();
                rows.len()
            }
        };
    }
    println!("{total} records decoded");
}
