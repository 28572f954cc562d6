//! [`Repository::export`]: Odoo's `export_data`, typed and streamed in pages, with
//! `write_date` watermarks for the nightly-sync direction.
//!
//! Columns are chosen through the field constants: the record's external id, plain fields,
//! and many2one fields by external id (`country_id/id`), so what an export writes is what
//! [`Repository::import`](crate::Repository::import) reads back. Records come in
//! `(write_date, id)` order, a page per two calls (`search_read` of ids and `write_date`,
//! then `export_data`); [`Export::changed_since`] keeps only records written at or after a
//! watermark, and every row carries its `write_date`, so a sync stores the last one it saw
//! and starts there next time.
//!
//! ```no_run
//! # use openspp_client::{Field, Model, Session};
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner { const NAME: &'static str = "res.partner"; const FIELDS: &'static [&'static str] = &[]; const REQUIRED: &'static [&'static str] = &[]; }
//! # const NAME: Field<ResPartner, String> = Field::new("name");
//! # const IS_REGISTRANT: Field<ResPartner, bool> = Field::new("is_registrant");
//! # async fn demo(odoo: Session, last_run: chrono::NaiveDateTime) -> Result<(), openspp_client::Error> {
//! use futures_util::TryStreamExt;
//! use openspp_client::ExportColumns;
//!
//! let columns = ExportColumns::new().xmlid().field(NAME);
//! let mut rows = odoo
//!     .repo::<ResPartner>()
//!     .export(IS_REGISTRANT.eq(true), columns)
//!     .changed_since(last_run)
//!     .stream(500);
//! let mut watermark = last_run;
//! while let Some(row) = rows.try_next().await? {
//!     println!("{} {:?}", row.id, row.cells);
//!     watermark = watermark.max(row.write_date);
//! }
//! // store `watermark` for the next run
//! # Ok(()) }
//! ```

use std::fmt;
use std::marker::PhantomData;

use chrono::NaiveDateTime;
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use openspp_xmlrpc::Value;
use serde::Deserialize;

use crate::error::Error;
use crate::repository::Repository;
use crate::typed::args::Args;
use crate::typed::domain::Domain;
use crate::typed::field::{Field, NotWritable, Searchable, Sortable};
use crate::typed::model::{Id, Model};
use crate::typed::types::{FieldType, Many2one};

/// The columns of an export, in order (`export_data`'s `fields_to_export`).
pub struct ExportColumns<M> {
    names: Vec<String>,
    model: PhantomData<fn() -> M>,
}

impl<M> fmt::Debug for ExportColumns<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExportColumns({:?})", self.names)
    }
}

impl<M> Clone for ExportColumns<M> {
    fn clone(&self) -> Self {
        Self {
            names: self.names.clone(),
            model: PhantomData,
        }
    }
}

impl<M: Model> Default for ExportColumns<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> ExportColumns<M> {
    /// No columns yet.
    pub fn new() -> Self {
        Self {
            names: Vec::new(),
            model: PhantomData,
        }
    }

    fn push(mut self, name: String) -> Self {
        self.names.push(name);
        self
    }

    /// The record's external id (column `id`; Odoo gives records without one an
    /// `__export__.…` id, which makes the export importable back).
    pub fn xmlid(self) -> Self {
        self.push("id".to_owned())
    }

    /// A field's value as Odoo exports it: text, numbers and booleans as such, a selection's
    /// label, a many2one's display name, `""` for empty.
    pub fn field<T: FieldType, S, O, W>(self, field: Field<M, T, S, O, W>) -> Self {
        self.push(field.name().to_owned())
    }

    /// A many2one's target by external id (column `field/id`), as `set_ref` imports it.
    pub fn field_xmlid<R: Model, S, O, W>(self, field: Field<M, Many2one<R>, S, O, W>) -> Self {
        self.push(format!("{}/id", field.name()))
    }

    /// A many2one's target by database id (column `field/.id`).
    pub fn field_id<R: Model, S, O, W>(self, field: Field<M, Many2one<R>, S, O, W>) -> Self {
        self.push(format!("{}/.id", field.name()))
    }

    /// The column names sent.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// One exported record.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow<M> {
    /// The record.
    pub id: Id<M>,
    /// When it was last written (UTC): the watermark to store.
    pub write_date: NaiveDateTime,
    /// One value per column, as `export_data` answers them.
    pub cells: Vec<Value>,
}

/// An export being set up; stream it with `.stream(page_size)`.
#[must_use = "an export does nothing until streamed"]
pub struct Export<M> {
    repo: Repository<M>,
    domain: Domain<M>,
    columns: ExportColumns<M>,
    since: Option<NaiveDateTime>,
}

impl<M: Model> fmt::Debug for Export<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Export({}, {}, {:?}, since {:?})",
            M::NAME,
            self.domain,
            self.columns.names,
            self.since
        )
    }
}

impl<M: Model> Repository<M> {
    /// `export_data` of the records matching `domain`, in pages: see
    /// [the module docs](crate::repository::export).
    pub fn export(&self, domain: Domain<M>, columns: ExportColumns<M>) -> Export<M> {
        Export {
            repo: self.clone(),
            domain,
            columns,
            since: None,
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
    /// Only records written at or after `watermark` (UTC, `write_date >= watermark`: a
    /// record written in the same second as the last one seen comes again rather than
    /// never).
    pub fn changed_since(mut self, watermark: NaiveDateTime) -> Self {
        self.since = Some(watermark);
        self
    }

    /// The rows, `page_size` records per page (at least 1), in `(write_date, id)` order;
    /// pages follow the last row seen (`write_date > last or (write_date = last and id >
    /// last id)`), so records written during the export are neither skipped nor read twice
    /// within the run. At most one page is held in memory.
    pub fn stream(
        self,
        page_size: usize,
    ) -> impl Stream<Item = Result<ExportRow<M>, Error>> + Send {
        let page_size = page_size.max(1);
        let base = match self.since {
            Some(w) => self.domain.clone() & write_date::<M>().ge(w),
            None => self.domain.clone(),
        };
        struct State<M> {
            export: Export<M>,
            base: Domain<M>,
            after: Option<(NaiveDateTime, Id<M>)>,
            done: bool,
        }
        let state = State {
            export: self,
            base,
            after: None,
            done: false,
        };
        stream::try_unfold(state, move |mut st| async move {
            if st.done || st.export.columns.names.is_empty() {
                return Ok(None);
            }
            let domain = match st.after {
                None => st.base.clone(),
                Some((date, id)) => {
                    st.base.clone()
                        & (write_date::<M>().gt(date) | (write_date::<M>().eq(date) & M::ID.gt(id)))
                }
            };
            let stamps: Vec<Stamp> = st
                .export
                .repo
                .session()
                .call(
                    M::NAME,
                    "search_read",
                    Args::new()
                        .arg("domain", domain)
                        .kwarg("fields", ["write_date"])
                        .kwarg("limit", page_size)
                        .kwarg("order", "write_date asc, id asc"),
                )
                .await?;
            st.done = stamps.len() < page_size;
            if stamps.is_empty() {
                return Ok(None);
            }
            let ids: Vec<i32> = stamps.iter().map(|s| s.id).collect();
            let exported: Exported = st
                .export
                .repo
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
                return Err(st.export.repo.shape_error(
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
                    st.export.repo.shape_error(
                        "search_read",
                        format!("record {} has no write_date", stamp.id),
                    )
                })?;
                rows.push(ExportRow {
                    id: Id::new(stamp.id),
                    write_date,
                    cells,
                });
            }
            st.after = rows.last().map(|r| (r.write_date, r.id));
            Ok(Some((stream::iter(rows.into_iter().map(Ok)), st)))
        })
        .try_flatten()
        .boxed()
    }
}
