//! `cargo xtask serve`: runs the embedded dev server (`openspp-devserver`) in the foreground.

use anyhow::Context;
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion, Seed};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Command-line arguments of `cargo xtask serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schemas directory whose models are served (default: the workspace's `schemas/`,
    /// OpenSPP 17; with `--odoo-version 19.0` or later, `schemas-openspp2/`, OpenSPP 2).
    #[arg(long)]
    schemas: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8069)]
    port: u16,
    /// Keep the data in this SQLite file (it survives a restart); in memory otherwise.
    #[arg(long, value_name = "FILE")]
    db_file: Option<PathBuf>,
    /// Seed a new database from this JSON file (records per model) instead of the demo data.
    #[arg(long, value_name = "FILE", conflicts_with = "empty")]
    seed: Option<PathBuf>,
    /// Start with no records at all.
    #[arg(long)]
    empty: bool,
    /// The database name clients must use.
    #[arg(long, default_value = "openspp")]
    database: String,
    /// The Odoo release to present as, 17.0 to 19.x (the ones it emulates): what `version()`
    /// answers; 19.0 and later also serve JSON-2 (`/json/2/<model>/<method>`). Default: the
    /// schemas' release.
    #[arg(long, value_name = "MAJOR.MINOR", value_parser = emulated_version)]
    odoo_version: Option<OdooVersion>,
}

/// A release the dev server emulates: 17.0 to 19.x.
fn emulated_version(text: &str) -> Result<OdooVersion, String> {
    let version: OdooVersion = text.parse().map_err(|e| format!("{e}"))?;
    if (17..=19).contains(&version.major) {
        Ok(version)
    } else {
        Err(format!(
            "the dev server emulates Odoo 17.0 to 19.x, not {version}: use 17.0 (OpenSPP 17) or 19.0 (OpenSPP 2)"
        ))
    }
}

/// The workspace's `schemas/` directory (OpenSPP 17).
pub fn default_schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("schemas")
}

/// The schema set served when none is named: OpenSPP 2's (`schemas-openspp2/`) to a client of
/// Odoo 19 or later (19 mode), OpenSPP 17's (`schemas/`) otherwise (17 mode).
fn schemas_for(version: Option<OdooVersion>) -> PathBuf {
    match version {
        Some(version) if version.serves_json2() => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("schemas-openspp2"),
        _ => default_schemas(),
    }
}

/// Log lines go to stderr; `RUST_LOG` chooses them (default: what the server ignores or
/// refuses, at `info`, and its warnings).
fn install_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("openspp_devserver=info,warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs `cargo xtask serve` until Ctrl-C.
pub fn run(args: Args) -> anyhow::Result<()> {
    install_logging();
    let dir = args
        .schemas
        .unwrap_or_else(|| schemas_for(args.odoo_version));
    let schemas = openspp_schema::SchemaSet::load(&dir)
        .with_context(|| format!("cannot load the schemas in {}", dir.display()))?;
    let models = schemas.models.len();
    let seed = match (args.seed, args.empty) {
        (Some(file), _) => Seed::File(file),
        (None, true) => Seed::Empty,
        (None, false) => Seed::Demo,
    };
    let mut config = Config::new(schemas).seed(seed).database(&args.database);
    if let Some(file) = &args.db_file {
        config = config.db_file(file);
    }
    if let Some(version) = args.odoo_version {
        config = config.odoo_version(version);
    }
    let server = DevServer::new(config).context("cannot start the dev server")?;
    let version = server.odoo_version();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let addr = SocketAddr::new(args.bind, args.port);
        let running = match server.bind(addr).await {
            Err(openspp_devserver::Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AddrInUse =>
            {
                anyhow::bail!(
                    "{addr} is in use (another server, or an earlier `cargo xtask serve`): \
                     pass --port 0 for a free port, or another --port"
                )
            }
            other => other?,
        };
        println!(
            "openspp-devserver: Odoo {version}, {models} models from {} on {}\n\
             database `{}`; users admin (password admin, API key {DEMO_API_KEY}) and norights \
             (password norights){}",
            dir.display(),
            running.url(),
            args.database,
            if version.serves_json2() {
                "; JSON-2 takes the API key as bearer token"
            } else {
                ""
            }
        );
        match &args.db_file {
            Some(file) => println!("data in {}", file.display()),
            None => println!("data in memory (use --db-file to keep it)"),
        }
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")?;
        println!("stopping");
        running.stop().await;
        anyhow::Ok(())
    })
}
