//! What is computed per group: [`Measure`]s built from field constants (`AMOUNT.sum()`),
//! each allowed only on the field types PostgreSQL and Odoo accept it for, and typed by it.

use std::fmt;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use openspp_xmlrpc::Value;

use crate::typed::field::{CanSort, Field};
use crate::typed::model::{Id, Model};
use crate::typed::types::{FieldType, Many2one, Selection, SelectionEnum};

/// Field types whose values an aggregate can return one by one (`min`, `max`, `array_agg`),
/// and what each value reads as (a many2one's value is the target's id).
#[diagnostic::on_unimplemented(
    message = "a `{Self}` field cannot be aggregated",
    label = "not a field type Odoo aggregates",
    note = "aggregate stored numbers, text, dates, booleans, selections and many2one fields"
)]
pub trait Scalar: FieldType {
    /// One value.
    type Item: Send + 'static;
    /// Reads one value; `None` for SQL's NULL (`False` or `null` on the wire).
    #[doc(hidden)]
    fn item(value: Value) -> Result<Option<Self::Item>, String>;
}

/// Numeric field types: `sum` and `avg` apply (integer sums widen to `i64`, as PostgreSQL's
/// `SUM(int4)` is a `bigint`).
#[diagnostic::on_unimplemented(
    message = "`sum` and `avg` do not apply to a `{Self}` field",
    label = "not an integer, float or monetary field"
)]
pub trait Summable: Scalar {
    /// The type of the sum.
    type Sum: Send + 'static;
    /// Reads a sum.
    #[doc(hidden)]
    fn sum(value: Value) -> Result<Self::Sum, String>;
}

/// Field types with an order PostgreSQL's `MIN` and `MAX` follow.
#[diagnostic::on_unimplemented(
    message = "`min` and `max` do not apply to a `{Self}` field",
    label = "PostgreSQL has no MIN/MAX for this field type",
    note = "`min`/`max` apply to numbers, text, dates and datetimes; booleans have `bool_and`/`bool_or`"
)]
pub trait Extremum: Scalar {}

fn empty(value: &Value) -> bool {
    matches!(value, Value::Bool(false) | Value::Nil)
}

fn unexpected(what: &str, value: &Value) -> String {
    format!("expected {what}, got {}", value.type_name())
}

fn integer(value: &Value) -> Result<i64, String> {
    match value {
        Value::Int(i) => Ok(i64::from(*i)),
        Value::I8(i) => Ok(*i),
        other => Err(unexpected("an integer", other)),
    }
}

fn float(value: &Value) -> Result<f64, String> {
    match value {
        Value::Int(i) => Ok(f64::from(*i)),
        Value::I8(i) => Ok(*i as f64),
        Value::Double(x) => Ok(*x),
        // a PostgreSQL numeric the server wrote as text
        Value::String(s) => s.parse().map_err(|_| unexpected("a number", value)),
        other => Err(unexpected("a number", other)),
    }
}

impl Scalar for bool {
    type Item = bool;
    fn item(value: Value) -> Result<Option<bool>, String> {
        match value {
            Value::Bool(b) => Ok(Some(b)),
            Value::Nil => Ok(None),
            other => Err(unexpected("a boolean", &other)),
        }
    }
}

impl Scalar for i32 {
    type Item = i32;
    fn item(value: Value) -> Result<Option<i32>, String> {
        if empty(&value) {
            return Ok(None);
        }
        let i = integer(&value)?;
        i32::try_from(i)
            .map(Some)
            .map_err(|_| format!("integer {i} out of range"))
    }
}
impl Summable for i32 {
    type Sum = Option<i64>;
    fn sum(value: Value) -> Result<Option<i64>, String> {
        if empty(&value) {
            return Ok(None);
        }
        integer(&value).map(Some)
    }
}
impl Extremum for i32 {}

impl Scalar for f64 {
    type Item = f64;
    fn item(value: Value) -> Result<Option<f64>, String> {
        if empty(&value) {
            return Ok(None);
        }
        float(&value).map(Some)
    }
}
impl Summable for f64 {
    type Sum = Option<f64>;
    fn sum(value: Value) -> Result<Option<f64>, String> {
        Self::item(value)
    }
}
impl Extremum for f64 {}

/// Types read through the field's own decoder, whose read value is `Option<Item>`.
macro_rules! scalar_as_read {
    ($([$($gen:tt)*] $t:ty => $item:ty),* $(,)?) => {$(
        impl<$($gen)*> Scalar for $t {
            type Item = $item;
            fn item(value: Value) -> Result<Option<$item>, String> {
                if matches!(value, Value::Nil) {
                    return Ok(None);
                }
                let wire = openspp_xmlrpc::from_value(value).map_err(|e| e.to_string())?;
                <$t as FieldType>::from_wire(wire)
            }
        }
    )*};
}

scalar_as_read! {
    [] String => String,
    [] NaiveDate => NaiveDate,
    [] NaiveDateTime => NaiveDateTime,
    [E: SelectionEnum] Selection<E> => E,
}
impl Extremum for String {}
impl Extremum for NaiveDate {}
impl Extremum for NaiveDateTime {}

impl<R: Model> Scalar for Many2one<R> {
    type Item = Id<R>;
    fn item(value: Value) -> Result<Option<Id<R>>, String> {
        Id::<R>::item(value)
    }
}

impl<R: Model> Scalar for Id<R> {
    type Item = Id<R>;
    fn item(value: Value) -> Result<Option<Id<R>>, String> {
        Ok(i32::item(value)?.map(Id::new))
    }
}
impl<R: Model> Extremum for Id<R> {}

/// One aggregate of one field (`initial_amount:sum`), read as `V`.
pub struct Measure<M, V> {
    field: &'static str,
    function: &'static str,
    read: fn(Value) -> Result<V, String>,
    model: PhantomData<fn() -> M>,
}

impl<M, V> Clone for Measure<M, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, V> Copy for Measure<M, V> {}
impl<M, V> fmt::Debug for Measure<M, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Measure({})", self.spec())
    }
}

impl<M, V> Measure<M, V> {
    fn new(
        field: &'static str,
        function: &'static str,
        read: fn(Value) -> Result<V, String>,
    ) -> Self {
        Self {
            field,
            function,
            read,
            model: PhantomData,
        }
    }

    /// The aggregate spec (`initial_amount:sum`).
    pub fn spec(&self) -> String {
        format!("{}:{}", self.field, self.function)
    }

    /// The field and the function, for `read_group`'s `alias:function(field)`.
    pub(crate) fn parts(&self) -> (&'static str, &'static str) {
        (self.field, self.function)
    }
}

fn count(value: Value) -> Result<u64, String> {
    if empty(&value) {
        return Ok(0);
    }
    let n = integer(&value)?;
    u64::try_from(n).map_err(|_| format!("negative count {n}"))
}

fn optional<T: Scalar>(value: Value) -> Result<Option<T::Item>, String> {
    T::item(value)
}

fn average(value: Value) -> Result<Option<f64>, String> {
    if empty(&value) {
        return Ok(None);
    }
    float(&value).map(Some)
}

fn array<T: Scalar>(value: Value) -> Result<Vec<Option<T::Item>>, String> {
    match value {
        Value::Array(items) => items.into_iter().map(T::item).collect(),
        // no row: Odoo's empty value for array_agg is []; NULL is False
        Value::Bool(false) | Value::Nil => Ok(Vec::new()),
        other => Err(unexpected("a list", &other)),
    }
}

/// Aggregates of stored fields (`O: CanSort`: Odoo aggregates stored columns only).
impl<M: Model, T: Scalar, S, O: CanSort, W> Field<M, T, S, O, W> {
    /// `field:sum`: `None` when every value is empty.
    pub fn sum(&self) -> Measure<M, T::Sum>
    where
        T: Summable,
    {
        Measure::new(self.name(), "sum", T::sum)
    }
    /// `field:avg`: `None` when every value is empty.
    pub fn avg(&self) -> Measure<M, Option<f64>>
    where
        T: Summable,
    {
        Measure::new(self.name(), "avg", average)
    }
    /// `field:min`: `None` when every value is empty.
    pub fn min(&self) -> Measure<M, Option<T::Item>>
    where
        T: Extremum,
    {
        Measure::new(self.name(), "min", optional::<T>)
    }
    /// `field:max`: `None` when every value is empty.
    pub fn max(&self) -> Measure<M, Option<T::Item>>
    where
        T: Extremum,
    {
        Measure::new(self.name(), "max", optional::<T>)
    }
    /// `field:count`: how many records of the group have a value.
    pub fn count(&self) -> Measure<M, u64> {
        Measure::new(self.name(), "count", count)
    }
    /// `field:count_distinct`: how many different values the group has.
    pub fn count_distinct(&self) -> Measure<M, u64> {
        Measure::new(self.name(), "count_distinct", count)
    }
    /// `field:array_agg`: every record's value, by record id (`None` for an empty one).
    pub fn array_agg(&self) -> Measure<M, Vec<Option<T::Item>>> {
        Measure::new(self.name(), "array_agg", array::<T>)
    }
}

fn logical(value: Value) -> Result<Option<bool>, String> {
    bool::item(value)
}

impl<M: Model, S, O: CanSort, W> Field<M, bool, S, O, W> {
    /// `field:bool_and`: whether every record's value is true (`None` when all are NULL).
    pub fn bool_and(&self) -> Measure<M, Option<bool>> {
        Measure::new(self.name(), "bool_and", logical)
    }
    /// `field:bool_or`: whether some record's value is true.
    pub fn bool_or(&self) -> Measure<M, Option<bool>> {
        Measure::new(self.name(), "bool_or", logical)
    }
}

/// What each group computes: a [`Measure`] or a tuple of them (nest tuples for more than
/// 8); the values of each group are typed like the set.
pub trait Measures<M>: Send + Sync + 'static {
    /// The typed values of a group.
    type Values: Send + 'static;
    /// Appends the measures.
    #[doc(hidden)]
    fn push_parts(&self, out: &mut Vec<(&'static str, &'static str)>);
    /// Reads this set's values from the answer's, one per measure, in order.
    #[doc(hidden)]
    fn take(
        &self,
        values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<Self::Values, (String, String)>;
}

impl<M: Model> Measures<M> for () {
    type Values = ();
    fn push_parts(&self, _out: &mut Vec<(&'static str, &'static str)>) {}
    fn take(
        &self,
        _values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<(), (String, String)> {
        Ok(())
    }
}

impl<M: Model, V: Send + 'static> Measures<M> for Measure<M, V> {
    type Values = V;
    fn push_parts(&self, out: &mut Vec<(&'static str, &'static str)>) {
        out.push(self.parts());
    }
    fn take(
        &self,
        values: &mut std::vec::IntoIter<(String, Value)>,
    ) -> Result<V, (String, String)> {
        let (key, value) = values
            .next()
            .ok_or_else(|| (self.spec(), "missing from the answer".to_owned()))?;
        (self.read)(value).map_err(|e| (key, e))
    }
}

macro_rules! tuple_measures {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<M: Model, $($t: Measures<M>),+> Measures<M> for ($($t,)+) {
            type Values = ($($t::Values,)+);
            fn push_parts(&self, out: &mut Vec<(&'static str, &'static str)>) {
                $(self.$i.push_parts(out);)+
            }
            fn take(
                &self,
                values: &mut std::vec::IntoIter<(String, Value)>,
            ) -> Result<Self::Values, (String, String)> {
                Ok(($(self.$i.take(values)?,)+))
            }
        }
    )*};
}

tuple_measures! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}
