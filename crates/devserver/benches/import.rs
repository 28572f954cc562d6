//! Importing 10 000 registrants (2 000 households of 4 members: 10 000 `res.partner` rows and
//! 8 000 `g2p.group.membership` rows) into the dev server over XML-RPC (as Odoo 17), in the
//! same run:
//! - `Repository::import` (Odoo's `load`, by external id, 500 rows per call; memberships by
//!   the external ids of their household and member) — the baseline of the ratios;
//! - the same import run again on the records it made (every row an update: a nightly sync
//!   that changed nothing);
//! - `create_many` (500 records per call; memberships by the database ids returned);
//! - one `create` per record (18 000 calls).
//!
//! Every contender starts from a fresh dev server with the demo seed (its start is not
//! timed) and checks what it made. Rounds are interleaved (each round runs every contender
//! once, in turn) and the table shows medians. `cargo bench -p openspp-devserver --bench import`;
//! `IMPORT_ROUNDS` sets the rounds (default 3), `IMPORT_HOUSEHOLDS` the households (default
//! 2 000, 5 registrants each).

use std::path::Path;
use std::time::{Duration, Instant};

use openspp_client::{Client, Id, ImportRow, Protocol, Session, Values};
use openspp_devserver::{BackgroundServer, Config, OdooVersion};
use openspp_models::g2p_group_membership::{self as membership, G2pGroupMembership};
use openspp_models::res_country::{self as country, ResCountry};
use openspp_models::res_partner::{self as partner, ResPartner};

const MEMBERS: usize = 4;
const BATCH: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Contender {
    Load,
    LoadAgain,
    CreateMany,
    CreateEach,
}

impl Contender {
    const ALL: [Contender; 4] = [
        Contender::Load,
        Contender::LoadAgain,
        Contender::CreateMany,
        Contender::CreateEach,
    ];

    fn label(self) -> &'static str {
        match self {
            Contender::Load => "import (load), 500 rows per call",
            Contender::LoadAgain => "the same import again (all updates)",
            Contender::CreateMany => "create_many, 500 records per call",
            Contender::CreateEach => "one create per record",
        }
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let rounds = env_number("IMPORT_ROUNDS", 3).max(1);
    let households = env_number("IMPORT_HOUSEHOLDS", 2_000).max(1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let schemas = openspp_schema::SchemaSet::load(&dir).expect("schemas/ loads");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "importing {} registrants ({households} households of {MEMBERS}) and {} memberships, \
         {rounds} rounds",
        households * (MEMBERS + 1),
        households * MEMBERS
    );
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); Contender::ALL.len()];
    for round in 1..=rounds {
        for (contender, samples) in Contender::ALL.into_iter().zip(&mut samples) {
            let server = BackgroundServer::start(
                Config::new(schemas.clone()).odoo_version(OdooVersion::V17),
                ([127, 0, 0, 1], 0).into(),
            )
            .expect("server starts");
            let took = runtime.block_on(measure(&server.url(), contender, households));
            println!(
                "  round {round}: {:<38} {:>8.2} s",
                contender.label(),
                took.as_secs_f64()
            );
            samples.push(took);
            drop(server);
        }
    }
    let medians: Vec<f64> = samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2].as_secs_f64()
        })
        .collect();
    let rows = (households * (2 * MEMBERS + 1)) as f64;
    println!(
        "\n{:<38} {:>10} {:>12} {:>10}",
        "median of rounds", "seconds", "records/s", "vs load"
    );
    for (contender, seconds) in Contender::ALL.into_iter().zip(&medians) {
        println!(
            "{:<38} {:>10.2} {:>12.0} {:>9.2}x",
            contender.label(),
            seconds,
            rows / seconds,
            seconds / medians[0]
        );
    }
}

async fn login(url: &str) -> Session {
    Client::builder(url, "openspp")
        .call_timeout(Duration::from_secs(600))
        .protocol(Protocol::XmlRpc)
        .build()
        .expect("client")
        .login("admin", "admin")
        .await
        .expect("login")
}

/// Runs one contender against a fresh server; the time of the import alone.
async fn measure(url: &str, contender: Contender, households: usize) -> Duration {
    let odoo = login(url).await;
    let be = odoo
        .repo::<ResCountry>()
        .search(country::CODE.eq("BE"))
        .await
        .expect("search")[0];
    let took = match contender {
        Contender::Load => by_load(&odoo, households).await,
        Contender::LoadAgain => {
            by_load(&odoo, households).await;
            by_load(&odoo, households).await
        }
        Contender::CreateMany => by_create_many(&odoo, households, be).await,
        Contender::CreateEach => by_create_each(&odoo, households, be).await,
    };
    let made = odoo
        .repo::<ResPartner>()
        .search_count(partner::NAME.like("Bench household ") | partner::NAME.like("Bench member "))
        .await
        .expect("count");
    assert_eq!(made, (households * (MEMBERS + 1)) as u64, "{contender:?}");
    let memberships = odoo
        .repo::<G2pGroupMembership>()
        .search_count(membership::GROUP.any(partner::NAME.like("Bench household ")))
        .await
        .expect("count");
    assert_eq!(memberships, (households * MEMBERS) as u64, "{contender:?}");
    took
}

fn household_name(g: usize) -> String {
    format!("Bench household {g:05}")
}
fn member_name(g: usize, m: usize) -> String {
    format!("Bench member {m} of {g:05}")
}
fn birthdate(m: usize) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1990, 1, 1 + m as u32).expect("a date")
}

async fn by_load(odoo: &Session, households: usize) -> Duration {
    let mut people = Vec::with_capacity(households * (MEMBERS + 1));
    let mut members = Vec::with_capacity(households * MEMBERS);
    for g in 0..households {
        people.push(
            ImportRow::new(format!("bench.hh_{g:05}"))
                .set(partner::NAME, household_name(g))
                .set(partner::IS_REGISTRANT, true)
                .set(partner::IS_GROUP, true)
                .set(partner::BIRTHDATE, None::<chrono::NaiveDate>)
                .set_ref(partner::COUNTRY_ID, "base.be"),
        );
        for m in 0..MEMBERS {
            let ind = format!("bench.ind_{g:05}_{m}");
            people.push(
                ImportRow::new(&ind)
                    .set(partner::NAME, member_name(g, m))
                    .set(partner::IS_REGISTRANT, true)
                    .set(partner::IS_GROUP, false)
                    .set(partner::BIRTHDATE, Some(birthdate(m)))
                    .set_ref(partner::COUNTRY_ID, "base.be"),
            );
            members.push(
                ImportRow::new(format!("bench.mem_{g:05}_{m}"))
                    .set_ref(membership::GROUP, &format!("bench.hh_{g:05}"))
                    .set_ref(membership::INDIVIDUAL, &ind),
            );
        }
    }
    let started = Instant::now();
    let report = odoo
        .repo::<ResPartner>()
        .import(people)
        .batch_size(BATCH)
        .await
        .expect("import");
    assert_eq!(report.failed_rows(), 0, "{:?}", report.failed.first());
    let report = odoo
        .repo::<G2pGroupMembership>()
        .import(members)
        .batch_size(BATCH)
        .await
        .expect("import");
    assert_eq!(report.failed_rows(), 0, "{:?}", report.failed.first());
    started.elapsed()
}

fn household(g: usize, be: Id<ResCountry>) -> Values<ResPartner> {
    ResPartner::create()
        .set(partner::NAME, household_name(g))
        .set(partner::IS_REGISTRANT, true)
        .set(partner::IS_GROUP, true)
        .set(partner::COUNTRY_ID, be)
}

fn member(g: usize, m: usize, be: Id<ResCountry>) -> Values<ResPartner> {
    ResPartner::create()
        .set(partner::NAME, member_name(g, m))
        .set(partner::IS_REGISTRANT, true)
        .set(partner::IS_GROUP, false)
        .set(partner::BIRTHDATE, birthdate(m))
        .set(partner::COUNTRY_ID, be)
}

async fn by_create_many(odoo: &Session, households: usize, be: Id<ResCountry>) -> Duration {
    let partners = odoo.repo::<ResPartner>();
    let memberships = odoo.repo::<G2pGroupMembership>();
    let started = Instant::now();
    // The same order of records as the import: a household, then its members.
    let values: Vec<Values<ResPartner>> = (0..households)
        .flat_map(|g| {
            std::iter::once(household(g, be)).chain((0..MEMBERS).map(move |m| member(g, m, be)))
        })
        .collect();
    let mut ids = Vec::with_capacity(values.len());
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let chunk: Vec<_> = values.by_ref().take(BATCH).collect();
        ids.extend(partners.create_many(chunk).await.expect("create_many"));
    }
    let links: Vec<Values<G2pGroupMembership>> = ids
        .chunks(MEMBERS + 1)
        .flat_map(|h| {
            h[1..]
                .iter()
                .map(|&ind| G2pGroupMembership::create(h[0], ind))
        })
        .collect();
    let mut links = links.into_iter().peekable();
    while links.peek().is_some() {
        let chunk: Vec<_> = links.by_ref().take(BATCH).collect();
        memberships.create_many(chunk).await.expect("create_many");
    }
    started.elapsed()
}

async fn by_create_each(odoo: &Session, households: usize, be: Id<ResCountry>) -> Duration {
    let partners = odoo.repo::<ResPartner>();
    let memberships = odoo.repo::<G2pGroupMembership>();
    let started = Instant::now();
    for g in 0..households {
        let group = partners.create(household(g, be)).await.expect("create");
        for m in 0..MEMBERS {
            let ind = partners.create(member(g, m, be)).await.expect("create");
            memberships
                .create(G2pGroupMembership::create(group, ind))
                .await
                .expect("create");
        }
    }
    started.elapsed()
}
