//! Calls per second against the dev server from a second process: `search_read` of 80
//! partners and `create` of one, over XML-RPC and over JSON-2, at 1 and 16 concurrent clients,
//! next to `common.version` (the cheapest call: HTTP + XML-RPC round trip only) measured in
//! the same run as the baseline.
//!
//! Run with `cargo bench -p openspp-devserver --bench throughput`. The bench binary starts itself
//! again as the server (in a child process, in-memory database with the demo seed, presenting
//! itself as Odoo 19 so that it speaks both protocols) and drives it over HTTP on 127.0.0.1.
//! `THROUGHPUT_SECONDS` sets the time per measurement (default 3).

use openspp_xmlrpc::{Struct, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CHILD: &str = "ODOO_DEVSERVER_BENCH_CHILD";

fn main() {
    if std::env::var_os(CHILD).is_some() {
        serve();
        return;
    }
    let mut child = Command::new(std::env::current_exe().expect("bench binary"))
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("server child starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("server says its URL");
    let url = line.trim().to_owned();
    let seconds: u64 = std::env::var("THROUGHPUT_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(measure_all(&url, Duration::from_secs(seconds)));
    drop(child.stdin.take()); // the server exits when its stdin closes
    let _ = child.wait();
    print_table(&rows);
}

/// The child: serve the workspace's schemas until stdin closes.
fn serve() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let schemas = openspp_schema::SchemaSet::load(&dir).expect("schemas/ loads");
    let server = openspp_devserver::BackgroundServer::start(
        openspp_devserver::Config::new(schemas).odoo_version(openspp_devserver::OdooVersion::V19),
        ([127, 0, 0, 1], 0).into(),
    )
    .expect("server starts");
    println!("{}", server.url());
    std::io::stdout().flush().expect("flush");
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}

#[derive(Debug)]
struct Row {
    call: &'static str,
    clients: usize,
    per_second: f64,
    baseline: f64,
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

/// One request, sent again and again.
#[derive(Debug, Clone)]
struct Call {
    path: String,
    json: bool,
    body: Vec<u8>,
}

impl Call {
    fn xmlrpc(path: &str, body: Vec<u8>) -> Self {
        Call {
            path: path.to_owned(),
            json: false,
            body,
        }
    }

    fn json2(model: &str, method: &str, body: serde_json::Value) -> Self {
        Call {
            path: format!("/json/2/{model}/{method}"),
            json: true,
            body: body.to_string().into_bytes(),
        }
    }

    fn request(&self, http: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        let request = http
            .post(format!("{url}{}", self.path))
            .body(self.body.clone());
        if self.json {
            request
                .bearer_auth(openspp_devserver::DEMO_API_KEY)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
        } else {
            request
        }
    }
}

fn execute_kw(model: &str, method: &str, args: Vec<Value>, kwargs: Struct) -> Vec<u8> {
    let params = vec![
        s("openspp"),
        Value::Int(2),
        s(openspp_devserver::DEMO_API_KEY),
        s(model),
        s(method),
        Value::Array(args),
        Value::Struct(kwargs),
    ];
    openspp_xmlrpc::to_call("execute_kw", &params).expect("encode")
}

async fn measure_all(url: &str, time: Duration) -> Vec<Row> {
    let version = Call::xmlrpc(
        "/xmlrpc/2/common",
        openspp_xmlrpc::to_call("version", &Vec::<Value>::new()).expect("encode"),
    );
    let fields = [
        "name",
        "email",
        "country_id",
        "category_id",
        "is_company",
        "phone",
    ];
    let search_read = Call::xmlrpc(
        "/xmlrpc/2/object",
        execute_kw(
            "res.partner",
            "search_read",
            vec![Value::Array(vec![])],
            [
                (
                    "fields".to_owned(),
                    Value::Array(fields.iter().map(|f| s(f)).collect()),
                ),
                ("limit".to_owned(), Value::Int(80)),
            ]
            .into(),
        ),
    );
    let create = Call::xmlrpc(
        "/xmlrpc/2/object",
        execute_kw(
            "res.partner",
            "create",
            vec![Value::Struct(
                [
                    ("name".to_owned(), s("Bench Partner")),
                    ("email".to_owned(), s("bench@example.com")),
                    ("country_id".to_owned(), Value::Int(20)),
                ]
                .into(),
            )],
            Struct::new(),
        ),
    );
    let search_read_json2 = Call::json2(
        "res.partner",
        "search_read",
        serde_json::json!({"domain": [], "fields": fields, "limit": 80}),
    );
    let create_json2 = Call::json2(
        "res.partner",
        "create",
        serde_json::json!({"vals_list": {"name": "Bench Partner",
            "email": "bench@example.com", "country_id": 20}}),
    );
    // a check that the search really returns 80 records, over both protocols
    let http = reqwest::Client::new();
    let answer = |call: &Call| {
        let request = call.request(&http, url);
        async move {
            let response = request.send().await.expect("call");
            response.bytes().await.expect("body")
        }
    };
    let records: Vec<Value> = openspp_xmlrpc::from_response(&answer(&search_read).await)
        .expect("decode")
        .expect("no fault");
    assert_eq!(records.len(), 80, "the demo seed has at least 80 partners");
    let json: serde_json::Value =
        serde_json::from_slice(&answer(&search_read_json2).await).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(80), "{json}");

    let mut rows = Vec::new();
    for clients in [1, 16] {
        let baseline = rate(url, &version, clients, time).await;
        for (call, request) in [
            ("search_read 80 (XML-RPC)", &search_read),
            ("search_read 80 (JSON-2)", &search_read_json2),
            ("create 1 (XML-RPC)", &create),
            ("create 1 (JSON-2)", &create_json2),
        ] {
            let per_second = rate(url, request, clients, time).await;
            rows.push(Row {
                call,
                clients,
                per_second,
                baseline,
            });
        }
        rows.push(Row {
            call: "version (baseline)",
            clients,
            per_second: baseline,
            baseline,
        });
    }
    rows
}

/// Calls per second with `clients` concurrent clients (one connection each) for `time`.
async fn rate(url: &str, call: &Call, clients: usize, time: Duration) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (url, call, done) = (url.to_owned(), call.clone(), done.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("client");
                while started.elapsed() < time {
                    let response = call.request(&http, &url).send().await.expect("call");
                    let ok = response.status().is_success();
                    let answer = response.bytes().await.expect("body");
                    assert!(
                        ok && !answer.windows(7).any(|w| w == b"<fault>"),
                        "{}",
                        String::from_utf8_lossy(&answer)
                    );
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("client task");
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

fn print_table(rows: &[Row]) {
    println!(
        "\nopenspp-devserver throughput (server in a child process, 127.0.0.1, release build)"
    );
    println!(
        "{:<26} {:>8} {:>12} {:>14} {:>12}",
        "call", "clients", "calls/s", "ms/call", "vs version"
    );
    for row in rows {
        println!(
            "{:<26} {:>8} {:>12.0} {:>14.2} {:>12.3}",
            row.call,
            row.clients,
            row.per_second,
            1000.0 * row.clients as f64 / row.per_second,
            row.per_second / row.baseline
        );
    }
    println!(
        "\nreal Odoo 17 + OpenSPP (../shared/odoo17/README.md, Python xmlrpc.client, one client):"
    );
    println!("  create of one partner: median 168 ms (about 6 calls/s)");
    println!(
        "  search_count: median 14 ms; search_read of ~1 200 partners (4 fields): median 161 ms"
    );
}
