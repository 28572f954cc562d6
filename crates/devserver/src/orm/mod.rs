//! The ORM methods the server answers, over one transaction: search, read, create, write,
//! unlink and the metadata calls, each in its own module.

pub mod binary;
pub mod copy;
pub mod dates;
pub mod domain;
pub mod export;
pub mod formatted_read_group;
pub mod html;
pub mod load;
pub mod meta;
pub mod periods;
pub mod pg_input;
pub mod read;
pub mod read_group;
pub mod search;
pub mod whole_seconds;
pub mod write;
pub mod xmlid;

use crate::fault::{OdooError, OdooResult};
use crate::registry::{Model, Registry};
use crate::store::sql_error;
use openspp_xmlrpc::{Struct, Value};
use rusqlite::Transaction;

/// Everything a method needs: the transaction, the models, who calls and with what context.
#[derive(Debug)]
pub struct Env<'a> {
    /// The call's transaction.
    pub tx: &'a Transaction<'a>,
    /// The models.
    pub registry: &'a Registry,
    /// The calling user.
    pub uid: i64,
    /// `kwargs.context`.
    pub context: Struct,
    /// The call's timestamp (`create_date`/`write_date`), UTC, as PostgreSQL stores it: to
    /// the microsecond (see [`crate::clock::timestamp_text`]).
    pub now: String,
    /// The call came over JSON-RPC (which carries `null`).
    pub json: bool,
    /// The release the server presents itself as: messages that changed follow it.
    pub version: crate::version::OdooVersion,
}

impl<'a> Env<'a> {
    /// The model named `name`, or fault 2 like the real server.
    pub fn model(&self, name: &str) -> OdooResult<&'a Model> {
        self.registry
            .model(name)
            .ok_or_else(|| match self.registry.skipped(name) {
                Some((code, message)) => meta::recorded_fault(*code, message),
                None => OdooError::User(format!("Object {name} doesn't exist")),
            })
    }

    /// `context.get('active_test', True)`, as Python tests it: `0`, `None`, `""` are false.
    pub fn active_test(&self) -> bool {
        self.context
            .get("active_test")
            .is_none_or(|v| !crate::values::is_falsy(v))
    }

    /// The ids among `ids` that exist in `model`, in the order given, without duplicates.
    pub fn existing(&self, model: &Model, ids: &[i64]) -> OdooResult<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; ids.len()].join(",");
        let mut stmt = self
            .tx
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE id IN ({placeholders})",
                crate::registry::quote(&model.table)
            ))
            .map_err(sql_error)?;
        let found: std::collections::HashSet<i64> = stmt
            .query_map(rusqlite::params_from_iter(ids.iter()), |row| row.get(0))
            .map_err(sql_error)?
            .collect::<Result<_, _>>()
            .map_err(sql_error)?;
        let mut seen = std::collections::HashSet::new();
        Ok(ids
            .iter()
            .copied()
            .filter(|id| found.contains(id) && seen.insert(*id))
            .collect())
    }

    /// Fault 2 unless every id exists: the `MissingError` Odoo 17's ORM raises when it reads
    /// the first missing record (`fields.py`, "Record does not exist or has been deleted.").
    pub fn ensure_exist(&self, model: &Model, ids: &[i64]) -> OdooResult<()> {
        let found = self.existing(model, ids)?;
        match ids.iter().find(|id| !found.contains(id)) {
            None => Ok(()),
            Some(missing) => Err(OdooError::Missing(format!(
                "Record does not exist or has been deleted.\n(Record: {}({missing},), User: {})",
                model.name, self.uid
            ))),
        }
    }
}

/// Record ids from a value: a list of ids or a single id.
pub fn ids_of(value: &Value) -> OdooResult<Vec<i64>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                crate::values::as_id(v).ok_or_else(|| {
                    OdooError::type_error(format!(
                        "expected a list of record ids, got {}",
                        crate::values::py_repr(value)
                    ))
                })
            })
            .collect(),
        Value::Bool(false) => Ok(Vec::new()),
        other => crate::values::as_id(other)
            .map(|id| vec![id])
            .ok_or_else(|| {
                OdooError::type_error(format!(
                    "expected a list of record ids, got {}",
                    crate::values::py_repr(other)
                ))
            }),
    }
}
