//! The dynamic [`Value`] model and the documents built from it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::datetime::{self, DateTime};
use crate::fault::Fault;

/// The newtype-struct name by which the serializers recognise [`Value::I8`], so that it keeps
/// its `<i8>` tag even when it would fit an `<int>`.
pub(crate) const I8_TOKEN: &str = "$openspp_xmlrpc::private::I8";

/// The members of a `<struct>`: names to values (member order is not significant in XML-RPC).
pub type Struct = BTreeMap<String, Value>;

/// Any XML-RPC value.
///
/// `Value` is `Serialize` and `Deserialize`, so it can stand in for any part of a typed value
/// (for example a catch-all `#[serde(flatten)] rest: Struct`).
///
/// ```
/// use openspp_xmlrpc::{from_response, Value};
/// let body = b"<methodResponse><params><param><value><array><data>\
///     <value><int>7</int></value><value>Seven</value></data></array></value></param></params></methodResponse>";
/// let v: Value = from_response(body).unwrap().unwrap();
/// assert_eq!(v, Value::Array(vec![Value::Int(7), Value::String("Seven".into())]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `<int>` or `<i4>` (also `<i1>`, `<i2>` on input).
    Int(i32),
    /// `<i8>` or `<ex:i8>`, 64-bit.
    I8(i64),
    /// `<boolean>`.
    Bool(bool),
    /// `<double>` (also `<float>` on input); always finite.
    Double(f64),
    /// `<string>` or an untyped `<value>`.
    String(String),
    /// `<dateTime.iso8601>`.
    DateTime(DateTime),
    /// `<base64>`, decoded.
    Base64(Vec<u8>),
    /// `<nil/>` or `<ex:nil/>`.
    Nil,
    /// `<array>`.
    Array(Vec<Value>),
    /// `<struct>`.
    Struct(Struct),
}

impl Value {
    /// The XML-RPC type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::I8(_) => "i8",
            Value::Bool(_) => "boolean",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::DateTime(_) => "dateTime.iso8601",
            Value::Base64(_) => "base64",
            Value::Nil => "nil",
            Value::Array(_) => "array",
            Value::Struct(_) => "struct",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is an `Int` or `I8`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i64::from(i)),
            Value::I8(i) => Some(i),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is a struct.
    pub fn as_struct(&self) -> Option<&Struct> {
        match self {
            Value::Struct(s) => Some(s),
            _ => None,
        }
    }
}

macro_rules! from_impls {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(x: $t) -> Self {
                Value::$v(x.into())
            }
        }
    )*};
}

from_impls! {
    i32 => Int, i16 => Int, u16 => Int, i8 => Int, u8 => Int, i64 => I8, bool => Bool, f64 => Double,
    String => String, &str => String, DateTime => DateTime, Vec<Value> => Array, Struct => Struct,
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(i) => serializer.serialize_i32(*i),
            Value::I8(i) => serializer.serialize_newtype_struct(I8_TOKEN, i),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Double(d) => serializer.serialize_f64(*d),
            Value::String(s) => serializer.serialize_str(s),
            Value::DateTime(dt) => dt.serialize(serializer),
            Value::Base64(b) => serializer.serialize_bytes(b),
            Value::Nil => serializer.serialize_none(),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Struct(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any XML-RPC value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i8<E: de::Error>(self, v: i8) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i16<E: de::Error>(self, v: i16) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i32<E: de::Error>(self, v: i32) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    /// The codec's deserializers call `visit_i64` only for `<i8>`, so it stays an `I8`.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::I8(v))
    }

    fn visit_u8<E: de::Error>(self, v: u8) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u16<E: de::Error>(self, v: u16) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u32<E: de::Error>(self, v: u32) -> Result<Value, E> {
        Ok(i32::try_from(v).map_or(Value::I8(v.into()), Value::Int))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::I8)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &"an integer within i64"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Base64(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Base64(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Struct::new();
        let Some(first) = map.next_key::<Cow<'de, str>>()? else {
            return Ok(Value::Struct(members));
        };
        if first == datetime::TOKEN {
            let text: Cow<'de, str> = map.next_value()?;
            return DateTime::parse_wire(&text)
                .map(Value::DateTime)
                .map_err(|e| de::Error::custom(e.message()));
        }
        members.insert(first.into_owned(), map.next_value()?);
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            members.insert(k, v);
        }
        Ok(Value::Struct(members))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// A `<methodCall>`: a method name and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodCall {
    /// `<methodName>`.
    pub method: String,
    /// One value per `<param>`, in order.
    pub params: Vec<Value>,
}

/// Any XML-RPC document, as [`parse_document`](crate::parse_document) reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A `<methodCall>`.
    Call(MethodCall),
    /// A `<methodResponse>` with its one value.
    Response(Value),
    /// A `<methodResponse>` carrying a `<fault>`.
    Fault(Fault),
}
