//! `read_group`: counts and aggregates per value of a field.

use super::Env;
use super::domain::{Compiler, Domain};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Kind, Model, quote};
use crate::store::sql_error;
use odoo_xmlrpc::{Struct, Value};
use rusqlite::types::Value as Sql;

/// The arguments of `read_group`, once bound.
#[derive(Debug)]
pub struct GroupBy<'v> {
    /// The raw domain (echoed in each group's `__domain`).
    pub domain_value: &'v Value,
    /// The parsed domain.
    pub domain: Domain,
    /// Field specs (`amount`, `amount:sum`).
    pub fields: Vec<String>,
    /// Grouping fields; only the first is used when `lazy`.
    pub groupby: Vec<String>,
    /// Groups to skip.
    pub offset: i64,
    /// At most this many groups.
    pub limit: Option<i64>,
    /// `orderby`: `desc` reverses the groups.
    pub descending: bool,
    /// Lazy grouping (`<field>_count`).
    pub lazy: bool,
}

/// Runs `read_group`.
pub fn read_group(env: &Env<'_>, model: &Model, args: &GroupBy<'_>) -> OdooResult<Value> {
    let Some(group) = args.groupby.first() else {
        return Err(OdooError::value(
            "read_group needs at least one groupby field",
        ));
    };
    if !args.lazy && args.groupby.len() > 1 {
        return Err(OdooError::value(
            "the dev server groups by one field at a time (lazy=True)",
        ));
    }
    let field = model
        .field(group)
        .filter(|f| f.has_column())
        .ok_or_else(|| {
            OdooError::value(format!("Invalid field '{group}' on model '{}'", model.name))
        })?;
    let mut aggregates = Vec::new();
    for spec in &args.fields {
        let (name, func) = match spec.split_once(':') {
            Some((name, func)) => (name, Some(func)),
            None => (spec.as_str(), None),
        };
        if name == group.as_str() {
            continue;
        }
        let f = model.field(name).ok_or_else(|| {
            OdooError::value(format!("Invalid field '{name}' on model '{}'", model.name))
        })?;
        if !(f.has_column() && matches!(f.kind, Kind::Integer | Kind::Float)) {
            continue;
        }
        let func = func
            .map(str::to_owned)
            .or_else(|| {
                model
                    .schema
                    .fields
                    .get(name)
                    .and_then(|s| s.attribute("group_operator"))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "sum".to_owned());
        let sql = match func.as_str() {
            "sum" => "SUM",
            "avg" => "AVG",
            "min" => "MIN",
            "max" => "MAX",
            "count" => "COUNT",
            other => {
                return Err(OdooError::value(format!(
                    "Invalid aggregation function {other:?}."
                )));
            }
        };
        aggregates.push((f, sql));
    }
    let mut compiler = Compiler::new(env.registry, env.active_test());
    let cond = compiler.search_condition(model, "t0", &args.domain)?;
    let col = format!("t0.{}", quote(&field.name));
    let mut select = format!("SELECT {col}, COUNT(*)");
    for (f, func) in &aggregates {
        select.push_str(&format!(", {func}(t0.{})", quote(&f.name)));
    }
    let sql = format!(
        "{select} FROM {} AS t0 WHERE {cond} GROUP BY {col}",
        quote(&model.table)
    );
    let mut stmt = env.tx.prepare(&sql).map_err(sql_error)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(compiler.params.iter()))
        .map_err(sql_error)?;
    let mut groups: Vec<(Sql, i64, Vec<Sql>)> = Vec::new();
    while let Some(row) = rows.next().map_err(sql_error)? {
        let key: Sql = row.get(0).map_err(sql_error)?;
        let count: i64 = row.get(1).map_err(sql_error)?;
        let values = (0..aggregates.len())
            .map(|i| row.get::<_, Sql>(i + 2))
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql_error)?;
        groups.push((key, count, values));
    }
    let names = match (
        field.kind,
        field
            .relation
            .as_deref()
            .and_then(|c| env.registry.model(c)),
    ) {
        (Kind::Many2one, Some(comodel)) => {
            let ids: Vec<i64> = groups
                .iter()
                .filter_map(|(k, _, _)| {
                    if let Sql::Integer(i) = k {
                        Some(*i)
                    } else {
                        None
                    }
                })
                .collect();
            super::read::display_names(env, comodel, &ids)?
        }
        _ => Default::default(),
    };
    let sort_key = |key: &Sql| -> (bool, String, f64) {
        match key {
            Sql::Null => (true, String::new(), 0.0),
            Sql::Integer(i) if field.kind == Kind::Many2one => {
                (false, names.get(i).cloned().unwrap_or_default(), *i as f64)
            }
            Sql::Integer(i) => (false, String::new(), *i as f64),
            Sql::Real(f) => (false, String::new(), *f),
            Sql::Text(t) => (false, t.clone(), 0.0),
            Sql::Blob(_) => (false, String::new(), 0.0),
        }
    };
    groups.sort_by(|a, b| {
        let (ka, kb) = (sort_key(&a.0), sort_key(&b.0));
        ka.0.cmp(&kb.0)
            .then(ka.1.cmp(&kb.1))
            .then(ka.2.total_cmp(&kb.2))
    });
    if args.descending {
        groups.reverse();
    }
    let count_key = if args.lazy {
        format!("{group}_count")
    } else {
        "__count".to_owned()
    };
    let base_domain = match args.domain_value {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    let skip = usize::try_from(args.offset.max(0)).unwrap_or(0);
    let take = args
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l.max(0)).unwrap_or(0));
    let mut out = Vec::new();
    for (key, count, values) in groups.into_iter().skip(skip).take(take) {
        let mut record = Struct::new();
        let (value, raw) = match (&key, field.kind) {
            (Sql::Integer(id), Kind::Many2one) => (
                Value::Array(vec![
                    super::read::int_value(*id),
                    Value::String(names.get(id).cloned().unwrap_or_default()),
                ]),
                super::read::int_value(*id),
            ),
            _ => {
                let v = super::read::column_value(field, key.clone())?;
                (v.clone(), v)
            }
        };
        record.insert(group.clone(), value);
        record.insert(count_key.clone(), super::read::int_value(count));
        for ((f, _), v) in aggregates.iter().zip(values) {
            record.insert(f.name.clone(), super::read::column_value(f, v)?);
        }
        let mut domain = base_domain.clone();
        domain.push(Value::Array(vec![
            Value::String(group.clone()),
            Value::String("=".into()),
            raw,
        ]));
        record.insert("__domain".to_owned(), Value::Array(domain));
        if args.lazy && args.groupby.len() > 1 {
            let rest = args.groupby[1..]
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
