//! Typed record structs: `#[derive(Record)]` checks a struct against the model's generated
//! [`Field`] constants at compile time and decodes rows into it straight from the wire.
//!
//! ```
//! use openspp_client::{Id, Many2one, Record, X2many};
//! # use openspp_client::{Field, Model};
//! # #[derive(Debug, Clone, Copy)] pub struct ResCountry;
//! # impl Model for ResCountry {
//! #     const NAME: &'static str = "res.country";
//! #     const FIELDS: &'static [&'static str] = &[];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner {
//! #     const NAME: &'static str = "res.partner";
//! #     const FIELDS: &'static [&'static str] = &["child_ids", "country_id", "email", "id", "name"];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # pub const CHILD_IDS: Field<ResPartner, X2many<ResPartner>> = Field::new("child_ids");
//! # pub const COUNTRY_ID: Field<ResPartner, Many2one<ResCountry>> = Field::new("country_id");
//! # pub const EMAIL: Field<ResPartner, String> = Field::new("email");
//! # pub const NAME: Field<ResPartner, String> = Field::new("name");
//! # macro_rules! ResPartner {
//! #     ("child_ids") => { CHILD_IDS };
//! #     ("country_id") => { COUNTRY_ID };
//! #     ("email") => { EMAIL };
//! #     ("id") => { <ResPartner as openspp_client::Model>::ID };
//! #     ("name") => { NAME };
//! # }
//! #[derive(Debug, Record)]
//! #[record(model = ResPartner)]
//! struct Household {
//!     id: Id<ResPartner>,
//!     name: String,                              // never empty on this server: an error if it is
//!     email: Option<String>,                     // `None` when Odoo sends `False`
//!     country_id: Option<Many2one<ResCountry>>,
//!     #[record(rename = "child_ids")]
//!     members: X2many<ResPartner>,
//! }
//!
//! let body = br#"<methodResponse><params><param><value><array><data><value><struct>
//!   <member><name>id</name><value><int>7</int></value></member>
//!   <member><name>name</name><value><string>Arthurs</string></value></member>
//!   <member><name>email</name><value><boolean>0</boolean></value></member>
//!   <member><name>country_id</name><value><array><data>
//!     <value><int>20</int></value><value><string>Belgium</string></value>
//!   </data></array></value></member>
//!   <member><name>child_ids</name><value><array><data><value><int>8</int></value></data></array></value></member>
//! </struct></value></data></array></value></param></params></methodResponse>"#;
//! let rows: Vec<Household> = openspp_xmlrpc::from_response(body).unwrap().unwrap();
//! assert_eq!(Household::FIELDS, ["id", "name", "email", "country_id", "child_ids"]);
//! assert_eq!(rows[0].name, "Arthurs");
//! assert_eq!(rows[0].email, None);
//! assert_eq!(rows[0].country_id.as_ref().map(|c| c.id), Some(Id::new(20)));
//! assert_eq!(rows[0].members.ids, [Id::new(8)]);
//! ```
//!
//! With generated bindings, `repo.search_read(domain).records::<Household>()` and
//! `repo.read(&ids).records::<Household>()` request exactly the struct's fields and decode each
//! row into it; `.stream(n)` pages through records that have an `id` field.
//!
//! # What is checked at compile time
//!
//! - `#[record(model = ResPartner)]` names the generated model type (a path to it, or a `use`
//!   of it: the model's module exports a hidden macro of the same name that resolves fields).
//! - Each struct field is a field of the model, by its name or `#[record(rename = "...")]`:
//!   otherwise ``error: `res.partner` has no field `nmae` `` at the struct field.
//! - Each struct field's type is one the field reads into ([`ReadAs`], table below); otherwise
//!   ``error[E0277]: field `country_id` of `ResPartner` is a `Many2one<ResCountry>` field: it
//!   cannot be read into `Option<Many2one<ResPartner>>` `` at the field's type.
//!
//! # Which Rust types a field reads into
//!
//! Odoo sends `False` for an empty non-boolean field. `Option<V>` reads it as `None`; a bare `V`
//! states that the field is never empty, and a row where it is fails to decode (a
//! [`ProtocolError`](crate::ProtocolError) naming the record and field), never a made-up
//! `""` or `0`.
//!
//! | Odoo type (`T` in `Field<M, T>`) | struct field type |
//! |---|---|
//! | boolean (`bool`) | `bool` |
//! | integer (`i32`) | `i32` (Odoo sends `0` when empty) |
//! | float, monetary (`f64`) | `f64` (Odoo sends `0.0` when empty) |
//! | char, text, html (`String`) | `Option<String>` or `String` |
//! | date (`NaiveDate`), datetime (`NaiveDateTime`) | `Option<_>` or the bare type |
//! | binary ([`Binary`]), reference ([`Reference`]) | `Option<_>` or the bare type |
//! | selection ([`Selection<E>`]) | `Option<E>` or `E` (the generated enum) |
//! | many2one ([`Many2one<R>`]) | `Option<Many2one<R>>` or `Many2one<R>` |
//! | one2many, many2many ([`X2many<R>`]) | [`X2many<R>`] or `Vec<Id<R>>` (empty when none) |
//! | the `id` field (`Id<M>`) | `Id<M>` |
//! | untyped ([`Value`]) | [`Value`] (`false` when empty) |

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use openspp_xmlrpc::Value;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::typed::field::Field;
use crate::typed::model::{Id, Model};
use crate::typed::types::{
    Binary, FieldType, Many2one, Reference, Selection, SelectionEnum, X2many,
};

/// A program's own record struct, decoded straight from the wire by serde (the fastest
/// path: no intermediate tree). `FIELDS` are the names requested.
///
/// Derive it: `#[derive(Record)]` checks every field's name and type against the generated
/// model at compile time and writes `FIELDS` from the struct (see [`crate::typed::record`]). A
/// hand-written impl on a `serde::Deserialize` struct is unchecked: fields that can be empty
/// are `Option<T>` (Odoo sends `false`), dates use [`crate::typed::de`].
///
/// ```
/// use openspp_client::{Model, Record};
/// # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
/// # impl Model for ResPartner {
/// #     const NAME: &'static str = "res.partner";
/// #     const FIELDS: &'static [&'static str] = &["email", "name"];
/// #     const REQUIRED: &'static [&'static str] = &[];
/// # }
/// #[derive(serde::Deserialize)]
/// struct Contact {
///     id: i32,
///     name: String,
///     email: Option<String>,
/// }
/// impl Record for Contact {
///     type Model = ResPartner;
///     const FIELDS: &'static [&'static str] = &["name", "email"];
/// }
/// ```
pub trait Record: DeserializeOwned + Send + 'static {
    /// The model the record belongs to.
    type Model: Model;
    /// The field names to read.
    const FIELDS: &'static [&'static str];
}

/// A Rust type that a field of type `T` can be read into (the table in [`crate::typed::record`]).
///
/// `M` and `N` only serve the compile error of `#[derive(Record)]`, which passes the model and a
/// marker type named after the field so that the message names both.
#[diagnostic::on_unimplemented(
    message = "field `{N}` of `{M}` is a `{T}` field: it cannot be read into `{Self}`",
    label = "not a type a `{T}` field reads into",
    note = "a field reads into its value type, or `Option` of it when Odoo may send `False`: see the table in `openspp_client::record`"
)]
pub trait ReadAs<T: FieldType, M = (), N = ()>: Sized {
    /// Converts the decoded column value; `Err` says why it does not fit (an empty field
    /// read into a type that cannot be empty).
    fn from_read(read: T::Read) -> Result<Self, String>;
}

/// The value a read returns, as is.
macro_rules! read_as_itself {
    ($([$($gen:tt)*] $t:ty => $read:ty),* $(,)?) => {$(
        impl<$($gen)* M, N> ReadAs<$t, M, N> for $read {
            fn from_read(read: $read) -> Result<Self, String> {
                Ok(read)
            }
        }
    )*};
}

read_as_itself! {
    [] bool => bool,
    [] i32 => i32,
    [] f64 => f64,
    [] String => Option<String>,
    [] NaiveDate => Option<NaiveDate>,
    [] NaiveDateTime => Option<NaiveDateTime>,
    [] Binary => Option<Binary>,
    [] Reference => Option<Reference>,
    [] Value => Value,
    [I: Model,] Id<I> => Id<I>,
    [E: SelectionEnum,] Selection<E> => Option<E>,
    [R: Model,] Many2one<R> => Option<Many2one<R>>,
    [R: Model,] X2many<R> => Vec<Id<R>>,
}

/// The inner value of a field that may be empty, stated never to be: `False` is an error.
macro_rules! read_as_present {
    ($([$($gen:tt)*] $t:ty => $v:ty),* $(,)?) => {$(
        impl<$($gen)* M, N> ReadAs<$t, M, N> for $v {
            fn from_read(read: Option<$v>) -> Result<Self, String> {
                read.ok_or_else(|| {
                    "the field is empty (`False`); declare it `Option<...>` in the record struct"
                        .to_owned()
                })
            }
        }
    )*};
}

read_as_present! {
    [] String => String,
    [] NaiveDate => NaiveDate,
    [] NaiveDateTime => NaiveDateTime,
    [] Binary => Binary,
    [] Reference => Reference,
    [E: SelectionEnum,] Selection<E> => E,
    [R: Model,] Many2one<R> => Many2one<R>,
}

impl<R: Model, M, N> ReadAs<X2many<R>, M, N> for X2many<R> {
    fn from_read(ids: Vec<Id<R>>) -> Result<Self, String> {
        Ok(X2many { ids })
    }
}

/// Decodes one field of type `T` from the wire into `R` (serde, no tree in between), with the
/// conversion chosen where the field's type was checked against `R`.
#[doc(hidden)]
pub struct ReadSeed<T: FieldType, R> {
    convert: fn(T::Read) -> Result<R, String>,
}

impl<T: FieldType, R> fmt::Debug for ReadSeed<T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReadSeed")
    }
}

impl<M, T: FieldType, S, O, W> Field<M, T, S, O, W> {
    /// The decoder of this field into `R`; `N` names the field in the compile error when `R`
    /// does not fit. Called by `#[derive(Record)]`.
    #[doc(hidden)]
    pub fn reader<R: ReadAs<T, M, N>, N>(&self) -> ReadSeed<T, R> {
        ReadSeed {
            convert: R::from_read,
        }
    }
}

impl<'de, T: FieldType, R> DeserializeSeed<'de> for ReadSeed<T, R> {
    type Value = R;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<R, D::Error> {
        let wire = T::Wire::deserialize(deserializer)?;
        let read = T::from_wire(wire).map_err(de::Error::custom)?;
        (self.convert)(read).map_err(de::Error::custom)
    }
}

/// Support for the code `#[derive(Record)]` generates; not a public API.
#[doc(hidden)]
pub mod support {
    use super::*;

    pub use serde;

    /// Finds a member name among the record's fields without allocating: `Some(index)` into
    /// `fields`, `None` for a member the struct does not read (it is skipped).
    #[derive(Debug)]
    pub struct KeySeed(pub &'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for KeySeed {
        type Value = Option<usize>;
        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl Visitor<'_> for KeySeed {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
            Ok(self.0.iter().position(|field| *field == name))
        }
    }

    /// Reads the value of member `name` into `slot` with `seed` (a field's reader); a member
    /// sent twice is an error.
    pub fn fill<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
        map: &mut A,
        slot: &mut Option<S::Value>,
        name: &'static str,
        seed: S,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value_seed(seed)?);
        Ok(())
    }

    /// The value of member `name`, which the server must have sent.
    pub fn take<R, E: de::Error>(slot: Option<R>, name: &'static str) -> Result<R, E> {
        slot.ok_or_else(|| E::missing_field(name))
    }

    /// What the decoder expected: a record of model `M`.
    pub fn expecting<M: Model>(f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` record", M::NAME)
    }
}
