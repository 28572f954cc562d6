//! `search` and `search_count`: a domain, an order, a window.

use super::Env;
use super::domain::{Compiler, Domain};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;

/// The window of a search.
#[derive(Debug, Default, Clone)]
pub struct Window {
    /// Records to skip.
    pub offset: i64,
    /// At most this many (none: all).
    pub limit: Option<i64>,
    /// Odoo `order` text (`name desc, id`); none: by id.
    pub order: Option<String>,
}

/// Ids of the records of `model` matching `domain`, ordered and windowed.
pub fn search(
    env: &Env<'_>,
    model: &Model,
    domain: &Domain,
    window: &Window,
) -> OdooResult<Vec<i64>> {
    let mut compiler = Compiler::new(env.registry, env.active_test()).version(env.version);
    let alias = "t0";
    let cond = compiler.search_condition(model, alias, domain)?;
    let order = order_by(env, model, alias, window.order.as_deref())?;
    let mut sql = format!(
        "SELECT {alias}.id FROM {} AS {alias} WHERE {cond} ORDER BY {order}",
        quote(&model.table)
    );
    match (window.limit, window.offset) {
        (Some(limit), offset) => {
            sql.push_str(&format!(" LIMIT {} OFFSET {}", limit.max(0), offset.max(0)))
        }
        (None, offset) if offset > 0 => sql.push_str(&format!(" LIMIT -1 OFFSET {offset}")),
        _ => {}
    }
    let mut stmt = env.tx.prepare(&sql).map_err(sql_error)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(compiler.params.iter()), |row| {
            row.get(0)
        })
        .map_err(sql_error)?
        .collect::<Result<Vec<i64>, _>>()
        .map_err(sql_error)?;
    Ok(ids)
}

/// How many records match, up to `limit` when given.
pub fn count(env: &Env<'_>, model: &Model, domain: &Domain, limit: Option<i64>) -> OdooResult<i64> {
    let mut compiler = Compiler::new(env.registry, env.active_test()).version(env.version);
    let cond = compiler.search_condition(model, "t0", domain)?;
    let mut sql = format!("SELECT id FROM {} AS t0 WHERE {cond}", quote(&model.table));
    if let Some(limit) = limit {
        sql.push_str(&format!(" LIMIT {}", limit.max(0)));
    }
    env.tx
        .query_row(
            &format!("SELECT COUNT(*) FROM ({sql})"),
            rusqlite::params_from_iter(compiler.params.iter()),
            |row| row.get(0),
        )
        .map_err(sql_error)
}

/// The SQL `ORDER BY` for an Odoo order spec. NULLs sort as PostgreSQL sorts them (last when
/// ascending), many2one fields sort by the related record's name, and `id` breaks ties.
pub fn order_by(
    env: &Env<'_>,
    model: &Model,
    alias: &str,
    order: Option<&str>,
) -> OdooResult<String> {
    let mut terms = Vec::new();
    let mut has_id = false;
    for part in order
        .unwrap_or("id")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let invalid = || OdooError::value(format!("Invalid \"order\" specified ({part})."));
        let words: Vec<&str> = part.split_whitespace().collect();
        let (name, rest) = words.split_first().ok_or_else(invalid)?;
        let (desc, nulls_first) = match rest
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] | ["asc"] => (false, false),
            ["desc"] => (true, true),
            ["asc", "nulls", "first"] | ["nulls", "first"] => (false, true),
            ["asc", "nulls", "last"] | ["nulls", "last"] => (false, false),
            ["desc", "nulls", "first"] => (true, true),
            ["desc", "nulls", "last"] => (true, false),
            _ => return Err(invalid()),
        };
        let field = model.field(name).ok_or_else(|| {
            OdooError::value(format!("Invalid field {name:?} on model {:?}", model.name))
        })?;
        let expr = match field.kind {
            _ if field.name == "id" => {
                has_id = true;
                format!("{alias}.id")
            }
            _ if !field.stored || field.kind.is_x2many() => {
                // Odoo ignores (with a warning) orders on fields it cannot sort by
                tracing::warn!(model = %model.name, field = %field.name, "order on a field that cannot be sorted: ignored, as Odoo does");
                continue;
            }
            Kind::Many2one => {
                many2one_order(env, field, &format!("{alias}.{}", quote(&field.name)))
            }
            _ => format!("{alias}.{}", quote(&field.name)),
        };
        let direction = if desc { "DESC" } else { "ASC" };
        let nulls = if nulls_first { "DESC" } else { "ASC" };
        terms.push(format!("({expr}) IS NULL {nulls}, {expr} {direction}"));
    }
    if !has_id {
        terms.push(format!("{alias}.id ASC"));
    }
    Ok(terms.join(", "))
}

/// What a many2one column sorts by: the target's record name (Odoo sorts by the comodel's
/// `_order`, which the schemas do not record; the name is what most models use), or the id.
pub fn many2one_order(env: &Env<'_>, field: &Field, column: &str) -> String {
    match field
        .relation
        .as_deref()
        .and_then(|c| env.registry.model(c))
        .and_then(|c| Some((c, c.rec_name.as_ref()?)))
    {
        Some((comodel, rec_name))
            if comodel
                .field(rec_name)
                .is_some_and(|f| f.kind != Kind::Many2one) =>
        {
            format!(
                "(SELECT o.{} FROM {} AS o WHERE o.id = {column})",
                quote(rec_name),
                quote(&comodel.table)
            )
        }
        _ => column.to_owned(),
    }
}
