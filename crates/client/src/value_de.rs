//! A serde `Deserializer` over an owned [`Value`], with the codec's Odoo dialect (`false` is
//! `None`). Row columns are decoded with it without re-encoding them as XML.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use odoo_xmlrpc::Value;

/// Errors of [`from_value`]: serde's plain message error.
pub(crate) type DeError = de::value::Error;

/// Decodes `T` from `value`.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, DeError> {
    T::deserialize(ValueDe(value))
}

pub(crate) struct ValueDe(pub(crate) Value);

impl IntoDeserializer<'_, DeError> for ValueDe {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueDe {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Int(i) => visitor.visit_i32(i),
            Value::I8(i) => visitor.visit_i64(i),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Double(x) => visitor.visit_f64(x),
            Value::String(s) => visitor.visit_string(s),
            Value::DateTime(dt) => visitor.visit_string(dt.to_string()),
            Value::Base64(bytes) => visitor.visit_byte_buf(bytes),
            Value::Nil => visitor.visit_unit(),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter().map(ValueDe));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Struct(members) => {
                let mut map =
                    MapDeserializer::new(members.into_iter().map(|(k, v)| (k, ValueDe(v))));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Bool(false) | Value::Nil => visitor.visit_none(),
            other => visitor.visit_some(ValueDe(other)),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_false_is_none_and_pairs_are_tuples() {
        assert_eq!(
            from_value::<Option<String>>(Value::Bool(false)).unwrap(),
            None
        );
        assert!(from_value::<bool>(Value::Bool(false)).is_ok_and(|b| !b));
        let pair = Value::Array(vec![Value::Int(3), Value::String("BE".into())]);
        assert_eq!(
            from_value::<Option<(i32, String)>>(pair).unwrap(),
            Some((3, "BE".to_owned()))
        );
        assert!(from_value::<(i32, String)>(Value::Array(vec![Value::Int(1)])).is_err());
        assert!(from_value::<i32>(Value::String("x".into())).is_err());
    }
}
