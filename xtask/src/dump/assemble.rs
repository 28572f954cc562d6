//! Shapes a [`Snapshot`] into a [`SchemaSet`]: pure, no I/O, so the same answers always give
//! the same files.

use super::snapshot::{DefaultGet, FieldsGet, Object, Snapshot};
use openspp_schema::{
    Addon, FieldSchema, HiddenField, Manifest, ModelSchema, SchemaSet, ServerVersion,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The addon recorded for a model that no `ir.model.data` record and no module claims
/// (a model created in the UI, `x_*`).
pub const MANUAL_ADDON: &str = "__manual__";

/// The `ir.model.fields` columns that identify a row rather than describe the field; `id` is
/// the database id, which differs between databases and is not kept.
const IR_FIELD_KEYS: [&str; 4] = ["id", "model", "name", "modules"];

/// The addon each model belongs to: the module of its oldest `ir.model.data` record, else the
/// first module that defines it, else [`MANUAL_ADDON`].
pub fn defining_addons(snapshot: &Snapshot) -> BTreeMap<String, String> {
    let mut by_id: BTreeMap<i64, &str> = BTreeMap::new();
    for row in &snapshot.model_data {
        by_id.entry(row.res_id).or_insert(&row.module);
    }
    snapshot
        .models
        .iter()
        .map(|m| {
            let addon = by_id
                .get(&m.id)
                .map(|a| a.to_string())
                .or_else(|| split_modules(m.modules.as_deref()).into_iter().next())
                .unwrap_or_else(|| MANUAL_ADDON.to_owned());
            (m.model.clone(), addon)
        })
        .collect()
}

/// `"account, mail"` → `["account", "mail"]`.
fn split_modules(modules: Option<&str>) -> Vec<String> {
    modules
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The installed addons with their metadata and direct dependencies.
fn addons(snapshot: &Snapshot) -> BTreeMap<String, Addon> {
    let names: BTreeMap<i64, &str> = snapshot
        .addons
        .iter()
        .map(|a| (a.id, a.name.as_str()))
        .collect();
    let mut depends: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for dep in &snapshot.dependencies {
        if let Some(owner) = dep.module_id.as_ref().and_then(|(id, _)| names.get(id)) {
            depends.entry(owner).or_default().insert(dep.name.clone());
        }
    }
    snapshot
        .addons
        .iter()
        .map(|a| {
            let addon = Addon {
                summary: a.summary.clone(),
                version: a.latest_version.clone(),
                author: a.author.clone(),
                license: a.license.clone(),
                category: a.category_id.as_ref().map(|(_, name)| name.clone()),
                application: a.application,
                depends: depends
                    .get(a.name.as_str())
                    .map(|d| d.iter().cloned().collect())
                    .unwrap_or_default(),
            };
            (a.name.clone(), addon)
        })
        .collect()
}

/// What did not fit in the schema files but the user should hear about.
#[derive(Debug, Default)]
pub struct Notes {
    /// `default_get` keys that are not fields of the model, by model.
    pub stray_defaults: BTreeMap<String, Vec<String>>,
}

/// Builds the set from everything the server answered (moving the answers, not copying
/// them: a full dump holds megabytes of attributes).
pub fn assemble(snapshot: Snapshot) -> anyhow::Result<(SchemaSet, Notes)> {
    let addon_of = defining_addons(&snapshot);
    let mut manifest = Manifest::new(ServerVersion(
        snapshot.version.clone().into_iter().collect(),
    ));
    manifest.addons = addons(&snapshot);
    let mut set = SchemaSet::new(manifest);
    let mut notes = Notes::default();

    let mut ir_fields: BTreeMap<(String, String), Object> = BTreeMap::new();
    for row in snapshot.ir_fields {
        let model = row.get("model").and_then(Value::as_str);
        let name = row.get("name").and_then(Value::as_str);
        let (Some(model), Some(name)) = (model, name) else {
            anyhow::bail!("ir.model.fields: a record has no model or name: {row:?}");
        };
        ir_fields.insert((model.to_owned(), name.to_owned()), row);
    }

    let mut fields_get = snapshot.fields_get;
    let mut defaults = snapshot.default_get;
    let mut methods = snapshot.methods;
    for ir_model in snapshot.models {
        let Some(outcome) = fields_get.remove(&ir_model.model) else {
            continue; // not selected
        };
        let (fields, xmlrpc_fault) = match outcome {
            FieldsGet::Fields {
                fields,
                xmlrpc_fault,
            } => (fields, xmlrpc_fault),
            FieldsGet::Fault(fault) => {
                set.manifest.skipped_models.insert(ir_model.model, fault);
                continue;
            }
        };
        let mut schema =
            ModelSchema::new(&ir_model.model, &ir_model.name, &addon_of[&ir_model.model]);
        schema.transient = ir_model.transient;
        schema.modules = split_modules(ir_model.modules.as_deref());
        schema.info = ir_model.info.unwrap_or_default();
        schema.fields_get_xmlrpc_fault = xmlrpc_fault;
        for (name, attributes) in fields {
            let Value::Object(attributes) = attributes else {
                anyhow::bail!(
                    "fields_get on {}: field `{name}` is not a struct of attributes",
                    ir_model.model
                );
            };
            let mut field = FieldSchema::new(attributes.into_iter().collect());
            field.order_equal_labels_by_key();
            if let Some(row) = ir_fields.remove(&(ir_model.model.clone(), name.clone())) {
                (field.modules, field.ir_model_fields) = ir_row(row);
            }
            schema.fields.insert(name, field);
        }
        let hidden: Vec<(String, String)> = ir_fields
            .range((ir_model.model.clone(), String::new())..)
            .take_while(|((model, _), _)| *model == ir_model.model)
            .map(|(key, _)| key.clone())
            .collect();
        for key in hidden {
            let row = ir_fields.remove(&key).expect("key just listed");
            let (modules, columns) = ir_row(row);
            schema.hidden_fields.insert(
                key.1,
                HiddenField {
                    modules,
                    ir_model_fields: columns,
                },
            );
        }
        match defaults.remove(&ir_model.model) {
            Some(DefaultGet::Values {
                values,
                varying,
                xmlrpc_fault,
            }) => {
                schema.default_get_xmlrpc_fault = xmlrpc_fault;
                for (name, value) in values {
                    match schema.fields.get_mut(&name) {
                        Some(field) if varying.contains(&name) || drawn_afresh(field, &value) => {
                            field.default_varies = true;
                        }
                        Some(field) => field.default = Some(value),
                        None => notes
                            .stray_defaults
                            .entry(ir_model.model.clone())
                            .or_default()
                            .push(name),
                    }
                }
            }
            Some(DefaultGet::Fault(fault)) => schema.default_get_fault = Some(fault),
            None => {}
        }
        schema.methods = methods.remove(&ir_model.model).unwrap_or_default();
        set.insert(schema);
    }
    Ok((set, notes))
}

/// Whether a `default_get` value is drawn afresh though two calls agreed on it:
/// - any date or datetime default but an empty one comes from the clock: two calls within
///   one second cannot tell "now" from a fixed value, a dump made the next day would;
/// - a UUID is generated, never a constant anyone would choose: OpenG2P's `g2p.payment`
///   `default=str(uuid4())` is drawn once per server process, so it changes at a restart.
fn drawn_afresh(field: &FieldSchema, value: &Value) -> bool {
    match (field.field_type(), value) {
        (_, Value::Bool(false) | Value::Null) => false,
        ("date" | "datetime", _) => true,
        (_, Value::String(text)) => is_uuid(text),
        _ => false,
    }
}

/// `8-4-4-4-12` hexadecimal digits: a UUID as `str(uuid4())` writes it.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Splits an `ir.model.fields` row into its `modules` and its descriptive columns.
fn ir_row(mut row: Object) -> (Vec<String>, BTreeMap<String, Value>) {
    let modules = split_modules(row.get("modules").and_then(Value::as_str));
    for key in IR_FIELD_KEYS {
        row.remove(key);
    }
    (modules, row.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::snapshot::{IrModel, IrModelData, IrModule, IrModuleDependency};
    use openspp_schema::Fault;
    use serde_json::json;

    fn model(id: i64, name: &str, modules: &str) -> IrModel {
        IrModel {
            id,
            model: name.into(),
            name: name.to_uppercase(),
            transient: false,
            modules: Some(modules.into()),
            info: None,
        }
    }

    fn obj(value: Value) -> Object {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn everything_lands_in_its_place() {
        let mut snapshot = Snapshot {
            version: obj(json!({"server_serie": "17.0"})),
            models: vec![
                model(1, "res.partner", "base, mail"),
                model(2, "x_custom", ""),
                model(3, "product.pricelist", "product"),
            ],
            addons: vec![IrModule {
                id: 7,
                name: "mail".into(),
                summary: None,
                latest_version: Some("17.0.1.1".into()),
                author: None,
                license: None,
                category_id: Some((1, "Productivity".into())),
                application: true,
            }],
            dependencies: vec![IrModuleDependency {
                module_id: Some((7, "Discuss".into())),
                name: "base".into(),
            }],
            model_data: vec![
                IrModelData {
                    module: "base".into(),
                    res_id: 1,
                },
                IrModelData {
                    module: "mail".into(),
                    res_id: 1,
                },
            ],
            ..Snapshot::default()
        };
        snapshot.fields_get.insert(
            "res.partner".into(),
            FieldsGet::Fields {
                fields: obj(json!({
                    "name": {"type": "char", "string": "Name"},
                    "ref": {"type": "char", "string": "Reference"},
                    "color": {"type": "integer", "string": "Colour"},
                    "date": {"type": "date", "string": "Date"},
                    "write_date": {"type": "datetime", "string": "Last Updated on"},
                    "uuid": {"type": "char", "string": "UUID"},
                    "code": {"type": "char", "string": "Code"},
                })),
                xmlrpc_fault: None,
            },
        );
        snapshot.fields_get.insert(
            "x_custom".into(),
            FieldsGet::Fields {
                fields: Object::new(),
                xmlrpc_fault: None,
            },
        );
        let fault = Fault {
            code: 1,
            message: "TypeError: cannot marshal None".into(),
        };
        snapshot
            .fields_get
            .insert("product.pricelist".into(), FieldsGet::Fault(fault.clone()));
        snapshot.ir_fields = vec![
            obj(
                json!({"id": 5, "model": "res.partner", "name": "name", "modules": "base, mail",
                       "ttype": "char", "store": true}),
            ),
            obj(
                json!({"id": 6, "model": "res.partner", "name": "secret", "modules": "base",
                       "ttype": "char", "store": false}),
            ),
        ];
        let marshal = Fault {
            code: 1,
            message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
        };
        snapshot.default_get.insert(
            "res.partner".into(),
            DefaultGet::Values {
                values: obj(
                    json!({"name": null, "ghost": 1, "ref": "PG/000002", "color": 3,
                                   "date": "2026-12-06", "write_date": false}),
                ),
                varying: ["ref".to_owned()].into(),
                xmlrpc_fault: Some(marshal.clone()),
            },
        );
        snapshot.default_get.insert(
            "x_custom".into(),
            DefaultGet::Fault(Fault {
                code: 2,
                message: "no".into(),
            }),
        );

        let (set, notes) = assemble(snapshot).unwrap();
        let partner = &set.models["res.partner"];
        assert_eq!(partner.addon, "base");
        assert_eq!(partner.modules, ["base", "mail"]);
        let name = &partner.fields["name"];
        assert_eq!(name.modules, ["base", "mail"]);
        assert_eq!(name.ir_model_fields["ttype"], json!("char"));
        assert!(!name.ir_model_fields.contains_key("id"));
        assert_eq!(name.default, Some(Value::Null), "a JSON-RPC null is kept");
        let varies = |field: &str| {
            let field = &partner.fields[field];
            (field.default_varies, field.default.clone())
        };
        assert_eq!(varies("ref"), (true, None), "it differed when asked again");
        assert_eq!(varies("color"), (false, Some(json!(3))), "it did not");
        assert_eq!(varies("date"), (true, None), "a date comes from the clock");
        assert_eq!(
            varies("write_date"),
            (false, Some(json!(false))),
            "an empty one does not"
        );
        assert_eq!(partner.default_get_xmlrpc_fault, Some(marshal));
        assert_eq!(partner.default_get_fault, None);
        assert_eq!(partner.hidden_fields["secret"].modules, ["base"]);
        assert_eq!(notes.stray_defaults["res.partner"], ["ghost"]);
        assert_eq!(set.models["x_custom"].addon, MANUAL_ADDON);
        assert_eq!(set.models["x_custom"].default_get_xmlrpc_fault, None);
        assert_eq!(
            set.models["x_custom"]
                .default_get_fault
                .as_ref()
                .unwrap()
                .code,
            2
        );
        assert_eq!(set.manifest.skipped_models["product.pricelist"], fault);
        assert!(!set.models.contains_key("product.pricelist"));
        assert_eq!(set.manifest.addons["mail"].depends, ["base"]);
        assert_eq!(
            set.manifest.addons["mail"].category.as_deref(),
            Some("Productivity")
        );
        assert_eq!(set.manifest.server.server_serie(), Some("17.0"));
    }
}
