//! The Rust side of `crates/client/benches/peers/import.py`: imports a CSV of registrants (households, their
//! members and the memberships) with `Repository::import` as the `import` example does, and
//! prints the wall time of the import alone (after the login) and what it did, on one line
//! the script reads:
//!
//! `imported <ms> ms registrants <created> <updated> <not imported> memberships <created> <updated> <not imported>`
//!
//! and a second line with the time of each: `took <ms> ms registrants <ms> ms memberships`.
//!
//! `cargo run --release -p openspp-devserver --example import_bench -- --csv FILE [--batch N]
//!  [--concurrency N] [--url URL --db DB --user LOGIN] [--json2 | --xmlrpc]`
//!
//! Without `--url` it imports into the embedded dev server; with it, the secret comes from
//! `ODOO_API_KEY` or `ODOO_PASSWORD`. Each row the server refused is printed after the line.
mod bulk;
mod guide;

use std::time::Instant;

use openspp_client::import::DEFAULT_BATCH_SIZE;
use openspp_client::{ImportMode, ImportReport};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let target =
        guide::Target::from_args_allowing(&["--csv", "--batch", "--concurrency"], &[]).await?;
    let csv = value("--csv").ok_or_else(|| anyhow::anyhow!("--csv FILE is needed"))?;
    let text =
        std::fs::read_to_string(&csv).map_err(|e| anyhow::anyhow!("cannot read {csv}: {e}"))?;
    let options = bulk::Options {
        mode: ImportMode::CreateOrUpdate,
        batch: value("--batch").map_or(Ok(DEFAULT_BATCH_SIZE), |b| b.parse())?,
        concurrency: value("--concurrency").map_or(Ok(1), |n| n.parse())?,
        progress: false,
    };
    let session = guide::authenticate(&target).await?;
    let started = Instant::now();
    let imported = bulk::import_csv(&session, &text, options).await?;
    let elapsed = started.elapsed();
    println!(
        "imported {:.1} ms registrants {} memberships {}",
        elapsed.as_secs_f64() * 1e3,
        counts(&imported.registrants),
        counts(&imported.memberships),
    );
    println!(
        "took {:.1} ms registrants {:.1} ms memberships",
        imported.took.0.as_secs_f64() * 1e3,
        imported.took.1.as_secs_f64() * 1e3,
    );
    for problem in &imported.not_sent {
        println!("refused before sending: {problem}");
    }
    bulk::summary("registrants", &imported.registrants);
    bulk::summary("memberships", &imported.memberships);
    target.finish().await;
    Ok(())
}

/// `<created> <updated> <not imported>` of one import.
fn counts<M>(report: &ImportReport<M>) -> String {
    format!(
        "{} {} {}",
        report.created.len(),
        report.updated.len(),
        report.refused.len() + report.failed_rows()
    )
}
