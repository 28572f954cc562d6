//! [`Repository::export`]: Odoo's `export_data`, typed and streamed in pages, and a
//! `write_date` sync that loses nothing and ends.
//!
//! Columns are chosen through the field constants ([`ExportColumns`]): the record's external
//! id, plain fields, and many2one fields by external id (`country_id/id`), so what an export
//! writes is what [`Repository::import`](crate::Repository::import) reads back.
//!
//! # Paging
//!
//! A page is two calls: `search_read` of the next ids (`id > last id`, in id order) with
//! their `write_date`, then `export_data` of those ids. Pages follow the id, which is unique
//! and which Odoo answers exactly. They do not follow `write_date`: Odoo 17 stores it to the
//! microsecond but answers it to the second, and compares a domain's value to the stored
//! microseconds, so a `(write_date, id)` cursor re-reads or skips the records of a busy
//! second. Each record comes at most once per stream, and every stream ends.
//!
//! # Syncing changes
//!
//! [`Export::changed_since`] reads one window of `write_date`s, `[watermark − overlap,
//! end)`, where `end` is one second past the newest `write_date` the server holds when the
//! window opens, and answers the [`Watermark`] the next sync starts from (that `end`).
//! Odoo stamps `write_date` with the writing transaction's start, and the change becomes
//! visible when it commits, so a record can appear after a sync with a `write_date` before
//! that sync's watermark. The next sync reads `overlap` ([`DEFAULT_OVERLAP`]) before the
//! watermark again to find it. What is guaranteed:
//!
//! * A change is delivered by the first sync that opens its window after the change
//!   committed, or by an earlier one, if its transaction committed within `overlap − 1 s` of
//!   its start. A longer transaction can be missed (widen the overlap to cover it).
//! * Within one sync each record comes at most once, with the cells as they were when its
//!   page was read; the stream ends.
//! * A row whose `write_date` is before the previous watermark is marked
//!   [`ExportRow::repeat`]: the previous sync may have delivered it. Apply rows as upserts by
//!   id; a consumer that keeps each record's `write_date` may drop a repeat whose
//!   `write_date` is older than the one it holds, but not one that is equal (two writes
//!   within one second have the same `write_date`).
//! * A record rewritten while a sync runs comes in this sync or the next, with its newest
//!   cells at the latest in the next.
//!
//! Deleted records are not reported (Odoo keeps no trace of them); records without a
//! `write_date` (inserted by SQL) come only in the first sync.
//!
//! ```no_run
//! # use openspp_client::{Field, Model, Session};
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner { const NAME: &'static str = "res.partner"; const FIELDS: &'static [&'static str] = &[]; const REQUIRED: &'static [&'static str] = &[]; }
//! # const NAME: Field<ResPartner, String> = Field::new("name");
//! # const IS_REGISTRANT: Field<ResPartner, bool> = Field::new("is_registrant");
//! # async fn demo(odoo: Session, stored: Option<chrono::NaiveDateTime>) -> Result<(), openspp_client::Error> {
//! use futures_util::TryStreamExt;
//! use openspp_client::{ExportColumns, Watermark};
//!
//! let since = stored.map_or(Watermark::BEGINNING, Watermark::at);
//! let columns = ExportColumns::new().xmlid().field(NAME);
//! let changes = odoo
//!     .repo::<ResPartner>()
//!     .export(IS_REGISTRANT.eq(true), columns)
//!     .changed_since(since)
//!     .open()
//!     .await?;
//! let next = changes.next_watermark();
//! let mut rows = changes.stream(500);
//! while let Some(row) = rows.try_next().await? {
//!     // upsert by id; `row.repeat` rows may have come in the previous sync
//!     println!("{} {} {:?}", row.id, row.repeat, row.cells);
//! }
//! // every row applied: store `next.read_before()` for the next run
//! # Ok(()) }
//! ```

mod columns;
mod watermark;

pub use columns::{ExportColumns, Exportable};
pub use watermark::{DEFAULT_OVERLAP, Watermark};

use std::fmt;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use openspp_xmlrpc::Value;
use serde::Deserialize;

use crate::error::Error;
use crate::repository::Repository;
use crate::typed::args::Args;
use crate::typed::domain::Domain;
use crate::typed::field::{Field, NotWritable, Searchable, Sortable};
use crate::typed::model::{Id, Model};

/// One exported record.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow<M> {
    /// The record.
    pub id: Id<M>,
    /// When it was last written (UTC, to the second, as Odoo answers it).
    pub write_date: NaiveDateTime,
    /// Its `write_date` is before the previous sync's watermark: that sync may have delivered
    /// this same version (see [the module docs](crate::export)). Always `false` outside
    /// [`Export::changed_since`].
    pub repeat: bool,
    /// One value per column, as `export_data` answers them.
    pub cells: Vec<Value>,
}

/// An export being set up: stream every matching record with [`Export::stream`], or sync
/// the changes since a watermark with [`Export::changed_since`].
#[must_use = "an export does nothing until streamed"]
pub struct Export<M> {
    repo: Repository<M>,
    domain: Domain<M>,
    columns: ExportColumns<M>,
}

impl<M: Model> fmt::Debug for Export<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Export({}, {}, {:?})",
            M::NAME,
            self.domain,
            self.columns.names
        )
    }
}

impl<M: Model> Repository<M> {
    /// `export_data` of the records matching `domain`, in pages: see
    /// [the module docs](crate::export).
    pub fn export(&self, domain: Domain<M>, columns: ExportColumns<M>) -> Export<M> {
        Export {
            repo: self.clone(),
            domain,
            columns,
        }
    }
}

/// Every Odoo model's `write_date`.
fn write_date<M: Model>() -> Field<M, NaiveDateTime, Searchable, Sortable, NotWritable> {
    Field::new("write_date")
}

#[derive(Deserialize)]
struct Stamp {
    id: i32,
    #[serde(deserialize_with = "crate::typed::de::datetime")]
    write_date: Option<NaiveDateTime>,
}

#[derive(Deserialize)]
struct Exported {
    datas: Vec<Vec<Value>>,
}

impl<M: Model> Export<M> {
    /// Every record matching the domain, each once, in id order, `page_size` records per
    /// page (at least 1). At most one page is held in memory.
    pub fn stream(
        self,
        page_size: usize,
    ) -> impl Stream<Item = Result<ExportRow<M>, Error>> + Send {
        let domain = self.domain.clone();
        pages(self, domain, None, page_size)
    }

    /// The records written since `watermark` (and `overlap` before it, [`DEFAULT_OVERLAP`]
    /// unless [`Changes::overlap`] says otherwise); [`Changes::open`] opens the window, which
    /// fixes the next watermark; see [the module docs](crate::export)
    /// for what is guaranteed.
    pub fn changed_since(self, watermark: Watermark) -> Changes<M> {
        Changes {
            export: self,
            since: watermark,
            overlap: DEFAULT_OVERLAP,
        }
    }
}

/// A sync being set up; [`Changes::open`] opens its window.
#[must_use = "a sync does nothing until awaited"]
pub struct Changes<M> {
    export: Export<M>,
    since: Watermark,
    overlap: Duration,
}

impl<M: Model> fmt::Debug for Changes<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Changes({:?}, since {}, overlap {:?})",
            self.export, self.since, self.overlap
        )
    }
}

impl<M: Model> Changes<M> {
    /// How far before the watermark to read again, for transactions that commit late
    /// (default [`DEFAULT_OVERLAP`]); a change whose transaction took longer than
    /// `overlap − 1 s` to commit can be missed.
    pub fn overlap(mut self, overlap: Duration) -> Self {
        self.overlap = overlap;
        self
    }

    /// Opens the window (one `search_read` of the newest `write_date`), which fixes the
    /// next watermark.
    pub async fn open(self) -> Result<ChangeWindow<M>, Error> {
        let Changes {
            export,
            since,
            overlap,
        } = self;
        let start = since.window_start(overlap);
        let from = match start {
            Some(start) => export.domain.clone() & write_date::<M>().ge(start),
            None => export.domain.clone(),
        };
        let newest: Vec<Stamp> = export
            .repo
            .session()
            .call(
                M::NAME,
                "search_read",
                Args::new()
                    .arg("domain", from.clone() & write_date::<M>().is_set())
                    .kwarg("fields", ["write_date"])
                    .kwarg("limit", 1)
                    .kwarg("order", "write_date desc, id desc"),
            )
            .await?;
        let end = newest
            .first()
            .and_then(|stamp| stamp.write_date)
            .map(|newest| newest + TimeDelta::seconds(1));
        let window = match (end, start) {
            (Some(end), None) => {
                Some(from & (write_date::<M>().lt(end) | write_date::<M>().is_not_set()))
            }
            (Some(end), Some(_)) => Some(from & write_date::<M>().lt(end)),
            // nothing written since: only the records without a write_date on a first sync
            (None, None) => Some(from & write_date::<M>().is_not_set()),
            (None, Some(_)) => None,
        };
        Ok(ChangeWindow {
            export,
            window,
            since,
            next: end.map_or(since, Watermark::at),
        })
    }
}

/// An opened sync: its rows, and the watermark to store once they are applied.
#[must_use = "a sync delivers nothing until streamed"]
pub struct ChangeWindow<M> {
    export: Export<M>,
    /// `None` when nothing was written since the watermark.
    window: Option<Domain<M>>,
    since: Watermark,
    next: Watermark,
}

impl<M: Model> fmt::Debug for ChangeWindow<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ChangeWindow({}, {:?}, next {})",
            M::NAME,
            self.window.as_ref().map(ToString::to_string),
            self.next
        )
    }
}

impl<M: Model> ChangeWindow<M> {
    /// The watermark the next sync starts from: store it once every row of
    /// [`ChangeWindow::stream`] is applied (the previous one if nothing was written since).
    pub fn next_watermark(&self) -> Watermark {
        self.next
    }

    /// The window's records, each once, in id order, `page_size` records per page (at
    /// least 1), those before the previous watermark marked [`ExportRow::repeat`].
    pub fn stream(
        self,
        page_size: usize,
    ) -> impl Stream<Item = Result<ExportRow<M>, Error>> + Send {
        match self.window {
            Some(window) => pages(self.export, window, self.since.read_before(), page_size),
            None => stream::empty().boxed(),
        }
    }
}

/// The rows of `domain` in id order, a page per `search_read` and `export_data`; rows
/// written before `repeat_before` are marked as repeats.
fn pages<M: Model>(
    export: Export<M>,
    domain: Domain<M>,
    repeat_before: Option<NaiveDateTime>,
    page_size: usize,
) -> BoxStream<'static, Result<ExportRow<M>, Error>> {
    let page_size = page_size.max(1);
    struct State<M> {
        export: Export<M>,
        domain: Domain<M>,
        after: Option<Id<M>>,
        done: bool,
    }
    let state = State {
        export,
        domain,
        after: None,
        done: false,
    };
    stream::try_unfold(state, move |mut st| async move {
        if st.done || st.export.columns.names.is_empty() {
            return Ok(None);
        }
        let domain = match st.after {
            None => st.domain.clone(),
            Some(id) => st.domain.clone() & M::ID.gt(id),
        };
        let repo = &st.export.repo;
        let stamps: Vec<Stamp> = repo
            .session()
            .call(
                M::NAME,
                "search_read",
                Args::new()
                    .arg("domain", domain)
                    .kwarg("fields", ["write_date"])
                    .kwarg("limit", page_size)
                    .kwarg("order", "id asc"),
            )
            .await?;
        st.done = stamps.len() < page_size;
        if stamps.is_empty() {
            return Ok(None);
        }
        let ids: Vec<i32> = stamps.iter().map(|s| s.id).collect();
        let exported: Exported = repo
            .session()
            .call(
                M::NAME,
                "export_data",
                Args::new()
                    .ids(&ids)
                    .arg("fields_to_export", &st.export.columns.names),
            )
            .await?;
        if exported.datas.len() != stamps.len() {
            return Err(repo.shape_error(
                "export_data",
                format!(
                    "export_data of {} records returned {} rows",
                    stamps.len(),
                    exported.datas.len()
                ),
            ));
        }
        let mut rows = Vec::with_capacity(stamps.len());
        for (stamp, cells) in stamps.into_iter().zip(exported.datas) {
            let write_date = stamp.write_date.ok_or_else(|| {
                repo.shape_error(
                    "search_read",
                    format!("record {} has no write_date", stamp.id),
                )
            })?;
            rows.push(ExportRow {
                id: Id::new(stamp.id),
                write_date,
                repeat: repeat_before.is_some_and(|before| write_date < before),
                cells,
            });
        }
        st.after = rows.last().map(|r| r.id);
        Ok(Some((stream::iter(rows.into_iter().map(Ok)), st)))
    })
    .try_flatten()
    .boxed()
}
