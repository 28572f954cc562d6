//! `export_data(ids, fields_to_export)`: the records as an import-compatible matrix, as Odoo
//! 17's `export_data`/`_export_rows` answer it (`import_compat`, the default): `id` columns
//! are external ids (records without one get `__export__.<table>_<id>_<hex>`), a many2one
//! is its display name (`field`), external id (`field/id`) or database id (`field/.id`), a
//! many2many the same joined with commas, a selection its label, an empty value `''`.
//! Not done: one2many columns and paths through a relation to another field
//! (`country_id/code`), which the server refuses.

use super::load::column_path;
use super::{Env, read, xmlid};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model};
use crate::values::py_repr;
use openspp_xmlrpc::{Struct, Value};
use std::collections::HashMap;

/// A column of the export.
enum Column<'m> {
    XmlId,
    DbId,
    Field(&'m Field, Option<String>),
}

/// `{'datas': rows}` for the records `ids`, in that order.
pub fn export_data(env: &Env<'_>, model: &Model, ids: &[i64], fields: &Value) -> OdooResult<Value> {
    let Value::Array(names) = fields else {
        return Err(OdooError::type_error(format!(
            "export_data() fields_to_export must be a list, not {}",
            py_repr(fields)
        )));
    };
    let columns = names
        .iter()
        .map(|name| column(model, name))
        .collect::<OdooResult<Vec<_>>>()?;
    env.ensure_exist(model, ids)?;
    let read_fields: Vec<&Field> = columns
        .iter()
        .filter_map(|c| match c {
            Column::Field(f, _) => Some(*f),
            _ => None,
        })
        .collect();
    let records = read::read(env, model, ids, &read_fields, true)?;
    let by_id: HashMap<i64, Struct> = records
        .into_iter()
        .filter_map(|r| match r {
            Value::Struct(s) => Some((s.get("id").and_then(crate::values::as_id)?, s)),
            _ => None,
        })
        .collect();
    let own_xmlids = if columns.iter().any(|c| matches!(c, Column::XmlId)) {
        xmlid::ensure(env, model, ids)?
    } else {
        HashMap::new()
    };
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let record = by_id.get(id).cloned().unwrap_or_default();
        let mut row = Vec::with_capacity(columns.len());
        for c in &columns {
            row.push(match c {
                Column::XmlId => Value::String(own_xmlids.get(id).cloned().unwrap_or_default()),
                Column::DbId => Value::String(id.to_string()),
                Column::Field(field, sub) => {
                    let value = record
                        .get(&field.name)
                        .cloned()
                        .unwrap_or(Value::Bool(false));
                    cell(env, model, field, sub.as_deref(), value)?
                }
            });
        }
        rows.push(Value::Array(row));
    }
    Ok(Value::Struct(Struct::from([(
        "datas".to_owned(),
        Value::Array(rows),
    )])))
}

fn column<'m>(model: &'m Model, name: &Value) -> OdooResult<Column<'m>> {
    let Value::String(name) = name else {
        return Err(OdooError::type_error(format!(
            "field paths must be strings, not {}",
            py_repr(name)
        )));
    };
    let path = column_path(name);
    match (path[0].as_str(), path.len()) {
        ("id", 1) => return Ok(Column::XmlId),
        (".id", 1) => return Ok(Column::DbId),
        _ => {}
    }
    let field = model
        .field(&path[0])
        .ok_or_else(|| OdooError::python("KeyError", format!("'{}'", path[0])))?;
    let sub = path.get(1).cloned();
    let supported = match field.kind {
        Kind::Many2one | Kind::Many2many => {
            path.len() <= 2
                && matches!(
                    sub.as_deref(),
                    None | Some("id" | ".id" | "display_name" | "name")
                )
        }
        Kind::One2many => false,
        _ => path.len() == 1,
    };
    if !supported {
        return Err(OdooError::python(
            "NotImplementedError",
            format!(
                "the dev server exports a relation as its name, id or .id only, and no \
                 one2many lines: {name}"
            ),
        ));
    }
    Ok(Column::Field(field, sub))
}

/// One exported value (`convert_to_export`).
fn cell(
    env: &Env<'_>,
    model: &Model,
    field: &Field,
    sub: Option<&str>,
    value: Value,
) -> OdooResult<Value> {
    let empty = || Value::String(String::new());
    Ok(match field.kind {
        Kind::Boolean => value,
        Kind::Integer | Kind::Float | Kind::IdReference => value,
        Kind::Many2one => {
            let Value::Array(pair) = &value else {
                return Ok(empty());
            };
            let (Some(id), name) = (pair.first().and_then(crate::values::as_id), pair.get(1))
            else {
                return Ok(empty());
            };
            match sub {
                Some("id") => related_xmlids(env, field, &[id])?,
                Some(".id") => Value::String(id.to_string()),
                _ => name.cloned().unwrap_or_else(empty),
            }
        }
        Kind::Many2many => {
            let ids: Vec<i64> = match &value {
                Value::Array(items) => items.iter().filter_map(crate::values::as_id).collect(),
                _ => Vec::new(),
            };
            if ids.is_empty() {
                return Ok(empty());
            }
            match sub {
                Some("id") => related_xmlids(env, field, &ids)?,
                Some(".id") => {
                    Value::String(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
                }
                _ => {
                    let comodel = env.model(field.relation.as_deref().unwrap_or_default())?;
                    let names = read::display_names(env, comodel, &ids)?;
                    Value::String(
                        ids.iter()
                            .filter_map(|i| names.get(i).cloned())
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                }
            }
        }
        _ if crate::values::is_falsy(&value) => empty(),
        _ if field.odoo_type == "selection" => selection_label(model, field, &value),
        _ => value,
    })
}

/// The external ids of related records, joined with commas.
fn related_xmlids(env: &Env<'_>, field: &Field, ids: &[i64]) -> OdooResult<Value> {
    let comodel = env.model(field.relation.as_deref().unwrap_or_default())?;
    let found = xmlid::ensure(env, comodel, ids)?;
    Ok(Value::String(
        ids.iter()
            .filter_map(|i| found.get(i).cloned())
            .collect::<Vec<_>>()
            .join(","),
    ))
}

/// A selection's label, from the schema's `[key, label]` pairs.
fn selection_label(model: &Model, field: &Field, value: &Value) -> Value {
    let key = crate::values::value_to_json(value);
    model
        .schema
        .fields
        .get(&field.name)
        .and_then(|f| f.attribute("selection"))
        .and_then(serde_json::Value::as_array)
        .and_then(|pairs| {
            pairs.iter().find_map(|pair| {
                let pair = pair.as_array()?;
                (pair.first()? == &key).then(|| pair.get(1)?.as_str().map(str::to_owned))?
            })
        })
        .map_or(Value::String(String::new()), Value::String)
}
