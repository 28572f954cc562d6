//! Shared test helpers: the schemas, a server on 127.0.0.1, and XML-RPC calls over HTTP.
#![allow(dead_code)]

use openspp_devserver::{Config, DevServer, OdooVersion, RunningServer};
use openspp_schema::{FieldSchema, Manifest, ModelSchema, SchemaSet, ServerVersion};
use openspp_xmlrpc::{Fault, FaultCode, Struct, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub const KEY: &str = openspp_devserver::DEMO_API_KEY;

pub fn shared() -> PathBuf {
    test_captures::path("odoo17")
}

/// The checked-in `schemas/` when it is there, else the same models built straight from the
/// real-server captures in ../shared/odoo17.
pub fn schemas() -> SchemaSet {
    static SET: OnceLock<SchemaSet> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        if dir.join(openspp_schema::MANIFEST_FILE).exists() {
            return SchemaSet::load(&dir).expect("schemas/ loads");
        }
        from_captures()
    })
    .clone()
}

fn json(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(shared().join(name)).expect(name);
    serde_json::from_str(&text).expect(name)
}

fn from_captures() -> SchemaSet {
    let version = json("version.json");
    let server = ServerVersion(
        version
            .as_object()
            .expect("version")
            .clone()
            .into_iter()
            .collect(),
    );
    let mut set = SchemaSet::new(Manifest::new(server));
    let defaults = json("default_get.json");
    let addons = json("model_defining_module.json");
    let default_get_errors = json("default_get_errors.json");
    for row in json("ir_model.json").as_array().expect("ir_model") {
        let model = row["model"].as_str().expect("model");
        let path = shared().join("fields_get").join(format!("{model}.json"));
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).expect("fields_get");
        let mut schema = ModelSchema::new(
            model,
            row["name"].as_str().unwrap_or(model),
            addons[model].as_str().unwrap_or("base"),
        );
        schema.transient = row["transient"].as_bool().unwrap_or(false);
        if let Some(message) = default_get_errors.get(model).and_then(|m| m.as_str()) {
            schema.default_get_fault = Some(openspp_schema::Fault {
                code: 1,
                message: message.to_owned(),
            });
        }
        for (name, attributes) in fields {
            let mut field = FieldSchema::new(
                attributes
                    .as_object()
                    .expect("attributes")
                    .clone()
                    .into_iter()
                    .collect(),
            );
            field.default = defaults.get(model).and_then(|d| d.get(&name)).cloned();
            schema.fields.insert(name, field);
        }
        set.manifest
            .models
            .insert(model.to_owned(), schema.addon.clone());
        set.insert(schema);
    }
    set
}

/// A server with the demo seed (or the config given) on a free loopback port.
pub async fn start(config: Option<Config>) -> RunningServer {
    let config = config.unwrap_or_else(|| Config::new(schemas()));
    DevServer::new(config)
        .expect("server builds")
        .bind("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("server binds")
}

/// A server with the demo seed presenting itself as `version`.
pub async fn start_as(version: OdooVersion) -> RunningServer {
    start(Some(Config::new(schemas()).odoo_version(version))).await
}

/// openspp-client logged in as admin with the demo API key, over `protocol`.
pub async fn admin_session(
    server: &RunningServer,
    protocol: openspp_client::Protocol,
) -> openspp_client::Session {
    openspp_client::Client::builder(&server.url(), "openspp")
        .protocol(protocol)
        .build()
        .expect("client")
        .login("admin", openspp_client::Secret::api_key(KEY))
        .await
        .unwrap_or_else(|e| panic!("{protocol}: {e}"))
}

/// A client for one server.
#[derive(Debug, Clone)]
pub struct Rpc {
    pub url: String,
    http: reqwest::Client,
}

impl Rpc {
    pub fn new(url: String) -> Self {
        Rpc {
            url,
            http: reqwest::Client::new(),
        }
    }

    /// POSTs raw bytes to a path; returns the HTTP status and body.
    pub async fn post(&self, path: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
        let response = self
            .http
            .post(format!("{}{path}", self.url))
            .body(body)
            .send()
            .await
            .expect("http");
        let status = response.status().as_u16();
        (status, response.bytes().await.expect("body").to_vec())
    }

    /// One XML-RPC call.
    pub async fn call(&self, path: &str, method: &str, params: Vec<Value>) -> Result<Value, Fault> {
        let options = openspp_xmlrpc::EncodeOptions::new().allow_i8(true);
        let body = openspp_xmlrpc::to_call_with(method, &params, &options).expect("encode");
        let (status, bytes) = self.post(path, body).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(
            bytes.starts_with(b"<?xml version='1.0'?>"),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        openspp_xmlrpc::from_response::<Value>(&bytes).expect("decode")
    }

    /// `execute_kw` as admin with the API key.
    pub async fn kw(
        &self,
        model: &str,
        method: &str,
        args: Vec<Value>,
        kwargs: Struct,
    ) -> Result<Value, Fault> {
        self.kw_as(2, KEY, model, method, args, kwargs).await
    }

    pub async fn kw_as(
        &self,
        uid: i32,
        secret: &str,
        model: &str,
        method: &str,
        args: Vec<Value>,
        kwargs: Struct,
    ) -> Result<Value, Fault> {
        self.call(
            "/xmlrpc/2/object",
            "execute_kw",
            vec![
                s("openspp"),
                Value::Int(uid),
                s(secret),
                s(model),
                s(method),
                Value::Array(args),
                Value::Struct(kwargs),
            ],
        )
        .await
    }

    pub async fn ok(&self, model: &str, method: &str, args: Vec<Value>, kwargs: Struct) -> Value {
        match self.kw(model, method, args, kwargs).await {
            Ok(v) => v,
            Err(fault) => panic!("{model}.{method} faulted: {fault:?}"),
        }
    }
}

pub fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

pub fn i(n: i32) -> Value {
    Value::Int(n)
}

pub fn arr(items: Vec<Value>) -> Value {
    Value::Array(items)
}

pub fn leaf(field: &str, op: &str, value: Value) -> Value {
    arr(vec![s(field), s(op), value])
}

pub fn kw(pairs: Vec<(&str, Value)>) -> Struct {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

pub fn code(fault: &Fault) -> i32 {
    match fault.code {
        FaultCode::Int(c) => c,
        FaultCode::String(_) => -1,
    }
}

/// The last non-empty line of a fault string: what clients read.
pub fn last_line(fault: &Fault) -> &str {
    fault
        .message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
}

pub fn ids(value: &Value) -> Vec<i32> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Int(i) => *i,
                other => panic!("{other:?}"),
            })
            .collect(),
        other => panic!("not a list: {other:?}"),
    }
}

pub fn int(value: &Value) -> i32 {
    match value {
        Value::Int(i) => *i,
        other => panic!("not an int: {other:?}"),
    }
}

pub fn field<'v>(record: &'v Value, name: &str) -> &'v Value {
    match record {
        Value::Struct(s) => s
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in {record:?}")),
        other => panic!("not a record: {other:?}"),
    }
}
