//! What the three JSON paths share: values as JSON ([`Json`]), answers decoded in one pass
//! ([`result`], [`envelope`]) and Odoo's exception object turned into the [`ServerFault`]
//! its XML-RPC fault would be ([`fault`]).
//!
//! Odoo writes an exception as `{name, message, arguments, context, debug}`
//! (`serialize_exception`, `odoo/http.py`): the JSON-2 error body, and `error.data` of a
//! JSON-RPC answer (`/jsonrpc`, `/web/...`).

use std::fmt;

use base64::Engine as _;
use openspp_xmlrpc::{FaultCode, Struct, Value};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Decoder;
use super::dialect::{Dialect, Trail};
use crate::error::{CallId, FaultKind, ProtocolError, ServerFault, classify_user_error, last_line};

/// A [`Value`] as JSON, in the forms Odoo's fields accept: a datetime as
/// `"YYYY-MM-DD HH:MM:SS"`, binary as base64 text, nil as `null`.
pub(crate) struct Json<'a>(pub(crate) &'a Value);

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
            Value::Array(items) => JsonList(items).serialize(serializer),
            Value::Struct(members) => JsonStruct(members).serialize(serializer),
        }
    }
}

/// A list of [`Value`]s as a JSON array.
pub(crate) struct JsonList<'a>(pub(crate) &'a [Value]);

impl Serialize for JsonList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&Json(item))?;
        }
        seq.end()
    }
}

/// A [`Struct`] as a JSON object.
pub(crate) struct JsonStruct<'a>(pub(crate) &'a Struct);

impl Serialize for JsonStruct<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &Json(v))?;
        }
        map.end()
    }
}

/// Serializes a request body.
pub(crate) fn to_vec(body: &impl Serialize) -> Result<Vec<u8>, ProtocolError> {
    serde_json::to_vec(body).map_err(|e| ProtocolError::Json(e.to_string()))
}

/// Turns serde_json's error and the trail into a [`ProtocolError`]: malformed JSON, or a
/// value of the wrong shape with its path.
fn protocol_error(e: serde_json::Error, trail: &Trail) -> ProtocolError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => ProtocolError::JsonValue {
            message: e.to_string(),
            path: trail.path(),
        },
        _ => ProtocolError::Json(e.to_string()),
    }
}

/// The body as text, checked once: serde_json reading a `&str` skips the UTF-8 check of each
/// string (a tenth of the decoding time of a page of rows).
fn utf8(body: &[u8]) -> Result<&str, ProtocolError> {
    std::str::from_utf8(body).map_err(|e| ProtocolError::Json(format!("not UTF-8: {e}")))
}

/// Decodes a body that is the result itself (JSON-2) with `decoder`, in one pass.
pub(crate) fn result<D: Decoder>(body: &[u8], decoder: &D) -> Result<D::Output, ProtocolError> {
    let trail = Trail::default();
    let mut de = serde_json::Deserializer::from_str(utf8(body)?);
    decoder
        .json(Dialect::new(&mut de, &trail))
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| protocol_error(e, &trail))?
}

/// Decodes a JSON value in Odoo's dialect straight into `T`, in one pass: what every JSON
/// path does with a result. `false` and `null` are `None` for an `Option`, integers within
/// 32 bits are `Value::Int` (wider ones `I8`), many2one `[id, name]` pairs read as tuples or
/// [`Many2one`](crate::Many2one); an error names the value path.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Partner {
///     name: String,
///     email: Option<String>,
///     country_id: Option<(i32, String)>,
/// }
/// let body = br#"[{"name": "Ada", "email": false, "country_id": [21, "Belgium"]}]"#;
/// let rows: Vec<Partner> = openspp_client::from_json(body).unwrap();
/// assert_eq!((rows[0].email.as_deref(), rows[0].country_id.as_ref().map(|c| c.0)), (None, Some(21)));
/// let err = openspp_client::from_json::<Vec<Partner>>(br#"[{"name": false}]"#).unwrap_err();
/// assert!(err.to_string().ends_with("at [0].name"), "{err}");
/// ```
pub fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ProtocolError> {
    result(body, &super::Serde::<T>::new())
}

/// A JSON-RPC answer: the result decoded, or Odoo's error object.
pub(crate) enum Reply<T> {
    /// `result` (a missing one is `null`: Odoo leaves out a `None` result).
    Result(T),
    /// `error`.
    Error(RpcError),
}

/// The `error` member of a JSON-RPC answer.
#[derive(Debug, Deserialize)]
pub(crate) struct RpcError {
    /// 200 for any exception, 100 for an expired session, 404 for an unknown route.
    #[serde(default)]
    pub(crate) code: i64,
    /// `"Odoo Server Error"`, `"Odoo Session Expired"`.
    #[serde(default)]
    pub(crate) message: String,
    /// The exception (`serialize_exception`).
    pub(crate) data: Option<ExceptionObject>,
}

impl RpcError {
    /// The exception's class (`odoo.http.SessionExpiredException`), if given.
    pub(crate) fn name(&self) -> &str {
        self.data.as_ref().map_or("", |d| d.name.as_str())
    }

    /// Odoo's answer to a call whose web session is gone: JSON-RPC error code 100
    /// (`JsonRPCDispatcher.handle_error`, `odoo/http.py`, 17 and 19).
    pub(crate) fn is_session_expired(&self) -> bool {
        self.code == 100 || self.name().ends_with("SessionExpiredException")
    }
}

/// Decodes a JSON-RPC answer `{"jsonrpc", "id", "result" | "error"}` in one pass: `result`
/// straight into the decoder's type.
pub(crate) fn envelope<D: Decoder>(
    body: &[u8],
    decoder: &D,
) -> Result<Reply<D::Output>, ProtocolError> {
    let trail = Trail::default();
    let mut de = serde_json::Deserializer::from_str(utf8(body)?);
    let seed = EnvelopeSeed {
        decoder,
        trail: &trail,
    };
    let reply = seed
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| protocol_error(e, &trail))?;
    match reply {
        Some(Reply::Result(result)) => result.map(Reply::Result),
        Some(Reply::Error(error)) => Ok(Reply::Error(error)),
        // No `result` and no `error`: the method returned `None`.
        None => {
            let trail = Trail::default();
            let mut null = serde_json::Deserializer::from_slice(b"null");
            decoder
                .json(Dialect::new(&mut null, &trail))
                .map_err(|e| protocol_error(e, &trail))?
                .map(Reply::Result)
        }
    }
}

struct EnvelopeSeed<'a, D> {
    decoder: &'a D,
    trail: &'a Trail,
}

/// The envelope as read: the result may still be refused by the result type.
type Envelope<T> = Option<Reply<Result<T, ProtocolError>>>;

impl<'de, D: Decoder> DeserializeSeed<'de> for EnvelopeSeed<'_, D> {
    type Value = Envelope<D::Output>;
    fn deserialize<De: Deserializer<'de>>(self, d: De) -> Result<Self::Value, De::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, D: Decoder> Visitor<'de> for EnvelopeSeed<'_, D> {
    type Value = Envelope<D::Output>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut reply = None;
        while let Some(key) = map.next_key::<Member>()? {
            match key {
                Member::Result if reply.is_none() => {
                    let result = map.next_value_seed(ResultSeed {
                        decoder: self.decoder,
                        trail: self.trail,
                    })?;
                    reply = Some(Reply::Result(result));
                }
                Member::Error if reply.is_none() => {
                    reply = Some(Reply::Error(map.next_value::<RpcError>()?));
                }
                Member::Result | Member::Error => {
                    return Err(de::Error::custom("both result and error"));
                }
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(reply)
    }
}

struct ResultSeed<'a, D> {
    decoder: &'a D,
    trail: &'a Trail,
}

impl<'de, D: Decoder> DeserializeSeed<'de> for ResultSeed<'_, D> {
    type Value = Result<D::Output, ProtocolError>;
    fn deserialize<De: Deserializer<'de>>(self, d: De) -> Result<Self::Value, De::Error> {
        self.decoder.json(Dialect::new(d, self.trail))
    }
}

/// A member of the JSON-RPC answer object.
enum Member {
    Result,
    Error,
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
                Ok(match v {
                    "result" => Member::Result,
                    "error" => Member::Error,
                    _ => Member::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// Odoo's exception object (`serialize_exception`, `odoo/http.py`).
#[derive(Debug, Deserialize)]
pub(crate) struct ExceptionObject {
    /// The exception's qualified class name, e.g. `odoo.exceptions.AccessError`.
    pub(crate) name: String,
    /// `str(exception)`, or a werkzeug exception's description.
    #[serde(default)]
    pub(crate) message: Option<String>,
    /// The traceback.
    #[serde(default)]
    pub(crate) debug: Option<String>,
}

/// The [`ServerFault`] an exception object is: the same [`FaultKind`], the fault code
/// `/xmlrpc/2` uses for that exception and, for exceptions other than `UserError` and its
/// subclasses, the traceback's last line as the message (what XML-RPC's fault string ends
/// with). `may_have_changed_data` is for the caller to set: it depends on the path.
pub(crate) fn fault(call: &CallId, exception: ExceptionObject) -> ServerFault {
    let ExceptionObject {
        name,
        message,
        debug,
    } = exception;
    let message = message.unwrap_or_default();
    let class = name.rsplit('.').next().unwrap_or_default();
    let (kind, code) = match FaultKind::transient(&name, &message) {
        // Before any other rule: these say nothing was written.
        Some(kind) => (kind, 1),
        None => classify(&name, class, &message),
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
        may_have_changed_data: false,
    }
}

/// The kind and `/xmlrpc/2` fault code of the exception named `name` (`class` is its last
/// dotted part).
fn classify(name: &str, class: &str, message: &str) -> (FaultKind, i32) {
    match (name, class) {
        // 401 "Invalid apikey" from JSON-2's bearer check: the key is wrong, like a wrong
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
        // `getattr(model, method)` failing in `odoo.api.call_kw` (/jsonrpc and call_kw).
        ("builtins.AttributeError", _) if message.contains("does not exist") => {
            (FaultKind::UnknownMethod, 1)
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
    use crate::wire::protocol::Serde;

    #[test]
    fn envelopes_give_the_result_or_the_error() {
        let decoder = Serde::<Vec<Option<String>>>::new();
        let ok = br#"{"jsonrpc": "2.0", "id": 3, "result": ["a", false, null]}"#;
        match envelope(ok, &decoder).unwrap() {
            Reply::Result(r) => assert_eq!(r, vec![Some("a".to_owned()), None, None]),
            Reply::Error(e) => panic!("{e:?}"),
        }
        let none = br#"{"jsonrpc": "2.0", "id": 3}"#;
        let decoder = Serde::<Option<i32>>::new();
        assert!(matches!(
            envelope(none, &decoder).unwrap(),
            Reply::Result(None)
        ));
        let error = br#"{"jsonrpc": "2.0", "id": null, "error": {"code": 100,
            "message": "Odoo Session Expired", "data": {"name": "odoo.http.SessionExpiredException",
            "debug": "Traceback", "message": "Session expired", "arguments": [], "context": {}}}}"#;
        match envelope(error, &decoder).unwrap() {
            Reply::Error(e) => assert!(e.is_session_expired()),
            Reply::Result(_) => panic!(),
        }
        let wrong = br#"{"result": ["x"]}"#;
        assert!(matches!(
            envelope(wrong, &decoder),
            Err(ProtocolError::JsonValue { .. })
        ));
        for bad in [&b"{"[..], b"[]", b"{} x"] {
            assert!(envelope(bad, &decoder).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_answer_that_is_not_utf8_is_a_json_error() {
        let decoder = Serde::<Vec<String>>::new();
        let latin1 = b"{\"result\": [\"caf\xe9\"]}";
        for err in [
            envelope(latin1, &decoder).err(),
            result(b"[\"caf\xe9\"]", &decoder).err(),
        ] {
            match err {
                Some(ProtocolError::Json(message)) => assert!(message.contains("not UTF-8")),
                other => panic!("{other:?}"),
            }
        }
    }
}
