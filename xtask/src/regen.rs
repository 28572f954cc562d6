//! `cargo xtask regen`: dump, then codegen.
//!
//! With `--url`, the dump reads that server into `--schemas` (default `schemas/`). Without it,
//! each checked-in schema set (`schemas/`, OpenSPP 17; `schemas-openspp2/`, OpenSPP 2) is
//! served by the embedded dev server on a free loopback port, as the release it comes from
//! (17.0, or 19.0 over JSON-2 with `/doc-bearer`), and dumped back into its directory: on a
//! clean tree nothing changes (the pipeline schemas → dev server → dump → schemas is a fixed
//! point), and both crates are regenerated from the result.
//!
//! The dump against the dev server runs as `xtask dump` in a child process of this same
//! binary, because the dump takes its secret from an environment variable only (it never
//! accepts one on the command line) and a process cannot safely set its own environment;
//! codegen runs in process.

use crate::{codegen, dump};
use anyhow::{Context, bail};
use clap::FromArgMatches;
use openspp_devserver::{BackgroundServer, Config, DEMO_API_KEY, OdooVersion, Seed};
use std::path::Path;

/// Command-line arguments of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Server to dump from; without it, the embedded dev server serving `schemas/`.
    #[arg(long, env = "ODOO_URL")]
    url: Option<String>,
    /// Database name (with --url).
    #[arg(long, env = "ODOO_DB", requires = "url")]
    db: Option<String>,
    /// Login to dump as (with --url).
    #[arg(long, env = "ODOO_USER", requires = "url")]
    user: Option<String>,
    /// Environment variable holding an API key (with --url).
    #[arg(long, value_name = "VAR", requires = "url")]
    api_key_env: Option<String>,
    /// Environment variable holding a password (with --url).
    #[arg(
        long,
        value_name = "VAR",
        requires = "url",
        conflicts_with = "api_key_env"
    )]
    password_env: Option<String>,
    /// The schemas directory the dump of `--url` replaces (default: `schemas/`, OpenSPP 17;
    /// `schemas-openspp2` for an OpenSPP 2 server).
    #[arg(long, value_name = "DIR", requires = "url")]
    schemas: Option<std::path::PathBuf>,
}

/// The environment variable the child dump reads the dev server's key from.
const KEY_VAR: &str = "ODOO_DEVSERVER_API_KEY";

/// Builds a subcommand's arguments from a command line, as clap would.
fn parse<A: clap::Args + FromArgMatches>(name: &'static str, argv: &[String]) -> anyhow::Result<A> {
    let command = A::augment_args(clap::Command::new(name).no_binary_name(true));
    let matches = command
        .try_get_matches_from(argv)
        .with_context(|| format!("bad `{name}` arguments"))?;
    Ok(A::from_arg_matches(&matches)?)
}

/// Runs `cargo xtask regen`.
pub fn run(args: Args) -> anyhow::Result<()> {
    match &args.url {
        Some(url) => {
            let schemas_dir = args
                .schemas
                .clone()
                .unwrap_or_else(crate::serve::default_schemas);
            let mut argv = vec!["--url".to_owned(), url.clone()];
            let (Some(db), Some(user)) = (&args.db, &args.user) else {
                bail!("--url needs --db and --user (or ODOO_DB and ODOO_USER)");
            };
            argv.extend(["--db".into(), db.clone(), "--user".into(), user.clone()]);
            if let Some(var) = &args.api_key_env {
                argv.extend(["--api-key-env".into(), var.clone()]);
            }
            if let Some(var) = &args.password_env {
                argv.extend(["--password-env".into(), var.clone()]);
            }
            argv.push("--out".into());
            argv.push(schemas_dir.display().to_string());
            println!("regen: dumping {url} into {}", schemas_dir.display());
            dump::run(parse::<dump::Args>("dump", &argv)?)?;
        }
        None => {
            let root = codegen::workspace_root();
            for set in codegen::CHECKED_IN {
                dump_dev_server(&root.join(set.schemas), set.odoo_version)?;
            }
        }
    }
    println!("regen: generating the bindings");
    codegen::run(parse::<codegen::Args>("codegen", &[])?)
}

/// Serves `schemas_dir` on the embedded dev server as `version` and dumps it back into
/// `schemas_dir`.
fn dump_dev_server(schemas_dir: &Path, version: OdooVersion) -> anyhow::Result<()> {
    let schemas = openspp_schema::SchemaSet::load(schemas_dir).with_context(|| {
        format!(
            "cannot load {} (the dev server serves it)",
            schemas_dir.display()
        )
    })?;
    let models = schemas.models.len();
    // A JSON-2 login reads the key's user (`res.users`), so 19 mode needs the demo's users;
    // the records change nothing the dump reads.
    let seed = if version.serves_json2() {
        Seed::Demo
    } else {
        Seed::Empty
    };
    let server = BackgroundServer::start(
        Config::new(schemas).seed(seed).odoo_version(version),
        ([127, 0, 0, 1], 0).into(),
    )
    .context("cannot start the dev server")?;
    println!(
        "regen: no --url, so dumping the embedded dev server (Odoo {version}, {models} models from {}) at {}",
        schemas_dir.display(),
        server.url()
    );
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    let status = std::process::Command::new(exe)
        .args([
            "dump",
            "--url",
            &server.url(),
            "--db",
            "openspp",
            "--user",
            "admin",
            "--api-key-env",
            KEY_VAR,
            "--out",
        ])
        .arg(schemas_dir)
        .env(KEY_VAR, DEMO_API_KEY)
        .status()
        .context("cannot run the dump")?;
    drop(server);
    if !status.success() {
        bail!("the dump of the dev server failed ({status})");
    }
    Ok(())
}
