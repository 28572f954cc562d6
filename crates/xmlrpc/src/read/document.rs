//! The document grammar: prolog, `<methodCall>` and `<methodResponse>` (params or fault), epilog.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

use crate::error::{Error, ErrorKind, Result, Segment};
use crate::fault::{Fault, FaultCode};
use crate::options::DecodeOptions;
use crate::read::de::Deserializer;
use crate::read::input;
use crate::read::scanner::describe;
use crate::value::{Document, MethodCall, Value};

/// Which document the root element announces.
enum Root {
    Call,
    Response,
}

/// Reads the prolog and the root start tag.
fn root(de: &mut Deserializer<'_>) -> Result<Root> {
    de.sc.xml_declaration()?;
    let tag = de.sc.next_tag()?;
    let root = match tag.name {
        "methodCall" if !tag.end => Root::Call,
        "methodResponse" if !tag.end => Root::Response,
        _ => {
            return Err(Error::at(
                ErrorKind::Syntax,
                tag.at,
                format!(
                    "expected <methodCall> or <methodResponse>, found {}",
                    describe(&tag)
                ),
            ));
        }
    };
    if tag.empty {
        return Err(Error::at(
            ErrorKind::Syntax,
            tag.at,
            "empty document element",
        ));
    }
    Ok(root)
}

/// After the root end tag only whitespace, comments and PIs may follow.
fn epilog(de: &mut Deserializer<'_>) -> Result<()> {
    de.sc.skip_misc()?;
    if !de.sc.at_end() {
        return Err(de
            .sc
            .err(ErrorKind::Syntax, "content after the document element"));
    }
    Ok(())
}

/// The body of a response after `<methodResponse>`: a single param decoded as `T`, or a fault.
fn response_body<T: DeserializeOwned>(de: &mut Deserializer<'_>) -> Result<Result<T, Fault>> {
    let tag = de.sc.next_tag()?;
    let result = match tag.name {
        "params" if !tag.end => {
            let none = || {
                Error::at(
                    ErrorKind::Syntax,
                    tag.at,
                    "a response must carry exactly one <param>",
                )
            };
            if tag.empty {
                return Err(none());
            }
            let param = de.sc.next_tag()?;
            if param.end || param.name != "param" {
                return Err(if param.end && param.name == "params" {
                    none()
                } else {
                    Error::at(
                        ErrorKind::Syntax,
                        param.at,
                        format!("expected <param>, found {}", describe(&param)),
                    )
                });
            }
            if param.empty {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    param.at,
                    "<param> without a <value>",
                ));
            }
            de.open_value()?;
            let at = de.sc.pos();
            let value = T::deserialize(&mut *de)
                .map_err(|e| e.with_offset(at).within(Segment::Param(0)))?;
            de.sc.close(b"</param>", "param")?;
            if !de.sc.try_close(b"</params>", "params")? {
                return Err(de.sc.err(
                    ErrorKind::Syntax,
                    "a response must carry exactly one <param>",
                ));
            }
            Ok(value)
        }
        "fault" if !tag.end && !tag.empty => {
            de.open_value()?;
            let at = de.sc.pos();
            let value = Value::deserialize_from(de)
                .map_err(|e| e.with_offset(at).within(Segment::Fault))?;
            de.sc.close(b"</fault>", "fault")?;
            Err(fault_from_value(value).map_err(|e| e.with_offset(at).within(Segment::Fault))?)
        }
        _ => {
            return Err(Error::at(
                ErrorKind::Syntax,
                tag.at,
                format!("expected <params> or <fault>, found {}", describe(&tag)),
            ));
        }
    };
    de.sc.close(b"</methodResponse>", "methodResponse")?;
    Ok(result)
}

impl Value {
    fn deserialize_from(de: &mut Deserializer<'_>) -> Result<Value> {
        serde::Deserialize::deserialize(de)
    }
}

/// A fault value must be a struct of exactly `faultCode` (int, or string on Odoo's legacy
/// endpoint) and `faultString` (string).
fn fault_from_value(value: Value) -> Result<Fault> {
    let shape = |msg: &str| Error::new(ErrorKind::UnexpectedShape, msg.to_owned());
    let Value::Struct(mut members) = value else {
        return Err(shape("a fault must be a struct"));
    };
    let code = match members.remove("faultCode") {
        Some(Value::Int(code)) => FaultCode::Int(code),
        Some(Value::String(code)) => FaultCode::String(code),
        Some(_) => return Err(shape("faultCode must be an int or a string")),
        None => return Err(shape("fault without faultCode")),
    };
    let message = match members.remove("faultString") {
        Some(Value::String(s)) => s,
        Some(_) => return Err(shape("faultString must be a string")),
        None => return Err(shape("fault without faultString")),
    };
    if let Some(extra) = members.keys().next() {
        return Err(Error::new(
            ErrorKind::UnexpectedShape,
            format!("unexpected fault member `{}`", crate::read::excerpt(extra)),
        ));
    }
    Ok(Fault { code, message })
}

/// `<methodName>` of a call, after `<methodCall>`.
fn method_name(de: &mut Deserializer<'_>) -> Result<String> {
    if de.sc.open(b"<methodName>", "methodName")? {
        return Ok(String::new());
    }
    let text = de.sc.read_text(true)?;
    let name = de.sc.text(&text).to_owned();
    de.sc.close(b"</methodName>", "methodName")?;
    Ok(name)
}

/// Presents the `<param>`s of a call as a sequence; `present` is false when there is no `<params>`.
struct Params<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    present: bool,
}

struct ParamsSeq<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    index: usize,
    done: bool,
}

impl<'de> ParamsSeq<'_, 'de> {
    fn at_end(&mut self) -> Result<bool> {
        if !self.done && self.de.sc.try_close(b"</params>", "params")? {
            self.done = true;
        }
        Ok(self.done)
    }
}

impl<'de> de::SeqAccess<'de> for ParamsSeq<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.at_end()? {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        if self.de.sc.open(b"<param>", "param")? {
            return Err(self
                .de
                .sc
                .err(ErrorKind::Syntax, "<param> without a <value>"));
        }
        self.de.open_value()?;
        let at = self.de.sc.pos();
        let value = seed
            .deserialize(&mut *self.de)
            .map_err(|e| e.with_offset(at).within(Segment::Param(index)))?;
        self.de.sc.close(b"</param>", "param")?;
        Ok(Some(value))
    }
}

impl<'de> de::Deserializer<'de> for Params<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut seq = ParamsSeq {
            de: self.de,
            index: 0,
            done: !self.present,
        };
        let value = visitor.visit_seq(&mut seq)?;
        if !seq.at_end()? {
            return Err(seq.de.sc.err(
                ErrorKind::UnexpectedShape,
                format!("the call has more than the {} params expected", seq.index),
            ));
        }
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The body of a call after `<methodCall>`.
fn call_body<P: DeserializeOwned>(de: &mut Deserializer<'_>) -> Result<(String, P)> {
    let method = method_name(de)?;
    de.sc.skip_misc()?;
    let present = if de.sc.rest_starts_with(b"</") {
        false
    } else {
        let at = de.sc.pos();
        let empty = de
            .sc
            .open(b"<params>", "params")
            .map_err(|e| e.with_offset(at))?;
        !empty
    };
    let params = P::deserialize(Params {
        de: &mut *de,
        present,
    })?;
    de.sc.close(b"</methodCall>", "methodCall")?;
    Ok((method, params))
}

fn wrong_root(expected: &str) -> Error {
    Error::at(
        ErrorKind::UnexpectedShape,
        0,
        format!("expected a {expected} document"),
    )
}

/// See [`crate::from_response_with`].
pub(crate) fn from_response<T: DeserializeOwned>(
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<Result<T, Fault>> {
    let src = input::prepare(bytes, opts)?;
    let mut de = Deserializer::new(&src, opts.get_max_depth());
    let Root::Response = root(&mut de)? else {
        return Err(wrong_root("methodResponse"));
    };
    let result = response_body(&mut de)?;
    epilog(&mut de)?;
    Ok(result)
}

/// See [`crate::from_call_with`].
pub(crate) fn from_call<P: DeserializeOwned>(
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<(String, P)> {
    let src = input::prepare(bytes, opts)?;
    let mut de = Deserializer::new(&src, opts.get_max_depth());
    let Root::Call = root(&mut de)? else {
        return Err(wrong_root("methodCall"));
    };
    let result = call_body(&mut de)?;
    epilog(&mut de)?;
    Ok(result)
}

/// See [`crate::parse_document`].
pub(crate) fn parse_document(bytes: &[u8], opts: &DecodeOptions) -> Result<Document> {
    let src = input::prepare(bytes, opts)?;
    let mut de = Deserializer::new(&src, opts.get_max_depth());
    let doc = match root(&mut de)? {
        Root::Call => {
            let (method, params) = call_body::<Vec<Value>>(&mut de)?;
            Document::Call(MethodCall { method, params })
        }
        Root::Response => match response_body::<Value>(&mut de)? {
            Ok(v) => Document::Response(v),
            Err(f) => Document::Fault(f),
        },
    };
    epilog(&mut de)?;
    Ok(doc)
}
