//! `search` and `search_count`: a domain, an order, a window.

use super::Env;
use super::domain::{Compiler, Domain};
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, quote};
use crate::store::sql_error;
use crate::values::str_repr;
use crate::version::OdooVersion;

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

/// One term of an `order` text: a field, its direction and where NULLs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTerm {
    /// The field name as written (a quoted name keeps its quotes, as Odoo 17 does).
    pub field: String,
    /// `.property` after the name.
    pub property: Option<String>,
    /// `desc`.
    pub desc: bool,
    /// Where NULLs sort: first when `desc` and nothing else is said, as PostgreSQL does.
    pub nulls_first: bool,
}

/// Parses an `order` text as Odoo's `regex_order` (`odoo/models.py`) accepts it: terms
/// `field[.property][:func] [asc|desc] [nulls first|nulls last]` separated by commas, case
/// insensitive, no empty term and no trailing comma; Odoo 17 also accepts a field name in
/// double quotes. Anything else is `_check_qorder`'s `UserError`.
pub fn parse_order(order: &str, version: OdooVersion) -> OdooResult<Vec<OrderTerm>> {
    let refused = || {
        OdooError::User(format!(
            "Invalid \"order\" specified ({order}). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)"
        ))
    };
    order
        .split(',')
        .map(|part| parse_order_term(part, version).ok_or_else(refused))
        .collect()
}

fn parse_order_term(part: &str, version: OdooVersion) -> Option<OrderTerm> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let text = part.trim_matches(char::is_whitespace);
    // the term: a name (quoted on 17), then `.property` and `:func`
    let (field, mut rest) = match text.strip_prefix('"') {
        Some(quoted) if version < OdooVersion::V19 => {
            let end = quoted.find('"')?;
            let name = &quoted[..end];
            if name.is_empty() || !name.chars().all(word) {
                return None;
            }
            (format!("\"{name}\""), &quoted[end + 1..])
        }
        _ => {
            let end = text.find(|c: char| !word(c)).unwrap_or(text.len());
            if end == 0 {
                return None;
            }
            (text[..end].to_owned(), &text[end..])
        }
    };
    let mut property = None;
    if let Some(after) = rest.strip_prefix('.') {
        let end = after.find(|c: char| !word(c)).unwrap_or(after.len());
        if end == 0 {
            return None;
        }
        property = Some(after[..end].to_owned());
        rest = &after[end..];
    }
    if let Some(after) = rest.strip_prefix(':') {
        let end = after
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '_'))
            .unwrap_or(after.len());
        if end == 0 {
            return None;
        }
        rest = &after[end..];
    }
    // then whitespace-separated `asc`/`desc` and `nulls first`/`nulls last` (one space)
    let mut desc = None;
    let mut nulls = None;
    while !rest.is_empty() {
        let trimmed = rest.trim_start_matches(char::is_whitespace);
        if trimmed.len() == rest.len() {
            return None;
        }
        let lower = trimmed.to_ascii_lowercase();
        let token_end = |n: usize| trimmed[n..].chars().next().is_none_or(char::is_whitespace);
        if desc.is_none() && nulls.is_none() && lower.starts_with("desc") && token_end(4) {
            desc = Some(true);
            rest = &trimmed[4..];
        } else if desc.is_none() && nulls.is_none() && lower.starts_with("asc") && token_end(3) {
            desc = Some(false);
            rest = &trimmed[3..];
        } else if nulls.is_none() && lower.starts_with("nulls first") && token_end(11) {
            nulls = Some(true);
            rest = &trimmed[11..];
        } else if nulls.is_none() && lower.starts_with("nulls last") && token_end(10) {
            nulls = Some(false);
            rest = &trimmed[10..];
        } else {
            return None;
        }
    }
    let desc = desc.unwrap_or(false);
    Some(OrderTerm {
        field,
        property,
        desc,
        nulls_first: nulls.unwrap_or(desc),
    })
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
    // `order or self._order`: an empty text is the default
    let order = order.filter(|o| !o.is_empty()).unwrap_or("id");
    // Odoo 17's `_flush_search` reads each part's first word before anything checks the
    // order (Odoo 19 leaves it to `_check_qorder`)
    if env.version < OdooVersion::V19 && order.split(',').any(|part| part.trim().is_empty()) {
        return Err(OdooError::python("IndexError", "list index out of range"));
    }
    for term in parse_order(order, env.version)? {
        let name = term.field.as_str();
        let field = model.field(name).ok_or_else(|| {
            OdooError::value(format!(
                "Invalid field {} on model {}",
                str_repr(name),
                str_repr(&model.name)
            ))
        })?;
        if let Some(property) = &term.property {
            if field.odoo_type != "properties" {
                return Err(OdooError::value(format!(
                    "Order a property ({}) on a non-properties field ({})",
                    str_repr(property),
                    str_repr(name)
                )));
            }
            tracing::warn!(model = %model.name, field = %field.name, %property, "order on a property: the dev server keeps properties as JSON and sorts by id");
            continue;
        }
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
        let direction = if term.desc { "DESC" } else { "ASC" };
        let nulls = if term.nulls_first { "DESC" } else { "ASC" };
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
