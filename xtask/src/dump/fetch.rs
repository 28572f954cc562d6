//! The calls the dump makes, in order, and how their answers are collected.

use super::assemble::defining_addons;
use super::filter::Selection;
use super::methods;
use super::progress::Progress;
use super::rpc::{CallError, Session};
use super::snapshot::{self, DefaultGet, FieldsGet, Snapshot};
use anyhow::{Context, bail};
use futures_util::{StreamExt, TryStreamExt, stream};
use openspp_client::{Args, Protocol};
use openspp_schema::{Fault, MethodSchema};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The `ir.model.fields` columns the dump reads.
pub const IR_FIELD_COLUMNS: [&str; 14] = [
    "model",
    "name",
    "modules",
    "ttype",
    "store",
    "readonly",
    "required",
    "relation",
    "related",
    "compute",
    "depends",
    "copied",
    "index",
    "on_delete",
];

/// How the per-model phase behaves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Fail the run when a model's `fields_get` faults, instead of skipping the model.
    pub strict: bool,
    /// Read `fields_get` and `default_get` over `/jsonrpc` when XML-RPC cannot marshal the
    /// answer (never needed over JSON-2).
    pub jsonrpc_fallback: bool,
}

async fn search_read(
    session: &Session,
    model: &str,
    domain: Value,
    fields: &[&str],
    order: &str,
) -> anyhow::Result<Value> {
    let args = Args::new()
        .arg("domain", domain)
        .kwarg("fields", fields)
        .kwarg("order", order);
    session
        .call(model, "search_read", args)
        .await
        .or_else(|error| bail!(describe(error)))
        .with_context(|| format!("{model} search_read failed"))
}

fn describe(error: CallError) -> anyhow::Error {
    match error {
        CallError::Fault(fault) => anyhow::anyhow!("fault {}: {}", fault.code, fault.message),
        CallError::Other(error) => error,
    }
}

/// Asks the server everything the schema needs.
pub async fn fetch(
    session: &Session,
    version: Value,
    selection: &Selection,
    options: Options,
    progress: &Progress,
) -> anyhow::Result<Snapshot> {
    let mut snapshot = Snapshot {
        version: snapshot::object("common.version", version)?,
        ..Snapshot::default()
    };
    progress.step("listing models and addons");
    let (models, addons, dependencies, model_data) = tokio::try_join!(
        search_read(
            session,
            "ir.model",
            json!([]),
            &["model", "name", "transient", "modules", "info"],
            "model"
        ),
        search_read(
            session,
            "ir.module.module",
            json!([["state", "=", "installed"]]),
            &[
                "name",
                "summary",
                "latest_version",
                "author",
                "license",
                "category_id",
                "application"
            ],
            "name"
        ),
        search_read(
            session,
            "ir.module.module.dependency",
            json!([["module_id.state", "=", "installed"]]),
            &["module_id", "name"],
            "id"
        ),
        search_read(
            session,
            "ir.model.data",
            json!([["model", "=", "ir.model"]]),
            &["module", "res_id"],
            "id"
        ),
    )?;
    snapshot.models = snapshot::rows("ir.model search_read", models)?;
    snapshot.addons = snapshot::rows("ir.module.module search_read", addons)?;
    snapshot.dependencies =
        snapshot::rows("ir.module.module.dependency search_read", dependencies)?;
    snapshot.model_data = snapshot::rows("ir.model.data search_read", model_data)?;
    selection.check_addons(snapshot.addons.iter().map(|a| &a.name))?;

    let addon_of = defining_addons(&snapshot);
    let selected: Vec<String> = snapshot
        .models
        .iter()
        .map(|m| m.model.clone())
        .filter(|m| selection.keeps(m, &addon_of[m]))
        .collect();
    if selected.is_empty() {
        bail!("no model matches --models/--exclude/--addons; nothing to dump");
    }
    let methods_from = methods_source(session, &snapshot.version, &selected, progress).await?;
    progress.step(&format!("reading {} models", selected.len()));
    progress.start_models(selected.len());

    let ir_domain = if selection.is_everything() {
        json!([])
    } else {
        json!([["model", "in", selected]])
    };
    let (ir_fields, per_model) = tokio::try_join!(
        search_read(
            session,
            "ir.model.fields",
            ir_domain,
            &IR_FIELD_COLUMNS,
            "model, name"
        ),
        stream::iter(selected.iter())
            .map(|model| describe_model(session, model, options, methods_from, progress))
            .buffer_unordered(options.concurrency.max(1))
            .try_collect::<Vec<_>>(),
    )?;
    snapshot.ir_fields = snapshot::rows("ir.model.fields search_read", ir_fields)?;
    for (model, fields_get, default_get, methods) in per_model {
        snapshot.fields_get.insert(model.clone(), fields_get);
        if !methods.is_empty() {
            snapshot.methods.insert(model.clone(), methods);
        }
        if let Some(default_get) = default_get {
            snapshot.default_get.insert(model, default_get);
        }
    }
    Ok(snapshot)
}

type ModelAnswers = (
    String,
    FieldsGet,
    Option<DefaultGet>,
    BTreeMap<String, MethodSchema>,
);

/// Where the models' public methods are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodsFrom {
    /// `GET /doc-bearer/<model>.json` (Odoo 19+ with `api_doc`, an API key).
    DocBearer,
    /// The object buttons of `get_views([[False, "form"]])` (Odoo 17, or no `api_doc`).
    FormButtons,
}

/// `/doc-bearer` on Odoo 19+ when the secret is an API key and the server answers it for
/// `res.users`, a model every server has and describes (it needs `api_doc` and the group
/// `api_doc.group_allow_doc`); the form views' buttons otherwise.
async fn methods_source(
    session: &Session,
    version: &snapshot::Object,
    selected: &[String],
    progress: &Progress,
) -> anyhow::Result<MethodsFrom> {
    let major = version
        .get("server_version_info")
        .and_then(|info| info.get(0))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    if major < 19 || !session.has_api_key() {
        return Ok(MethodsFrom::FormButtons);
    }
    if selected.is_empty() {
        return Ok(MethodsFrom::FormButtons);
    }
    // Not the first model selected: the first of a whole server is `_unknown`, which Odoo 19
    // refuses to describe (403) to every user.
    let first = "res.users";
    match session.doc_bearer(first).await? {
        Ok(_) => Ok(MethodsFrom::DocBearer),
        Err(status) => {
            progress.warn(&format!(
                "/doc-bearer/{first}.json answered HTTP {status} (is api_doc installed, and the \
                 user in api_doc.group_allow_doc?): reading methods from the form views' buttons"
            ));
            Ok(MethodsFrom::FormButtons)
        }
    }
}

/// The public methods of `model`, from `from`. A model whose form view cannot be had (a
/// fault) has no methods, and says so.
async fn model_methods(
    session: &Session,
    model: &str,
    from: MethodsFrom,
    progress: &Progress,
) -> anyhow::Result<BTreeMap<String, MethodSchema>> {
    match from {
        MethodsFrom::DocBearer => match session.doc_bearer(model).await? {
            Ok(doc) => methods::from_doc_bearer(model, &doc),
            // Odoo 19 refuses a few models' descriptions (the abstract `_unknown`: 403).
            Err(status) => {
                progress.warn(&format!(
                    "GET /doc-bearer/{model}.json answered HTTP {status}: no methods recorded"
                ));
                Ok(BTreeMap::new())
            }
        },
        MethodsFrom::FormButtons => {
            let args = Args::new().arg("views", json!([[false, "form"]]));
            match session.call(model, "get_views", args).await {
                Ok(views) => {
                    let arch = methods::form_arch(model, &views)?;
                    methods::form_buttons(&arch)
                        .with_context(|| format!("the form view of {model}"))
                }
                Err(error) => {
                    let fault = error
                        .into_fault()
                        .with_context(|| format!("get_views on {model} failed"))?;
                    progress.warn(&format!(
                        "get_views on {model} faulted ({}: {}): no methods recorded",
                        fault.code, fault.message
                    ));
                    Ok(BTreeMap::new())
                }
            }
        }
    }
}

/// Whether a fault is XML-RPC failing to marshal the answer (Odoo 17 refuses to send a `None`,
/// and cannot send objects such as a recordset), not the method failing: the same call over
/// JSON-RPC, which carries `null`, can then succeed.
fn unmarshallable(fault: &Fault) -> bool {
    fault.message.contains("cannot marshal")
}

/// Makes again over `/jsonrpc` a call that faulted over XML-RPC, when the fault is a
/// marshalling one and the fallback is on, and reports the switch. `Err(None)`: no retry was
/// made; `Err(Some(note))`: it failed too, `note` says why (to append to the warning).
async fn jsonrpc_retry(
    session: &Session,
    options: Options,
    progress: &Progress,
    fault: &Fault,
    (model, method, args): (&str, &str, &Value),
) -> Result<Value, Option<String>> {
    let xmlrpc = session.protocol() == Protocol::XmlRpc;
    if !(options.jsonrpc_fallback && xmlrpc && unmarshallable(fault)) {
        return Err(None);
    }
    match session
        .execute_kw_jsonrpc(model, method, args.clone(), json!({}))
        .await
    {
        Ok(answer) => {
            progress.warn(&format!(
                "{method} on {model} faulted over XML-RPC ({}); read it over JSON-RPC",
                fault.message
            ));
            Ok(answer)
        }
        Err(error) => Err(Some(format!(
            " (the JSON-RPC retry failed too: {})",
            describe(error)
        ))),
    }
}

/// What XML-RPC answers for a call whose JSON answer (over `/jsonrpc` or the web session)
/// holds a `null`, which Odoo 17's marshaller refuses: the same call is made over XML-RPC and
/// its fault recorded, as an XML-RPC dump records it, so that the schemas are the same
/// whichever of these paths dumped them. `None` for answers without `null`, and over
/// XML-RPC (which faulted already) and JSON-2 (whose dumps record no XML-RPC fault).
async fn fault_over_xmlrpc(
    session: &Session,
    options: Options,
    model: &str,
    method: &str,
    args: Args,
    answer: &Value,
) -> anyhow::Result<Option<Fault>> {
    let json_path = matches!(session.protocol(), Protocol::JsonRpc | Protocol::Web);
    if !(json_path && options.jsonrpc_fallback && holds_null(answer)) {
        return Ok(None);
    }
    match session.call_xmlrpc(model, method, args).await {
        Ok(_) => Ok(None),
        Err(error) => error.into_fault().map(Some),
    }
}

/// Whether `value` holds a `null` anywhere.
fn holds_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(holds_null),
        Value::Object(members) => members.values().any(holds_null),
        _ => false,
    }
}

/// `default_get` of `keys` on `model`, asked again: a field whose answers differ (a random
/// colour, a new token, the next number of a sequence) has a default the server computes
/// afresh on each call. The calls after the first go the way the first one succeeded.
async fn default_get(
    session: &Session,
    model: &str,
    keys: &[&String],
    options: Options,
    progress: &Progress,
) -> anyhow::Result<DefaultGet> {
    let names = json!([keys]);
    let first = match session
        .call(model, "default_get", Args::new().arg("fields", keys))
        .await
    {
        Ok(values) => {
            let args = Args::new().arg("fields", keys);
            let fault = fault_over_xmlrpc(session, options, model, "default_get", args, &values)
                .await
                .with_context(|| format!("default_get on {model} over XML-RPC failed"))?;
            DefaultGet::Values {
                values: snapshot::object(&format!("default_get on {model}"), values)?,
                varying: BTreeSet::new(),
                xmlrpc_fault: fault,
            }
        }
        Err(error) => {
            let fault = error
                .into_fault()
                .with_context(|| format!("default_get on {model} failed"))?;
            let retry = (model, "default_get", &names);
            match jsonrpc_retry(session, options, progress, &fault, retry).await {
                Ok(values) => DefaultGet::Values {
                    values: snapshot::object(
                        &format!("default_get on {model} over JSON-RPC"),
                        values,
                    )?,
                    varying: BTreeSet::new(),
                    xmlrpc_fault: Some(fault),
                },
                // Only a retry that was made and failed is news: other default_get faults
                // (wizards wanting a UI context) are summed up at the end.
                Err(retry_note) => {
                    if let Some(retry_note) = retry_note {
                        progress.warn(&format!(
                            "default_get on {model} faulted: fault {}: {}{retry_note}; \
                             its fields have no server default",
                            fault.code, fault.message
                        ));
                    }
                    DefaultGet::Fault(fault)
                }
            }
        }
    };
    let DefaultGet::Values {
        values,
        xmlrpc_fault,
        ..
    } = first
    else {
        return Ok(first);
    };
    let over_jsonrpc = xmlrpc_fault.is_some() && session.protocol() == Protocol::XmlRpc;
    let mut varying = BTreeSet::new();
    // A token or a sequence number differs at once; a random colour (`randint(1, 11)`) may
    // repeat, so the numbers that agreed are asked again: after five answers, a colour that
    // never changed is one dump in ~14 000.
    // Only the fields that got a default: the server computes what it is asked for.
    let mut asked: Vec<&String> = values.keys().collect();
    for _ in 1..ASKS_FOR_NUMBERS {
        if asked.is_empty() {
            break;
        }
        let again = if over_jsonrpc {
            session
                .execute_kw_jsonrpc(model, "default_get", json!([asked]), json!({}))
                .await
        } else {
            session
                .call(model, "default_get", Args::new().arg("fields", &asked))
                .await
        };
        let again = match again {
            Ok(again) => snapshot::object(&format!("default_get on {model}, asked again"), again)?,
            Err(error) => {
                progress.warn(&format!(
                    "default_get on {model} answered, then failed when asked again ({}); \
                     its defaults are recorded as the first answer gave them",
                    describe(error)
                ));
                break;
            }
        };
        for name in &asked {
            if values.get(*name) != again.get(*name) {
                varying.insert((*name).clone());
            }
        }
        asked.retain(|name| {
            !varying.contains(*name)
                && values
                    .get(*name)
                    .is_some_and(|v| v.as_f64().is_some_and(|n| n != 0.0))
        });
    }
    Ok(DefaultGet::Values {
        values,
        varying,
        xmlrpc_fault,
    })
}

/// How many times `default_get` is asked for a non-zero number that keeps the same value.
const ASKS_FOR_NUMBERS: usize = 5;

/// `fields_get` then `default_get` for one model.
async fn describe_model(
    session: &Session,
    model: &str,
    options: Options,
    methods_from: MethodsFrom,
    progress: &Progress,
) -> anyhow::Result<ModelAnswers> {
    let no_args = json!([]);
    let (fields, xmlrpc_fault) = match session.call(model, "fields_get", Args::new()).await {
        Ok(fields) => {
            let fault =
                fault_over_xmlrpc(session, options, model, "fields_get", Args::new(), &fields)
                    .await
                    .with_context(|| format!("fields_get on {model} over XML-RPC failed"))?;
            (fields, fault)
        }
        Err(error) => {
            let fault = error
                .into_fault()
                .with_context(|| format!("fields_get on {model} failed"))?;
            let retry = (model, "fields_get", &no_args);
            match jsonrpc_retry(session, options, progress, &fault, retry).await {
                Ok(fields) => (fields, Some(fault)),
                // Why the JSON-RPC retry did not help, told alongside the skip.
                Err(retry_note) => {
                    let retry_note = retry_note.unwrap_or_default();
                    if options.strict {
                        bail!(
                            "fields_get on {model} faulted (--strict): fault {}: {}{retry_note}",
                            fault.code,
                            fault.message
                        )
                    }
                    progress.warn(&format!(
                        "skipping {model}: fields_get faulted: fault {}: {}{retry_note}",
                        fault.code, fault.message
                    ));
                    progress.model_done(model, "skipped");
                    return Ok((
                        model.to_owned(),
                        FieldsGet::Fault(fault),
                        None,
                        BTreeMap::new(),
                    ));
                }
            }
        }
    };
    let fields = snapshot::object(&format!("fields_get on {model}"), fields)?;
    let keys: Vec<&String> = fields.keys().collect();
    let defaults = default_get(session, model, &keys, options, progress).await?;
    let methods = model_methods(session, model, methods_from, progress).await?;
    progress.model_done(
        model,
        &format!("{} fields, {} methods", fields.len(), methods.len()),
    );
    Ok((
        model.to_owned(),
        FieldsGet::Fields {
            fields,
            xmlrpc_fault,
        },
        Some(defaults),
        methods,
    ))
}
