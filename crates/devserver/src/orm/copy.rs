//! The ORM's record actions every model has: `copy` (`BaseModel.copy`: the copyable fields
//! of each record, overridden by `default`, created anew) and `action_archive` /
//! `action_unarchive` (`active` set on the records whose value differs).

use super::write::{self, Mode};
use super::{Env, read};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Kind, Model};
use crate::values::is_falsy;
use crate::version::OdooVersion;
use openspp_xmlrpc::{Struct, Value};

/// Fields the ORM sets itself and never copies.
const NEVER_COPIED: &[&str] = &["id", "create_uid", "create_date", "write_uid", "write_date"];

/// `copy(default)`: on Odoo 17 one record (`ensure_one`), answered by its new id; from 19 on
/// any number, answered by the new ids. A field is copied when it is stored, not a one2many,
/// and `ir.model.fields` says `copied`; res.partner's override names the copy
/// `"<name> (copy)"` (`odoo/addons/base/models/res_partner.py`).
pub fn copy(
    env: &Env<'_>,
    model: &Model,
    ids: &[i64],
    default: Option<&Value>,
) -> OdooResult<Value> {
    let overrides = match default {
        None | Some(Value::Bool(false)) => Struct::new(),
        Some(Value::Struct(values)) => values.clone(),
        Some(other) => {
            return Err(OdooError::type_error(format!(
                "'{}' object is not a mapping",
                crate::values::py_type(other)
            )));
        }
    };
    let multi = env.version >= OdooVersion::V19;
    if !multi && ids.len() != 1 {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let trailing = if ids.len() == 1 { "," } else { "" };
        return Err(OdooError::value(format!(
            "Expected singleton: {}({}{trailing})",
            model.name,
            list.join(", ")
        )));
    }
    env.ensure_exist(model, ids)?;
    let fields: Vec<_> = model
        .fields
        .values()
        .filter(|f| {
            f.stored && f.kind != Kind::One2many && !NEVER_COPIED.contains(&f.name.as_str())
        })
        .filter(|f| {
            model
                .schema
                .fields
                .get(&f.name)
                .and_then(|s| s.ir_model_fields.get("copied"))
                .is_some_and(|copied| copied.as_bool() == Some(true))
        })
        .collect();
    // res.partner's own `copy` names the copy "<name> (copy)" unless `default` names it
    let partner_name = (model.name == "res.partner" && !overrides.contains_key("name"))
        .then(|| model.field("name"))
        .flatten();
    let read_fields: Vec<_> = fields.iter().copied().chain(partner_name).collect();
    let rows = read::read(env, model, ids, &read_fields, false)?;
    let mut created = Vec::with_capacity(rows.len());
    for row in rows {
        let Value::Struct(mut values) = row else {
            continue;
        };
        values.remove("id");
        if partner_name.is_some() {
            let name = match values.get("name") {
                Some(Value::String(name)) => name.clone(),
                _ => "False".to_owned(),
            };
            values.insert("name".into(), Value::String(format!("{name} (copy)")));
        }
        for field in &fields {
            if field.kind == Kind::Many2many {
                if let Some(Value::Array(targets)) = values.remove(&field.name) {
                    let command = vec![Value::Int(6), Value::Int(0), Value::Array(targets)];
                    values.insert(
                        field.name.clone(),
                        Value::Array(vec![Value::Array(command)]),
                    );
                }
            }
        }
        for (name, value) in &overrides {
            values.insert(name.clone(), value.clone());
        }
        created.push(write::create(env, model, &values, Mode::Rpc)?);
    }
    Ok(if multi {
        Value::Array(created.into_iter().map(read::int_value).collect())
    } else {
        read::int_value(created[0])
    })
}

/// `action_archive` (`active` false) or `action_unarchive` (true) on the records whose
/// `active` differs. Without an `active` field Odoo 19 asserts; Odoo 17 fails indexing the
/// records with the missing field's name (`None`).
pub fn set_active(env: &Env<'_>, model: &Model, ids: &[i64], active: bool) -> OdooResult<()> {
    let field = ["active", "x_active"]
        .into_iter()
        .find_map(|name| model.field(name).filter(|f| f.stored));
    let Some(field) = field else {
        if env.version >= OdooVersion::V19 {
            return Err(OdooError::python(
                "AssertionError",
                format!("No 'active' field on model {}", model.name),
            ));
        }
        if ids.is_empty() {
            return Ok(());
        }
        return Err(OdooError::type_error(
            "tuple indices must be integers or slices, not NoneType",
        ));
    };
    env.ensure_exist(model, ids)?;
    let rows = read::read(env, model, ids, &[field], false)?;
    let to_change: Vec<i64> = rows
        .iter()
        .filter_map(|row| {
            let Value::Struct(row) = row else { return None };
            let current = row.get(&field.name).is_some_and(|v| !is_falsy(v));
            let id = row.get("id").and_then(crate::values::as_id)?;
            (current != active).then_some(id)
        })
        .collect();
    if to_change.is_empty() {
        return Ok(());
    }
    let mut vals = Struct::new();
    vals.insert(field.name.clone(), Value::Bool(active));
    write::write(env, model, &to_change, &vals)
}
