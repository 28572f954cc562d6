//! Finds the changes between two sides and classifies each by what it does to a program using
//! the generated bindings.
//!
//! A change is classified on the bindings generated from each side (openspp-codegen's names,
//! value types, capabilities and `create` rule), the server's description standing behind it:
//!
//! | change | breaks the build | changes behaviour silently | harmless |
//! |---|---|---|---|
//! | addon | removed (its cargo feature goes) | | added, new version |
//! | model | removed, renamed, moved to another addon (another feature gates it) | not readable by one side's dump | added, label, transient |
//! | field | removed, renamed, type or comodel changes the Rust value type, a capability (`Searchable`, `Sortable`, `Writable`) lost | became `required` (an empty value is refused) | added, type change with the same Rust type, other flags, a capability gained, label |
//! | `create` | an argument added or removed | a field of another addon joins `REQUIRED` (checked before sending) | a field of another addon leaves `REQUIRED` |
//! | selection | a key with an enum variant removed | a key without a variant (integer keys, raw selections) removed | keys added (read as their variant instead of `Unrecognized`) |
//!
//! Renames are probable only: a model gone while one with the same label (and transience)
//! appeared, a field gone while one with the same type, comodel and label appeared in its model,
//! each pairing only when it is the only candidate either way. A renamed model's fields are not
//! compared.

use super::bindings::{self, Bindings, Generated, field_items};
use super::change::{Capability, Change, Flag, Impact, Kind, Role, RustItem, Shape, Side};
use super::rename::probable_renames;
use crate::dump::filter::Selection;
use openspp_schema::{FieldSchema, ModelSchema};
use serde_json::Value;
use std::collections::BTreeSet;

/// Every change between `from` and `to` among the models `selection` keeps (and the addons,
/// when `addons`), sorted by addon, model, impact and field.
pub fn compare(from: &Bindings, to: &Bindings, selection: &Selection, addons: bool) -> Vec<Change> {
    let mut changes = Vec::new();
    if addons {
        compare_addons(from, to, selection, &mut changes);
    }
    compare_models(from, to, selection, &mut changes);
    changes.sort();
    changes
}

fn compare_addons(from: &Bindings, to: &Bindings, selection: &Selection, out: &mut Vec<Change>) {
    let (a, b) = (&from.set.manifest.addons, &to.set.manifest.addons);
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names.into_iter().filter(|n| selection.keeps_addon(n)) {
        let change = |kind, impact, rust| Change {
            addon: name.clone(),
            model: None,
            impact,
            field: None,
            kind,
            rust,
        };
        let feature = |side: Side| RustItem {
            role: Role::CargoFeature,
            from: (side == Side::From).then(|| name.clone()),
            to: (side == Side::To).then(|| name.clone()),
        };
        out.push(match (a.get(name), b.get(name)) {
            (Some(_), None) => change(
                Kind::AddonRemoved,
                Impact::BreaksTheBuild,
                vec![feature(Side::From)],
            ),
            (None, Some(_)) => change(Kind::AddonAdded, Impact::Harmless, Vec::new()),
            (Some(x), Some(y)) if x.version != y.version => {
                let version = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
                change(
                    Kind::AddonVersion {
                        from: version(&x.version),
                        to: version(&y.version),
                    },
                    Impact::Harmless,
                    Vec::new(),
                )
            }
            _ => continue,
        });
    }
}

/// The changes of one model, filed under its addon.
struct ModelChanges<'o> {
    addon: String,
    model: String,
    out: &'o mut Vec<Change>,
}

impl ModelChanges<'_> {
    fn push(&mut self, field: Option<&str>, kind: Kind, impact: Impact, rust: Vec<RustItem>) {
        self.out.push(Change {
            addon: self.addon.clone(),
            model: Some(self.model.clone()),
            impact,
            field: field.map(str::to_owned),
            kind,
            rust,
        });
    }
}

fn compare_models(from: &Bindings, to: &Bindings, selection: &Selection, out: &mut Vec<Change>) {
    let kept = |side: &Bindings, name: &str| {
        side.set
            .models
            .get(name)
            .is_some_and(|m| selection.keeps(name, &m.addon))
    };
    let names: BTreeSet<&str> = from
        .set
        .models
        .keys()
        .chain(to.set.models.keys())
        .map(String::as_str)
        .filter(|name| kept(from, name) || kept(to, name))
        .collect();
    let only = |side: &'_ Bindings, other: &Bindings| -> Vec<&str> {
        names
            .iter()
            .copied()
            .filter(|n| side.set.models.contains_key(*n) && !other.set.models.contains_key(*n))
            .collect()
    };
    let (removed, added) = (only(from, to), only(to, from));
    let key = |side: &Bindings, name: &str| {
        let model = &side.set.models[name];
        (model.label.clone(), model.transient)
    };
    let renames = probable_renames(
        removed.iter().map(|n| (*n, key(from, n))),
        added.iter().map(|n| (*n, key(to, n))),
    );
    let renamed: BTreeSet<&str> = renames.values().copied().collect();

    for name in names {
        let (a, b) = (from.set.models.get(name), to.set.models.get(name));
        let addon = b.or(a).map(|m| m.addon.clone()).unwrap_or_default();
        let mut changes = ModelChanges {
            addon,
            model: name.to_owned(),
            out,
        };
        match (a, b) {
            (Some(a), Some(b)) => compare_model(from, to, a, b, &mut changes),
            (Some(a), None) => {
                let items =
                    |side: &Bindings, name: &str| side.model(name).map(bindings::model_items);
                let pair = |role, i: usize, new: Option<&str>| RustItem {
                    role,
                    from: items(from, name).map(|m| m[i].clone()),
                    to: new.and_then(|n| items(to, n)).map(|m| m[i].clone()),
                };
                if let Some(new) = renames.get(name) {
                    let rust = vec![
                        pair(Role::Module, 0, Some(new)),
                        pair(Role::ModelType, 1, Some(new)),
                    ];
                    let kind = Kind::ModelRenamed {
                        to: (*new).to_owned(),
                        label: a.label.clone(),
                    };
                    changes.push(None, kind, Impact::BreaksTheBuild, rust);
                } else if let Some(fault) = to.set.manifest.skipped_models.get(name) {
                    let kind = Kind::ModelUnreadable {
                        side: Side::To,
                        fault: format!("{}: {}", fault.code, fault.message),
                    };
                    changes.push(None, kind, Impact::ChangesBehaviourSilently, Vec::new());
                } else {
                    let rust = vec![pair(Role::Module, 0, None), pair(Role::ModelType, 1, None)];
                    let kind = Kind::ModelRemoved {
                        label: a.label.clone(),
                    };
                    changes.push(None, kind, Impact::BreaksTheBuild, rust);
                }
            }
            (None, Some(b)) if !renamed.contains(name) => {
                if let Some(fault) = from.set.manifest.skipped_models.get(name) {
                    let kind = Kind::ModelUnreadable {
                        side: Side::From,
                        fault: format!("{}: {}", fault.code, fault.message),
                    };
                    changes.push(None, kind, Impact::ChangesBehaviourSilently, Vec::new());
                } else {
                    let kind = Kind::ModelAdded {
                        label: b.label.clone(),
                    };
                    changes.push(None, kind, Impact::Harmless, Vec::new());
                }
            }
            _ => {}
        }
    }
}

fn shape(field: &FieldSchema) -> Shape {
    Shape {
        odoo_type: field.field_type().to_owned(),
        relation: field.relation().map(str::to_owned),
    }
}

fn compare_model(
    from: &Bindings,
    to: &Bindings,
    a: &ModelSchema,
    b: &ModelSchema,
    changes: &mut ModelChanges<'_>,
) {
    if a.addon != b.addon {
        let rust = vec![RustItem {
            role: Role::CargoFeature,
            from: Some(a.addon.clone()),
            to: Some(b.addon.clone()),
        }];
        let kind = Kind::ModelAddon {
            from: a.addon.clone(),
            to: b.addon.clone(),
        };
        changes.push(None, kind, Impact::BreaksTheBuild, rust);
    }
    if a.label != b.label {
        let kind = Kind::ModelLabel {
            from: a.label.clone(),
            to: b.label.clone(),
        };
        changes.push(None, kind, Impact::Harmless, Vec::new());
    }
    if a.transient != b.transient {
        let kind = Kind::ModelTransient {
            from: a.transient,
            to: b.transient,
        };
        changes.push(None, kind, Impact::Harmless, Vec::new());
    }

    let removed: Vec<&str> = a
        .fields
        .keys()
        .filter(|f| !b.fields.contains_key(*f))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = b
        .fields
        .keys()
        .filter(|f| !a.fields.contains_key(*f))
        .map(String::as_str)
        .collect();
    let key = |field: &FieldSchema| (shape(field), field.string().to_owned());
    let renames = probable_renames(
        removed.iter().map(|f| (*f, key(&a.fields[*f]))),
        added.iter().map(|f| (*f, key(&b.fields[*f]))),
    );
    let renamed: BTreeSet<&str> = renames.values().copied().collect();
    fn generated<'b>(side: &'b Bindings, model: &str, field: &str) -> Option<Generated<'b>> {
        side.field(model, field)
    }
    let model = a.model.as_str();

    for name in removed {
        let field = &a.fields[name];
        let old = generated(from, model, name);
        match renames.get(name) {
            Some(new) => {
                let kind = Kind::FieldRenamed {
                    to: (*new).to_owned(),
                    shape: shape(field),
                    label: field.string().to_owned(),
                };
                let rust = field_items(old.as_ref(), generated(to, model, new).as_ref());
                changes.push(Some(name), kind, Impact::BreaksTheBuild, rust);
            }
            None => {
                let kind = Kind::FieldRemoved {
                    shape: shape(field),
                    label: field.string().to_owned(),
                };
                let rust = field_items(old.as_ref(), None);
                changes.push(Some(name), kind, Impact::BreaksTheBuild, rust);
            }
        }
    }
    for name in added.into_iter().filter(|f| !renamed.contains(f)) {
        let field = &b.fields[name];
        let kind = Kind::FieldAdded {
            shape: shape(field),
            label: field.string().to_owned(),
        };
        changes.push(Some(name), kind, Impact::Harmless, Vec::new());
        if let Some(new) = generated(to, model, name) {
            create_argument(None, &new, name, changes);
        }
    }
    for (name, fa) in &a.fields {
        let (Some(fb), Some(ga), Some(gb)) = (
            b.fields.get(name),
            generated(from, model, name),
            generated(to, model, name),
        ) else {
            continue;
        };
        compare_field(name, (fa, &ga), (fb, &gb), changes);
    }
}

/// The changes to a field both sides have.
fn compare_field(
    name: &str,
    (fa, ga): (&FieldSchema, &Generated<'_>),
    (fb, gb): (&FieldSchema, &Generated<'_>),
    changes: &mut ModelChanges<'_>,
) {
    let field = Some(name);
    let (sa, sb) = (shape(fa), shape(fb));
    if sa != sb {
        let (impact, rust) = if ga.same_value_type(gb) {
            (Impact::Harmless, Vec::new())
        } else {
            (Impact::BreaksTheBuild, field_items(Some(ga), Some(gb)))
        };
        changes.push(field, Kind::FieldType { from: sa, to: sb }, impact, rust);
    }
    let flags = [
        (Flag::Required, fa.required(), fb.required()),
        (Flag::Readonly, fa.readonly(), fb.readonly()),
        (Flag::Stored, fa.store(), fb.store()),
        (Flag::Searchable, fa.searchable(), fb.searchable()),
    ];
    for (flag, from, to) in flags.into_iter().filter(|(_, a, b)| a != b) {
        // A required field refuses an empty value (`False`) in create and write alike.
        let impact = if flag == Flag::Required && to {
            Impact::ChangesBehaviourSilently
        } else {
            Impact::Harmless
        };
        changes.push(
            field,
            Kind::FieldFlag { flag, from, to },
            impact,
            Vec::new(),
        );
    }
    create_argument(Some(ga), gb, name, changes);
    let capabilities = [
        (Capability::Search, ga.field.searchable, gb.field.searchable),
        (Capability::Sort, ga.field.sortable, gb.field.sortable),
        (Capability::Write, ga.field.writable, gb.field.writable),
    ];
    for (capability, from, to) in capabilities.into_iter().filter(|(_, a, b)| a != b) {
        let (impact, rust) = if from {
            let constant = RustItem {
                role: Role::FieldConstant,
                from: Some(ga.constant()),
                to: Some(gb.constant()),
            };
            (Impact::BreaksTheBuild, vec![constant])
        } else {
            (Impact::Harmless, Vec::new())
        };
        let kind = Kind::FieldCapability {
            capability,
            from,
            to,
        };
        changes.push(field, kind, impact, rust);
    }
    if let (Some(ka), Some(kb)) = (selection_keys(fa), selection_keys(fb)) {
        let removed: Vec<String> = ka.iter().filter(|k| !kb.contains(k)).cloned().collect();
        let added: Vec<String> = kb.iter().filter(|k| !ka.contains(k)).cloned().collect();
        if !removed.is_empty() {
            let variants: Vec<RustItem> = removed
                .iter()
                .filter_map(|key| ga.variant(key))
                .map(|variant| RustItem {
                    role: Role::EnumVariant,
                    from: Some(variant),
                    to: None,
                })
                .collect();
            // Without a variant to name, the program writes the key itself, which the server
            // now refuses.
            let impact = if variants.is_empty() {
                Impact::ChangesBehaviourSilently
            } else {
                Impact::BreaksTheBuild
            };
            let kind = Kind::SelectionRemoved { values: removed };
            changes.push(field, kind, impact, variants);
        }
        if !added.is_empty() {
            let kind = Kind::SelectionAdded { values: added };
            changes.push(field, kind, Impact::Harmless, Vec::new());
        }
    }
    if fa.string() != fb.string() {
        let kind = Kind::FieldLabel {
            from: fa.string().to_owned(),
            to: fb.string().to_owned(),
        };
        changes.push(field, kind, Impact::Harmless, Vec::new());
    }
}

/// A change to whether `create` must be given the field: `a` is `None` for a field `--from`
/// lacks. An argument of `create` is the build's concern; a field of another addon is only
/// in the model's `REQUIRED` list, which the client checks before sending.
fn create_argument(
    a: Option<&Generated<'_>>,
    b: &Generated<'_>,
    name: &str,
    changes: &mut ModelChanges<'_>,
) {
    let from = a.is_some_and(|a| a.field.required_for_create);
    let to = b.field.required_for_create;
    if from == to {
        return;
    }
    let argument = |g: &Generated<'_>| g.create_argument().then(|| g.create_param());
    let listed = |g: &Generated<'_>| {
        g.field
            .required_for_create
            .then(|| format!("{:?} in {}", name, g.required_list()))
    };
    let create = RustItem {
        role: Role::CreateArgument,
        from: a.and_then(argument),
        to: argument(b),
    };
    let required = RustItem {
        role: Role::RequiredList,
        from: a.and_then(listed),
        to: listed(b),
    };
    let (impact, rust) = if create.from.is_some() || create.to.is_some() {
        (Impact::BreaksTheBuild, vec![create, required])
    } else if to {
        (Impact::ChangesBehaviourSilently, vec![required])
    } else {
        (Impact::Harmless, vec![required])
    };
    changes.push(Some(name), Kind::CreateArgument { from, to }, impact, rust);
}

/// A selection's keys in the server's order (a non-string key as its JSON), or `None` for a
/// field without one.
fn selection_keys(field: &FieldSchema) -> Option<Vec<String>> {
    let options = field.selection()?;
    Some(
        options
            .iter()
            .map(|o| match o.value {
                Value::String(key) => key.clone(),
                other => other.to_string(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use openspp_schema::{Fault, Manifest, SchemaSet, ServerVersion};
    use serde_json::json;

    fn field(attributes: Value, modules: &[&str]) -> FieldSchema {
        let Value::Object(attributes) = attributes else {
            unreachable!("attributes are an object")
        };
        let mut field = FieldSchema::new(attributes.into_iter().collect());
        field.modules = modules.iter().map(|m| (*m).to_owned()).collect();
        field
    }

    /// `res.partner` with `name`, and `ref` added by another addon, required or not.
    fn partner(ref_required: bool) -> ModelSchema {
        let mut model = ModelSchema::new("res.partner", "Contact", "base");
        let name = json!({"type": "char", "string": "Name", "store": true});
        model.fields.insert("name".into(), field(name, &["base"]));
        let reference = json!({"type": "char", "string": "Reference", "store": true,
                               "required": ref_required});
        model
            .fields
            .insert("ref".into(), field(reference, &["other"]));
        model
    }

    fn set(models: Vec<ModelSchema>) -> Bindings {
        let mut set = SchemaSet::new(Manifest::new(ServerVersion::default()));
        for model in models {
            set.insert(model);
        }
        Bindings::new(set)
    }

    fn everything() -> Selection {
        Selection::new(&[], &[], &[]).unwrap()
    }

    #[test]
    fn a_field_of_another_addon_joining_required_is_silent() {
        let changes = compare(
            &set(vec![partner(false)]),
            &set(vec![partner(true)]),
            &everything(),
            false,
        );
        let create = changes
            .iter()
            .find(|c| matches!(c.kind, Kind::CreateArgument { .. }))
            .expect("a create change");
        assert_eq!(create.impact, Impact::ChangesBehaviourSilently);
        assert_eq!(
            create.rust,
            [RustItem {
                role: Role::RequiredList,
                from: None,
                to: Some("\"ref\" in ResPartner::REQUIRED".into()),
            }]
        );
        // Leaving `REQUIRED` again asks nothing more of a program.
        let changes = compare(
            &set(vec![partner(true)]),
            &set(vec![partner(false)]),
            &everything(),
            false,
        );
        let create = changes
            .iter()
            .find(|c| matches!(c.kind, Kind::CreateArgument { .. }))
            .expect("a create change");
        assert_eq!(create.impact, Impact::Harmless);
    }

    #[test]
    fn models_added_removed_or_skipped_by_the_dump() {
        let country = ModelSchema::new("res.country", "Country", "base");
        let bank = ModelSchema::new("res.bank", "Bank", "base");
        let mut to = set(vec![partner(false), bank]);
        to.set.manifest.skipped_models.insert(
            "res.country".into(),
            Fault {
                code: 1,
                message: "KeyError: 'x'".into(),
            },
        );
        let from = set(vec![partner(false), country]);
        let changes = compare(&from, &to, &everything(), false);
        let kinds: Vec<(&str, &Kind, Impact)> = changes
            .iter()
            .map(|c| (c.model.as_deref().unwrap(), &c.kind, c.impact))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    "res.bank",
                    &Kind::ModelAdded {
                        label: "Bank".into()
                    },
                    Impact::Harmless
                ),
                (
                    "res.country",
                    &Kind::ModelUnreadable {
                        side: Side::To,
                        fault: "1: KeyError: 'x'".into()
                    },
                    Impact::ChangesBehaviourSilently
                ),
            ]
        );
        // Filtered out by the selection: not compared.
        let only_partner = Selection::new(&["res.partner".into()], &[], &[]).unwrap();
        assert!(compare(&from, &to, &only_partner, false).is_empty());
    }
}
