//! Schema → resolved model: every name, type, capability and feature gate decided once, here,
//! so that rendering only prints.

use crate::access::{self, WriteFacts};
use crate::naming::{Case, Namespace};
use crate::types::{self, ValueType};
use odoo_schema::{FieldSchema, ModelSchema, SchemaSet};
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
    /// The selection enum's identifier and variant identifiers (one per key, same order).
    pub selection: Option<(String, Vec<String>)>,
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
    /// Must be given to `create`: required, stored, not computed, and without server default.
    pub required_for_create: bool,
    /// Addons any of which must be enabled for the field to exist; empty when the model's own
    /// addon defines it.
    pub gate: Vec<String>,
}

/// Resolves a whole schema set. `default_features` are addon names.
pub fn resolve(set: &SchemaSet, default_features: &[String]) -> ResolvedCrate {
    let mut modules = Namespace::with_reserved(["models", "prelude"]);
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
    let models = set
        .models
        .values()
        .map(|model| {
            let (module, type_name) = idents[model.model.as_str()].clone();
            resolve_model(model, module, type_name, &known)
        })
        .collect();

    ResolvedCrate {
        features: features(set),
        default_features: default_features.iter().cloned().collect(),
        models,
    }
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
    }
}

/// What resolving a field needs from its model.
struct FieldContext<'a> {
    model: &'a ModelSchema,
    /// Every model of the set: relations to others degrade to raw values.
    known: &'a BTreeSet<String>,
    /// The model module's type namespace, where selection enums are named.
    enums: Namespace,
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
            Some((enum_name, variants))
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
    let computed =
        !field.depends().is_empty() || field.related().is_some() || field.compute().is_some();
    let required_for_create = ctx.model.default_get_fault.is_none()
        && field.required()
        && store
        && writable
        && !computed
        && !field.company_dependent()
        && !field.default_fills_create();
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
    use odoo_schema::{Fault, Manifest, ServerVersion};
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
}
