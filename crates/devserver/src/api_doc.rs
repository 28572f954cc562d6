//! Odoo 19's `api_doc` addon, served in 19 mode: `GET /doc-bearer/<model>.json` with an API
//! key as bearer token, the model's fields (`fields_get`) and the public methods with their
//! parameters. JSON-2 clients (odooly) read it to name positional arguments.

use crate::json2::{Failure, bearer_user, failure};
use crate::reply::{Reply, respond};
use crate::service::{App, Call, METHODS, blocking, signature};
use crate::values::value_to_json;
use crate::version::OdooVersion;
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use openspp_xmlrpc::Struct;
use serde_json::{Value as Json, json};
use std::sync::Arc;

/// The model a `/doc-bearer/<model>.json` path names.
pub fn model_of(path: &str) -> Option<&str> {
    path.strip_prefix("/doc-bearer/")?
        .strip_suffix(".json")
        .filter(|model| !model.is_empty() && !model.contains('/'))
}

/// Answers `/doc-bearer/<model>.json`.
pub async fn handle(app: Arc<App>, request: Request<Incoming>) -> Reply {
    let Some(model) = model_of(request.uri().path()).map(str::to_owned) else {
        return failure(Failure::Http(StatusCode::NOT_FOUND, "Not Found".into()));
    };
    let user = match bearer_user(&app, request.headers()) {
        Ok(user) => user.clone(),
        Err(refused) => return failure(refused),
    };
    let outcome = blocking(move || -> Result<String, Failure> {
        let Some(label) = app.registry.model(&model).map(|m| m.label.clone()) else {
            return Err(Failure::Http(StatusCode::NOT_FOUND, "Not Found".into()));
        };
        let fields = app.call_method(
            &user,
            &model,
            Struct::new(),
            Call::new("fields_get", Vec::new(), Struct::new()),
            true,
        )?;
        Ok(format!(
            "{{\"model\": {}, \"name\": {}, \"doc\": null, \"fields\": {}, \"methods\": {}}}",
            Json::String(model.clone()),
            Json::String(label),
            value_to_json(&fields),
            methods(&model, app.odoo_version)
        ))
    })
    .await;
    match outcome {
        Ok(doc) => respond(StatusCode::OK, "application/json; charset=utf-8", doc),
        Err(refused) => failure(refused),
    }
}

/// The methods the server answers on `model`, as `_doc_method` lists them (the deprecated
/// `read_group` is left out, as Odoo 19 leaves it out), as JSON text: clients read the
/// parameters in their order, which a `serde_json` map would sort.
fn methods(model: &str, version: OdooVersion) -> String {
    let quote = |text: &str| Json::String(text.to_owned()).to_string();
    let entries: Vec<String> = METHODS
        .iter()
        .filter(|name| **name != "read_group")
        .filter_map(|name| Some((*name, signature(model, name, version)?)))
        .map(|(name, signature)| {
            let optional = |i: usize| i >= signature.required;
            let parameters: Vec<String> = signature
                .params
                .iter()
                .enumerate()
                .map(|(i, param)| {
                    let doc = if optional(i) {
                        json!({"name": param, "default": null})
                    } else {
                        json!({"name": param})
                    };
                    format!("{}: {doc}", quote(param))
                })
                .collect();
            let text = signature
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| if optional(i) { format!("{p}=None") } else { (*p).to_owned() })
                .collect::<Vec<_>>()
                .join(", ");
            let api = if signature.model { json!(["model"]) } else { json!([]) };
            format!(
                "{}: {{\"signature\": {}, \"parameters\": {{{}}}, \"api\": {api}, \"model\": \"core\", \"module\": \"core\"}}",
                quote(name),
                quote(&format!("({text})")),
                parameters.join(", ")
            )
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}
