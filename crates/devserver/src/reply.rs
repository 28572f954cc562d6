//! What every front door shares: the bounded request body, and answers as plain text or JSON.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode, header};

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    pub max_request_bytes: usize,
    /// Deepest nesting of XML-RPC values accepted.
    pub max_depth: usize,
}

/// An HTTP answer.
pub type Reply = Response<Full<Bytes>>;

/// Reads the body, refusing more than the limit (HTTP 413).
pub async fn read_body(request: Request<Incoming>, limits: Limits) -> Result<Bytes, Reply> {
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

/// A plain-text answer, for what is not an RPC answer at all (unknown paths, bad bodies).
pub fn plain(status: StatusCode, text: &str) -> Reply {
    respond(status, "text/plain; charset=utf-8", text.to_owned())
}

/// Odoo's `make_json_response`.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Reply {
    respond(status, "application/json; charset=utf-8", body.to_string())
}

/// An answer with this status, content type and body.
pub fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}
