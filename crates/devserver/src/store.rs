//! The SQLite database: one table per model, one relation table per many2many, one connection
//! behind a mutex, and one transaction per call (committed only when the call succeeds).

use crate::fault::{OdooError, OdooResult};
use crate::registry::{Kind, Registry, quote};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

/// The database behind the server.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database, in memory when `path` is `None`, and creates the
    /// tables and columns the registry needs that are not there yet.
    pub fn open(path: Option<&Path>, registry: &Registry) -> rusqlite::Result<Store> {
        let conn = match path {
            Some(path) => Connection::open(path)?,
            None => Connection::open_in_memory()?,
        };
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        if path.is_some() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        conn.create_scalar_function(
            "odoo_like",
            3,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let value: Option<String> = ctx.get(0)?;
                let pattern: String = ctx.get(1)?;
                let ci: bool = ctx.get(2)?;
                Ok(value.is_some_and(|v| crate::orm::domain::like(&v, &pattern, ci)))
            },
        )?;
        create_tables(&conn, registry)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    pub fn transaction<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> OdooResult<T>,
    ) -> OdooResult<T> {
        // a panic in another call poisons the mutex; the connection itself is still usable
        // because that call's transaction was rolled back when it unwound
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_error)?;
        let result = f(&tx)?;
        tx.commit().map_err(sql_error)?;
        Ok(result)
    }
}

/// An SQLite failure as the Python exception psycopg2 would have raised.
pub fn sql_error(error: rusqlite::Error) -> OdooError {
    OdooError::python("psycopg2.DatabaseError", error.to_string())
}

fn create_tables(conn: &Connection, registry: &Registry) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    let mut relation_tables = BTreeSet::new();
    let mut indexed: BTreeSet<(&str, &str)> = BTreeSet::new();
    for model in registry.models() {
        if let Some(parent) = &model.parent_field {
            indexed.insert((model.name.as_str(), parent.as_str()));
        }
        for field in model.fields.values().filter(|f| f.kind == Kind::One2many) {
            if let (Some(comodel), Some(inverse)) = (&field.relation, &field.relation_field) {
                indexed.insert((comodel.as_str(), inverse.as_str()));
            }
        }
    }
    for model in registry.models() {
        let table = quote(&model.table);
        let existing: BTreeSet<String> = {
            let mut stmt = tx.prepare(&format!("PRAGMA table_info({table})"))?;
            stmt.query_map([], |row| row.get::<_, String>(1))?
                .collect::<rusqlite::Result<_>>()?
        };
        let column = |field: &crate::registry::Field| {
            let sql_type = match field.kind {
                Kind::Integer | Kind::IdReference | Kind::Many2one | Kind::Boolean => "INTEGER",
                Kind::Float => "REAL",
                _ => "TEXT",
            };
            format!("{} {sql_type}", quote(&field.name))
        };
        let columns = model.columns().filter(|f| f.name != "id");
        if existing.is_empty() {
            let defs: Vec<String> = columns.map(column).collect();
            let mut sql = format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY AUTOINCREMENT");
            for def in defs {
                sql.push_str(", ");
                sql.push_str(&def);
            }
            sql.push(')');
            tx.execute_batch(&sql)?;
        } else {
            // a database file from an older schema: add what is new, keep the rest
            for field in columns.filter(|f| !existing.contains(&f.name)) {
                tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {}", column(field)))?;
            }
        }
        // many2one columns that one2many fields and hierarchies look up
        for field in model
            .columns()
            .filter(|f| indexed.contains(&(model.name.as_str(), f.name.as_str())))
        {
            tx.execute_batch(&format!(
                "CREATE INDEX IF NOT EXISTS {} ON {table} ({})",
                quote(&format!("{}__{}", model.table, field.name)),
                quote(&field.name)
            ))?;
        }
        for field in model.fields.values() {
            let Some(rel) = &field.m2m else { continue };
            if !relation_tables.insert(rel.table.clone()) {
                continue;
            }
            let (a, b) = (quote(&rel.this), quote(&rel.other));
            tx.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {t} ({a} INTEGER NOT NULL, {b} INTEGER NOT NULL, PRIMARY KEY ({a}, {b})) WITHOUT ROWID;
                 CREATE INDEX IF NOT EXISTS {i} ON {t} ({b});",
                t = quote(&rel.table),
                i = quote(&format!("{}__rev", rel.table)),
            ))?;
        }
    }
    // ir.model.data's indexes (`IrModelData._auto_init`): external ids by `module.name`
    // (unique on the real server; checked by `orm::xmlid`) and by record
    if let Some(data) = registry.model("ir.model.data") {
        let table = quote(&data.table);
        tx.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS ir_model_data_module_name_uniq_index ON {table} (module, name);
             CREATE INDEX IF NOT EXISTS ir_model_data_model_res_id_index ON {table} (model, res_id);"
        ))?;
    }
    tx.commit()
}
