//! External ids (`module.name`, Odoo's `ir.model.data`): resolve one to a typed [`Id`], read
//! a record's, give a record one. The same semantics as Odoo's `env.ref` (`_xmlid_lookup`
//! then an existence check), through public `search_read`/`create` calls on
//! `ir.model.data`, so they work on every Odoo release and both protocols.

pub use crate::error::XmlIdProblem;

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::Error;
use crate::repository::Repository;
use crate::typed::args::Args;
use crate::typed::model::{Id, Model};

/// An external id, `module.name` (e.g. `base.be`, `registry.ind_000042`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct XmlId(String);

impl XmlId {
    /// Checks the shape Odoo requires: a module, a dot, a name (split at the first dot, as
    /// `xmlid.split('.', 1)`), and no space (`ir.model.data`'s `name_nospaces`).
    pub fn new(xmlid: impl Into<String>) -> Result<Self, Error> {
        let xmlid = xmlid.into();
        let problem = match xmlid.split_once('.') {
            None => Some("expected `module.name`"),
            Some((module, name)) if module.is_empty() || name.is_empty() => {
                Some("expected `module.name`, both non-empty")
            }
            Some(_) if xmlid.contains(' ') || xmlid.contains(',') => {
                Some("external ids cannot contain spaces or commas")
            }
            Some(_) => None,
        };
        match problem {
            None => Ok(XmlId(xmlid)),
            Some(problem) => Err(Error::ExternalId {
                xmlid,
                problem: XmlIdProblem::Malformed(problem),
            }),
        }
    }

    /// The module part (before the first dot).
    pub fn module(&self) -> &str {
        self.0.split_once('.').map_or("", |(m, _)| m)
    }

    /// The name part (after the first dot).
    pub fn name(&self) -> &str {
        self.0.split_once('.').map_or("", |(_, n)| n)
    }

    /// `module.name`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for XmlId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One `ir.model.data` row as read.
#[derive(Debug, Deserialize)]
pub(crate) struct DataRow {
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) model: String,
    /// `False` (none) reads as `None`.
    #[serde(default)]
    pub(crate) res_id: Option<i32>,
}

impl DataRow {
    pub(crate) fn xmlid(&self) -> String {
        if self.module.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.module, self.name)
        }
    }
}

const DATA: &str = "ir.model.data";
const DATA_FIELDS: [&str; 4] = ["module", "name", "model", "res_id"];

impl<M: Model> Repository<M> {
    /// The record named by the external id `xmlid`, as `env.ref(xmlid)` finds it: the
    /// `ir.model.data` row of `module.name`, whose record must still exist and be a record of
    /// `M` (an id of another model is [`XmlIdProblem::WrongModel`], never a wrong `Id<M>`).
    pub async fn by_xmlid(&self, xmlid: &str) -> Result<Id<M>, Error> {
        let xmlid = XmlId::new(xmlid)?;
        let rows = self.data_rows(std::slice::from_ref(&xmlid)).await?;
        let fail = |problem| Error::ExternalId {
            xmlid: xmlid.to_string(),
            problem,
        };
        let row = rows
            .into_iter()
            .find(|r| r.res_id.is_some_and(|id| id != 0))
            .ok_or_else(|| fail(XmlIdProblem::NotFound))?;
        if row.model != M::NAME {
            return Err(fail(XmlIdProblem::WrongModel {
                expected: M::NAME,
                found: row.model,
            }));
        }
        let id = Id::new(row.res_id.unwrap_or_default());
        // `exists()`, archived records included: `read` answers the ids that exist.
        if !self.read(&[id]).await?.is_empty() {
            Ok(id)
        } else {
            Err(fail(XmlIdProblem::Deleted))
        }
    }

    /// The external ids of `ids` (`_get_external_ids`): every id of each record, oldest
    /// first; a record without one maps to an empty list.
    pub async fn xmlids(&self, ids: &[Id<M>]) -> Result<BTreeMap<Id<M>, Vec<String>>, Error> {
        let mut out: BTreeMap<Id<M>, Vec<String>> = ids.iter().map(|id| (*id, vec![])).collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let domain = vec![
            ("model", "=", serde_json::json!(M::NAME)),
            ("res_id", "in", serde_json::json!(ids)),
        ];
        let rows: Vec<DataRow> = self
            .session()
            .call(
                DATA,
                "search_read",
                Args::new()
                    .arg("domain", domain)
                    .kwarg("fields", DATA_FIELDS)
                    .kwarg("order", "id"),
            )
            .await?;
        for row in rows {
            if let Some(list) = row.res_id.and_then(|id| out.get_mut(&Id::new(id))) {
                list.push(row.xmlid());
            }
        }
        Ok(out)
    }

    /// Gives record `id` the external id `xmlid` (an `ir.model.data` row); `noupdate` keeps
    /// module updates and `load` in `update` mode from overwriting the record. An id that
    /// already names a record is refused with [`XmlIdProblem::Taken`] before anything is
    /// written.
    pub async fn set_xmlid(&self, id: Id<M>, xmlid: &str, noupdate: bool) -> Result<(), Error> {
        let xmlid = XmlId::new(xmlid)?;
        if let Some(row) = self
            .data_rows(std::slice::from_ref(&xmlid))
            .await?
            .into_iter()
            .next()
        {
            return Err(Error::ExternalId {
                xmlid: xmlid.to_string(),
                problem: XmlIdProblem::Taken {
                    model: row.model,
                    res_id: row.res_id.unwrap_or_default(),
                },
            });
        }
        let values = serde_json::json!({
            "module": xmlid.module(),
            "name": xmlid.name(),
            "model": M::NAME,
            "res_id": id,
            "noupdate": noupdate,
        });
        let _: serde_json::Value = self
            .session()
            .call(DATA, "create", Args::new().arg("vals_list", [values]))
            .await?;
        Ok(())
    }

    /// The `ir.model.data` rows of `xmlids` (any model), one query per module.
    pub(crate) async fn data_rows(&self, xmlids: &[XmlId]) -> Result<Vec<DataRow>, Error> {
        let mut by_module: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for x in xmlids {
            by_module.entry(x.module()).or_default().push(x.name());
        }
        let mut rows = Vec::new();
        for (module, names) in by_module {
            let domain = vec![
                ("module", "=", serde_json::json!(module)),
                ("name", "in", serde_json::json!(names)),
            ];
            let found: Vec<DataRow> = self
                .session()
                .call(
                    DATA,
                    "search_read",
                    Args::new()
                        .arg("domain", domain)
                        .kwarg("fields", DATA_FIELDS),
                )
                .await?;
            rows.extend(found);
        }
        Ok(rows)
    }
}
