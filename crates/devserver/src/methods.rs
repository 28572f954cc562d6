//! Business methods: the public methods a model's schema lists
//! ([`openspp_schema::MethodSchema`]) beyond the ORM's, which the dev server has no Python for.
//! A test gives one behaviour with [`Config::on_method`](crate::Config::on_method); every call
//! of a listed method is recorded ([`RunningServer::method_calls`](crate::RunningServer::method_calls)),
//! whether a handler ran or not.
//!
//! Arguments are bound to the listed parameters as Python binds them (`TypeError` for an
//! unexpected, missing or repeated one), and the record ids of a method on records come first,
//! as `api.call_kw` takes them. A listed method without a handler faults with a
//! `NotImplementedError` that says how to give it one.

use crate::auth::User;
use crate::fault::{OdooError, OdooResult};
use crate::orm::{Env, ids_of};
use crate::registry::Model;
use crate::service::{App, Call};
use crate::values::{json_to_value, value_to_json};
use openspp_schema::{MethodSchema, ParameterKind};
use openspp_xmlrpc::{Struct, Value};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

/// One call of a listed method, as the server received it.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodCall {
    /// The model (`g2p.cycle`).
    pub model: String,
    /// The method (`approve`).
    pub method: String,
    /// The record ids (empty for an `@api.model` method).
    pub ids: Vec<i64>,
    /// The arguments by parameter name, positional ones included.
    pub args: Map<String, Json>,
    /// The calling user.
    pub uid: i64,
}

impl MethodCall {
    /// The argument given for `name`, if any.
    pub fn arg(&self, name: &str) -> Option<&Json> {
        self.args.get(name)
    }
}

/// What a handler may do while it runs: call any method of any model, in the call's own
/// transaction and as its user (a fault rolls everything back, as in Odoo).
pub struct MethodEnv<'a> {
    app: &'a App,
    env: &'a Env<'a>,
    user: &'a User,
}

impl fmt::Debug for MethodEnv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodEnv")
            .field("uid", &self.user.uid)
            .finish_non_exhaustive()
    }
}

impl MethodEnv<'_> {
    /// `model.method(*args, **kwargs)`: `args` a JSON array (record ids first for a method
    /// on records), `kwargs` a JSON object.
    pub fn call(&self, model: &str, method: &str, args: Json, kwargs: Json) -> OdooResult<Json> {
        let Value::Array(args) = json_to_value(&args) else {
            return Err(OdooError::type_error("args must be a list"));
        };
        let kwargs = match json_to_value(&kwargs) {
            Value::Struct(kwargs) => kwargs,
            Value::Nil => Struct::new(),
            _ => return Err(OdooError::type_error("kwargs must be a dict")),
        };
        let model = self.env.model(model)?;
        let answer = run(
            self.app,
            self.env,
            self.user,
            model,
            Call::new(method, args, kwargs),
        )?;
        Ok(value_to_json(&answer))
    }

    /// The calling user's id.
    pub fn uid(&self) -> i64 {
        self.user.uid
    }
}

/// A listed method's behaviour: the call, what it may do, and the answer (as JSON; `null`
/// is Python's `None`, which Odoo 17's XML-RPC cannot send).
pub type MethodHandler =
    Arc<dyn Fn(&MethodCall, &MethodEnv<'_>) -> OdooResult<Json> + Send + Sync + 'static>;

/// The handlers a server was configured with, by (model, method).
#[derive(Clone, Default)]
pub(crate) struct Handlers(pub(crate) BTreeMap<(String, String), MethodHandler>);

impl fmt::Debug for Handlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// The handlers and the calls received, shared by all connections.
#[derive(Debug, Default)]
pub(crate) struct Methods {
    pub(crate) handlers: Handlers,
    pub(crate) calls: Mutex<Vec<MethodCall>>,
}

impl Methods {
    pub(crate) fn new(handlers: Handlers) -> Self {
        Methods {
            handlers,
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Every call received so far, oldest first.
    pub(crate) fn calls(&self) -> Vec<MethodCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

/// The method `name` the schema of `model` lists, if any.
pub(crate) fn listed<'m>(model: &'m Model, name: &str) -> Option<&'m MethodSchema> {
    model.schema.methods.get(name)
}

/// Runs `call` on `model`: an ORM method the server implements, else a listed one.
pub(crate) fn run(
    app: &App,
    env: &Env<'_>,
    user: &User,
    model: &Model,
    call: Call,
) -> OdooResult<Value> {
    if crate::service::signature(&model.name, call.method(), env.version).is_none() {
        if let Some(schema) = listed(model, call.method()) {
            return run_listed(app, env, user, model, schema, call);
        }
    }
    crate::service::execute(env, user, model, env.version, call)
}

fn run_listed(
    app: &App,
    env: &Env<'_>,
    user: &User,
    model: &Model,
    schema: &MethodSchema,
    call: Call,
) -> OdooResult<Value> {
    let (method, mut args, kwargs) = call.into_parts();
    let ids = if schema.model {
        Vec::new()
    } else {
        if args.is_empty() {
            return Err(OdooError::python("IndexError", "tuple index out of range"));
        }
        ids_of(&args.remove(0))?
    };
    let bound = bind(&method, schema, args, kwargs)?;
    let call = MethodCall {
        model: model.name.clone(),
        method: method.clone(),
        ids,
        args: bound,
        uid: user.uid,
    };
    if let Ok(mut calls) = app.methods.calls.lock() {
        calls.push(call.clone());
    }
    let key = (model.name.clone(), method.clone());
    let Some(handler) = app.methods.handlers.0.get(&key) else {
        return Err(OdooError::python(
            "NotImplementedError",
            format!(
                "{}.{method} is listed in the schemas but has no behaviour on the dev server: \
                 give it one with Config::on_method",
                model.name
            ),
        ));
    };
    let answer = handler(&call, &MethodEnv { app, env, user })?;
    Ok(json_to_value(&answer))
}

/// Binds positional then keyword arguments to the listed parameters, as Python does.
fn bind(
    method: &str,
    schema: &MethodSchema,
    args: Vec<Value>,
    kwargs: Struct,
) -> OdooResult<Map<String, Json>> {
    let mut bound = Map::new();
    let positional: Vec<_> = schema
        .parameters
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword
            )
        })
        .collect();
    let var_positional = schema
        .parameters
        .iter()
        .find(|p| p.kind == ParameterKind::VarPositional);
    let var_keyword = schema
        .parameters
        .iter()
        .find(|p| p.kind == ParameterKind::VarKeyword);
    let given = args.len();
    let mut extra = Vec::new();
    for (i, arg) in args.into_iter().enumerate() {
        match positional.get(i) {
            Some(param) => {
                bound.insert(param.name.clone(), value_to_json(&arg));
            }
            None if var_positional.is_some() => extra.push(value_to_json(&arg)),
            None => {
                return Err(OdooError::type_error(format!(
                    "{method}() takes {} positional argument{} but {} were given",
                    positional.len() + 1,
                    if positional.is_empty() { "" } else { "s" },
                    given + 1
                )));
            }
        }
    }
    if let Some(param) = var_positional {
        bound.insert(param.name.clone(), Json::Array(extra));
    }
    let mut rest = Map::new();
    for (key, value) in kwargs {
        let param = schema.parameters.iter().find(|p| {
            p.name == key
                && matches!(
                    p.kind,
                    ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly
                )
        });
        match param {
            Some(_) if bound.contains_key(&key) => {
                return Err(OdooError::type_error(format!(
                    "{method}() got multiple values for argument '{key}'"
                )));
            }
            Some(_) => {
                bound.insert(key, value_to_json(&value));
            }
            None if var_keyword.is_some() => {
                rest.insert(key, value_to_json(&value));
            }
            None => {
                return Err(OdooError::type_error(format!(
                    "{method}() got an unexpected keyword argument '{key}'"
                )));
            }
        }
    }
    if let Some(param) = var_keyword {
        bound.insert(param.name.clone(), Json::Object(rest));
    }
    if let Some(missing) = schema
        .required_parameters()
        .find(|p| !bound.contains_key(&p.name))
    {
        return Err(OdooError::type_error(format!(
            "{method}() missing 1 required positional argument: '{}'",
            missing.name
        )));
    }
    Ok(bound)
}

/// JSON-2's check of named arguments against a listed method (`inspect.Signature.bind`'s
/// messages), before the call.
pub(crate) fn check_named(schema: &MethodSchema, kwargs: &Struct) -> Result<(), String> {
    if let Some(missing) = schema
        .required_parameters()
        .find(|p| !kwargs.contains_key(&p.name))
    {
        return Err(format!("missing a required argument: '{}'", missing.name));
    }
    let takes_any = schema
        .parameters
        .iter()
        .any(|p| p.kind == ParameterKind::VarKeyword);
    match kwargs.keys().find(|key| {
        !schema
            .parameters
            .iter()
            .any(|p| &p.name == *key && !p.kind.is_variadic())
    }) {
        Some(_) if takes_any => Ok(()),
        Some(unexpected) => Err(format!("got an unexpected keyword argument '{unexpected}'")),
        None => Ok(()),
    }
}

/// The form arch `get_views` answers for `model`: its listed form buttons, each a
/// `<button type="object">` in the header with its label, confirm and groups (what the dump
/// reads back into the same methods).
pub(crate) fn form_arch(model: &Model) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut arch = format!("<form string=\"{}\">\n    <header>\n", escape(&model.label));
    for (name, method) in &model.schema.methods {
        if method.source != openspp_schema::MethodSource::FormButton {
            continue;
        }
        arch += &format!("        <button type=\"object\" name=\"{}\"", escape(name));
        if !method.label.is_empty() {
            arch += &format!(" string=\"{}\"", escape(&method.label));
        }
        if let Some(confirm) = &method.confirm {
            arch += &format!(" confirm=\"{}\"", escape(confirm));
        }
        if let Some(groups) = &method.groups {
            arch += &format!(" groups=\"{}\"", escape(groups));
        }
        arch += "/>\n";
    }
    arch += "    </header>\n    <sheet/>\n</form>";
    arch
}

/// `get_views(views)`: for each `[view_id, view_type]` asked, the default view of that type
/// (`id` false, as Odoo answers a view it generates); the form's arch carries the listed form
/// buttons ([`form_arch`]).
pub(crate) fn get_views(model: &Model, views: &Value) -> OdooResult<Value> {
    let Value::Array(requests) = views else {
        return Err(OdooError::type_error(format!(
            "views must be a list of [view_id, view_type], not {}",
            crate::values::py_repr(views)
        )));
    };
    let mut answered = Struct::new();
    for request in requests {
        let view_type = match request {
            Value::Array(pair) if pair.len() == 2 => match &pair[1] {
                Value::String(view_type) => view_type.clone(),
                other => {
                    return Err(OdooError::type_error(format!(
                        "view type must be a string, not {}",
                        crate::values::py_repr(other)
                    )));
                }
            },
            other => {
                return Err(OdooError::value(format!(
                    "not enough values to unpack (expected 2): {}",
                    crate::values::py_repr(other)
                )));
            }
        };
        let arch = if view_type == "form" {
            form_arch(model)
        } else {
            format!("<{view_type}/>")
        };
        let mut view = Struct::new();
        view.insert("arch".into(), Value::String(arch));
        view.insert("id".into(), Value::Bool(false));
        view.insert("model".into(), Value::String(model.name.clone()));
        answered.insert(view_type, Value::Struct(view));
    }
    let mut models = Struct::new();
    models.insert(model.name.clone(), Value::Struct(Struct::new()));
    let mut answer = Struct::new();
    answer.insert("models".into(), Value::Struct(models));
    answer.insert("views".into(), Value::Struct(answered));
    Ok(Value::Struct(answer))
}
