//! The manifest: what the server is, which addons it has, which models the set holds.

use crate::error::{Error, Problem};
use crate::json::key_path;
use crate::model::Fault;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The contents of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The format version of the set ([`crate::FORMAT_VERSION`]).
    pub format_version: u32,
    /// What `common.version()` returned.
    pub server: ServerVersion,
    /// The installed addons, by technical name.
    pub addons: BTreeMap<String, Addon>,
    /// Every model of the set, with the addon it belongs to.
    pub models: BTreeMap<String, String>,
    /// Models the dump left out because the server faulted, with the fault.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skipped_models: BTreeMap<String, Fault>,
}

/// What `common.version()` returned, verbatim (unknown keys kept).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServerVersion(pub BTreeMap<String, Value>);

impl ServerVersion {
    /// `server_version`, e.g. `17.0-20240709`.
    pub fn server_version(&self) -> Option<&str> {
        self.0.get("server_version").and_then(Value::as_str)
    }

    /// `server_serie`, e.g. `17.0`.
    pub fn server_serie(&self) -> Option<&str> {
        self.0.get("server_serie").and_then(Value::as_str)
    }

    /// `server_version_info`, e.g. `[17, 0, 0, "final", 0, ""]`.
    pub fn server_version_info(&self) -> &[Value] {
        self.0
            .get("server_version_info")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The major version (17 for Odoo 17), from `server_version_info`.
    pub fn major(&self) -> Option<i64> {
        self.server_version_info().first().and_then(Value::as_i64)
    }
}

/// One installed addon (`ir.module.module`). Odoo's `false` ("empty") is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addon {
    /// One-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Installed version, e.g. `17.0.1.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Author(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// License, e.g. `LGPL-3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Category name, e.g. `Invoicing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Whether the addon is an application (rather than a technical module).
    #[serde(default)]
    pub application: bool,
    /// The addons it depends on directly, sorted.
    #[serde(default)]
    pub depends: Vec<String>,
}

impl Manifest {
    /// An empty manifest in the current format version.
    pub fn new(server: ServerVersion) -> Self {
        Manifest {
            format_version: crate::FORMAT_VERSION,
            server,
            addons: BTreeMap::new(),
            models: BTreeMap::new(),
            skipped_models: BTreeMap::new(),
        }
    }

    /// The given addons and every addon they depend on, directly or not.
    ///
    /// Dependencies that are not installed (not in [`Manifest::addons`]) are kept in the
    /// result but not followed. Cycles are tolerated.
    ///
    /// ```
    /// use openspp_schema::{Addon, Manifest, ServerVersion};
    /// let mut manifest = Manifest::new(ServerVersion::default());
    /// manifest.addons.insert("base".into(), Addon::default());
    /// manifest.addons.insert("mail".into(), Addon { depends: vec!["base".into()], ..Addon::default() });
    /// let closure = manifest.addon_closure(["mail"]).unwrap();
    /// assert_eq!(closure.into_iter().collect::<Vec<_>>(), ["base", "mail"]);
    /// assert!(manifest.addon_closure(["nope"]).is_err());
    /// ```
    pub fn addon_closure<'a>(
        &self,
        roots: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeSet<String>, Error> {
        let mut seen = BTreeSet::new();
        let mut stack = Vec::new();
        for root in roots {
            if !self.addons.contains_key(root) {
                return Err(Error::UnknownAddon(root.to_owned()));
            }
            stack.push(root.to_owned());
        }
        while let Some(addon) = stack.pop() {
            if !seen.insert(addon.clone()) {
                continue;
            }
            if let Some(info) = self.addons.get(&addon) {
                stack.extend(info.depends.iter().filter(|d| !seen.contains(*d)).cloned());
            }
        }
        Ok(seen)
    }

    pub(crate) fn validate(&self) -> Result<(), Problem> {
        for (model, addon) in &self.models {
            if !crate::model::is_model_name(model) {
                return Err(Problem::new(
                    key_path(&key_path(".", "models"), model),
                    format!("`{model}` is not a valid model name"),
                ));
            }
            if addon.is_empty() {
                return Err(Problem::new(
                    key_path(&key_path(".", "models"), model),
                    "the model has no addon",
                ));
            }
        }
        Ok(())
    }
}
