//! Groups read into a program's own struct: [`GroupRecord`], written by
//! `#[derive(GroupRecord)]`, and the call that reads them ([`AggregateRecords`]).

use std::fmt;
use std::future::IntoFuture;

use futures_util::future::BoxFuture;
use openspp_xmlrpc::Value;

use super::{Aggregate, KeySpec};
use crate::error::Error;
use crate::typed::domain::Order;
use crate::typed::model::Model;

/// A struct holding one group: its keys, measures and record count as named fields.
///
/// Derive it: `#[derive(GroupRecord)]` with `#[group(model = Model)]` on the struct and, on
/// each field, `#[group(by)]` (a key), `#[group(by = "month")]` (a date key by period),
/// `#[group(sum)]` and the other measures (`avg`, `min`, `max`, `count`, `count_distinct`,
/// `array_agg`, `bool_and`, `bool_or`) or `#[group(records)]` (the record count, `u64`).
/// Keys and measures read the Odoo field named like the struct field, or
/// `#[group(field = "...")]`. Each is checked at compile time as with the field constants:
/// a field the model lacks, a key or measure the field's type does not allow, or a struct
/// field of another type than the key or measure reads as does not compile.
///
/// ```ignore
/// #[derive(Debug, GroupRecord)]
/// #[group(model = G2pEntitlement)]
/// struct PerCycleAndMonth {
///     #[group(by)]
///     cycle_id: Option<Many2one<G2pCycle>>,
///     #[group(by = "month", field = "valid_from")]
///     month: Option<Period<NaiveDate>>,
///     #[group(sum, field = "initial_amount")]
///     total: Option<f64>,
///     #[group(records)]
///     entitlements: u64,
/// }
/// let rows = entitlements.aggregate(Domain::all()).records::<PerCycleAndMonth>().await?;
/// ```
pub trait GroupRecord: Sized + Send + 'static {
    /// The model grouped.
    type Model: Model;
    /// Appends the groupby specs and the measures, in field order.
    #[doc(hidden)]
    fn specs(keys: &mut Vec<KeySpec>, measures: &mut Vec<(&'static str, &'static str)>);
    /// Builds one group from its count and its keys' and measures' values, in order.
    #[doc(hidden)]
    fn from_group(
        count: u64,
        keys: Vec<(String, Value)>,
        values: Vec<(String, Value)>,
    ) -> Result<Self, (String, String)>;
}

impl<M: Model> Aggregate<M, (), ()> {
    /// Reads each group into the struct `R`, which names its keys and measures.
    pub fn records<R: GroupRecord<Model = M>>(self) -> AggregateRecords<R> {
        AggregateRecords { aggregate: self }
    }
}

/// An aggregate read into [`GroupRecord`] structs; `.await` it for `Vec<R>`.
#[must_use = "an aggregate does nothing until awaited"]
pub struct AggregateRecords<R: GroupRecord> {
    aggregate: Aggregate<R::Model, (), ()>,
}

impl<R: GroupRecord> fmt::Debug for AggregateRecords<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.aggregate.fmt(f)
    }
}

impl<R: GroupRecord> AggregateRecords<R> {
    /// See [`Aggregate::order`].
    pub fn order(self, order: Order<R::Model>) -> Self {
        Self {
            aggregate: self.aggregate.order(order),
        }
    }
    /// See [`Aggregate::offset`].
    pub fn offset(self, offset: usize) -> Self {
        Self {
            aggregate: self.aggregate.offset(offset),
        }
    }
    /// See [`Aggregate::limit`].
    pub fn limit(self, limit: usize) -> Self {
        Self {
            aggregate: self.aggregate.limit(limit),
        }
    }
}

impl<R: GroupRecord> IntoFuture for AggregateRecords<R> {
    type Output = Result<Vec<R>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (mut keys, mut measures) = (Vec::new(), Vec::new());
            R::specs(&mut keys, &mut measures);
            self.aggregate.fetch(&keys, &measures, R::from_group).await
        })
    }
}
