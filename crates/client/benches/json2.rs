//! `search_read` of 10 000 records over loopback HTTP, in the same run:
//! - `Repository::search_read` over JSON-2 (typed tuple rows);
//! - the same call over XML-RPC (the same records as Odoo 17 sends them);
//! - baseline: a bare reqwest POST of the JSON-2 request, decoded by serde_json into
//!   `serde_json::Value` (what a hand-written JSON client does at least).
//!
//! Criterion measures each; then a ratio table from medians of interleaved rounds is printed.
//! `cargo bench -p openspp-client --bench json2`

#[path = "support/interleaved.rs"]
mod interleaved;
#[path = "../tests/support/models.rs"]
mod models;
#[path = "../tests/support/replay.rs"]
mod replay;

use std::time::Duration;

use criterion::{Criterion, Throughput};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Client, Domain, FieldSet, Protocol, Secret, Session};
use replay::{Replay, Reply};
use serde_json::json;

const RECORDS: usize = 10_000;
const KEY: &str = "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f";

/// Partner-like rows with the shapes Odoo sends: text or `false`, many2one pairs, id lists,
/// dates as strings, floats, ints, booleans.
fn records() -> serde_json::Value {
    let rows: Vec<serde_json::Value> = (1..=RECORDS)
        .map(|id| {
            json!({
                "id": id,
                "name": format!("Registrant {id} of the Santos household"),
                "email": if id % 3 == 0 { json!(false) } else { json!(format!("r{id}@example.org")) },
                "parent_id": if id % 4 == 0 { json!(false) } else { json!([id / 4 + 1, format!("Household {}", id / 4 + 1)]) },
                "category_id": [1, 4, id % 17],
                "birthdate": if id % 5 == 0 { json!(false) } else { json!(format!("19{:02}-0{}-1{}", id % 100, id % 9 + 1, id % 10)) },
                "is_company": id % 7 == 0,
                "partner_latitude": id as f64 / 7.0,
                "color": id % 12,
            })
        })
        .collect();
    serde_json::Value::Array(rows)
}

fn columns() -> impl FieldSet<ResPartner> + Copy {
    (
        rp::NAME,
        rp::EMAIL,
        rp::PARENT_ID,
        rp::CATEGORY_ID,
        rp::BIRTHDATE,
        rp::IS_COMPANY,
        rp::PARTNER_LATITUDE,
        rp::COLOR,
    )
}

async fn repository(odoo: &Session) -> usize {
    odoo.repo::<ResPartner>()
        .search_read(Domain::all())
        .fields(columns())
        .await
        .unwrap()
        .len()
}

async fn raw_json(http: &reqwest::Client, url: &str, request: &[u8]) -> usize {
    let body = http
        .post(format!("{url}/json/2/res.partner/search_read"))
        .header("content-type", "application/json")
        .header("authorization", format!("bearer {KEY}"))
        .body(request.to_vec())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    value.as_array().map_or(0, Vec::len)
}

fn main() {
    let rows = records();
    let json_body = serde_json::to_vec(&rows).unwrap();
    let xml_body = openspp_xmlrpc::to_response(&rows).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let json_server: Replay = rt.block_on(Replay::start(vec![
        Reply::json(200, &json!({"uid": 2, "lang": "en_US", "tz": false})),
        Reply::json(200, &json!([{"id": 2, "login": "admin"}])),
        Reply::Raw {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: json_body.clone(),
        },
    ]));
    let xml_server: Replay = rt.block_on(Replay::start(vec![
        Reply::value(&2),
        Reply::Xml(xml_body.clone()),
    ]));
    let login = |url: String, protocol: Protocol| {
        rt.block_on(async move {
            Client::builder(&url, "openspp")
                .protocol(protocol)
                .build()
                .unwrap()
                .login("admin", Secret::api_key(KEY))
                .await
                .unwrap()
        })
    };
    let json2 = login(json_server.url(), Protocol::Json2);
    let xmlrpc = login(xml_server.url(), Protocol::XmlRpc);
    let http = reqwest::Client::new();
    let url = json_server.url();
    let request = br#"{"domain": [], "fields": ["name", "email", "parent_id", "category_id", "birthdate", "is_company", "partner_latitude", "color"]}"#;
    assert_eq!(rt.block_on(repository(&json2)), RECORDS);
    assert_eq!(rt.block_on(repository(&xmlrpc)), RECORDS);
    assert_eq!(rt.block_on(raw_json(&http, &url, request)), RECORDS);

    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    {
        let mut g = c.benchmark_group("search_read_10000");
        g.throughput(Throughput::Elements(RECORDS as u64));
        g.bench_function("raw_reqwest_serde_json_value", |b| {
            b.iter(|| rt.block_on(raw_json(&http, &url, request)))
        });
        g.bench_function("repository_json2", |b| {
            b.iter(|| rt.block_on(repository(&json2)))
        });
        g.bench_function("repository_xmlrpc", |b| {
            b.iter(|| rt.block_on(repository(&xmlrpc)))
        });
        g.finish();
    }
    c.final_summary();

    let runs = 11;
    let m = interleaved::medians(
        runs,
        &mut [
            &mut || rt.block_on(raw_json(&http, &url, request)),
            &mut || rt.block_on(repository(&json2)),
            &mut || rt.block_on(repository(&xmlrpc)),
        ],
    );
    println!(
        "\nmedian of {runs} interleaved runs ({RECORDS} records x 8 fields; JSON {} KB, XML-RPC {} KB):",
        json_body.len() / 1024,
        xml_body.len() / 1024
    );
    for (name, t) in [
        "raw reqwest + serde_json::Value (baseline)",
        "Repository::search_read over JSON-2",
        "Repository::search_read over XML-RPC",
    ]
    .iter()
    .zip(&m)
    {
        println!("  {name:<44} {:>8.2} ms", t * 1e3);
    }
    println!("  JSON-2 call vs baseline:   {:.2}x the time", m[1] / m[0]);
    println!("  XML-RPC call vs baseline:  {:.2}x the time", m[2] / m[0]);
    println!("  JSON-2 vs XML-RPC call:    {:.2}x the time", m[1] / m[2]);
}
