//! The cost openspp-client adds on top of the codec and HTTP, on the real `search_read` capture
//! (49 partners with 20 fields and images, 492 KB):
//! - decoding: typed tuple rows and serde records, against the codec's bare `Value` decode;
//! - a whole call over loopback HTTP: `repo.search_read(..).fields(..)` against a bare
//!   reqwest POST of the captured request plus a `Value` decode.
//!
//! Criterion measures each; then a ratio table from medians of interleaved rounds in this
//! same run is printed. `cargo bench -p openspp-client --bench search_read`

#[path = "support/interleaved.rs"]
mod interleaved;
#[path = "../tests/support/models.rs"]
mod models;
#[path = "../tests/support/replay.rs"]
mod replay;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Client, Columns, Domain, Fetch, Model, Protocol, Record, Session, Value};
use openspp_xmlrpc::DecodeOptions;
use replay::{Replay, Reply, capture};

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Partner {
    id: i32,
    name: Option<String>,
    display_name: Option<String>,
    parent_id: Option<(i32, String)>,
    country_id: Option<(i32, String)>,
    child_ids: Vec<i32>,
    category_id: Vec<i32>,
    date: Option<String>,
    create_date: Option<String>,
    write_date: Option<String>,
    image_128: Option<String>,
    r#type: Option<String>,
    is_company: bool,
    active: bool,
    partner_latitude: f64,
    color: i32,
    email: Option<String>,
    birthdate: Option<String>,
    registration_date: Option<String>,
    is_registrant: bool,
    is_group: bool,
}

impl Record for Partner {
    type Model = ResPartner;
    const FIELDS: &'static [&'static str] = &[
        "name",
        "display_name",
        "parent_id",
        "country_id",
        "child_ids",
        "category_id",
        "date",
        "create_date",
        "write_date",
        "image_128",
        "type",
        "is_company",
        "active",
        "partner_latitude",
        "color",
        "email",
        "birthdate",
        "registration_date",
        "is_registrant",
        "is_group",
    ];
}

fn columns() -> impl openspp_client::FieldSet<ResPartner> + Copy {
    (
        (
            rp::NAME,
            rp::DISPLAY_NAME,
            rp::PARENT_ID,
            rp::COUNTRY_ID,
            rp::CHILD_IDS,
            rp::CATEGORY_ID,
            rp::DATE,
            rp::CREATE_DATE,
            rp::WRITE_DATE,
            rp::IMAGE_128,
        ),
        (
            rp::TYPE,
            rp::IS_COMPANY,
            rp::ACTIVE,
            rp::PARTNER_LATITUDE,
            rp::COLOR,
            rp::EMAIL,
            rp::BIRTHDATE,
            rp::REGISTRATION_DATE,
            rp::IS_REGISTRANT,
            rp::IS_GROUP,
        ),
    )
}

fn decode_value(body: &[u8]) -> usize {
    let v: Value = openspp_xmlrpc::from_response(body).unwrap().unwrap();
    v.as_array().map_or(0, <[Value]>::len)
}

fn decode_columns(body: &[u8]) -> usize {
    Columns(columns())
        .decode(body, &DecodeOptions::default())
        .unwrap()
        .unwrap()
        .len()
}

fn decode_records(body: &[u8]) -> usize {
    openspp_client::Records::<Partner>::new()
        .decode(body, &DecodeOptions::default())
        .unwrap()
        .unwrap()
        .len()
}

async fn raw_call(http: &reqwest::Client, url: &str, request: &[u8]) -> usize {
    let body = http
        .post(format!("{url}/xmlrpc/2/object"))
        .header("content-type", "text/xml")
        .body(request.to_vec())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    decode_value(&body)
}

async fn client_call(odoo: &Session) -> usize {
    odoo.repo::<ResPartner>()
        .search_read(Domain::all())
        .fields(columns())
        .limit(50)
        .order(ResPartner::ID.asc())
        .await
        .unwrap()
        .len()
}

fn main() {
    let body = capture("search_read_res_partner", "response");
    let request = capture("search_read_res_partner", "request");
    assert_eq!(decode_value(&body), 49);
    assert_eq!(decode_columns(&body), 49);
    assert_eq!(decode_records(&body), 49);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server: Replay = rt.block_on(Replay::start(vec![
        Reply::value(&2),
        Reply::capture("search_read_res_partner"),
    ]));
    let url = server.url();
    let odoo = rt.block_on(async {
        Client::builder(&url, "openspp")
            .protocol(Protocol::XmlRpc)
            .build()
            .unwrap()
            .login("admin", "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f")
            .await
            .unwrap()
    });
    let http = reqwest::Client::new();
    assert_eq!(rt.block_on(client_call(&odoo)), 49);
    assert_eq!(rt.block_on(raw_call(&http, &url, &request)), 49);

    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    {
        let mut g = c.benchmark_group("decode_search_read_49");
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("codec_value", |b| b.iter(|| decode_value(black_box(&body))));
        g.bench_function("tuple_rows", |b| {
            b.iter(|| decode_columns(black_box(&body)))
        });
        g.bench_function("serde_records", |b| {
            b.iter(|| decode_records(black_box(&body)))
        });
        g.finish();
    }
    {
        let mut g = c.benchmark_group("call_search_read_49");
        g.bench_function("raw_reqwest_value", |b| {
            b.iter(|| rt.block_on(raw_call(&http, &url, &request)))
        });
        g.bench_function("repository", |b| b.iter(|| rt.block_on(client_call(&odoo))));
        g.finish();
    }
    c.final_summary();

    let runs = 31;
    let m = interleaved::medians(
        runs,
        &mut [
            &mut || decode_value(&body),
            &mut || decode_columns(&body),
            &mut || decode_records(&body),
            &mut || rt.block_on(raw_call(&http, &url, &request)),
            &mut || rt.block_on(client_call(&odoo)),
        ],
    );
    println!("\nmedian of {runs} interleaved runs (492 KB, 49 records x 20 fields):");
    for (name, t) in [
        "decode: codec Value (baseline)",
        "decode: typed tuple rows",
        "decode: serde records",
        "call: raw reqwest + Value (baseline)",
        "call: Repository::search_read",
    ]
    .iter()
    .zip(&m)
    {
        println!("  {name:<38} {:>8.3} ms", t * 1e3);
    }
    println!(
        "  tuple rows vs Value decode:   {:.2}x the time",
        m[1] / m[0]
    );
    println!(
        "  serde records vs Value:       {:.2}x the time",
        m[2] / m[0]
    );
    println!(
        "  repository call vs raw call:  {:.2}x the time",
        m[4] / m[3]
    );
}
