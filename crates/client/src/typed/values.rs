//! [`Values`]: the field values of a `create` or `write`, and x2many [`Command`]s.

use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};

use crate::typed::field::{CanWrite, Field};
use crate::typed::model::{Id, Model};
use crate::typed::term::Term;
use crate::typed::types::{FieldType, Nullable, WriteValue};

/// Field values for `create` or `write` on model `M`. Only writable fields can be set,
/// each with a value of its type; setting a field twice keeps the last value.
///
/// ```
/// # use openspp_client::{Field, Model, Values};
/// # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
/// # impl Model for ResPartner {
/// #     const NAME: &'static str = "res.partner";
/// #     const FIELDS: &'static [&'static str] = &["email", "name"];
/// #     const REQUIRED: &'static [&'static str] = &[];
/// # }
/// # const NAME: Field<ResPartner, String> = Field::new("name");
/// # const EMAIL: Field<ResPartner, String> = Field::new("email");
/// let values = NAME.set("Ada").set(EMAIL, "ada@example.com").clear(EMAIL);
/// assert_eq!(values.to_string(), r#"{"name": "Ada", "email": false}"#);
/// ```
pub struct Values<M> {
    members: Vec<(&'static str, Term)>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Values<M> {
    /// No values (a `create` with only server defaults).
    pub fn new() -> Self {
        Self {
            members: Vec::new(),
            model: PhantomData,
        }
    }

    fn put(mut self, name: &'static str, term: Term) -> Self {
        match self.members.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = term,
            None => self.members.push((name, term)),
        }
        self
    }

    /// Sets `field` to `value`.
    pub fn set<T: FieldType, S, O, W: CanWrite, V: WriteValue<T>>(
        self,
        field: Field<M, T, S, O, W>,
        value: V,
    ) -> Self {
        self.put(field.name(), value.into_term())
    }

    /// Empties `field` (`False` on the wire).
    pub fn clear<T: Nullable, S, O, W: CanWrite>(self, field: Field<M, T, S, O, W>) -> Self {
        self.put(field.name(), Term::empty())
    }

    /// Adds all of `other`'s values (they win on conflicts).
    pub fn and(self, other: Values<M>) -> Self {
        other
            .members
            .into_iter()
            .fold(self, |acc, (name, term)| acc.put(name, term))
    }

    /// Names of the fields set, in the order they were first set.
    pub fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.members.iter().map(|(n, _)| *n)
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The fields of [`Model::REQUIRED`] that are not set: `create` refuses to send these.
    pub fn missing_required(&self) -> Vec<&'static str> {
        M::REQUIRED
            .iter()
            .copied()
            .filter(|r| !self.members.iter().any(|(n, _)| n == r))
            .collect()
    }

    pub(crate) fn into_term(self) -> Term {
        Term::map(self.members)
    }
}

impl<M: Model> Default for Values<M> {
    fn default() -> Self {
        Self::new()
    }
}
impl<M> Clone for Values<M> {
    fn clone(&self) -> Self {
        Self {
            members: self.members.clone(),
            model: PhantomData,
        }
    }
}
impl<M> fmt::Debug for Values<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Values({self})")
    }
}
impl<M> fmt::Display for Values<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Term::map(self.members.clone()).fmt_literal(f)
    }
}
impl<M> Serialize for Values<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.members.len()))?;
        for (name, value) in &self.members {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// One operation on an x2many field, sent as Odoo's command triple `(code, id, value)`.
pub enum Command<R> {
    /// `(0, 0, values)`: create a new related record.
    Create(Values<R>),
    /// `(1, id, values)`: update a related record.
    Update(Id<R>, Values<R>),
    /// `(2, id, 0)`: remove and delete the related record.
    Delete(Id<R>),
    /// `(3, id, 0)`: remove the relation, keep the record.
    Unlink(Id<R>),
    /// `(4, id, 0)`: add an existing record.
    Link(Id<R>),
    /// `(5, 0, 0)`: remove all relations.
    Clear,
    /// `(6, 0, ids)`: replace the relations with exactly `ids`.
    Set(Vec<Id<R>>),
}

impl<R: Model> Command<R> {
    /// [`Command::Set`] from any id collection.
    pub fn set(ids: impl IntoIterator<Item = Id<R>>) -> Self {
        Self::Set(ids.into_iter().collect())
    }

    pub(crate) fn into_term(self) -> Term {
        let triple = |code: i32, id: i32, value: Term| {
            Term::list(vec![Term::int(code), Term::int(id), value])
        };
        match self {
            Self::Create(values) => triple(0, 0, values.into_term()),
            Self::Update(id, values) => triple(1, id.get(), values.into_term()),
            Self::Delete(id) => triple(2, id.get(), Term::int(0)),
            Self::Unlink(id) => triple(3, id.get(), Term::int(0)),
            Self::Link(id) => triple(4, id.get(), Term::int(0)),
            Self::Clear => triple(5, 0, Term::int(0)),
            Self::Set(ids) => triple(
                6,
                0,
                Term::list(ids.into_iter().map(|i| Term::int(i.get())).collect()),
            ),
        }
    }
}

impl<R> Clone for Command<R> {
    fn clone(&self) -> Self {
        match self {
            Self::Create(v) => Self::Create(v.clone()),
            Self::Update(id, v) => Self::Update(*id, v.clone()),
            Self::Delete(id) => Self::Delete(*id),
            Self::Unlink(id) => Self::Unlink(*id),
            Self::Link(id) => Self::Link(*id),
            Self::Clear => Self::Clear,
            Self::Set(ids) => Self::Set(ids.clone()),
        }
    }
}
impl<R> fmt::Debug for Command<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Create(v) => write!(f, "Create({v})"),
            Self::Update(id, v) => write!(f, "Update({id}, {v})"),
            Self::Delete(id) => write!(f, "Delete({id})"),
            Self::Unlink(id) => write!(f, "Unlink({id})"),
            Self::Link(id) => write!(f, "Link({id})"),
            Self::Clear => f.write_str("Clear"),
            Self::Set(ids) => write!(f, "Set({ids:?})"),
        }
    }
}
