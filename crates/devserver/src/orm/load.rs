//! `load(fields, data)`: the import method, as Odoo 17's `odoo/models.py` (`load`,
//! `_extract_records`, `_convert_records`, `_load_records`) and `ir.fields.converter`
//! (`odoo/addons/base/models/ir_fields.py`) answer it.
//!
//! Each row becomes one record. Cells are text, converted per field type; a cell of the
//! `id` column is the row's external id (`module.name`, or `name` in the context's `module`,
//! `__import__` by default): an existing one is updated (unless `mode` is `update` and the
//! id is `noupdate`), a new one created and given the id. Problems are messages naming the
//! row (`record`, `rows`) and field; any error rolls the whole call back (`ids` is `False`).
//! Not done: one2many lines (`line_ids/name` columns), which the server refuses.

use super::xmlid;
use super::{Env, write};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;
use crate::values::py_repr;
use openspp_xmlrpc::{Struct, Value};
use rusqlite::OptionalExtension;

/// A column: the field path, split as `fix_import_export_id_paths` does (`country_id:id`
/// and `country_id/id` are `["country_id", "id"]`, `country_id.id` is `.id`).
pub(crate) fn column_path(name: &str) -> Vec<String> {
    let mut out = String::with_capacity(name.len() + 2);
    let chars: Vec<char> = name.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let after_name = i > 0 && chars[i - 1] != '/';
        let rest: String = chars[i..].iter().take(3).collect();
        if after_name && *c == '.' && rest == ".id" {
            out.push_str("/.");
        } else if after_name && *c == ':' && rest == ":id" {
            out.push('/');
        } else {
            out.push(*c);
        }
    }
    out.split('/').map(str::to_owned).collect()
}

/// How a column is read.
#[derive(Debug)]
enum Column<'m> {
    /// `id`: the row's external id.
    XmlId,
    /// `.id`: the row's database id.
    DbId,
    /// A field, with the referencing subfield of a relation (`None`: by name).
    Field(&'m Field, Option<String>),
}

fn columns<'m>(model: &'m Model, fields: &Value) -> OdooResult<Vec<Column<'m>>> {
    let Value::Array(names) = fields else {
        return Err(OdooError::type_error(format!(
            "load() fields must be a list, not {}",
            py_repr(fields)
        )));
    };
    names
        .iter()
        .map(|name| {
            let Value::String(name) = name else {
                return Err(OdooError::python(
                    "AttributeError",
                    format!("'{}' object has no attribute 'split'", crate::values::py_type(name)),
                ));
            };
            let path = column_path(name);
            match path.first().map(String::as_str) {
                Some("id") if path.len() == 1 => return Ok(Column::XmlId),
                Some(".id") if path.len() == 1 => return Ok(Column::DbId),
                _ => {}
            }
            let field = model
                .field(&path[0])
                .ok_or_else(|| OdooError::python("KeyError", format!("'{}'", path[0])))?;
            if field.kind == Kind::One2many && path.len() > 1 {
                return Err(OdooError::python(
                    "NotImplementedError",
                    format!(
                        "the dev server does not import one2many lines ({name}): import {} records separately",
                        field.relation.as_deref().unwrap_or("the related")
                    ),
                ));
            }
            Ok(Column::Field(field, path.get(1).cloned()))
        })
        .collect()
}

/// The text of a cell (Odoo's import sends text; other values are read as Python prints
/// them).
fn cell_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Nil | Value::Bool(false) => String::new(),
        Value::Bool(true) => "True".to_owned(),
        Value::Int(i) => i.to_string(),
        Value::I8(i) => i.to_string(),
        Value::Double(d) => d.to_string(),
        other => py_repr(other),
    }
}

/// A conversion problem of one cell: the message (`%(field)s` is the field's label) and
/// `moreinfo`.
struct Problem {
    message: String,
    moreinfo: Option<Value>,
    warning: bool,
}

impl Problem {
    fn error(message: String) -> Self {
        Problem {
            message,
            moreinfo: None,
            warning: false,
        }
    }
}

/// A row's converted values, or the problems met.
struct Converted {
    xmlid: Option<String>,
    db_id: Option<i64>,
    values: Struct,
}

/// `load`'s answer: `{ids, messages, nextrow}`.
pub fn load(env: &Env<'_>, model: &Model, fields: &Value, data: &Value) -> OdooResult<Value> {
    let columns = columns(model, fields)?;
    let Value::Array(rows) = data else {
        return Err(OdooError::type_error(format!(
            "load() data must be a list of rows, not {}",
            py_repr(data)
        )));
    };
    let update = matches!(env.context.get("mode"), Some(Value::String(m)) if m == "update");
    let module = match env.context.get("module") {
        Some(Value::String(m)) => m.clone(),
        _ => "__import__".to_owned(),
    };
    let noupdate = env
        .context
        .get("noupdate")
        .is_some_and(|v| !crate::values::is_falsy(v));

    env.tx.execute_batch("SAVEPOINT load").map_err(sql_error)?;
    let mut messages = Vec::new();
    let mut converted = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let Value::Array(cells) = row else {
            return Err(OdooError::type_error(format!(
                "load() rows must be lists, not {}",
                py_repr(row)
            )));
        };
        converted.push(convert_row(
            env,
            model,
            &columns,
            cells,
            index,
            &mut messages,
        )?);
    }
    let mut ids = Vec::with_capacity(converted.len());
    let mut errors = 0usize;
    for (index, row) in converted.into_iter().enumerate() {
        env.tx
            .execute_batch("SAVEPOINT load_row")
            .map_err(sql_error)?;
        match save(env, model, row, &module, update, noupdate) {
            Ok(id) => {
                env.tx
                    .execute_batch("RELEASE load_row")
                    .map_err(sql_error)?;
                ids.extend(id);
            }
            Err(e) => {
                env.tx
                    .execute_batch("ROLLBACK TO load_row; RELEASE load_row")
                    .map_err(sql_error)?;
                messages.push(save_error(env, model, index, &e));
                errors += 1;
                // `load`'s own cut-off: more than 10 errors and more than one per 10 records
                if errors >= 10 && errors * 10 > index {
                    messages.push(Value::Struct(Struct::from([
                        ("type".to_owned(), Value::String("warning".into())),
                        ("message".to_owned(), Value::String("Found more than 10 errors and more than one error per 10 records, interrupted to avoid showing too many errors.".into())),
                    ])));
                    break;
                }
            }
        }
    }
    let failed = messages.iter().any(
        |m| matches!(m, Value::Struct(s) if s.get("type") == Some(&Value::String("error".into()))),
    );
    if failed {
        env.tx
            .execute_batch("ROLLBACK TO load")
            .map_err(sql_error)?;
    }
    env.tx.execute_batch("RELEASE load").map_err(sql_error)?;
    let ids = if failed {
        Value::Bool(false)
    } else {
        Value::Array(ids.into_iter().map(super::read::int_value).collect())
    };
    Ok(Value::Struct(Struct::from([
        ("ids".to_owned(), ids),
        ("messages".to_owned(), Value::Array(messages)),
        ("nextrow".to_owned(), Value::Int(0)),
    ])))
}

/// Converts one row (`_convert_records`), logging each cell's problem.
fn convert_row(
    env: &Env<'_>,
    model: &Model,
    columns: &[Column<'_>],
    cells: &[Value],
    index: usize,
    messages: &mut Vec<Value>,
) -> OdooResult<Converted> {
    let mut row = Converted {
        xmlid: None,
        db_id: None,
        values: Struct::new(),
    };
    for (column, cell) in columns.iter().zip(cells) {
        let text = cell_text(cell);
        match column {
            Column::XmlId => row.xmlid = Some(text).filter(|t| !t.is_empty()),
            Column::DbId if text.is_empty() => {}
            Column::DbId => match text.parse::<i64>() {
                Ok(id) if !env.existing(model, &[id])?.is_empty() => row.db_id = Some(id),
                _ => messages.push(message(
                    index,
                    "error",
                    ".id",
                    format!("Unknown database identifier '{text}'"),
                    None,
                )),
            },
            Column::Field(field, _) if text.is_empty() => {
                row.values.insert(field.name.clone(), Value::Bool(false));
            }
            Column::Field(field, sub) => match convert(env, field, sub.as_deref(), &text)? {
                Ok((value, warnings)) => {
                    row.values.insert(field.name.clone(), value);
                    for w in warnings {
                        messages.push(problem_message(index, field, w));
                    }
                }
                Err(problem) => messages.push(problem_message(index, field, problem)),
            },
        }
    }
    Ok(row)
}

fn problem_message(index: usize, field: &Field, problem: Problem) -> Value {
    let text = problem.message.replace("%(field)s", &field.label);
    let kind = if problem.warning { "warning" } else { "error" };
    let mut m = message(index, kind, &field.name, text, problem.moreinfo);
    if let Value::Struct(s) = &mut m {
        s.insert("field_name".into(), Value::String(field.label.clone()));
    }
    m
}

/// One message as `load` reports it: type, row (`record`, `rows`), field, text.
fn message(index: usize, kind: &str, field: &str, text: String, moreinfo: Option<Value>) -> Value {
    let row = Value::Int(i32::try_from(index).unwrap_or(i32::MAX));
    let mut m = Struct::from([
        ("type".to_owned(), Value::String(kind.to_owned())),
        ("record".to_owned(), row.clone()),
        (
            "rows".to_owned(),
            Value::Struct(Struct::from([
                ("from".to_owned(), row.clone()),
                ("to".to_owned(), row),
            ])),
        ),
        ("field".to_owned(), Value::String(field.to_owned())),
        ("message".to_owned(), Value::String(text)),
    ]);
    if let Some(moreinfo) = moreinfo {
        m.insert("moreinfo".into(), moreinfo);
    }
    Value::Struct(m)
}

/// One cell into a `write` value (`ir.fields.converter._str_to_<type>`): the value and its
/// warnings, or the problem.
fn convert(
    env: &Env<'_>,
    field: &Field,
    sub: Option<&str>,
    text: &str,
) -> OdooResult<Result<(Value, Vec<Problem>), Problem>> {
    let lower = text.to_lowercase();
    Ok(Ok(match field.odoo_type.as_str() {
        "boolean" => match lower.as_str() {
            "1" | "true" | "yes" => (Value::Bool(true), vec![]),
            "0" | "false" | "no" => (Value::Bool(false), vec![]),
            _ => (
                Value::Bool(true),
                // A `ValueError` among the converter's warnings: `_convert_records` logs
                // it as an error (only `Warning`s are warnings), so the batch rolls back,
                // as the real Odoo 17 answers.
                vec![Problem {
                    message: format!("Unknown value '{text}' for boolean field '%(field)s'"),
                    moreinfo: Some(Value::String("Use '1' for yes and '0' for no".into())),
                    warning: false,
                }],
            ),
        },
        "integer" | "many2one_reference" => match text.trim().parse::<i64>() {
            Ok(n) => (i32::try_from(n).map_or(Value::I8(n), Value::Int), vec![]),
            Err(_) => {
                return Ok(Err(Problem::error(format!(
                    "'{text}' does not seem to be an integer for field '%(field)s'"
                ))));
            }
        },
        "float" | "monetary" => match text.trim().parse::<f64>() {
            Ok(x) => (Value::Double(x), vec![]),
            Err(_) => {
                return Ok(Err(Problem::error(format!(
                    "'{text}' does not seem to be a number for field '%(field)s'"
                ))));
            }
        },
        "date" => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => (Value::String(super::dates::date_text(d)), vec![]),
            Err(_) => {
                return Ok(Err(Problem {
                    message: format!(
                        "'{text}' does not seem to be a valid date for field '%(field)s'"
                    ),
                    moreinfo: Some(Value::String("Use the format '2012-12-31'".into())),
                    warning: false,
                }));
            }
        },
        "datetime" => match chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
            Ok(d) => (Value::String(super::dates::datetime_text(d)), vec![]),
            Err(_) => {
                return Ok(Err(Problem {
                    message: format!(
                        "'{text}' does not seem to be a valid datetime for field '%(field)s'"
                    ),
                    moreinfo: Some(Value::String("Use the format '2012-12-31 23:59:59'".into())),
                    warning: false,
                }));
            }
        },
        "selection" => {
            let keys = field.selection.clone().unwrap_or_default();
            let found = keys.iter().find_map(|k| {
                let key = match k {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (key.to_lowercase() == lower).then(|| crate::values::json_to_value(k))
            });
            match found {
                Some(v) => (v, vec![]),
                None => {
                    return Ok(Err(Problem::error(format!(
                        "Value '{text}' not found in selection field '%(field)s'"
                    ))));
                }
            }
        }
        "many2one" => match reference(env, field, sub, text)? {
            Ok(id) => (super::read::int_value(id), vec![]),
            Err(p) => return Ok(Err(p)),
        },
        "many2many" => {
            let mut ids = Vec::new();
            for part in text.split(',') {
                match reference(env, field, sub, part)? {
                    Ok(id) => ids.push(super::read::int_value(id)),
                    Err(p) => return Ok(Err(p)),
                }
            }
            let set = Value::Array(vec![Value::Int(6), Value::Int(0), Value::Array(ids)]);
            (Value::Array(vec![set]), vec![])
        }
        _ => (Value::String(text.to_owned()), vec![]),
    }))
}

/// The record a relational cell names (`db_id_for`): by external id (`/id`), database id
/// (`/.id`) or name (no subfield).
fn reference(
    env: &Env<'_>,
    field: &Field,
    sub: Option<&str>,
    text: &str,
) -> OdooResult<Result<i64, Problem>> {
    let comodel = env.model(field.relation.as_deref().unwrap_or_default())?;
    let action = possible_values(env, &comodel.name, sub);
    let not_found = |kind: &str| Problem {
        message: format!("No matching record found for {kind} '{text}' in field '%(field)s'"),
        moreinfo: Some(action.clone()),
        warning: false,
    };
    Ok(match sub {
        Some("id") => {
            let name = if text.contains('.') {
                text.to_owned()
            } else {
                format!("{}.{text}", import_module(env))
            };
            match xmlid::find(env, &name)? {
                Some(row) if !env.existing(comodel, &[row.res_id])?.is_empty() => {
                    if row.model != comodel.name {
                        return Ok(Err(Problem::error(format!(
                            "Invalid external ID {name}: expected model '{}', found '{}'",
                            comodel.name, row.model
                        ))));
                    }
                    Ok(row.res_id)
                }
                _ => Err(not_found("external id")),
            }
        }
        Some(".id") => match text.trim().parse::<i64>() {
            Ok(id) if !env.existing(comodel, &[id])?.is_empty() => Ok(id),
            Ok(_) => Err(not_found("database id")),
            Err(_) => Err(Problem {
                message: format!("Invalid database id '{text}' for the field '%(field)s'"),
                moreinfo: Some(action.clone()),
                warning: false,
            }),
        },
        None => {
            let Some(rec_name) = comodel
                .rec_name
                .as_deref()
                .filter(|n| comodel.has_stored(n))
            else {
                return Ok(Err(not_found("name")));
            };
            let sql = format!(
                "SELECT id FROM {} WHERE {} = ? ORDER BY id LIMIT 1",
                quote(&comodel.table),
                quote(rec_name)
            );
            let id: Option<i64> = env
                .tx
                .prepare_cached(&sql)
                .map_err(sql_error)?
                .query_row([text], |r| r.get(0))
                .optional()
                .map_err(sql_error)?;
            id.ok_or_else(|| not_found("name"))
        }
        Some(_) => Err(Problem::error(
            "Can not create Many-To-One records indirectly, import the field separately".into(),
        )),
    })
}

/// The window action `db_id_for` attaches to a reference it cannot resolve ("Possible
/// Values": the comodel's records for a name, its external ids for `/id` and `/.id`).
fn possible_values(env: &Env<'_>, comodel: &str, sub: Option<&str>) -> Value {
    let s = |t: &str| Value::String(t.to_owned());
    let view_mode = if env.version >= crate::version::OdooVersion::V19 {
        "list,form"
    } else {
        "tree,form"
    };
    let mut action = Struct::from([
        ("name".to_owned(), s("Possible Values")),
        ("type".to_owned(), s("ir.actions.act_window")),
        ("target".to_owned(), s("new")),
        ("view_mode".to_owned(), s(view_mode)),
        (
            "views".to_owned(),
            Value::Array(vec![
                Value::Array(vec![Value::Bool(false), s("list")]),
                Value::Array(vec![Value::Bool(false), s("form")]),
            ]),
        ),
        (
            "context".to_owned(),
            Value::Struct(Struct::from([("create".to_owned(), Value::Bool(false))])),
        ),
        ("help".to_owned(), s("See all possible values")),
    ]);
    match sub {
        None => {
            action.insert("res_model".to_owned(), s(comodel));
        }
        Some(_) => {
            action.insert("res_model".to_owned(), s("ir.model.data"));
            action.insert(
                "domain".to_owned(),
                Value::Array(vec![Value::Array(vec![s("model"), s("="), s(comodel)])]),
            );
        }
    }
    Value::Struct(action)
}

/// The module of external ids given without one (`_import_current_module`).
fn import_module(env: &Env<'_>) -> String {
    match env.context.get("module") {
        Some(Value::String(m)) => m.clone(),
        _ => "__import__".to_owned(),
    }
}

/// Creates or updates the record of one row (`_load_records`); `None` when `update` mode
/// skips a row without an id.
fn save(
    env: &Env<'_>,
    model: &Model,
    row: Converted,
    module: &str,
    update: bool,
    noupdate: bool,
) -> OdooResult<Option<i64>> {
    let Some(name) = row.xmlid else {
        if let Some(id) = row.db_id {
            write::write(env, model, &[id], &row.values)?;
            return Ok(Some(id));
        }
        if update {
            return Ok(None);
        }
        return write::create(env, model, &row.values, write::Mode::Rpc).map(Some);
    };
    let name = if name.contains('.') {
        name
    } else {
        format!("{module}.{name}")
    };
    match xmlid::find(env, &name)? {
        Some(found) if found.model != model.name => Err(OdooError::Validation(format!(
            "For external id {name} when trying to create/update a record of model {} found \
             record of different model {} ({})",
            model.name, found.model, found.id
        ))),
        Some(found) if !env.existing(model, &[found.res_id])?.is_empty() => {
            if !(update && found.noupdate) {
                write::write(env, model, &[found.res_id], &row.values)?;
            }
            Ok(Some(found.res_id))
        }
        found => {
            if let Some(dangling) = found {
                xmlid::delete(env, dangling.id)?;
            }
            let id = write::create(env, model, &row.values, write::Mode::Rpc)?;
            xmlid::insert(env, &name, &model.name, id, noupdate)?;
            Ok(Some(id))
        }
    }
}

/// How the server words a constraint it refuses outside `load`.
const CANNOT_COMPLETE: &str = "The operation cannot be completed: ";

/// The message of a row whose create or write failed: a user error's text; a missing
/// required value as `convert_pgerror_not_null` words it; anything else as Odoo's "Unknown
/// error during import".
fn save_error(env: &Env<'_>, model: &Model, index: usize, error: &OdooError) -> Value {
    let mandatory = "a mandatory field is not set.";
    match error {
        OdooError::Validation(text) if text.contains(mandatory) => {
            let field = text
                .rsplit_once('(')
                .map(|(_, rest)| rest.trim_end_matches(')').to_owned())
                .unwrap_or_default();
            let label = model
                .field(&field)
                .map_or(field.as_str(), |f| f.label.as_str());
            let text = format!("Missing required value for the field '{label}' ({field})");
            message(index, "error", &field, text, None)
        }
        // A check constraint (`23514`): the constraint's message, which Odoo 17's
        // `convert_pgerror_constraint` quotes and the real Odoo 19 does not.
        OdooError::Validation(text)
            if text
                .strip_prefix(CANNOT_COMPLETE)
                .is_some_and(|rest| !rest.contains('\n') && !rest.starts_with("duplicate key")) =>
        {
            let constraint = &text[CANNOT_COMPLETE.len()..];
            let text = if env.version >= crate::version::OdooVersion::V19 {
                constraint.to_owned()
            } else {
                format!("'{constraint}'")
            };
            let mut v = message(index, "error", "", text, None);
            if let Value::Struct(s) = &mut v {
                s.remove("field");
            }
            v
        }
        OdooError::Python { class, message: m } => {
            let mut v = message(
                index,
                "error",
                "",
                format!("Unknown error during import: <class '{class}'>: {m}"),
                Some(Value::String("Resolve other errors first".into())),
            );
            if let Value::Struct(s) = &mut v {
                s.remove("field");
            }
            v
        }
        other => {
            let mut v = message(index, "error", "", other.to_string(), None);
            if let Value::Struct(s) = &mut v {
                s.remove("field");
            }
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::column_path;

    #[test]
    fn column_paths_as_odoo_fixes_them() {
        assert_eq!(column_path("id"), ["id"]);
        assert_eq!(column_path(".id"), [".id"]);
        assert_eq!(column_path("country_id/id"), ["country_id", "id"]);
        assert_eq!(column_path("country_id:id"), ["country_id", "id"]);
        assert_eq!(column_path("country_id.id"), ["country_id", ".id"]);
        assert_eq!(column_path("country_id/.id"), ["country_id", ".id"]);
        assert_eq!(column_path("name"), ["name"]);
    }
}
