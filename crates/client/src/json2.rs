//! Odoo 19's JSON-2 API on the wire: `POST /json/2/<model>/<method>` with a JSON object of
//! named arguments, and the answer: the method's result as JSON (HTTP 200), or an error
//! object with a 4xx/5xx status (`addons/rpc/controllers/json2.py`, `Json2Dispatcher` and
//! `serialize_exception` in `odoo/http.py`, 19.0).
//!
//! Values travel as [`Value`], so the typed layer decodes both protocols with the same rules:
//! JSON `null` is `Nil` and Odoo's `false`-for-empty (which 19's `read` still sends) are both
//! `None` for an `Option`; integers that fit 32 bits are `Int`, larger ones `I8` (JSON-2 has
//! no 32-bit limit); dates stay strings.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use odoo_xmlrpc::{FaultCode, Struct, Value};
use reqwest::header::HeaderMap;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{
    Call, Error, FaultKind, ProtocolError, ServerFault, classify_user_error, last_line,
};
use crate::rpc::Decoder;
use crate::transport::{Idempotency, JSON, Request, Transport};

impl Transport {
    /// Sends one JSON-2 call (traced, never the key) and decodes the answer
    /// with `decoder`, or maps the error answer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn json2<D: Decoder>(
        &self,
        call: &Call,
        headers: &HeaderMap,
        ids: Option<&Value>,
        named: &[(String, Value)],
        context: &Struct,
        idempotency: Idempotency,
        timeout: Option<Duration>,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let model = call.model.as_deref().unwrap_or_default();
        let path = path(call, model, &call.method)?;
        let body = body(ids, named, context).map_err(|kind| Error::Protocol {
            call: call.clone(),
            kind,
            may_have_changed_data: false, // nothing was sent
        })?;
        let request = Request {
            path: &path,
            content_type: JSON,
            headers: Some(headers),
            body: Bytes::from(body),
            idempotency,
            timeout,
            json_error_answers: true,
        };
        self.post_traced(call, &request, |answer| {
            if !answer.status.is_success() {
                tracing::debug!(status = answer.status.as_u16(), "error answer");
                return Err(error(
                    call,
                    answer.status.as_u16(),
                    &answer.body,
                    idempotency,
                ));
            }
            value(&answer.body)
                .and_then(|v| decoder.json2(v))
                .map_err(|kind| Error::bad_answer(call, kind, idempotency))
        })
        .await
    }
}

/// The path of a JSON-2 call. Model and method names are checked first: a name with a `/`,
/// `?`, `#` or `%` would reach another URL than the one meant.
pub(crate) fn path(call: &Call, model: &str, method: &str) -> Result<String, Error> {
    for (what, name) in [("model", model), ("method", method)] {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !valid {
            return Err(Error::Config(format!(
                "{call}: {what} name {name:?} cannot be sent over JSON-2 \
                 (letters, digits, '_' and '.' only)"
            )));
        }
    }
    Ok(format!("/json/2/{model}/{method}"))
}

/// The request body: `ids` when given, the named arguments, and `context` when not empty.
pub(crate) fn body(
    ids: Option<&Value>,
    named: &[(String, Value)],
    context: &Struct,
) -> Result<Vec<u8>, ProtocolError> {
    struct Body<'a> {
        ids: Option<&'a Value>,
        named: &'a [(String, Value)],
        context: &'a Struct,
    }
    impl Serialize for Body<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            if let Some(ids) = self.ids {
                map.serialize_entry("ids", &Json(ids))?;
            }
            for (name, value) in self.named {
                map.serialize_entry(name, &Json(value))?;
            }
            if !self.context.is_empty() {
                map.serialize_entry("context", &JsonStruct(self.context))?;
            }
            map.end()
        }
    }
    serde_json::to_vec(&Body {
        ids,
        named,
        context,
    })
    .map_err(|e| ProtocolError::Json(e.to_string()))
}

/// A [`Value`] as JSON, in the forms Odoo's fields accept: a datetime as
/// `"YYYY-MM-DD HH:MM:SS"`, binary as base64 text, nil as `null`.
struct Json<'a>(&'a Value);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Int(i) => serializer.serialize_i32(*i),
            Value::I8(i) => serializer.serialize_i64(*i),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Double(d) => serializer.serialize_f64(*d),
            Value::String(s) => serializer.serialize_str(s),
            Value::DateTime(dt) => serializer.collect_str(&format_args!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
            )),
            Value::Base64(bytes) => {
                serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            Value::Nil => serializer.serialize_unit(),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Json(item))?;
                }
                seq.end()
            }
            Value::Struct(members) => JsonStruct(members).serialize(serializer),
        }
    }
}

struct JsonStruct<'a>(&'a Struct);

impl Serialize for JsonStruct<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &Json(v))?;
        }
        map.end()
    }
}

/// Parses a JSON answer into a [`Value`] (see the module docs for the mapping).
pub(crate) fn value(body: &[u8]) -> Result<Value, ProtocolError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = ValueSeed
        .deserialize(&mut deserializer)
        .and_then(|v| deserializer.end().map(|()| v))
        .map_err(|e| ProtocolError::Json(e.to_string()))?;
    Ok(value)
}

/// Deserializes any JSON into a [`Value`].
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(i32::try_from(v).map_or(Value::I8(v), Value::Int))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        let v = i64::try_from(v)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &"an integer within i64"))?;
        self.visit_i64(v)
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
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Struct::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed)?;
            members.insert(key, value);
        }
        Ok(Value::Struct(members))
    }
}

/// The error object of a JSON-2 error answer (`serialize_exception`, `odoo/http.py`).
#[derive(Debug, Deserialize)]
struct ErrorAnswer {
    /// The exception's qualified class name, e.g. `odoo.exceptions.AccessError`.
    name: String,
    /// `str(exception)`, or a werkzeug exception's description.
    #[serde(default)]
    message: Option<String>,
    /// The traceback.
    #[serde(default)]
    debug: Option<String>,
}

/// Turns a JSON-2 error answer (`status` 4xx/5xx) into the [`Error`] its XML-RPC fault
/// would be: the same [`FaultKind`], the fault code `/xmlrpc/2` uses for that exception and,
/// for exceptions other than `UserError` and its subclasses, the traceback's last line as
/// the message. A body that is not Odoo's error object is a protocol error.
pub(crate) fn error(call: &Call, status: u16, body: &[u8], idempotency: Idempotency) -> Error {
    let answer: ErrorAnswer = match serde_json::from_slice(body) {
        Ok(answer) => answer,
        Err(e) => {
            let kind = ProtocolError::Json(format!(
                "HTTP {status} without Odoo's error object ({e}): {}",
                crate::transport::snippet(body)
            ));
            return Error::bad_answer(call, kind, idempotency);
        }
    };
    Error::Fault(Box::new(fault(call, answer)))
}

fn fault(call: &Call, answer: ErrorAnswer) -> ServerFault {
    let ErrorAnswer {
        name,
        message,
        debug,
    } = answer;
    let message = message.unwrap_or_default();
    let class = name.rsplit('.').next().unwrap_or_default();
    let (kind, code) = match FaultKind::transient(&name, &message) {
        // Before any other rule: these say nothing was written.
        Some(kind) => (kind, 1),
        None => classify_json2(&name, class, &message),
    };
    // As on /xmlrpc/2: the plain message for UserError and its subclasses (code 2-4), the
    // traceback's last line ("ValueError: …", the same formatter) for anything else.
    let debug = debug.filter(|d| !d.trim().is_empty());
    let message = match (code, &debug) {
        (1, Some(traceback)) => last_line(traceback).to_owned(),
        (1, None) => format!(
            "{}: {message}",
            name.strip_prefix("builtins.").unwrap_or(&name)
        ),
        _ => message,
    };
    ServerFault {
        call: call.clone(),
        kind,
        code: FaultCode::Int(code),
        message,
        traceback: debug,
        // The result is serialized before the transaction commits (`Json2Dispatcher`
        // answers inside `retrying`): an error answer means nothing was committed.
        may_have_changed_data: false,
    }
}

/// The kind and `/xmlrpc/2` fault code of the exception JSON-2 names `name` (`class` is its
/// last dotted part).
fn classify_json2(name: &str, class: &str, message: &str) -> (FaultKind, i32) {
    match (name, class) {
        // 401 "Invalid apikey" from the bearer check: the key is wrong, like a wrong
        // password on the object service.
        (_, "AccessDenied") | ("werkzeug.exceptions.Unauthorized", _) => {
            (FaultKind::AccessDenied, 3)
        }
        (_, "AccessError") => (FaultKind::AccessError, 4),
        (_, "MissingError") => (FaultKind::MissingError, 2),
        (_, "ValidationError") => (FaultKind::ValidationError, 2),
        (_, "UserError" | "RedirectWarning" | "LockError") => (classify_user_error(message), 2),
        ("werkzeug.exceptions.NotFound", _) if message.starts_with("the model ") => {
            (FaultKind::UnknownModel, 2)
        }
        ("werkzeug.exceptions.NotFound", _) if message.starts_with("The method ") => {
            (FaultKind::UnknownMethod, 1)
        }
        ("builtins.ValueError", _) if message.starts_with("Invalid field") => {
            (FaultKind::InvalidField, 1)
        }
        _ => (
            FaultKind::Other {
                exception: Some(name.strip_prefix("builtins.").unwrap_or(name).to_owned()),
            },
            1,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call {
        Call {
            service: "json2",
            model: Some("res.partner".into()),
            method: "write".into(),
        }
    }

    fn answer(name: &str, message: &str) -> Vec<u8> {
        // Python's traceback names builtins without their module.
        let shown = name.strip_prefix("builtins.").unwrap_or(name);
        serde_json::to_vec(&serde_json::json!({
            "name": name,
            "message": message,
            "arguments": [message],
            "context": {},
            "debug": format!("Traceback (most recent call last):\n  File \"x\"\n{shown}: {message}\n"),
        }))
        .unwrap()
    }

    fn kind_of(name: &str, message: &str) -> (FaultKind, FaultCode, String) {
        match error(&call(), 422, &answer(name, message), Idempotency::ReadOnly) {
            Error::Fault(f) => (f.kind, f.code, f.message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_exception_maps_to_the_kind_and_code_of_its_xmlrpc_fault() {
        let cases = [
            (
                "odoo.exceptions.AccessDenied",
                "Access Denied",
                FaultKind::AccessDenied,
                3,
            ),
            (
                "werkzeug.exceptions.Unauthorized",
                "Invalid apikey",
                FaultKind::AccessDenied,
                3,
            ),
            (
                "odoo.exceptions.AccessError",
                "no",
                FaultKind::AccessError,
                4,
            ),
            (
                "odoo.exceptions.MissingError",
                "gone",
                FaultKind::MissingError,
                2,
            ),
            (
                "odoo.exceptions.ValidationError",
                "bad",
                FaultKind::ValidationError,
                2,
            ),
            (
                "odoo.exceptions.UserError",
                "You cannot",
                FaultKind::UserError,
                2,
            ),
            (
                "werkzeug.exceptions.NotFound",
                "the model 'x.y' does not exist",
                FaultKind::UnknownModel,
                2,
            ),
            (
                "werkzeug.exceptions.NotFound",
                "The method 'res.partner.x' does not exist",
                FaultKind::UnknownMethod,
                1,
            ),
            (
                "builtins.ValueError",
                "Invalid field 'x' on model 'res.partner'",
                FaultKind::InvalidField,
                1,
            ),
        ];
        for (name, message, kind, code) in cases {
            let (k, c, _) = kind_of(name, message);
            assert_eq!((k, c), (kind, FaultCode::Int(code)), "{name}");
        }
        let (kind, _, message) = kind_of("builtins.TypeError", "unexpected keyword 'x'");
        assert_eq!(
            kind,
            FaultKind::Other {
                exception: Some("TypeError".into())
            }
        );
        assert_eq!(
            message, "TypeError: unexpected keyword 'x'",
            "the traceback's last line, as XML-RPC's fault string ends"
        );
        let bare = br#"{"name": "builtins.TypeError", "message": "bad", "debug": ""}"#;
        let Error::Fault(f) = error(&call(), 500, bare, Idempotency::ReadOnly) else {
            panic!()
        };
        assert_eq!((f.message.as_str(), f.traceback), ("TypeError: bad", None));
        let (_, _, message) = kind_of("odoo.exceptions.UserError", "You cannot");
        assert_eq!(message, "You cannot", "user errors keep the plain message");
    }

    #[test]
    fn a_body_that_is_not_an_error_object_is_a_protocol_error() {
        for body in [&b"<html>502</html>"[..], b"{\"message\": \"no name\"}", b""] {
            assert!(matches!(
                error(&call(), 500, body, Idempotency::ReadOnly),
                Error::Protocol {
                    kind: ProtocolError::Json(_),
                    ..
                }
            ));
        }
    }

    #[test]
    fn values_keep_null_false_and_wide_integers() {
        let v =
            value(br#"[null, false, 7, 5000000000, -3, 1.5, "2026-11-18", {"a": [1]}]"#).unwrap();
        assert_eq!(
            v,
            Value::Array(vec![
                Value::Nil,
                Value::Bool(false),
                Value::Int(7),
                Value::I8(5_000_000_000),
                Value::Int(-3),
                Value::Double(1.5),
                Value::String("2026-11-18".into()),
                Value::Struct(Struct::from([(
                    "a".to_owned(),
                    Value::Array(vec![Value::Int(1)])
                )])),
            ])
        );
        for bad in [
            &b"[1,"[..],
            b"18446744073709551615",
            b"{} trailing",
            b"[1e999]",
        ] {
            assert!(matches!(value(bad), Err(ProtocolError::Json(_))), "{bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(
            value(deep.as_bytes()).is_err(),
            "nesting is bounded, not a stack overflow"
        );
    }

    #[test]
    fn bodies_name_every_argument() {
        let dt = odoo_xmlrpc::DateTime::new(2026, 11, 18, 9, 30, 0).unwrap();
        let named = vec![
            ("fields".to_owned(), Value::Array(vec!["name".into()])),
            ("when".to_owned(), Value::DateTime(dt)),
            ("data".to_owned(), Value::Base64(b"hi".to_vec())),
            ("big".to_owned(), Value::I8(1 << 40)),
            ("none".to_owned(), Value::Nil),
        ];
        let ids = Value::Array(vec![Value::Int(1), Value::Int(2)]);
        let context = Struct::from([("lang".to_owned(), Value::from("fr_FR"))]);
        let body = body(Some(&ids), &named, &context).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"ids":[1,2],"fields":["name"],"when":"2026-11-18 09:30:00","data":"aGk=","big":1099511627776,"none":null,"context":{"lang":"fr_FR"}}"#
        );
        let empty = super::body(None, &[], &Struct::new()).unwrap();
        assert_eq!(empty, b"{}");
    }

    #[test]
    fn paths_refuse_names_that_would_change_the_url() {
        assert_eq!(
            path(&call(), "res.partner", "search_read").unwrap(),
            "/json/2/res.partner/search_read"
        );
        for (model, method) in [
            ("a/b", "read"),
            ("res.partner", "x?y"),
            ("", "read"),
            ("m", "%2e"),
        ] {
            assert!(matches!(
                path(&call(), model, method),
                Err(Error::Config(_))
            ));
        }
    }
}
