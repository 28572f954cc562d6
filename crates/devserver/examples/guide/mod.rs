//! The five sections of the OpenSPP external API guide (authenticate, read, create, update,
//! delete) with the generated `openspp-models` types, shared by the examples and by the test
//! that runs them (`tests/examples.rs`).
//!
//! Every example runs against the embedded dev server (demo data, user `admin`) unless given
//! `--url URL [--db DB] [--user LOGIN]` (or `--login LOGIN`); the secret then comes from
//! `ODOO_API_KEY` (an API key: JSON-2 on Odoo 19 and later) or `ODOO_PASSWORD` (XML-RPC
//! only), never from the command line, where other users could see it. `--json2` speaks
//! JSON-2 (the dev server then presents itself as Odoo 19), `--xmlrpc` XML-RPC; by default
//! the client chooses ([`Protocol::Auto`]).
#![allow(dead_code)]

use openspp_client::{Client, ClientBuilder, Error, Id, Protocol, Secret, Session};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion, RunningServer};
use openspp_models::res_partner::{self, ResPartner};
use std::path::Path;

/// Where the examples connect.
#[derive(Debug)]
pub struct Target {
    /// Server URL.
    pub url: String,
    /// Database.
    pub db: String,
    /// Login.
    pub login: String,
    /// API key or password.
    pub secret: Secret,
    /// The protocol to speak.
    pub protocol: Protocol,
    /// The dev server, when the examples started one.
    pub server: Option<RunningServer>,
}

/// The flags every example takes: those followed by a value, and switches.
const VALUE_FLAGS: &[&str] = &["--url", "--db", "--user", "--login"];
const SWITCHES: &[&str] = &["--json2", "--xmlrpc"];

/// The example's usage line, from its flags and the guide's.
fn usage(values: &[&str], switches: &[&str]) -> String {
    let name = std::env::args()
        .next()
        .and_then(|p| {
            Path::new(&p)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "example".into());
    let values: Vec<String> = VALUE_FLAGS
        .iter()
        .chain(values)
        .map(|f| format!("[{f} VALUE]"))
        .collect();
    let switches: Vec<String> = SWITCHES
        .iter()
        .chain(switches)
        .map(|f| format!("[{f}]"))
        .collect();
    format!(
        "usage: cargo run -p openspp-devserver --example {name} -- {} {}\n\
         Without --url it runs against the embedded dev server; with it, the secret comes from\n\
         ODOO_API_KEY or ODOO_PASSWORD.",
        values.join(" "),
        switches.join(" ")
    )
}

/// Refuses an argument that is neither the guide's nor one of the example's own `values`
/// (each followed by a value) and `switches`: a typo must not run the example as if unsaid.
pub fn check_args(args: &[String], values: &[&str], switches: &[&str]) -> anyhow::Result<()> {
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let arg = arg.as_str();
        if VALUE_FLAGS.contains(&arg) || values.contains(&arg) {
            if rest.next().is_none() {
                anyhow::bail!("{arg} needs a value");
            }
        } else if !SWITCHES.contains(&arg) && !switches.contains(&arg) {
            anyhow::bail!("unknown argument {arg:?}");
        }
    }
    Ok(())
}

impl Target {
    /// From the command line; the dev server when there is no `--url`. Any flag but the
    /// guide's is refused with the usage; `--help` prints it.
    pub async fn from_args() -> anyhow::Result<Target> {
        Self::from_args_allowing(&[], &[]).await
    }

    /// [`Target::from_args`] for an example that also takes `values` (each followed by a
    /// value) and `switches` of its own.
    pub async fn from_args_allowing(values: &[&str], switches: &[&str]) -> anyhow::Result<Target> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.iter().any(|a| a == "--help" || a == "-h") {
            println!("{}", usage(values, switches));
            std::process::exit(0);
        }
        check_args(&args, values, switches)
            .map_err(|e| anyhow::anyhow!("{e}\n{}", usage(values, switches)))?;
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let flag = |name: &str| args.iter().any(|a| a == name);
        let protocol = match (flag("--json2"), flag("--xmlrpc")) {
            (true, true) => anyhow::bail!("--json2 and --xmlrpc exclude each other"),
            (true, false) => Protocol::Json2,
            (false, true) => Protocol::XmlRpc,
            (false, false) => Protocol::Auto,
        };
        let Some(url) = value("--url") else {
            return Target::dev_server(protocol).await;
        };
        let secret = match (
            std::env::var("ODOO_API_KEY"),
            std::env::var("ODOO_PASSWORD"),
        ) {
            (Ok(key), _) => Secret::api_key(key),
            (Err(_), Ok(password)) => Secret::password(password),
            _ => anyhow::bail!("--url needs the secret in ODOO_API_KEY or ODOO_PASSWORD"),
        };
        Ok(Target {
            url,
            db: value("--db").unwrap_or_else(|| "openspp".into()),
            login: value("--user")
                .or_else(|| value("--login"))
                .unwrap_or_else(|| "admin".into()),
            secret,
            protocol,
            server: None,
        })
    }

    /// The embedded dev server with the workspace's schemas and the demo data, on a free
    /// loopback port, as `admin` with the demo API key. For [`Protocol::Json2`] it presents
    /// itself as Odoo 19, which serves JSON-2; otherwise as the schemas' Odoo 17.
    pub async fn dev_server(protocol: Protocol) -> anyhow::Result<Target> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let schemas = openspp_schema::SchemaSet::load(&dir)?;
        let mut config = Config::new(schemas);
        if protocol == Protocol::Json2 {
            config = config.odoo_version(OdooVersion::V19);
        }
        let server = DevServer::new(config)?
            .bind(([127, 0, 0, 1], 0).into())
            .await?;
        println!(
            "(no --url: using the embedded dev server at {})",
            server.url()
        );
        Ok(Target {
            url: server.url(),
            db: "openspp".into(),
            login: "admin".into(),
            secret: Secret::api_key(DEMO_API_KEY),
            protocol,
            server: Some(server),
        })
    }

    /// A client for this target, speaking its protocol (`.build()` it).
    pub fn client(&self) -> ClientBuilder {
        Client::builder(&self.url, &self.db).protocol(self.protocol)
    }

    /// Stops the dev server, if the examples started one.
    pub async fn finish(self) {
        if let Some(server) = self.server {
            server.stop().await;
        }
    }
}

/// 1. Authenticate: over XML-RPC `common.authenticate(db, login, api_key, {})` gives the uid
///    and every later call sends it with the key (a password works the same way); over
///    JSON-2 (Odoo 19+) every call carries the API key as a bearer token.
pub async fn authenticate(target: &Target) -> Result<Session, Error> {
    let client = target.client().build()?;
    let version = client.version().await?;
    println!("server {version:?}");
    let session = client.login(&target.login, target.secret.clone()).await?;
    println!(
        "logged in as {} (uid {}) over {}",
        target.login,
        session.uid(),
        session.protocol()
    );
    Ok(session)
}

/// 1b. The same with a password (the dev server's `admin` has the password `admin`): XML-RPC
///     only, JSON-2 takes API keys alone.
pub async fn authenticate_with_password(target: &Target, password: &str) -> Result<Session, Error> {
    target
        .client()
        .build()?
        .login(&target.login, Secret::password(password))
        .await
}

/// A household as the read section lists it.
pub type Household = (
    Id<ResPartner>,
    (
        Option<String>,
        Option<String>,
        Vec<Id<openspp_models::g2p_group_membership::G2pGroupMembership>>,
    ),
);

/// 2. Read: `search_read([["is_registrant", "=", True], ["is_group", "=", True]],
///    fields=["name", "registration_date", "group_membership_ids"], limit=5)`.
pub async fn read(session: &Session) -> Result<Vec<Household>, Error> {
    let households = session
        .repo::<ResPartner>()
        .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
        .fields((
            res_partner::NAME,
            res_partner::EMAIL,
            res_partner::GROUP_MEMBERSHIP_IDS,
        ))
        .limit(5)
        .await?;
    for (id, (name, email, members)) in &households {
        println!(
            "household {id}: {} ({} members, email {email:?})",
            name.as_deref().unwrap_or("?"),
            members.len()
        );
    }
    Ok(households)
}

/// 3. Create: `create({"name": …, "is_registrant": True, "given_name": …})` gives the id.
pub async fn create(session: &Session) -> Result<Id<ResPartner>, Error> {
    let id = session
        .repo::<ResPartner>()
        .create(
            ResPartner::create()
                .set(res_partner::NAME, "Okafor, Chidi")
                .set(res_partner::GIVEN_NAME, "Chidi")
                .set(res_partner::FAMILY_NAME, "Okafor")
                .set(res_partner::IS_REGISTRANT, true)
                .set(res_partner::IS_GROUP, false),
        )
        .await?;
    println!("created registrant {id}");
    Ok(id)
}

/// 4. Update: `write([id], {"email": …, "phone": …})`.
pub async fn update(session: &Session, id: Id<ResPartner>) -> Result<(), Error> {
    session
        .repo::<ResPartner>()
        .write(
            &[id],
            res_partner::EMAIL
                .set("chidi.okafor@example.org")
                .set(res_partner::PHONE, "+234 800 000 0000"),
        )
        .await?;
    println!("updated registrant {id}");
    Ok(())
}

/// 5. Delete: `unlink([id])`. Odoo 17 + OpenSPP deletes a partner and then faults while
///    answering; the client says so (`may_have_changed_data`) and the record is gone.
pub async fn delete(session: &Session, id: Id<ResPartner>) -> Result<(), Error> {
    match session.repo::<ResPartner>().unlink(&[id]).await {
        Ok(()) => println!("deleted registrant {id}"),
        Err(error) if error.may_have_changed_data() => {
            println!("deleted registrant {id} (the server faulted after deleting: {error})")
        }
        Err(error) => return Err(error),
    }
    Ok(())
}
