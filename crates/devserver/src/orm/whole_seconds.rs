//! Odoo 19's datetime conditions (`_optimize_type_datetime` in `odoo/orm/domains.py`): the
//! value is cut to the whole second (a date is its first second), and every comparison is of
//! whole seconds, although PostgreSQL stores microseconds:
//!
//! | condition | compares |
//! |---|---|
//! | `> X` | `>= X + 1 s` (`+ 1 day` for a date) |
//! | `>= X` | `>= X` |
//! | `< X` | `< X` |
//! | `<= X` | `< X + 1 s` (`+ 1 day` for a date) |
//! | `= X`, `in [X, …]` | `>= X and < X + 1 s`, for each value |
//! | `!= X`, `not in [X, …]` | the negation, or no value |
//!
//! So `write_date = '10:00:00'` finds every record written in that second and `> '10:00:00'`
//! none of them, where Odoo 17 compares the text with the stored microseconds. Odoo 19 reads
//! a date in the user's time zone; the dev server's users have none (UTC).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use openspp_xmlrpc::Value;
use rusqlite::types::Value as Sql;

use super::domain::Op;

/// A condition's SQL (`?` for each parameter) and its parameters, in order.
#[derive(Debug, PartialEq)]
pub struct Condition {
    /// The SQL.
    pub sql: String,
    /// The parameters of its `?`s.
    pub params: Vec<Sql>,
}

/// `column op value` as Odoo 19 compares a datetime field, or `None` when Odoo 19 leaves the
/// condition to the general rules (another operator, or a value that is no ISO date or
/// datetime text). `column` is the column's SQL.
pub fn condition(column: &str, op: Op, value: &Value) -> Option<Condition> {
    let mut params = Vec::new();
    let mut bound = |at: NaiveDateTime| {
        params.push(Sql::Text(at.format("%Y-%m-%d %H:%M:%S").to_string()));
        "?"
    };
    let sql = match op {
        Op::Gt | Op::Ge | Op::Lt | Op::Le => {
            let Value::String(text) = value else {
                return None;
            };
            let (at, is_date) = instant(text)?;
            let step = if is_date {
                TimeDelta::days(1)
            } else {
                TimeDelta::seconds(1)
            };
            match op {
                Op::Gt => format!("{column} >= {}", bound(at.checked_add_signed(step)?)),
                Op::Ge => format!("{column} >= {}", bound(at)),
                Op::Lt => format!("{column} < {}", bound(at)),
                _ => format!("{column} < {}", bound(at.checked_add_signed(step)?)),
            }
        }
        Op::Eq | Op::Ne | Op::In | Op::NotIn => {
            let items: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            let mut nulls = false;
            let mut seconds = Vec::new();
            for item in items {
                match item {
                    Value::Bool(false) | Value::Nil => nulls = true,
                    Value::String(text) => seconds.push(instant(text)?.0),
                    _ => return None,
                }
            }
            if seconds.is_empty() {
                return None;
            }
            let mut alternatives: Vec<String> = seconds
                .into_iter()
                .map(|at| {
                    let next = at + TimeDelta::seconds(1);
                    format!("({column} >= {} AND {column} < {})", bound(at), bound(next))
                })
                .collect();
            if nulls {
                alternatives.push(format!("{column} IS NULL"));
            }
            let any = format!("({})", alternatives.join(" OR "));
            if matches!(op, Op::Eq | Op::In) {
                any
            } else if nulls {
                format!("(NOT {any} AND {column} IS NOT NULL)")
            } else {
                format!("(NOT {any} OR {column} IS NULL)")
            }
        }
        _ => return None,
    };
    Some(Condition { sql, params })
}

/// The instant of an ISO date or datetime text cut to the second, and whether it was a date
/// (Python's `date.fromisoformat` / `datetime.fromisoformat` forms Odoo reads).
fn instant(text: &str) -> Option<(NaiveDateTime, bool)> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((day.and_hms_opt(0, 0, 0)?, true));
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .and_then(|at| at.with_nanosecond(0))
    .map(|at| (at, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(c: &Condition) -> Vec<String> {
        c.params
            .iter()
            .map(|p| match p {
                Sql::Text(t) => t.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn inequalities_compare_whole_seconds() {
        let x = Value::String("2026-12-06 18:03:10.5".into());
        let cases = [
            (Op::Gt, "c >= ?", "2026-12-06 18:03:11"),
            (Op::Ge, "c >= ?", "2026-12-06 18:03:10"),
            (Op::Lt, "c < ?", "2026-12-06 18:03:10"),
            (Op::Le, "c < ?", "2026-12-06 18:03:11"),
        ];
        for (op, sql, bound) in cases {
            let c = condition("c", op, &x).unwrap();
            assert_eq!(
                (c.sql.as_str(), texts(&c)),
                (sql, vec![bound.to_owned()]),
                "{op:?}"
            );
        }
        let day = Value::String("2026-12-06".into());
        let c = condition("c", Op::Gt, &day).unwrap();
        assert_eq!(texts(&c), ["2026-12-07 00:00:00"]);
    }

    #[test]
    fn equality_is_the_whole_second_and_its_negation_keeps_nulls() {
        let x = Value::String("2026-12-06 18:03:10".into());
        let eq = condition("c", Op::Eq, &x).unwrap();
        assert_eq!(eq.sql, "((c >= ? AND c < ?))");
        assert_eq!(texts(&eq), ["2026-12-06 18:03:10", "2026-12-06 18:03:11"]);
        let ne = condition("c", Op::Ne, &x).unwrap();
        assert_eq!(ne.sql, "(NOT ((c >= ? AND c < ?)) OR c IS NULL)");
        let not_in = condition("c", Op::NotIn, &Value::Array(vec![x, Value::Bool(false)]));
        assert_eq!(
            not_in.unwrap().sql,
            "(NOT ((c >= ? AND c < ?) OR c IS NULL) AND c IS NOT NULL)"
        );
    }

    #[test]
    fn other_values_are_left_to_the_general_rules() {
        for value in [Value::Int(3), Value::String("1/2/2026".into())] {
            assert_eq!(condition("c", Op::Ge, &value), None);
        }
        assert_eq!(
            condition("c", Op::Like, &Value::String("2026".into())),
            None
        );
    }
}
