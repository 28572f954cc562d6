//! Typed aggregates: records counted and aggregated per group, the same call on every
//! release.
//!
//! Odoo answers grouped counts and sums with `read_group` up to 18, and deprecates it in 19
//! for `formatted_read_group`, whose arguments and answer differ: keys `__count` against
//! `<field>_count`, `amount:sum` against an alias, a date group as `[start, label]` against a
//! label with its bounds in `__range`. [`Repository::aggregate`] sends whichever the server
//! has (JSON-2 means 19 or later; over XML-RPC the session asks `common.version()` once) and
//! reads either answer into the same [`Group`] rows:
//!
//! - keys ([`GroupKeys`]) are stored fields: many2one (`Option<Many2one<R>>`), selection (the
//!   generated enum), boolean, char, and dates or datetimes by a [`Granularity`]
//!   (`Option<Period<NaiveDate>>`, the bounds Odoo sends);
//! - values ([`Measures`]) are aggregates of stored fields, each allowed only where it
//!   means something (`sum`/`avg` of numbers, `min`/`max` of ordered types, `count`,
//!   `count_distinct`, `array_agg` of any, `bool_and`/`bool_or` of booleans): the sum of a
//!   char field does not compile;
//! - every group carries its record count.
//!
//! ```no_run
//! # use openspp_client::{Field, Many2one, Model, Session};
//! # #[derive(Debug, Clone, Copy)] pub struct Cycle;
//! # impl Model for Cycle {
//! #     const NAME: &'static str = "g2p.cycle";
//! #     const FIELDS: &'static [&'static str] = &["name"];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # #[derive(Debug, Clone, Copy)] pub struct Entitlement;
//! # impl Model for Entitlement {
//! #     const NAME: &'static str = "g2p.entitlement";
//! #     const FIELDS: &'static [&'static str] = &["cycle_id", "initial_amount", "valid_from"];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # const CYCLE_ID: Field<Entitlement, Many2one<Cycle>> = Field::new("cycle_id");
//! # const VALID_FROM: Field<Entitlement, chrono::NaiveDate> = Field::new("valid_from");
//! # const INITIAL_AMOUNT: Field<Entitlement, f64> = Field::new("initial_amount");
//! # async fn demo(odoo: Session) -> Result<(), openspp_client::Error> {
//! use openspp_client::{Domain, Granularity};
//! let per_cycle_and_month = odoo
//!     .repo::<Entitlement>()
//!     .aggregate(Domain::all())
//!     .group_by((CYCLE_ID, VALID_FROM.by(Granularity::Month)))
//!     .measures((INITIAL_AMOUNT.sum(), INITIAL_AMOUNT.max()))
//!     .order(INITIAL_AMOUNT.sum().desc())
//!     .await?;
//! for group in per_cycle_and_month {
//!     let (cycle, month) = group.key;                // Option<Many2one<Cycle>>, Option<Period<NaiveDate>>
//!     let (total, largest) = group.values;           // Option<f64>, Option<f64>
//!     println!("{cycle:?} {month:?}: {} entitlements, {total:?} in all, {largest:?} at most", group.count);
//! }
//! # Ok(()) }
//! ```

mod keys;
mod measures;
mod record;

pub use keys::{ByPeriod, Dated, Granularity, GroupKeys, Groupable, KeySpec, Period};
pub use measures::{Extremum, Measure, Measures, Scalar, Summable};
pub use record::{AggregateRecords, GroupRecord};

use std::fmt;
use std::future::IntoFuture;

use futures_util::future::BoxFuture;
use openspp_xmlrpc::{Struct, Value};

use crate::error::Idempotency;
use crate::error::{Error, ProtocolError};
use crate::repository::Repository;
use crate::session::Session;
use crate::typed::args::Args;
use crate::typed::domain::{Domain, Order};
use crate::typed::model::Model;
use crate::typed::types::{DATE_FORMAT, DATETIME_FORMAT};
use crate::wire::protocol::Protocol;

/// One group of an [`Aggregate`]: its key, how many records it holds, and its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<K, V> {
    /// The group's key, typed like the [`GroupKeys`] (`()` when not grouped).
    pub key: K,
    /// How many records the group holds (`__count`).
    pub count: u64,
    /// The group's measures, typed like the [`Measures`].
    pub values: V,
}

impl<M: Model> Repository<M> {
    /// Groups the records matching `domain` and aggregates each group: `read_group` on Odoo
    /// 17 and 18, `formatted_read_group` on 19 and later (see [`crate::repository::aggregate`]). Without
    /// `.group_by(...)` the whole match is one group.
    pub fn aggregate(&self, domain: Domain<M>) -> Aggregate<M, (), ()> {
        Aggregate {
            repo: self.clone(),
            domain,
            keys: (),
            measures: (),
            order: None,
            offset: None,
            limit: None,
        }
    }
}

impl<M> Order<M> {
    /// Groups by ascending record count (`__count asc`), for [`Aggregate::order`].
    pub fn count_asc() -> Self {
        Order::new("__count", false)
    }
    /// Groups by descending record count (`__count desc`).
    pub fn count_desc() -> Self {
        Order::new("__count", true)
    }
}

impl<M, T> ByPeriod<M, T> {
    /// Groups in ascending order of this period.
    pub fn asc(&self) -> Order<M> {
        Order::new(&self.spec(), false)
    }
    /// Groups in descending order of this period.
    pub fn desc(&self) -> Order<M> {
        Order::new(&self.spec(), true)
    }
}

impl<M, V> Measure<M, V> {
    /// Groups in ascending order of this measure.
    pub fn asc(&self) -> Order<M> {
        Order::new(&self.spec(), false)
    }
    /// Groups in descending order of this measure.
    pub fn desc(&self) -> Order<M> {
        Order::new(&self.spec(), true)
    }
}

/// A grouped aggregate being built; `.await` it for `Vec<Group<K::Key, A::Values>>`.
#[must_use = "an aggregate does nothing until awaited"]
pub struct Aggregate<M, K, A> {
    repo: Repository<M>,
    domain: Domain<M>,
    keys: K,
    measures: A,
    order: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
}

impl<M: Model, K, A> fmt::Debug for Aggregate<M, K, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aggregate({}, {})", M::NAME, self.domain)
    }
}

impl<M: Model, K: GroupKeys<M>, A: Measures<M>> Aggregate<M, K, A> {
    /// Groups by these keys: stored many2one, selection, boolean or char fields, or
    /// `DATE.by(Granularity::Month)`; a tuple for several.
    pub fn group_by<K2: GroupKeys<M>>(self, keys: K2) -> Aggregate<M, K2, A> {
        Aggregate {
            repo: self.repo,
            domain: self.domain,
            keys,
            measures: self.measures,
            order: self.order,
            offset: self.offset,
            limit: self.limit,
        }
    }
    /// Computes these measures per group (`AMOUNT.sum()`; a tuple for several).
    pub fn measures<A2: Measures<M>>(self, measures: A2) -> Aggregate<M, K, A2> {
        Aggregate {
            repo: self.repo,
            domain: self.domain,
            keys: self.keys,
            measures,
            order: self.order,
            offset: self.offset,
            limit: self.limit,
        }
    }
    /// Orders the groups: by a key (`FIELD.asc()`, `DATE.by(..).desc()`), a measure
    /// (`AMOUNT.sum().desc()`) or the count ([`Order::count_desc`]); `.then(...)` adds
    /// tie-breakers. By the keys otherwise. The server refuses an order on anything else.
    pub fn order(mut self, order: Order<M>) -> Self {
        self.order = Some(order.as_str().to_owned());
        self
    }
    /// Skip the first `offset` groups.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }
    /// At most `limit` groups. `limit(0)` means none: an empty list without asking the
    /// server, which would take `limit=0` as no limit on some releases.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Groups and reads them with this set's keys and measures.
    async fn run(self) -> Result<Vec<Group<K::Key, A::Values>>, Error> {
        let mut keys = Vec::new();
        self.keys.push_specs(&mut keys);
        let mut measures = Vec::new();
        self.measures.push_parts(&mut measures);
        self.fetch(&keys, &measures, |count, key, values| {
            Ok(Group {
                key: self.keys.take(&mut key.into_iter())?,
                count,
                values: self.measures.take(&mut values.into_iter())?,
            })
        })
        .await
    }

    /// Sends the call the server's release answers for these keys and measures, and reads
    /// each group with `decode` (its count, its keys' and its measures' values in order).
    async fn fetch<T>(
        &self,
        keys: &[KeySpec],
        measures: &[(&'static str, &'static str)],
        decode: impl Fn(u64, Vec<(String, Value)>, Vec<(String, Value)>) -> Result<T, (String, String)>,
    ) -> Result<Vec<T>, Error> {
        if self.limit == Some(0) {
            return Ok(Vec::new());
        }
        let session = self.repo.session();
        let formatted = formatted_read_group(session).await?;
        let groupby: Vec<&str> = keys.iter().map(|k| k.spec.as_str()).collect();
        let method = if formatted {
            "formatted_read_group"
        } else {
            "read_group"
        };
        // The answer's key of each measure: its spec from 19 on; an alias before, so that
        // two measures of one field do not share the field's name.
        let answer_keys: Vec<String> = measures
            .iter()
            .enumerate()
            .map(|(i, (field, function))| {
                if formatted {
                    format!("{field}:{function}")
                } else {
                    format!("__m{i}")
                }
            })
            .collect();
        let args = if formatted {
            let mut aggregates: Vec<&str> = answer_keys.iter().map(String::as_str).collect();
            aggregates.push("__count");
            Args::new()
                .arg("domain", &self.domain)
                .arg("groupby", &groupby)
                .arg("aggregates", &aggregates)
        } else {
            let fields: Vec<String> = measures
                .iter()
                .zip(&answer_keys)
                .map(|((field, function), alias)| format!("{alias}:{function}({field})"))
                .collect();
            Args::new()
                .arg("domain", &self.domain)
                .arg("fields", &fields)
                .arg("groupby", &groupby)
                .kwarg("lazy", false)
        };
        let mut args = args;
        if let Some(offset) = self.offset {
            args = args.kwarg("offset", offset);
        }
        if let Some(limit) = self.limit {
            args = args.kwarg("limit", limit);
        }
        if let Some(order) = &self.order {
            args = args.kwarg(if formatted { "order" } else { "orderby" }, order);
        }
        let groups: Vec<Struct> = session.call(M::NAME, method, args).await?;
        let bad = |row: usize, (field, message): (String, String)| {
            let call = session.call_id(M::NAME, method);
            Error::bad_answer(
                &call,
                ProtocolError::Field {
                    row,
                    field,
                    message,
                },
                Idempotency::ReadOnly,
            )
        };
        groups
            .into_iter()
            .enumerate()
            .map(|(row, mut group)| {
                let key_values = keys
                    .iter()
                    .map(|key| key_value(&mut group, key, formatted))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| bad(row, e))?;
                let count = match group.get("__count") {
                    Some(Value::Int(n)) if *n >= 0 => u64::from(n.unsigned_abs()),
                    Some(Value::I8(n)) if *n >= 0 => n.unsigned_abs(),
                    other => {
                        return Err(bad(
                            row,
                            (
                                "__count".to_owned(),
                                format!("expected a count, got {other:?}"),
                            ),
                        ));
                    }
                };
                let measured = answer_keys
                    .iter()
                    .map(|k| {
                        group
                            .get(k)
                            .cloned()
                            .map(|v| (k.clone(), v))
                            .ok_or_else(|| (k.clone(), "missing from the answer".to_owned()))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| bad(row, e))?;
                decode(count, key_values, measured).map_err(|e| bad(row, e))
            })
            .collect()
    }
}

/// Whether the server answers `formatted_read_group` (Odoo 19 and later): JSON-2 says so
/// by itself; over XML-RPC the server's version says.
async fn formatted_read_group(session: &Session) -> Result<bool, Error> {
    if session.protocol() == Protocol::Json2 {
        return Ok(true);
    }
    let version = session.server_version().await?;
    Ok(version.major().is_some_and(|major| major >= 19))
}

/// One key's value in the release-neutral shape [`GroupKeys::take`] reads: the value as
/// sent, except a period, which is `[from, to]` (or `False` for the records without a date).
fn key_value(
    group: &mut Struct,
    key: &KeySpec,
    formatted: bool,
) -> Result<(String, Value), (String, String)> {
    let fail = |message: String| (key.spec.clone(), message);
    let value = group
        .remove(&key.spec)
        .ok_or_else(|| fail("missing from the answer".to_owned()))?;
    let Some(granularity) = key.granularity else {
        return Ok((key.spec.clone(), value));
    };
    let period = if formatted {
        // 19: `[start, label]`; the end is the start plus the period, as Odoo computes it.
        match value {
            Value::Array(items) => match items.into_iter().next() {
                Some(Value::String(start)) => {
                    let end = period_end(&start, granularity).map_err(fail)?;
                    Value::Array(vec![Value::String(start), Value::String(end)])
                }
                other => return Err(fail(format!("expected [start, label], got {other:?}"))),
            },
            empty => empty,
        }
    } else {
        // 17, 18: a label; the bounds are in `__range`.
        let range = match group.get("__range") {
            Some(Value::Struct(ranges)) => ranges.get(&key.spec).cloned(),
            _ => None,
        };
        match range {
            Some(Value::Struct(bounds)) => match (bounds.get("from"), bounds.get("to")) {
                (Some(from), Some(to)) => Value::Array(vec![from.clone(), to.clone()]),
                _ => return Err(fail(format!("__range without from/to: {bounds:?}"))),
            },
            Some(Value::Bool(false)) => Value::Bool(false),
            None if matches!(value, Value::Bool(false)) => Value::Bool(false),
            other => return Err(fail(format!("expected its __range, got {other:?}"))),
        }
    };
    Ok((key.spec.clone(), period))
}

/// The end of the period starting at `start` (a date, or a datetime in UTC), in its format.
fn period_end(start: &str, granularity: Granularity) -> Result<String, String> {
    let (at, format) = match chrono::NaiveDate::parse_from_str(start, DATE_FORMAT) {
        Ok(date) => (date.and_time(chrono::NaiveTime::MIN), DATE_FORMAT),
        Err(_) => (
            chrono::NaiveDateTime::parse_from_str(start, DATETIME_FORMAT)
                .map_err(|e| format!("invalid period start {start:?}: {e}"))?,
            DATETIME_FORMAT,
        ),
    };
    let end = granularity
        .after(at)
        .ok_or_else(|| format!("period after {start:?} out of range"))?;
    Ok(end.format(format).to_string())
}

impl<M: Model, K: GroupKeys<M>, A: Measures<M>> IntoFuture for Aggregate<M, K, A> {
    type Output = Result<Vec<Group<K::Key, A::Values>>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_end_as_odoo_adds_its_interval() {
        assert_eq!(
            period_end("2026-11-30", Granularity::Day).unwrap(),
            "2026-12-01"
        );
        assert_eq!(
            period_end("2026-11-30", Granularity::Week).unwrap(),
            "2026-12-07"
        );
        assert_eq!(
            period_end("2026-01-31", Granularity::Month).unwrap(),
            "2026-02-28"
        );
        assert_eq!(
            period_end("2026-10-01", Granularity::Quarter).unwrap(),
            "2027-01-01"
        );
        assert_eq!(
            period_end("2024-02-29", Granularity::Year).unwrap(),
            "2025-02-28"
        );
        assert_eq!(
            period_end("2026-12-01 00:00:00", Granularity::Month).unwrap(),
            "2027-01-01 00:00:00"
        );
        assert!(period_end("December 2026", Granularity::Month).is_err());
    }
}
