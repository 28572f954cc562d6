//! Syncs `res.partner` by `write_date` as a nightly job would, at several page sizes, and
//! prints for each the rows, the distinct ids and the next watermark: every id must come
//! once, however many records share a second.
//!
//! `cargo run -p openspp-devserver --example export_sync [-- --url URL --db DB --user LOGIN]
//!  [--json2 | --xmlrpc]` (the secret from `ODOO_API_KEY` or `ODOO_PASSWORD`; without `--url`
//! against the embedded dev server).
mod guide;

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use openspp_client::{Domain, ExportColumns, Watermark};
use openspp_models::res_partner::{self as partner, ResPartner};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    let partners = session.repo::<ResPartner>();
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
