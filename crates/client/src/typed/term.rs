//! [`Term`]: a value on its way to the server (domain operand, written value, command).

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// An already-typed value in Odoo's wire shapes, built by the typed API and serialized by
/// the codec. Opaque on purpose: programs build it through fields, not by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Term(pub(crate) Inner);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inner {
    Bool(bool),
    Int(i32),
    Float(f64),
    Str(String),
    List(Vec<Term>),
    Map(Vec<(&'static str, Term)>),
    /// An untyped value (json, properties, … fields), sent as is.
    Raw(openspp_xmlrpc::Value),
}

impl Term {
    pub(crate) fn bool(b: bool) -> Self {
        Self(Inner::Bool(b))
    }
    pub(crate) fn int(i: i32) -> Self {
        Self(Inner::Int(i))
    }
    pub(crate) fn float(x: f64) -> Self {
        Self(Inner::Float(x))
    }
    pub(crate) fn str(s: impl Into<String>) -> Self {
        Self(Inner::Str(s.into()))
    }
    pub(crate) fn list(items: Vec<Term>) -> Self {
        Self(Inner::List(items))
    }
    pub(crate) fn map(members: Vec<(&'static str, Term)>) -> Self {
        Self(Inner::Map(members))
    }
    pub(crate) fn raw(value: openspp_xmlrpc::Value) -> Self {
        Self(Inner::Raw(value))
    }
    /// Odoo's "empty": `False`, which clears a field or matches unset values.
    pub(crate) fn empty() -> Self {
        Self::bool(false)
    }

    /// JSON-like rendering, used by `Display` of domains.
    pub(crate) fn fmt_literal(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Bool(b) => write!(f, "{b}"),
            Inner::Int(i) => write!(f, "{i}"),
            Inner::Float(x) => write!(f, "{x:?}"),
            Inner::Str(s) => write!(f, "{s:?}"),
            Inner::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    item.fmt_literal(f)?;
                }
                f.write_str("]")
            }
            Inner::Raw(value) => write!(f, "{value:?}"),
            Inner::Map(members) => {
                f.write_str("{")?;
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name:?}: ")?;
                    value.fmt_literal(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Inner::Bool(b) => serializer.serialize_bool(*b),
            Inner::Int(i) => serializer.serialize_i32(*i),
            Inner::Float(x) => serializer.serialize_f64(*x),
            Inner::Str(s) => serializer.serialize_str(s),
            Inner::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Inner::Raw(value) => value.serialize(serializer),
            Inner::Map(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}
