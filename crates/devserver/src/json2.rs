//! Odoo 19's JSON-2 API (`addons/rpc/controllers/json2.py`), served when the server presents
//! itself as 19.0 or later: `POST /json/2/<model>/<method>` with `Authorization: bearer <API
//! key>`, an optional `X-Odoo-Database`, and a JSON object of named arguments (`ids`,
//! `context`, and the method's own parameters). The answer is the method's result as JSON
//! (records as their ids); an error is an HTTP status with Odoo's
//! `{name, message, arguments, context, debug}` (see [`crate::json_error`]).
//!
//! The arguments are bound against the same method table as XML-RPC's
//! ([`crate::service::signature`]) and run by the same ORM in one transaction
//! ([`App::call_method`]); only the checks of `web_json_2_rpc` are JSON-2's own.

use crate::auth::User;
use crate::fault::OdooError;
use crate::json_error::{http_status, serialize, serialize_http};
use crate::reply::{Limits, json_response, read_body, respond};
use crate::service::{App, Call, Signature, blocking, signature};
use crate::values::{is_falsy, json_to_value, py_repr, value_to_json};
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{HeaderMap, Method, Request, Response, StatusCode, header};
use openspp_xmlrpc::{Struct, Value};
use serde_json::Value as Json;
use std::sync::Arc;

/// Why a JSON-2 call failed: a werkzeug HTTP exception raised by the endpoint itself, or an
/// exception raised by the method.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `NotFound`, `Unauthorized`, `UnprocessableEntity`, `BadRequest`, with its description.
    Http(StatusCode, String),
    /// Raised by the ORM.
    Odoo(OdooError),
}

impl From<OdooError> for Failure {
    fn from(error: OdooError) -> Self {
        Failure::Odoo(error)
    }
}

/// The named arguments of one call, as the body gave them.
#[derive(Debug)]
struct NamedArgs {
    ids: Value,
    context: Struct,
    kwargs: Struct,
}

/// Odoo 19's page for a request whose `X-Odoo-Database` names no database.
const NO_DATABASE_PAGE: &str = "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n\
<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n\
<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n\
<!-- Alternatively, use the X-Odoo-Database header. -->\n";

/// werkzeug's HTML page for the 415 a body that is not JSON gets.
const UNSUPPORTED_MEDIA_TYPE_PAGE: &str = "<!doctype html>\n<html lang=en>\n\
<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n\
<p>Request inferred type is compatible with [&#39;http&#39;] but \
&#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;.<br><br>\
Please verify the Content-Type request header and try again.</p>\n";

/// Answers a request under `/json/2`.
pub async fn handle(
    app: Arc<App>,
    limits: Limits,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    // an unknown database leaves Odoo without the routes of a database: its HTML 404 page
    if let Some(database) = request.headers().get("x-odoo-database") {
        if database.as_bytes() != app.database.as_bytes() {
            tracing::info!(database = %String::from_utf8_lossy(database.as_bytes()), "json-2 call for another database");
            return respond(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                NO_DATABASE_PAGE,
            );
        }
    }
    let target = target(request.uri().path()).filter(|_| request.method() == Method::POST);
    let Some((model, method)) = target else {
        return failure(Failure::Http(
            StatusCode::NOT_FOUND,
            "Did you mean POST /json/2/<model>/<method>?".into(),
        ));
    };
    if let Err(failure_) = check_content_type(request.headers()) {
        return failure(failure_);
    }
    let user = match bearer_user(&app, request.headers()) {
        Ok(user) => user.clone(),
        Err(failure_) => return failure(failure_),
    };
    let body = match read_body(request, limits).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let args = match named_args(&body) {
        Ok(args) => args,
        Err(failure_) => return failure(failure_),
    };
    let started = std::time::Instant::now();
    let outcome = blocking({
        let (model, method) = (model.clone(), method.clone());
        move || call(&app, &user, &model, &method, args)
    })
    .await;
    tracing::debug!(%model, %method, elapsed = ?started.elapsed(), ok = outcome.is_ok(), "json2 call");
    match outcome {
        Ok(value) => json_response(StatusCode::OK, &value_to_json(&value)),
        Err(failure_) => failure(failure_),
    }
}

/// `(model, method)` of `/json/2/<model>/<method>`, percent-decoded; `None` for any other
/// path under `/json/2` (werkzeug's default converter takes no `/`).
fn target(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("/json/2/")?;
    let (model, method) = rest.split_once('/')?;
    if model.is_empty() || method.is_empty() || method.contains('/') {
        return None;
    }
    Some((percent_decode(model)?, percent_decode(method)?))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The user whose API key the `Authorization: bearer <key>` header carries (`ir.http`'s
/// `_auth_method_bearer`): 401 without the header, 401 "Invalid apikey" for a key no user
/// has (a password is no API key).
pub(crate) fn bearer_user<'a>(app: &'a App, headers: &HeaderMap) -> Result<&'a User, Failure> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(char::is_whitespace)?;
            let token = token.trim();
            (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
        });
    let Some(token) = token else {
        return Err(Failure::Http(
            StatusCode::UNAUTHORIZED,
            "User not authenticated, use an API Key with a Bearer Authorization header.".into(),
        ));
    };
    app.users
        .iter()
        .find(|user| user.has_api_key(token))
        .ok_or_else(|| Failure::Http(StatusCode::UNAUTHORIZED, "Invalid apikey".into()))
}

/// JSON-2 routes take `application/json` bodies, or none at all
/// (`Json2Dispatcher.is_compatible_with`); anything else is a 415 (`_set_request_dispatcher`).
fn check_content_type(headers: &HeaderMap) -> Result<(), Failure> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mimetype| mimetype.trim().eq_ignore_ascii_case("application/json"));
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok());
    let has_body = match length {
        Some(length) => length.trim() != "0",
        None => headers.contains_key(header::TRANSFER_ENCODING),
    };
    if is_json || !has_body {
        return Ok(());
    }
    Err(Failure::Http(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        UNSUPPORTED_MEDIA_TYPE_PAGE.into(),
    ))
}

/// The body's named arguments: an empty body names none; anything but a JSON object is a 400
/// (Odoo would silently drop a non-object body; this server says so instead).
fn named_args(body: &[u8]) -> Result<NamedArgs, Failure> {
    let bad = |description: String| Failure::Http(StatusCode::BAD_REQUEST, description);
    let object = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Map::new()
    } else {
        match serde_json::from_slice::<Json>(body) {
            Ok(Json::Object(object)) => object,
            Ok(other) => {
                return Err(bad(format!(
                    "the body must be a JSON object of named arguments, not {}",
                    json_kind(&other)
                )));
            }
            Err(error) => {
                return Err(bad(format!(
                    "could not parse the body as json: {}",
                    python_json_error(body, &error)
                )));
            }
        }
    };
    let mut kwargs: Struct = object
        .iter()
        .map(|(name, value)| (name.clone(), json_to_value(value)))
        .collect();
    let ids = match kwargs.remove("ids") {
        None | Some(Value::Nil) => Value::Array(Vec::new()),
        Some(ids) => ids,
    };
    let context = match kwargs.remove("context") {
        None | Some(Value::Nil) => Struct::new(),
        Some(Value::Struct(context)) => context,
        Some(other) => {
            return Err(Failure::Odoo(OdooError::type_error(format!(
                "context must be a mapping, not {}",
                py_repr(&other)
            ))));
        }
    };
    Ok(NamedArgs {
        ids,
        context,
        kwargs,
    })
}

/// The message Python's `json.loads` gives for the error serde_json found: its words
/// (`Expecting value`, `Expecting property name enclosed in double quotes`...) and its
/// position (`line 1 column 2 (char 1)`, the column one past the end for a truncated body).
fn python_json_error(body: &[u8], error: &serde_json::Error) -> String {
    let text = error.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text);
    let eof = what.starts_with("EOF while parsing");
    let words = match what {
        "key must be a string" | "EOF while parsing an object" => {
            "Expecting property name enclosed in double quotes"
        }
        "expected value" | "EOF while parsing a value" | "EOF while parsing a list" => {
            "Expecting value"
        }
        "expected `:`" => "Expecting ':' delimiter",
        "expected `,` or `}`" | "expected `,` or `]`" => "Expecting ',' delimiter",
        "trailing characters" => "Extra data",
        "EOF while parsing a string" => "Unterminated string starting at",
        other => other,
    };
    let line = error.line().max(1);
    let column = error.column() + usize::from(eof);
    let text = String::from_utf8_lossy(body);
    let before: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(|l| l.chars().count())
        .sum();
    let char_offset = before + column.saturating_sub(1);
    format!("{words}: line {line} column {column} (char {char_offset})")
}

fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// `web_json_2_rpc`: the model (404), the public method (404; a private one is an
/// `AccessError`), no `ids` for an `@api.model` method (422), the arguments bound like
/// `inspect.signature(func).bind` (422), then the call; records answer as their ids.
fn call(
    app: &App,
    user: &User,
    model: &str,
    method: &str,
    args: NamedArgs,
) -> Result<Value, Failure> {
    if app.registry.model(model).is_none() && app.registry.skipped(model).is_none() {
        return Err(Failure::Http(
            StatusCode::NOT_FOUND,
            format!(
                "the model {} does not exist",
                py_repr(&Value::String(model.to_owned()))
            ),
        ));
    }
    // odoo/service/model.py's get_public_method, in its order
    if method.starts_with('_') {
        return Err(Failure::Odoo(OdooError::Access(format!(
            "Private methods (such as '{model}.{method}') cannot be called remotely."
        ))));
    }
    let Some(signature) = signature(model, method, app.odoo_version) else {
        return call_listed(app, user, model, method, args);
    };
    if signature.model && !is_falsy(&args.ids) {
        return Err(Failure::Http(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("cannot call {model}.{method} with ids"),
        ));
    }
    bind(signature, &args.kwargs)
        .map_err(|description| Failure::Http(StatusCode::UNPROCESSABLE_ENTITY, description))?;
    let positional = if signature.model {
        Vec::new()
    } else {
        vec![args.ids]
    };
    let result = app.call_method(
        user,
        model,
        args.context,
        Call::new(method, positional, args.kwargs),
        true,
    )?;
    Ok(match result {
        // `create` of one dict answers a record: JSON-2 answers its ids
        Value::Int(_) | Value::I8(_) if signature.returns_records => Value::Array(vec![result]),
        other => other,
    })
}

/// [`call`] for a method the model's schema lists (a business method): the same checks,
/// against the listed parameters.
fn call_listed(
    app: &App,
    user: &User,
    model: &str,
    method: &str,
    args: NamedArgs,
) -> Result<Value, Failure> {
    let listed = app
        .registry
        .model(model)
        .and_then(|m| crate::methods::listed(m, method));
    let Some(listed) = listed else {
        return Err(Failure::Http(
            StatusCode::NOT_FOUND,
            format!("The method '{model}.{method}' does not exist"),
        ));
    };
    if listed.model && !is_falsy(&args.ids) {
        return Err(Failure::Http(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("cannot call {model}.{method} with ids"),
        ));
    }
    crate::methods::check_named(listed, &args.kwargs)
        .map_err(|description| Failure::Http(StatusCode::UNPROCESSABLE_ENTITY, description))?;
    let positional = if listed.model {
        Vec::new()
    } else {
        vec![args.ids]
    };
    Ok(app.call_method(
        user,
        model,
        args.context,
        Call::new(method, positional, args.kwargs),
        true,
    )?)
}

/// `inspect.Signature.bind` of keyword arguments, with its messages: a missing parameter
/// before an unexpected keyword.
fn bind(signature: Signature, kwargs: &Struct) -> Result<(), String> {
    let (params, required) = (signature.params, signature.required);
    if let Some(missing) = params[..required]
        .iter()
        .find(|name| !kwargs.contains_key(**name))
    {
        return Err(format!("missing a required argument: '{missing}'"));
    }
    match kwargs.keys().find(|key| !params.contains(&key.as_str())) {
        // `**kwargs` take the rest: the method names what it does not take
        Some(_) if signature.var_kwargs.is_some() => Ok(()),
        Some(unexpected) => Err(format!("got an unexpected keyword argument '{unexpected}'")),
        None => Ok(()),
    }
}

pub(crate) fn failure(failure: Failure) -> Response<Full<Bytes>> {
    if let Failure::Http(StatusCode::UNSUPPORTED_MEDIA_TYPE, page) = &failure {
        // raised before the JSON-2 dispatcher is chosen: werkzeug's HTML page
        let mut response = respond(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/html; charset=utf-8",
            page.clone(),
        );
        response.headers_mut().insert(
            header::ACCEPT,
            header::HeaderValue::from_static("application/json"),
        );
        return response;
    }
    let (status, body, from_endpoint) = match failure {
        Failure::Http(status, description) => (status, serialize_http(status, &description), true),
        Failure::Odoo(error) => (http_status(&error), serialize(&error), false),
    };
    let mut response = json_response(status, &body);
    let extra = match status {
        StatusCode::UNAUTHORIZED => Some((header::WWW_AUTHENTICATE, "Bearer")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Some((header::ACCEPT, "application/json")),
        _ => None,
    };
    if let Some((name, value)) = extra.filter(|_| from_endpoint) {
        response
            .headers_mut()
            .insert(name, header::HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_model_and_method() {
        assert_eq!(
            target("/json/2/res.partner/search_read"),
            Some(("res.partner".into(), "search_read".into()))
        );
        assert_eq!(
            target("/json/2/res%2Epartner/read"),
            Some(("res.partner".into(), "read".into()))
        );
        for other in [
            "/json/2",
            "/json/2/",
            "/json/2/res.partner",
            "/json/2/res.partner/",
            "/json/2/a/b/c",
            "/json/2/%zz/read",
            "/json/2/%ff/read",
        ] {
            assert_eq!(target(other), None, "{other}");
        }
    }

    #[test]
    fn json_errors_read_as_pythons() {
        let message = |body: &str| {
            let error = serde_json::from_str::<Json>(body).expect_err(body);
            python_json_error(body.as_bytes(), &error)
        };
        assert_eq!(
            message("{bad json"),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        );
        assert_eq!(message("abc"), "Expecting value: line 1 column 1 (char 0)");
        assert_eq!(message("[1,"), "Expecting value: line 1 column 4 (char 3)");
        assert_eq!(
            message("{\"a\" 1}"),
            "Expecting ':' delimiter: line 1 column 6 (char 5)"
        );
        assert_eq!(message("{} x"), "Extra data: line 1 column 4 (char 3)");
        assert_eq!(
            message("{\n\"a\": x}"),
            "Expecting value: line 2 column 6 (char 7)"
        );
    }

    #[test]
    fn binding_reports_like_inspect() {
        let kwargs = |names: &[&str]| -> Struct {
            names
                .iter()
                .map(|n| ((*n).to_owned(), Value::Bool(true)))
                .collect()
        };
        let version = crate::version::OdooVersion::V19;
        let count = signature("res.partner", "search_count", version).expect("search_count");
        assert_eq!(bind(count, &kwargs(&["domain"])), Ok(()));
        assert_eq!(
            bind(count, &kwargs(&["limit"])),
            Err("missing a required argument: 'domain'".into())
        );
        assert_eq!(
            bind(count, &kwargs(&["bogus"])),
            Err("missing a required argument: 'domain'".into())
        );
        assert_eq!(
            bind(count, &kwargs(&["domain", "bogus"])),
            Err("got an unexpected keyword argument 'bogus'".into())
        );
        // search_read's **read_kwargs take anything; _read_format refuses it later
        let search_read = signature("res.partner", "search_read", version).expect("search_read");
        assert_eq!(bind(search_read, &kwargs(&["bogus"])), Ok(()));
    }
}
