//! Odoo's JSON-RPC dispatcher (`JsonRPCDispatcher` in `odoo/http.py`): the envelope every
//! `type='json'` route shares (`/jsonrpc` and the web client's `/web/*` routes), and the
//! `/jsonrpc` front door itself, which runs `{"service", "method", "args"}` on
//! [`App::dispatch`] like XML-RPC, with `null` carried.

use crate::fault::OdooError;
use crate::json_error::serialize;
use crate::reply::{Limits, Reply, json_response, plain, read_body};
use crate::service::{App, blocking};
use crate::values::{json_to_value, value_to_json};
use crate::version::OdooVersion;
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use serde_json::{Map, Value as Json, json};
use std::sync::Arc;

/// The class Odoo raises when a route needs a session and the request has none (or an expired
/// one): answered with JSON-RPC error code 100.
pub const SESSION_EXPIRED: &str = "odoo.http.SessionExpiredException";

/// A JSON-RPC request: its `id` (echoed back) and its `params`.
#[derive(Debug)]
pub struct Envelope {
    /// `id`, `null` when absent.
    pub id: Json,
    /// `params`, empty when absent.
    pub params: Map<String, Json>,
}

impl Envelope {
    /// Parses a body as Odoo does: not JSON is a 400 "Invalid JSON data", JSON that is not an
    /// object with an object `params` a 400 "Invalid JSON-RPC data" (the error is that text).
    pub fn parse(body: &[u8]) -> Result<Envelope, &'static str> {
        let Ok(request) = serde_json::from_slice::<Json>(body) else {
            return Err("400 Bad Request: Invalid JSON data\n");
        };
        let invalid = "Invalid JSON-RPC data";
        let Json::Object(mut request) = request else {
            return Err(invalid);
        };
        let params = match request.remove("params") {
            None => Map::new(),
            Some(Json::Object(params)) => params,
            Some(_) => return Err(invalid),
        };
        Ok(Envelope {
            id: request.remove("id").unwrap_or(Json::Null),
            params,
        })
    }

    /// [`Envelope::parse`], or the 400 answer to a body it refuses.
    pub fn read(body: &[u8]) -> Result<Envelope, Box<Reply>> {
        Envelope::parse(body).map_err(|text| Box::new(plain(StatusCode::BAD_REQUEST, text)))
    }

    /// The answer to this request: `result` (left out when the route returned `None`, as Odoo
    /// leaves it out), or Odoo's `error` object.
    pub fn answer(&self, version: OdooVersion, outcome: Result<Json, OdooError>) -> Reply {
        let mut answer = json!({"jsonrpc": "2.0", "id": self.id});
        match outcome {
            Ok(Json::Null) => {}
            Ok(result) => answer["result"] = result,
            Err(error) => answer["error"] = error_object(version, &error),
        }
        json_response(StatusCode::OK, &answer)
    }
}

/// `JsonRPCDispatcher.handle_error`: code 100 "Odoo Session Expired" for an expired session,
/// otherwise "Odoo Server Error" with code 200 (Odoo 17) or 0 (Odoo 19), the serialized
/// exception as `data`.
pub fn error_object(version: OdooVersion, error: &OdooError) -> Json {
    let expired = matches!(error, OdooError::Python { class, .. } if class == SESSION_EXPIRED);
    let (code, message) = if expired {
        (100, "Odoo Session Expired")
    } else if version >= OdooVersion::V19 {
        (0, "Odoo Server Error")
    } else {
        (200, "Odoo Server Error")
    };
    json!({"code": code, "message": message, "data": serialize(error)})
}

/// `POST /jsonrpc`: `{"method": "call", "params": {"service", "method", "args"}}`.
pub async fn handle(app: Arc<App>, limits: Limits, request: Request<Incoming>) -> Reply {
    let body = match read_body(request, limits).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let envelope = match Envelope::read(&body) {
        Ok(envelope) => envelope,
        Err(response) => return *response,
    };
    let version = app.odoo_version;
    let field = |name: &str| envelope.params.get(name);
    let outcome = match (
        field("service").and_then(Json::as_str),
        field("method").and_then(Json::as_str),
        field("args"),
    ) {
        (Some(service), Some(method), Some(Json::Array(args))) => {
            let args = args.iter().map(json_to_value).collect();
            let (service, method) = (service.to_owned(), method.to_owned());
            blocking(move || app.dispatch(&service, &method, args, true))
                .await
                .map(|value| value_to_json(&value))
        }
        _ => Err(OdooError::type_error(
            "RPC.jsonrpc() missing a required argument: 'service', 'method' and 'args' are required",
        )),
    };
    if let Err(error) = &outcome {
        tracing::info!(%error, "json-rpc call refused");
    }
    envelope.answer(version, outcome)
}
