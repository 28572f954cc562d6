//! Every wire path against the dev server, in one run: wall time and client CPU (user + sys,
//! `getrusage`) per typed `search_read` of the partners (name, email, country_id,
//! category_id into a record struct) over XML-RPC, JSON-RPC, the web session and JSON-2;
//! then the one-pass JSON decode of the same answer against `serde_json::from_slice` into
//! `serde_json::Value`. The dev server (as Odoo 19: every path) is a child process, so the
//! CPU counted is the client's alone. Medians of interleaved rounds.
//!
//! `cargo bench -p openspp-client --bench protocols` (`-- 100` for more rounds)

#[path = "support/child.rs"]
mod child;
#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/peer_row.rs"]
mod peer_row;

use std::hint::black_box;
use std::time::{Duration, Instant};

use openspp_client::{Args, Client, Protocol, Record, Secret, Session, Value};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion};

use cpu::cpu;
use peer_row::{ACTIVE, Partner, ResPartner};

/// Set in the child that runs the dev server.
const SERVE: &str = "ODOO_CLIENT_PROTOCOLS_BENCH_SERVE";
/// Partners the server holds while measuring.
const PARTNERS: usize = 1200;

/// The child: the dev server as Odoo 19 on a free loopback port; prints its URL and stops
/// when stdin closes.
fn serve() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
        let schemas = openspp_schema::SchemaSet::load(dir).expect("schemas/");
        let config = Config::new(schemas).odoo_version(OdooVersion::V19);
        let server = DevServer::new(config)
            .unwrap()
            .bind(([127, 0, 0, 1], 0).into())
            .await
            .unwrap();
        child::announce_and_wait(&server.url()).await;
        server.stop().await;
    });
}

async fn login(url: &str, protocol: Protocol) -> Session {
    let secret = match protocol {
        Protocol::Json2 => Secret::api_key(DEMO_API_KEY),
        _ => Secret::password("admin"),
    };
    Client::builder(url, "openspp")
        .protocol(protocol)
        .build()
        .unwrap()
        .login("admin", secret)
        .await
        .unwrap_or_else(|e| panic!("login over {protocol}: {e}"))
}

/// Tops the server up to [`PARTNERS`] active partners, in batches of 100.
async fn seed(odoo: &Session) {
    let have: usize = odoo
        .call(
            "res.partner",
            "search_count",
            Args::new().arg("domain", [("active", "=", true)]),
        )
        .await
        .unwrap();
    let countries: Vec<i32> = odoo
        .call(
            "res.country",
            "search",
            Args::new()
                .arg("domain", Vec::<Value>::new())
                .kwarg("limit", 4),
        )
        .await
        .unwrap();
    let rows: Vec<serde_json::Value> = (have..PARTNERS)
        .map(|i| {
            serde_json::json!({
                "name": format!("Registrant {i:04} Household Member"),
                "email": if i % 5 == 0 { serde_json::json!(false) } else { serde_json::json!(format!("registrant.{i:04}@example.org")) },
                "country_id": countries.get(i % countries.len().max(1)).copied().map_or(serde_json::json!(false), |c| serde_json::json!(c)),
            })
        })
        .collect();
    for batch in rows.chunks(100) {
        let _: Value = odoo
            .call("res.partner", "create", Args::new().arg("vals_list", batch))
            .await
            .unwrap();
    }
}

async fn search_read(odoo: &Session) -> usize {
    odoo.repo::<ResPartner>()
        .search_read(ACTIVE.eq(true))
        .records::<Partner>()
        .await
        .unwrap()
        .len()
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    if std::env::var_os(SERVE).is_some() {
        return serve();
    }
    let rounds: usize = std::env::args()
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(40);
    let (_server, url) = child::start(SERVE);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    const PROTOCOLS: [Protocol; 4] = [
        Protocol::XmlRpc,
        Protocol::JsonRpc,
        Protocol::Web,
        Protocol::Json2,
    ];
    let sessions: Vec<Session> = PROTOCOLS
        .iter()
        .map(|&p| rt.block_on(login(&url, p)))
        .collect();
    rt.block_on(seed(&sessions[0]));
    let rows = rt.block_on(search_read(&sessions[0]));
    for odoo in &sessions {
        assert_eq!(
            rt.block_on(search_read(odoo)),
            rows,
            "every path, the same rows"
        );
    }

    let mut wall = vec![Vec::with_capacity(rounds); PROTOCOLS.len()];
    let mut used = vec![Vec::with_capacity(rounds); PROTOCOLS.len()];
    for _ in 0..rounds {
        for (i, odoo) in sessions.iter().enumerate() {
            let (started, before) = (Instant::now(), cpu());
            black_box(rt.block_on(search_read(odoo)));
            used[i].push(cpu() - before);
            wall[i].push(started.elapsed());
        }
    }

    // The same answer as raw bytes, decoded both ways.
    let body = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{url}/json/2/res.partner/search_read"))
            .bearer_auth(DEMO_API_KEY)
            .header("X-Odoo-Database", "openspp")
            .header("Content-Type", "application/json")
            .body(
                serde_json::json!({
                    "domain": [["active", "=", true]],
                    "fields": Partner::FIELDS,
                })
                .to_string(),
            )
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    });
    let (mut one_pass, mut to_value) = (Vec::new(), Vec::new());
    for _ in 0..rounds * 5 {
        let before = cpu();
        let typed: Vec<Partner> = openspp_client::from_json(&body).unwrap();
        assert_eq!(black_box(typed).len(), rows);
        one_pass.push(cpu() - before);
        let before = cpu();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(black_box(value).as_array().map(Vec::len), Some(rows));
        to_value.push(cpu() - before);
    }

    println!(
        "\ntyped search_read of {rows} partners against the dev server (as Odoo 19), \
         median of {rounds} interleaved rounds:"
    );
    println!(
        "  {:<10} {:>9} {:>13}",
        "protocol", "wall ms", "client CPU ms"
    );
    let xmlrpc_cpu = median(used[0].clone());
    for (i, protocol) in PROTOCOLS.iter().enumerate() {
        let cpu = median(used[i].clone());
        println!(
            "  {:<10} {:>9.2} {:>13.3}   CPU {:.2}x XML-RPC's",
            protocol.to_string(),
            median(wall[i].clone()),
            cpu,
            cpu / xmlrpc_cpu
        );
    }
    let (one_pass, to_value) = (median(one_pass), median(to_value));
    println!(
        "\nthe JSON answer ({} KB), CPU per decode:\n  one pass into typed rows      {one_pass:>7.3} ms\n  \
         serde_json::Value (baseline) {to_value:>7.3} ms\n  one pass vs baseline:         {:.2}x",
        body.len() / 1024,
        one_pass / to_value
    );
}
