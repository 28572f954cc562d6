//! The serde `Serializer` behind [`crate::to_value`]: any `T: Serialize` as a [`Value`], with
//! the mapping the XML writer uses (so encoding `T` and encoding `to_value(T)` agree).

use serde::ser::{self, Serialize};

use crate::datetime::{self, DateTime};
use crate::error::{Error, ErrorKind, Result, Segment};
use crate::value::{I8_TOKEN, Struct, Value};

/// Builds a [`Value`].
pub(crate) struct ToValue;

fn int(v: i128) -> Result<Value> {
    if let Ok(v) = i32::try_from(v) {
        Ok(Value::Int(v))
    } else if let Ok(v) = i64::try_from(v) {
        Ok(Value::I8(v))
    } else {
        Err(Error::new(
            ErrorKind::IntOutOfRange,
            format!("{v} does not fit an XML-RPC <i8>"),
        ))
    }
}

fn one_member(variant: &str, value: Value) -> Value {
    let mut members = Struct::new();
    members.insert(variant.to_owned(), value);
    Value::Struct(members)
}

impl ser::Serializer for ToValue {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqToValue;
    type SerializeTuple = SeqToValue;
    type SerializeTupleStruct = SeqToValue;
    type SerializeTupleVariant = SeqToValue;
    type SerializeMap = MapToValue;
    type SerializeStruct = MapToValue;
    type SerializeStructVariant = MapToValue;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }

    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }

    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Int(v))
    }

    fn serialize_i64(self, v: i64) -> Result<Value> {
        int(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<Value> {
        int(v)
    }

    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }

    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }

    fn serialize_u32(self, v: u32) -> Result<Value> {
        int(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<Value> {
        int(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<Value> {
        i128::try_from(v)
            .map_err(|_| {
                Error::new(
                    ErrorKind::IntOutOfRange,
                    format!("{v} does not fit an XML-RPC <i8>"),
                )
            })
            .and_then(int)
    }

    fn serialize_f32(self, v: f32) -> Result<Value> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<Value> {
        if v.is_finite() {
            Ok(Value::Double(v))
        } else {
            Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{v} cannot be an XML-RPC double"),
            ))
        }
    }

    fn serialize_char(self, v: char) -> Result<Value> {
        Ok(Value::String(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(Value::String(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::Base64(v.to_vec()))
    }

    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Nil)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Nil)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        Ok(Value::Nil)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(Value::String(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        let inner = value.serialize(ToValue)?;
        match (name, inner) {
            (datetime::TOKEN, Value::String(s)) => DateTime::parse_wire(&s).map(Value::DateTime),
            (datetime::TOKEN, other) => Err(Error::new(
                ErrorKind::UnexpectedType,
                format!(
                    "a DateTime token must wrap a string, not {}",
                    other.type_name()
                ),
            )),
            (I8_TOKEN, inner) => inner.as_i64().map(Value::I8).ok_or_else(|| {
                Error::new(
                    ErrorKind::UnexpectedType,
                    "an I8 token must wrap an integer",
                )
            }),
            (_, inner) => Ok(inner),
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value> {
        let inner = value
            .serialize(ToValue)
            .map_err(|e| e.within(Segment::Key(variant.to_owned())))?;
        Ok(one_member(variant, inner))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqToValue> {
        Ok(SeqToValue {
            items: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            variant: None,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqToValue> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqToValue> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqToValue> {
        Ok(SeqToValue {
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapToValue> {
        Ok(MapToValue {
            members: Struct::new(),
            key: None,
            variant: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapToValue> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapToValue> {
        Ok(MapToValue {
            members: Struct::new(),
            key: None,
            variant: Some(variant),
        })
    }
}

/// Array elements; `variant` wraps the array in a one-member struct (tuple variants).
pub(crate) struct SeqToValue {
    items: Vec<Value>,
    variant: Option<&'static str>,
}

impl SeqToValue {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.items.len();
        let v = value
            .serialize(ToValue)
            .map_err(|e| e.within(Segment::Index(index)))?;
        self.items.push(v);
        Ok(())
    }

    fn finish(self) -> Result<Value> {
        let array = Value::Array(self.items);
        Ok(match self.variant {
            Some(variant) => one_member(variant, array),
            None => array,
        })
    }
}

super::array_impls!(SeqToValue => Value, push, finish);

/// Struct members; `variant` wraps the struct in a one-member struct (struct variants).
pub(crate) struct MapToValue {
    members: Struct,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl MapToValue {
    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<()> {
        match value.serialize(ToValue) {
            Ok(v) => {
                self.members.insert(key, v);
                Ok(())
            }
            Err(e) => Err(e.within(Segment::Key(key))),
        }
    }

    fn finish(self) -> Result<Value> {
        let members = Value::Struct(self.members);
        Ok(match self.variant {
            Some(variant) => one_member(variant, members),
            None => members,
        })
    }
}

impl ser::SerializeMap for MapToValue {
    type Ok = Value;
    type Error = Error;

    /// Keys must come out as strings, as in Python's marshaller.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        match key.serialize(ToValue)? {
            Value::String(s) => {
                self.key = Some(s);
                Ok(())
            }
            _ => Err(Error::new(
                ErrorKind::UnexpectedType,
                "struct member names (map keys) must be strings",
            )),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error::new(ErrorKind::Custom, "map value serialized before its key"))?;
        self.insert(key, value)
    }

    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapToValue {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.insert(key.to_owned(), value)
    }

    fn end(self) -> Result<Value> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for MapToValue {
    type Ok = Value;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.insert(key.to_owned(), value)
    }

    fn end(self) -> Result<Value> {
        self.finish()
    }
}
