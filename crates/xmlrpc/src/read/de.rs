//! The serde `Deserializer` that fills any `T: Deserialize` straight from the scanner, with no
//! intermediate tree. It is positioned inside a `<value>` (after its start tag); reading a
//! value consumes everything up to and including the matching `</value>`.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::binary;
use crate::datetime::{self, DateTime};
use crate::error::{Error, ErrorKind, Result, Segment};
use crate::read::scalar;
use crate::read::scanner::{Scanner, Tag, Text, describe};

/// What a `<value>` holds, as far as it has been read: scalars completely (the value is
/// closed), containers up to their first element.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Head<'de> {
    Int(i32),
    I8(i64),
    Bool(bool),
    Double(f64),
    Str(Text<'de>),
    DateTime(DateTime),
    /// Base64 text, decoded only when visited.
    Base64(Text<'de>),
    Nil,
    /// After `<array><data>`; `empty` for `<data/>`.
    Array {
        empty: bool,
    },
    /// After `<struct>`; `empty` for `<struct/>`.
    Struct {
        empty: bool,
    },
}

impl Head<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Head::Int(_) => "int",
            Head::I8(_) => "i8",
            Head::Bool(_) => "boolean",
            Head::Double(_) => "double",
            Head::Str(_) => "string",
            Head::DateTime(_) => "dateTime.iso8601",
            Head::Base64(_) => "base64",
            Head::Nil => "nil",
            Head::Array { .. } => "array",
            Head::Struct { .. } => "struct",
        }
    }
}

/// Deserializer over one document.
pub(crate) struct Deserializer<'de> {
    pub(crate) sc: Scanner<'de>,
    depth: usize,
    max_depth: usize,
    /// A head read ahead (by `deserialize_option`, or `Str("")` for `<value/>`).
    peeked: Option<(Head<'de>, usize)>,
    /// Reused buffer for base64 decoding.
    bytes: Vec<u8>,
}

impl<'de> Deserializer<'de> {
    pub(crate) fn new(src: &'de str, max_depth: usize) -> Self {
        Deserializer {
            sc: Scanner::new(src),
            depth: 0,
            max_depth,
            peeked: None,
            bytes: Vec::new(),
        }
    }

    /// Expects `<value>` next; afterwards the deserializer is ready to read that value.
    pub(crate) fn open_value(&mut self) -> Result<()> {
        if self.sc.open(b"<value>", "value")? {
            self.peeked = Some((Head::Str(Text::Borrowed("")), self.sc.pos()));
        }
        Ok(())
    }

    /// Reads (or takes the read-ahead) head of the current value.
    fn head(&mut self) -> Result<(Head<'de>, usize)> {
        if let Some(h) = self.peeked.take() {
            return Ok(h);
        }
        let at = self.sc.pos();
        if !self.sc.at_start_tag() {
            let text = self.sc.read_text(true)?;
            if self.sc.at_end_tag() {
                self.sc.close(b"</value>", "value")?;
                return Ok((Head::Str(text), at));
            }
            if !self
                .sc
                .text(&text)
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    "text next to a typed value",
                ));
            }
        }
        let tag = self.sc.tag()?;
        let at = tag.at;
        let head = match tag.name {
            "string" => Head::Str(self.content(&tag, b"</string>")?),
            "int" => Head::Int(self.int(&tag, b"</int>", i32::MIN.into(), i32::MAX.into())? as i32),
            "i4" => Head::Int(self.int(&tag, b"</i4>", i32::MIN.into(), i32::MAX.into())? as i32),
            "i8" | "ex:i8" => Head::I8(self.int(&tag, b"", i64::MIN, i64::MAX)?),
            "i1" | "ex:i1" => {
                Head::Int(self.int(&tag, b"", i8::MIN.into(), i8::MAX.into())? as i32)
            }
            "i2" | "ex:i2" => {
                Head::Int(self.int(&tag, b"", i16::MIN.into(), i16::MAX.into())? as i32)
            }
            "boolean" => {
                let t = self.content(&tag, b"</boolean>")?;
                Head::Bool(scalar::boolean(self.sc.text(&t)).map_err(|e| e.with_offset(at))?)
            }
            "double" | "float" | "ex:float" => {
                let t = if tag.name == "double" {
                    self.content(&tag, b"</double>")?
                } else {
                    self.content(&tag, b"")?
                };
                Head::Double(scalar::double(self.sc.text(&t)).map_err(|e| e.with_offset(at))?)
            }
            "dateTime.iso8601" => {
                let t = self.content(&tag, b"</dateTime.iso8601>")?;
                Head::DateTime(
                    DateTime::parse_wire(self.sc.text(&t)).map_err(|e| e.with_offset(at))?,
                )
            }
            "base64" => Head::Base64(self.content(&tag, b"</base64>")?),
            "nil" | "ex:nil" => {
                let t = self.content(&tag, b"")?;
                if !self.sc.text(&t).is_empty() {
                    return Err(Error::at(ErrorKind::Syntax, at, "<nil> must be empty"));
                }
                Head::Nil
            }
            "array" => {
                if tag.empty {
                    return Err(Error::at(ErrorKind::Syntax, at, "<array> without <data>"));
                }
                let empty = self.sc.open(b"<data>", "data")?;
                self.enter(at)?;
                return Ok((Head::Array { empty }, at));
            }
            "struct" => {
                self.enter(at)?;
                return Ok((Head::Struct { empty: tag.empty }, at));
            }
            _ if tag.end => {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    format!("unexpected {}", describe(&tag)),
                ));
            }
            _ => {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    format!("unknown value type {}", describe(&tag)),
                ));
            }
        };
        self.sc.close(b"</value>", "value")?;
        Ok((head, at))
    }

    fn enter(&mut self, at: usize) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(Error::at(
                ErrorKind::TooDeep,
                at,
                format!("arrays and structs nest deeper than {}", self.max_depth),
            ));
        }
        Ok(())
    }

    /// Text content of a scalar element, up to its end tag. `lit` is that end tag spelled out
    /// for the fast path (it must match `tag`), or empty to check the end tag by name.
    fn content<const N: usize>(&mut self, tag: &Tag<'de>, lit: &[u8; N]) -> Result<Text<'de>> {
        if tag.empty {
            return Ok(Text::Borrowed(""));
        }
        let text = self.sc.read_text(true)?;
        if N > 0 && self.sc.rest_starts_with(lit) {
            self.sc.close(lit, tag.name)?;
            return Ok(text);
        }
        let end = self.sc.tag()?;
        if !end.end || end.name != tag.name {
            return Err(Error::at(
                ErrorKind::Syntax,
                end.at,
                format!(
                    "expected </{}>, found {}",
                    crate::read::excerpt(tag.name),
                    describe(&end)
                ),
            ));
        }
        Ok(text)
    }

    fn int<const N: usize>(
        &mut self,
        tag: &Tag<'de>,
        lit: &[u8; N],
        min: i64,
        max: i64,
    ) -> Result<i64> {
        let t = self.content(tag, lit)?;
        scalar::int(self.sc.text(&t), min, max, tag.name).map_err(|e| e.with_offset(tag.at))
    }

    fn visit_text<V: Visitor<'de>>(&self, text: Text<'de>, visitor: V) -> Result<V::Value> {
        match text {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Scratch => visitor.visit_str(&self.sc.scratch),
        }
    }

    fn decode_base64(&mut self, text: Text<'de>, at: usize) -> Result<()> {
        let Deserializer { sc, bytes, .. } = self;
        binary::decode_into(sc.text(&text), bytes).map_err(|e| e.with_offset(at))
    }

    fn visit_head<V: Visitor<'de>>(
        &mut self,
        head: Head<'de>,
        at: usize,
        visitor: V,
    ) -> Result<V::Value> {
        let result = match head {
            Head::Int(i) => visitor.visit_i32(i),
            Head::I8(i) => visitor.visit_i64(i),
            Head::Bool(b) => visitor.visit_bool(b),
            Head::Double(d) => visitor.visit_f64(d),
            Head::Str(t) => self.visit_text(t, visitor),
            Head::DateTime(dt) => visitor.visit_map(DateTimeAccess(Some(dt))),
            Head::Base64(t) => {
                self.decode_base64(t, at)?;
                visitor.visit_byte_buf(std::mem::take(&mut self.bytes))
            }
            Head::Nil => visitor.visit_unit(),
            Head::Array { empty } => {
                let mut seq = SeqAccess {
                    de: self,
                    index: 0,
                    done: false,
                    empty,
                };
                let value = visitor.visit_seq(&mut seq)?;
                seq.finish()?;
                Ok(value)
            }
            Head::Struct { empty } => {
                let mut map = MapAccess {
                    de: self,
                    done: false,
                    empty,
                    key: KeyName::Borrowed(""),
                };
                let value = visitor.visit_map(&mut map)?;
                map.finish()?;
                Ok(value)
            }
        };
        result.map_err(|e| e.with_offset(at))
    }

    fn invalid_type<T>(&self, head: &Head<'de>, at: usize, expected: &str) -> Result<T> {
        Err(Error::at(
            ErrorKind::UnexpectedType,
            at,
            format!("found {}, expected {expected}", head.type_name()),
        ))
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (head, at) = self.head()?;
        self.visit_head(head, at, visitor)
    }

    /// Odoo's `false` (and `<nil/>`) is `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (head, at) = self.head()?;
        match head {
            Head::Bool(false) | Head::Nil => visitor.visit_none(),
            _ => {
                self.peeked = Some((head, at));
                visitor.visit_some(self)
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (head, at) = self.head()?;
        match head {
            Head::Bool(false) | Head::Nil => visitor.visit_unit(),
            _ => self.invalid_type(&head, at, "nil or false"),
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
        let (head, at) = self.head()?;
        match head {
            Head::DateTime(dt) => visitor.visit_string(dt.to_string()),
            _ => self.visit_head(head, at, visitor),
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
        let (head, at) = self.head()?;
        let result = match head {
            Head::Str(Text::Borrowed(s)) => visitor.visit_enum(s.into_deserializer()),
            Head::Str(Text::Scratch) => {
                let s: &str = &self.sc.scratch;
                visitor.visit_enum(de::value::StrDeserializer::<Error>::new(s))
            }
            Head::Struct { empty: false } => visitor.visit_enum(EnumAccess { de: self }),
            _ => self.invalid_type(&head, at, "a string or a one-member struct (enum)"),
        };
        result.map_err(|e| e.with_offset(at))
    }

    /// Skips the value: containers are walked without building anything, base64 is checked
    /// but its bytes are dropped.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (head, at) = self.head()?;
        match head {
            Head::Base64(t) => {
                self.decode_base64(t, at)?;
                visitor.visit_unit()
            }
            Head::Array { .. } | Head::Struct { .. } => self.visit_head(head, at, visitor),
            _ => visitor.visit_unit(),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf seq tuple tuple_struct map struct identifier
    }
}

/// The name of the member being read, for error paths.
enum KeyName<'de> {
    Borrowed(&'de str),
    Owned(String),
}

struct SeqAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    index: usize,
    done: bool,
    empty: bool,
}

impl<'de> SeqAccess<'_, 'de> {
    /// Consumes `</data></array></value>` if the next thing is `</data>` (or `<data/>` was seen).
    fn at_end(&mut self) -> Result<bool> {
        if self.done {
            return Ok(true);
        }
        if self.empty || self.de.sc.try_close(b"</data>", "data")? {
            self.de.sc.close(b"</array>", "array")?;
            self.de.sc.close(b"</value>", "value")?;
            self.de.depth -= 1;
            self.done = true;
        }
        Ok(self.done)
    }

    /// After the visitor: no element may be left unread.
    fn finish(&mut self) -> Result<()> {
        if self.at_end()? {
            return Ok(());
        }
        Err(self.de.sc.err(
            ErrorKind::UnexpectedShape,
            format!("array has more than the {} elements expected", self.index),
        ))
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.at_end()? {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        self.de.open_value()?;
        let at = self.de.sc.pos();
        seed.deserialize(&mut *self.de)
            .map(Some)
            .map_err(|e| e.with_offset(at).within(Segment::Index(index)))
    }
}

struct MapAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    done: bool,
    empty: bool,
    key: KeyName<'de>,
}

impl<'de> MapAccess<'_, 'de> {
    /// Consumes `</struct></value>` if the next thing is `</struct>` (or `<struct/>` was seen).
    fn at_end(&mut self) -> Result<bool> {
        if self.done {
            return Ok(true);
        }
        if self.empty || self.de.sc.try_close(b"</struct>", "struct")? {
            self.de.sc.close(b"</value>", "value")?;
            self.de.depth -= 1;
            self.done = true;
        }
        Ok(self.done)
    }

    fn finish(&mut self) -> Result<()> {
        if self.at_end()? {
            return Ok(());
        }
        Err(self.de.sc.err(
            ErrorKind::UnexpectedShape,
            "struct has more members than expected",
        ))
    }

    /// Reads `<member><name>…</name>` and returns the name.
    fn read_name(&mut self) -> Result<Text<'de>> {
        let sc = &mut self.de.sc;
        if sc.open(b"<member>", "member")? {
            return Err(sc.err(ErrorKind::Syntax, "empty <member>"));
        }
        let name = if sc.open(b"<name>", "name")? {
            Text::Borrowed("")
        } else {
            let t = sc.read_text(true)?;
            sc.close(b"</name>", "name")?;
            t
        };
        self.key = match name {
            Text::Borrowed(s) => KeyName::Borrowed(s),
            Text::Scratch => KeyName::Owned(sc.scratch.clone()),
        };
        Ok(name)
    }

    fn key_segment(&self) -> Segment {
        Segment::Key(match &self.key {
            KeyName::Borrowed(s) => (*s).to_owned(),
            KeyName::Owned(s) => s.clone(),
        })
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.at_end()? {
            return Ok(None);
        }
        let at = self.de.sc.pos();
        let name = self.read_name()?;
        let key = match name {
            Text::Borrowed(s) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(s))
            }
            Text::Scratch => seed.deserialize(de::value::StrDeserializer::<Error>::new(
                &self.de.sc.scratch,
            )),
        };
        key.map(Some).map_err(|e| e.with_offset(at))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let open = self.de.open_value();
        let at = self.de.sc.pos();
        let value = open
            .and_then(|()| seed.deserialize(&mut *self.de))
            .and_then(|v| self.de.sc.close(b"</member>", "member").map(|()| v));
        value.map_err(|e| e.with_offset(at).within(self.key_segment()))
    }
}

/// An externally tagged enum: a struct with exactly one member, `{variant: value}`.
struct EnumAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'a, 'de> de::EnumAccess<'de> for EnumAccess<'a, 'de> {
    type Error = Error;
    type Variant = VariantAccess<'a, 'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant)> {
        let mut map = MapAccess {
            de: self.de,
            done: false,
            empty: false,
            key: KeyName::Borrowed(""),
        };
        let Some(variant) = de::MapAccess::next_key_seed(&mut map, seed)? else {
            return Err(map.de.sc.err(
                ErrorKind::UnexpectedShape,
                "empty struct where an enum variant was expected",
            ));
        };
        map.de.open_value()?;
        Ok((variant, VariantAccess { de: map.de }))
    }
}

struct VariantAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> VariantAccess<'_, 'de> {
    /// After the variant's value: `</member>` and then the end of the one-member struct.
    fn end<T>(self, value: T) -> Result<T> {
        let sc = &mut self.de.sc;
        sc.close(b"</member>", "member")?;
        if !sc.try_close(b"</struct>", "struct")? {
            return Err(sc.err(
                ErrorKind::UnexpectedShape,
                "an enum struct must have exactly one member",
            ));
        }
        sc.close(b"</value>", "value")?;
        self.de.depth -= 1;
        Ok(value)
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserializer::deserialize_unit(&mut *self.de, de::IgnoredAny)?;
        self.end(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        let v = seed.deserialize(&mut *self.de)?;
        self.end(v)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        let v = de::Deserializer::deserialize_seq(&mut *self.de, visitor)?;
        self.end(v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let v = de::Deserializer::deserialize_map(&mut *self.de, visitor)?;
        self.end(v)
    }
}

/// Presents a `<dateTime.iso8601>` as the one-member map `{TOKEN: "YYYYMMDDTHH:MM:SS"}` that
/// `DateTime` and `Value` recognise.
pub(crate) struct DateTimeAccess(pub(crate) Option<DateTime>);

impl<'de> de::MapAccess<'de> for DateTimeAccess {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(datetime::TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.0.take() {
            Some(dt) => seed.deserialize(dt.to_string().into_deserializer()),
            None => Err(Error::new(ErrorKind::Custom, "value requested before key")),
        }
    }
}
