//! What the server answered, call by call, before it is shaped into schema files.

use openspp_schema::Fault;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A JSON object as the server sent it.
pub type Object = Map<String, Value>;

/// Every answer the dump collected in one run.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// `common.version()`.
    pub version: Object,
    /// `ir.model` rows.
    pub models: Vec<IrModel>,
    /// Installed `ir.module.module` rows.
    pub addons: Vec<IrModule>,
    /// `ir.module.module.dependency` rows of installed addons.
    pub dependencies: Vec<IrModuleDependency>,
    /// `ir.model.data` rows of `ir.model` records, oldest first.
    pub model_data: Vec<IrModelData>,
    /// `fields_get` per selected model.
    pub fields_get: BTreeMap<String, FieldsGet>,
    /// `ir.model.fields` rows of the selected models.
    pub ir_fields: Vec<Object>,
    /// `default_get` per model whose `fields_get` succeeded.
    pub default_get: BTreeMap<String, DefaultGet>,
    /// The public methods per model whose `fields_get` succeeded.
    pub methods: BTreeMap<String, BTreeMap<String, openspp_schema::MethodSchema>>,
}

/// The outcome of `fields_get` for one model.
#[derive(Debug)]
pub enum FieldsGet {
    /// The attributes by field name; `xmlrpc_fault` is set when they had to be read over
    /// JSON-RPC because XML-RPC faulted.
    Fields {
        fields: Object,
        xmlrpc_fault: Option<Fault>,
    },
    /// The server faulted: the model is skipped.
    Fault(Fault),
}

/// The outcome of `default_get` for one model.
#[derive(Debug)]
pub enum DefaultGet {
    /// The defaults by field name; `xmlrpc_fault` is set when they had to be read over
    /// JSON-RPC because XML-RPC could not marshal them.
    Values {
        values: Object,
        /// The fields whose default differed when `default_get` was asked again.
        varying: BTreeSet<String>,
        xmlrpc_fault: Option<Fault>,
    },
    /// The server faulted: no field has a server default.
    Fault(Fault),
}

/// One `ir.model` row.
#[derive(Debug, Deserialize)]
pub struct IrModel {
    pub id: i64,
    pub model: String,
    pub name: String,
    pub transient: bool,
    #[serde(deserialize_with = "odoo_text")]
    pub modules: Option<String>,
    #[serde(deserialize_with = "odoo_text")]
    pub info: Option<String>,
}

/// One `ir.module.module` row.
#[derive(Debug, Deserialize)]
pub struct IrModule {
    pub id: i64,
    pub name: String,
    #[serde(deserialize_with = "odoo_text")]
    pub summary: Option<String>,
    #[serde(deserialize_with = "odoo_text")]
    pub latest_version: Option<String>,
    #[serde(deserialize_with = "odoo_text")]
    pub author: Option<String>,
    #[serde(deserialize_with = "odoo_text")]
    pub license: Option<String>,
    #[serde(deserialize_with = "odoo_many2one")]
    pub category_id: Option<(i64, String)>,
    pub application: bool,
}

/// One `ir.module.module.dependency` row.
#[derive(Debug, Deserialize)]
pub struct IrModuleDependency {
    #[serde(deserialize_with = "odoo_many2one")]
    pub module_id: Option<(i64, String)>,
    pub name: String,
}

/// One `ir.model.data` row pointing at an `ir.model` record.
#[derive(Debug, Deserialize)]
pub struct IrModelData {
    pub module: String,
    pub res_id: i64,
}

/// Odoo sends `false` for an empty char/text field.
fn odoo_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        Text(String),
        Empty(bool),
    }
    match Text::deserialize(d)? {
        Text::Text(s) => Ok(Some(s)),
        Text::Empty(false) => Ok(None),
        Text::Empty(true) => Err(serde::de::Error::custom(
            "expected a string or false, got true",
        )),
    }
}

/// A many2one is `[id, "display name"]`, or `false` when empty.
fn odoo_many2one<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(i64, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Many2one {
        Set((i64, String)),
        Empty(bool),
    }
    match Many2one::deserialize(d)? {
        Many2one::Set(pair) => Ok(Some(pair)),
        Many2one::Empty(false) => Ok(None),
        Many2one::Empty(true) => Err(serde::de::Error::custom(
            "expected [id, name] or false, got true",
        )),
    }
}

/// Decodes `search_read` rows into `T`, naming the call and the row on a mismatch.
pub fn rows<T: serde::de::DeserializeOwned>(call: &str, value: Value) -> anyhow::Result<Vec<T>> {
    let Value::Array(items) = value else {
        anyhow::bail!("{call}: expected a list of records, got {}", kind(&value));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            serde_path_to_error::deserialize(item).map_err(|error| {
                anyhow::anyhow!(
                    "{call}: record {index}: at `{}`: {}",
                    error.path(),
                    error.inner()
                )
            })
        })
        .collect()
}

/// Expects a JSON object, naming the call otherwise.
pub fn object(call: &str, value: Value) -> anyhow::Result<Object> {
    match value {
        Value::Object(map) => Ok(map),
        other => anyhow::bail!("{call}: expected a struct, got {}", kind(&other)),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nil",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a struct",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn false_is_empty_and_bad_rows_are_named() {
        let ok: Vec<IrModule> = rows(
            "ir.module.module",
            json!([{"id": 1, "name": "base", "summary": false, "latest_version": "17.0.1.3",
                    "author": "Odoo", "license": "LGPL-3", "category_id": [3, "Hidden"],
                    "application": false}]),
        )
        .unwrap();
        assert_eq!(ok[0].summary, None);
        assert_eq!(ok[0].category_id, Some((3, "Hidden".to_owned())));
        let error =
            rows::<IrModelData>("ir.model.data", json!([{"module": "base", "res_id": "x"}]))
                .unwrap_err()
                .to_string();
        assert!(
            error.contains("ir.model.data: record 0: at `res_id`"),
            "{error}"
        );
        assert!(object("default_get", json!([1])).is_err());
    }
}
