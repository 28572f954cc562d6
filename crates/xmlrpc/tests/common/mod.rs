//! Shared test helpers: the conformance vectors and the corpus's tagged-JSON value form.
#![allow(dead_code)]

use base64::Engine;
use openspp_xmlrpc::{DateTime, Document, Fault, FaultCode, MethodCall, Struct, Value};
use serde_json::Value as Json;

#[derive(serde::Deserialize)]
struct VectorFile {
    name: String,
    level: String,
    xml: Option<String>,
    xml_base64: Option<String>,
    expect: Option<Json>,
}

/// One conformance vector.
pub struct Vector {
    pub name: String,
    pub level: String,
    pub bytes: Vec<u8>,
    pub expect: Option<Json>,
}

pub fn vectors() -> Vec<Vector> {
    let dir = test_captures::path("xmlrpc-conformance/vectors");
    let mut out: Vec<Vector> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            // The `python` cross-check field holds Python's bare NaN/Infinity, which JSON lacks.
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text
                .replace(": -Infinity", ": null")
                .replace(": Infinity", ": null")
                .replace(": NaN", ": null");
            // Only the fields used here: the `python` field may hold numbers JSON cannot hold.
            let json: VectorFile =
                parse_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let bytes = match (json.xml, json.xml_base64) {
                (Some(s), _) => s.into_bytes(),
                (_, Some(b)) => base64::engine::general_purpose::STANDARD.decode(b).unwrap(),
                _ => panic!("{}: no payload", path.display()),
            };
            Vector {
                name: json.name,
                level: json.level,
                bytes,
                expect: json.expect,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        out.len() >= 100,
        "expected the whole corpus, found {}",
        out.len()
    );
    out
}

/// Parses JSON without serde_json's recursion limit (the corpus nests deeply).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A tagged value `{"int": 1}` as a [`Value`]; `None` for the tags the codec does not model
/// (the optional Apache `biginteger`/`bigdecimal`).
pub fn value(json: &Json) -> Option<Value> {
    let (tag, v) = json.as_object()?.iter().next()?;
    Some(match tag.as_str() {
        "int" => Value::Int(i32::try_from(v.as_i64()?).ok()?),
        "i8" => Value::I8(v.as_i64()?),
        "bool" => Value::Bool(v.as_bool()?),
        "double" => Value::Double(v.as_f64()?),
        "string" => Value::String(v.as_str()?.to_owned()),
        "datetime" => Value::DateTime(v.as_str()?.parse::<DateTime>().ok()?),
        "base64" => Value::Base64(
            base64::engine::general_purpose::STANDARD
                .decode(v.as_str()?)
                .ok()?,
        ),
        "nil" => Value::Nil,
        "array" => Value::Array(v.as_array()?.iter().map(value).collect::<Option<_>>()?),
        "struct" => Value::Struct(
            v.as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), value(v)?)))
                .collect::<Option<Struct>>()?,
        ),
        _ => return None,
    })
}

/// An `expect` object as a [`Document`].
pub fn document(json: &Json) -> Option<Document> {
    let obj = json.as_object()?;
    if let Some(fault) = obj.get("fault") {
        let code = match value(&fault["faultCode"])? {
            Value::Int(i) => FaultCode::Int(i),
            Value::String(s) => FaultCode::String(s),
            _ => return None,
        };
        let Value::String(message) = value(&fault["faultString"])? else {
            return None;
        };
        return Some(Document::Fault(Fault { code, message }));
    }
    let params = obj["params"]
        .as_array()?
        .iter()
        .map(value)
        .collect::<Option<Vec<_>>>()?;
    match obj.get("methodName") {
        Some(m) => Some(Document::Call(MethodCall {
            method: m.as_str()?.to_owned(),
            params,
        })),
        None => {
            let [v] = <[Value; 1]>::try_from(params).ok()?;
            Some(Document::Response(v))
        }
    }
}

/// Encodes a document with every extension allowed.
pub fn encode(doc: &Document) -> Vec<u8> {
    let opts = openspp_xmlrpc::EncodeOptions::new()
        .allow_i8(true)
        .allow_nil(true);
    match doc {
        Document::Call(c) => openspp_xmlrpc::to_call_with(&c.method, &c.params, &opts).unwrap(),
        Document::Response(v) => openspp_xmlrpc::to_response_with(v, &opts).unwrap(),
        Document::Fault(f) => openspp_xmlrpc::to_fault(f),
    }
}
