//! Schema → resolved model: every name, type, capability and feature gate decided once, here,
//! so that rendering only prints.

use crate::access::{self, WriteFacts};
use crate::naming::{Case, Namespace};
use crate::types::{self, SelectionValue, ValueType};
use openspp_schema::{FieldSchema, ModelSchema, SchemaSet};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the catch-all variant of every selection enum (holds unknown keys).
pub const UNKNOWN_VARIANT: &str = "Unrecognized";

/// Everything the generated crate contains.
#[derive(Debug, Clone)]
pub struct ResolvedCrate {
    /// The addons (cargo features), by technical name, with the addons each one enables.
    pub features: BTreeMap<String, BTreeSet<String>>,
    /// The default features.
    pub default_features: BTreeSet<String>,
    /// Every model, sorted by technical name.
    pub models: Vec<ResolvedModel>,
    /// The selection enums several fields share (module `selections`), sorted by name.
    pub selections: Vec<SharedSelection>,
}

/// A selection enum generated once, in the crate's `selections` module, for every field whose
/// selection has the same keys with the same labels in the same order.
#[derive(Debug, Clone)]
pub struct SharedSelection {
    /// The enum's identifier in `selections` (`Tz`).
    pub name: String,
    /// The keys and labels, in the server's order.
    pub values: Vec<SelectionValue>,
    /// The variant identifiers, one per key.
    pub variants: Vec<String>,
    /// The fields that use it: (model, field, field label), sorted.
    pub users: Vec<(String, String, String)>,
    /// The addons of the users' models: the enum exists when any of them is enabled.
    pub addons: BTreeSet<String>,
}

/// The enum of one selection field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSelection {
    /// The enum's identifier in the model's module (`Tz`): the enum itself, or the re-export
    /// of the shared one under this name.
    pub name: String,
    /// The variant identifiers, one per key, in the server's order.
    pub variants: Vec<String>,
    /// The shared enum's identifier in `selections`, when the selection is shared.
    pub shared: Option<String>,
}

/// One model.
#[derive(Debug, Clone)]
pub struct ResolvedModel {
    /// Technical name (`res.partner`).
    pub name: String,
    /// Module identifier (`res_partner`).
    pub module: String,
    /// Type identifier (`ResPartner`).
    pub type_name: String,
    /// Label (`Contact`).
    pub label: String,
    /// The addon (cargo feature) the model belongs to.
    pub addon: String,
    /// Whether the model is transient (a wizard).
    pub transient: bool,
    /// Why no field is required at compile time, when the server defaults are unknown
    /// (`default_get` faulted). Defaults read over JSON-RPC after XML-RPC could not marshal them
    /// (`default_get_xmlrpc_fault`) are known.
    pub defaults_unknown: bool,
    /// Fields sorted by technical name.
    pub fields: Vec<ResolvedField>,
    /// The public methods the schema lists, by name.
    pub methods: std::collections::BTreeMap<String, openspp_schema::MethodSchema>,
}

/// One field.
#[derive(Debug, Clone)]
pub struct ResolvedField {
    /// Technical name.
    pub name: String,
    /// Constant identifier (`COUNTRY_ID`).
    pub konst: String,
    /// Parameter identifier for `create` (`country_id`).
    pub param: String,
    /// Odoo type (`many2one`).
    pub odoo_type: String,
    /// Label.
    pub label: String,
    /// Tooltip.
    pub help: Option<String>,
    /// The value type.
    pub value: ValueType,
    /// The selection's enum, for a selection with string keys.
    pub selection: Option<FieldSelection>,
    /// The server can search on it.
    pub searchable: bool,
    /// The server can order by it.
    pub sortable: bool,
    /// The server stores what is written.
    pub writable: bool,
    /// Stored in the database.
    pub store: bool,
    /// Read-only in the UI.
    pub readonly: bool,
    /// Must be given to `create`: the server would refuse the create without it
    /// ([`openspp_schema::required`]: a `NOT NULL` column the model does not fill, without a
    /// server default).
    pub required_for_create: bool,
    /// Addons any of which must be enabled for the field to exist; empty when the model's own
    /// addon defines it.
    pub gate: Vec<String>,
}

/// Resolves a whole schema set. `default_features` are addon names.
pub fn resolve(set: &SchemaSet, default_features: &[String]) -> ResolvedCrate {
    let mut modules = Namespace::with_reserved(["models", "prelude", "selections"]);
    let mut types = Namespace::new();
    let names: Vec<&str> = set.models.keys().map(String::as_str).collect();
    let module_idents = modules.claim_all(&names, Case::Snake);
    let type_idents = types.claim_all(&names, Case::Camel('M'));
    let idents: BTreeMap<&str, (String, String)> = names
        .iter()
        .copied()
        .zip(module_idents.into_iter().zip(type_idents))
        .collect();

    let known: BTreeSet<String> = set.models.keys().cloned().collect();
    let mut models: Vec<ResolvedModel> = set
        .models
        .values()
        .map(|model| {
            let (module, type_name) = idents[model.model.as_str()].clone();
            resolve_model(set, model, module, type_name, &known)
        })
        .collect();
    let selections = share_selections(&mut models);

    ResolvedCrate {
        features: features(set),
        default_features: default_features.iter().cloned().collect(),
        models,
        selections,
    }
}

/// Gives every selection that several fields have (same keys, same labels, same order) one
/// enum in `selections`, and points those fields at it.
///
/// Naming: an enum is named after the field name most of its users have (`tz` → `Tz`; on a
/// tie, the first in byte order). When two shared selections want the same name, the one with
/// more users gets it (on a tie, the one whose first user, by model then field, sorts first);
/// each other one is named after its first user with that field name, model included
/// (`res.partner` `type` → `ResPartnerType`), then with the usual numeric suffix. The outcome
/// depends only on the schema set.
fn share_selections(models: &mut [ResolvedModel]) -> Vec<SharedSelection> {
    let mut groups: BTreeMap<Vec<SelectionValue>, Vec<(usize, usize)>> = BTreeMap::new();
    for (m, model) in models.iter().enumerate() {
        for (f, field) in model.fields.iter().enumerate() {
            if let (ValueType::Selection(values), Some(_)) = (&field.value, &field.selection) {
                if !values.is_empty() {
                    groups.entry(values.clone()).or_default().push((m, f));
                }
            }
        }
    }
    // (users, first user, values, user positions), in claiming order
    let mut shared: Vec<_> = groups
        .into_iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(values, users)| {
            let first = users[0];
            (users.len(), first, values, users)
        })
        .collect();
    shared.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            let key = |(m, f): (usize, usize)| (&models[m].name, &models[m].fields[f].name);
            key(a.1).cmp(&key(b.1))
        })
    });
    let mut names = Namespace::with_reserved(["String", UNKNOWN_VARIANT]);
    let mut out = Vec::with_capacity(shared.len());
    for (_, _, values, users) in shared {
        let field_name = |&(m, f): &(usize, usize)| models[m].fields[f].name.as_str();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for user in &users {
            *counts.entry(field_name(user)).or_default() += 1;
        }
        let most = counts.values().copied().max().unwrap_or_default();
        let common = counts
            .iter()
            .find(|(_, n)| **n == most)
            .map(|(name, _)| *name)
            .unwrap_or_default();
        let bare = crate::naming::ident(common, Case::Camel('E'));
        let name = if names.is_free(&bare) {
            names.claim(common, Case::Camel('E'))
        } else {
            let &(m, _) = users
                .iter()
                .find(|user| field_name(user) == common)
                .expect("the common name is a user's");
            names.claim(&format!("{}_{common}", models[m].name), Case::Camel('E'))
        };
        let (m, f) = users[0];
        let variants = models[m].fields[f]
            .selection
            .as_ref()
            .map(|s| s.variants.clone())
            .unwrap_or_default();
        let mut resolved = SharedSelection {
            name: name.clone(),
            values,
            variants,
            users: Vec::with_capacity(users.len()),
            addons: BTreeSet::new(),
        };
        for (m, f) in users {
            let model = &mut models[m];
            resolved.addons.insert(model.addon.clone());
            let field = &mut model.fields[f];
            resolved
                .users
                .push((model.name.clone(), field.name.clone(), field.label.clone()));
            if let Some(selection) = &mut field.selection {
                selection.shared = Some(name.clone());
            }
        }
        resolved.users.sort();
        out.push(resolved);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every installed addon is a feature enabling its dependencies. Every Odoo addon depends on
/// `base` (Odoo's module loader adds it when a manifest lists nothing), so when the set has
/// `base`, every other feature enables it.
fn features(set: &SchemaSet) -> BTreeMap<String, BTreeSet<String>> {
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let known: BTreeSet<&String> = set
        .manifest
        .addons
        .keys()
        .chain(set.models.values().map(|m| &m.addon))
        .chain(
            set.models
                .values()
                .flat_map(|m| m.fields.values().flat_map(|f| &f.modules)),
        )
        .collect();
    for addon in known {
        let mut deps: BTreeSet<String> = set
            .manifest
            .addons
            .get(addon)
            .map(|a| a.depends.iter().filter(|d| *d != addon).cloned().collect())
            .unwrap_or_default();
        if addon != "base" && set.manifest.addons.contains_key("base") {
            deps.insert("base".to_owned());
        }
        features.insert(addon.clone(), deps);
    }
    features
}

fn resolve_model(
    set: &SchemaSet,
    model: &ModelSchema,
    module: String,
    type_name: String,
    known: &BTreeSet<String>,
) -> ResolvedModel {
    let names: Vec<&str> = model.fields.keys().map(String::as_str).collect();
    let konsts = Namespace::new().claim_all(&names, Case::Constant);
    // `create` parameters must not shadow anything the body uses.
    let params = Namespace::with_reserved(["values"]).claim_all(&names, Case::Snake);
    let enums = Namespace::with_reserved(crate::render::CLIENT_ITEMS.iter().copied().chain([
        type_name.as_str(),
        "NaiveDate",
        "NaiveDateTime",
    ]));
    let defaults_unknown = model.default_get_fault.is_some();
    let mut ctx = FieldContext {
        model,
        known,
        enums,
        required: set.required_at_create(model).into_iter().collect(),
    };

    let fields = model
        .fields
        .iter()
        .zip(konsts.into_iter().zip(params))
        .map(|((name, field), names)| resolve_field(&mut ctx, name, field, names))
        .collect();
    ResolvedModel {
        name: model.model.clone(),
        module,
        type_name,
        label: model.label.clone(),
        addon: model.addon.clone(),
        transient: model.transient,
        defaults_unknown,
        fields,
        methods: model.methods.clone(),
    }
}

/// What resolving a field needs from its model.
struct FieldContext<'a> {
    model: &'a ModelSchema,
    /// Every model of the set: relations to others degrade to raw values.
    known: &'a BTreeSet<String>,
    /// The model module's type namespace, where selection enums are named.
    enums: Namespace,
    /// The fields `create` must be given ([`SchemaSet::required_at_create`]).
    required: BTreeSet<&'a str>,
}

fn resolve_field(
    ctx: &mut FieldContext<'_>,
    name: &str,
    field: &FieldSchema,
    (konst, param): (String, String),
) -> ResolvedField {
    let options = field
        .selection()
        .map(|opts| opts.iter().map(|o| (o.value, o.label)).collect::<Vec<_>>());
    let options = match (&options, field.attribute("selection")) {
        // A malformed option list (the schema crate drops malformed pairs) is not trusted.
        (Some(opts), Some(serde_json::Value::Array(raw))) if opts.len() != raw.len() => None,
        _ => options,
    };
    let value = match types::value_type(name, field.field_type(), field.relation(), options) {
        ValueType::Many2one(target) | ValueType::X2many(target) if !ctx.known.contains(&target) => {
            ValueType::Raw(format!(
                "{} to {target}, a model outside the schema set",
                field.field_type()
            ))
        }
        value => value,
    };
    let selection = match &value {
        ValueType::Selection(values) => {
            let enum_name = ctx.enums.claim(name, Case::Camel('E'));
            let keys: Vec<&str> = values.iter().map(|v| v.key.as_str()).collect();
            let variants =
                Namespace::with_reserved([UNKNOWN_VARIANT]).claim_all(&keys, Case::Camel('V'));
            Some(FieldSelection {
                name: enum_name,
                variants,
                shared: None,
            })
        }
        _ => None,
    };
    let store = field.store();
    let readonly = field.readonly();
    let writable = access::writable(WriteFacts {
        name,
        store,
        readonly,
    });
    let required_for_create = ctx.required.contains(name);
    let gate = if field.modules.is_empty() || field.modules.contains(&ctx.model.addon) {
        Vec::new()
    } else {
        field.modules.clone()
    };
    ResolvedField {
        name: name.to_owned(),
        konst,
        param,
        odoo_type: field.field_type().to_owned(),
        label: field.string().to_owned(),
        help: field.help().map(str::to_owned),
        value,
        selection,
        searchable: access::searchable(field.searchable(), store),
        sortable: field.sortable(),
        writable,
        store,
        readonly,
        required_for_create,
        gate,
    }
}

/// The identifier of `model`'s module and type, for references from other models.
pub fn model_path(krate: &ResolvedCrate, model: &str) -> Option<(String, String)> {
    krate
        .models
        .binary_search_by(|m| m.name.as_str().cmp(model))
        .ok()
        .map(|i| {
            (
                krate.models[i].module.clone(),
                krate.models[i].type_name.clone(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use openspp_schema::{Fault, Manifest, ServerVersion};
    use serde_json::{Value, json};

    fn field(attributes: Value, default: Option<Value>) -> FieldSchema {
        let Value::Object(attributes) = attributes else {
            unreachable!("attributes are an object")
        };
        let mut field = FieldSchema::new(attributes.into_iter().collect());
        field.default = default;
        field
    }

    fn partner(name: &str) -> ModelSchema {
        let required =
            |kind: &str| json!({"type": kind, "string": "X", "store": true, "required": true});
        let mut model = ModelSchema::new(name, "Contact", "base");
        model
            .fields
            .insert("name".into(), field(required("char"), None));
        model.fields.insert(
            "company_id".into(),
            field(required("integer"), Some(Value::Null)),
        );
        model
            .fields
            .insert("lang".into(), field(required("char"), Some(json!("en_US"))));
        model
    }

    fn required(model: &ResolvedModel) -> Vec<&str> {
        model
            .fields
            .iter()
            .filter(|f| f.required_for_create)
            .map(|f| f.name.as_str())
            .collect()
    }

    #[test]
    fn defaults_read_over_jsonrpc_are_known_and_a_null_default_fills_nothing() {
        let marshal = Fault {
            code: 1,
            message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
        };
        let mut set = SchemaSet::new(Manifest::new(ServerVersion::default()));
        let mut read_over_json = partner("res.partner");
        read_over_json.default_get_xmlrpc_fault = Some(marshal.clone());
        set.insert(read_over_json);
        let mut unknown = partner("res.users");
        unknown.default_get_fault = Some(marshal);
        set.insert(unknown);

        let krate = resolve(&set, &[]);
        let [partner, users] = &krate.models[..] else {
            panic!("two models expected")
        };
        assert_eq!(partner.name, "res.partner");
        assert!(!partner.defaults_unknown);
        // `name` has no default, `company_id` a null one; `lang` is filled by the server
        assert_eq!(required(partner), ["company_id", "name"]);

        assert!(users.defaults_unknown);
        assert!(required(users).is_empty());
    }

    fn selection(choices: &[(&str, &str)]) -> FieldSchema {
        let choices: Vec<Value> = choices.iter().map(|(k, l)| json!([k, l])).collect();
        field(
            json!({"type": "selection", "string": "S", "selection": choices}),
            None,
        )
    }

    #[test]
    fn identical_selections_share_one_enum_named_by_the_rule() {
        let tz = [("Europe/Paris", "Europe/Paris"), ("UTC", "UTC")];
        let state_a = [("draft", "Draft"), ("done", "Done")];
        let state_b = [("draft", "Draft"), ("posted", "Posted")];
        let mut set = SchemaSet::new(Manifest::new(ServerVersion::default()));
        for (model, addon, fields) in [
            (
                "a.model",
                "a",
                vec![("tz", &tz[..]), ("state", &state_a[..])],
            ),
            (
                "b.model",
                "b",
                vec![("tz", &tz[..]), ("x_tz", &tz[..]), ("state", &state_a[..])],
            ),
            (
                "c.model",
                "c",
                vec![("state", &state_b[..]), ("only", &state_b[..1])],
            ),
            ("d.model", "d", vec![("status", &state_b[..])]),
            // same keys, another label: not the same selection
            (
                "e.model",
                "e",
                vec![("tz", &[("Europe/Paris", "Paris"), ("UTC", "UTC")][..])],
            ),
        ] {
            let mut schema = ModelSchema::new(model, model, addon);
            for (name, choices) in fields {
                schema.fields.insert(name.into(), selection(choices));
            }
            set.insert(schema);
        }
        let krate = resolve(&set, &[]);
        let shared: Vec<(&str, Vec<(&str, &str)>)> = krate
            .selections
            .iter()
            .map(|s| {
                let users = s.users.iter().map(|(m, f, _)| (m.as_str(), f.as_str()));
                (s.name.as_str(), users.collect())
            })
            .collect();
        assert_eq!(
            shared,
            [
                // `state` has two users in both groups: the first user, by model, wins the name
                (
                    "CModelState",
                    vec![("c.model", "state"), ("d.model", "status")]
                ),
                ("State", vec![("a.model", "state"), ("b.model", "state")]),
                (
                    "Tz",
                    vec![("a.model", "tz"), ("b.model", "tz"), ("b.model", "x_tz")]
                ),
            ]
        );
        assert_eq!(
            krate.selections[2].addons,
            BTreeSet::from(["a".into(), "b".into()])
        );
        let enum_of = |model: usize, field: &str| {
            let field = krate.models[model]
                .fields
                .iter()
                .find(|f| f.name == field)
                .unwrap();
            let s = field.selection.as_ref().unwrap();
            (s.name.as_str(), s.shared.as_deref())
        };
        assert_eq!(enum_of(1, "x_tz"), ("XTz", Some("Tz")));
        assert_eq!(enum_of(3, "status"), ("Status", Some("CModelState")));
        assert_eq!(
            enum_of(2, "only"),
            ("Only", None),
            "used once: stays in its model"
        );
        assert_eq!(enum_of(4, "tz"), ("Tz", None));
    }
}
