//! `read`: records as the real server formats them (empty as `false`, many2one as
//! `[id, display_name]`, x2many as id lists), and display names.

use super::Env;
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;
use openspp_xmlrpc::{Struct, Value};
use rusqlite::types::Value as Sql;
use std::collections::HashMap;

/// How many ids go into one `IN (...)` list (SQLite's parameter limit is far above it).
const CHUNK: usize = 500;

/// Checks the requested field names; `None` or an empty list means every field.
pub fn field_names<'m>(model: &'m Model, fields: Option<&[String]>) -> OdooResult<Vec<&'m Field>> {
    match fields {
        None | Some([]) => Ok(model.fields.values().collect()),
        Some(names) => {
            let mut out: Vec<&Field> = Vec::with_capacity(names.len());
            for name in names {
                let field = model.field(name).ok_or_else(|| {
                    OdooError::value(format!("Invalid field '{name}' on model '{}'", model.name))
                })?;
                if !out.iter().any(|f| f.name == field.name) {
                    out.push(field);
                }
            }
            Ok(out)
        }
    }
}

/// Reads `fields` of the records `ids` (missing ones are left out, order and duplicates
/// kept). `classic`
/// is `load='_classic_read'`: many2one as `[id, name]` rather than a bare id.
pub fn read(
    env: &Env<'_>,
    model: &Model,
    ids: &[i64],
    fields: &[&Field],
    classic: bool,
) -> OdooResult<Vec<Value>> {
    // `browse(ids)` keeps duplicates, and `_read_format` answers a row for each
    let found: std::collections::HashSet<i64> = env.existing(model, ids)?.into_iter().collect();
    let ids: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| found.contains(id))
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let columns: Vec<&Field> = fields
        .iter()
        .copied()
        .filter(|f| f.has_column() && f.name != "id")
        .collect();
    let rows = select_columns(env, model, &ids, &columns)?;
    let mut records: Vec<Struct> = ids
        .iter()
        .map(|id| {
            let mut record = Struct::new();
            record.insert("id".to_owned(), int_value(*id));
            record
        })
        .collect();
    for field in fields.iter().copied().filter(|f| f.name != "id") {
        match field.kind {
            Kind::Binary if field.has_column() => {
                for (record, id) in records.iter_mut().zip(&ids) {
                    let stored = match rows.get(id).and_then(|r| r.get(&field.name)) {
                        Some(Sql::Text(text)) => Some(text.as_str()),
                        _ => None,
                    };
                    let value = super::binary::read_value(field, stored, &env.context);
                    record.insert(field.name.clone(), value);
                }
            }
            Kind::Binary
                if model.name == "ir.attachment"
                    && matches!(field.name.as_str(), "datas" | "raw") =>
            {
                let contents = attachment_contents(env, model, &ids)?;
                let sizes = super::binary::wants_size(&env.context, &field.name);
                for (record, id) in records.iter_mut().zip(&ids) {
                    let bytes = contents.get(id).cloned().flatten();
                    let value = match (field.name.as_str(), bytes) {
                        (_, Some(bytes)) if sizes => super::binary::human_size(bytes.len()),
                        (_, None) if sizes => Value::Bool(false),
                        ("datas", bytes) => Value::String(super::binary::b64encode(
                            bytes.as_deref().unwrap_or_default(),
                        )),
                        (_, Some(bytes)) => {
                            Value::String(String::from_utf8_lossy(&bytes).into_owned())
                        }
                        (_, None) => Value::Bool(false),
                    };
                    record.insert(field.name.clone(), value);
                }
            }
            _ if field.has_column() && field.kind != Kind::Many2one => {
                for (record, id) in records.iter_mut().zip(&ids) {
                    let raw = rows
                        .get(id)
                        .and_then(|r| r.get(&field.name))
                        .cloned()
                        .unwrap_or(Sql::Null);
                    record.insert(field.name.clone(), column_value(field, raw)?);
                }
            }
            Kind::Many2one if field.stored => {
                let targets: Vec<Option<i64>> = ids
                    .iter()
                    .map(|id| match rows.get(id).and_then(|r| r.get(&field.name)) {
                        Some(Sql::Integer(t)) => Some(*t),
                        _ => None,
                    })
                    .collect();
                let names = if classic {
                    let comodel = field
                        .relation
                        .as_deref()
                        .and_then(|c| env.registry.model(c));
                    let wanted: Vec<i64> = targets.iter().flatten().copied().collect();
                    match comodel {
                        Some(comodel) => display_names(env, comodel, &wanted)?,
                        None => HashMap::new(),
                    }
                } else {
                    HashMap::new()
                };
                for (record, target) in records.iter_mut().zip(targets) {
                    let value = match target {
                        None => Value::Bool(false),
                        Some(t) if classic => Value::Array(vec![
                            int_value(t),
                            Value::String(names.get(&t).cloned().unwrap_or_default()),
                        ]),
                        Some(t) => int_value(t),
                    };
                    record.insert(field.name.clone(), value);
                }
            }
            Kind::One2many | Kind::Many2many if field.stored => {
                let links = x2many_ids(env, field, &ids)?;
                for (record, id) in records.iter_mut().zip(&ids) {
                    let targets = links.get(id).map(Vec::as_slice).unwrap_or_default();
                    record.insert(
                        field.name.clone(),
                        Value::Array(targets.iter().copied().map(int_value).collect()),
                    );
                }
            }
            _ if field.name == "display_name" => {
                let names = display_names(env, model, &ids)?;
                for (record, id) in records.iter_mut().zip(&ids) {
                    record.insert(
                        field.name.clone(),
                        Value::String(names.get(id).cloned().unwrap_or_default()),
                    );
                }
            }
            _ => {
                for (record, id) in records.iter_mut().zip(&ids) {
                    let value = match &field.related {
                        Some(path) => related_value(env, model, *id, path, classic)?,
                        None => None,
                    };
                    record.insert(
                        field.name.clone(),
                        value.unwrap_or_else(|| empty_value(field)),
                    );
                }
            }
        }
    }
    Ok(records.into_iter().map(Value::Struct).collect())
}

/// Each attachment's content, decoded from its `db_datas` column (none when empty).
fn attachment_contents(
    env: &Env<'_>,
    model: &Model,
    ids: &[i64],
) -> OdooResult<HashMap<i64, Option<Vec<u8>>>> {
    let Some(column) = model.field("db_datas").filter(|f| f.has_column()) else {
        return Ok(HashMap::new());
    };
    let rows = select_columns(env, model, ids, &[column])?;
    Ok(rows
        .into_iter()
        .map(|(id, row)| {
            let bytes = match row.get("db_datas") {
                Some(Sql::Text(text)) if !text.is_empty() => super::binary::b64decode(text)
                    .ok()
                    .filter(|b| !b.is_empty()),
                _ => None,
            };
            (id, bytes)
        })
        .collect())
}

/// An id on the wire: `<int>`, or `<i8>` (which Odoo's marshaller refuses) past i32.
pub fn int_value(id: i64) -> Value {
    i32::try_from(id).map_or(Value::I8(id), Value::Int)
}

/// The value a field without a stored value reads as.
pub fn empty_value(field: &Field) -> Value {
    match field.kind {
        Kind::Integer | Kind::IdReference => Value::Int(0),
        Kind::Float => Value::Double(0.0),
        Kind::One2many | Kind::Many2many => Value::Array(Vec::new()),
        _ => Value::Bool(false),
    }
}

/// A column's SQL value as the wire value of the field.
pub fn column_value(field: &Field, raw: Sql) -> OdooResult<Value> {
    Ok(match (field.kind, raw) {
        (_, Sql::Null) => empty_value(field),
        (Kind::Boolean, Sql::Integer(i)) => Value::Bool(i != 0),
        (Kind::Float, Sql::Real(f)) => Value::Double(f),
        (Kind::Float, Sql::Integer(i)) => Value::Double(i as f64),
        (Kind::Integer | Kind::IdReference | Kind::Many2one, Sql::Integer(i)) => int_value(i),
        (Kind::Json, Sql::Text(text)) => {
            let json: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| OdooError::value(format!("corrupt json in {}: {e}", field.name)))?;
            crate::values::json_to_value(&json)
        }
        (Kind::Datetime, Sql::Text(text)) => {
            Value::String(crate::clock::to_the_second(&text).to_owned())
        }
        (_, Sql::Text(text)) => Value::String(text),
        (_, Sql::Integer(i)) => int_value(i),
        (_, Sql::Real(f)) => Value::Double(f),
        (_, Sql::Blob(bytes)) => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
    })
}

type Row = HashMap<String, Sql>;

fn select_columns(
    env: &Env<'_>,
    model: &Model,
    ids: &[i64],
    columns: &[&Field],
) -> OdooResult<HashMap<i64, Row>> {
    let mut rows = HashMap::with_capacity(ids.len());
    if columns.is_empty() {
        return Ok(rows);
    }
    let list: Vec<String> = columns.iter().map(|f| quote(&f.name)).collect();
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, {} FROM {} WHERE id IN ({})",
            list.join(", "),
            quote(&model.table),
            vec!["?"; chunk.len()].join(",")
        );
        let mut stmt = env.tx.prepare_cached(&sql).map_err(sql_error)?;
        let mut query = stmt
            .query(rusqlite::params_from_iter(chunk.iter()))
            .map_err(sql_error)?;
        while let Some(row) = query.next().map_err(sql_error)? {
            let id: i64 = row.get(0).map_err(sql_error)?;
            let mut values = Row::with_capacity(columns.len());
            for (i, field) in columns.iter().enumerate() {
                values.insert(
                    field.name.clone(),
                    row.get::<_, Sql>(i + 1).map_err(sql_error)?,
                );
            }
            rows.insert(id, values);
        }
    }
    Ok(rows)
}

/// The ids in each record's x2many field, ordered by id.
pub fn x2many_ids(env: &Env<'_>, field: &Field, ids: &[i64]) -> OdooResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    let sql_for = |n: usize| -> Option<String> {
        let placeholders = vec!["?"; n].join(",");
        if let Some(rel) = &field.m2m {
            return Some(format!(
                "SELECT {this}, {other} FROM {t} WHERE {this} IN ({placeholders}) ORDER BY {other}",
                this = quote(&rel.this),
                other = quote(&rel.other),
                t = quote(&rel.table)
            ));
        }
        let comodel = env.registry.model(field.relation.as_deref()?)?;
        let inverse = field
            .relation_field
            .as_deref()
            .filter(|f| comodel.has_stored(f))?;
        Some(format!(
            "SELECT {inv}, id FROM {t} WHERE {inv} IN ({placeholders}) ORDER BY id",
            inv = quote(inverse),
            t = quote(&comodel.table)
        ))
    };
    for chunk in ids.chunks(CHUNK) {
        let Some(sql) = sql_for(chunk.len()) else {
            break;
        };
        let mut stmt = env.tx.prepare_cached(&sql).map_err(sql_error)?;
        let pairs = stmt
            .query_map(rusqlite::params_from_iter(chunk.iter()), |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(sql_error)?;
        for pair in pairs {
            let (owner, target) = pair.map_err(sql_error)?;
            out.entry(owner).or_default().push(target);
        }
    }
    Ok(out)
}

/// `display_name` of records: the record name (`complete_name`, else `name`; through a
/// many2one when the name is one), or `model,id` for models without a name.
pub fn display_names(
    env: &Env<'_>,
    model: &Model,
    ids: &[i64],
) -> OdooResult<HashMap<i64, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let Some(rec_name) = model.rec_name.as_deref().and_then(|n| model.field(n)) else {
        for id in ids {
            out.insert(*id, format!("{},{id}", model.name));
        }
        return Ok(out);
    };
    let fallback = (rec_name.name == "complete_name" && model.has_stored("name")).then_some("name");
    let mut columns = vec![rec_name];
    if let Some(name) = fallback.and_then(|n| model.field(n)) {
        columns.push(name);
    }
    let rows = select_columns(env, model, ids, &columns)?;
    if rec_name.kind == Kind::Many2one {
        let comodel = rec_name
            .relation
            .as_deref()
            .and_then(|c| env.registry.model(c));
        let targets: Vec<i64> = rows
            .values()
            .filter_map(|r| match r.get(&rec_name.name) {
                Some(Sql::Integer(t)) => Some(*t),
                _ => None,
            })
            .collect();
        let names = match comodel {
            Some(c) if !std::ptr::eq(c, model) => display_names(env, c, &targets)?,
            _ => HashMap::new(),
        };
        for (id, row) in rows {
            let name = match row.get(&rec_name.name) {
                Some(Sql::Integer(t)) => names.get(t).cloned().unwrap_or_default(),
                _ => String::new(),
            };
            out.insert(id, name);
        }
        return Ok(out);
    }
    for (id, row) in rows {
        let text = |name: &str| match row.get(name) {
            Some(Sql::Text(t)) if !t.is_empty() => Some(t.clone()),
            _ => None,
        };
        let name = text(&rec_name.name)
            .or_else(|| fallback.and_then(text))
            .unwrap_or_default();
        out.insert(id, name);
    }
    Ok(out)
}

/// A non-stored related field's value, following its many2one path from the record.
fn related_value(
    env: &Env<'_>,
    model: &Model,
    id: i64,
    path: &str,
    classic: bool,
) -> OdooResult<Option<Value>> {
    let mut current = model;
    let mut current_id = id;
    let steps: Vec<&str> = path.split('.').collect();
    for (i, step) in steps.iter().enumerate() {
        let Some(field) = current.field(step) else {
            return Ok(None);
        };
        let last = i + 1 == steps.len();
        if last {
            if !field.stored {
                return Ok(None);
            }
            let mut values = read(env, current, &[current_id], &[field], classic)?;
            return Ok(match values.pop() {
                Some(Value::Struct(mut record)) => record.remove(step as &str),
                _ => None,
            });
        }
        if !(field.kind == Kind::Many2one && field.stored) {
            return Ok(None);
        }
        let Some(next) = field
            .relation
            .as_deref()
            .and_then(|c| env.registry.model(c))
        else {
            return Ok(None);
        };
        let target: Option<i64> = env
            .tx
            .query_row(
                &format!(
                    "SELECT {} FROM {} WHERE id = ?",
                    quote(step),
                    quote(&current.table)
                ),
                [current_id],
                |row| row.get(0),
            )
            .map_err(sql_error)?;
        let Some(target) = target else {
            return Ok(Some(empty_value(
                field_at_end(env, next, &steps[i + 1..]).unwrap_or(field),
            )));
        };
        current = next;
        current_id = target;
    }
    Ok(None)
}

fn field_at_end<'m>(env: &Env<'m>, model: &'m Model, steps: &[&str]) -> Option<&'m Field> {
    let (first, rest) = steps.split_first()?;
    let field = model.field(first)?;
    if rest.is_empty() {
        return Some(field);
    }
    field_at_end(env, env.registry.model(field.relation.as_deref()?)?, rest)
}
