//! Odoo's JSON dialect as a serde `Deserializer` over serde_json's, so that a JSON answer is
//! decoded in one pass straight into the call's result type (typed rows, record structs,
//! [`Value`](openspp_xmlrpc::Value)) with the rules of the XML-RPC decoder:
//!
//! - `false` (Odoo's "empty") and `null` are `None` for an `Option` and `()` for a unit;
//! - integers that fit 32 bits are visited as `i32` (a [`Value::Int`](openspp_xmlrpc::Value)),
//!   larger ones as `i64` (`I8`), as XML-RPC's `<int>` and `<i8>`;
//! - everything else (many2one pairs, dates as strings) is plain JSON.
//!
//! A failure names the value path (`[12].country_id`), collected in a [`Trail`] while the
//! error unwinds through the containers.

use std::cell::RefCell;
use std::fmt;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I32Deserializer, I64Deserializer,
    MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, StringDeserializer,
    U64Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The value path of a failure, innermost segment first (pushed while unwinding).
#[derive(Debug, Default)]
pub(crate) struct Trail(RefCell<Vec<Segment>>);

#[derive(Debug)]
enum Segment {
    Index(usize),
    Key(String),
}

impl Trail {
    fn push(&self, segment: Segment) {
        self.0.borrow_mut().push(segment);
    }

    /// The path, outermost first (`[3].country_id`), or `None` at the top.
    pub(crate) fn path(&self) -> Option<String> {
        let segments = self.0.borrow();
        if segments.is_empty() {
            return None;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        Some(out)
    }
}

/// A deserializer of one JSON value in Odoo's dialect.
pub(crate) struct Dialect<'t, D> {
    de: D,
    trail: &'t Trail,
}

impl<'t, D> Dialect<'t, D> {
    pub(crate) fn new(de: D, trail: &'t Trail) -> Self {
        Self { de, trail }
    }
}

/// Forwards `deserialize_*` methods to the inner deserializer with the visitor wrapped.
macro_rules! forward_wrapped {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method($($arg,)* Wrap { v: visitor, trail: self.trail })
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Dialect<'_, D> {
    type Error = D::Error;

    forward_wrapped! {
        deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
        deserialize_i32(), deserialize_i64(), deserialize_i128(), deserialize_u8(),
        deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_u128(),
        deserialize_f32(), deserialize_f64(), deserialize_char(), deserialize_str(),
        deserialize_string(), deserialize_bytes(), deserialize_byte_buf(),
        deserialize_seq(), deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize), deserialize_map(),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_identifier(),
    }

    /// `false` and `null` are `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_any(OptionVisitor {
            v: visitor,
            trail: self.trail,
        })
    }

    /// `false` and `null` are `()`.
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_any(UnitVisitor(visitor))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.de.deserialize_enum(name, variants, visitor)
    }

    /// Skipped at serde_json's speed: nothing inside is built.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_ignored_any(visitor)
    }
}

/// A visitor that narrows integers and keeps the dialect inside containers.
struct Wrap<'t, V> {
    v: V,
    trail: &'t Trail,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.v.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match i32::try_from(v) {
            Ok(small) => self.v.visit_i32(small),
            Err(_) => self.v.visit_i64(v),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match (i32::try_from(v), i64::try_from(v)) {
            (Ok(small), _) => self.v.visit_i32(small),
            (_, Ok(wide)) => self.v.visit_i64(wide),
            _ => self.v.visit_u64(v),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.v.visit_f64(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.v.visit_str(v)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.v.visit_borrowed_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.v.visit_string(v)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.v.visit_bytes(v)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.v.visit_borrowed_bytes(v)
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.v.visit_byte_buf(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_none()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.v.visit_some(Dialect::new(d, self.trail))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.v.visit_newtype_struct(Dialect::new(d, self.trail))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.v.visit_seq(Seq::new(seq, self.trail))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.v.visit_map(Map::new(map, self.trail))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.v.visit_enum(data)
    }
}

/// `deserialize_option`: `false`/`null` are `visit_none`, anything else `visit_some` of a
/// deserializer of that value (still in the dialect).
struct OptionVisitor<'t, V> {
    v: V,
    trail: &'t Trail,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for OptionVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_none()
    }
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.v.visit_none()
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        if v {
            self.v.visit_some(BoolDeserializer::new(v))
        } else {
            self.v.visit_none()
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match i32::try_from(v) {
            Ok(small) => self.v.visit_some(I32Deserializer::new(small)),
            Err(_) => self.v.visit_some(I64Deserializer::new(v)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match (i32::try_from(v), i64::try_from(v)) {
            (Ok(small), _) => self.v.visit_some(I32Deserializer::new(small)),
            (_, Ok(wide)) => self.v.visit_some(I64Deserializer::new(wide)),
            _ => self.v.visit_some(U64Deserializer::new(v)),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.v.visit_some(F64Deserializer::new(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.v.visit_some(StrDeserializer::new(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.v.visit_some(BorrowedStrDeserializer::new(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.v.visit_some(StringDeserializer::new(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.v
            .visit_some(SeqAccessDeserializer::new(Seq::new(seq, self.trail)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.v
            .visit_some(MapAccessDeserializer::new(Map::new(map, self.trail)))
    }
}

/// `deserialize_unit`: `false` and `null`; anything else is the unit visitor's type error.
struct UnitVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for UnitVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or false")
    }
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        if v {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        } else {
            self.0.visit_unit()
        }
    }
}

/// The elements of an array, each in the dialect; a failure adds its index to the trail.
struct Seq<'t, A> {
    access: A,
    trail: &'t Trail,
    index: usize,
}

impl<'t, A> Seq<'t, A> {
    fn new(access: A, trail: &'t Trail) -> Self {
        Self {
            access,
            trail,
            index: 0,
        }
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let element = Seed {
            seed,
            trail: self.trail,
        };
        match self.access.next_element_seed(element) {
            Ok(value) => {
                self.index += 1;
                Ok(value)
            }
            Err(e) => {
                self.trail.push(Segment::Index(self.index));
                Err(e)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

/// A member name as read (borrowed from the body unless it had escapes).
enum Key<'de> {
    None,
    Borrowed(&'de str),
    Owned(String),
}

/// The members of an object, each value in the dialect; a failure adds the member's name.
struct Map<'t, 'de, A> {
    access: A,
    trail: &'t Trail,
    key: Key<'de>,
}

impl<'t, A> Map<'t, '_, A> {
    fn new(access: A, trail: &'t Trail) -> Self {
        Self {
            access,
            trail,
            key: Key::None,
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.key = Key::None;
        self.access.next_key_seed(KeySeed {
            seed,
            key: &mut self.key,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let value = Seed {
            seed,
            trail: self.trail,
        };
        self.access.next_value_seed(value).inspect_err(|_| {
            let name = match std::mem::replace(&mut self.key, Key::None) {
                Key::Borrowed(k) => k.to_owned(),
                Key::Owned(k) => k,
                Key::None => "?".to_owned(),
            };
            self.trail.push(Segment::Key(name));
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

/// Deserializes an element or member value in the dialect.
struct Seed<'t, S> {
    seed: S,
    trail: &'t Trail,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Dialect::new(d, self.trail))
    }
}

/// Reads a member name, keeping it for the trail.
struct KeySeed<'k, 'de, S> {
    seed: S,
    key: &'k mut Key<'de>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, 'de, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(KeyDeserializer {
            de: d,
            key: self.key,
        })
    }
}

struct KeyDeserializer<'k, 'de, D> {
    de: D,
    key: &'k mut Key<'de>,
}

macro_rules! forward_key {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.de.$method($($arg,)* visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDeserializer<'_, 'de, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_any(KeyVisitor {
            v: visitor,
            key: self.key,
        })
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_str(KeyVisitor {
            v: visitor,
            key: self.key,
        })
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_string(KeyVisitor {
            v: visitor,
            key: self.key,
        })
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_identifier(KeyVisitor {
            v: visitor,
            key: self.key,
        })
    }

    forward_key! {
        deserialize_bool(), deserialize_i8(), deserialize_i16(), deserialize_i32(),
        deserialize_i64(), deserialize_i128(), deserialize_u8(), deserialize_u16(),
        deserialize_u32(), deserialize_u64(), deserialize_u128(), deserialize_f32(),
        deserialize_f64(), deserialize_char(), deserialize_bytes(), deserialize_byte_buf(),
        deserialize_option(), deserialize_unit(), deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str), deserialize_seq(),
        deserialize_tuple(len: usize), deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map(), deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_ignored_any(),
    }
}

struct KeyVisitor<'k, 'de, V> {
    v: V,
    key: &'k mut Key<'de>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        *self.key = Key::Borrowed(v);
        self.v.visit_borrowed_str(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        *self.key = Key::Owned(v.to_owned());
        self.v.visit_str(v)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        *self.key = Key::Owned(v.clone());
        self.v.visit_string(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.v.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.v.visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.v.visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.v.visit_f64(v)
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.v.visit_bytes(v)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.v.visit_borrowed_bytes(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openspp_xmlrpc::{Struct, Value};
    use serde::Deserialize;

    fn decode<T: for<'de> Deserialize<'de>>(body: &str) -> Result<T, (String, Option<String>)> {
        let trail = Trail::default();
        let mut de = serde_json::Deserializer::from_str(body);
        T::deserialize(Dialect::new(&mut de, &trail))
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| (e.to_string(), trail.path()))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Partner {
        id: i32,
        name: String,
        email: Option<String>,
        country_id: Option<(i32, Option<String>)>,
        category_id: Vec<i32>,
    }

    #[test]
    fn odoo_false_is_none_and_pairs_are_tuples() {
        let rows: Vec<Partner> = decode(
            r#"[{"id": 7, "name": "Ada \"A\"", "email": false, "country_id": [21, "Belgium"],
                 "category_id": [1, 2]},
                {"id": 8, "name": "B", "email": "b@x", "country_id": [3, false], "category_id": []},
                {"id": 9, "name": "C", "email": null, "country_id": false, "category_id": []}]"#,
        )
        .unwrap();
        assert_eq!(rows[0].name, "Ada \"A\"");
        assert_eq!(rows[0].email, None);
        assert_eq!(rows[0].country_id, Some((21, Some("Belgium".into()))));
        assert_eq!(rows[1].country_id, Some((3, None)));
        assert_eq!(rows[1].email.as_deref(), Some("b@x"));
        assert_eq!(
            (rows[2].email.clone(), rows[2].country_id.clone()),
            (None, None)
        );
        let unit: () = decode("false").unwrap();
        assert_eq!(unit, ());
        assert!(decode::<()>("true").is_err());
    }

    #[test]
    fn values_are_those_of_the_xml_decoder() {
        let v: Value = decode(r#"[null, false, 7, 5000000000, -3, 1.5, "d", {"a": [1]}]"#).unwrap();
        assert_eq!(
            v,
            Value::Array(vec![
                Value::Nil,
                Value::Bool(false),
                Value::Int(7),
                Value::I8(5_000_000_000),
                Value::Int(-3),
                Value::Double(1.5),
                Value::String("d".into()),
                Value::Struct(Struct::from([(
                    "a".to_owned(),
                    Value::Array(vec![Value::Int(1)])
                )])),
            ])
        );
        let some: Option<Value> = decode("0").unwrap();
        assert_eq!(some, Some(Value::Int(0)));
        let wide: Option<i64> = decode("5000000000").unwrap();
        assert_eq!(wide, Some(5_000_000_000));
        assert!(decode::<Value>("18446744073709551615").is_err());
    }

    #[test]
    fn errors_name_the_value_path() {
        let (message, path) = decode::<Vec<Partner>>(
            r#"[{"id": 1, "name": "a", "email": false, "country_id": false, "category_id": []},
                {"id": 2, "name": false, "email": false, "country_id": false, "category_id": []}]"#,
        )
        .unwrap_err();
        assert_eq!(path.as_deref(), Some("[1].name"), "{message}");
        assert!(message.contains("expected a string"), "{message}");
        let (_, path) = decode::<Vec<Partner>>(
            r#"[{"id": 1, "name": "a", "email": false, "country_id": [1, 2], "category_id": []}]"#,
        )
        .unwrap_err();
        assert_eq!(path.as_deref(), Some("[0].country_id[1]"));
        let (_, path) = decode::<Struct>(r#"{"a\u0041": [1, {"x": }]}"#).unwrap_err();
        assert_eq!(
            path.as_deref(),
            Some("aA[1].x"),
            "escaped names are kept too"
        );
        let deep = "[".repeat(10_000);
        assert!(decode::<Value>(&deep).is_err(), "nesting is bounded");
    }
}
