//! A loopback server that answers the dump's calls from the real-server captures in
//! `../shared/odoo17`, the way that server did (including its product.pricelist fault).

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// The credentials of the captures.
pub const DB: &str = "openspp";
pub const LOGIN: &str = "admin";
pub const PASSWORD: &str = "admin";
pub const API_KEY: &str = "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f";
const UID: i64 = 2;

/// `../shared/odoo17`, found from this package's manifest directory.
pub fn captures() -> PathBuf {
    test_captures::path("odoo17")
}

/// How the replay deviates from a plain replay.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Added before every answer (what a call costs on the real server).
    pub delay: Duration,
    /// `(model, method)` pairs that answer with this fault instead.
    pub faults: Vec<(String, String, i32, String)>,
    /// Whether `/jsonrpc` answers (it does on a real server).
    pub no_jsonrpc: bool,
    /// Models whose `default_get` answers these defaults, one of which XML-RPC cannot marshal
    /// (as res.partner's on the real server): fault 1 `cannot marshal None` over XML-RPC, the
    /// defaults over `/jsonrpc`. The captures hold no JSON-RPC `default_get` answer, so without
    /// this `/jsonrpc` `default_get` faults like XML-RPC did.
    pub unmarshallable_defaults: Vec<(String, Value)>,
}

impl Options {
    /// A replay where `method` on `model` answers fault `code` with `text`.
    pub fn fault(model: &str, method: &str, code: i32, text: &str) -> Options {
        Options {
            faults: vec![(model.into(), method.into(), code, text.into())],
            ..Options::default()
        }
    }
}

/// The captures, shaped as the server's tables.
#[derive(Debug)]
struct Data {
    version: Value,
    ir_model: Vec<Map<String, Value>>,
    modules: Vec<Map<String, Value>>,
    dependencies: Vec<Map<String, Value>>,
    model_data: Vec<Map<String, Value>>,
    ir_fields: Vec<Map<String, Value>>,
    fields_get: BTreeMap<String, Value>,
    default_get: Map<String, Value>,
    default_get_errors: Map<String, Value>,
    pricelist_fault: Vec<u8>,
    /// `get_views` form answers by model (`views/<model>.form.json`: six models).
    form_views: BTreeMap<String, Value>,
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn objects(value: Value) -> Vec<Map<String, Value>> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => map,
                other => panic!("expected an object, got {other}"),
            })
            .collect(),
        other => panic!("expected an array, got {other}"),
    }
}

impl Data {
    fn load(dir: &Path) -> Data {
        let ir_model = objects(read_json(&dir.join("ir_model.json")));
        let defining = read_json(&dir.join("model_defining_module.json"));
        // The oldest ir.model.data record of each model names the addon that created it; add a
        // younger record from another module to prove the dump keeps the oldest.
        let mut model_data = Vec::new();
        for row in &ir_model {
            let model = row["model"].as_str().unwrap();
            model_data.push(json!({
                "id": model_data.len() + 1,
                "model": "ir.model",
                "module": defining[model],
                "res_id": row["id"],
            }));
        }
        for row in &ir_model {
            model_data.push(json!({
                "id": model_data.len() + 1, "model": "ir.model", "module": "zz_extension",
                "res_id": row["id"],
            }));
        }
        let mut categories: BTreeMap<String, usize> = BTreeMap::new();
        let mut modules = Vec::new();
        let mut dependencies = Vec::new();
        for (index, row) in objects(read_json(&dir.join("ir_module_module.json")))
            .into_iter()
            .enumerate()
        {
            let id = index + 1;
            let category = match &row["category"] {
                Value::String(name) => {
                    let next = categories.len() + 1;
                    json!([*categories.entry(name.clone()).or_insert(next), name])
                }
                _ => json!(false),
            };
            for dep in row["depends"].as_array().unwrap() {
                dependencies.push(json!({
                    "id": dependencies.len() + 1, "module_id": [id, row["summary"]], "name": dep,
                }));
            }
            modules.push(json!({
                "id": id, "name": row["name"], "summary": row["summary"],
                "latest_version": row["version"], "author": row["author"],
                "license": row["license"], "category_id": category,
                "application": row["application"], "state": "installed",
            }));
        }
        let mut ir_fields = objects(read_json(&dir.join("ir_model_fields.json")));
        for (index, row) in ir_fields.iter_mut().enumerate() {
            row.insert("id".into(), json!(index + 1));
        }
        let mut fields_get = BTreeMap::new();
        for row in &ir_model {
            let model = row["model"].as_str().unwrap();
            fields_get.insert(
                model.to_owned(),
                read_json(&dir.join("fields_get").join(format!("{model}.json"))),
            );
        }
        let as_map = |v: Value| match v {
            Value::Object(m) => m,
            _ => panic!("expected an object"),
        };
        Data {
            version: read_json(&dir.join("version.json")),
            ir_model,
            modules: objects(Value::Array(modules)),
            dependencies: objects(Value::Array(dependencies)),
            model_data: objects(Value::Array(model_data)),
            ir_fields,
            fields_get,
            default_get: as_map(read_json(&dir.join("default_get.json"))),
            default_get_errors: as_map(read_json(&dir.join("default_get_errors.json"))),
            form_views: std::fs::read_dir(dir.join("views"))
                .unwrap()
                .map(|entry| {
                    let capture = read_json(&entry.unwrap().path());
                    let model = capture["model"].as_str().unwrap().to_owned();
                    (model, capture["form"].clone())
                })
                .collect(),
            pricelist_fault: std::fs::read(
                dir.join("wire/fields_get_product_pricelist_marshal_none.response.xml"),
            )
            .unwrap(),
        }
    }
}

/// One answer: a value, a fault, bytes captured from the wire, or a value holding a `None`
/// (a fault over XML-RPC, the value over JSON-RPC).
enum Answer {
    Value(Value),
    Fault(i32, String),
    Raw(Vec<u8>),
    HoldsNone(Value),
}

/// What Odoo 17's XML-RPC layer answers for a result holding a `None` (shortened from
/// `wire/fields_get_product_pricelist_marshal_none.response.xml`).
const MARSHAL_NONE: &str = "Traceback (most recent call last):
  File \"/opt/odoo/odoo/addons/base/controllers/rpc.py\", line 128, in _xmlrpc
    return xmlrpc.client.dumps((result,), methodresponse=1, allow_none=False)
  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 540, in dump_nil
    raise TypeError(\"cannot marshal None unless allow_none is enabled\")
TypeError: cannot marshal None unless allow_none is enabled
";

struct State {
    data: Data,
    options: Options,
    calls: AtomicUsize,
    log: Mutex<Vec<String>>,
    /// Encoded XML-RPC answers by request body: every answer is a pure function of the
    /// request, and encoding megabytes of fields_get again on every run would make the
    /// replay's CPU, not the dump, dominate the benchmark.
    cache: Mutex<std::collections::HashMap<Bytes, Bytes>>,
}

/// A running replay server; it stops when dropped.
#[derive(Debug)]
pub struct Replay {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    state: Arc<StateHandle>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Shared state, `Debug` without dumping the captures.
struct StateHandle(State);

impl std::fmt::Debug for StateHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplayState")
    }
}

impl Replay {
    /// Starts a replay of `../shared/odoo17` on a free loopback port.
    pub fn start(options: Options) -> Replay {
        let state = Arc::new(StateHandle(State {
            data: Data::load(&captures()),
            options,
            calls: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
            cache: Mutex::new(std::collections::HashMap::new()),
        }));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve(served, addr_tx, stop_rx));
        });
        let addr = addr_rx.recv().expect("the replay server starts");
        Replay {
            url: format!("http://{addr}"),
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// How many calls have been answered so far.
    pub fn calls(&self) -> usize {
        self.state.0.calls.load(Ordering::SeqCst)
    }

    /// `service.method` or `model.method` of every call answered, in order.
    pub fn log(&self) -> Vec<String> {
        self.state.0.log.lock().unwrap().clone()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    state: Arc<StateHandle>,
    addr_tx: std::sync::mpsc::Sender<SocketAddr>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    addr_tx.send(listener.local_addr().unwrap()).unwrap();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = &mut stop => return,
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(&state.0, request).await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let body = request.into_body().collect().await.unwrap().to_bytes();
    tokio::time::sleep(state.options.delay).await;
    let cookie = request_cookie(&headers);
    let json_answer = match path.as_str() {
        "/jsonrpc" => Some(jsonrpc(state, &body)),
        "/web/webclient/version_info" => Some((
            "common.version".to_owned(),
            Answer::Value(state.data.version.clone()),
        )),
        "/web/session/authenticate" => {
            let (name, answer) = web_authenticate(&body);
            let opened = matches!(answer, Answer::Value(_));
            record(state, name);
            let mut response = respond("application/json", Bytes::from(encode_json(answer)));
            if opened {
                response.headers_mut().insert(
                    hyper::header::SET_COOKIE,
                    hyper::header::HeaderValue::from_static(
                        "session_id=replay-session; HttpOnly; Path=/",
                    ),
                );
            }
            return response;
        }
        _ if path.starts_with("/web/dataset/call_kw/") => Some(call_kw(state, &body, cookie)),
        _ => None,
    };
    if let Some((name, answer)) = json_answer {
        record(state, name);
        return respond("application/json", Bytes::from(encode_json(answer)));
    }
    let cached = state.cache.lock().unwrap().get(&body).cloned();
    let (name, bytes) = match cached {
        Some(bytes) => (call_name(&path, &body), bytes),
        None => {
            let (name, answer) = xmlrpc(state, &path, &body);
            let bytes = Bytes::from(encode_xml(answer));
            state
                .cache
                .lock()
                .unwrap()
                .insert(body.clone(), bytes.clone());
            (name, bytes)
        }
    };
    record(state, name);
    respond("text/xml", bytes)
}

fn record(state: &State, name: String) {
    state.log.lock().unwrap().push(name);
    state.calls.fetch_add(1, Ordering::SeqCst);
}

/// The log name of a call, without answering it.
fn call_name(path: &str, body: &[u8]) -> String {
    let Ok((method, params)) = openspp_xmlrpc::from_call::<Vec<Value>>(body) else {
        return "?".into();
    };
    match (
        path,
        params.get(3).and_then(Value::as_str),
        params.get(4).and_then(Value::as_str),
    ) {
        ("/xmlrpc/2/object", Some(model), Some(method)) => format!("{model}.{method}"),
        _ => format!("common.{method}"),
    }
}

fn encode_xml(answer: Answer) -> Vec<u8> {
    match answer {
        Answer::Value(value) => openspp_xmlrpc::to_response(&value).unwrap(),
        Answer::Fault(code, message) => openspp_xmlrpc::to_fault(&openspp_xmlrpc::Fault {
            code: openspp_xmlrpc::FaultCode::Int(code),
            message,
        }),
        Answer::Raw(bytes) => bytes,
        Answer::HoldsNone(_) => openspp_xmlrpc::to_fault(&openspp_xmlrpc::Fault {
            code: openspp_xmlrpc::FaultCode::Int(1),
            message: MARSHAL_NONE.to_owned(),
        }),
    }
}

fn encode_json(answer: Answer) -> Vec<u8> {
    let message: (i32, String) = match answer {
        Answer::Value(value) | Answer::HoldsNone(value) => {
            return serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": null, "result": value}))
                .unwrap();
        }
        Answer::Fault(code, message) => (code, message),
        Answer::Raw(bytes) => (1, String::from_utf8_lossy(&bytes).into_owned()),
    };
    serde_json::to_vec(&json_error(message.0, &message.1)).unwrap()
}

/// Odoo's JSON-RPC error object for what XML-RPC answers as fault `code` with `message`:
/// `data.name` the exception class, `data.message` its text, `data.debug` the traceback
/// (`odoo/http.py`, `serialize_exception`).
fn json_error(code: i32, message: &str) -> Value {
    let (code, name, text) = match code {
        100 => (
            100,
            "odoo.http.SessionExpiredException".to_owned(),
            message.to_owned(),
        ),
        2 => (
            200,
            "odoo.exceptions.UserError".to_owned(),
            message.to_owned(),
        ),
        3 => (
            200,
            "odoo.exceptions.AccessDenied".to_owned(),
            message.to_owned(),
        ),
        4 => (
            200,
            "odoo.exceptions.AccessError".to_owned(),
            message.to_owned(),
        ),
        _ => {
            // A traceback's last line is `Class: text`.
            let last = message.trim_end().lines().last().unwrap_or_default().trim();
            match last.split_once(": ") {
                Some((class, text)) if !class.contains(' ') => {
                    (200, format!("builtins.{class}"), text.to_owned())
                }
                _ => (200, "builtins.Exception".to_owned(), message.to_owned()),
            }
        }
    };
    json!({"jsonrpc": "2.0", "id": null, "error": {
        "code": code, "message": "Odoo Server Error",
        "data": {"name": name, "debug": message, "message": text, "arguments": [text]}}})
}

fn respond(content_type: &str, bytes: Bytes) -> Response<Full<Bytes>> {
    Response::builder()
        .header("Content-Type", content_type)
        .body(Full::new(bytes))
        .unwrap()
}

fn injected(state: &State, model: &str, method: &str) -> Option<Answer> {
    state
        .options
        .faults
        .iter()
        .find(|(m, f, _, _)| m == model && f == method)
        .map(|(_, _, code, message)| Answer::Fault(*code, message.clone()))
}

fn xmlrpc(state: &State, path: &str, body: &[u8]) -> (String, Answer) {
    let (method, params): (String, Vec<Value>) = match openspp_xmlrpc::from_call(body) {
        Ok(call) => call,
        Err(e) => return ("?".into(), Answer::Fault(1, format!("bad request: {e}"))),
    };
    match (path, method.as_str()) {
        ("/xmlrpc/2/common", "version") => (
            "common.version".into(),
            Answer::Value(state.data.version.clone()),
        ),
        ("/xmlrpc/2/common", "authenticate") => {
            let ok = params.first() == Some(&json!(DB))
                && params.get(1) == Some(&json!(LOGIN))
                && [json!(PASSWORD), json!(API_KEY)]
                    .iter()
                    .any(|s| params.get(2) == Some(s));
            (
                "common.authenticate".into(),
                Answer::Value(if ok { json!(UID) } else { json!(false) }),
            )
        }
        ("/xmlrpc/2/object", "execute_kw") => execute_kw(state, &params),
        _ => (
            format!("{path} {method}"),
            Answer::Fault(1, format!("Method not found: {method}")),
        ),
    }
}

fn jsonrpc(state: &State, body: &[u8]) -> (String, Answer) {
    if state.options.no_jsonrpc {
        return ("jsonrpc".into(), Answer::Fault(1, "404 Not Found".into()));
    }
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let params = &request["params"];
    let args = params["args"].as_array().cloned().unwrap_or_default();
    match (params["service"].as_str(), params["method"].as_str()) {
        (Some("common"), Some("version")) => (
            "jsonrpc common.version".into(),
            Answer::Value(state.data.version.clone()),
        ),
        (Some("common"), Some("authenticate")) => {
            let ok = args.first() == Some(&json!(DB))
                && args.get(1) == Some(&json!(LOGIN))
                && [json!(PASSWORD), json!(API_KEY)]
                    .iter()
                    .any(|s| args.get(2) == Some(s));
            (
                "jsonrpc common.authenticate".into(),
                Answer::Value(if ok { json!(UID) } else { json!(false) }),
            )
        }
        (Some("object"), Some("execute_kw")) => {
            let (name, answer) = execute_kw(state, &args);
            (
                format!("jsonrpc {name}"),
                json_carries_null(state, &args, answer),
            )
        }
        _ => ("jsonrpc".into(), Answer::Fault(1, "unsupported".into())),
    }
}

/// The `session_id` the request carries.
fn request_cookie(headers: &hyper::HeaderMap) -> Option<String> {
    headers
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("session_id=").map(str::to_owned))
}

/// `/web/session/authenticate` with the captures' password (an API key opens no web
/// session on Odoo 17): `{uid}` and a cookie, or Odoo's `AccessDenied`.
fn web_authenticate(body: &[u8]) -> (String, Answer) {
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let params = &request["params"];
    let name = "web.session/authenticate".to_owned();
    if params["db"] == DB && params["login"] == LOGIN && params["password"] == PASSWORD {
        (name, Answer::Value(json!({"uid": UID, "db": DB})))
    } else {
        (name, Answer::Fault(3, "Access Denied".into()))
    }
}

/// `/web/dataset/call_kw/<model>/<method>` with the session cookie: the same answers as
/// `/jsonrpc`'s `execute_kw`, `null` included.
fn call_kw(state: &State, body: &[u8], cookie: Option<String>) -> (String, Answer) {
    if cookie.as_deref() != Some("replay-session") {
        return ("web".into(), Answer::Fault(100, "Session expired".into()));
    }
    let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let params = &request["params"];
    let args = vec![
        json!(DB),
        json!(UID),
        json!(PASSWORD),
        params["model"].clone(),
        params["method"].clone(),
        params["args"].clone(),
        params["kwargs"].clone(),
    ];
    let (name, answer) = execute_kw(state, &args);
    (
        format!("web {name}"),
        json_carries_null(state, &args, answer),
    )
}

/// JSON carries the `null` XML-RPC could not: product.pricelist's `fields_get` is answered
/// from its capture.
fn json_carries_null(state: &State, args: &[Value], answer: Answer) -> Answer {
    match answer {
        Answer::Raw(_) => {
            let model = args.get(3).and_then(Value::as_str).unwrap_or_default();
            Answer::Value(state.data.fields_get[model].clone())
        }
        other => other,
    }
}

fn execute_kw(state: &State, params: &[Value]) -> (String, Answer) {
    let [db, uid, secret, model, method, rest @ ..] = params else {
        return (
            "execute_kw".into(),
            Answer::Fault(1, "TypeError: execute_kw() missing arguments".into()),
        );
    };
    let (Some(model), Some(method)) = (model.as_str(), method.as_str()) else {
        return (
            "execute_kw".into(),
            Answer::Fault(1, "TypeError: bad model or method".into()),
        );
    };
    let name = format!("{model}.{method}");
    if db != DB || uid != &json!(UID) || !(secret == PASSWORD || secret == API_KEY) {
        return (name, Answer::Fault(3, "Access Denied".into()));
    }
    if let Some(fault) = injected(state, model, method) {
        return (name, fault);
    }
    let args = rest
        .first()
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let kwargs = rest
        .get(1)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let data = &state.data;
    let answer = match method {
        "search_read" => {
            let domain = args.first().cloned().unwrap_or(json!([]));
            let fields: Vec<String> = kwargs
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| {
                    f.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let table = match model {
                "ir.model" => &data.ir_model,
                "ir.module.module" => &data.modules,
                "ir.module.module.dependency" => &data.dependencies,
                "ir.model.data" => &data.model_data,
                "ir.model.fields" => &data.ir_fields,
                _ => {
                    return (
                        name,
                        Answer::Fault(2, format!("Object {model} doesn't exist")),
                    );
                }
            };
            match search_read(table, &domain, &fields) {
                Ok(rows) => Answer::Value(rows),
                Err(message) => Answer::Fault(1, message),
            }
        }
        // the captured form view, else the bare form Odoo generates for a model without one
        "get_views" => {
            let form = data.form_views.get(model).cloned().unwrap_or_else(
                || json!({"arch": format!("<form string=\"{model}\"/>"), "id": false}),
            );
            Answer::Value(json!({"models": {model: {}}, "views": {"form": form}}))
        }
        "fields_get" if model == "product.pricelist" => Answer::Raw(data.pricelist_fault.clone()),
        "fields_get" => match data.fields_get.get(model) {
            Some(fields) => Answer::Value(fields.clone()),
            None => Answer::Fault(2, format!("Object {model} doesn't exist")),
        },
        "default_get" => {
            if let Some((_, values)) = state
                .options
                .unmarshallable_defaults
                .iter()
                .find(|(m, _)| m == model)
            {
                Answer::HoldsNone(values.clone())
            } else if let Some(line) = data.default_get_errors.get(model).and_then(Value::as_str) {
                default_get_fault(line)
            } else {
                let asked: BTreeSet<&str> = args
                    .first()
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let values = data.default_get.get(model).and_then(Value::as_object);
                Answer::Value(Value::Object(
                    values
                        .into_iter()
                        .flatten()
                        .filter(|(k, _)| asked.contains(k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ))
            }
        }
        _ => Answer::Fault(
            1,
            format!("AttributeError: The method '{method}' does not exist"),
        ),
    };
    (name, answer)
}

/// default_get_errors.json keeps the last line of each fault: `<Fault 2: 'message'>` for user
/// errors, a traceback line otherwise.
fn default_get_fault(line: &str) -> Answer {
    if let Some(inner) = line
        .strip_prefix("<Fault ")
        .and_then(|s| s.strip_suffix("'>"))
    {
        if let Some((code, message)) = inner.split_once(": '") {
            if let Ok(code) = code.parse() {
                return Answer::Fault(code, message.to_owned());
            }
        }
    }
    Answer::Fault(1, format!("Traceback (most recent call last):\n  {line}\n"))
}

/// The domains the dump sends: `[]` and `[[field, "=" | "in", value]]`, with `a.b` paths
/// followed into the one relation the dump uses (`module_id.state`, always installed here).
fn search_read(
    table: &[Map<String, Value>],
    domain: &Value,
    fields: &[String],
) -> Result<Value, String> {
    let terms = domain.as_array().ok_or("domain must be a list")?;
    let mut rows = Vec::new();
    'row: for row in table {
        for term in terms {
            let [field, op, value] = term.as_array().map(Vec::as_slice).unwrap_or_default() else {
                return Err(format!("unsupported domain term {term}"));
            };
            let field = field.as_str().unwrap_or_default();
            let actual = match field {
                "module_id.state" | "state" => json!("installed"),
                _ => row.get(field).cloned().unwrap_or(Value::Null),
            };
            let matches = match op.as_str() {
                Some("=") => &actual == value,
                Some("in") => value.as_array().is_some_and(|v| v.contains(&actual)),
                _ => return Err(format!("unsupported operator {op}")),
            };
            if !matches {
                continue 'row;
            }
        }
        let mut out = Map::new();
        out.insert("id".into(), row["id"].clone());
        for field in fields {
            out.insert(
                field.clone(),
                row.get(field).cloned().unwrap_or(json!(false)),
            );
        }
        rows.push(Value::Object(out));
    }
    Ok(Value::Array(rows))
}
