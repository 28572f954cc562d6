//! Imports a CSV of registrants (households, their members and the memberships) by external
//! id with Odoo's `load`, with a progress bar, and prints what it created, updated and
//! refused; then resolves the first household's external id and exports what changed
//! since the run started (`export_data` with a `write_date` watermark). Run it twice
//! against the same server: the second run updates the same records, it creates none.
//!
//! `cargo run -p openspp-devserver --example import [-- --csv FILE] [--create-only] [--batch N]
//!  [--concurrency N] [--url URL --db DB --user LOGIN] [--json2 | --xmlrpc]`
//!
//! `--batch` is the rows per `load` call (`import::DEFAULT_BATCH_SIZE`, 100, by default),
//! `--concurrency` the calls in flight at once (1 by default).
//!
//! The CSV has a header row with `external_id,name,is_group,household,birthdate,phone,country`
//! (`household` and `country` are external ids; see `examples/data/registrants.csv`). Without
//! `--url` it runs against the embedded dev server, twice (the second run to show that it
//! updates); with it, once, and the secret comes from `ODOO_API_KEY` or `ODOO_PASSWORD`.
mod bulk;
mod guide;

use std::path::PathBuf;

use openspp_client::ImportMode;
use openspp_client::import::DEFAULT_BATCH_SIZE;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let csv = value("--csv").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/registrants.csv"),
        PathBuf::from,
    );
    let options = bulk::Options {
        mode: if args.iter().any(|a| a == "--create-only") {
            ImportMode::CreateOnly
        } else {
            ImportMode::CreateOrUpdate
        },
        batch: value("--batch").map_or(Ok(DEFAULT_BATCH_SIZE), |b| b.parse())?,
        concurrency: value("--concurrency").map_or(Ok(1), |n| n.parse())?,
        progress: true,
    };
    let text = std::fs::read_to_string(&csv)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", csv.display()))?;

    let target = guide::Target::from_args_allowing(
        &["--csv", "--batch", "--concurrency"],
        &["--create-only"],
    )
    .await?;
    let session = guide::authenticate(&target).await?;
    let runs = if target.server.is_some() { 2 } else { 1 };
    for run in 1..=runs {
        println!(
            "run {run}: importing {} ({:?}, {} rows per call)",
            csv.display(),
            options.mode,
            options.batch
        );
        let outcome = bulk::run(&session, &text, options).await?;
        for problem in &outcome.not_sent {
            println!("refused before sending: {problem}");
        }
        bulk::summary("registrants", &outcome.registrants);
        bulk::summary("memberships", &outcome.memberships);
        if let Some((xmlid, id)) = &outcome.first_household {
            println!("{xmlid} is res.partner {id}");
        }
        println!(
            "{} registrants changed since {} (UTC); the first ones:",
            outcome.changed.len(),
            outcome.watermark
        );
        for row in outcome.changed.iter().take(3) {
            println!("  {} written {}: {:?}", row.id, row.write_date, row.cells);
        }
    }
    target.finish().await;
    Ok(())
}
