//! [`Field`] constants: a field name that carries its model, value type and what the server
//! allows (search, sort, write) in its type, so misuse is a compile error.

use std::fmt;
use std::marker::PhantomData;

use crate::typed::domain::{Domain, Order};
use crate::typed::model::Model;
use crate::typed::term::Term;
use crate::typed::types::{
    FieldType, Nullable, Ordered, QueryValue, Relational, TextLike, WriteValue,
};
use crate::typed::values::Values;

/// Capability marker: the server can search on this field (stored, or has a search method).
#[derive(Debug, Clone, Copy)]
pub struct Searchable;
/// Capability marker: the server cannot search on this field.
#[derive(Debug, Clone, Copy)]
pub struct NotSearchable;
/// Capability marker: the server can order by this field (stored column).
#[derive(Debug, Clone, Copy)]
pub struct Sortable;
/// Capability marker: the server cannot order by this field.
#[derive(Debug, Clone, Copy)]
pub struct NotSortable;
/// Capability marker: `write`/`create` store this field (stored, even if `readonly` in the
/// UI; or not stored but with an inverse or `related`).
#[derive(Debug, Clone, Copy)]
pub struct Writable;
/// Capability marker: the server silently ignores writes to this field (a computed field
/// without inverse, or a magic log field such as `id`, `create_date`, `write_uid`).
#[derive(Debug, Clone, Copy)]
pub struct NotWritable;

/// Implemented by [`Searchable`] only.
#[diagnostic::on_unimplemented(
    message = "this field cannot be used in a domain: the server cannot search on it",
    label = "the field is not searchable",
    note = "only stored fields and fields with a search method can be filtered on"
)]
pub trait CanSearch {}
impl CanSearch for Searchable {}

/// Implemented by [`Sortable`] only.
#[diagnostic::on_unimplemented(
    message = "the server cannot order records by this field",
    label = "the field is not sortable",
    note = "only stored fields can be used in `order`"
)]
pub trait CanSort {}
impl CanSort for Sortable {}

/// Implemented by [`Writable`] only.
#[diagnostic::on_unimplemented(
    message = "this field cannot be written: the server would silently ignore the value",
    label = "the field is computed without an inverse, or is a magic log field",
    note = "Odoo ignores writes to non-stored readonly fields and to id/create_date/create_uid/write_date/write_uid/display_name"
)]
pub trait CanWrite {}
impl CanWrite for Writable {}

/// A field of model `M` holding values of type `T` (see [`crate::typed::types`]), with search (`S`),
/// sort (`O`) and write (`W`) capabilities as marker types.
///
/// Generated code declares one constant per field; the defaults fit a plain stored field:
///
/// ```
/// use openspp_client::{Field, Model, NotSearchable, NotSortable, NotWritable};
/// # #[derive(Debug, Clone, Copy)] pub struct ResCountry;
/// # impl Model for ResCountry {
/// #     const NAME: &'static str = "res.country";
/// #     const FIELDS: &'static [&'static str] = &["code", "display_name", "name"];
/// #     const REQUIRED: &'static [&'static str] = &["code", "name"];
/// # }
/// pub const NAME: Field<ResCountry, String> = Field::new("name");
/// pub const DISPLAY_NAME: Field<ResCountry, String, NotSearchable, NotSortable, NotWritable> =
///     Field::new("display_name");
///
/// let domain = NAME.ilike("bel");
/// ```
pub struct Field<M, T, S = Searchable, O = Sortable, W = Writable> {
    name: &'static str,
    marker: PhantomData<Markers<M, T, S, O, W>>,
}

/// Variance-neutral carrier of a field's type parameters (keeps `Field` `Send + Sync + Copy`).
type Markers<M, T, S, O, W> = fn() -> (M, T, S, O, W);

impl<M, T, S, O, W> Field<M, T, S, O, W> {
    /// Declares a field by its technical name.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: PhantomData,
        }
    }

    /// The technical name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<M, T, S, O, W> Clone for Field<M, T, S, O, W> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T, S, O, W> Copy for Field<M, T, S, O, W> {}
impl<M, T, S, O, W> fmt::Debug for Field<M, T, S, O, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

impl<M: Model, T: FieldType, S, O, W> Field<M, T, S, O, W> {
    /// Ascending order by this field.
    pub fn asc(&self) -> Order<M>
    where
        O: CanSort,
    {
        Order::new(self.name, false)
    }
    /// Descending order by this field.
    pub fn desc(&self) -> Order<M>
    where
        O: CanSort,
    {
        Order::new(self.name, true)
    }
}

impl<M: Model, T: FieldType, S, O, W> Field<M, T, S, O, W> {
    /// A write of `value` to this field: `partners.write(&ids, NAME.set("x"))`.
    pub fn set<V: WriteValue<T>>(&self, value: V) -> Values<M>
    where
        W: CanWrite,
    {
        Values::new().set(*self, value)
    }

    /// A write that empties this field (`False` on the wire).
    pub fn clear(&self) -> Values<M>
    where
        W: CanWrite,
        T: Nullable,
    {
        Values::new().clear(*self)
    }
}

/// A dotted path through relations (`country_id.code`), usable in domains.
/// Built with `.dot(...)` on a relational field; only searchable fields can be chained.
pub struct Path<M, T> {
    name: String,
    marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Path<M, T> {
    /// The dotted name sent to the server.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<M, T> Clone for Path<M, T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            marker: PhantomData,
        }
    }
}
impl<M, T> fmt::Debug for Path<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({})", self.name)
    }
}

/// Domain operators, shared by [`Field`] (when searchable) and [`Path`].
macro_rules! domain_ops {
    (impl[$($gen:tt)*] $ty:ty, where [$($mb:tt)*]) => {
        impl<$($gen)*> $ty {
            fn leaf(&self, op: &'static str, value: Term) -> Domain<M> {
                Domain::leaf(self.name.to_string(), op, value)
            }

            /// `=`: equal to `value`.
            pub fn eq<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* {
                self.leaf("=", value.into_term())
            }
            /// `!=`: different from `value`.
            pub fn ne<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* {
                self.leaf("!=", value.into_term())
            }
            /// `in`: equal to one of `values`.
            pub fn is_in<V: QueryValue<T>>(&self, values: impl IntoIterator<Item = V>) -> Domain<M> {
                self.leaf("in", Term::list(values.into_iter().map(V::into_term).collect()))
            }
            /// `not in`: equal to none of `values`.
            pub fn not_in<V: QueryValue<T>>(&self, values: impl IntoIterator<Item = V>) -> Domain<M> {
                self.leaf("not in", Term::list(values.into_iter().map(V::into_term).collect()))
            }
            /// `<`.
            pub fn lt<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* T: Ordered {
                self.leaf("<", value.into_term())
            }
            /// `<=`.
            pub fn le<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* T: Ordered {
                self.leaf("<=", value.into_term())
            }
            /// `>`.
            pub fn gt<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* T: Ordered {
                self.leaf(">", value.into_term())
            }
            /// `>=`.
            pub fn ge<V: QueryValue<T>>(&self, value: V) -> Domain<M> where $($mb)* T: Ordered {
                self.leaf(">=", value.into_term())
            }
            /// `like`: case-sensitive substring (`%`/`_` wildcards are added around it).
            pub fn like(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("like", Term::str(pattern))
            }
            /// `not like`.
            pub fn not_like(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("not like", Term::str(pattern))
            }
            /// `ilike`: case-insensitive substring.
            pub fn ilike(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("ilike", Term::str(pattern))
            }
            /// `not ilike`.
            pub fn not_ilike(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("not ilike", Term::str(pattern))
            }
            /// `=like`: case-sensitive SQL pattern, taken as is.
            pub fn eq_like(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("=like", Term::str(pattern))
            }
            /// `=ilike`: case-insensitive SQL pattern, taken as is.
            pub fn eq_ilike(&self, pattern: &str) -> Domain<M> where $($mb)* T: TextLike {
                self.leaf("=ilike", Term::str(pattern))
            }
            /// `= False`: the field is empty.
            pub fn is_not_set(&self) -> Domain<M> where $($mb)* T: Nullable {
                self.leaf("=", Term::empty())
            }
            /// `!= False`: the field has a value.
            pub fn is_set(&self) -> Domain<M> where $($mb)* T: Nullable {
                self.leaf("!=", Term::empty())
            }
            /// `child_of`: the related record is `id` or one of its descendants.
            pub fn child_of(&self, id: crate::Id<T::Target>) -> Domain<M> where $($mb)* T: Relational {
                self.leaf("child_of", Term::int(id.get()))
            }
            /// `parent_of`: the related record is `id` or one of its ancestors.
            pub fn parent_of(&self, id: crate::Id<T::Target>) -> Domain<M> where $($mb)* T: Relational {
                self.leaf("parent_of", Term::int(id.get()))
            }
            /// `any`: some related record matches `domain`.
            pub fn any(&self, domain: Domain<T::Target>) -> Domain<M> where $($mb)* T: Relational {
                self.leaf("any", domain.into_term())
            }
            /// `not any`: no related record matches `domain`.
            pub fn not_any(&self, domain: Domain<T::Target>) -> Domain<M> where $($mb)* T: Relational {
                self.leaf("not any", domain.into_term())
            }
            /// A dotted path to a searchable field of the related model: `COUNTRY_ID.dot(CODE)`.
            pub fn dot<U: FieldType, O2, W2>(
                &self,
                field: Field<T::Target, U, Searchable, O2, W2>,
            ) -> Path<M, U>
            where
                $($mb)* T: Relational,
            {
                Path { name: format!("{}.{}", self.name, field.name()), marker: PhantomData }
            }
        }
    };
}

domain_ops!(impl[M: Model, T: FieldType, S, O, W] Field<M, T, S, O, W>, where [S: CanSearch,]);
domain_ops!(impl[M: Model, T: FieldType] Path<M, T>, where []);
