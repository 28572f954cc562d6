//! The [`Model`] trait that every generated model implements, and typed record ids.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::typed::field::{Field, NotWritable, Searchable, Sortable};

/// An Odoo model, described by constants only so that generated code stays declarative.
///
/// Generated code implements this on a unit struct per model; everything else (searching,
/// reading, writing) is generic code in this crate.
///
/// ```
/// use openspp_client::Model;
///
/// #[derive(Debug, Clone, Copy)]
/// pub struct ResCountry;
///
/// impl Model for ResCountry {
///     const NAME: &'static str = "res.country";
///     const FIELDS: &'static [&'static str] = &["id", "name", "code"];
///     const REQUIRED: &'static [&'static str] = &["name", "code"];
/// }
/// assert_eq!(ResCountry::ID.name(), "id");
/// ```
pub trait Model: Sized + Send + Sync + 'static {
    /// The technical name, e.g. `"res.partner"`.
    const NAME: &'static str;
    /// Every field name the binding knows, sorted (used to report schema drift).
    const FIELDS: &'static [&'static str];
    /// Fields `create` must be given: those the server refuses a create without (a `NOT NULL`
    /// column the model does not fill and the server does not default; never an x2many;
    /// the rule is `openspp_schema::required`). Checked before any I/O so the request is never
    /// sent incomplete.
    const REQUIRED: &'static [&'static str];
    /// The `id` field every model has; searchable and sortable, never written.
    const ID: Field<Self, Id<Self>, Searchable, Sortable, NotWritable> = Field::new("id");
}

/// The database id of a record of model `M`.
///
/// Ids of different models are different types, so a partner id cannot be written to a
/// country field. On the wire an id is a plain `<int>` (Odoo ids are PostgreSQL `int4`).
pub struct Id<M> {
    raw: i32,
    model: PhantomData<fn() -> M>,
}

impl<M> Id<M> {
    /// Wraps a raw database id.
    pub const fn new(raw: i32) -> Self {
        Self {
            raw,
            model: PhantomData,
        }
    }

    /// The raw database id.
    pub const fn get(self) -> i32 {
        self.raw
    }
}

impl<M> Clone for Id<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Id<M> {}
impl<M> PartialEq for Id<M> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<M> Eq for Id<M> {}
impl<M> PartialOrd for Id<M> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<M> Ord for Id<M> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<M> Hash for Id<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}
impl<M> fmt::Debug for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.raw)
    }
}
impl<M> fmt::Display for Id<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.raw.fmt(f)
    }
}
impl<M> Serialize for Id<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.raw)
    }
}
impl<'de, M> Deserialize<'de> for Id<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i32::deserialize(deserializer).map(Self::new)
    }
}
