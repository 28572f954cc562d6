//! Odoo's `serialize_exception` (`odoo/http.py`): the JSON shape of an exception,
//! `{name, message, arguments, context, debug}`, which `/jsonrpc` answers inside `error.data`
//! and JSON-2 answers as the body, with the HTTP status JSON-2 gives it.

use crate::fault::OdooError;
use hyper::StatusCode;
use serde_json::{Value as Json, json};

/// The exception's class as Odoo names it: `module.Class` (`odoo.exceptions.UserError`,
/// `builtins.TypeError`, `psycopg2.OperationalError`).
fn qualified_name(error: &OdooError) -> String {
    match error {
        OdooError::User(_) => "odoo.exceptions.UserError".into(),
        OdooError::Validation(_) => "odoo.exceptions.ValidationError".into(),
        OdooError::Missing(_) => "odoo.exceptions.MissingError".into(),
        OdooError::Access(_) => "odoo.exceptions.AccessError".into(),
        OdooError::AccessDenied(_) => "odoo.exceptions.AccessDenied".into(),
        OdooError::Python { class, .. } if class.contains('.') => class.clone(),
        OdooError::Python { class, .. } => format!("builtins.{class}"),
        OdooError::Traceback(_) => "builtins.Exception".into(),
    }
}

/// `str(exception)`.
fn message(error: &OdooError) -> String {
    match error {
        OdooError::User(m)
        | OdooError::Validation(m)
        | OdooError::Missing(m)
        | OdooError::Access(m)
        | OdooError::AccessDenied(m)
        | OdooError::Traceback(m) => m.clone(),
        OdooError::Python { message, .. } => message.clone(),
    }
}

/// What `traceback.format_exception` prints: a frame, then the exception line (Python leaves
/// `builtins.` out of it). `AccessDenied` suppresses its traceback, so only its line remains.
fn debug(error: &OdooError) -> String {
    let line = match error {
        OdooError::Python { .. } | OdooError::Traceback(_) => error.to_string(),
        other => format!("{}: {}", qualified_name(other), message(other)),
    };
    match error {
        OdooError::AccessDenied(_) => format!("{line}\n"),
        _ => format!(
            "Traceback (most recent call last):\n  File \"openspp-devserver\", in dispatch\n{line}\n"
        ),
    }
}

/// The serialized exception.
pub fn serialize(error: &OdooError) -> Json {
    let message = message(error);
    json!({
        "name": qualified_name(error),
        "message": message,
        "arguments": [message],
        "context": {},
        "debug": debug(error),
    })
}

/// The status JSON-2 answers an exception with (`Json2Dispatcher.handle_error`): a
/// `UserError`'s `http_status` (422; `AccessError` and `AccessDenied` 403, `MissingError`
/// 404, per Odoo 19's `odoo/exceptions.py`), 500 for any other exception.
pub fn http_status(error: &OdooError) -> StatusCode {
    match error {
        OdooError::User(_) | OdooError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        OdooError::Missing(_) => StatusCode::NOT_FOUND,
        OdooError::Access(_) | OdooError::AccessDenied(_) => StatusCode::FORBIDDEN,
        OdooError::Python { .. } | OdooError::Traceback(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A werkzeug `HTTPException` (`NotFound`, `Unauthorized`, `UnprocessableEntity`,
/// `BadRequest`) serialized as JSON-2 does: the description as message, `[description, code]`
/// as arguments.
pub fn serialize_http(status: StatusCode, description: &str) -> Json {
    let class = match status {
        StatusCode::BAD_REQUEST => "BadRequest",
        StatusCode::UNAUTHORIZED => "Unauthorized",
        StatusCode::FORBIDDEN => "Forbidden",
        StatusCode::NOT_FOUND => "NotFound",
        StatusCode::PAYLOAD_TOO_LARGE => "RequestEntityTooLarge",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaType",
        StatusCode::UNPROCESSABLE_ENTITY => "UnprocessableEntity",
        _ => "HTTPException",
    };
    let reason = status.canonical_reason().unwrap_or_default();
    let code = status.as_u16();
    json!({
        "name": format!("werkzeug.exceptions.{class}"),
        "message": description,
        "arguments": [description, code],
        "context": {},
        "debug": format!("Traceback (most recent call last):\n  File \"openspp-devserver\", in dispatch\nwerkzeug.exceptions.{class}: {code} {reason}: {description}\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_statuses_follow_odoo_19() {
        let cases = [
            (
                OdooError::User("u".into()),
                "odoo.exceptions.UserError",
                422,
            ),
            (
                OdooError::Validation("v".into()),
                "odoo.exceptions.ValidationError",
                422,
            ),
            (
                OdooError::Missing("m".into()),
                "odoo.exceptions.MissingError",
                404,
            ),
            (
                OdooError::Access("a".into()),
                "odoo.exceptions.AccessError",
                403,
            ),
            (
                OdooError::AccessDenied("d".into()),
                "odoo.exceptions.AccessDenied",
                403,
            ),
            (OdooError::type_error("t"), "builtins.TypeError", 500),
            (
                OdooError::python("psycopg2.OperationalError", "o"),
                "psycopg2.OperationalError",
                500,
            ),
        ];
        for (error, name, status) in cases {
            let body = serialize(&error);
            assert_eq!(body["name"], name);
            assert_eq!(http_status(&error).as_u16(), status, "{name}");
            assert_eq!(body["arguments"], json!([body["message"]]));
            let debug = body["debug"].as_str().unwrap_or_default();
            assert!(debug.ends_with(&format!("{}\n", body["message"].as_str().unwrap_or("?"))));
        }
        let denied = serialize(&OdooError::AccessDenied("Access Denied".into()));
        assert_eq!(
            denied["debug"],
            "odoo.exceptions.AccessDenied: Access Denied\n"
        );
        let typed = serialize(&OdooError::type_error("bad"));
        assert!(
            typed["debug"]
                .as_str()
                .is_some_and(|d| d.ends_with("\nTypeError: bad\n"))
        );
        let missing = serialize_http(StatusCode::NOT_FOUND, "the model 'x' does not exist");
        assert_eq!(missing["name"], "werkzeug.exceptions.NotFound");
        assert_eq!(
            missing["arguments"],
            json!(["the model 'x' does not exist", 404])
        );
    }
}
