//! Reads what a server answers to the calls OpenSPP answers unusually, through the typed
//! client on every path the server offers, and prints what a user reads:
//!
//! - `g2p.program.create` (OpenSPP 17 answers the recordset's repr, `"g2p.program(4,)"`);
//! - `res.partner.unlink` (OpenSPP 17 answers no `result` at all; over XML-RPC a fault
//!   raised after the commit);
//! - two PostgreSQL errors: `birthdate >= '2026-02-30'` in a domain, and a `sum` of a char
//!   field (`read_group` on 17, `formatted_read_group` on 19), whose message must be the
//!   cause line, never `^` or `HINT:`.
//!
//! Each record it makes is deleted and counted gone.
//!
//! `ODOO_PASSWORD=… [ODOO_API_KEY=…] cargo run -p openspp-devserver --example answers_check --
//!  [--url URL --db DB --user LOGIN]`: XML-RPC, JSON-RPC and the web session with the
//! password, JSON-2 (Odoo 19 and later) with the API key. Without `--url`, against the
//! embedded dev server answering as OpenSPP 17 (`Config::openspp_answers`).
mod guide;

use openspp_client::{Args, Client, Error, Id, Protocol, Secret, Session, Value};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer};
use openspp_models::g2p_program::{self as program, G2pProgram};
use openspp_models::res_partner::{self as partner, ResPartner};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    guide::check_args(&args, &[], &[])?;
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let mut dev_server = None;
    let (url, password, api_key) = match value("--url") {
        Some(url) => (
            url,
            std::env::var("ODOO_PASSWORD")
                .map_err(|_| anyhow::anyhow!("--url needs the password in ODOO_PASSWORD"))?,
            std::env::var("ODOO_API_KEY").ok(),
        ),
        None => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
            let config = Config::new(openspp_schema::SchemaSet::load(&dir)?).openspp_answers(true);
            let server = DevServer::new(config)?
                .bind(([127, 0, 0, 1], 0).into())
                .await?;
            let url = server.url();
            dev_server = Some(server);
            (url, "admin".to_owned(), Some(DEMO_API_KEY.to_owned()))
        }
    };
    let db = value("--db").unwrap_or_else(|| "openspp".into());
    let login = value("--user")
        .or_else(|| value("--login"))
        .unwrap_or_else(|| "admin".into());
    let version = Client::new(&url, &db)?.version().await?;
    println!("{url}: {}", version.server_version);
    let v19 = version.major().is_some_and(|major| major >= 19);
    let mut paths = vec![
        (Protocol::XmlRpc, Secret::password(password.clone())),
        (Protocol::JsonRpc, Secret::password(password.clone())),
        (Protocol::Web, Secret::password(password)),
    ];
    match api_key {
        Some(key) if v19 => paths.push((Protocol::Json2, Secret::api_key(key))),
        _ if v19 => println!("(no ODOO_API_KEY: JSON-2 not checked)"),
        _ => {}
    }
    // one refused login (a wrong password) over JSON-RPC: the error names the path and cause
    let refused = Client::builder(&url, &db)
        .protocol(Protocol::JsonRpc)
        .build()?
        .login(&login, Secret::password("answers_check: not the password"))
        .await;
    println!("a wrong password over JSON-RPC: {}", outcome(&refused));
    let mut left = 0;
    for (protocol, secret) in paths {
        let session = Client::builder(&url, &db)
            .protocol(protocol)
            .build()?
            .login(&login, secret)
            .await?;
        println!("== {protocol}");
        left += check(&session, protocol).await?;
    }
    println!("records left: {left}");
    if let Some(server) = dev_server {
        server.stop().await;
    }
    anyhow::ensure!(left == 0, "{left} records were not deleted");
    Ok(())
}

/// One path's checks; how many of the records it made are left.
async fn check(session: &Session, protocol: Protocol) -> anyhow::Result<usize> {
    let tag = format!("answers_check {protocol}");
    let programs = session.repo::<G2pProgram>();
    let has_programs: u64 = session
        .call(
            "ir.model",
            "search_count",
            Args::new().arg(
                "domain",
                Value::Array(vec![leaf("model", "=", "g2p.program".into())]),
            ),
        )
        .await?;
    if has_programs == 0 {
        println!("g2p.program: not on this server");
        return check_partners(session, &tag).await;
    }
    let created = programs.create(G2pProgram::create(tag.as_str())).await;
    let made = programs.search(program::NAME.eq(tag.as_str())).await?;
    println!(
        "g2p.program.create: {} ({} made)",
        outcome(&created),
        made.len()
    );
    if !made.is_empty() {
        delete_programs(session, &made).await?;
    }
    let left = programs.search(program::NAME.eq(tag.as_str())).await?.len();
    Ok(left + check_partners(session, &tag).await?)
}

/// The partner and PostgreSQL checks; how many of the records made are left.
async fn check_partners(session: &Session, tag: &str) -> anyhow::Result<usize> {
    let v19 = session
        .server_version()
        .await?
        .major()
        .is_some_and(|major| major >= 19);
    let partners = session.repo::<ResPartner>();
    let created = partners
        .create(ResPartner::create().set(partner::NAME, tag))
        .await;
    let made = partners.search(partner::NAME.eq(tag)).await?;
    println!(
        "res.partner.create: {} ({} made)",
        outcome(&created),
        made.len()
    );
    let deleted = partners.unlink(&made).await;
    let after = partners.search(partner::NAME.eq(tag)).await?;
    println!(
        "res.partner.unlink: {} ({} left)",
        outcome(&deleted),
        after.len()
    );

    // a date the typed API cannot express: sent as a raw domain
    let bad_date = session
        .call::<Value>(
            "res.partner",
            "search",
            Args::new().arg(
                "domain",
                Value::Array(vec![leaf("birthdate", ">=", "2026-02-30".into())]),
            ),
        )
        .await;
    println!("birthdate >= '2026-02-30': {}", outcome(&bad_date));
    let (method, args) = if v19 {
        let args = Args::new()
            .arg("domain", Vec::<Value>::new())
            .arg("groupby", ["is_company"])
            .arg("aggregates", ["name:sum"]);
        ("formatted_read_group", args)
    } else {
        let args = Args::new()
            .arg("domain", Vec::<Value>::new())
            .arg("fields", ["name:sum"])
            .arg("groupby", ["is_company"]);
        ("read_group", args)
    };
    let sum = session.call::<Value>("res.partner", method, args).await;
    println!("{method} name:sum: {}", outcome(&sum));
    Ok(after.len())
}

/// Deletes programs: OpenSPP 17 gives a new program its managers (deduplication,
/// notification, payment, the program manager), which refuse the program's deletion, and its
/// `unlink` takes one program at a time. So: every record with a stored many2one to the
/// programs, in passes until none goes (a generic manager refers to its concrete one), then
/// each program.
async fn delete_programs(session: &Session, ids: &[Id<G2pProgram>]) -> anyhow::Result<()> {
    #[derive(serde::Deserialize)]
    struct Link {
        model: String,
        name: String,
    }
    let links: Vec<Link> = session
        .call(
            "ir.model.fields",
            "search_read",
            Args::new()
                .arg(
                    "domain",
                    Value::Array(vec![
                        leaf("relation", "=", "g2p.program".into()),
                        leaf("ttype", "=", "many2one".into()),
                        leaf("store", "=", true.into()),
                    ]),
                )
                .arg("fields", ["model", "name"]),
        )
        .await?;
    let programs: Vec<Value> = ids.iter().map(|id| Value::Int(id.get())).collect();
    loop {
        let mut deleted = 0;
        for link in &links {
            let domain = Value::Array(vec![leaf(&link.name, "in", Value::Array(programs.clone()))]);
            let Ok(found) = session
                .call::<Vec<i32>>(&link.model, "search", Args::new().arg("domain", domain))
                .await
            else {
                continue; // an abstract model
            };
            for id in found {
                let gone = session
                    .call::<Value>(&link.model, "unlink", Args::new().ids([id]))
                    .await;
                if gone.is_ok() {
                    deleted += 1;
                }
            }
        }
        if deleted == 0 {
            break;
        }
    }
    for id in ids {
        let deleted = session.repo::<G2pProgram>().unlink(&[*id]).await;
        println!(
            "g2p.program.unlink (its managers first): {}",
            outcome(&deleted)
        );
    }
    Ok(())
}

/// A domain leaf.
fn leaf(field: &str, operator: &str, value: Value) -> Value {
    Value::Array(vec![field.into(), operator.into(), value])
}

/// What a user reads of a call's outcome.
fn outcome<T: std::fmt::Debug>(result: &Result<T, Error>) -> String {
    match result {
        Ok(value) => {
            let text = format!("Ok({value:?})");
            if text.chars().count() > 80 {
                format!("{}…", text.chars().take(80).collect::<String>())
            } else {
                text
            }
        }
        Err(error) => format!(
            "Err: {error} [may have changed data: {}]",
            error.may_have_changed_data()
        ),
    }
}
