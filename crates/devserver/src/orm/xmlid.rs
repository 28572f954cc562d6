//! External ids (`ir.model.data`): `module.name` naming a record of a model. The seed
//! registers them; `env.ref` in clients resolves them (OdooRPC through
//! `check_object_reference`, odooly by searching `ir.model.data`); `load` and
//! `export_data` look them up (`_lookup_xmlids`), create them with `noupdate`, and give
//! exported records that have none an `__export__` id (`__ensure_xml_id` in Odoo 17's
//! `odoo/models.py`).

use super::{Env, domain, search};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Model, quote};
use crate::store::sql_error;
use openspp_xmlrpc::Value;
use rusqlite::OptionalExtension;
use std::collections::HashMap;

/// Registers `module.name` as the external id of `model` record `res_id`, replacing any
/// record it named before. `base` ids are `noupdate`, as the real Odoo 17's
/// `base.main_company`, `base.user_admin`, `base.partner_admin`, `base.be`, `base.USD`...
/// are (their XML files say `noupdate="1"`); the demo's own are not.
pub fn register(
    env: &Env<'_>,
    module: &str,
    name: &str,
    model: &str,
    res_id: i64,
) -> OdooResult<()> {
    let table = quote(&env.model("ir.model.data")?.table);
    env.tx
        .execute(
            &format!("DELETE FROM {table} WHERE module = ?1 AND name = ?2"),
            (module, name),
        )
        .map_err(sql_error)?;
    env.tx
        .execute(
            &format!(
                "INSERT INTO {table} (module, name, model, res_id, noupdate) \
                 VALUES (?1, ?2, ?3, ?4, ?5)"
            ),
            (module, name, model, res_id, i64::from(module == "base")),
        )
        .map_err(sql_error)?;
    Ok(())
}

/// `ir.model.data._xmlid_lookup`: the model and record id of `module.name`, or Odoo's
/// `ValueError` when no record has it.
pub fn lookup(env: &Env<'_>, xmlid: &str) -> OdooResult<(String, i64)> {
    let not_found = || OdooError::value(format!("External ID not found in the system: {xmlid}"));
    let Some((module, name)) = xmlid.split_once('.') else {
        return Err(OdooError::value(
            "not enough values to unpack (expected 2, got 1)",
        ));
    };
    let table = quote(&env.model("ir.model.data")?.table);
    let found = env.tx.query_row(
        &format!("SELECT model, res_id FROM {table} WHERE module = ?1 AND name = ?2"),
        (module, name),
        |row| {
            Ok((
                row.get::<_, Option<String>>(0)?,
                row.get::<_, Option<i64>>(1)?,
            ))
        },
    );
    match found {
        Ok((Some(model), Some(res_id))) if res_id != 0 => Ok((model, res_id)),
        Ok(_) | Err(rusqlite::Error::QueryReturnedNoRows) => Err(not_found()),
        Err(error) => Err(sql_error(error)),
    }
}

/// `ir.model.data.check_object_reference(module, xml_id, raise_on_access_error)`:
/// `[model, res_id]` when the caller can see the record (a search on its id, so an archived
/// record is not seen), else `[model, False]`, or an `AccessError` when asked to raise.
pub fn check_object_reference(
    env: &Env<'_>,
    module: &str,
    name: &str,
    raise_on_access_error: bool,
) -> OdooResult<Value> {
    let (model_name, res_id) = lookup(env, &format!("{module}.{name}"))?;
    let model = env.model(&model_name)?;
    let by_id = Value::Array(vec![Value::Array(vec![
        Value::String("id".into()),
        Value::String("=".into()),
        super::read::int_value(res_id),
    ])]);
    let found = search::search(env, model, &domain::parse(&by_id)?, &Default::default())?;
    if !found.is_empty() {
        return Ok(Value::Array(vec![
            Value::String(model_name),
            super::read::int_value(res_id),
        ]));
    }
    if raise_on_access_error {
        return Err(OdooError::Access(format!(
            "Not enough access rights on the external ID '{module}.{name}'"
        )));
    }
    Ok(Value::Array(vec![
        Value::String(model_name),
        Value::Bool(false),
    ]))
}

/// One `ir.model.data` row.
#[derive(Debug, Clone)]
pub struct XmlId {
    /// The `ir.model.data` id.
    pub id: i64,
    /// The model the id points into.
    pub model: String,
    /// The record id.
    pub res_id: i64,
    /// `noupdate`: module updates leave the record alone.
    pub noupdate: bool,
}

fn table(env: &Env<'_>) -> OdooResult<String> {
    Ok(quote(&env.model("ir.model.data")?.table))
}

/// Splits `module.name` at the first dot, as `xmlid.split('.', 1)`; a name without a dot is
/// Python's `ValueError` (not enough values to unpack).
pub fn split(xmlid: &str) -> OdooResult<(&str, &str)> {
    xmlid.split_once('.').ok_or_else(|| {
        OdooError::value("not enough values to unpack (expected 2, got 1)".to_owned())
    })
}

/// The row of `module.name`, if any (`_lookup_xmlids`).
pub fn find(env: &Env<'_>, xmlid: &str) -> OdooResult<Option<XmlId>> {
    let (module, name) = split(xmlid)?;
    let sql = format!(
        "SELECT id, model, res_id, COALESCE(noupdate, 0) FROM {} WHERE module = ? AND name = ?",
        table(env)?
    );
    env.tx
        .prepare_cached(&sql)
        .map_err(sql_error)?
        .query_row(rusqlite::params![module, name], |row| {
            Ok(XmlId {
                id: row.get(0)?,
                model: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                res_id: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                noupdate: row.get::<_, i64>(3)? != 0,
            })
        })
        .optional()
        .map_err(sql_error)
}

/// Gives record `res_id` of `model` the external id `module.name`, refusing a `module.name`
/// that exists (the unique index `ir_model_data_module_name_uniq_index`) and a name with a
/// space (`name_nospaces`).
pub fn insert(
    env: &Env<'_>,
    xmlid: &str,
    model: &str,
    res_id: i64,
    noupdate: bool,
) -> OdooResult<i64> {
    let (module, name) = split(xmlid)?;
    check_name(name)?;
    if find(env, xmlid)?.is_some() {
        return Err(unique_violation(module, name));
    }
    let sql = format!(
        "INSERT INTO {} (module, name, model, res_id, noupdate, create_date, write_date, create_uid, write_uid) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        table(env)?
    );
    env.tx
        .execute(
            &sql,
            rusqlite::params![
                module,
                name,
                model,
                res_id,
                i64::from(noupdate),
                env.now,
                env.now,
                env.uid,
                env.uid
            ],
        )
        .map_err(sql_error)?;
    Ok(env.tx.last_insert_rowid())
}

/// Deletes the external ids of records of `model` being deleted, as `BaseModel.unlink` does
/// (`ir_model_data_unlink`), so that a later import does not find records that are gone.
pub fn forget_records(env: &Env<'_>, model: &str, ids: &[i64]) -> OdooResult<()> {
    let Some(data) = env
        .registry
        .model("ir.model.data")
        .filter(|_| !ids.is_empty())
    else {
        return Ok(());
    };
    let list = vec!["?"; ids.len()].join(",");
    env.tx
        .execute(
            &format!(
                "DELETE FROM {} WHERE model = ? AND res_id IN ({list})",
                quote(&data.table)
            ),
            rusqlite::params_from_iter(
                std::iter::once(rusqlite::types::Value::Text(model.to_owned()))
                    .chain(ids.iter().map(|id| rusqlite::types::Value::Integer(*id))),
            ),
        )
        .map_err(sql_error)?;
    Ok(())
}

/// Deletes an `ir.model.data` row (a dangling id `load` replaces).
pub fn delete(env: &Env<'_>, id: i64) -> OdooResult<()> {
    env.tx
        .execute(&format!("DELETE FROM {} WHERE id = ?", table(env)?), [id])
        .map_err(sql_error)?;
    Ok(())
}

/// The checks a `create` of `ir.model.data` gets from PostgreSQL on a real server: no space
/// in the name (`name_nospaces`), `module.name` unique. Other models pass.
pub fn check_create(env: &Env<'_>, model: &Model, vals: &openspp_xmlrpc::Struct) -> OdooResult<()> {
    if model.name != "ir.model.data" {
        return Ok(());
    }
    let text = |key: &str| match vals.get(key) {
        Some(openspp_xmlrpc::Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let (module, name) = (text("module"), text("name"));
    check_name(&name)?;
    match find(env, &format!("{module}.{name}"))? {
        Some(_) => Err(unique_violation(&module, &name)),
        None => Ok(()),
    }
}

fn check_name(name: &str) -> OdooResult<()> {
    if name.contains(' ') {
        return Err(OdooError::Validation(
            "The operation cannot be completed: External IDs cannot contain spaces".to_owned(),
        ));
    }
    Ok(())
}

/// PostgreSQL's answer to a second `module.name`, as Odoo 17 reports an `IntegrityError`.
fn unique_violation(module: &str, name: &str) -> OdooError {
    OdooError::Validation(format!(
        "The operation cannot be completed: duplicate key value violates unique constraint \
         \"ir_model_data_module_name_uniq_index\"\nDETAIL:  Key (module, name)=({module}, {name}) \
         already exists."
    ))
}

/// The external id of each record of `ids`, creating `__export__.<table>_<id>_<hex8>` for
/// those without one, as an export of the `id` column does. A record with several gives
/// its newest: `__ensure_xml_id` reads them without an order into a dict, where the last
/// row wins, and PostgreSQL returns rows in insertion order (the real Odoo 17 exports
/// Belgium as `x.be2` once `x.be2` was added beside `base.be`).
pub fn ensure(env: &Env<'_>, model: &Model, ids: &[i64]) -> OdooResult<HashMap<i64, String>> {
    let mut found: HashMap<i64, String> = HashMap::new();
    let sql = format!(
        "SELECT res_id, module, name FROM {} WHERE model = ? AND res_id = ? \
         ORDER BY id DESC LIMIT 1",
        table(env)?
    );
    let mut stmt = env.tx.prepare_cached(&sql).map_err(sql_error)?;
    for id in ids {
        let row = stmt
            .query_row(rusqlite::params![model.name, id], |row| {
                Ok((row.get::<_, String>(1)?, row.get::<_, String>(2)?))
            })
            .optional()
            .map_err(sql_error)?;
        if let Some((module, name)) = row {
            let xmlid = if module.is_empty() {
                name
            } else {
                format!("{module}.{name}")
            };
            found.insert(*id, xmlid);
        }
    }
    drop(stmt);
    for id in ids {
        if found.contains_key(id) {
            continue;
        }
        let xmlid = format!("__export__.{}_{id}_{}", model.table, suffix(env, *id));
        insert(env, &xmlid, &model.name, *id, false)?;
        found.insert(*id, xmlid);
    }
    Ok(found)
}

/// Eight hex digits standing in for `uuid4().hex[:8]`: unpredictable enough that two
/// databases do not give the same record the same id.
fn suffix(env: &Env<'_>, id: i64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i64(id);
    hasher.write(env.now.as_bytes());
    format!("{:08x}", hasher.finish() as u32)
}
