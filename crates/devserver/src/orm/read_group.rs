//! `read_group`: counts and aggregates per group, as Odoo 17's public `read_group` answers
//! them on top of `_read_group` (`odoo/models.py`):
//!
//! * `lazy=True` groups by the first groupby only, counts in `<field>_count` and hands the
//!   rest on in `__context.group_by`; `lazy=False` groups by all of them and counts in
//!   `__count`;
//! * a date or datetime groups by `:hour`, `:day`, `:week`, `:month` (also a bare field),
//!   `:quarter` or `:year`, labelled as Babel does in `en_US` (`30 Nov 2026`, `W49 2026`,
//!   `November 2026`, `Q4 2026`, `2026`) with its `__range` bounds;
//! * a many2one group is `[id, display_name]`; every group has its `__domain`, the call's
//!   domain `AND` the group's condition, as `expression.AND` writes it;
//! * `fields` are `name`, `name:agg` or `alias:agg(name)`; a bare name is summed (or its
//!   `group_operator`) when stored, and left out otherwise;
//! * `orderby` names groupby fields or aggregates; groups come sorted by the groupby fields
//!   otherwise, many2one groups by the target's name.
//!
//! Not reproduced: `group_expand` and `fill_temporal` (no empty groups are added), grouping
//! by many2many or properties, and datetimes in a context `tz` other than UTC (refused).

use super::Env;
use super::domain::{Compiler, Domain, and_domains};
use super::periods::Period;
use super::read::{column_value, display_names, int_value};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;
use crate::values::{json_to_value, str_repr};
use chrono::NaiveDateTime;
use openspp_xmlrpc::{Struct, Value};
use rusqlite::types::Value as Sql;

/// The arguments of `read_group`, once bound.
#[derive(Debug)]
pub struct GroupBy<'v> {
    /// The raw domain (each group's `__domain` starts from it).
    pub domain_value: &'v Value,
    /// The parsed domain.
    pub domain: Domain,
    /// Field specs (`amount`, `amount:sum`, `total:sum(amount)`).
    pub fields: Vec<String>,
    /// Groupby specs (`country_id`, `birthdate:year`).
    pub groupby: Vec<String>,
    /// Groups to skip.
    pub offset: i64,
    /// At most this many groups.
    pub limit: Option<i64>,
    /// `orderby`: groupby fields and aggregates, each `asc` or `desc`.
    pub orderby: Option<String>,
    /// Lazy grouping: by the first groupby only.
    pub lazy: bool,
}

/// One groupby of the call, resolved.
#[derive(Debug)]
pub(super) struct Grouping<'m> {
    /// The spec as given: the group's key in the answer.
    pub(super) key: String,
    /// The spec `_read_group` sees (`birthdate:month` for a bare `birthdate`).
    spec: String,
    pub(super) field: &'m Field,
    pub(super) period: Option<Period>,
    /// The SQL of the group's value.
    sql: String,
}

/// One aggregate of the answer.
#[derive(Debug)]
pub(super) struct Aggregate<'m> {
    /// Its key in the answer.
    pub(super) key: String,
    /// Its `_read_group` spec (`__count`, `amount:sum`).
    spec: String,
    field: Option<&'m Field>,
    function: String,
    sql: String,
}

pub(super) fn value_error(message: String) -> OdooError {
    OdooError::value(message)
}

/// `parse_read_group_spec`: `field`, `field.property`, `field:func`, `field.property:func`.
fn parse_spec(spec: &str) -> OdooResult<(&str, Option<&str>, Option<&str>)> {
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    let (path, func) = match spec.split_once(':') {
        Some((path, func)) => (path, Some(func)),
        None => (spec, None),
    };
    let (name, property) = match path.split_once('.') {
        Some((name, property)) => (name, Some(property)),
        None => (path, None),
    };
    if word(name) && property.is_none_or(word) && func.is_none_or(word) {
        return Ok((name, property, func));
    }
    Err(value_error(format!(
        "Invalid aggregate/groupby specification {}.\n\
         - Valid aggregate specification looks like \"<field_name>:<agg>\" example: \"quantity:sum\".\n\
         - Valid groupby specification looks like \"<no_datish_field_name>\" or \"<datish_field_name>:<granularity>\" example: \"date:month\" or \"<properties_field_name>.<property>:<granularity>\".",
        str_repr(spec)
    )))
}

/// `regex_field_agg`, `(\w+)(?::(\w+)(?:\((\w+)\))?)?` matched at the start of a field spec:
/// (name, function, field).
fn parse_field_spec(spec: &str) -> Option<(&str, Option<&str>, Option<&str>)> {
    let word_end = |s: &str| {
        s.char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(s.len(), |(i, _)| i)
    };
    let end = word_end(spec);
    if end == 0 {
        return None;
    }
    let (name, rest) = spec.split_at(end);
    let Some(rest) = rest.strip_prefix(':') else {
        return Some((name, None, None));
    };
    let end = word_end(rest);
    if end == 0 {
        return Some((name, None, None));
    }
    let (func, rest) = rest.split_at(end);
    let field = rest.strip_prefix('(').and_then(|inner| {
        let end = word_end(inner);
        (end > 0 && inner[end..].starts_with(')')).then(|| &inner[..end])
    });
    Some((name, Some(func), field))
}

/// The model's field `name`, or read_group's `ValueError`.
fn named_field<'m>(model: &'m Model, name: &str) -> OdooResult<&'m Field> {
    model.field(name).ok_or_else(|| {
        value_error(format!(
            "Invalid field {} on model {}",
            str_repr(name),
            str_repr(&model.name)
        ))
    })
}

/// `_field_to_sql`: the column of a stored field.
fn column(model: &Model, field: &Field) -> OdooResult<String> {
    if !field.stored {
        return Err(value_error(format!(
            "Cannot convert field {}.{} to SQL",
            model.name, field.name
        )));
    }
    if field.kind.is_x2many() {
        return Err(value_error(format!(
            "the dev server cannot group or aggregate by the {} field {}.{}",
            field.odoo_type, model.name, field.name
        )));
    }
    Ok(format!("t0.{}", quote(&field.name)))
}

/// `_read_group_groupby`.
pub(super) fn grouping<'m>(
    env: &Env<'_>,
    model: &'m Model,
    key: &str,
    spec: String,
) -> OdooResult<Grouping<'m>> {
    let (name, property, granularity) = parse_spec(&spec)?;
    let field = named_field(model, name)?;
    if let Some(property) = property {
        return Err(value_error(if field.odoo_type == "properties" {
            format!(
                "the dev server cannot group by the property {}",
                str_repr(property)
            )
        } else {
            format!(
                "Property set on a non properties field: {}",
                str_repr(property)
            )
        }));
    }
    let dated = matches!(field.kind, Kind::Date | Kind::Datetime);
    if granularity.is_some() && !dated {
        return Err(value_error(format!(
            "Granularity set on a no-datetime field or property: {}",
            str_repr(&spec)
        )));
    }
    let column = column(model, field)?;
    let (sql, period) = if dated {
        let granularity = granularity.unwrap_or_default();
        let period = Period::named(granularity).ok_or_else(|| {
            value_error(format!(
                "Granularity specification isn't correct: {}",
                str_repr(granularity)
            ))
        })?;
        if field.kind == Kind::Datetime {
            utc_only(env)?;
        }
        (period.start_sql(&column), Some(period))
    } else if field.kind == Kind::Boolean {
        (format!("COALESCE({column}, 0)"), None)
    } else {
        (column, None)
    };
    Ok(Grouping {
        key: key.to_owned(),
        spec,
        field,
        period,
        sql,
    })
}

/// Odoo groups datetimes in the context's `tz`; this server knows UTC only, and says so
/// rather than answer other periods.
fn utc_only(env: &Env<'_>) -> OdooResult<()> {
    const UTC: [&str; 8] = [
        "UTC",
        "Etc/UTC",
        "GMT",
        "Etc/GMT",
        "Universal",
        "Etc/Universal",
        "Zulu",
        "Etc/Zulu",
    ];
    match env.context.get("tz") {
        Some(Value::String(tz)) if !tz.is_empty() && !UTC.contains(&tz.as_str()) => {
            Err(OdooError::python(
                "NotImplementedError",
                format!(
                    "the dev server groups datetimes in UTC only, not in the context's tz {}",
                    str_repr(tz)
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// `_read_group_select`.
pub(super) fn aggregate<'m>(
    model: &'m Model,
    key: String,
    spec: String,
) -> OdooResult<Aggregate<'m>> {
    if spec == "__count" {
        return Ok(Aggregate {
            key,
            spec,
            field: None,
            function: "__count".to_owned(),
            sql: "COUNT(*)".to_owned(),
        });
    }
    let (name, property, function) = parse_spec(&spec)?;
    let access = match property {
        Some(property) => format!("{name}.{property}"),
        None => name.to_owned(),
    };
    let field = model.field(name).ok_or_else(|| {
        value_error(format!(
            "Invalid field {} on model {} for {}.",
            str_repr(name),
            str_repr(&model.name),
            str_repr(&spec)
        ))
    })?;
    let function = function
        .ok_or_else(|| {
            value_error(format!(
                "Aggregate method is mandatory for {}",
                str_repr(&access)
            ))
        })?
        .to_owned();
    let column = || {
        let sql = column(model, field)?;
        refused_by_postgresql(model, field, &function)?;
        Ok::<_, OdooError>(sql)
    };
    let sql = match function.as_str() {
        "sum" | "avg" | "max" | "min" => format!("{}({})", function.to_uppercase(), column()?),
        "bool_and" => format!("MIN({})", column()?),
        "bool_or" => format!("MAX({})", column()?),
        "count" => format!("COUNT({})", column()?),
        "count_distinct" => format!("COUNT(DISTINCT {})", column()?),
        "array_agg" => format!("json_group_array({} ORDER BY t0.id)", column()?),
        "recordset" if field.kind == Kind::Many2one || field.name == "id" => {
            format!("json_group_array({} ORDER BY t0.id)", column()?)
        }
        "recordset" => {
            return Err(value_error(format!(
                "Aggregate method 'recordset' can be only used on relational field (or id) (for {}).",
                str_repr(&spec)
            )));
        }
        _ => {
            return Err(value_error(format!(
                "Invalid aggregate method {} for {}.",
                str_repr(&function),
                str_repr(&spec)
            )));
        }
    };
    Ok(Aggregate {
        key,
        spec,
        field: Some(field),
        function,
        sql,
    })
}

/// The type PostgreSQL sees for a field in `_read_group_select`'s SQL: its column type, or
/// `text` for a translated field (Odoo 17+ reads `COALESCE(col->>'en_US', ...)` from its
/// `jsonb`).
fn pg_type(model: &Model, field: &Field) -> &'static str {
    let attribute = |name: &str| {
        model
            .schema
            .fields
            .get(&field.name)
            .and_then(|s| s.attribute(name))
            .filter(|v| !v.is_null() && *v != &serde_json::Value::Bool(false))
    };
    match field.odoo_type.as_str() {
        "char" | "text" | "html" if attribute("translate").is_some() => "text",
        "char" | "selection" | "reference" => "character varying",
        "text" | "html" => "text",
        "boolean" => "boolean",
        "float" if attribute("digits").is_none() => "double precision",
        "float" | "monetary" => "numeric",
        "date" => "date",
        "datetime" => "timestamp without time zone",
        "json" | "properties" => "jsonb",
        "binary" => "bytea",
        _ => "integer",
    }
}

/// PostgreSQL's refusal of an aggregate function its catalogue lacks for the field's type
/// (`sum(character varying)`, `max(boolean)`, `bool_and(integer)`...): Odoo 17 and 19 check
/// the method name only, so the query reaches PostgreSQL and psycopg2's `UndefinedFunction`
/// is the fault.
fn refused_by_postgresql(model: &Model, field: &Field, function: &str) -> OdooResult<()> {
    const NUMBERS: &[&str] = &["integer", "numeric", "double precision"];
    const ORDERED: &[&str] = &[
        "integer",
        "numeric",
        "double precision",
        "character varying",
        "text",
        "date",
        "timestamp without time zone",
    ];
    let pg = pg_type(model, field);
    let accepted = match function {
        "sum" | "avg" => NUMBERS.contains(&pg),
        "max" | "min" => ORDERED.contains(&pg),
        "bool_and" | "bool_or" => pg == "boolean",
        _ => true,
    };
    if accepted {
        return Ok(());
    }
    Err(OdooError::python(
        "psycopg2.errors.UndefinedFunction",
        format!(
            "function {function}({pg}) does not exist\nHINT:  No function matches the given name and argument types. You might need to add explicit type casts."
        ),
    ))
}

/// `read_group`'s translation of `fields` into aggregates, keyed by their name in the answer.
fn aggregates<'m>(
    model: &'m Model,
    args: &GroupBy<'_>,
    groupings: &[Grouping<'_>],
) -> OdooResult<Vec<Aggregate<'m>>> {
    let count_key = match groupings {
        [only] if args.lazy => format!("{}_count", only.key.split(':').next().unwrap_or_default()),
        _ => "__count".to_owned(),
    };
    let mut specs: Vec<(String, String)> = vec![(count_key, "__count".to_owned())];
    let mut set = |key: &str, spec: String| match specs.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = spec,
        None => specs.push((key.to_owned(), spec)),
    };
    for field_spec in &args.fields {
        if field_spec == "__count" {
            continue;
        }
        let (name, function, field_name) = parse_field_spec(field_spec).ok_or_else(|| {
            value_error(format!(
                "Invalid field specification {}.",
                str_repr(field_spec)
            ))
        })?;
        match (function, field_name) {
            (Some(function), Some(field_name)) => set(name, format!("{field_name}:{function}")),
            (Some(function), None) => set(name, format!("{name}:{function}")),
            _ => {
                let Some(field) = model.field(name) else {
                    // Odoo 17 names the last groupby field here, not the unknown one
                    return Err(match groupings.last() {
                        Some(g) => value_error(format!(
                            "Invalid field {} on model {}",
                            str_repr(&g.field.name),
                            str_repr(&model.name)
                        )),
                        None => OdooError::python(
                            "UnboundLocalError",
                            "cannot access local variable 'field_name' where it is not associated with a value",
                        ),
                    });
                };
                let operator = model
                    .schema
                    .fields
                    .get(name)
                    .and_then(|s| s.attribute("group_operator"))
                    .and_then(serde_json::Value::as_str)
                    .filter(|op| !op.is_empty());
                if let Some(operator) = operator {
                    if field.has_column() && !groupings.iter().any(|g| g.key == *field_spec) {
                        set(name, format!("{name}:{operator}"));
                    }
                }
            }
        }
    }
    specs
        .into_iter()
        .map(|(key, spec)| aggregate(model, key, spec))
        .collect()
}

/// `read_group`'s rewrite of `orderby` into `_read_group` terms, then `_read_group_orderby`.
fn order_by(
    env: &Env<'_>,
    model: &Model,
    args: &GroupBy<'_>,
    groupings: &[Grouping<'_>],
    aggregates: &[Aggregate<'_>],
) -> OdooResult<Option<String>> {
    let order = match args.orderby.as_deref().filter(|o| !o.is_empty()) {
        Some(orderby) => orderby
            .split(',')
            .map(|term| {
                let term = term.trim();
                let annotated = groupings
                    .iter()
                    .rev()
                    .map(|g| (g.key.as_str(), g.spec.as_str()))
                    .chain(aggregates.iter().map(|a| (a.key.as_str(), a.spec.as_str())))
                    .find_map(|(key, spec)| {
                        let key = key.split(':').next().unwrap_or_default();
                        (term.starts_with(&format!("{key} ")) || term == key)
                            .then(|| term.replace(key, spec))
                    });
                annotated.unwrap_or_else(|| term.to_owned())
            })
            .collect::<Vec<_>>()
            .join(","),
        None => groupings
            .iter()
            .map(|g| g.spec.as_str())
            .collect::<Vec<_>>()
            .join(","),
    };
    sql_order(env, model, &order, groupings, aggregates)
}

/// `_read_group_orderby`: the SQL of an order given in `_read_group` terms (groupby specs,
/// aggregate specs, `__count`), or `None` when empty.
pub(super) fn sql_order(
    env: &Env<'_>,
    model: &Model,
    order: &str,
    groupings: &[Grouping<'_>],
    aggregates: &[Aggregate<'_>],
) -> OdooResult<Option<String>> {
    if order.trim().is_empty() {
        return Ok(None);
    }
    let mut terms = Vec::new();
    for part in order.split(',') {
        let invalid = || {
            value_error(format!(
                "Invalid order {} for _read_group()",
                str_repr(order)
            ))
        };
        let words: Vec<&str> = part.split_whitespace().collect();
        let (term, rest) = words.split_first().ok_or_else(invalid)?;
        let rest: Vec<String> = rest.iter().map(|w| w.to_ascii_lowercase()).collect();
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let edge = |n: &str| n == "first" || n == "last";
        let (descending, nulls_first) = match rest.as_slice() {
            [] | ["asc"] => (false, None),
            ["desc"] => (true, None),
            ["nulls", n] | ["asc", "nulls", n] if edge(n) => (false, Some(*n == "first")),
            ["desc", "nulls", n] if edge(n) => (true, Some(*n == "first")),
            _ => return Err(invalid()),
        };
        let well_formed = term.split(':').enumerate().all(|(i, piece)| {
            i < 2
                && piece.split('.').all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
        });
        if !well_formed {
            return Err(invalid());
        }
        let expression = match groupings.iter().find(|g| g.spec == **term) {
            Some(g) if g.field.kind == Kind::Many2one => {
                super::search::many2one_order(env, g.field, &g.sql)
            }
            Some(g) => g.sql.clone(),
            None => match aggregates.iter().find(|a| a.spec == **term) {
                Some(a) => a.sql.clone(),
                None => {
                    aggregate(model, (*term).to_owned(), (*term).to_owned())
                        .map_err(|_| {
                            value_error(format!(
                                "Order term {} is not a valid aggregate nor valid groupby",
                                str_repr(part)
                            ))
                        })?
                        .sql
                }
            },
        };
        // PostgreSQL: NULLS LAST when ascending, NULLS FIRST when descending
        let nulls_first = nulls_first.unwrap_or(descending);
        terms.push(format!(
            "({expression}) IS NULL {}, {expression} {}",
            if nulls_first { "DESC" } else { "ASC" },
            if descending { "DESC" } else { "ASC" }
        ));
    }
    Ok(Some(terms.join(", ")))
}

/// Runs `read_group`.
pub fn read_group(env: &Env<'_>, model: &Model, args: &GroupBy<'_>) -> OdooResult<Value> {
    let lazy_groupby = if args.lazy {
        &args.groupby[..args.groupby.len().min(1)]
    } else {
        &args.groupby[..]
    };
    let mut specs = Vec::with_capacity(lazy_groupby.len());
    for key in lazy_groupby {
        let (name, property, granularity) = parse_spec(key)?;
        let field = named_field(model, name)?;
        if let (Some(property), false) = (property, field.odoo_type == "properties") {
            return Err(value_error(format!(
                "Property name {} has to be used on a property field.",
                str_repr(property)
            )));
        }
        let spec = if matches!(field.kind, Kind::Date | Kind::Datetime) {
            format!("{name}:{}", granularity.unwrap_or("month"))
        } else {
            key.clone()
        };
        specs.push((key, spec));
    }
    let mut compiler = Compiler::new(env.registry, env.active_test()).version(env.version);
    let condition = compiler.search_condition(model, "t0", &args.domain)?;
    let groupings = specs
        .into_iter()
        .map(|(key, spec)| grouping(env, model, key, spec))
        .collect::<OdooResult<Vec<_>>>()?;
    let aggregates = aggregates(model, args, &groupings)?;
    let order = order_by(env, model, args, &groupings, &aggregates)?;
    let rows = select_groups(
        env,
        model,
        (&condition, &compiler.params),
        &groupings,
        &aggregates,
        order,
        (args.offset, args.limit),
    )?;
    let names = group_names(env, &groupings, &rows)?;
    let base_domain = match args.domain_value {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut record = Struct::new();
        let mut domain = base_domain.clone();
        let mut ranges = Struct::new();
        for ((g, raw), names) in groupings.iter().zip(&row).zip(&names) {
            let name = g.field.name.as_str();
            let (value, condition) = match (raw, g.period) {
                (Sql::Null, period) => {
                    if period.is_some() {
                        ranges.insert(g.key.clone(), Value::Bool(false));
                    }
                    (
                        Value::Bool(false),
                        vec![leaf(name, "=", Value::Bool(false))],
                    )
                }
                (Sql::Text(start), Some(period)) => {
                    let start = NaiveDateTime::parse_from_str(start, "%Y-%m-%d %H:%M:%S")
                        .map_err(|e| value_error(format!("corrupt date in {name}: {e}")))?;
                    let is_date = g.field.kind == Kind::Date;
                    let text = |at: NaiveDateTime| {
                        Value::String(if is_date {
                            super::dates::date_text(at.date())
                        } else {
                            super::dates::datetime_text(at)
                        })
                    };
                    let (from, to) = (text(start), text(period.end(start)));
                    ranges.insert(
                        g.key.clone(),
                        Value::Struct(Struct::from([
                            ("from".to_owned(), from.clone()),
                            ("to".to_owned(), to.clone()),
                        ])),
                    );
                    (
                        Value::String(period.label(start, is_date)?),
                        vec![
                            Value::String("&".into()),
                            leaf(name, ">=", from),
                            leaf(name, "<", to),
                        ],
                    )
                }
                (Sql::Integer(id), _) if g.field.kind == Kind::Many2one => (
                    Value::Array(vec![
                        int_value(*id),
                        Value::String(names.get(id).cloned().unwrap_or_default()),
                    ]),
                    vec![leaf(name, "=", int_value(*id))],
                ),
                (raw, _) => {
                    let value = column_value(g.field, raw.clone())?;
                    (value.clone(), vec![leaf(name, "=", value)])
                }
            };
            record.insert(g.key.clone(), value);
            domain = and_domains(&domain, &condition);
        }
        let aggregated = &row[groupings.len()..];
        for (a, raw) in aggregates.iter().zip(aggregated) {
            record.insert(a.key.clone(), aggregate_value(model, a, raw.clone())?);
        }
        record.insert("__domain".to_owned(), Value::Array(domain));
        if !ranges.is_empty() {
            record.insert("__range".to_owned(), Value::Struct(ranges));
        }
        if lazy_groupby.len() < args.groupby.len() {
            let rest = args.groupby[lazy_groupby.len()..]
                .iter()
                .map(|g| Value::String(g.clone()))
                .collect();
            record.insert(
                "__context".to_owned(),
                Value::Struct(Struct::from([("group_by".to_owned(), Value::Array(rest))])),
            );
        }
        out.push(Value::Struct(record));
    }
    Ok(Value::Array(out))
}

/// The `SELECT` of `_read_group`: one row per group, the groupings' values then the
/// aggregates', under `condition` (with its parameters), ordered and paged.
pub(super) fn select_groups(
    env: &Env<'_>,
    model: &Model,
    (condition, params): (&str, &[Sql]),
    groupings: &[Grouping<'_>],
    aggregates: &[Aggregate<'_>],
    order: Option<String>,
    (offset, limit): (i64, Option<i64>),
) -> OdooResult<Vec<Vec<Sql>>> {
    let select: Vec<&str> = groupings
        .iter()
        .map(|g| g.sql.as_str())
        .chain(aggregates.iter().map(|a| a.sql.as_str()))
        .collect();
    let mut sql = format!(
        "SELECT {} FROM {} AS t0 WHERE {condition}",
        select.join(", "),
        quote(&model.table)
    );
    if !groupings.is_empty() {
        let keys: Vec<&str> = groupings.iter().map(|g| g.sql.as_str()).collect();
        sql.push_str(&format!(" GROUP BY {}", keys.join(", ")));
    }
    if let Some(order) = order {
        sql.push_str(&format!(" ORDER BY {order}"));
    }
    let offset = offset.max(0);
    match limit {
        Some(limit) => sql.push_str(&format!(" LIMIT {} OFFSET {offset}", limit.max(0))),
        None if offset > 0 => sql.push_str(&format!(" LIMIT -1 OFFSET {offset}")),
        None => {}
    }
    let mut stmt = env.tx.prepare(&sql).map_err(sql_error)?;
    let mut query = stmt
        .query(rusqlite::params_from_iter(params.iter()))
        .map_err(sql_error)?;
    let mut rows: Vec<Vec<Sql>> = Vec::new();
    while let Some(row) = query.next().map_err(sql_error)? {
        rows.push(
            (0..select.len())
                .map(|i| row.get::<_, Sql>(i))
                .collect::<Result<_, _>>()
                .map_err(sql_error)?,
        );
    }
    drop(query);
    Ok(rows)
}

/// The display names of the many2one groups' records, per grouping (empty for others).
pub(super) fn group_names(
    env: &Env<'_>,
    groupings: &[Grouping<'_>],
    rows: &[Vec<Sql>],
) -> OdooResult<Vec<std::collections::HashMap<i64, String>>> {
    let mut names = Vec::with_capacity(groupings.len());
    for (i, g) in groupings.iter().enumerate() {
        let comodel = g
            .field
            .relation
            .as_deref()
            .and_then(|c| env.registry.model(c))
            .filter(|_| g.field.kind == Kind::Many2one);
        let ids: Vec<i64> = rows
            .iter()
            .filter_map(|row| match row[i] {
                Sql::Integer(id) => Some(id),
                _ => None,
            })
            .collect();
        names.push(match comodel {
            Some(comodel) => display_names(env, comodel, &ids)?,
            None => Default::default(),
        });
    }
    Ok(names)
}

/// An aggregate's value as `_read_group_postprocess_aggregate` leaves it: NULL is `False`
/// (0 for counts).
pub(super) fn aggregate_value(
    model: &Model,
    aggregate: &Aggregate<'_>,
    raw: Sql,
) -> OdooResult<Value> {
    let Some(field) = aggregate.field else {
        return Ok(column_int(raw));
    };
    Ok(match (aggregate.function.as_str(), raw) {
        ("count" | "count_distinct", raw) => column_int(raw),
        (_, Sql::Null) => Value::Bool(false),
        ("bool_and" | "bool_or", Sql::Integer(i)) => Value::Bool(i != 0),
        ("avg", Sql::Integer(i)) => Value::Double(i as f64),
        ("recordset", _) => {
            let comodel = field.relation.as_deref().unwrap_or(&model.name);
            return Err(OdooError::type_error(format!(
                "cannot marshal <class 'odoo.api.{comodel}'> objects"
            )));
        }
        ("array_agg", Sql::Text(json)) => {
            let items: serde_json::Value = serde_json::from_str(&json)
                .map_err(|e| value_error(format!("array_agg of {}: {e}", field.name)))?;
            json_to_value(&items)
        }
        (_, raw) => column_value(field, raw)?,
    })
}

fn column_int(raw: Sql) -> Value {
    match raw {
        Sql::Integer(n) => int_value(n),
        _ => Value::Int(0),
    }
}

pub(super) fn leaf(field: &str, operator: &str, value: Value) -> Value {
    Value::Array(vec![
        Value::String(field.to_owned()),
        Value::String(operator.to_owned()),
        value,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_as_odoo_reads_them() {
        assert_eq!(
            parse_spec("birthdate:year").unwrap(),
            ("birthdate", None, Some("year"))
        );
        assert_eq!(parse_spec("props.x").unwrap(), ("props", Some("x"), None));
        assert!(
            parse_spec("birth-date")
                .unwrap_err()
                .to_string()
                .starts_with("ValueError: Invalid aggregate/groupby specification 'birth-date'.\n")
        );
        assert_eq!(
            parse_field_spec("total:sum(amount)"),
            Some(("total", Some("sum"), Some("amount")))
        );
        assert_eq!(
            parse_field_spec("amount:sum"),
            Some(("amount", Some("sum"), None))
        );
        assert_eq!(parse_field_spec("amount:"), Some(("amount", None, None)));
        assert_eq!(parse_field_spec(":sum"), None);
    }
}
