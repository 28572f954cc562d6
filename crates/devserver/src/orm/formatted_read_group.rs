//! `formatted_read_group`, Odoo 19's replacement of the deprecated `read_group`
//! (`addons/web/models/models.py`): `_read_group` with the web client's formatting.
//!
//! * `groupby` specs are taken as given (a date needs its `:granularity`), `aggregates` are
//!   `_read_group` specs (`amount:sum`, `__count`; `:recordset` reads as `:array_agg`), and
//!   `order` is in those terms, by the groupby specs when not given;
//! * each group has its groupby values under their specs (a many2one as `[id,
//!   display_name]`, a date period as `[start, label]`, others as stored, `False` when
//!   empty), its aggregates under theirs, and `__extra_domain`, the conjunction of its groups'
//!   conditions (`[[1, "=", 1]]` for none), flattened as Odoo 19's `Domain.AND` writes it.
//!
//! Not reproduced: `having` (refused), `group_expand`, `fill_temporal`, and the number
//! granularities (`year_number`, ...).

use super::Env;
use super::domain::{Compiler, Domain};
use super::read::{column_value, int_value};
use super::read_group::{
    aggregate, aggregate_value, group_names, grouping, leaf, select_groups, sql_order,
};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Kind, Model};
use crate::values::is_falsy;
use chrono::NaiveDateTime;
use openspp_xmlrpc::{Struct, Value};
use rusqlite::types::Value as Sql;

/// The arguments of `formatted_read_group`, once bound.
#[derive(Debug)]
pub struct FormattedGroupBy<'v> {
    /// The parsed domain.
    pub domain: Domain,
    /// Groupby specs (`country_id`, `birthdate:year`).
    pub groupby: Vec<String>,
    /// Aggregate specs (`amount:sum`, `__count`).
    pub aggregates: Vec<String>,
    /// `having`: a domain on the aggregates.
    pub having: Option<&'v Value>,
    /// Groups to skip.
    pub offset: i64,
    /// At most this many groups.
    pub limit: Option<i64>,
    /// `order`, in `_read_group` terms.
    pub order: Option<String>,
}

/// Runs `formatted_read_group`.
pub fn formatted_read_group(
    env: &Env<'_>,
    model: &Model,
    args: &FormattedGroupBy<'_>,
) -> OdooResult<Value> {
    if args.having.is_some_and(|having| !is_falsy(having)) {
        return Err(OdooError::python(
            "NotImplementedError",
            "the dev server does not filter groups by `having`",
        ));
    }
    // _normalize_groupby_specs
    let groupby: Vec<String> = args
        .groupby
        .iter()
        .map(|spec| spec.trim().to_owned())
        .filter(|spec| !spec.is_empty())
        .collect();
    let aggregate_specs: Vec<String> = args
        .aggregates
        .iter()
        .map(|spec| spec.replace(":recordset", ":array_agg"))
        .collect();
    let order = match args.order.as_deref().filter(|o| !o.is_empty()) {
        Some(order) => order.to_owned(),
        None => groupby.join(", "),
    };
    let mut compiler = Compiler::new(env.registry, env.active_test()).version(env.version);
    let condition = compiler.search_condition(model, "t0", &args.domain)?;
    let groupings = groupby
        .iter()
        .map(|spec| grouping(env, model, spec, spec.clone()))
        .collect::<OdooResult<Vec<_>>>()?;
    let aggregates = aggregate_specs
        .iter()
        .map(|spec| aggregate(model, spec.clone(), spec.clone()))
        .collect::<OdooResult<Vec<_>>>()?;
    let order = sql_order(env, model, &order, &groupings, &aggregates)?;
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

    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut record = Struct::new();
        let mut leaves = Vec::new();
        for ((g, raw), names) in groupings.iter().zip(&row).zip(&names) {
            let name = g.field.name.as_str();
            let value = match (raw, g.period) {
                (Sql::Null, _) => {
                    leaves.push(leaf(name, "=", Value::Bool(false)));
                    Value::Bool(false)
                }
                (Sql::Text(start), Some(period)) => {
                    let start = NaiveDateTime::parse_from_str(start, "%Y-%m-%d %H:%M:%S")
                        .map_err(|e| OdooError::value(format!("corrupt date in {name}: {e}")))?;
                    let is_date = g.field.kind == Kind::Date;
                    let text = |at: NaiveDateTime| {
                        Value::String(if is_date {
                            super::dates::date_text(at.date())
                        } else {
                            super::dates::datetime_text(at)
                        })
                    };
                    let from = text(start);
                    leaves.push(leaf(name, ">=", from.clone()));
                    leaves.push(leaf(name, "<", text(period.end(start))));
                    Value::Array(vec![from, Value::String(period.label(start, is_date)?)])
                }
                (Sql::Integer(id), _) if g.field.kind == Kind::Many2one => {
                    leaves.push(leaf(name, "=", int_value(*id)));
                    Value::Array(vec![
                        int_value(*id),
                        Value::String(names.get(id).cloned().unwrap_or_default()),
                    ])
                }
                (raw, _) => {
                    let value = column_value(g.field, raw.clone())?;
                    leaves.push(leaf(name, "=", value.clone()));
                    value
                }
            };
            record.insert(g.key.clone(), value);
        }
        record.insert(
            "__extra_domain".to_owned(),
            Value::Array(conjunction(leaves)),
        );
        for (a, raw) in aggregates.iter().zip(&row[groupings.len()..]) {
            record.insert(a.key.clone(), aggregate_value(model, a, raw.clone())?);
        }
        out.push(Value::Struct(record));
    }
    Ok(Value::Array(out))
}

/// `Domain.AND` of leaves, as a list: every `&` first (`n - 1` of them), then the leaves;
/// the true leaf `(1, '=', 1)` when there are none.
fn conjunction(leaves: Vec<Value>) -> Vec<Value> {
    if leaves.is_empty() {
        return vec![Value::Array(vec![
            Value::Int(1),
            Value::String("=".into()),
            Value::Int(1),
        ])];
    }
    let mut out = vec![Value::String("&".into()); leaves.len() - 1];
    out.extend(leaves);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_domains_flatten_as_odoo_19_writes_them() {
        let a = leaf("a", "=", Value::Int(1));
        let b = leaf("b", "=", Value::Bool(false));
        assert_eq!(conjunction(vec![]).len(), 1);
        assert_eq!(conjunction(vec![a.clone()]), vec![a.clone()]);
        assert_eq!(
            conjunction(vec![a.clone(), b.clone(), a.clone()]),
            vec![
                Value::String("&".into()),
                Value::String("&".into()),
                a.clone(),
                b,
                a
            ]
        );
    }
}
