//! Syncs `res.partner` by `write_date` as a nightly job would, at several page sizes, and
//! prints for each the rows, the distinct ids and the next watermark: every id must come
//! once, however many records share a second.
//!
//! With `--since WATERMARK` (what a run printed as its next watermark) it syncs once from
//! there and lists the ids it delivered, those the previous run may have delivered marked
//! `(repeat)`.
//!
//! `cargo run -p openspp-devserver --example export_sync [-- --url URL --db DB --user LOGIN]
//!  [--json2 | --xmlrpc] [--since 'YYYY-MM-DD HH:MM:SS']` (the secret from `ODOO_API_KEY` or
//! `ODOO_PASSWORD`; without `--url` against the embedded dev server).
mod guide;

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use openspp_client::{Domain, ExportColumns, Watermark};
use openspp_models::res_partner::{self as partner, ResPartner};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args_allowing(&["--since"], &[]).await?;
    let session = guide::authenticate(&target).await?;
    let partners = session.repo::<ResPartner>();
    let args: Vec<String> = std::env::args().collect();
    if let Some(since) = args
        .iter()
        .position(|a| a == "--since")
        .and_then(|i| args.get(i + 1))
    {
        let since = chrono::NaiveDateTime::parse_from_str(since, "%Y-%m-%d %H:%M:%S")?;
        let changes = partners
            .export(Domain::all(), ExportColumns::new().field(partner::NAME))
            .changed_since(Watermark::at(since))
            .open()
            .await?;
        let next = changes.next_watermark();
        let rows: Vec<_> = changes.stream(100).try_collect().await?;
        println!("since {since}: {} rows, next watermark {next}", rows.len());
        for row in &rows {
            let repeat = if row.repeat { " (repeat)" } else { "" };
            println!("  {} written {}{repeat}", row.id, row.write_date);
        }
        target.finish().await;
        return Ok(());
    }
    let total = partners.search_count(Domain::all()).await?;
    println!("res.partner: {total} records");
    for page_size in [100, 500] {
        let changes = partners
            .export(Domain::all(), ExportColumns::new().field(partner::NAME))
            .changed_since(Watermark::BEGINNING)
            .open()
            .await?;
        let next = changes.next_watermark();
        let rows: Vec<_> = changes.stream(page_size).try_collect().await?;
        let distinct: BTreeSet<_> = rows.iter().map(|row| row.id).collect();
        println!(
            "page size {page_size}: {} rows, {} distinct ids, next watermark {next}",
            rows.len(),
            distinct.len()
        );
        anyhow::ensure!(rows.len() == distinct.len(), "an id came twice");
    }
    target.finish().await;
    Ok(())
}
