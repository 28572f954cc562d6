//! Client CPU (user + sys, `getrusage`) of the typed `search_read` of the shape:
//! 1 205 partners with name, email, country_id and category_id, a ~640 KB answer laid out
//! as Python's `xmlrpc.client` writes it. The server is a child process (this same binary)
//! serving the fixed body on loopback, so every CPU second counted is the client's.
//!
//! Printed, each from the same run:
//! - the codec alone: the same body into `Value`, and into the typed rows the call returns;
//! - a call on a logged-in session (steady state: pooled connection);
//! - a cold call: a new runtime, client, login and call, as a short program would do;
//!
//! and the ratios of the calls to the codec-only typed decode.
//! `cargo bench -p openspp-client --bench client_cpu` (`-- 400` for more rounds).

#[path = "../tests/support/models.rs"]
mod models;
#[path = "../tests/support/replay.rs"]
mod replay;

#[path = "support/child.rs"]
mod child;
#[path = "support/cpu.rs"]
mod cpu;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Client, Columns, Domain, Fetch, FieldSet, Protocol, Session, Value};
use openspp_xmlrpc::DecodeOptions;
use replay::{Replay, Reply};

use cpu::cpu;

/// Set in the child that serves the body.
const SERVE: &str = "ODOO_CLIENT_CPU_BENCH_SERVE";
const PARTNERS: usize = 1205;

fn columns() -> impl FieldSet<ResPartner> + Copy {
    (rp::NAME, rp::EMAIL, rp::COUNTRY_ID, rp::CATEGORY_ID)
}

/// The answer, record by record as Odoo 17 sends it (one element per line).
fn body() -> Vec<u8> {
    const COUNTRIES: [(i32, &str); 4] = [
        (20, "Belgium"),
        (233, "United States"),
        (174, "Philippines"),
        (76, "France"),
    ];
    let mut xml = String::from(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n",
    );
    let member = |xml: &mut String, name: &str, value: &str| {
        let _ = write!(
            xml,
            "<member>\n<name>{name}</name>\n<value>{value}</value>\n</member>\n"
        );
    };
    for i in 0..PARTNERS {
        xml.push_str("<value><struct>\n");
        member(&mut xml, "id", &format!("<int>{}</int>", 100 + i));
        member(
            &mut xml,
            "name",
            &format!("<string>Registrant {i:04} Household Member</string>"),
        );
        let email = if i % 5 == 0 {
            "<boolean>0</boolean>".to_owned()
        } else {
            format!("<string>registrant.{i:04}@example.org</string>")
        };
        member(&mut xml, "email", &email);
        let (id, country) = COUNTRIES[i % COUNTRIES.len()];
        member(
            &mut xml,
            "country_id",
            &format!(
                "<array><data>\n<value><int>{id}</int></value>\n<value><string>{country}</string></value>\n</data></array>"
            ),
        );
        member(
            &mut xml,
            "category_id",
            &format!(
                "<array><data>\n<value><int>{}</int></value>\n<value><int>{}</int></value>\n</data></array>",
                i % 7 + 1,
                i % 11 + 8
            ),
        );
        xml.push_str("</struct></value>\n");
    }
    xml.push_str("</data></array></value>\n</param>\n</params>\n</methodResponse>\n");
    xml.into_bytes()
}

/// The child: serves login then the body on loopback, prints its URL, stops when stdin closes.
fn serve() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let server = Replay::start(vec![Reply::ByPath(vec![
            ("/xmlrpc/2/common", Reply::value(&2)),
            ("/xmlrpc/2/object", Reply::Xml(body())),
        ])])
        .await;
        child::announce_and_wait(&server.url()).await;
    });
}

/// CPU per round of `f`, over `rounds` rounds.
fn per_round(rounds: u32, mut f: impl FnMut() -> usize) -> Duration {
    let start = cpu();
    for _ in 0..rounds {
        assert_eq!(black_box(f()), PARTNERS);
    }
    (cpu() - start) / rounds
}

fn decode_value(body: &[u8]) -> usize {
    let v: Value = openspp_xmlrpc::from_response(body).unwrap().unwrap();
    v.as_array().map_or(0, <[Value]>::len)
}

fn decode_rows(body: &[u8]) -> usize {
    Columns(columns())
        .decode(body, &DecodeOptions::default())
        .unwrap()
        .unwrap()
        .len()
}

async fn login(url: &str) -> Session {
    Client::builder(url, "openspp")
        .protocol(Protocol::XmlRpc)
        .build()
        .unwrap()
        .login("admin", "admin")
        .await
        .unwrap()
}

async fn call(odoo: &Session) -> usize {
    odoo.repo::<ResPartner>()
        .search_read(Domain::all())
        .fields(columns())
        .await
        .unwrap()
        .len()
}

fn main() {
    if std::env::var_os(SERVE).is_some() {
        return serve();
    }
    let rounds: u32 = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(200);
    let body = body();
    let (_server, url) = child::start(SERVE);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let odoo = rt.block_on(login(&url));
    for _ in 0..5 {
        rt.block_on(call(&odoo));
        decode_rows(&body);
    }

    let value = per_round(rounds, || decode_value(&body));
    let rows = per_round(rounds, || decode_rows(&body));
    let warm = per_round(rounds, || rt.block_on(call(&odoo)));
    let cold = per_round(rounds / 4, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async { call(&login(&url).await).await })
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "\nclient CPU (user+sys) per call, {PARTNERS} partners x 4 fields, {} KB, {rounds} rounds:",
        body.len() / 1024
    );
    for (name, t) in [
        ("codec: body into Value", value),
        ("codec: body into typed rows (baseline)", rows),
        ("call: search_read on a session", warm),
        ("call: runtime + client + login + search_read", cold),
    ] {
        println!("  {name:<46} {:>7.3} ms", ms(t));
    }
    println!(
        "  session call vs codec-only typed decode:       {:.2}x",
        ms(warm) / ms(rows)
    );
    println!(
        "  cold call vs codec-only typed decode:          {:.2}x",
        ms(cold) / ms(rows)
    );
}
