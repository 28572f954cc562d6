//! The XML-RPC front door (`/xmlrpc/2/<service>`, and the legacy `/xmlrpc/<service>` with its
//! string fault codes): decodes the call, runs it on [`App::dispatch`], and answers or faults
//! the way Odoo 17 does (HTTP 200, `text/xml`, `<?xml version='1.0'?>`).

use crate::fault::OdooError;
use crate::reply::{Limits, Reply, plain, read_body, respond};
use crate::service::{App, blocking};
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode, header};
use openspp_xmlrpc::{DecodeOptions, Document, Value};
use std::sync::Arc;

/// The service a path names, and whether it is the legacy endpoint.
pub fn route(path: &str) -> Option<(&str, bool)> {
    if let Some(service) = path.strip_prefix("/xmlrpc/2/") {
        return Some((service, false));
    }
    path.strip_prefix("/xmlrpc/")
        .filter(|s| !s.contains('/'))
        .map(|s| (s, true))
}

/// Answers a call to `service`.
pub async fn handle(
    app: Arc<App>,
    limits: Limits,
    service: String,
    legacy: bool,
    request: Request<Incoming>,
) -> Reply {
    if request.method() != Method::POST {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "405 Method Not Allowed: XML-RPC calls are POST requests\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let body = match read_body(request, limits).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let options = DecodeOptions::new()
        .max_depth(limits.max_depth)
        .max_size(Some(limits.max_request_bytes));
    let result = match openspp_xmlrpc::parse_document(&body, &options) {
        Ok(Document::Call(call)) => {
            let started = std::time::Instant::now();
            let method = call.method.clone();
            let service_name = service.clone();
            let outcome =
                blocking(move || app.dispatch(&service_name, &call.method, call.params, false))
                    .await;
            tracing::debug!(%service, %method, elapsed = ?started.elapsed(), ok = outcome.is_ok(), "xml-rpc call");
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
    if let Err(error) = &result {
        tracing::info!(%service, %error, "xml-rpc call refused");
    }
    respond(
        StatusCode::OK,
        "text/xml; charset=utf-8",
        odoo_prolog(encode(result, legacy)),
    )
}

/// The response body for a result: the value, or the fault in the endpoint's dialect.
fn encode(result: Result<Value, OdooError>, legacy: bool) -> Vec<u8> {
    let error = match result {
        Ok(value) if crate::values::contains_nil(&value) => {
            OdooError::type_error("cannot marshal None unless allow_none is enabled")
        }
        Ok(value) => match openspp_xmlrpc::to_response(&crate::values::xml_safe(value)) {
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
    openspp_xmlrpc::to_fault(&crate::fault::xml_safe_fault(fault))
}

/// Odoo 17's marshaller writes the XML declaration with single quotes.
fn odoo_prolog(mut body: Vec<u8>) -> Vec<u8> {
    const DOUBLE: &[u8] = b"<?xml version=\"1.0\"?>";
    if body.starts_with(DOUBLE) {
        body.splice(..DOUBLE.len(), b"<?xml version='1.0'?>".iter().copied());
    }
    body
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
