//! A call's context as Odoo 17 takes it: `api.split_context` and `with_context(context or
//! {})` turning what the client sent into a dict, and `env.companies` checking
//! `allowed_company_ids` against the user's companies.

use crate::fault::{OdooError, OdooResult};
use crate::orm::Env;
use crate::registry::quote;
use crate::store::sql_error;
use crate::values::{is_falsy, py_type};
use openspp_xmlrpc::{Struct, Value};

/// `api.split_context`: the `context` keyword taken out of the keyword arguments, made a dict
/// as `with_context(context or {})` makes it (`odoo/models.py`): a falsy value is `{}`; a
/// truthy one first meets `'force_company' in context` (a `TypeError` for what Python cannot
/// search), then `dict(context)`: a list of pairs (or of two-character strings) is a dict,
/// anything else faults as `dict()` does. Keys that are not strings are dropped, since no
/// lookup by name can find them.
pub(crate) fn split_context(mut kwargs: Struct) -> OdooResult<(Struct, Struct)> {
    let context = match kwargs.remove("context") {
        None => Struct::new(),
        Some(value) if is_falsy(&value) => Struct::new(),
        Some(Value::Struct(context)) => context,
        Some(Value::Array(pairs)) => dict_of_pairs(pairs)?,
        Some(Value::String(s)) => {
            return Err(OdooError::value(format!(
                "dictionary update sequence element #0 has length {}; 2 is required",
                s.chars().next().map_or(0, |_| 1)
            )));
        }
        Some(other) => {
            return Err(OdooError::type_error(format!(
                "argument of type '{}' is not iterable",
                py_type(&other)
            )));
        }
    };
    Ok((context, kwargs))
}

/// Python's `dict(pairs)` for a list.
fn dict_of_pairs(pairs: Vec<Value>) -> OdooResult<Struct> {
    let mut context = Struct::new();
    for (i, pair) in pairs.into_iter().enumerate() {
        let (key, value) = match pair {
            Value::Array(items) if items.len() == 2 => {
                let mut items = items.into_iter();
                match (items.next(), items.next()) {
                    (Some(key), Some(value)) => (key, value),
                    _ => continue,
                }
            }
            Value::String(text) if text.chars().count() == 2 => {
                let mut chars = text.chars().map(|c| Value::String(c.to_string()));
                match (chars.next(), chars.next()) {
                    (Some(key), Some(value)) => (key, value),
                    _ => continue,
                }
            }
            Value::Array(items) => return Err(wrong_length(i, items.len())),
            Value::String(text) => return Err(wrong_length(i, text.chars().count())),
            Value::Struct(map) => return Err(wrong_length(i, map.len())),
            _ => {
                return Err(OdooError::type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )));
            }
        };
        match key {
            Value::String(key) => {
                context.insert(key, value);
            }
            Value::Array(_) | Value::Struct(_) => {
                return Err(OdooError::type_error(format!(
                    "unhashable type: '{}'",
                    py_type(&key)
                )));
            }
            other => {
                tracing::debug!(key = %crate::values::py_repr(&other), "a context key that is not a string: no lookup finds it, left out");
            }
        }
    }
    Ok(context)
}

fn wrong_length(i: usize, length: usize) -> OdooError {
    OdooError::value(format!(
        "dictionary update sequence element #{i} has length {length}; 2 is required"
    ))
}

/// `env.companies` (`odoo/api.py`): the companies of `allowed_company_ids` in the context
/// must all be the user's (`company_ids`, which always holds `company_id`), else
/// `AccessError("Access to unauthorized or invalid companies.")`; not checked as superuser.
/// Odoo evaluates it when something reads `env.companies` (record rules, company defaults);
/// the dev server checks it for every method that reads or writes records.
pub(crate) fn check_allowed_companies(env: &Env<'_>) -> OdooResult<()> {
    let Some(value) = env.context.get("allowed_company_ids") else {
        return Ok(());
    };
    if is_falsy(value) || env.uid == 1 {
        return Ok(());
    }
    // `set(company_ids)`
    let wanted: Vec<Option<i64>> = match value {
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(_) | Value::Struct(_) => Err(OdooError::type_error(format!(
                    "unhashable type: '{}'",
                    py_type(item)
                ))),
                Value::Int(i) => Ok(Some(i64::from(*i))),
                Value::I8(i) => Ok(Some(*i)),
                Value::Bool(b) => Ok(Some(i64::from(*b))),
                Value::Double(d) if d.fract() == 0.0 && d.abs() < 9.0e15 => Ok(Some(*d as i64)),
                _ => Ok(None),
            })
            .collect::<OdooResult<_>>()?,
        // a dict's keys and a string's characters are never company ids
        Value::Struct(_) | Value::String(_) => vec![None],
        other => {
            return Err(OdooError::type_error(format!(
                "'{}' object is not iterable",
                py_type(other)
            )));
        }
    };
    let mine = user_companies(env)?;
    if wanted
        .iter()
        .all(|id| id.is_some_and(|id| mine.contains(&id)))
    {
        Ok(())
    } else {
        Err(OdooError::Access(
            "Access to unauthorized or invalid companies.".into(),
        ))
    }
}

/// `user._get_company_ids()`: the user's `company_ids`, and `company_id`.
fn user_companies(env: &Env<'_>) -> OdooResult<Vec<i64>> {
    let Some(users) = env.registry.model("res.users") else {
        return Ok(Vec::new());
    };
    let mut ids = match users.field("company_ids") {
        Some(field) if field.stored => crate::orm::read::x2many_ids(env, field, &[env.uid])?
            .remove(&env.uid)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if users.has_stored("company_id") {
        let sql = format!(
            "SELECT company_id FROM {} WHERE id = ?",
            quote(&users.table)
        );
        match env
            .tx
            .query_row(&sql, [env.uid], |row| row.get::<_, Option<i64>>(0))
        {
            Ok(Some(company)) => ids.push(company),
            Ok(None) | Err(rusqlite::Error::QueryReturnedNoRows) => {}
            Err(error) => return Err(sql_error(error)),
        }
    }
    Ok(ids)
}
