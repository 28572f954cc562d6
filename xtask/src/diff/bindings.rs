//! One side of a diff: its schemas, and the bindings openspp-codegen generates from them, whose
//! items the report names.

use super::change::{Role, RustItem};
use openspp_codegen::render::value_type_text;
use openspp_codegen::resolve::{self, ResolvedCrate, ResolvedField, ResolvedModel};
use openspp_codegen::types::ValueType;
use openspp_schema::SchemaSet;

/// A schema set and its resolved bindings (every name and type decided as codegen decides it).
#[derive(Debug)]
pub struct Bindings {
    /// The schemas.
    pub set: SchemaSet,
    krate: ResolvedCrate,
}

impl Bindings {
    /// Resolves `set` as `cargo xtask codegen` would.
    pub fn new(set: SchemaSet) -> Self {
        let krate = resolve::resolve(&set, &[]);
        Bindings { set, krate }
    }

    /// The resolved model `name`.
    pub fn model(&self, name: &str) -> Option<&ResolvedModel> {
        let models = &self.krate.models;
        models
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .map(|i| &models[i])
    }

    /// The resolved field `field` of `model`.
    pub fn field(&self, model: &str, field: &str) -> Option<Generated<'_>> {
        let model = self.model(model)?;
        let index = model
            .fields
            .binary_search_by(|f| f.name.as_str().cmp(field))
            .ok()?;
        Some(Generated {
            krate: &self.krate,
            model,
            field: &model.fields[index],
        })
    }
}

/// The items a model's module and type are.
pub fn model_items(model: &ResolvedModel) -> [String; 2] {
    let module = model.module.clone();
    [module.clone(), format!("{module}::{}", model.type_name)]
}

/// One generated field with what naming its items needs.
#[derive(Debug, Clone, Copy)]
pub struct Generated<'a> {
    krate: &'a ResolvedCrate,
    model: &'a ResolvedModel,
    /// The field.
    pub field: &'a ResolvedField,
}

impl Generated<'_> {
    /// The value type as the program writes it.
    pub fn value_type(&self) -> String {
        value_type_text(self.krate, self.model, self.field)
    }

    /// The field constant with its value type (`res_users::LOGIN: String`).
    pub fn constant(&self) -> String {
        format!(
            "{}::{}: {}",
            self.model.module,
            self.field.konst,
            self.value_type()
        )
    }

    /// A record struct's field for it (`#[record(model = ResUsers)] login: String`).
    pub fn record_field(&self) -> String {
        format!(
            "#[record(model = {})] {}: {}",
            self.model.type_name,
            self.field.name,
            self.value_type()
        )
    }

    /// Whether `create` takes the field as an argument (required, and the model's own addon's).
    pub fn create_argument(&self) -> bool {
        self.field.required_for_create && self.field.gate.is_empty()
    }

    /// `create`'s argument for it (`ResUsers::create(login: String)`).
    pub fn create_param(&self) -> String {
        format!(
            "{}::create({}: {})",
            self.model.type_name,
            self.field.param,
            self.value_type()
        )
    }

    /// The model's list of fields checked before a create is sent.
    pub fn required_list(&self) -> String {
        format!("{}::REQUIRED", self.model.type_name)
    }

    /// The field's selection enum (`res_partner::Type`), when it has one.
    pub fn selection_enum(&self) -> Option<String> {
        let selection = self.field.selection.as_ref()?;
        Some(format!("{}::{}", self.model.module, selection.name))
    }

    /// The variant of the selection enum for `key`, when the enum has one.
    pub fn variant(&self, key: &str) -> Option<String> {
        let ValueType::Selection(values) = &self.field.value else {
            return None;
        };
        let selection = self.field.selection.as_ref()?;
        let index = values.iter().position(|v| v.key == key)?;
        Some(format!(
            "{}::{}::{}",
            self.model.module, selection.name, selection.variants[index]
        ))
    }

    /// Whether two generated fields take the same Rust value type: the kind of value and the
    /// target model (a selection's keys are compared on their own).
    pub fn same_value_type(&self, other: &Generated<'_>) -> bool {
        match (&self.field.value, &other.field.value) {
            (ValueType::Selection(_), ValueType::Selection(_)) => true,
            _ => self.value_type() == other.value_type(),
        }
    }
}

/// The items that name one field, on `from` and `to` (either may lack it): its constant, record
/// field, `create` argument (or `REQUIRED` entry) and selection enum.
pub fn field_items(from: Option<&Generated<'_>>, to: Option<&Generated<'_>>) -> Vec<RustItem> {
    let pair = |role, f: &dyn Fn(&Generated<'_>) -> Option<String>| RustItem {
        role,
        from: from.and_then(f),
        to: to.and_then(f),
    };
    let mut items = vec![
        pair(Role::FieldConstant, &|g| Some(g.constant())),
        pair(Role::RecordField, &|g| Some(g.record_field())),
    ];
    let create = pair(Role::CreateArgument, &|g| {
        g.create_argument().then(|| g.create_param())
    });
    if create.from.is_some() || create.to.is_some() {
        items.push(create);
    }
    let selection = pair(Role::SelectionEnum, &|g| g.selection_enum());
    if selection.from.is_some() || selection.to.is_some() {
        items.push(selection);
    }
    items
}
