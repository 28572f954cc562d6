//! The serde `Serializer` that writes one `<value>…</value>` per Rust value.

use serde::ser::{self, Serialize};

use super::{escape, out_of_range};
use crate::datetime::{self, DateTime};
use crate::error::{Error, ErrorKind, Result, Segment};
use crate::options::EncodeOptions;
use crate::value::{I8_TOKEN, Value};

/// Writes one `<value>` into `out`.
pub(crate) struct ValueSerializer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
    pub(crate) opts: &'a EncodeOptions,
}

impl ValueSerializer<'_> {
    fn scalar(self, tag: &str, text: &str) -> Result<()> {
        let out = self.out;
        out.extend_from_slice(b"<value><");
        out.extend_from_slice(tag.as_bytes());
        out.push(b'>');
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(b"</");
        out.extend_from_slice(tag.as_bytes());
        out.extend_from_slice(b"></value>");
        Ok(())
    }

    fn int(self, v: i128) -> Result<()> {
        if let Ok(v) = i32::try_from(v) {
            self.scalar("int", itoa(v.into()).as_str())
        } else if let Ok(v) = i64::try_from(v) {
            if self.opts.get_allow_i8() {
                self.scalar("i8", itoa(v).as_str())
            } else {
                Err(out_of_range(v))
            }
        } else {
            Err(out_of_range(v))
        }
    }

    fn nil(self) -> Result<()> {
        if self.opts.get_allow_nil() {
            self.out.extend_from_slice(b"<value><nil/></value>");
            Ok(())
        } else {
            self.scalar("boolean", "0")
        }
    }

    fn open_struct(out: &mut Vec<u8>) {
        out.extend_from_slice(b"<value><struct>");
    }

    /// `<member><name>key</name>` for an enum variant or struct field name.
    fn member_name(out: &mut Vec<u8>, name: &str) -> Result<()> {
        out.extend_from_slice(b"<member><name>");
        escape::text(out, name)?;
        out.extend_from_slice(b"</name>");
        Ok(())
    }
}

fn itoa(v: i64) -> String {
    v.to_string()
}

/// Shortest round-trip decimal, always with a decimal point, never an exponent.
fn format_double(v: f64) -> Result<String> {
    if !v.is_finite() {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("{v} cannot be sent as an XML-RPC double"),
        ));
    }
    let mut s = v.to_string();
    if !s.contains('.') {
        s.push_str(".0");
    }
    Ok(s)
}

impl<'a> ser::Serializer for ValueSerializer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = SeqSerializer<'a>;
    type SerializeTuple = SeqSerializer<'a>;
    type SerializeTupleStruct = SeqSerializer<'a>;
    type SerializeTupleVariant = SeqSerializer<'a>;
    type SerializeMap = MapSerializer<'a>;
    type SerializeStruct = MapSerializer<'a>;
    type SerializeStructVariant = MapSerializer<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.scalar("boolean", if v { "1" } else { "0" })
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.int(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        match i128::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => Err(out_of_range(v)),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        let s = format_double(v)?;
        self.scalar("double", &s)
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        let out = self.out;
        out.extend_from_slice(b"<value><string>");
        escape::text(out, v)?;
        out.extend_from_slice(b"</string></value>");
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        let mut s = String::with_capacity(v.len() * 4 / 3 + 4);
        crate::binary::encode_into(v, &mut s);
        self.scalar("base64", &s)
    }

    fn serialize_none(self) -> Result<()> {
        self.nil()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.nil()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.nil()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        match name {
            datetime::TOKEN => match crate::to_value(value)? {
                Value::String(s) => {
                    DateTime::parse_wire(&s)?;
                    self.scalar("dateTime.iso8601", &s)
                }
                other => Err(Error::new(
                    ErrorKind::UnexpectedType,
                    format!(
                        "a DateTime token must wrap a string, not {}",
                        other.type_name()
                    ),
                )),
            },
            I8_TOKEN => match crate::to_value(value)?.as_i64() {
                Some(v) if self.opts.get_allow_i8() => self.scalar("i8", &itoa(v)),
                Some(v) => self.int(v.into()),
                None => Err(Error::new(
                    ErrorKind::UnexpectedType,
                    "an I8 token must wrap an integer",
                )),
            },
            _ => value.serialize(self),
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        let out = self.out;
        Self::open_struct(out);
        Self::member_name(out, variant)?;
        value
            .serialize(ValueSerializer {
                out: &mut *out,
                opts: self.opts,
            })
            .map_err(|e| e.within(Segment::Key(variant.to_owned())))?;
        out.extend_from_slice(b"</member></struct></value>");
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSerializer<'a>> {
        self.out.extend_from_slice(b"<value><array><data>");
        Ok(SeqSerializer {
            out: self.out,
            opts: self.opts,
            index: 0,
            variant: false,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqSerializer<'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqSerializer<'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<SeqSerializer<'a>> {
        Self::open_struct(self.out);
        Self::member_name(self.out, variant)?;
        self.out.extend_from_slice(b"<value><array><data>");
        Ok(SeqSerializer {
            out: self.out,
            opts: self.opts,
            index: 0,
            variant: true,
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapSerializer<'a>> {
        Self::open_struct(self.out);
        Ok(MapSerializer {
            out: self.out,
            opts: self.opts,
            key: (0, 0),
            variant: false,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapSerializer<'a>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapSerializer<'a>> {
        Self::open_struct(self.out);
        Self::member_name(self.out, variant)?;
        Self::open_struct(self.out);
        Ok(MapSerializer {
            out: self.out,
            opts: self.opts,
            key: (0, 0),
            variant: true,
        })
    }
}

/// `<array><data>` elements.
pub(crate) struct SeqSerializer<'a> {
    out: &'a mut Vec<u8>,
    opts: &'a EncodeOptions,
    index: usize,
    /// Inside an externally tagged tuple variant: close the enclosing one-member struct too.
    variant: bool,
}

impl SeqSerializer<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index += 1;
        value
            .serialize(ValueSerializer {
                out: &mut *self.out,
                opts: self.opts,
            })
            .map_err(|e| e.within(Segment::Index(index)))
    }

    fn finish(self) -> Result<()> {
        self.out.extend_from_slice(b"</data></array></value>");
        if self.variant {
            self.out.extend_from_slice(b"</member></struct></value>");
        }
        Ok(())
    }
}

super::array_impls!(SeqSerializer<'_> => (), element, finish);

/// `<struct>` members.
pub(crate) struct MapSerializer<'a> {
    out: &'a mut Vec<u8>,
    opts: &'a EncodeOptions,
    /// Where the escaped name of the current member sits in `out`, for error paths.
    key: (usize, usize),
    variant: bool,
}

impl MapSerializer<'_> {
    fn key_segment(&self) -> Segment {
        Segment::Key(String::from_utf8_lossy(&self.out[self.key.0..self.key.1]).into_owned())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        ValueSerializer::member_name(self.out, key)?;
        value
            .serialize(ValueSerializer {
                out: &mut *self.out,
                opts: self.opts,
            })
            .map_err(|e| e.within(Segment::Key(key.to_owned())))?;
        self.out.extend_from_slice(b"</member>");
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.out.extend_from_slice(b"</struct></value>");
        if self.variant {
            self.out.extend_from_slice(b"</member></struct></value>");
        }
        Ok(())
    }
}

impl ser::SerializeMap for MapSerializer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.out.extend_from_slice(b"<member><name>");
        let start = self.out.len();
        key.serialize(KeySerializer {
            out: &mut *self.out,
        })?;
        self.key = (start, self.out.len());
        self.out.extend_from_slice(b"</name>");
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value
            .serialize(ValueSerializer {
                out: &mut *self.out,
                opts: self.opts,
            })
            .map_err(|e| e.within(self.key_segment()))?;
        self.out.extend_from_slice(b"</member>");
        Ok(())
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapSerializer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for MapSerializer<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

fn key_must_be_string() -> Error {
    Error::new(
        ErrorKind::UnexpectedType,
        "struct member names (map keys) must be strings",
    )
}

/// Writes a map key as an escaped `<name>`; only strings (and chars, unit variants) qualify,
/// as in Python's marshaller.
struct KeySerializer<'a> {
    out: &'a mut Vec<u8>,
}

macro_rules! reject_key {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<()> {
            Err(key_must_be_string())
        }
    )*};
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        escape::text(self.out, v)
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    reject_key! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_u128(u128), serialize_f32(f32), serialize_f64(f64), serialize_bytes(&[u8]),
        serialize_none(), serialize_unit(), serialize_unit_struct(&'static str),
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(key_must_be_string())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_must_be_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_string())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_string())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_string())
    }
}

/// The params of a call: a sequence, one `<param>` per element (or unit for none).
pub(crate) struct ParamsSerializer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
    pub(crate) opts: &'a EncodeOptions,
}

fn params_shape() -> Error {
    Error::new(
        ErrorKind::UnexpectedShape,
        "call params must serialize as a sequence or tuple (one element per <param>)",
    )
}

/// Writes each element as a `<param>`.
pub(crate) struct ParamSeq<'a> {
    out: &'a mut Vec<u8>,
    opts: &'a EncodeOptions,
    index: usize,
}

impl ParamSeq<'_> {
    fn param<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index += 1;
        self.out.extend_from_slice(b"<param>");
        value
            .serialize(ValueSerializer {
                out: &mut *self.out,
                opts: self.opts,
            })
            .map_err(|e| e.within(Segment::Param(index)))?;
        self.out.extend_from_slice(b"</param>");
        Ok(())
    }
    fn finish(self) -> Result<()> {
        Ok(())
    }
}

super::array_impls!(ParamSeq<'_> => (), param, finish; without variants);

macro_rules! reject_params {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<()> {
            Err(params_shape())
        }
    )*};
}

impl<'a> ser::Serializer for ParamsSerializer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ParamSeq<'a>;
    type SerializeTuple = ParamSeq<'a>;
    type SerializeTupleStruct = ParamSeq<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_unit(self) -> Result<()> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<ParamSeq<'a>> {
        Ok(ParamSeq {
            out: self.out,
            opts: self.opts,
            index: 0,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<ParamSeq<'a>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ParamSeq<'a>> {
        self.serialize_seq(Some(len))
    }

    reject_params! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_u128(u128), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(params_shape())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(params_shape())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(params_shape())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(params_shape())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(params_shape())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(params_shape())
    }
}
