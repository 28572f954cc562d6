//! [`Repository::import`]: Odoo's `load(fields, data)`, typed and batched, keyed by external
//! id so that running it again is safe.
//!
//! Each [`ImportRow`] carries its external id (`module.name`) and values set through the
//! generated field constants. Rows go to the server in batches (one `load` call each, one
//! transaction each). Odoo creates the record of an external id it does not know and gives
//! it the id, and **updates** the record of one it knows: running the same import twice, or
//! again after a call whose outcome is unknown (a timeout or dropped connection,
//! [`Error::may_have_changed_data`]), updates what the first run wrote instead of creating
//! duplicates. [`Import::create_only`] ("prevent overwrite") refuses instead, row by row,
//! the rows whose external id exists.
//!
//! ```no_run
//! # use openspp_client::{Field, Model, Many2one, Session};
//! # #[derive(Debug, Clone, Copy)] pub struct ResCountry;
//! # impl Model for ResCountry { const NAME: &'static str = "res.country"; const FIELDS: &'static [&'static str] = &[]; const REQUIRED: &'static [&'static str] = &[]; }
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner { const NAME: &'static str = "res.partner"; const FIELDS: &'static [&'static str] = &[]; const REQUIRED: &'static [&'static str] = &[]; }
//! # const NAME: Field<ResPartner, String> = Field::new("name");
//! # const IS_REGISTRANT: Field<ResPartner, bool> = Field::new("is_registrant");
//! # const COUNTRY_ID: Field<ResPartner, Many2one<ResCountry>> = Field::new("country_id");
//! # async fn demo(odoo: Session) -> Result<(), openspp_client::Error> {
//! use openspp_client::ImportRow;
//!
//! let rows = vec![
//!     ImportRow::new("registry.ind_000001")
//!         .set(NAME, "Ada Lovelace")
//!         .set(IS_REGISTRANT, true)
//!         .set_ref(COUNTRY_ID, "base.gb"), // column `country_id/id`
//! ];
//! let report = odoo
//!     .repo::<ResPartner>()
//!     .import(rows)
//!     .batch_size(200)
//!     .on_progress(|p| eprintln!("{}/{} rows", p.rows_done, p.rows_total))
//!     .await?;
//! println!("{} created, {} updated", report.created.len(), report.updated.len());
//! for problem in report.failed.iter().chain(&report.refused) {
//!     eprintln!("row {} ({}): {}", problem.row, problem.xmlid, problem.message);
//! }
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::future::IntoFuture;

use chrono::{NaiveDate, NaiveDateTime};
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesOrdered, Stream, StreamExt};
use serde::Deserialize;

use crate::error::Error;
use crate::repository::Repository;
use crate::repository::xmlid::XmlId;
use crate::typed::args::Args;
use crate::typed::field::{CanWrite, Field};
use crate::typed::model::{Id, Model};
use crate::typed::types::{
    DATE_FORMAT, DATETIME_FORMAT, FieldType, Many2one, Nullable, Selection, SelectionEnum,
};

/// A Rust value that a cell of a `T` field is written from, as `load` reads text: `1`/`0`
/// for booleans, decimal numbers, `YYYY-MM-DD` dates, `YYYY-MM-DD HH:MM:SS` datetimes (UTC),
/// a selection's key, `""` for empty (`None`).
#[diagnostic::on_unimplemented(
    message = "a `{T}` field cannot be imported from `{Self}`",
    label = "not a value of the field's type",
    note = "relations are imported by external id with `set_ref`, or by database id with `set_id`"
)]
pub trait CellValue<T: FieldType> {
    /// The cell's text.
    fn cell(self) -> String;
}

impl CellValue<String> for &str {
    fn cell(self) -> String {
        self.to_owned()
    }
}
impl CellValue<String> for String {
    fn cell(self) -> String {
        self
    }
}
impl CellValue<String> for &String {
    fn cell(self) -> String {
        self.clone()
    }
}
impl CellValue<bool> for bool {
    fn cell(self) -> String {
        (if self { "1" } else { "0" }).to_owned()
    }
}
impl CellValue<i32> for i32 {
    fn cell(self) -> String {
        self.to_string()
    }
}
impl CellValue<f64> for f64 {
    fn cell(self) -> String {
        // Rust prints the shortest text that reads back as the same float, as Python does.
        self.to_string()
    }
}
impl CellValue<NaiveDate> for NaiveDate {
    fn cell(self) -> String {
        self.format(DATE_FORMAT).to_string()
    }
}
impl CellValue<NaiveDateTime> for NaiveDateTime {
    fn cell(self) -> String {
        self.format(DATETIME_FORMAT).to_string()
    }
}
impl<E: SelectionEnum> CellValue<Selection<E>> for E {
    fn cell(self) -> String {
        self.key().to_owned()
    }
}
impl<T: Nullable, V: CellValue<T>> CellValue<T> for Option<V> {
    fn cell(self) -> String {
        self.map(V::cell).unwrap_or_default()
    }
}

/// One record to import: its external id and the values of its columns.
///
/// Consecutive rows that set the same columns travel in one batch; a row that sets other
/// columns starts a new batch (a column a row does not set would be an empty cell, which
/// `load` writes as empty). Give rows of one import the same columns, with `None` where a
/// value is empty, to keep batches full.
pub struct ImportRow<M> {
    xmlid: Result<XmlId, Error>,
    cells: Vec<(String, String)>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M> fmt::Debug for ImportRow<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.xmlid {
            Ok(x) => write!(f, "ImportRow({x}, {:?})", self.cells),
            Err(e) => write!(f, "ImportRow(<{e}>, {:?})", self.cells),
        }
    }
}

impl<M: Model> ImportRow<M> {
    /// A row keyed by the external id `xmlid` (`module.name`); a malformed id fails the
    /// import before anything is sent.
    pub fn new(xmlid: impl Into<String>) -> Self {
        Self {
            xmlid: XmlId::new(xmlid),
            cells: Vec::new(),
            model: std::marker::PhantomData,
        }
    }

    fn put(mut self, column: String, text: String) -> Self {
        match self.cells.iter_mut().find(|(c, _)| *c == column) {
            Some(slot) => slot.1 = text,
            None => self.cells.push((column, text)),
        }
        self
    }

    /// Sets `field` (column `field`) to `value`; setting a column twice keeps the last value.
    pub fn set<T: FieldType, S, O, W: CanWrite, V: CellValue<T>>(
        self,
        field: Field<M, T, S, O, W>,
        value: V,
    ) -> Self {
        self.put(field.name().to_owned(), value.cell())
    }

    /// Points the many2one `field` at the record of external id `xmlid` (column
    /// `field/id`); an id the server does not know is a row error naming the field.
    pub fn set_ref<R: Model, S, O, W: CanWrite>(
        self,
        field: Field<M, Many2one<R>, S, O, W>,
        xmlid: &str,
    ) -> Self {
        self.put(format!("{}/id", field.name()), xmlid.to_owned())
    }

    /// Points the many2one `field` at the record `id` (column `field/.id`).
    pub fn set_id<R: Model, S, O, W: CanWrite>(
        self,
        field: Field<M, Many2one<R>, S, O, W>,
        id: Id<R>,
    ) -> Self {
        self.put(format!("{}/.id", field.name()), id.to_string())
    }

    /// The external id, when well-formed.
    pub fn xmlid(&self) -> Option<&XmlId> {
        self.xmlid.as_ref().ok()
    }

    /// The columns set, in the order they were first set.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|(c, _)| c.as_str())
    }
}

/// Whether rows whose external id exists are updated or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// Create new external ids, update the records of known ones ("allow overwrite").
    #[default]
    CreateOrUpdate,
    /// Create new external ids; refuse rows whose external id exists ("prevent
    /// overwrite"), each as a [`RowProblem::Exists`], and import the others.
    CreateOnly,
}

/// What happened to a row that was not imported, or what the server warned about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowProblem {
    /// [`ImportMode::CreateOnly`]: the external id already names a record (its id).
    Exists(i32),
    /// The external id appears on an earlier row of the same import.
    Duplicate,
    /// Odoo refused the row (`load`'s message of type `error`); its whole batch was rolled
    /// back.
    Server,
    /// The row was fine, but another row of its batch was refused, so `load` rolled the
    /// batch back: fix that row and import again.
    RolledBack,
    /// Odoo imported the row with a warning (e.g. a relation given by name that several
    /// records match: Odoo takes the first). An unknown boolean such as `maybe` is no
    /// warning but a [`RowProblem::Server`] error, as Odoo 17 and 19 answer.
    Warning,
}

/// A row that was refused or warned about: which row (index in the rows given), its
/// external id, the field when the message names one, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Index of the row in the rows given to [`Repository::import`].
    pub row: usize,
    /// The row's external id.
    pub xmlid: String,
    /// The field's technical name, when the problem is in one cell.
    pub field: Option<String>,
    /// What is wrong (Odoo's text for server messages).
    pub message: String,
    /// The kind of problem.
    pub problem: RowProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} ({})", self.row, self.xmlid)?;
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What an import did.
#[derive(Debug)]
pub struct ImportReport<M> {
    /// Rows whose external id was new: the record created for each.
    pub created: Vec<(XmlId, Id<M>)>,
    /// Rows whose external id existed: the record updated.
    pub updated: Vec<(XmlId, Id<M>)>,
    /// Rows not sent: [`RowProblem::Exists`] (create-only) and [`RowProblem::Duplicate`].
    pub refused: Vec<RowError>,
    /// Rows of batches Odoo rolled back: [`RowProblem::Server`] with Odoo's message per
    /// row and field, and [`RowProblem::RolledBack`] for the other rows of those batches.
    pub failed: Vec<RowError>,
    /// Odoo's warnings on rows it imported.
    pub warnings: Vec<RowError>,
}

impl<M> Default for ImportReport<M> {
    fn default() -> Self {
        Self {
            created: Vec::new(),
            updated: Vec::new(),
            refused: Vec::new(),
            failed: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// Rows per `load` call unless [`Import::batch_size`] says otherwise.
///
/// Large enough that the round trip is a small part of a batch's time, small enough that a
/// batch ends well within the default call timeout (120 s) on a server that does much per
/// row: OpenSPP 17 spends about 80 ms of server time on each registrant it creates (its
/// audit log and unique id computations), so 100 registrants take about 8 s, and 500 took
/// 136 s on a real OpenSPP 17. Larger batches save little more: 250 rows per call were 7%
/// faster than 100 there.
pub const DEFAULT_BATCH_SIZE: usize = 100;

/// Progress after each batch, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows handled so far (imported, refused or failed).
    pub rows_done: usize,
    /// Rows in the import.
    pub rows_total: usize,
    /// Batches sent so far.
    pub batches: usize,
    /// Rows created so far.
    pub created: usize,
    /// Rows updated so far.
    pub updated: usize,
    /// Rows refused or failed so far.
    pub not_imported: usize,
}

type ProgressFn = Box<dyn FnMut(&Progress) + Send>;

/// An import being set up; `.await` it.
#[must_use = "an import does nothing until awaited"]
pub struct Import<M> {
    repo: Repository<M>,
    rows: Vec<ImportRow<M>>,
    batch_size: usize,
    concurrency: usize,
    mode: ImportMode,
    noupdate: bool,
    progress: Option<ProgressFn>,
}

impl<M: Model> fmt::Debug for Import<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Import")
            .field("model", &M::NAME)
            .field("rows", &self.rows.len())
            .field("batch_size", &self.batch_size)
            .field("concurrency", &self.concurrency)
            .field("mode", &self.mode)
            .field("noupdate", &self.noupdate)
            .finish()
    }
}

impl<M: Model> Repository<M> {
    /// Imports `rows` with Odoo's `load`, by external id, in batches of
    /// [`DEFAULT_BATCH_SIZE`] rows: see [the module docs](crate::repository::import).
    pub fn import(&self, rows: Vec<ImportRow<M>>) -> Import<M> {
        Import {
            repo: self.clone(),
            rows,
            batch_size: DEFAULT_BATCH_SIZE,
            concurrency: 1,
            mode: ImportMode::default(),
            noupdate: false,
            progress: None,
        }
    }
}

impl<M: Model> Import<M> {
    /// At most `rows` rows per `load` call ([`DEFAULT_BATCH_SIZE`] unless set; at least 1).
    /// One call is one transaction: a refused row rolls its batch back. A batch must end
    /// within the session's call timeout: a batch cut off by the timeout may still commit
    /// on the server, and the import stops with an error whose outcome is unknown (running
    /// it again completes it).
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.batch_size = rows.max(1);
        self
    }

    /// Up to `batches` `load` calls in flight at once (1 by default, at least 1).
    ///
    /// The server runs them side by side, each in its own transaction. That pays when its
    /// per-row work (computed fields, audit rules, chatter) outweighs the round trip: a
    /// multi-worker Odoo runs the batches on several cores, a threaded one overlaps one
    /// batch's SQL with another's Python.
    ///
    /// What the import does does not change:
    /// - a batch with a row that points (`set_ref`) at an external id of an earlier batch
    ///   of this import is sent only once that batch is done;
    /// - two transactions that touch the same rows can make PostgreSQL refuse one ("could
    ///   not serialize access", a deadlock); `load` then rolls that batch back whole. It is
    ///   sent again once the batches beside it are done, and the rest of the import goes
    ///   one batch at a time: batches that touch the same rows (members of one household,
    ///   whose computed fields they all update) would conflict again, and each conflict
    ///   costs the server the batch's work twice. A batch refused so when it runs alone is
    ///   sent up to five times in all, as Odoo resends a call that failed so;
    /// - the report and the progress keep the rows' order.
    ///
    /// On an error, batches already in flight may have been applied: the import can be run
    /// again, it creates nothing twice.
    pub fn concurrency(mut self, batches: usize) -> Self {
        self.concurrency = batches.max(1);
        self
    }

    /// Refuse rows whose external id exists ([`ImportMode::CreateOnly`]).
    pub fn create_only(self) -> Self {
        self.mode(ImportMode::CreateOnly)
    }

    /// The [`ImportMode`].
    pub fn mode(mut self, mode: ImportMode) -> Self {
        self.mode = mode;
        self
    }

    /// Mark the external ids created as `noupdate` (`load`'s `noupdate` context).
    pub fn noupdate(mut self, noupdate: bool) -> Self {
        self.noupdate = noupdate;
        self
    }

    /// Called after each batch.
    pub fn on_progress(mut self, progress: impl FnMut(&Progress) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }
}

impl<M: Model> IntoFuture for Import<M> {
    type Output = Result<ImportReport<M>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// A row ready to send.
struct Ready {
    row: usize,
    xmlid: XmlId,
    cells: Vec<(String, String)>,
}

/// `load`'s answer.
#[derive(Debug, Deserialize)]
#[serde(bound = "")]
struct LoadAnswer<M> {
    /// `False` when a row was refused (the batch rolled back).
    #[serde(default = "none")]
    ids: Option<Vec<Id<M>>>,
    #[serde(default)]
    messages: Vec<LoadMessage>,
}

fn none<T>() -> Option<T> {
    None
}

/// One of `load`'s messages.
#[derive(Debug, Deserialize)]
struct LoadMessage {
    #[serde(rename = "type")]
    kind: String,
    message: String,
    /// Index of the record in the batch.
    #[serde(default)]
    record: Option<i64>,
    #[serde(default)]
    field: Option<String>,
}

impl<M: Model> Import<M> {
    async fn run(mut self) -> Result<ImportReport<M>, Error> {
        let rows_total = self.rows.len();
        let mut report = ImportReport::default();
        let mut seen = HashSet::new();
        let mut ready = Vec::with_capacity(rows_total);
        for (row, r) in std::mem::take(&mut self.rows).into_iter().enumerate() {
            let xmlid = r.xmlid?;
            if !seen.insert(xmlid.clone()) {
                report.refused.push(RowError {
                    row,
                    xmlid: xmlid.to_string(),
                    field: None,
                    message: "this external id is on an earlier row of the import".into(),
                    problem: RowProblem::Duplicate,
                });
                continue;
            }
            ready.push(Ready {
                row,
                xmlid,
                cells: r.cells,
            });
        }
        let progress = Progress {
            rows_done: report.refused.len(),
            rows_total,
            batches: 0,
            created: 0,
            updated: 0,
            not_imported: report.refused.len(),
        };
        let mut batches = Vec::new();
        let mut rest = ready.into_iter().peekable();
        while let Some(first) = rest.next() {
            // A batch: consecutive rows with the same columns (a column missing from a row
            // would be an empty cell, which `load` writes as empty).
            let shape: Vec<String> = columns_of(&first).into_iter().map(str::to_owned).collect();
            let mut batch = vec![first];
            while batch.len() < self.batch_size
                && rest.peek().is_some_and(|r| columns_of(r) == shape)
            {
                batch.extend(rest.next());
            }
            batches.push(batch);
        }
        let after = waits_for(&batches);
        let (repo, mode, noupdate) = (&self.repo, self.mode, self.noupdate);
        let mut tally = Tally {
            report,
            progress,
            callback: self.progress.take(),
            finished: 0,
            limit: self.concurrency,
        };
        let mut in_flight = FuturesOrdered::new();
        for (batch, after) in batches.into_iter().zip(after) {
            while in_flight.len() >= tally.limit || after.is_some_and(|k| tally.finished <= k) {
                if !tally.settle_next(repo, noupdate, &mut in_flight).await? {
                    break;
                }
            }
            let handled = batch.len();
            let alone = tally.limit == 1;
            in_flight.push_back(async move {
                send(repo, mode, noupdate, batch, alone)
                    .await
                    .map(|sent| (handled, sent))
            });
        }
        while tally.settle_next(repo, noupdate, &mut in_flight).await? {}
        Ok(tally.report)
    }
}

/// The report being built in row order, and the progress told after each batch.
struct Tally<M> {
    report: ImportReport<M>,
    progress: Progress,
    callback: Option<ProgressFn>,
    /// Batches whose outcome is in the report.
    finished: usize,
    /// Batches in flight at most: the import's concurrency, until PostgreSQL refuses a batch
    /// for a transaction beside it; then 1.
    limit: usize,
}

impl<M: Model> Tally<M> {
    /// Takes the next batch's outcome, in row order, into the report; `false` when none is
    /// in flight.
    ///
    /// A batch `load` rolled back for a transaction beside it (two batches that touch the
    /// same rows, e.g. members of one household, whose computed fields both update) is sent
    /// again once the batches in flight are done, and from then on the import sends one
    /// batch at a time: such batches would conflict again, and each conflict costs the
    /// server the batch's work twice (`load` retries its rows one by one before giving up).
    async fn settle_next<S>(
        &mut self,
        repo: &Repository<M>,
        noupdate: bool,
        in_flight: &mut S,
    ) -> Result<bool, Error>
    where
        S: Stream<Item = Result<(usize, Sent<M>), Error>> + Unpin,
    {
        let Some(outcome) = in_flight.next().await else {
            return Ok(false);
        };
        let (handled, sent) = outcome?;
        match sent {
            Sent::Done(done) => self.absorb(handled, done),
            Sent::Conflict(prepared) => {
                self.limit = 1;
                let mut later = Vec::new();
                while let Some(outcome) = in_flight.next().await {
                    later.push(outcome?);
                }
                tracing::debug!(
                    model = M::NAME,
                    rows = handled,
                    "load refused a batch for a concurrent update; sending it again alone, and \
                     the rest of the import one batch at a time"
                );
                let done = resend(repo, noupdate, prepared).await?;
                self.absorb(handled, done);
                for (handled, sent) in later {
                    let done = match sent {
                        Sent::Done(done) => done,
                        Sent::Conflict(prepared) => resend(repo, noupdate, prepared).await?,
                    };
                    self.absorb(handled, done);
                }
            }
        }
        Ok(true)
    }

    /// Adds one batch's outcome to the report and tells the progress callback.
    fn absorb(&mut self, handled: usize, done: ImportReport<M>) {
        let report = &mut self.report;
        report.created.extend(done.created);
        report.updated.extend(done.updated);
        report.refused.extend(done.refused);
        report.failed.extend(done.failed);
        report.warnings.extend(done.warnings);
        self.finished += 1;
        let progress = &mut self.progress;
        progress.batches += 1;
        progress.rows_done += handled;
        progress.created = report.created.len();
        progress.updated = report.updated.len();
        progress.not_imported = report.refused.len() + report.failed_rows();
        if let Some(f) = &mut self.callback {
            f(progress);
        }
    }
}

/// For each batch, the last earlier batch holding an external id that one of its rows
/// points at (a `…/id` cell: one external id, or several separated by commas): the batch
/// is sent only once that one is done. `load` itself resolves the rows of one batch that
/// point at each other.
fn waits_for(batches: &[Vec<Ready>]) -> Vec<Option<usize>> {
    let holder: HashMap<&str, usize> = batches
        .iter()
        .enumerate()
        .flat_map(|(k, batch)| batch.iter().map(move |r| (r.xmlid.as_str(), k)))
        .collect();
    batches
        .iter()
        .enumerate()
        .map(|(k, batch)| {
            batch
                .iter()
                .flat_map(|r| &r.cells)
                .filter(|(column, _)| column.ends_with("/id"))
                .flat_map(|(_, text)| text.split(','))
                .filter_map(|xmlid| {
                    let xmlid = xmlid.trim();
                    // `load` reads an id without a module as one of `__import__`
                    if xmlid.contains('.') {
                        holder.get(xmlid).copied()
                    } else {
                        holder.get(format!("__import__.{xmlid}").as_str()).copied()
                    }
                })
                .filter(|&j| j < k)
                .max()
        })
        .collect()
}

/// How often a batch that PostgreSQL refused for a concurrent transaction is sent in all,
/// as Odoo's `MAX_TRIES_ON_CONCURRENCY_FAILURE` for a call.
const CONCURRENCY_TRIES: u32 = 5;

/// Whether `load` rolled the batch back only because PostgreSQL refused a concurrent
/// update: every error is a serialization failure or a deadlock (Odoo 17 and 19 put
/// psycopg2's text in the row's message), and sending it again can succeed.
fn refused_for_concurrency(messages: &[LoadMessage]) -> bool {
    let mut errors = messages.iter().filter(|m| m.kind == "error").peekable();
    errors.peek().is_some()
        && errors.all(|m| {
            m.message.contains("could not serialize access")
                || m.message.contains("deadlock detected")
        })
}

/// What became of a batch sent.
enum Sent<M> {
    /// Its rows' outcome.
    Done(ImportReport<M>),
    /// `load` rolled it back for a transaction beside it, and it was not sent again.
    Conflict(Prepared<M>),
}

/// A batch whose external ids were looked up: the rows to send, the records their ids
/// name, and the rows refused before sending.
struct Prepared<M> {
    sent: Vec<Ready>,
    existing: HashMap<String, i32>,
    report: ImportReport<M>,
}

/// Sends one batch. `alone` (no other batch in flight): a batch refused for a concurrent
/// update is sent again, up to [`CONCURRENCY_TRIES`] times in all; otherwise it comes back
/// as [`Sent::Conflict`].
async fn send<M: Model>(
    repo: &Repository<M>,
    mode: ImportMode,
    noupdate: bool,
    batch: Vec<Ready>,
    alone: bool,
) -> Result<Sent<M>, Error> {
    let prepared = prepare(repo, mode, batch).await?;
    if prepared.sent.is_empty() {
        return Ok(Sent::Done(prepared.report));
    }
    let tries = if alone { CONCURRENCY_TRIES } else { 1 };
    let answer = load(repo, noupdate, &prepared.sent, tries).await?;
    if !alone && answer.ids.is_none() && refused_for_concurrency(&answer.messages) {
        return Ok(Sent::Conflict(prepared));
    }
    finish(repo, prepared, answer).map(Sent::Done)
}

/// Sends again, alone, a batch refused beside others.
async fn resend<M: Model>(
    repo: &Repository<M>,
    noupdate: bool,
    prepared: Prepared<M>,
) -> Result<ImportReport<M>, Error> {
    let answer = load(repo, noupdate, &prepared.sent, CONCURRENCY_TRIES - 1).await?;
    finish(repo, prepared, answer)
}

/// Looks up the batch's external ids: which exist, and (create-only) which rows are refused.
async fn prepare<M: Model>(
    repo: &Repository<M>,
    mode: ImportMode,
    batch: Vec<Ready>,
) -> Result<Prepared<M>, Error> {
    let mut report = ImportReport::default();
    let xmlids: Vec<XmlId> = batch.iter().map(|r| r.xmlid.clone()).collect();
    let existing: HashMap<String, i32> = repo
        .data_rows(&xmlids)
        .await?
        .into_iter()
        .filter(|d| d.model == M::NAME)
        .map(|d| (d.xmlid(), d.res_id.unwrap_or_default()))
        .collect();
    let mut sent = Vec::with_capacity(batch.len());
    for r in batch {
        match existing.get(r.xmlid.as_str()) {
            Some(id) if mode == ImportMode::CreateOnly => report.refused.push(RowError {
                row: r.row,
                xmlid: r.xmlid.to_string(),
                field: None,
                message: format!(
                    "the external id exists ({} record {id}); create-only imports do not overwrite",
                    M::NAME
                ),
                problem: RowProblem::Exists(*id),
            }),
            _ => sent.push(r),
        }
    }
    Ok(Prepared {
        sent,
        existing,
        report,
    })
}

/// `load` of the rows `sent`, up to `tries` times while PostgreSQL refuses it for a
/// concurrent update: the last answer.
async fn load<M: Model>(
    repo: &Repository<M>,
    noupdate: bool,
    sent: &[Ready],
    tries: u32,
) -> Result<LoadAnswer<M>, Error> {
    let mut columns = vec!["id".to_owned()];
    columns.extend(sent[0].cells.iter().map(|(c, _)| c.clone()));
    let data: Vec<Vec<String>> = sent
        .iter()
        .map(|r| {
            let by_column: BTreeMap<&str, &str> = r
                .cells
                .iter()
                .map(|(c, t)| (c.as_str(), t.as_str()))
                .collect();
            std::iter::once(r.xmlid.to_string())
                .chain(
                    columns[1..]
                        .iter()
                        .map(|c| by_column.get(c.as_str()).copied().unwrap_or("").to_owned()),
                )
                .collect()
        })
        .collect();
    let mut tried = 1;
    loop {
        let mut args = Args::new().arg("fields", &columns).arg("data", &data);
        if noupdate {
            args = args.kwarg("context", BTreeMap::from([("noupdate", true)]));
        }
        let answer: LoadAnswer<M> = repo.session().call(M::NAME, "load", args).await?;
        if answer.ids.is_some() || tried >= tries || !refused_for_concurrency(&answer.messages) {
            return Ok(answer);
        }
        // the other transaction has committed by now; wait a little longer each time, as
        // Odoo does before it resends such a call
        let wait = std::time::Duration::from_millis(100 << tried);
        tracing::debug!(
            model = M::NAME,
            rows = sent.len(),
            tried,
            ?wait,
            "load refused for a concurrent update; sending the batch again"
        );
        tokio::time::sleep(wait).await;
        tried += 1;
    }
}

/// The batch's outcome from `load`'s answer.
fn finish<M: Model>(
    repo: &Repository<M>,
    prepared: Prepared<M>,
    answer: LoadAnswer<M>,
) -> Result<ImportReport<M>, Error> {
    let Prepared {
        sent,
        existing,
        mut report,
    } = prepared;
    let row_error = |m: &LoadMessage, problem: RowProblem| {
        let index = m.record.and_then(|i| usize::try_from(i).ok());
        let row = index.and_then(|i| sent.get(i));
        RowError {
            row: row.map_or(usize::MAX, |r| r.row),
            xmlid: row.map(|r| r.xmlid.to_string()).unwrap_or_default(),
            field: m.field.clone().filter(|f| !f.is_empty()),
            message: m.message.clone(),
            problem,
        }
    };
    match answer.ids {
        Some(ids) if ids.len() == sent.len() => {
            for (r, id) in sent.iter().zip(ids) {
                let entry = (r.xmlid.clone(), id);
                if existing.contains_key(r.xmlid.as_str()) {
                    report.updated.push(entry);
                } else {
                    report.created.push(entry);
                }
            }
            report.warnings.extend(
                answer
                    .messages
                    .iter()
                    .map(|m| row_error(m, RowProblem::Warning)),
            );
            Ok(report)
        }
        Some(ids) => Err(repo.shape_error(
            "load",
            format!("load of {} rows returned {} ids", sent.len(), ids.len()),
        )),
        None => {
            let mut refused = HashSet::new();
            for m in &answer.messages {
                if m.kind == "error" {
                    let e = row_error(m, RowProblem::Server);
                    refused.insert(e.row);
                    report.failed.push(e);
                } else {
                    report.warnings.push(row_error(m, RowProblem::Warning));
                }
            }
            for r in &sent {
                if !refused.contains(&r.row) {
                    report.failed.push(RowError {
                            row: r.row,
                            xmlid: r.xmlid.to_string(),
                            field: None,
                            message: "not imported: another row of its batch was refused, so the batch was rolled back".into(),
                            problem: RowProblem::RolledBack,
                        });
                }
            }
            Ok(report)
        }
    }
}

impl<M> ImportReport<M> {
    /// How many distinct rows are in [`failed`](Self::failed).
    pub fn failed_rows(&self) -> usize {
        self.failed
            .iter()
            .map(|e| e.row)
            .collect::<HashSet<_>>()
            .len()
    }
}

fn columns_of(r: &Ready) -> Vec<&str> {
    let mut columns: Vec<&str> = r.cells.iter().map(|(c, _)| c.as_str()).collect();
    columns.sort_unstable();
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(xmlid: &str, refs: &[&str]) -> Ready {
        Ready {
            row: 0,
            xmlid: XmlId::new(xmlid).expect("an external id"),
            cells: refs
                .iter()
                .map(|r| ("parent_id/id".to_owned(), (*r).to_owned()))
                .chain([("name".to_owned(), "x.b".to_owned())])
                .collect(),
        }
    }

    #[test]
    fn a_batch_waits_for_the_last_earlier_batch_it_points_at() {
        let batches = vec![
            vec![row("x.a", &[]), row("x.b", &["x.a"])],
            vec![row("x.c", &["base.be"])],
            vec![row("x.d", &["x.b"]), row("x.e", &["x.c"])],
            vec![row("__import__.f", &["x.d,x.e"])],
            vec![row("x.g", &["f", "x.h"])],
            vec![row("x.h", &[])],
        ];
        // within its own batch, elsewhere, two earlier batches, a list, a bare name, a later
        // batch; a plain column (`name`) naming an id is no reference
        assert_eq!(
            waits_for(&batches),
            [None, None, Some(1), Some(2), Some(3), None]
        );
    }
}
