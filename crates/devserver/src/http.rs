//! HTTP: routes, a bounded request body, XML-RPC decoding and encoding, and faults sent the
//! way Odoo 17 sends them (HTTP 200, `text/xml`, `<?xml version='1.0'?>`).

use crate::fault::OdooError;
use crate::service::App;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode, header};
use odoo_xmlrpc::{DecodeOptions, Document, Value};
use std::sync::Arc;

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    pub max_request_bytes: usize,
    /// Deepest nesting of XML-RPC values accepted.
    pub max_depth: usize,
}

/// Where a request goes: an XML-RPC service, on the current or the legacy endpoint.
fn route(path: &str) -> Option<(&str, bool)> {
    if let Some(service) = path.strip_prefix("/xmlrpc/2/") {
        return Some((service, false));
    }
    path.strip_prefix("/xmlrpc/")
        .filter(|s| !s.contains('/'))
        .map(|s| (s, true))
}

/// Answers one HTTP request.
pub async fn handle(
    app: Arc<App>,
    limits: Limits,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let path = request.uri().path().to_owned();
    if app.odoo_version.serves_json2() && (path == "/json/2" || path.starts_with("/json/2/")) {
        return Ok(crate::json2::handle(app, limits, request).await);
    }
    if path == "/jsonrpc" && request.method() == Method::POST {
        return Ok(match read_body(request, limits).await {
            Ok(body) => jsonrpc(app, &body).await,
            Err(response) => response,
        });
    }
    let Some((service, legacy)) = route(&path).map(|(s, l)| (s.to_owned(), l)) else {
        return Ok(plain(
            StatusCode::NOT_FOUND,
            "404 Not Found: the dev server serves /xmlrpc/2/common, /xmlrpc/2/object and /xmlrpc/2/db\n",
        ));
    };
    if request.method() != Method::POST {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: XML-RPC calls are POST requests\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return Ok(response);
    }
    let body = match read_body(request, limits).await {
        Ok(body) => body,
        Err(response) => return Ok(response),
    };
    let options = DecodeOptions::new()
        .max_depth(limits.max_depth)
        .max_size(Some(limits.max_request_bytes));
    let result = match odoo_xmlrpc::parse_document(&body, &options) {
        Ok(Document::Call(call)) => {
            let started = std::time::Instant::now();
            let method = call.method.clone();
            let service_name = service.clone();
            let outcome = run(app, service_name, call.method, call.params, false).await;
            tracing::debug!(%service, %method, elapsed = ?started.elapsed(), ok = outcome.is_ok(), "call");
            outcome
        }
        Ok(_) => Err(OdooError::python(
            "xml.parsers.expat.ExpatError",
            "the request is not a methodCall",
        )),
        Err(error) => Err(OdooError::python(
            "xml.parsers.expat.ExpatError",
            error.to_string(),
        )),
    };
    Ok(xml(encode(result, legacy)))
}

/// Reads the body, refusing more than the limit (HTTP 413).
pub(crate) async fn read_body(
    request: Request<Incoming>,
    limits: Limits,
) -> Result<Bytes, Response<Full<Bytes>>> {
    match Limited::new(request.into_body(), limits.max_request_bytes)
        .collect()
        .await
    {
        Ok(body) => Ok(body.to_bytes()),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => Err(plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "413 Request Entity Too Large: the limit is {} bytes\n",
                limits.max_request_bytes
            ),
        )),
        Err(error) => Err(plain(
            StatusCode::BAD_REQUEST,
            &format!("400 Bad Request: {error}\n"),
        )),
    }
}

/// Runs a call off the async threads (SQLite blocks).
async fn run(
    app: Arc<App>,
    service: String,
    method: String,
    params: Vec<Value>,
    json: bool,
) -> Result<Value, OdooError> {
    tokio::task::spawn_blocking(move || app.dispatch(&service, &method, params, json))
        .await
        .unwrap_or_else(|panic| {
            Err(OdooError::python(
                "RuntimeError",
                format!("the call failed: {panic}"),
            ))
        })
}

/// `POST /jsonrpc`: `{"method": "call", "params": {"service", "method", "args"}}`, answered
/// with `result` or Odoo's `error` object.
async fn jsonrpc(app: Arc<App>, body: &[u8]) -> Response<Full<Bytes>> {
    use serde_json::{Value as Json, json};
    let request: Json = serde_json::from_slice(body).unwrap_or(Json::Null);
    let id = request.get("id").cloned().unwrap_or(Json::Null);
    let params = request.get("params");
    let field = |name: &str| params.and_then(|p| p.get(name));
    let outcome = match (
        field("service").and_then(Json::as_str),
        field("method").and_then(Json::as_str),
        field("args"),
    ) {
        (Some(service), Some(method), Some(Json::Array(args))) => {
            let args = args.iter().map(crate::values::json_to_value).collect();
            run(app, service.to_owned(), method.to_owned(), args, true).await
        }
        _ => Err(OdooError::python(
            "KeyError",
            "'params' must hold service, method and args",
        )),
    };
    let answer = match outcome {
        Ok(value) => {
            json!({"jsonrpc": "2.0", "id": id, "result": crate::values::value_to_json(&value)})
        }
        Err(error) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": 200,
            "message": "Odoo Server Error", "data": crate::json_error::serialize(&error)}}),
    };
    json_response(StatusCode::OK, &answer)
}

/// The response body for a result: the value, or the fault in the endpoint's dialect.
fn encode(result: Result<Value, OdooError>, legacy: bool) -> Vec<u8> {
    let error = match result {
        Ok(value) if crate::values::contains_nil(&value) => {
            OdooError::type_error("cannot marshal None unless allow_none is enabled")
        }
        Ok(value) => match odoo_xmlrpc::to_response(&crate::values::xml_safe(value)) {
            Ok(bytes) => return bytes,
            Err(error) => OdooError::unmarshallable(&error),
        },
        Err(error) => error,
    };
    let fault = if legacy {
        error.to_legacy_fault()
    } else {
        error.to_fault()
    };
    odoo_xmlrpc::to_fault(&crate::fault::xml_safe_fault(fault))
}

/// Odoo 17's marshaller writes the XML declaration with single quotes.
fn odoo_prolog(mut body: Vec<u8>) -> Vec<u8> {
    const DOUBLE: &[u8] = b"<?xml version=\"1.0\"?>";
    if body.starts_with(DOUBLE) {
        body.splice(..DOUBLE.len(), b"<?xml version='1.0'?>".iter().copied());
    }
    body
}

fn xml(body: Vec<u8>) -> Response<Full<Bytes>> {
    respond(StatusCode::OK, "text/xml; charset=utf-8", odoo_prolog(body))
}

/// A plain-text answer, for what is not an RPC answer at all (unknown paths, bad bodies).
pub(crate) fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    respond(status, "text/plain; charset=utf-8", text.to_owned())
}

/// Odoo's `make_json_response`.
pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response<Full<Bytes>> {
    respond(status, "application/json; charset=utf-8", body.to_string())
}

fn respond(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route("/xmlrpc/2/object"), Some(("object", false)));
        assert_eq!(route("/xmlrpc/common"), Some(("common", true)));
        assert_eq!(route("/web/login"), None);
        assert_eq!(
            odoo_prolog(b"<?xml version=\"1.0\"?>\n<a/>".to_vec()),
            b"<?xml version='1.0'?>\n<a/>"
        );
    }
}
