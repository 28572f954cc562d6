//! The README's Rust blocks, run against the dev server. Each test below holds one block
//! between `// README: begin` and `// README: end`, byte for byte (rustfmt leaves these tests
//! alone), inside the setup a reader does not need: a dev server standing in for their Odoo.
//! `the_readme_shows_these_blocks` keeps the two equal, so that the README shows plain code
//! (no rustdoc `# ` lines, which a repository page shows raw) that is compiled and run.

// The README's record structs show the fields a reader would declare; a block reads some.
#![allow(dead_code)]

use std::error::Error;

const BEGIN: &str = "// README: begin";
const END: &str = "// README: end";

/// The text between each `open` line and the next `close` line of `text`.
fn regions(text: &str, open: &str, close: &str) -> Vec<String> {
    let mut regions = Vec::new();
    let mut region: Option<Vec<&str>> = None;
    for line in text.lines() {
        match &mut region {
            None if line == open => region = Some(Vec::new()),
            Some(lines) if line == close => {
                regions.push(lines.join("\n"));
                region = None;
            }
            Some(lines) => lines.push(line),
            None => {}
        }
    }
    regions
}

#[test]
fn the_readme_shows_these_blocks() {
    let shown = regions(include_str!("../../../README.md"), "```rust", "```");
    let run = regions(include_str!("readme.rs"), BEGIN, END);
    assert!(
        shown.len() >= 7,
        "{} Rust blocks in the README",
        shown.len()
    );
    for (n, (shown, run)) in shown.iter().zip(&run).enumerate() {
        assert_eq!(
            shown,
            run,
            "the README's Rust block {} differs from the test that runs it: change both",
            n + 1
        );
    }
    assert_eq!(
        shown.len(),
        run.len(),
        "each README Rust block has its test here"
    );
}

/// The README's block in "Use it".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_use_it() -> Result<(), Box<dyn Error>> {
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let server = openspp_devserver::DevServer::new(openspp_devserver::Config::new(schemas))?
    .bind(([127, 0, 0, 1], 0).into())
    .await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::{Client, Id, Many2one, Record, X2many};
use openspp_models::g2p_group_membership::G2pGroupMembership;
use openspp_models::res_country::ResCountry;
use openspp_models::res_partner::{self, ResPartner};

/// A household as this program reads it: each field is checked against `res.partner` when
/// compiling (`nmae: String` or `country_id: Option<Many2one<ResPartner>>` would not compile).
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Household {
    id: Id<ResPartner>,
    name: String,                               // an empty name would be an error, not ""
    email: Option<String>,                      // Odoo sends False when empty: None
    country_id: Option<Many2one<ResCountry>>,
    #[record(rename = "group_membership_ids")]  // OpenSPP's members (child_ids are contacts)
    memberships: X2many<G2pGroupMembership>,
}

let odoo = Client::new(&url, "openspp")?                   // https://… for a real server
    .login("admin", api_key)                               // an API key or a password
    .await?;
let partners = ResPartner::repo(&odoo);

// search_read([["is_registrant", "=", True], ["is_group", "=", True]], ["name", "email"], limit=5)
let households = partners
    .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
    .fields((res_partner::NAME, res_partner::EMAIL))   // IS_GROUP.eq("yes") would not compile
    .limit(5)
    .await?;                                           // Vec<(Id<ResPartner>, (Option<String>, Option<String>))>
assert!(!households.is_empty());

// The same search into the struct: requests exactly its fields, decodes straight from the wire.
let households = partners
    .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
    .records::<Household>()
    .limit(5)
    .await?;                                           // Vec<Household>
assert!(households.iter().all(|h| !h.name.is_empty()));

let id = partners
    .create(ResPartner::create().set(res_partner::NAME, "New Registrant"))
    .await?;
partners.write(&[id], res_partner::EMAIL.set("new@example.org")).await?;
partners.unlink(&[id]).await?;
// README: end
server.stop().await;
Ok(())
}

/// The README's block in "Use it".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_openspp2_registrants() -> Result<(), Box<dyn Error>> {
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas-openspp2"))?;
let config = openspp_devserver::Config::new(schemas).odoo_version(openspp_devserver::OdooVersion::V19);
let server = openspp_devserver::DevServer::new(config)?.bind(([127, 0, 0, 1], 0).into()).await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::{Client, Id, Many2one, Protocol, Record, Secret, X2many};
use openspp2_models::res_partner::{self, ResPartner};
use openspp2_models::spp_group_membership::{self, SppGroupMembership};

/// A registrant as OpenSPP 2 stores it: `res.partner`, with its group memberships.
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Registrant {
    id: Id<ResPartner>,
    name: String,
    is_group: bool,
    #[record(rename = "group_membership_ids")]     // a group's members
    members: X2many<SppGroupMembership>,
    #[record(rename = "individual_membership_ids")] // an individual's groups
    groups: X2many<SppGroupMembership>,
}

/// OpenSPP 2's membership (`g2p.group.membership` in OpenSPP 17) links `group` and `individual`.
#[derive(Debug, Record)]
#[record(model = SppGroupMembership)]
struct Membership {
    group: Many2one<ResPartner>,
    individual: Many2one<ResPartner>,
}

let odoo = Client::new(&url, "openspp")?                   // an OpenSPP 2 server
    .login("admin", Secret::api_key(api_key))              // an API key: JSON-2
    .await?;
assert_eq!(odoo.protocol(), Protocol::Json2);
let partners = ResPartner::repo(&odoo);
let individual = partners
    .create(ResPartner::create().set(res_partner::NAME, "Amina Diallo").set(res_partner::IS_REGISTRANT, true))
    .await?;
let household = partners
    .create(
        ResPartner::create()
            .set(res_partner::NAME, "Diallo household")
            .set(res_partner::IS_REGISTRANT, true)
            .set(res_partner::IS_GROUP, true),
    )
    .await?;
let memberships = SppGroupMembership::repo(&odoo);
let membership = memberships.create(SppGroupMembership::create(household, individual)).await?;

let read = partners.read(&[household, individual]).records::<Registrant>().await?;
assert_eq!((read[0].name.as_str(), read[0].is_group), ("Diallo household", true));
assert_eq!(read[0].members.ids, [membership]);      // the household has one member
assert_eq!(read[1].groups.ids, [membership]);       // who belongs to one group
assert!(read[0].groups.ids.is_empty() && read[1].members.ids.is_empty());
let link = memberships.read(&[membership]).records::<Membership>().await?;
assert_eq!((link[0].group.id, link[0].individual.id), (household, individual));
assert_eq!(link[0].individual.name.as_deref(), Some("Amina Diallo"));

memberships.unlink(&[membership]).await?;
partners.unlink(&[household, individual]).await?;
let left = memberships.search_count(spp_group_membership::INDIVIDUAL.eq(individual)).await?;
assert_eq!(left, 0);
// README: end
server.stop().await;
Ok(())
}

/// The README's block in "Protocols: which path, where, and why".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_json2() -> Result<(), Box<dyn Error>> {
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let config = openspp_devserver::Config::new(schemas).odoo_version(openspp_devserver::OdooVersion::V19);
let server = openspp_devserver::DevServer::new(config)?.bind(([127, 0, 0, 1], 0).into()).await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::{Client, Protocol, Secret};
use openspp_models::res_partner::{self, ResPartner};

let odoo = Client::new(&url, "openspp")?                   // an Odoo 19 server
    .login("admin", Secret::api_key(api_key))              // an API key: JSON-2
    .await?;
assert_eq!(odoo.protocol(), Protocol::Json2);
let registrants = ResPartner::repo(&odoo)
    .search_count(res_partner::IS_REGISTRANT.eq(true))
    .await?;
assert!(registrants > 0);
// README: end
server.stop().await;
Ok(())
}

/// The README's block in "Grouped counts and sums".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_aggregates() -> Result<(), Box<dyn Error>> {
for version in [openspp_devserver::OdooVersion::V17, openspp_devserver::OdooVersion::V19] {
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let config = openspp_devserver::Config::new(schemas).odoo_version(version);
let server = openspp_devserver::DevServer::new(config)?.bind(([127, 0, 0, 1], 0).into()).await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::{Client, Domain, Granularity, GroupRecord, Many2one, Order, Period, Secret};
use openspp_models::g2p_cycle::G2pCycle;
use openspp_models::g2p_entitlement::{self as entitlement, G2pEntitlement};
use openspp_models::res_partner::{self, Gender, ResPartner};

let odoo = Client::new(&url, "openspp")?.login("admin", Secret::api_key(api_key)).await?;

// Individuals per gender, the most numerous first, with the earliest birthdate of each.
let per_gender = ResPartner::repo(&odoo)
    .aggregate(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(false))
    .group_by(res_partner::GENDER)                  // key: Option<Gender>
    .measures(res_partner::BIRTHDATE.min())         // Option<NaiveDate>
    .order(Order::count_desc())
    .await?;
assert!(per_gender.iter().any(|g| g.key == Some(Gender::Female) && g.count > 0));

// Entitlement amounts per cycle and month.
let per_cycle_and_month = G2pEntitlement::repo(&odoo)
    .aggregate(Domain::all())
    .group_by((entitlement::CYCLE_ID, entitlement::VALID_FROM.by(Granularity::Month)))
    .measures((entitlement::INITIAL_AMOUNT.sum(), entitlement::PARTNER_ID.count_distinct()))
    .await?;
for group in &per_cycle_and_month {
    let (cycle, month) = &group.key;                // Option<Many2one<G2pCycle>>, Option<Period<NaiveDate>>
    let (total, households) = group.values;         // Option<f64>, u64
    println!("{:?} {:?}: {} entitlements, {total:?}, {households} households",
        cycle.as_ref().and_then(|c| c.name.as_deref()), month.map(|m| m.start), group.count);
}

// The same groups read into a struct: each field a key, a measure or the record count,
// checked against the model's fields when compiling.
#[derive(Debug, GroupRecord)]
#[group(model = G2pEntitlement)]
struct CycleMonth {
    #[group(by)]
    cycle_id: Option<Many2one<G2pCycle>>,
    #[group(by = "month", field = "valid_from")]
    month: Option<Period<chrono::NaiveDate>>,
    #[group(sum, field = "initial_amount")]
    total: Option<f64>,                             // `#[group(sum, field = "name")]` would not compile
    #[group(records)]
    entitlements: u64,
}
let rows = G2pEntitlement::repo(&odoo).aggregate(Domain::all()).records::<CycleMonth>().await?;
assert_eq!(rows.len(), per_cycle_and_month.len());
// README: end
server.stop().await;
}
Ok(())
}

/// The README's block in "Calling business methods".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_business_methods() -> Result<(), Box<dyn Error>> {
use serde_json::json;
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let config = openspp_devserver::Config::new(schemas)
    .on_method("g2p.program", "create_new_cycle", |call, env| {
        let cycle = env.call("g2p.cycle", "create", json!([{"name": "Cycle 2", "program_id": call.ids[0],
            "sequence": 2, "state": "draft", "start_date": "2027-01-01", "end_date": "2027-01-31"}]), json!({}))?;
        Ok(json!({"type": "ir.actions.act_window", "res_model": "g2p.cycle", "res_id": cycle,
            "view_mode": "form", "target": "current", "name": "Cycle"}))
    })
    .on_method("g2p.cycle", "prepare_entitlement", |call, env| {
        let cycle = &env.call("g2p.cycle", "read", json!([call.ids, ["program_id"]]), json!({}))?[0];
        let members = env.call("g2p.program_membership", "search_read",
            json!([[["program_id", "=", cycle["program_id"][0]]], ["partner_id"]]), json!({}))?;
        for (n, member) in members.as_array().into_iter().flatten().enumerate() {
            env.call("g2p.entitlement", "create", json!([{"code": format!("E2-{n}"), "cycle_id": call.ids[0],
                "partner_id": member["partner_id"][0], "initial_amount": 50.0, "spent_amount": 0.0,
                "state": "draft"}]), json!({}))?;
        }
        Ok(json!(true))
    })
    .on_method("g2p.cycle", "approve", |call, env| {
        let entitlements = env.call("g2p.entitlement", "search", json!([[["cycle_id", "in", call.ids]]]), json!({}))?;
        env.call("g2p.entitlement", "write", json!([entitlements, {"state": "approved"}]), json!({}))?;
        env.call("g2p.cycle", "write", json!([call.ids, {"state": "approved"}]), json!({}))
    })
    .on_method("g2p.cycle", "prepare_payment", |call, env| {
        let approved = env.call("g2p.entitlement", "search_read", json!([[["cycle_id", "in", call.ids],
            ["state", "=", "approved"]], ["initial_amount"]]), json!({}))?;
        for entitlement in approved.as_array().into_iter().flatten() {
            env.call("g2p.payment", "create", json!([{"entitlement_id": entitlement["id"],
                "amount_issued": entitlement["initial_amount"], "state": "issued"}]), json!({}))?;
        }
        Ok(json!(true))
    });
let server = openspp_devserver::DevServer::new(config)?.bind(([127, 0, 0, 1], 0).into()).await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::{Action, Client, Domain, Id};
use openspp_models::g2p_cycle::{self as cycle, G2pCycle, G2pCycleMethods};
use openspp_models::g2p_entitlement::{self as entitlement, G2pEntitlement};
use openspp_models::g2p_payment::G2pPayment;
use openspp_models::g2p_program::{G2pProgram, G2pProgramMethods};

let odoo = Client::new(&url, "openspp")?.login("admin", api_key).await?;
let (programs, cycles) = (G2pProgram::repo(&odoo), G2pCycle::repo(&odoo));

// The "Create New Cycle" button answers a window action on the cycle it created.
let program: Id<G2pProgram> = Id::new(1);
let opened = programs.create_new_cycle(&[program]).returning::<Option<Action>>().await?;
let Some(Action::Window(window)) = opened else { panic!("no window action: {opened:?}") };
let new_cycle: Id<G2pCycle> = window.record().expect("the new cycle");

cycles.prepare_entitlement(&[new_cycle]).await?;  // `cycles.approve()`, without ids, would not compile
cycles.approve(&[new_cycle]).await?;
cycles.prepare_payment(&[new_cycle]).await?;

let (state,) = cycles.read(&[new_cycle]).fields((cycle::STATE,)).await?[0].1.clone();
assert_eq!(state, Some(cycle::State::Approved));
let approved = G2pEntitlement::repo(&odoo)
    .search_count(entitlement::CYCLE_ID.eq(new_cycle) & entitlement::STATE.eq(entitlement::State::Approved))
    .await?;
let payments = G2pPayment::repo(&odoo).search_count(Domain::all()).await?;
assert!(approved > 0 && payments >= approved);
let calls: Vec<String> = server.method_calls().iter().map(|c| c.method.clone()).collect();
assert_eq!(calls, ["create_new_cycle", "prepare_entitlement", "approve", "prepare_payment"]);
// README: end
server.stop().await;
Ok(())
}

/// The README's block in "Import and export by external id".
#[rustfmt::skip]
#[tokio::test(flavor = "current_thread")]
async fn readme_export_sync() -> Result<(), Box<dyn Error>> {
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let server = openspp_devserver::DevServer::new(openspp_devserver::Config::new(schemas))?
    .bind(([127, 0, 0, 1], 0).into())
    .await?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use futures_util::TryStreamExt;
use openspp_client::{Client, ExportColumns, ImportRow, Watermark};
use openspp_models::res_partner::{self, ResPartner};

let odoo = Client::new(&url, "openspp")?.login("admin", api_key).await?;
let partners = ResPartner::repo(&odoo);
let rows = || {
    vec![
        ImportRow::new("registry.hh_0001")
            .set(res_partner::NAME, "Okafor household")
            .set(res_partner::IS_REGISTRANT, true)
            .set(res_partner::IS_GROUP, true)
            .set_ref(res_partner::COUNTRY_ID, "base.be"), // column `country_id/id`
    ]
};
let first = partners.import(rows()).batch_size(200).concurrency(2).await?;
let again = partners.import(rows()).await?; // updates, creates nothing
assert_eq!((first.created.len(), again.created.len(), again.updated.len()), (1, 0, 1));
assert_eq!(partners.by_xmlid("registry.hh_0001").await?, first.created[0].1);

let columns = ExportColumns::new()
    .xmlid()
    .field(res_partner::NAME)
    .field_xmlid(res_partner::COUNTRY_ID);
let changes = partners
    .export(res_partner::IS_REGISTRANT.eq(true), columns)
    .changed_since(Watermark::BEGINNING) // the stored watermark of the last sync, next time
    .open()                              // fixes the window, and the next watermark
    .await?;
let next = changes.next_watermark();     // store it once the rows are applied
let changed: Vec<_> = changes.stream(200).try_collect().await?; // paged by id: each once
assert!(changed.iter().any(|row| row.id == first.created[0].1));
assert!(next.read_before().is_some());
// README: end
server.stop().await;
Ok(())
}

/// The README's block in "Without an async runtime".
#[rustfmt::skip]
#[test]
fn readme_blocking() -> Result<(), Box<dyn Error>> {
let runtime = tokio::runtime::Runtime::new()?;
let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))?;
let server = runtime.block_on(
    openspp_devserver::DevServer::new(openspp_devserver::Config::new(schemas))?.bind(([127, 0, 0, 1], 0).into()),
)?;
let url = server.url();
let api_key = openspp_devserver::DEMO_API_KEY;
// README: begin
use openspp_client::ImportRow;
use openspp_client::blocking::Client;
use openspp_models::res_partner::{self, ResPartner};

let odoo = Client::new(&url, "openspp")?.login("admin", api_key)?;
let partners = odoo.repo::<ResPartner>();
let households = partners
    .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
    .fields(res_partner::NAME)
    .limit(5)
    .send()?;
assert_eq!(households.len(), 5);
for registrant in partners.search_read(res_partner::IS_REGISTRANT.eq(true)).fields(res_partner::NAME).stream(50) {
    let (id, name) = registrant?;
    assert!(id.get() > 0 && name.is_some());
}
let report = partners
    .import(vec![
        ImportRow::new("registry.hh_0002")
            .set(res_partner::NAME, "Mensah household")
            .set(res_partner::IS_REGISTRANT, true)
            .set(res_partner::IS_GROUP, true),
    ])
    .batch_size(200)
    .send()?;
let id = partners.by_xmlid("registry.hh_0002")?;
assert_eq!(report.created[0].1, id);
partners.write(&[id], res_partner::EMAIL.set("mensah@example.org"))?;
partners.unlink(&[id])?;
odoo.logout()?;
// README: end
runtime.block_on(server.stop());
Ok(())
}
