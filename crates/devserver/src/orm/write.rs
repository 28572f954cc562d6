//! `create`, `write` and `unlink`: value conversion, defaults, required fields, the x2many
//! commands 0-6, related fields written through, and `ondelete` when records go.

use super::Env;
use super::dates;
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;
use crate::values::{as_id, is_falsy, py_float, py_int, py_repr, value_to_json};
use openspp_xmlrpc::{Struct, Value};
use rusqlite::types::Value as Sql;
use std::collections::BTreeSet;

/// What to do with the values of one create or write, sorted by where they go.
#[derive(Debug, Default)]
struct Plan<'m> {
    columns: Vec<(&'m Field, Sql)>,
    x2many: Vec<(&'m Field, Value)>,
    related: Vec<(&'m Field, Value)>,
}

/// How a create is run: a call from a client, or a seed record (explicit id, no checks on
/// required fields or references, since seed files may list records in any order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `create` over RPC.
    Rpc,
    /// Loading seed data.
    Seed,
}

fn plan<'m>(env: &Env<'_>, model: &'m Model, vals: &Struct, mode: Mode) -> OdooResult<Plan<'m>> {
    let mut plan = Plan::default();
    for (name, value) in vals {
        let field = model.field(name).ok_or_else(|| {
            OdooError::value(format!("Invalid field '{name}' on model '{}'", model.name))
        })?;
        if mode == Mode::Seed && name == "id" {
            continue;
        }
        if !field.is_writable() {
            // what the real server does with magic and computed read-only fields
            continue;
        }
        if field.kind.is_x2many() && field.stored {
            plan.x2many.push((field, value.clone()));
        } else if field.has_column() {
            plan.columns
                .push((field, to_sql(env, model, field, value, mode)?));
        } else if field.related.is_some() {
            plan.related.push((field, value.clone()));
        } else {
            tracing::warn!(
                model = %model.name, field = %field.name,
                "the dev server cannot run the inverse method of this non-stored field: value ignored"
            );
        }
    }
    Ok(plan)
}

fn wrong_value(model: &Model, field: &Field, value: &Value) -> OdooError {
    OdooError::value(format!(
        "Wrong value for {}.{}: {}",
        model.name,
        field.name,
        py_repr(value)
    ))
}

/// Converts a wire value into what the field's column stores, as the field's
/// `convert_to_column`/`convert_to_cache` in Odoo 17's `fields.py` would.
fn to_sql(
    env: &Env<'_>,
    model: &Model,
    field: &Field,
    value: &Value,
    mode: Mode,
) -> OdooResult<Sql> {
    let wrong = || wrong_value(model, field, value);
    match field.kind {
        // `int(value or 0)` into an int4 column
        Kind::Integer | Kind::IdReference => {
            let n = if is_falsy(value) { 0 } else { py_int(value)? };
            return int4(n).map(Sql::Integer);
        }
        // `float(value or 0.0)`
        Kind::Float => {
            return Ok(Sql::Real(if is_falsy(value) {
                0.0
            } else {
                py_float(value)?
            }));
        }
        Kind::Boolean => return Ok(Sql::Integer(i64::from(!is_falsy(value)))),
        Kind::Date => {
            return Ok(dates::to_date(value)?.map_or(Sql::Null, |d| Sql::Text(dates::date_text(d))));
        }
        Kind::Datetime => {
            return Ok(dates::to_datetime(value)?
                .map_or(Sql::Null, |d| Sql::Text(dates::datetime_text(d))));
        }
        _ => {}
    }
    if matches!(value, Value::Nil | Value::Bool(false)) {
        return Ok(Sql::Null);
    }
    Ok(match field.kind {
        Kind::Text => {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::I8(i) => i.to_string(),
                Value::Double(d) => d.to_string(),
                Value::Bool(true) => "True".to_owned(),
                _ => return Err(wrong()),
            };
            if let Some(allowed) = &field.selection {
                if field.odoo_type == "selection"
                    && !allowed.iter().any(|a| a.as_str() == Some(text.as_str()))
                {
                    return Err(wrong());
                }
            }
            Sql::Text(super::html::sanitize_for(field, &text))
        }
        Kind::Binary => match value {
            Value::String(s) => Sql::Text(super::binary::column_text(field, s)?),
            Value::Base64(bytes) => Sql::Text(super::binary::b64encode(bytes)),
            _ => {
                return Err(OdooError::type_error(format!(
                    "{}.{}: send binary values as base64 text in a <string>, as Odoo reads them",
                    model.name, field.name
                )));
            }
        },
        Kind::Many2one => {
            let id = match value {
                Value::Array(pair) if !pair.is_empty() => as_id(&pair[0]),
                other => as_id(other),
            }
            .ok_or_else(wrong)?;
            if mode == Mode::Rpc {
                if let Some(comodel) = field
                    .relation
                    .as_deref()
                    .and_then(|c| env.registry.model(c))
                {
                    // the ORM reads the target (display name, dependent fields) and
                    // raises MissingError
                    env.ensure_exist(comodel, &[id])?;
                }
            }
            Sql::Integer(id)
        }
        Kind::Json => Sql::Text(value_to_json(value).to_string()),
        Kind::Integer
        | Kind::IdReference
        | Kind::Float
        | Kind::Boolean
        | Kind::Date
        | Kind::Datetime
        | Kind::One2many
        | Kind::Many2many => return Err(wrong()),
    })
}

/// A value for a PostgreSQL `int4` column, or the error psycopg2 raises for one past it.
fn int4(n: i64) -> OdooResult<i64> {
    if i32::try_from(n).is_ok() {
        Ok(n)
    } else {
        Err(OdooError::python(
            "psycopg2.errors.NumericValueOutOfRange",
            "integer out of range\n",
        ))
    }
}

fn mandatory(model: &Model, field: &Field) -> OdooError {
    OdooError::Validation(format!(
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {} ({})\nField: {} ({})",
        model.label, model.name, field.label, field.name
    ))
}

/// res.partner's `_check_parent_id`: no partner may be its own ancestor.
fn check_partner_hierarchy(env: &Env<'_>, model: &Model, ids: &[i64]) -> OdooResult<()> {
    if model.name != "res.partner" || !model.has_stored("parent_id") {
        return Ok(());
    }
    let sql = format!("SELECT parent_id FROM {} WHERE id = ?", quote(&model.table));
    for id in ids {
        let mut seen = BTreeSet::from([*id]);
        let mut current = *id;
        loop {
            let parent: Option<i64> = env
                .tx
                .query_row(&sql, [current], |row| row.get(0))
                .map_err(sql_error)?;
            match parent {
                None => break,
                Some(parent) if !seen.insert(parent) => {
                    return Err(OdooError::Validation(
                        "You cannot create recursive Partner hierarchies.".into(),
                    ));
                }
                Some(parent) => current = parent,
            }
        }
    }
    Ok(())
}

/// SQL constraints of the deployment that clients run into (res.partner's `check_name`).
fn check_constraints(env: &Env<'_>, model: &Model, ids: &[i64]) -> OdooResult<()> {
    if model.name != "res.partner" || !model.has_stored("type") || !model.has_stored("name") {
        return Ok(());
    }
    for id in ids {
        let bad: bool = env
            .tx
            .query_row(
                "SELECT COALESCE(type, 'contact') = 'contact' AND (name IS NULL OR name = '') FROM res_partner WHERE id = ?",
                [id],
                |row| row.get(0),
            )
            .map_err(sql_error)?;
        if bad {
            return Err(OdooError::Validation(
                "The operation cannot be completed: Contacts require a name".to_owned(),
            ));
        }
    }
    Ok(())
}

/// The values a new record starts from: `default_get`'s values from the schemas, then
/// `default_<field>` context keys.
fn defaults(env: &Env<'_>, model: &Model, vals: &Struct) -> Struct {
    let mut out = Struct::new();
    // only stored fields: a default on a related or computed field is the server echoing
    // the default of the field it mirrors
    for field in model
        .fields
        .values()
        .filter(|f| f.stored && f.is_writable())
    {
        if vals.contains_key(&field.name) {
            continue;
        }
        if let Some(value) = env.context.get(&format!("default_{}", field.name)) {
            out.insert(field.name.clone(), value.clone());
        } else if let Some(value) =
            super::meta::server_default(env, field).filter(|v| *v != Value::Nil)
        {
            if let Some(value) = default_in_this_database(env, field, value) {
                out.insert(field.name.clone(), value);
            }
        } else if field.name == "active" && field.kind == Kind::Boolean {
            // Odoo's `active` fields default to True; kept when default_get faulted
            out.insert(field.name.clone(), Value::Bool(true));
        }
    }
    out
}

/// A schema default as this database can hold it: the server it was dumped from had records
/// this one may not (a default account, the default groups), so a relational default keeps
/// only the records that exist here; one naming none is left out, with a log line.
fn default_in_this_database(env: &Env<'_>, field: &Field, value: Value) -> Option<Value> {
    let comodel = field
        .relation
        .as_deref()
        .and_then(|c| env.registry.model(c));
    let Some(comodel) = comodel.filter(|_| {
        matches!(
            field.kind,
            Kind::Many2one | Kind::Many2many | Kind::One2many
        )
    }) else {
        return Some(value);
    };
    let exists = |id: i64| {
        env.existing(comodel, &[id])
            .is_ok_and(|found| !found.is_empty())
    };
    let kept = match value {
        Value::Array(ref commands) if field.kind != Kind::Many2one => {
            // [[6, 0, ids]]: the ids this database has
            let commands = commands
                .iter()
                .map(|command| match command {
                    Value::Array(parts) if parts.len() == 3 && parts[0] == Value::Int(6) => {
                        let ids = match &parts[2] {
                            Value::Array(ids) => ids
                                .iter()
                                .filter(|id| as_id(id).is_some_and(exists))
                                .cloned()
                                .collect(),
                            _ => Vec::new(),
                        };
                        Value::Array(vec![parts[0].clone(), parts[1].clone(), Value::Array(ids)])
                    }
                    other => other.clone(),
                })
                .collect();
            Some(Value::Array(commands))
        }
        ref id => as_id(id).filter(|id| exists(*id)).map(|_| value.clone()),
    };
    if kept.as_ref() != Some(&value) {
        tracing::debug!(field = %field.name, "a schema default names records this database does not have: those are left out");
    }
    kept
}

/// Creates one record and returns its id.
pub fn create(env: &Env<'_>, model: &Model, vals: &Struct, mode: Mode) -> OdooResult<i64> {
    let attachment;
    let vals = if model.name == "ir.attachment" {
        attachment = super::binary::attachment_values(vals, true)?;
        &attachment
    } else {
        vals
    };
    let mut all = defaults(env, model, vals);
    all.extend(vals.iter().map(|(k, v)| (k.clone(), v.clone())));
    if mode == Mode::Rpc {
        create_parents(env, model, &mut all)?;
    }
    let plan = plan(env, model, &all, mode)?;
    // when default_get faults (as it does for res.partner without a UI context), the
    // server's defaults are unknown: required fields are then left to the server's care
    if mode == Mode::Rpc && model.default_get_fault.is_none() {
        for name in &model.not_null_at_create {
            let set = plan
                .columns
                .iter()
                .any(|(f, v)| f.name == *name && *v != Sql::Null);
            if !set {
                return Err(mandatory(model, &model.fields[name]));
            }
        }
    }
    let mut columns: Vec<(String, Sql)> = plan
        .columns
        .iter()
        .map(|(f, v)| (f.name.clone(), v.clone()))
        .collect();
    if mode == Mode::Seed {
        if let Some(id) = vals.get("id").and_then(as_id) {
            columns.push(("id".to_owned(), Sql::Integer(id)));
        }
    }
    for (name, value) in [
        ("create_date", Sql::Text(env.now.clone())),
        ("write_date", Sql::Text(env.now.clone())),
        ("create_uid", Sql::Integer(env.uid)),
        ("write_uid", Sql::Integer(env.uid)),
    ] {
        if model.has_stored(name) && !columns.iter().any(|(n, _)| n == name) {
            columns.push((name.to_owned(), value));
        }
    }
    let sql = if columns.is_empty() {
        format!("INSERT INTO {} DEFAULT VALUES", quote(&model.table))
    } else {
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&model.table),
            columns
                .iter()
                .map(|(n, _)| quote(n))
                .collect::<Vec<_>>()
                .join(", "),
            vec!["?"; columns.len()].join(", ")
        )
    };
    env.tx
        .execute(
            &sql,
            rusqlite::params_from_iter(columns.iter().map(|(_, v)| v)),
        )
        .map_err(sql_error)?;
    let id = env.tx.last_insert_rowid();
    for (field, value) in &plan.x2many {
        apply_commands(env, model, field, id, value, mode)?;
    }
    for (field, value) in &plan.related {
        write_related(env, model, id, field, value)?;
    }
    if !vals.contains_key("complete_name") {
        refresh_complete_names(env, model, vec![id])?;
    }
    if mode == Mode::Rpc {
        check_constraints(env, model, &[id])?;
    }
    Ok(id)
}

/// Creates the `_inherits` parents `vals` does not link, as Odoo's `create` does: each from
/// the inherited values (fields related `<link>.<name>`), which then go to the parent only.
fn create_parents(env: &Env<'_>, model: &Model, vals: &mut Struct) -> OdooResult<()> {
    for (link, parent) in &model.delegates {
        if vals.get(link).is_some_and(|v| !is_falsy(v)) {
            continue;
        }
        let Some(parent_model) = env.registry.model(parent) else {
            continue;
        };
        let prefix = format!("{link}.");
        let inherited: Vec<(String, String)> = vals
            .keys()
            .filter_map(|name| {
                let field = model.field(name).filter(|f| !f.stored)?;
                let target = field.related.as_deref()?.strip_prefix(&prefix)?;
                (target == name).then(|| (name.clone(), target.to_owned()))
            })
            .collect();
        let mut parent_vals = Struct::new();
        for (name, target) in inherited {
            if let Some(value) = vals.remove(&name) {
                parent_vals.insert(target, value);
            }
        }
        let id = create(env, parent_model, &parent_vals, Mode::Rpc)?;
        vals.insert(link.clone(), Value::I8(id));
    }
    Ok(())
}

/// Recomputes the stored `complete_name` of records and their descendants the way Odoo's
/// hierarchical models do: the parent's complete name, a separator, the record's name
/// (`Azure Interior, Brandon Freeman` for contacts, `All / Saleable` elsewhere).
fn refresh_complete_names(env: &Env<'_>, model: &Model, mut ids: Vec<i64>) -> OdooResult<()> {
    if !(model.has_stored("complete_name") && model.has_stored("name")) {
        return Ok(());
    }
    let table = quote(&model.table);
    let Some(parent) = model.parent_field.as_deref() else {
        for id in ids {
            env.tx
                .execute(
                    &format!("UPDATE {table} SET complete_name = name WHERE id = ?"),
                    [id],
                )
                .map_err(sql_error)?;
        }
        return Ok(());
    };
    let parent = quote(parent);
    let partner = model.name == "res.partner";
    let (separator, skip_companies) = if partner {
        (", ", model.has_stored("is_company"))
    } else {
        (" / ", false)
    };
    let company_test = if skip_companies {
        "AND COALESCE(c.is_company, 0) = 0"
    } else {
        ""
    };
    let mut seen = BTreeSet::new();
    while !ids.is_empty() {
        let mut children = Vec::new();
        for id in ids.into_iter().filter(|id| seen.insert(*id)) {
            env.tx
                .execute(
                    &format!(
                        "UPDATE {table} AS c SET complete_name = COALESCE(
                            (SELECT COALESCE(NULLIF(p.complete_name, ''), p.name) || ? || c.name
                             FROM {table} AS p WHERE p.id = c.{parent} AND c.name IS NOT NULL {company_test}),
                            c.name)
                         WHERE c.id = ?"
                    ),
                    rusqlite::params![separator, id],
                )
                .map_err(sql_error)?;
            let mut stmt = env
                .tx
                .prepare_cached(&format!("SELECT id FROM {table} WHERE {parent} = ?"))
                .map_err(sql_error)?;
            let rows = stmt
                .query_map([id], |row| row.get::<_, i64>(0))
                .map_err(sql_error)?;
            for row in rows {
                children.push(row.map_err(sql_error)?);
            }
        }
        ids = children;
    }
    Ok(())
}

/// Writes `vals` on the records `ids` (fault 2 if one does not exist).
pub fn write(env: &Env<'_>, model: &Model, ids: &[i64], vals: &Struct) -> OdooResult<()> {
    let attachment;
    let vals = if model.name == "ir.attachment" {
        attachment = super::binary::attachment_values(vals, false)?;
        &attachment
    } else {
        vals
    };
    // res.users.write: `values.get('active') == False and self._uid in self._ids`
    let deactivates = matches!(
        vals.get("active"),
        Some(Value::Bool(false) | Value::Int(0) | Value::I8(0))
    ) || matches!(vals.get("active"), Some(Value::Double(f)) if *f == 0.0);
    if model.name == "res.users" && deactivates && ids.contains(&env.uid) {
        return Err(OdooError::User(
            "You cannot deactivate the user you're currently logged in as.".into(),
        ));
    }
    env.ensure_exist(model, ids)?;
    let plan = plan(env, model, vals, Mode::Rpc)?;
    for (field, value) in &plan.columns {
        if field.required && *value == Sql::Null {
            return Err(mandatory(model, field));
        }
    }
    let mut columns: Vec<(String, Sql)> = plan
        .columns
        .iter()
        .map(|(f, v)| (f.name.clone(), v.clone()))
        .collect();
    for (name, value) in [
        ("write_date", Sql::Text(env.now.clone())),
        ("write_uid", Sql::Integer(env.uid)),
    ] {
        if model.has_stored(name) {
            columns.push((name.to_owned(), value));
        }
    }
    if !columns.is_empty() && !ids.is_empty() {
        let sets: Vec<String> = columns
            .iter()
            .map(|(n, _)| format!("{} = ?", quote(n)))
            .collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?",
            quote(&model.table),
            sets.join(", ")
        );
        let mut stmt = env.tx.prepare_cached(&sql).map_err(sql_error)?;
        for id in ids {
            let params = columns
                .iter()
                .map(|(_, v)| v.clone())
                .chain([Sql::Integer(*id)]);
            stmt.execute(rusqlite::params_from_iter(params))
                .map_err(sql_error)?;
        }
    }
    for id in ids {
        for (field, value) in &plan.x2many {
            apply_commands(env, model, field, *id, value, Mode::Rpc)?;
        }
        for (field, value) in &plan.related {
            write_related(env, model, *id, field, value)?;
        }
    }
    if vals.contains_key("parent_id") {
        check_partner_hierarchy(env, model, ids)?;
    }
    let renamed = ["name", "parent_id", "is_company"]
        .iter()
        .any(|f| vals.contains_key(*f));
    if renamed && !vals.contains_key("complete_name") {
        refresh_complete_names(env, model, ids.to_vec())?;
    }
    check_constraints(env, model, ids)?;
    Ok(())
}

/// Writes a non-stored related field through to the field its path ends on.
fn write_related(
    env: &Env<'_>,
    model: &Model,
    id: i64,
    field: &Field,
    value: &Value,
) -> OdooResult<()> {
    let Some(path) = field.related.as_deref() else {
        return Ok(());
    };
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match rest {
        None => write(
            env,
            model,
            &[id],
            &Struct::from([(head.to_owned(), value.clone())]),
        ),
        Some(rest) => {
            let Some(link) = model
                .field(head)
                .filter(|f| f.kind == Kind::Many2one && f.stored)
            else {
                return Ok(());
            };
            let Some(comodel) = link.relation.as_deref().and_then(|c| env.registry.model(c)) else {
                return Ok(());
            };
            let target: Option<i64> = env
                .tx
                .query_row(
                    &format!(
                        "SELECT {} FROM {} WHERE id = ?",
                        quote(head),
                        quote(&model.table)
                    ),
                    [id],
                    |row| row.get(0),
                )
                .map_err(sql_error)?;
            let Some(target) = target else { return Ok(()) };
            // the last step may itself be non-stored and related: write() handles it
            let mut vals = Struct::new();
            let mut path_model = comodel;
            let mut target_id = target;
            let steps: Vec<&str> = rest.split('.').collect();
            for (i, step) in steps.iter().enumerate() {
                if i + 1 == steps.len() {
                    vals.insert((*step).to_owned(), value.clone());
                    break;
                }
                let Some(next) = path_model
                    .field(step)
                    .filter(|f| f.kind == Kind::Many2one && f.stored)
                else {
                    return Ok(());
                };
                let Some(next_model) = next.relation.as_deref().and_then(|c| env.registry.model(c))
                else {
                    return Ok(());
                };
                let next_id: Option<i64> = env
                    .tx
                    .query_row(
                        &format!(
                            "SELECT {} FROM {} WHERE id = ?",
                            quote(step),
                            quote(&path_model.table)
                        ),
                        [target_id],
                        |row| row.get(0),
                    )
                    .map_err(sql_error)?;
                let Some(next_id) = next_id else {
                    return Ok(());
                };
                path_model = next_model;
                target_id = next_id;
            }
            write(env, path_model, &[target_id], &vals)
        }
    }
}

/// One x2many command, decoded.
#[derive(Debug)]
enum Command {
    Create(Struct),
    Update(i64, Struct),
    Delete(i64),
    Unlink(i64),
    Link(i64),
    Clear,
    Set(Vec<i64>),
}

fn commands(model: &Model, field: &Field, value: &Value) -> OdooResult<Vec<Command>> {
    let bad = |item: &Value| {
        OdooError::value(format!(
            "Invalid command {} for x2many field {}.{}",
            py_repr(item),
            model.name,
            field.name
        ))
    };
    let items = match value {
        Value::Bool(false) | Value::Nil => return Ok(vec![Command::Clear]),
        Value::Array(items) => items,
        other => return Err(bad(other)),
    };
    if !items.is_empty() && items.iter().all(|v| as_id(v).is_some()) {
        return Ok(vec![Command::Set(items.iter().filter_map(as_id).collect())]);
    }
    items
        .iter()
        .map(|item| {
            let Value::Array(parts) = item else {
                return Err(bad(item));
            };
            let code = parts.first().and_then(as_id).ok_or_else(|| bad(item))?;
            let id = || parts.get(1).and_then(as_id).ok_or_else(|| bad(item));
            let vals = || match parts.get(2) {
                Some(Value::Struct(vals)) => Ok(vals.clone()),
                _ => Err(bad(item)),
            };
            Ok(match code {
                0 => Command::Create(vals()?),
                1 => Command::Update(id()?, vals()?),
                2 => Command::Delete(id()?),
                3 => Command::Unlink(id()?),
                4 => Command::Link(id()?),
                5 => Command::Clear,
                6 => Command::Set(match parts.get(2) {
                    Some(ids) => super::ids_of(ids).map_err(|_| bad(item))?,
                    None => return Err(bad(item)),
                }),
                _ => return Err(bad(item)),
            })
        })
        .collect()
}

fn apply_commands(
    env: &Env<'_>,
    model: &Model,
    field: &Field,
    owner: i64,
    value: &Value,
    mode: Mode,
) -> OdooResult<()> {
    let comodel = field
        .relation
        .as_deref()
        .and_then(|c| env.registry.model(c))
        .ok_or_else(|| {
            OdooError::value(format!("{}.{}: unknown comodel", model.name, field.name))
        })?;
    let check = |id: i64| -> OdooResult<()> {
        if mode == Mode::Rpc {
            env.ensure_exist(comodel, &[id])?;
        }
        Ok(())
    };
    for command in commands(model, field, value)? {
        match (&field.m2m, command) {
            (_, Command::Create(vals)) => {
                let mut vals = vals;
                if field.m2m.is_none() {
                    let inverse = inverse(model, field, comodel)?;
                    vals.insert(inverse.name.clone(), crate::orm::read::int_value(owner));
                }
                let id = create(env, comodel, &vals, mode)?;
                if field.m2m.is_some() {
                    link(env, field, owner, id)?;
                }
            }
            (_, Command::Update(id, vals)) => write(env, comodel, &[id], &vals)?,
            (_, Command::Delete(id)) => unlink(env, comodel, &[id])?,
            (Some(rel), Command::Unlink(id)) => {
                env.tx
                    .execute(
                        &format!(
                            "DELETE FROM {} WHERE {} = ? AND {} = ?",
                            quote(&rel.table),
                            quote(&rel.this),
                            quote(&rel.other)
                        ),
                        [owner, id],
                    )
                    .map_err(sql_error)?;
            }
            (None, Command::Unlink(id)) => detach(env, model, field, comodel, &[id])?,
            (Some(_), Command::Link(id)) => {
                check(id)?;
                link(env, field, owner, id)?;
            }
            (None, Command::Link(id)) => {
                check(id)?;
                let inverse = inverse(model, field, comodel)?;
                env.tx
                    .execute(
                        &format!(
                            "UPDATE {} SET {} = ? WHERE id = ?",
                            quote(&comodel.table),
                            quote(&inverse.name)
                        ),
                        [owner, id],
                    )
                    .map_err(sql_error)?;
            }
            (Some(rel), Command::Clear) => {
                env.tx
                    .execute(
                        &format!(
                            "DELETE FROM {} WHERE {} = ?",
                            quote(&rel.table),
                            quote(&rel.this)
                        ),
                        [owner],
                    )
                    .map_err(sql_error)?;
            }
            (None, Command::Clear) => {
                let current = crate::orm::read::x2many_ids(env, field, &[owner])?
                    .remove(&owner)
                    .unwrap_or_default();
                detach(env, model, field, comodel, &current)?;
            }
            (Some(rel), Command::Set(ids)) => {
                env.tx
                    .execute(
                        &format!(
                            "DELETE FROM {} WHERE {} = ?",
                            quote(&rel.table),
                            quote(&rel.this)
                        ),
                        [owner],
                    )
                    .map_err(sql_error)?;
                for id in ids {
                    check(id)?;
                    link(env, field, owner, id)?;
                }
            }
            (None, Command::Set(ids)) => {
                let current = crate::orm::read::x2many_ids(env, field, &[owner])?
                    .remove(&owner)
                    .unwrap_or_default();
                let keep: BTreeSet<i64> = ids.iter().copied().collect();
                let gone: Vec<i64> = current
                    .into_iter()
                    .filter(|id| !keep.contains(id))
                    .collect();
                detach(env, model, field, comodel, &gone)?;
                let inverse = inverse(model, field, comodel)?;
                for id in ids {
                    check(id)?;
                    env.tx
                        .execute(
                            &format!(
                                "UPDATE {} SET {} = ? WHERE id = ?",
                                quote(&comodel.table),
                                quote(&inverse.name)
                            ),
                            [owner, id],
                        )
                        .map_err(sql_error)?;
                }
            }
        }
    }
    Ok(())
}

fn inverse<'m>(model: &Model, field: &Field, comodel: &'m Model) -> OdooResult<&'m Field> {
    field
        .relation_field
        .as_deref()
        .and_then(|f| comodel.field(f))
        .filter(|f| f.has_column())
        .ok_or_else(|| {
            OdooError::value(format!(
                "{}.{}: the inverse field of this one2many is not stored",
                model.name, field.name
            ))
        })
}

/// Removes records from a one2many: their inverse is emptied, or they are deleted when the
/// inverse is required (Odoo's `ondelete='cascade'` inverses).
fn detach(
    env: &Env<'_>,
    model: &Model,
    field: &Field,
    comodel: &Model,
    ids: &[i64],
) -> OdooResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let inverse = inverse(model, field, comodel)?;
    if inverse.required || inverse.on_delete.as_deref() == Some("cascade") {
        return unlink(env, comodel, ids);
    }
    for id in ids {
        env.tx
            .execute(
                &format!(
                    "UPDATE {} SET {} = NULL WHERE id = ?",
                    quote(&comodel.table),
                    quote(&inverse.name)
                ),
                [id],
            )
            .map_err(sql_error)?;
    }
    Ok(())
}

fn link(env: &Env<'_>, field: &Field, owner: i64, target: i64) -> OdooResult<()> {
    if let Some(rel) = &field.m2m {
        env.tx
            .execute(
                &format!(
                    "INSERT OR IGNORE INTO {} ({}, {}) VALUES (?, ?)",
                    quote(&rel.table),
                    quote(&rel.this),
                    quote(&rel.other)
                ),
                [owner, target],
            )
            .map_err(sql_error)?;
    }
    Ok(())
}

/// Deletes records (fault 2 if one does not exist), applying the `ondelete` of every
/// many2one that points at them and dropping their many2many links.
pub fn unlink(env: &Env<'_>, model: &Model, ids: &[i64]) -> OdooResult<()> {
    env.ensure_exist(model, ids)?;
    // Odoo 17's `unlink` deletes the external ids of the records it deletes itself (not of
    // those PostgreSQL's `ON DELETE CASCADE` takes with them: theirs stay dangling, as there)
    if model.name != "ir.model.data" {
        super::xmlid::forget_records(env, &model.name, ids)?;
    }
    let mut pending: Vec<(&Model, Vec<i64>)> = vec![(model, ids.to_vec())];
    let mut done: BTreeSet<(String, i64)> = BTreeSet::new();
    while let Some((model, ids)) = pending.pop() {
        let ids: Vec<i64> = ids
            .into_iter()
            .filter(|id| done.insert((model.name.clone(), *id)))
            .collect();
        if ids.is_empty() {
            continue;
        }
        let list = vec!["?"; ids.len()].join(",");
        let params = || rusqlite::params_from_iter(ids.iter());
        for other in env.registry.models() {
            for field in other.columns().filter(|f| {
                f.kind == Kind::Many2one && f.relation.as_deref() == Some(model.name.as_str())
            }) {
                let col = quote(&field.name);
                let table = quote(&other.table);
                match field.on_delete.as_deref() {
                    Some("cascade") => {
                        let mut stmt = env
                            .tx
                            .prepare(&format!("SELECT id FROM {table} WHERE {col} IN ({list})"))
                            .map_err(sql_error)?;
                        let children = stmt
                            .query_map(params(), |row| row.get::<_, i64>(0))
                            .map_err(sql_error)?
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(sql_error)?;
                        if !children.is_empty() {
                            pending.push((other, children));
                        }
                    }
                    Some("restrict") => {
                        let used: bool = env
                            .tx
                            .query_row(
                                &format!(
                                    "SELECT EXISTS (SELECT 1 FROM {table} WHERE {col} IN ({list}))"
                                ),
                                params(),
                                |row| row.get(0),
                            )
                            .map_err(sql_error)?;
                        if used && !std::ptr::eq(other, model) {
                            return Err(OdooError::Validation(
                                if env.version >= crate::version::OdooVersion::V19 {
                                    format!(
                                        "The operation cannot be completed: Another model is using the record you are trying to delete.\n\nThe troublemaker is: '{}' ({})\nThanks to the following constraint: '{}' ({})\nHow about archiving the record instead?",
                                        other.label, other.name, field.label, field.name
                                    )
                                } else {
                                    format!(
                                        "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {} ({}), Field: {} ({})",
                                        other.label, other.name, field.label, field.name
                                    )
                                },
                            ));
                        }
                    }
                    _ => {
                        env.tx
                            .execute(
                                &format!("UPDATE {table} SET {col} = NULL WHERE {col} IN ({list})"),
                                params(),
                            )
                            .map_err(sql_error)?;
                    }
                }
            }
            for field in other.fields.values() {
                let Some(rel) = &field.m2m else { continue };
                if std::ptr::eq(other, model) {
                    env.tx
                        .execute(
                            &format!(
                                "DELETE FROM {} WHERE {} IN ({list})",
                                quote(&rel.table),
                                quote(&rel.this)
                            ),
                            params(),
                        )
                        .map_err(sql_error)?;
                }
                if field.relation.as_deref() == Some(model.name.as_str()) {
                    env.tx
                        .execute(
                            &format!(
                                "DELETE FROM {} WHERE {} IN ({list})",
                                quote(&rel.table),
                                quote(&rel.other)
                            ),
                            params(),
                        )
                        .map_err(sql_error)?;
                }
            }
        }
        env.tx
            .execute(
                &format!("DELETE FROM {} WHERE id IN ({list})", quote(&model.table)),
                params(),
            )
            .map_err(sql_error)?;
    }
    Ok(())
}
