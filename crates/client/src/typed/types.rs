//! Field value types: what each Odoo field type reads as, and which Rust values may be
//! compared with it in a domain ([`QueryValue`]) or written to it ([`WriteValue`]).
//!
//! | Odoo type | `T` in `Field<M, T>` | read as |
//! |---|---|---|
//! | boolean | `bool` | `bool` |
//! | integer, many2one_reference | `i32` | `i32` |
//! | float, monetary | `f64` | `f64` |
//! | char, text, html | `String` | `Option<String>` |
//! | date | `chrono::NaiveDate` | `Option<NaiveDate>` (`YYYY-MM-DD` on the wire) |
//! | datetime | `chrono::NaiveDateTime` | `Option<NaiveDateTime>` (UTC, `YYYY-MM-DD HH:MM:SS`) |
//! | binary | [`Binary`] | `Option<Binary>` (base64 text) |
//! | selection | [`Selection<E>`] | `Option<E>` |
//! | many2one | [`Many2one<R>`] | `Option<Many2one<R>>` |
//! | one2many, many2many | [`X2many<R>`] | `Vec<Id<R>>` |
//! | reference | [`Reference`] | `Option<Reference>` |
//! | json, properties, serialized, others | [`Value`] | `Value` (as sent, `false` when empty) |
//!
//! Odoo sends `false` for every empty non-boolean field; that is `None` here.

use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use chrono::{NaiveDate, NaiveDateTime};
use openspp_xmlrpc::Value;
use serde::de::{self, DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::typed::model::{Id, Model};
use crate::typed::term::Term;
use crate::typed::values::Command;

/// Odoo's date format on the wire.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// Odoo's datetime format on the wire (naive UTC).
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The Rust side of an Odoo field type: what a read returns and how it is decoded.
pub trait FieldType: 'static {
    /// The value a read returns for this field.
    type Read;
    /// The shape the server sends, decoded by serde before [`FieldType::from_wire`].
    #[doc(hidden)]
    type Wire: DeserializeOwned;
    /// Turns the wire shape into the read value; `Err` describes a malformed value.
    #[doc(hidden)]
    fn from_wire(wire: Self::Wire) -> Result<Self::Read, String>;
}

/// A value that may be compared with a field of type `T` in a domain.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a field of type `{T}`",
    label = "this value does not have the field's type",
    note = "domain values must have the field's type: `String`/`&str` for text, `Id<Model>` for relations, the generated enum for selections"
)]
pub trait QueryValue<T> {
    /// The value in Odoo's wire shape.
    fn into_term(self) -> Term;
}

/// A value that may be written to (or given at create for) a field of type `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written to a field of type `{T}`",
    label = "this value does not have the field's type",
    note = "relations take `Id<Target>` (many2one) or `Command<Target>`s (x2many); `None` clears a field that can be empty"
)]
pub trait WriteValue<T> {
    /// The value in Odoo's wire shape.
    fn into_term(self) -> Term;
}

/// Field types that can be empty (`False` on the wire): they support `is_set`, and writing `None`.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` field is never empty: Odoo stores 0/false, not `False`-as-empty",
    label = "not available for this field type"
)]
pub trait Nullable: FieldType {}
/// Field types with an order: `<`, `<=`, `>`, `>=` apply.
#[diagnostic::on_unimplemented(
    message = "`<`, `<=`, `>`, `>=` do not apply to a `{Self}` field",
    label = "this field type has no order"
)]
pub trait Ordered: FieldType {}
/// Field types matched by text patterns (`like`, `ilike`, …): text, and relations by display name.
#[diagnostic::on_unimplemented(
    message = "text patterns (`like`, `ilike`, …) do not apply to a `{Self}` field",
    label = "only text fields and relations (by display name) match patterns"
)]
pub trait TextLike: FieldType {}
/// Relational field types: they support `any`, `child_of`, `parent_of` and dotted paths.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` field is not a relation",
    label = "`any`, `child_of`, `parent_of` and `.dot()` need a many2one, one2many or many2many field"
)]
pub trait Relational: FieldType {
    /// The model the field points to.
    type Target: Model;
}

macro_rules! same_type_values {
    ($field:ty: $($value:ty => |$v:ident| $term:expr),* $(,)?) => {$(
        impl QueryValue<$field> for $value {
            fn into_term(self) -> Term {
                let $v = self;
                $term
            }
        }
        impl WriteValue<$field> for $value {
            fn into_term(self) -> Term {
                let $v = self;
                $term
            }
        }
    )*};
}

// ---- scalar types -------------------------------------------------------------------------

impl FieldType for bool {
    type Read = bool;
    type Wire = bool;
    fn from_wire(wire: bool) -> Result<bool, String> {
        Ok(wire)
    }
}
same_type_values!(bool: bool => |v| Term::bool(v));

impl FieldType for i32 {
    type Read = i32;
    type Wire = Number;
    fn from_wire(wire: Number) -> Result<i32, String> {
        match wire {
            Number::Int(i) => i32::try_from(i).map_err(|_| format!("integer {i} out of range")),
            Number::Zero => Ok(0),
            Number::Float(x) => Err(format!("expected an integer, got {x}")),
        }
    }
}
impl Ordered for i32 {}
same_type_values!(i32: i32 => |v| Term::int(v));

impl FieldType for f64 {
    type Read = f64;
    type Wire = Number;
    fn from_wire(wire: Number) -> Result<f64, String> {
        Ok(match wire {
            // Integral floats may come as <int> from hand-written servers; precision is kept.
            Number::Int(i) => i as f64,
            Number::Zero => 0.0,
            Number::Float(x) => x,
        })
    }
}
impl Ordered for f64 {}
same_type_values!(f64: f64 => |v| Term::float(v));

impl FieldType for String {
    type Read = Option<String>;
    type Wire = Option<String>;
    fn from_wire(wire: Option<String>) -> Result<Option<String>, String> {
        Ok(wire)
    }
}
impl Nullable for String {}
impl Ordered for String {}
impl TextLike for String {}
same_type_values!(String:
    String => |v| Term::str(v),
    &str => |v| Term::str(v),
    &String => |v| Term::str(v.as_str()),
);

impl FieldType for NaiveDate {
    type Read = Option<NaiveDate>;
    type Wire = Option<String>;
    fn from_wire(wire: Option<String>) -> Result<Option<NaiveDate>, String> {
        wire.map(|s| {
            NaiveDate::parse_from_str(&s, DATE_FORMAT)
                .map_err(|e| format!("invalid date {s:?}: {e}"))
        })
        .transpose()
    }
}
impl Nullable for NaiveDate {}
impl Ordered for NaiveDate {}
same_type_values!(NaiveDate: NaiveDate => |v| Term::str(v.format(DATE_FORMAT).to_string()));

impl FieldType for NaiveDateTime {
    type Read = Option<NaiveDateTime>;
    type Wire = Option<String>;
    fn from_wire(wire: Option<String>) -> Result<Option<NaiveDateTime>, String> {
        wire.map(|s| {
            NaiveDateTime::parse_from_str(&s, DATETIME_FORMAT)
                .map_err(|e| format!("invalid datetime {s:?}: {e}"))
        })
        .transpose()
    }
}
impl Nullable for NaiveDateTime {}
impl Ordered for NaiveDateTime {}
same_type_values!(NaiveDateTime: NaiveDateTime => |v| Term::str(v.format(DATETIME_FORMAT).to_string()));

/// A number as the server may send it: Odoo uses `<int>`/`<double>`, and `False` for "unset".
#[doc(hidden)]
#[derive(Debug)]
pub enum Number {
    Int(i64),
    Float(f64),
    Zero,
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or false")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                i64::try_from(v)
                    .map(Number::Int)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number::Float(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Number, E> {
                if v {
                    Err(E::invalid_type(de::Unexpected::Bool(true), &self))
                } else {
                    Ok(Number::Zero)
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

// ---- ids ----------------------------------------------------------------------------------

impl<M: Model> FieldType for Id<M> {
    type Read = Id<M>;
    type Wire = Id<M>;
    fn from_wire(wire: Id<M>) -> Result<Id<M>, String> {
        Ok(wire)
    }
}
impl<M: Model> Ordered for Id<M> {}
impl<M: Model> QueryValue<Id<M>> for Id<M> {
    fn into_term(self) -> Term {
        Term::int(self.get())
    }
}

// ---- binary -------------------------------------------------------------------------------

/// A binary field's content, kept as the base64 text Odoo sends (decoded only on demand,
/// since images are often read and never looked at).
#[derive(Clone, PartialEq, Eq)]
pub struct Binary {
    base64: String,
}

impl Binary {
    /// Encodes raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self {
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
    /// Wraps base64 text as received from (or meant for) the server.
    pub fn from_base64(base64: impl Into<String>) -> Self {
        Self {
            base64: base64.into(),
        }
    }
    /// The base64 text.
    pub fn as_base64(&self) -> &str {
        &self.base64
    }
    /// Decodes the content.
    pub fn to_bytes(&self) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::STANDARD.decode(self.base64.trim())
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} base64 chars)", self.base64.len())
    }
}

impl FieldType for Binary {
    type Read = Option<Binary>;
    type Wire = Option<String>;
    fn from_wire(wire: Option<String>) -> Result<Option<Binary>, String> {
        Ok(wire.map(Binary::from_base64))
    }
}
impl Nullable for Binary {}
impl WriteValue<Binary> for Binary {
    fn into_term(self) -> Term {
        Term::str(self.base64)
    }
}
impl WriteValue<Binary> for &[u8] {
    fn into_term(self) -> Term {
        Binary::from_bytes(self).into_term()
    }
}

// ---- selection ----------------------------------------------------------------------------

/// A generated selection enum: one variant per known key plus a catch-all that keeps keys
/// a newer server may send, so an unknown value is data, never a crash.
pub trait SelectionEnum: Sized + Clone + Send + Sync + 'static {
    /// The keys known when the binding was generated.
    const KEYS: &'static [&'static str];
    /// The variant for `key`; unknown keys go to the catch-all variant.
    fn from_key(key: &str) -> Self;
    /// The key sent to the server.
    fn key(&self) -> &str;
}

/// Field type marker of a selection field whose values are the enum `E`.
pub struct Selection<E>(PhantomData<fn() -> E>);

impl<E> fmt::Debug for Selection<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Selection")
    }
}

impl<E: SelectionEnum> FieldType for Selection<E> {
    type Read = Option<E>;
    type Wire = Option<SelectionKey>;
    fn from_wire(wire: Option<SelectionKey>) -> Result<Option<E>, String> {
        Ok(wire.map(|k| E::from_key(&k.0)))
    }
}
impl<E: SelectionEnum> Nullable for Selection<E> {}
impl<E: SelectionEnum> QueryValue<Selection<E>> for E {
    fn into_term(self) -> Term {
        Term::str(self.key())
    }
}
impl<E: SelectionEnum> WriteValue<Selection<E>> for E {
    fn into_term(self) -> Term {
        Term::str(self.key())
    }
}

/// A selection key: a string, or an integer key (a few Odoo selections use them) as text.
#[doc(hidden)]
#[derive(Debug)]
pub struct SelectionKey(String);

impl<'de> Deserialize<'de> for SelectionKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = SelectionKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a selection key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SelectionKey, E> {
                Ok(SelectionKey(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<SelectionKey, E> {
                Ok(SelectionKey(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SelectionKey, E> {
                Ok(SelectionKey(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SelectionKey, E> {
                Ok(SelectionKey(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

// ---- many2one -----------------------------------------------------------------------------

/// The value of a many2one field: the target id and its display name, as `read` returns it
/// (`[id, "name"]`). Written as the bare id; cleared by writing `None` (`False` on the wire).
pub struct Many2one<R> {
    /// The target record.
    pub id: Id<R>,
    /// Its display name at read time. `None` when the server sent none: `[id, False]` (Odoo's
    /// `Many2one.convert_to_read` sends `display_name`, which is `False` when the record's
    /// `_rec_name` field is empty, e.g. some `mail.notification` messages) or a bare id
    /// (`read(load=None)`). `Some("")` only when the server sent an empty string.
    pub name: Option<String>,
}

impl<R> Clone for Many2one<R> {
    fn clone(&self) -> Self {
        Self {
            id: self.id,
            name: self.name.clone(),
        }
    }
}
impl<R> PartialEq for Many2one<R> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.name == other.name
    }
}
impl<R> fmt::Debug for Many2one<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Many2one({}, {:?})", self.id.get(), self.name)
    }
}

impl<'de, R> Deserialize<'de> for Many2one<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<R>(PhantomData<fn() -> R>);
        impl<'de, R> Visitor<'de> for V<R> {
            type Value = Many2one<R>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a many2one [id, name] or an id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                let id = i32::try_from(v).map_err(|_| E::custom("id out of range"))?;
                Ok(Many2one {
                    id: Id::new(id),
                    name: None,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                let id = i32::try_from(v).map_err(|_| E::custom("id out of range"))?;
                self.visit_i64(i64::from(id))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let id: i32 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                // `False` (no display name) decodes as `None`, never as `""`.
                let name: Option<String> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(3, &self));
                }
                Ok(Many2one {
                    id: Id::new(id),
                    name,
                })
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

impl<R: Model> FieldType for Many2one<R> {
    type Read = Option<Many2one<R>>;
    type Wire = Option<Many2one<R>>;
    fn from_wire(wire: Self::Wire) -> Result<Self::Read, String> {
        Ok(wire)
    }
}
impl<R: Model> Nullable for Many2one<R> {}
impl<R: Model> TextLike for Many2one<R> {}
impl<R: Model> Relational for Many2one<R> {
    type Target = R;
}
impl<R: Model> QueryValue<Many2one<R>> for Id<R> {
    fn into_term(self) -> Term {
        Term::int(self.get())
    }
}
impl<R: Model> WriteValue<Many2one<R>> for Id<R> {
    fn into_term(self) -> Term {
        Term::int(self.get())
    }
}
impl<R: Model> QueryValue<Many2one<R>> for &Many2one<R> {
    fn into_term(self) -> Term {
        Term::int(self.id.get())
    }
}
impl<R: Model> WriteValue<Many2one<R>> for &Many2one<R> {
    fn into_term(self) -> Term {
        Term::int(self.id.get())
    }
}

// ---- x2many -------------------------------------------------------------------------------

/// A one2many or many2many field to `R`: the field type of `Field<M, X2many<R>>` (written
/// with [`Command`]s, read by `.fields(...)` as `Vec<Id<R>>`), and the value a record struct
/// reads it into (see [`crate::typed::record`]): the related ids, in the server's order.
pub struct X2many<R> {
    /// The related records.
    pub ids: Vec<Id<R>>,
}

impl<R> Clone for X2many<R> {
    fn clone(&self) -> Self {
        Self {
            ids: self.ids.clone(),
        }
    }
}
impl<R> PartialEq for X2many<R> {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}
impl<R> fmt::Debug for X2many<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("X2many").field(&self.ids).finish()
    }
}

impl<R: Model> FieldType for X2many<R> {
    type Read = Vec<Id<R>>;
    type Wire = Vec<Id<R>>;
    fn from_wire(wire: Vec<Id<R>>) -> Result<Vec<Id<R>>, String> {
        Ok(wire)
    }
}
impl<R: Model> TextLike for X2many<R> {}
impl<R: Model> Relational for X2many<R> {
    type Target = R;
}
impl<R: Model> QueryValue<X2many<R>> for Id<R> {
    fn into_term(self) -> Term {
        Term::int(self.get())
    }
}
impl<R: Model> WriteValue<X2many<R>> for Command<R> {
    fn into_term(self) -> Term {
        Term::list(vec![self.into_term()])
    }
}
impl<R: Model> WriteValue<X2many<R>> for Vec<Command<R>> {
    fn into_term(self) -> Term {
        Term::list(self.into_iter().map(Command::into_term).collect())
    }
}
impl<R: Model, const N: usize> WriteValue<X2many<R>> for [Command<R>; N] {
    fn into_term(self) -> Term {
        Term::list(self.into_iter().map(Command::into_term).collect())
    }
}

// ---- reference ----------------------------------------------------------------------------

/// The value of a reference field: any model's record, `"model,id"` on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Technical name of the target model.
    pub model: String,
    /// Id of the target record.
    pub id: i32,
}

impl Reference {
    /// A reference to a typed record.
    pub fn to<M: Model>(id: Id<M>) -> Self {
        Self {
            model: M::NAME.to_owned(),
            id: id.get(),
        }
    }
}

impl FieldType for Reference {
    type Read = Option<Reference>;
    type Wire = Option<String>;
    fn from_wire(wire: Option<String>) -> Result<Option<Reference>, String> {
        wire.map(|s| {
            let (model, id) = s
                .rsplit_once(',')
                .ok_or_else(|| format!("invalid reference {s:?}: expected \"model,id\""))?;
            let id = id
                .trim()
                .parse()
                .map_err(|e| format!("invalid reference {s:?}: {e}"))?;
            Ok(Reference {
                model: model.to_owned(),
                id,
            })
        })
        .transpose()
    }
}
impl Nullable for Reference {}
same_type_values!(Reference: Reference => |v| Term::str(format!("{},{}", v.model, v.id)));

// ---- untyped ------------------------------------------------------------------------------

/// Field type of fields without a typed mapping (`json`, `properties`,
/// `properties_definition`, `serialized`, `job_serialized`, and types a newer server or an
/// addon adds, such as `geo_point`): read as the XML-RPC value the server sent (`false` when
/// empty), written and compared as the value given.
impl FieldType for Value {
    type Read = Value;
    type Wire = Value;
    fn from_wire(wire: Value) -> Result<Value, String> {
        Ok(wire)
    }
}
impl Nullable for Value {}
same_type_values!(Value: Value => |v| Term::raw(v));

// ---- clearing -----------------------------------------------------------------------------

impl<T: Nullable, V: WriteValue<T>> WriteValue<T> for Option<V> {
    fn into_term(self) -> Term {
        self.map_or_else(Term::empty, V::into_term)
    }
}
