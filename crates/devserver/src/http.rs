//! Routing only: each path goes to its front door ([`crate::xmlrpc`], [`crate::jsonrpc`],
//! [`crate::web`], [`crate::json2`]), which turns its wire format into the same ORM calls.

use crate::reply::{Limits, Reply, plain};
use crate::service::App;
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};
use std::sync::Arc;

/// Answers one HTTP request.
pub async fn handle(
    app: Arc<App>,
    limits: Limits,
    mut request: Request<Incoming>,
) -> Result<Reply, std::convert::Infallible> {
    if !app.path_prefix.is_empty() {
        match strip_prefix(request.uri(), &app.path_prefix) {
            Some(uri) => *request.uri_mut() = uri,
            None => {
                return Ok(plain(
                    StatusCode::NOT_FOUND,
                    &format!(
                        "404 Not Found: this server serves under {}/\n",
                        app.path_prefix
                    ),
                ));
            }
        }
    }
    let path = request.uri().path().to_owned();
    let version = app.odoo_version;
    Ok(
        if version.serves_json2() && (path == "/json/2" || path.starts_with("/json/2/")) {
            crate::json2::handle(app, limits, request).await
        } else if version.serves_json2() && crate::api_doc::model_of(&path).is_some() {
            crate::api_doc::handle(app, request).await
        } else if path == "/jsonrpc" && request.method() == Method::POST {
            crate::jsonrpc::handle(app, limits, request).await
        } else if crate::web::serves(&path, version) {
            crate::web::handle(app, limits, request).await
        } else if let Some((service, legacy)) = crate::xmlrpc::route(&path) {
            let service = service.to_owned();
            crate::xmlrpc::handle(app, limits, service, legacy, request).await
        } else {
            tracing::info!(%path, "no such route");
            plain(
                StatusCode::NOT_FOUND,
                "404 Not Found: the dev server serves /xmlrpc/2/*, /jsonrpc, the web client's \
                 /web/session, /web/dataset and /web/database routes, and /json/2 as Odoo 19\n",
            )
        },
    )
}

/// `uri` without the leading `prefix` (`/odoo/jsonrpc` is `/jsonrpc`), or `None` when it is not
/// under it.
fn strip_prefix(uri: &hyper::Uri, prefix: &str) -> Option<hyper::Uri> {
    let rest = uri.path().strip_prefix(prefix)?;
    if !rest.starts_with('/') {
        return None;
    }
    let path_and_query = match uri.query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    hyper::Uri::builder()
        .path_and_query(path_and_query)
        .build()
        .ok()
}
