//! External ids (`ir.model.data`): `module.name` naming a record of a model. The seed
//! registers them; `env.ref` in clients resolves them (OdooRPC through
//! `check_object_reference`, odooly by searching `ir.model.data`).

use super::{Env, domain, search};
use crate::fault::{OdooError, OdooResult};
use crate::registry::quote;
use crate::store::sql_error;
use odoo_xmlrpc::Value;

/// Registers `module.name` as the external id of `model` record `res_id`, replacing any
/// record it named before.
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
            &format!("INSERT INTO {table} (module, name, model, res_id) VALUES (?1, ?2, ?3, ?4)"),
            (module, name, model, res_id),
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
