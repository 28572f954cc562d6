//! The import example's work (`examples/import.rs`), shared with the test that runs it
//! (`tests/examples.rs`): read a CSV of registrants, import households, members and their
//! memberships by external id with `load`, resolve an external id, and export what changed
//! since the run started.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use openspp_client::{
    ExportColumns, ExportRow, Id, ImportMode, ImportReport, ImportRow, Model, Session, Watermark,
    XmlId,
};
use openspp_models::g2p_group_membership::{self as membership, G2pGroupMembership};
use openspp_models::res_partner::{self as partner, ResPartner};

/// What one run did.
#[derive(Debug)]
pub struct Outcome {
    /// CSV lines refused before anything was sent (line number and why).
    pub not_sent: Vec<String>,
    /// The registrants' import (households and members).
    pub registrants: ImportReport<ResPartner>,
    /// The memberships' import.
    pub memberships: ImportReport<G2pGroupMembership>,
    /// The first household's external id and the record it names, when it was imported.
    pub first_household: Option<(XmlId, Id<ResPartner>)>,
    /// The registrants written since the run started, from `export_data`.
    pub changed: Vec<ExportRow<ResPartner>>,
    /// The watermark of the export.
    pub watermark: NaiveDateTime,
}

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Create-or-update, or create-only.
    pub mode: ImportMode,
    /// Rows per `load` call.
    pub batch: usize,
    /// `load` calls in flight at once.
    pub concurrency: usize,
    /// Draw progress bars on stderr (they hide themselves when stderr is no terminal).
    pub progress: bool,
}

/// What the import step did (the run without its export).
#[derive(Debug)]
pub struct Imported {
    /// CSV lines refused before anything was sent (line number and why).
    pub not_sent: Vec<String>,
    /// The registrants' import (households and members).
    pub registrants: ImportReport<ResPartner>,
    /// The memberships' import.
    pub memberships: ImportReport<G2pGroupMembership>,
    /// The first registrant's external id, if the CSV has one.
    pub first_xmlid: Option<XmlId>,
    /// How long the registrants' import took, and the memberships'.
    pub took: (std::time::Duration, std::time::Duration),
}

/// Imports the CSV `text` (a header row with
/// `external_id,name,is_group,household,birthdate,phone,country`): the registrants, then the
/// memberships, each with `load` in batches of `options.batch` rows, `options.concurrency` of
/// them in flight at once.
pub async fn import_csv(
    session: &Session,
    text: &str,
    options: Options,
) -> anyhow::Result<Imported> {
    let rows = parse_csv(text)?;
    let (people, members, not_sent) = registrant_rows(&rows)?;
    let first_xmlid = people.first().and_then(|r| r.xmlid().cloned());
    let started = std::time::Instant::now();
    let registrants = import(session, people, options).await?;
    let between = std::time::Instant::now();
    let memberships = import(session, members, options).await?;
    Ok(Imported {
        not_sent,
        registrants,
        memberships,
        first_xmlid,
        took: (between - started, between.elapsed()),
    })
}

/// Imports the CSV `text` ([`import_csv`]), then exports the registrants written since the
/// run started.
pub async fn run(session: &Session, text: &str, options: Options) -> anyhow::Result<Outcome> {
    // The watermark: a little before the run started, in UTC as Odoo stores dates (the
    // slack covers a server clock slightly behind this machine's).
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        .saturating_sub(2);
    let watermark = chrono::DateTime::from_timestamp(i64::try_from(started)?, 0)
        .ok_or_else(|| anyhow::anyhow!("the clock is out of range"))?
        .naive_utc();
    let Imported {
        not_sent,
        registrants,
        memberships,
        first_xmlid,
        ..
    } = import_csv(session, text, options).await?;

    let partners = session.repo::<ResPartner>();
    // the import says which record each external id names; a refused household names none
    // (asking the server would answer "External ID not found", hiding the row's own error)
    let first_household = first_xmlid.and_then(|xmlid| {
        registrants
            .created
            .iter()
            .chain(&registrants.updated)
            .find(|(imported, _)| *imported == xmlid)
            .cloned()
    });
    let columns = ExportColumns::new()
        .xmlid()
        .field(partner::NAME)
        .field(partner::IS_GROUP)
        .field_xmlid(partner::COUNTRY_ID);
    // what this run wrote, which has committed: no overlap for late commits is needed
    let changed: Vec<_> = partners
        .export(partner::IS_REGISTRANT.eq(true), columns)
        .changed_since(Watermark::at(watermark))
        .overlap(std::time::Duration::ZERO)
        .open()
        .await?
        .stream(200)
        .try_collect()
        .await?;
    Ok(Outcome {
        not_sent,
        registrants,
        memberships,
        first_household,
        changed,
        watermark,
    })
}

/// One import, with a progress bar.
async fn import<M: Model>(
    session: &Session,
    rows: Vec<ImportRow<M>>,
    options: Options,
) -> Result<ImportReport<M>, openspp_client::Error> {
    let bar = if options.progress {
        ProgressBar::new(rows.len() as u64)
    } else {
        ProgressBar::with_draw_target(Some(rows.len() as u64), ProgressDrawTarget::hidden())
    };
    if let Ok(style) =
        ProgressStyle::with_template("{msg:20} [{bar:40}] {pos}/{len} rows ({per_sec})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(M::NAME);
    let shown = bar.clone();
    let report = session
        .repo::<M>()
        .import(rows)
        .mode(options.mode)
        .batch_size(options.batch)
        .concurrency(options.concurrency)
        .on_progress(move |p| shown.set_position(p.rows_done as u64))
        .await;
    bar.finish();
    report
}

/// Prints what one import did.
pub fn summary<M>(what: &str, report: &ImportReport<M>) {
    println!(
        "{what}: {} created, {} updated, {} refused, {} not imported",
        report.created.len(),
        report.updated.len(),
        report.refused.len(),
        report.failed_rows()
    );
    for problem in report
        .refused
        .iter()
        .chain(&report.failed)
        .chain(&report.warnings)
    {
        println!("  {problem}");
    }
}

/// The rows to import: registrants (households and members, the same columns for all so
/// that they travel in full batches), memberships, and the CSV lines refused before sending.
type Rows = (
    Vec<ImportRow<ResPartner>>,
    Vec<ImportRow<G2pGroupMembership>>,
    Vec<String>,
);

fn registrant_rows(rows: &[Vec<String>]) -> anyhow::Result<Rows> {
    let (header, records) = rows
        .split_first()
        .ok_or_else(|| anyhow::anyhow!("an empty CSV"))?;
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow::anyhow!("the CSV has no `{name}` column"))
    };
    let id = column("external_id")?;
    let name = column("name")?;
    let is_group = column("is_group")?;
    let household = column("household")?;
    let birthdate = column("birthdate")?;
    let phone = column("phone")?;
    let country = column("country")?;
    let mut people = Vec::new();
    let mut members = Vec::new();
    let mut not_sent = Vec::new();
    for (line, record) in records.iter().enumerate() {
        let line = line + 2; // 1-based, after the header
        let cell = |i: usize| record.get(i).map_or("", String::as_str);
        let born = match cell(birthdate) {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(e) => {
                    not_sent.push(format!(
                        "line {line} ({}): birthdate {text:?}: {e}",
                        cell(id)
                    ));
                    continue;
                }
            },
        };
        let group = matches!(cell(is_group), "1" | "true" | "yes");
        let mut row = ImportRow::new(cell(id))
            .set(partner::NAME, cell(name))
            .set(partner::IS_REGISTRANT, true)
            .set(partner::IS_GROUP, group)
            .set(partner::BIRTHDATE, born)
            .set(partner::PHONE, Some(cell(phone)).filter(|p| !p.is_empty()));
        if !cell(country).is_empty() {
            row = row.set_ref(partner::COUNTRY_ID, cell(country));
        }
        people.push(row);
        if !group && !cell(household).is_empty() {
            // The membership's own external id, in the member's module.
            let (module, member) = cell(id).split_once('.').unwrap_or(("__import__", cell(id)));
            members.push(
                ImportRow::new(format!("{module}.membership_{member}"))
                    .set_ref(membership::GROUP, cell(household))
                    .set_ref(membership::INDIVIDUAL, cell(id)),
            );
        }
    }
    Ok((people, members, not_sent))
}

/// RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, newlines and
/// doubled quotes.
pub fn parse_csv(text: &str) -> anyhow::Result<Vec<Vec<String>>> {
    // a UTF-8 byte order mark (what spreadsheet programs write first), as Odoo's importer
    // reads it: not part of the first column's name
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    anyhow::ensure!(!quoted, "the CSV ends inside a quoted field");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}
