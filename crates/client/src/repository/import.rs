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
//!     .batch_size(500)
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
            .field("mode", &self.mode)
            .field("noupdate", &self.noupdate)
            .finish()
    }
}

impl<M: Model> Repository<M> {
    /// Imports `rows` with Odoo's `load`, by external id, in batches (500 rows by default):
    /// see [the module docs](crate::repository::import).
    pub fn import(&self, rows: Vec<ImportRow<M>>) -> Import<M> {
        Import {
            repo: self.clone(),
            rows,
            batch_size: 500,
            mode: ImportMode::default(),
            noupdate: false,
            progress: None,
        }
    }
}

impl<M: Model> Import<M> {
    /// At most `rows` rows per `load` call (at least 1). One call is one transaction: a
    /// refused row rolls its batch back.
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.batch_size = rows.max(1);
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
        let mut progress = Progress {
            rows_done: report.refused.len(),
            rows_total,
            batches: 0,
            created: 0,
            updated: 0,
            not_imported: report.refused.len(),
        };
        let mut rest = ready.into_iter().peekable();
        while rest.peek().is_some() {
            // A batch: consecutive rows with the same columns (a column missing from a row
            // would be an empty cell, which `load` writes as empty).
            let first = rest.next().expect("peeked");
            let shape: Vec<String> = columns_of(&first).into_iter().map(str::to_owned).collect();
            let mut batch = vec![first];
            while batch.len() < self.batch_size
                && rest.peek().is_some_and(|r| columns_of(r) == shape)
            {
                batch.extend(rest.next());
            }
            let handled = batch.len();
            send(&self.repo, self.mode, self.noupdate, batch, &mut report).await?;
            progress.batches += 1;
            progress.rows_done += handled;
            progress.created = report.created.len();
            progress.updated = report.updated.len();
            progress.not_imported = report.refused.len() + report.failed_rows();
            if let Some(f) = &mut self.progress {
                f(&progress);
            }
        }
        Ok(report)
    }
}

/// Sends one batch and records its outcome.
async fn send<M: Model>(
    repo: &Repository<M>,
    mode: ImportMode,
    noupdate: bool,
    batch: Vec<Ready>,
    report: &mut ImportReport<M>,
) -> Result<(), Error> {
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
    if sent.is_empty() {
        return Ok(());
    }
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
    let mut args = Args::new().arg("fields", &columns).arg("data", &data);
    if noupdate {
        args = args.kwarg("context", BTreeMap::from([("noupdate", true)]));
    }
    let answer: LoadAnswer<M> = repo.session().call(M::NAME, "load", args).await?;
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
            Ok(())
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
            Ok(())
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
