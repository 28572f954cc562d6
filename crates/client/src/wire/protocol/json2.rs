//! Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with a JSON object of named
//! arguments and the API key as bearer token; the answer is the method's result as JSON
//! (HTTP 200), or Odoo's exception object with a 4xx/5xx status
//! (`addons/rpc/controllers/json2.py`, `Json2Dispatcher` and `serialize_exception` in
//! `odoo/http.py`, 19.0). JSON-2 has no login: the key names the user.

use bytes::Bytes;
use openspp_xmlrpc::{Struct, Value};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::Protocol;
use super::json::{self, ExceptionObject, Json, JsonStruct};
use super::{Decoder, Params, ProtocolClient, Sending, Serde, call_id, url_names};
use crate::error::{CallId, Error, FaultKind, Idempotency, ProtocolError, TransportError};
use crate::secret::Secret;
use crate::typed::args::Args;
use crate::wire::transport::{JSON, Request, Transport};

/// What a JSON-2 session sends with every call: the bearer key (a sensitive header, never
/// printed) and the database header.
pub(crate) struct Json2 {
    headers: HeaderMap,
}

impl ProtocolClient for Json2 {
    fn protocol(&self) -> Protocol {
        Protocol::Json2
    }

    async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let call = sending.call;
        let model = call.model.as_deref().unwrap_or_default();
        url_names(call, model, &call.method)?;
        let path = format!("/json/2/{model}/{}", call.method);
        let Params {
            ids,
            args,
            kwargs,
            context,
        } = params;
        let mut named = Vec::with_capacity(args.len() + kwargs.len());
        for (name, value) in args {
            let Some(name) = name else {
                return Err(Error::InvalidCall {
                    call: call.clone(),
                    reason: "JSON-2 takes named arguments only; pass them as kwargs, or use \
                             Session::call with Args"
                        .to_owned(),
                });
            };
            named.push((name, value));
        }
        named.extend(kwargs);
        let body = json::to_vec(&Body {
            ids: ids.as_ref(),
            named: &named,
            context: &context,
        })
        .map_err(|kind| Error::Protocol {
            call: call.clone(),
            kind,
            may_have_changed_data: false, // nothing was sent
        })?;
        let request = Request {
            path: &path,
            content_type: JSON,
            headers: Some(&self.headers),
            body: Bytes::from(body),
            idempotency: sending.idempotency,
            timeout: sending.timeout,
            json_error_answers: true,
        };
        transport
            .post_traced(call, &request, |answer| {
                if !answer.status.is_success() {
                    tracing::debug!(status = answer.status.as_u16(), "error answer");
                    return Err(error(call, answer.status.as_u16(), &answer.body, sending));
                }
                json::result(&answer.body, decoder)
                    .map_err(|kind| Error::bad_answer(call, kind, sending.idempotency))
            })
            .await
    }
}

/// The JSON-2 session of an API key: the uid of the key's user (`res.users.context_get`,
/// as the 19.0 external API guide says), checked against `login`. A refused key, or a key of
/// another user, is [`Error::AuthenticationFailed`].
pub(crate) async fn login(
    transport: &Transport,
    db: &str,
    login: &str,
    secret: &Secret,
) -> Result<(i32, Json2), Error> {
    let refused = |reason: String| Error::AuthenticationFailed {
        login: login.to_owned(),
        db: db.to_owned(),
        protocol: Protocol::Json2,
        reason,
    };
    let json2 = Json2 {
        headers: headers(db, secret)?,
    };
    let context_get = call_id("json2", "res.users", "context_get");
    let user: Struct = match call(transport, &json2, &context_get, Args::new()).await {
        Err(Error::Fault(f)) if f.kind == FaultKind::AccessDenied => {
            return Err(refused(format!(
                "res.users.context_get refused the bearer key: {}",
                f.message
            )));
        }
        Err(Error::Transport {
            kind: TransportError::Status { status: 404, .. },
            ..
        }) => return Err(no_json2(transport).await),
        other => other?,
    };
    let Some(&Value::Int(uid)) = user.get("uid") else {
        return Err(Error::bad_answer(
            &context_get,
            ProtocolError::Unexpected(format!("no int uid in the user's context: {user:?}")),
            Idempotency::ReadOnly,
        ));
    };
    #[derive(serde::Deserialize)]
    struct User {
        login: String,
    }
    let read = call_id("json2", "res.users", "read");
    let users: Vec<User> = call(
        transport,
        &json2,
        &read,
        Args::new().ids([uid]).arg("fields", ["login"]),
    )
    .await?;
    match users.as_slice() {
        [user] if user.login == login => Ok((uid, json2)),
        [user] => Err(refused(format!(
            "the API key is of login {:?}, not of this one",
            user.login
        ))),
        _ => Err(refused(format!("the key's user {uid} cannot be read"))),
    }
}

/// Why a server answered 404 to JSON-2: a release before 19 (which has no JSON-2), or a URL
/// that is not the server's base URL.
async fn no_json2(transport: &Transport) -> Error {
    let release = super::web::version_info(transport).await;
    Error::Config(match release.as_ref().ok().and_then(|v| v.major()) {
        Some(major) if major < 19 => format!(
            "JSON-2 needs Odoo 19 or later, and this server is {}: use Protocol::Auto (or \
             Protocol::JsonRpc) with the API key",
            release.map(|v| v.server_serie).unwrap_or_default()
        ),
        _ => "the server answered 404 to JSON-2 (/json/2/...): is the URL the server's base \
              URL, and is it Odoo 19 or later?"
            .to_owned(),
    })
}

/// One read-only call during login.
async fn call<R: serde::de::DeserializeOwned>(
    transport: &Transport,
    json2: &Json2,
    call: &CallId,
    args: Args,
) -> Result<R, Error> {
    let sending = Sending::read_only(call);
    let (ids, args, kwargs) = args.into_parts();
    let params = Params {
        ids,
        args,
        kwargs,
        context: Struct::new(),
    };
    json2
        .execute(transport, &sending, params, &Serde::<R>::new())
        .await
}

/// `Authorization: bearer <key>` (marked sensitive: never printed) and, when a database
/// is named, `X-Odoo-Database`.
fn headers(db: &str, secret: &Secret) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let mut bearer = HeaderValue::try_from(format!("bearer {}", secret.expose()))
        .map_err(|_| Error::Config("the API key is not valid in an HTTP header".to_owned()))?;
    bearer.set_sensitive(true);
    headers.insert(AUTHORIZATION, bearer);
    if !db.is_empty() {
        let db = HeaderValue::try_from(db).map_err(|_| {
            Error::Config(format!(
                "database name {db:?} is not valid in an HTTP header"
            ))
        })?;
        headers.insert(HeaderName::from_static("x-odoo-database"), db);
    }
    Ok(headers)
}

/// The request body: `ids` when given, the named arguments, and `context` when not empty.
struct Body<'a> {
    ids: Option<&'a Value>,
    named: &'a [(String, Value)],
    context: &'a Struct,
}

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
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

/// Turns a JSON-2 error answer (`status` 4xx/5xx) into the [`Error`] its XML-RPC fault
/// would be. A body that is not Odoo's exception object is a protocol error.
fn error(call: &CallId, status: u16, body: &[u8], sending: &Sending<'_>) -> Error {
    let exception: ExceptionObject = match serde_json::from_slice(body) {
        Ok(exception) => exception,
        Err(e) => {
            let kind = ProtocolError::Json(format!(
                "HTTP {status} without Odoo's error object ({e}): {}",
                crate::wire::transport::snippet(body)
            ));
            return Error::bad_answer(call, kind, sending.idempotency);
        }
    };
    // The result is serialized before the transaction commits (`Json2Dispatcher` answers
    // inside `retrying`): an error answer means nothing was committed.
    Error::Fault(Box::new(json::fault(call, exception)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FaultKind;
    use openspp_xmlrpc::FaultCode;

    fn call() -> CallId {
        call_id("json2", "res.partner", "write")
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

    fn error_of(status: u16, body: &[u8]) -> Error {
        let call = call();
        let sending = Sending::read_only(&call);
        error(&call, status, body, &sending)
    }

    fn kind_of(name: &str, message: &str) -> (FaultKind, FaultCode, String) {
        match error_of(422, &answer(name, message)) {
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
            (
                "builtins.AttributeError",
                "The method 'x' does not exist on the model 'res.partner'",
                FaultKind::UnknownMethod,
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
            "the traceback's cause line, as from XML-RPC's fault string"
        );
        let bare = br#"{"name": "builtins.TypeError", "message": "bad", "debug": ""}"#;
        let Error::Fault(f) = error_of(500, bare) else {
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
                error_of(500, body),
                Error::Protocol {
                    kind: ProtocolError::Json(_),
                    ..
                }
            ));
        }
    }

    #[test]
    fn bodies_name_every_argument() {
        let dt = openspp_xmlrpc::DateTime::new(2026, 11, 18, 9, 30, 0).unwrap();
        let named = vec![
            ("fields".to_owned(), Value::Array(vec!["name".into()])),
            ("when".to_owned(), Value::DateTime(dt)),
            ("data".to_owned(), Value::Base64(b"hi".to_vec())),
            ("big".to_owned(), Value::I8(1 << 40)),
            ("none".to_owned(), Value::Nil),
        ];
        let ids = Value::Array(vec![Value::Int(1), Value::Int(2)]);
        let context = Struct::from([("lang".to_owned(), Value::from("fr_FR"))]);
        let body = json::to_vec(&Body {
            ids: Some(&ids),
            named: &named,
            context: &context,
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"ids":[1,2],"fields":["name"],"when":"2026-11-18 09:30:00","data":"aGk=","big":1099511627776,"none":null,"context":{"lang":"fr_FR"}}"#
        );
        let empty = Struct::new();
        let body = json::to_vec(&Body {
            ids: None,
            named: &[],
            context: &empty,
        })
        .unwrap();
        assert_eq!(body, b"{}");
    }

    #[test]
    fn names_that_would_change_the_url_are_refused() {
        for (model, method) in [
            ("a/b", "read"),
            ("res.partner", "x?y"),
            ("", "read"),
            ("m", "%2e"),
        ] {
            assert!(matches!(
                url_names(&call(), model, method),
                Err(Error::InvalidCall { .. })
            ));
        }
        assert!(url_names(&call(), "res.partner", "search_read").is_ok());
    }
}
