//! One model: the contents of `models/<model>.json`.

use crate::error::Problem;
use crate::field::{FieldSchema, HiddenField};
use crate::json::key_path;
use crate::method::{MethodSchema, is_public_method_name};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A fault the server answered with, reduced to what stays stable from run to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// The XML-RPC `faultCode` (1: server error with a traceback, 2: user error, 3: access
    /// denied, 4: access error).
    pub code: i64,
    /// The last non-empty line of the `faultString` (for a traceback, the exception line).
    pub message: String,
}

impl Fault {
    /// Builds a fault from a full `faultString`, keeping its last non-empty line, trimmed.
    pub fn from_fault_string(code: i64, fault_string: &str) -> Self {
        let message = fault_string
            .lines()
            .map(str::trim)
            .rfind(|line| !line.is_empty())
            .unwrap_or_default()
            .to_owned();
        Fault { code, message }
    }
}

/// One model, as the server described it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSchema {
    /// The format version of the file ([`crate::FORMAT_VERSION`]).
    pub format_version: u32,
    /// The technical name (`res.partner`).
    pub model: String,
    /// The label (`ir.model` `name`, e.g. "Contact").
    pub label: String,
    /// Whether the model is transient (a wizard whose records are vacuumed).
    pub transient: bool,
    /// The addon that first created the model (its earliest `ir.model.data` record): the addon
    /// the model belongs to.
    pub addon: String,
    /// Every addon that defines or extends the model (`ir.model` `modules`).
    #[serde(default)]
    pub modules: Vec<String>,
    /// The model class's docstring (`ir.model` `info`).
    #[serde(default)]
    pub info: String,
    /// Every field `fields_get` returned, by name.
    pub fields: BTreeMap<String, FieldSchema>,
    /// Fields `ir.model.fields` lists but `fields_get` did not return, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hidden_fields: BTreeMap<String, HiddenField>,
    /// Set when `default_get` faulted for the model (over XML-RPC, and over JSON-RPC too when
    /// the fault was one XML-RPC marshalling raised): no field has a server default then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_get_fault: Option<Fault>,
    /// Set when `default_get` over XML-RPC faulted while marshalling its answer (a default
    /// XML-RPC cannot carry, such as a `None`; res.partner and res.users on an OpenSPP 17
    /// server) and the defaults were read over JSON-RPC instead: the fields' `default`s are
    /// then that answer, `null`s included. Never set together with
    /// [`default_get_fault`](Self::default_get_fault).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_get_xmlrpc_fault: Option<Fault>,
    /// Set when `fields_get` over XML-RPC faulted and the fields were read over JSON-RPC
    /// instead (product.pricelist: a domain holds a `None`, which XML-RPC cannot marshal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields_get_xmlrpc_fault: Option<Fault>,
    /// The public methods the server describes, by name ([`MethodSchema`]): none in schemas
    /// dumped before methods were.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub methods: BTreeMap<String, MethodSchema>,
}

impl ModelSchema {
    /// A model with no fields yet, in the current format version.
    pub fn new(
        model: impl Into<String>,
        label: impl Into<String>,
        addon: impl Into<String>,
    ) -> Self {
        ModelSchema {
            format_version: crate::FORMAT_VERSION,
            model: model.into(),
            label: label.into(),
            transient: false,
            addon: addon.into(),
            modules: Vec::new(),
            info: String::new(),
            fields: BTreeMap::new(),
            hidden_fields: BTreeMap::new(),
            default_get_fault: None,
            fields_get_xmlrpc_fault: None,
            default_get_xmlrpc_fault: None,
            methods: BTreeMap::new(),
        }
    }

    /// The name of the model's file inside `models/` (`res.partner.json`).
    pub fn file_name(&self) -> String {
        format!("{}.json", self.model)
    }

    /// The server defaults `default_get` returned, by field name.
    pub fn defaults(&self) -> BTreeMap<&str, &serde_json::Value> {
        self.fields
            .iter()
            .filter_map(|(name, field)| Some((name.as_str(), field.default.as_ref()?)))
            .collect()
    }

    pub(crate) fn validate(&self) -> Result<(), Problem> {
        if !is_model_name(&self.model) {
            return Err(Problem::new(
                ".model",
                format!("`{}` is not a valid model name", self.model),
            ));
        }
        if self.default_get_fault.is_some() && self.default_get_xmlrpc_fault.is_some() {
            return Err(Problem::new(
                ".default_get_xmlrpc_fault",
                "`default_get_xmlrpc_fault` says the defaults were read over JSON-RPC, \
                 `default_get_fault` that they are unknown: only one can be set",
            ));
        }
        let fields = key_path(".", "fields");
        for (name, field) in &self.fields {
            field.validate(&key_path(&fields, name))?;
        }
        let methods = key_path(".", "methods");
        for (name, method) in &self.methods {
            let path = key_path(&methods, name);
            if !is_public_method_name(name) {
                return Err(Problem::new(
                    &path,
                    format!("`{name}` is not a public method name (Odoo refuses it over RPC)"),
                ));
            }
            method.validate(&path)?;
        }
        Ok(())
    }
}

/// Odoo model names: lowercase ASCII letters, digits, `_` and `.`; also safe as a file name.
pub(crate) fn is_model_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_keeps_the_exception_line() {
        let fault = Fault::from_fault_string(
            1,
            "Traceback (most recent call last):\n  File \"x\", line 1\nTypeError: boom\n\n",
        );
        assert_eq!(fault.message, "TypeError: boom");
        assert_eq!(Fault::from_fault_string(2, "").message, "");
    }

    #[test]
    fn model_names_must_be_file_safe() {
        assert!(is_model_name("res.partner"));
        assert!(is_model_name("_unknown"));
        assert!(!is_model_name("../etc"));
        assert!(!is_model_name("a/b"));
        assert!(!is_model_name(""));
    }
}
