//! What a group is keyed by: [`GroupKeys`] (a field, a date field by [`Granularity`], or a
//! tuple of them) and the typed key each one reads as.

use std::fmt;
use std::marker::PhantomData;

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use openspp_xmlrpc::Value;

use crate::typed::field::{CanSort, Field};
use crate::typed::model::Model;
use crate::typed::types::{
    DATE_FORMAT, DATETIME_FORMAT, FieldType, Many2one, Selection, SelectionEnum,
};

/// The period a date or datetime group covers (`READ_GROUP_TIME_GRANULARITY` in Odoo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// One calendar day.
    Day,
    /// One ISO week (Monday to Sunday in `en_US`'s Odoo grouping).
    Week,
    /// One calendar month.
    Month,
    /// Three calendar months from January, April, July or October.
    Quarter,
    /// One calendar year.
    Year,
}

impl Granularity {
    /// The suffix of the groupby spec (`date:month`).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
        }
    }

    /// The start of the next period, as Odoo adds its `relativedelta` interval.
    pub(crate) fn after(self, start: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Granularity::Day => start.checked_add_signed(TimeDelta::days(1)),
            Granularity::Week => start.checked_add_signed(TimeDelta::days(7)),
            Granularity::Month => start.checked_add_months(Months::new(1)),
            Granularity::Quarter => start.checked_add_months(Months::new(3)),
            Granularity::Year => start.checked_add_months(Months::new(12)),
        }
    }
}

/// The key of one group by, as the answer decoder needs it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct KeySpec {
    /// The groupby spec sent, and the group's key in the answer.
    pub spec: String,
    /// For a date or datetime group, its period: the answer carries a range, not a value.
    pub granularity: Option<Granularity>,
}

/// Field types a group can be keyed by, and the key they read as: `Option<Many2one<R>>`
/// (`None`: the records without one), the selection enum, `bool`, `Option<String>`.
/// Dates and datetimes group by a [`Granularity`] with [`Field::by`].
#[diagnostic::on_unimplemented(
    message = "records cannot be grouped by a `{Self}` field",
    label = "not a field type to group by",
    note = "group by many2one, selection, boolean and char fields; dates and datetimes by a period: `FIELD.by(Granularity::Month)`"
)]
pub trait Groupable: FieldType {
    /// The typed key of a group.
    type Key: Send + 'static;
    /// Reads the key from the answer's value.
    #[doc(hidden)]
    fn key(value: Value) -> Result<Self::Key, String>;
}

impl<R: Model> Groupable for Many2one<R> {
    type Key = Option<Many2one<R>>;
    fn key(value: Value) -> Result<Self::Key, String> {
        openspp_xmlrpc::from_value(value).map_err(|e| e.to_string())
    }
}

impl<E: SelectionEnum> Groupable for Selection<E> {
    type Key = Option<E>;
    fn key(value: Value) -> Result<Self::Key, String> {
        match value {
            Value::Bool(false) | Value::Nil => Ok(None),
            Value::String(key) => Ok(Some(E::from_key(&key))),
            Value::Int(key) => Ok(Some(E::from_key(&key.to_string()))),
            other => Err(format!(
                "expected a selection key, got {}",
                other.type_name()
            )),
        }
    }
}

impl Groupable for bool {
    type Key = bool;
    fn key(value: Value) -> Result<bool, String> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(format!("expected a boolean, got {}", other.type_name())),
        }
    }
}

impl Groupable for String {
    type Key = Option<String>;
    fn key(value: Value) -> Result<Option<String>, String> {
        match value {
            Value::Bool(false) | Value::Nil => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Err(format!("expected a string, got {}", other.type_name())),
        }
    }
}

/// The period of a date or datetime group: from `start` (included) to `end` (excluded), in
/// the field's type (`NaiveDate`, or `NaiveDateTime` in UTC).
///
/// Both bounds are the server's on Odoo 17 and 18 (`__range`). Odoo 19 sends the start
/// only, and the end is the start plus the period, as Odoo computes it: for a datetime
/// grouped in a context `tz` with a daylight-saving change inside the period, Odoo's own end
/// (in its `__extra_domain`) is an hour apart from this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period<T> {
    /// The first instant of the period.
    pub start: T,
    /// The first instant after it.
    pub end: T,
}

/// Date and datetime field types: grouped by a [`Granularity`] into [`Period`]s.
#[diagnostic::on_unimplemented(
    message = "only date and datetime fields group by a period, not `{Self}` fields",
    label = "not a date or datetime field"
)]
pub trait Dated: FieldType {
    /// `NaiveDate` or `NaiveDateTime`.
    type Instant: Copy + Send + 'static;
    /// Parses a bound of the period as the server writes it.
    #[doc(hidden)]
    fn parse(text: &str) -> Result<Self::Instant, String>;
}

impl Dated for NaiveDate {
    type Instant = NaiveDate;
    fn parse(text: &str) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(text, DATE_FORMAT)
            .map_err(|e| format!("invalid date {text:?}: {e}"))
    }
}

impl Dated for NaiveDateTime {
    type Instant = NaiveDateTime;
    fn parse(text: &str) -> Result<NaiveDateTime, String> {
        NaiveDateTime::parse_from_str(text, DATETIME_FORMAT)
            .map_err(|e| format!("invalid datetime {text:?}: {e}"))
    }
}

/// A date or datetime field grouped by a [`Granularity`]: `BIRTHDATE.by(Granularity::Year)`.
pub struct ByPeriod<M, T> {
    field: &'static str,
    granularity: Granularity,
    marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for ByPeriod<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for ByPeriod<M, T> {}
impl<M, T> fmt::Debug for ByPeriod<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByPeriod({}:{})", self.field, self.granularity.as_str())
    }
}

impl<M, T> ByPeriod<M, T> {
    /// The groupby spec (`valid_from:month`).
    pub fn spec(&self) -> String {
        format!("{}:{}", self.field, self.granularity.as_str())
    }
}

impl<M: Model, T: Dated, S, O: CanSort, W> Field<M, T, S, O, W> {
    /// Groups by this date or datetime field's period (`field:granularity`); stored fields
    /// only, as for ordering.
    pub fn by(&self, granularity: Granularity) -> ByPeriod<M, T> {
        ByPeriod {
            field: self.name(),
            granularity,
            marker: PhantomData,
        }
    }
}

/// What groups are keyed by: a stored [`Groupable`] field, a [`ByPeriod`], or a tuple of
/// them (nest tuples for more than 6); the key of each group is typed like the set.
pub trait GroupKeys<M>: Send + Sync + 'static {
    /// The typed key of a group.
    type Key: Send + 'static;
    /// Appends the groupby specs.
    #[doc(hidden)]
    fn push_specs(&self, out: &mut Vec<KeySpec>);
    /// Reads this set's keys from the answer's values, one per spec, in order (a period is
    /// `[from, to]` or `False`).
    #[doc(hidden)]
    fn take(
        &self,
        values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<Self::Key, (String, String)>;
}

fn next(
    values: &mut std::vec::IntoIter<(String, Value)>,
) -> Result<(String, Value), (String, String)> {
    values
        .next()
        .ok_or_else(|| ("?".to_owned(), "fewer group keys than asked".to_owned()))
}

impl<M: Model> GroupKeys<M> for () {
    type Key = ();
    fn push_specs(&self, _out: &mut Vec<KeySpec>) {}
    fn take(
        &self,
        _values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<(), (String, String)> {
        Ok(())
    }
}

impl<M: Model, T: Groupable, S: 'static, O: CanSort + 'static, W: 'static> GroupKeys<M>
    for Field<M, T, S, O, W>
{
    type Key = T::Key;
    fn push_specs(&self, out: &mut Vec<KeySpec>) {
        out.push(KeySpec {
            spec: self.name().to_owned(),
            granularity: None,
        });
    }
    fn take(
        &self,
        values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<T::Key, (String, String)> {
        let (spec, value) = next(values)?;
        T::key(value).map_err(|e| (spec, e))
    }
}

impl<M: Model, T: Dated> GroupKeys<M> for ByPeriod<M, T> {
    type Key = Option<Period<T::Instant>>;
    fn push_specs(&self, out: &mut Vec<KeySpec>) {
        out.push(KeySpec {
            spec: self.spec(),
            granularity: Some(self.granularity),
        });
    }
    fn take(
        &self,
        values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<Self::Key, (String, String)> {
        let (spec, value) = next(values)?;
        let fail = |e: String| (spec.clone(), e);
        match value {
            Value::Bool(false) | Value::Nil => Ok(None),
            Value::Array(bounds) => match bounds.as_slice() {
                [Value::String(from), Value::String(to)] => Ok(Some(Period {
                    start: T::parse(from).map_err(fail)?,
                    end: T::parse(to).map_err(fail)?,
                })),
                _ => Err(fail(format!(
                    "expected a period [from, to], got {bounds:?}"
                ))),
            },
            other => Err(fail(format!(
                "expected a period, got {}",
                other.type_name()
            ))),
        }
    }
}

macro_rules! tuple_group_keys {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<M: Model, $($t: GroupKeys<M>),+> GroupKeys<M> for ($($t,)+) {
            type Key = ($($t::Key,)+);
            fn push_specs(&self, out: &mut Vec<KeySpec>) {
                $(self.$i.push_specs(out);)+
            }
            fn take(
                &self,
                values: &mut std::vec::IntoIter<(String, Value)>,
            ) -> Result<Self::Key, (String, String)> {
                Ok(($(self.$i.take(values)?,)+))
            }
        }
    )*};
}

tuple_group_keys! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
}
