//! The records that describe the schemas themselves (`ir.model`, `ir.model.fields`,
//! `ir.model.data`, `ir.module.module` and its dependencies), written from the schemas when a
//! database is created, so that `cargo xtask dump` against this server writes the same
//! schemas back: the `regen` fixed point.

use crate::fault::{OdooError, OdooResult};
use crate::orm::Env;
use crate::registry::{Kind, quote};
use crate::store::sql_error;
use openspp_schema::SchemaSet;
use rusqlite::types::Value as Sql;
use std::collections::BTreeMap;

/// A field: name, Odoo type, comodel.
pub type FieldSpec = (&'static str, &'static str, Option<&'static str>);

/// The fields the dump reads from the metadata models, with their type and comodel. The
/// registry makes sure each exists and has a column, even when the real field is computed
/// (`ir.model.modules`) or the model is missing from the schemas.
pub const FIELDS: &[(&str, &[FieldSpec])] = &[
    (
        "ir.model",
        &[
            ("model", "char", None),
            ("name", "char", None),
            ("transient", "boolean", None),
            ("modules", "char", None),
            ("info", "text", None),
        ],
    ),
    (
        "ir.model.fields",
        &[
            ("model", "char", None),
            ("name", "char", None),
            ("modules", "char", None),
            ("ttype", "char", None),
            ("store", "boolean", None),
            ("readonly", "boolean", None),
            ("required", "boolean", None),
            ("relation", "char", None),
            ("related", "char", None),
            ("compute", "text", None),
            ("depends", "char", None),
            ("copied", "boolean", None),
            ("index", "boolean", None),
            ("on_delete", "char", None),
        ],
    ),
    ("ir.module.category", &[("name", "char", None)]),
    (
        "ir.module.module",
        &[
            ("name", "char", None),
            ("summary", "char", None),
            ("latest_version", "char", None),
            ("author", "char", None),
            ("license", "char", None),
            ("category_id", "many2one", Some("ir.module.category")),
            ("application", "boolean", None),
            ("state", "char", None),
        ],
    ),
    (
        "ir.module.module.dependency",
        &[
            ("module_id", "many2one", Some("ir.module.module")),
            ("name", "char", None),
        ],
    ),
    (
        "ir.model.data",
        &[
            ("module", "char", None),
            ("model", "char", None),
            ("name", "char", None),
            ("res_id", "integer", None),
        ],
    ),
];

/// Inserts one row with raw column values (no defaults, no checks: the values come from the
/// schemas verbatim).
fn insert(env: &Env<'_>, model: &str, values: Vec<(&str, Sql)>) -> OdooResult<i64> {
    let model = env.model(model)?;
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(&model.table),
        values
            .iter()
            .map(|(n, _)| quote(n))
            .collect::<Vec<_>>()
            .join(", "),
        vec!["?"; values.len()].join(", ")
    );
    let mut stmt = env.tx.prepare_cached(&sql).map_err(sql_error)?;
    stmt.execute(rusqlite::params_from_iter(
        values.into_iter().map(|(_, v)| v),
    ))
    .map_err(sql_error)?;
    Ok(env.tx.last_insert_rowid())
}

fn text(value: Option<&str>) -> Sql {
    value.map_or(Sql::Null, |s| Sql::Text(s.to_owned()))
}

/// A verbatim JSON value for a column of the given kind: `false` is empty except for
/// booleans.
fn column(kind: Kind, json: Option<&serde_json::Value>) -> Sql {
    match (kind, json) {
        (_, None | Some(serde_json::Value::Null)) => Sql::Null,
        (Kind::Boolean, Some(v)) => Sql::Integer(i64::from(v.as_bool().unwrap_or(false))),
        (_, Some(serde_json::Value::Bool(false))) => Sql::Null,
        (_, Some(serde_json::Value::String(s))) => Sql::Text(s.clone()),
        (_, Some(serde_json::Value::Number(n))) => n
            .as_i64()
            .map_or_else(|| Sql::Real(n.as_f64().unwrap_or_default()), Sql::Integer),
        (_, Some(other)) => Sql::Text(other.to_string()),
    }
}

/// Writes the metadata records of `schemas`.
pub fn load(env: &Env<'_>, schemas: &SchemaSet) -> OdooResult<()> {
    let kind_of = |model: &str, field: &str| -> OdooResult<Kind> {
        env.model(model)?
            .field(field)
            .map(|f| f.kind)
            .ok_or_else(|| OdooError::value(format!("{model}.{field} is missing")))
    };
    // ir.model, with the addon that created each model as its oldest ir.model.data record
    let mut skipped: Vec<&String> = schemas.manifest.skipped_models.keys().collect();
    skipped.retain(|m| !schemas.models.contains_key(*m));
    let mut names: Vec<&String> = schemas.models.keys().chain(skipped).collect();
    names.sort();
    for name in names {
        let schema = schemas.models.get(name);
        let id = insert(
            env,
            "ir.model",
            vec![
                ("model", Sql::Text(name.clone())),
                (
                    "name",
                    Sql::Text(schema.map_or_else(|| name.clone(), |s| s.label.clone())),
                ),
                (
                    "transient",
                    Sql::Integer(i64::from(schema.is_some_and(|s| s.transient))),
                ),
                (
                    "modules",
                    text(
                        schema
                            .map(|s| s.modules.join(", "))
                            .as_deref()
                            .filter(|m| !m.is_empty()),
                    ),
                ),
                (
                    "info",
                    text(schema.map(|s| s.info.as_str()).filter(|i| !i.is_empty())),
                ),
            ],
        )?;
        let addon = schema
            .map(|s| s.addon.as_str())
            .or_else(|| schemas.manifest.models.get(name).map(String::as_str));
        if let Some(addon) = addon.filter(|a| *a != "__manual__") {
            insert(
                env,
                "ir.model.data",
                vec![
                    ("module", Sql::Text(addon.to_owned())),
                    ("model", Sql::Text("ir.model".into())),
                    (
                        "name",
                        Sql::Text(format!("model_{}", name.replace('.', "_"))),
                    ),
                    ("res_id", Sql::Integer(id)),
                ],
            )?;
        }
    }
    // ir.model.fields: the row of every field that has one, hidden fields included
    let columns: Vec<&str> = FIELDS
        .iter()
        .find(|(m, _)| *m == "ir.model.fields")
        .map(|(_, fields)| {
            fields
                .iter()
                .map(|(f, _, _)| *f)
                .filter(|f| !matches!(*f, "model" | "name" | "modules"))
                .collect()
        })
        .unwrap_or_default();
    let kinds: Vec<Kind> = columns
        .iter()
        .map(|c| kind_of("ir.model.fields", c))
        .collect::<OdooResult<_>>()?;
    for (model, schema) in &schemas.models {
        let rows = schema
            .fields
            .iter()
            .filter(|(_, f)| !f.ir_model_fields.is_empty() || !f.modules.is_empty())
            .map(|(name, f)| (name, &f.modules, &f.ir_model_fields))
            .chain(
                schema
                    .hidden_fields
                    .iter()
                    .map(|(name, h)| (name, &h.modules, &h.ir_model_fields)),
            );
        for (name, modules, row) in rows {
            let mut values = vec![
                ("model", Sql::Text(model.clone())),
                ("name", Sql::Text(name.clone())),
                (
                    "modules",
                    text(
                        Some(modules.join(", "))
                            .as_deref()
                            .filter(|m| !m.is_empty()),
                    ),
                ),
            ];
            for (column_name, kind) in columns.iter().zip(&kinds) {
                values.push((column_name, column(*kind, row.get(*column_name))));
            }
            insert(env, "ir.model.fields", values)?;
        }
    }
    // installed addons, their categories and dependencies
    let mut categories: BTreeMap<&str, i64> = BTreeMap::new();
    for category in schemas
        .manifest
        .addons
        .values()
        .filter_map(|a| a.category.as_deref())
    {
        if !categories.contains_key(category) {
            let id = insert(
                env,
                "ir.module.category",
                vec![("name", Sql::Text(category.to_owned()))],
            )?;
            categories.insert(category, id);
        }
    }
    for (name, addon) in &schemas.manifest.addons {
        let id = insert(
            env,
            "ir.module.module",
            vec![
                ("name", Sql::Text(name.clone())),
                ("summary", text(addon.summary.as_deref())),
                ("latest_version", text(addon.version.as_deref())),
                ("author", text(addon.author.as_deref())),
                ("license", text(addon.license.as_deref())),
                (
                    "category_id",
                    addon
                        .category
                        .as_deref()
                        .and_then(|c| categories.get(c))
                        .map_or(Sql::Null, |id| Sql::Integer(*id)),
                ),
                ("application", Sql::Integer(i64::from(addon.application))),
                ("state", Sql::Text("installed".into())),
            ],
        )?;
        for dependency in &addon.depends {
            insert(
                env,
                "ir.module.module.dependency",
                vec![
                    ("module_id", Sql::Integer(id)),
                    ("name", Sql::Text(dependency.clone())),
                ],
            )?;
        }
    }
    Ok(())
}
