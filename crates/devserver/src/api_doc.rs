//! Odoo 19's `api_doc` addon, served in 19 mode: `GET /doc-bearer/<model>.json` with an API
//! key as bearer token, the model's fields (`fields_get`) and the public methods with their
//! parameters. JSON-2 clients (odooly) read it to name positional arguments.

use crate::fault::OdooError;
use crate::json2::{Failure, bearer_user, failure};
use crate::registry::Model;
use crate::reply::{Reply, respond};
use crate::service::{App, Call, METHODS, Signature, blocking, signature};
use crate::values::value_to_json;
use crate::version::OdooVersion;
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use openspp_schema::{MethodSchema, MethodSource, ParameterKind, ParameterSchema};
use openspp_xmlrpc::Struct;
use serde_json::Value as Json;
use std::collections::BTreeMap;
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
        let Some(described) = app.registry.model(&model) else {
            return Err(Failure::Http(StatusCode::NOT_FOUND, "Not Found".into()));
        };
        if refused_when_dumped(&app, described) {
            return Err(Failure::Odoo(OdooError::Access(format!(
                "You are not allowed to access '{}' ({model}) records.",
                described.label
            ))));
        }
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
            Json::String(described.label.clone()),
            value_to_json(&fields),
            methods(described, app.odoo_version)
        ))
    })
    .await;
    match outcome {
        Ok(doc) => respond(StatusCode::OK, "application/json; charset=utf-8", doc),
        Err(refused) => failure(refused),
    }
}

/// Whether the server the schemas were dumped from refused `/doc-bearer` for `model`: its
/// `doc_model` answers 403 to a user without read access (`check_access('read')`: for admin,
/// the mixins and wizards without an access rule), and the dump then records no methods. A
/// schema set whose `res.users` lists the ORM's own methods (`defined_in` `core`, which only
/// `/doc-bearer` gives, and `res.users` is the model the dump asks first) was dumped from
/// `/doc-bearer`, where every model the server described lists them: a model listing none was
/// refused, and is refused here too, so that the dump of this server gives back the schemas
/// it serves.
fn refused_when_dumped(app: &App, model: &Model) -> bool {
    let lists_orm_methods = |model: &Model| {
        model
            .schema
            .methods
            .values()
            .any(|method| method.defined_in.as_deref() == Some("core"))
    };
    model.schema.methods.is_empty()
        && app
            .registry
            .model("res.users")
            .is_some_and(lists_orm_methods)
}

/// The methods the server answers on `model`, as `_doc_method` lists them, as JSON text
/// (clients read the parameters in their order, which a `serde_json` map would sort): those
/// the model's schema lists, and the ORM's own that the server implements and the schema
/// does not list (a schema dumped from Odoo 17 lists only form buttons), but those Odoo 19
/// leaves out ([`NOT_LISTED`]).
fn methods(model: &Model, version: OdooVersion) -> String {
    let mut listing: BTreeMap<&str, MethodSchema> = METHODS
        .iter()
        .filter(|name| !NOT_LISTED.contains(name))
        .filter_map(|name| Some((*name, orm_method(signature(&model.name, name, version)?))))
        .collect();
    for (name, method) in &model.schema.methods {
        listing.insert(name, method.clone());
    }
    let entries: Vec<String> = listing
        .iter()
        .map(|(name, method)| format!("{}: {}", quote(name), entry(method)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// Methods of the server's table that Odoo 19 does not list: `read_group` is deprecated,
/// `exists` is `@api.private` and `check_access_rights` gone (both measured on the real
/// server's `/doc-bearer/spp.cycle.json`).
const NOT_LISTED: &[&str] = &["read_group", "exists", "check_access_rights"];

fn quote(text: &str) -> String {
    Json::String(text.to_owned()).to_string()
}

/// One method's `_doc_method` entry, its parameters in the signature's order.
fn entry(method: &MethodSchema) -> String {
    let mut entry = match method.to_doc_bearer() {
        Json::Object(entry) => entry,
        other => return other.to_string(),
    };
    let described = entry.remove("parameters").unwrap_or_default();
    let parameters: Vec<String> = method
        .parameters
        .iter()
        .map(|param| {
            let about = described.get(&param.name).cloned().unwrap_or_default();
            format!("{}: {about}", quote(&param.name))
        })
        .collect();
    let rest = Json::Object(entry).to_string();
    let rest = rest.trim_start_matches('{');
    let separator = if rest == "}" { "" } else { ", " };
    format!(
        "{{\"parameters\": {{{}}}{separator}{rest}",
        parameters.join(", ")
    )
}

/// An ORM method of the server's table as `api_doc` describes it: its parameters, those with
/// a default defaulting to `None`.
fn orm_method(signature: Signature) -> MethodSchema {
    MethodSchema {
        source: MethodSource::DocBearer,
        model: signature.model,
        readonly: false,
        parameters: signature
            .params
            .iter()
            .enumerate()
            .map(|(i, name)| ParameterSchema {
                name: (*name).to_owned(),
                kind: ParameterKind::PositionalOrKeyword,
                default: (i >= signature.required).then(|| "None".to_owned()),
                annotation: None,
                doc: String::new(),
            })
            .collect(),
        returns: None,
        returns_doc: String::new(),
        doc: String::new(),
        label: String::new(),
        confirm: None,
        groups: None,
        defined_in: Some("core".into()),
        module: Some("core".into()),
    }
}
