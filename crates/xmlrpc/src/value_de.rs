//! `Value` as a serde `Deserializer`, with the same rules as decoding from the wire (Odoo's
//! `false` is `None`, `<dateTime.iso8601>` is recognised, enums from strings or one-member
//! structs), so `from_value(v)` and decoding straight from bytes always agree.

use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::error::{Error, ErrorKind, Result, Segment};
use crate::read::de::DateTimeAccess;
use crate::value::{Struct, Value};

/// Deserializes from an owned [`Value`]; see [`crate::from_value`].
#[derive(Debug)]
pub struct ValueDeserializer(Value);

impl From<Value> for ValueDeserializer {
    fn from(value: Value) -> Self {
        ValueDeserializer(value)
    }
}

impl<'de> IntoDeserializer<'de, Error> for Value {
    type Deserializer = ValueDeserializer;

    fn into_deserializer(self) -> ValueDeserializer {
        ValueDeserializer(self)
    }
}

fn unexpected(value: &Value, expected: &str) -> Error {
    Error::new(
        ErrorKind::UnexpectedType,
        format!("found {}, expected {expected}", value.type_name()),
    )
}

impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Int(i) => visitor.visit_i32(i),
            Value::I8(i) => visitor.visit_i64(i),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Double(d) => visitor.visit_f64(d),
            Value::String(s) => visitor.visit_string(s),
            Value::DateTime(dt) => visitor.visit_map(DateTimeAccess(Some(dt))),
            Value::Base64(b) => visitor.visit_byte_buf(b),
            Value::Nil => visitor.visit_unit(),
            Value::Array(items) => {
                let mut seq = SeqAccess {
                    iter: items.into_iter(),
                    index: 0,
                };
                let value = visitor.visit_seq(&mut seq)?;
                match seq.iter.len() {
                    0 => Ok(value),
                    left => Err(Error::new(
                        ErrorKind::UnexpectedShape,
                        format!(
                            "array has {left} more elements than the {} expected",
                            seq.index
                        ),
                    )),
                }
            }
            Value::Struct(members) => {
                let mut map = MapAccess {
                    iter: members.into_iter(),
                    value: None,
                    key: String::new(),
                };
                let value = visitor.visit_map(&mut map)?;
                match map.iter.len() {
                    0 => Ok(value),
                    _ => Err(Error::new(
                        ErrorKind::UnexpectedShape,
                        "struct has more members than expected",
                    )),
                }
            }
        }
    }

    /// Odoo's `false` (and nil) is `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Bool(false) | Value::Nil => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::Bool(false) | Value::Nil => visitor.visit_unit(),
            other => Err(unexpected(&other, "nil or false")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Value::DateTime(dt) => visitor.visit_string(dt.to_string()),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(StringDeserializer::<Error>::new(s)),
            Value::Struct(members) if members.len() == 1 => visitor.visit_enum(EnumAccess(members)),
            other => Err(unexpected(&other, "a string or a one-member struct (enum)")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf seq tuple tuple_struct map struct identifier
    }
}

struct SeqAccess {
    iter: std::vec::IntoIter<Value>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(value) = self.iter.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(ValueDeserializer(value))
            .map(Some)
            .map_err(|e| e.within(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct MapAccess {
    iter: std::collections::btree_map::IntoIter<String, Value>,
    value: Option<Value>,
    /// The current member name, kept for error paths.
    key: String,
}

impl<'de> de::MapAccess<'de> for MapAccess {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.key = key;
        self.value = Some(value);
        seed.deserialize(StrDeserializer::<Error>::new(&self.key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = self.value.take().ok_or_else(|| {
            Error::new(ErrorKind::Custom, "struct value requested before its name")
        })?;
        seed.deserialize(ValueDeserializer(value))
            .map_err(|e| e.within(Segment::Key(self.key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An externally tagged enum: a one-member struct `{variant: value}`.
struct EnumAccess(Struct);

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = Error;
    type Variant = VariantAccess;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantAccess)> {
        let Some((variant, value)) = self.0.into_iter().next() else {
            return Err(Error::new(
                ErrorKind::UnexpectedShape,
                "empty struct where an enum variant was expected",
            ));
        };
        let tag = seed.deserialize(StrDeserializer::<Error>::new(&variant))?;
        Ok((tag, VariantAccess { variant, value }))
    }
}

struct VariantAccess {
    variant: String,
    value: Value,
}

impl<'de> de::VariantAccess<'de> for VariantAccess {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserializer::deserialize_unit(ValueDeserializer(self.value), de::IgnoredAny)
            .map(|_| ())
            .map_err(|e| e.within(Segment::Key(self.variant)))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(ValueDeserializer(self.value))
            .map_err(|e| e.within(Segment::Key(self.variant)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(ValueDeserializer(self.value), visitor)
            .map_err(|e| e.within(Segment::Key(self.variant)))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(ValueDeserializer(self.value), visitor)
            .map_err(|e| e.within(Segment::Key(self.variant)))
    }
}
