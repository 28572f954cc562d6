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
    request: Request<Incoming>,
) -> Result<Reply, std::convert::Infallible> {
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
