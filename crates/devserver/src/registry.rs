//! The models the server knows, resolved once from a schemas directory into what the store and
//! the ORM methods need: table and column names, storage kinds, relations and defaults.

use openspp_schema::{FieldSchema, ModelSchema, SchemaSet};
use std::collections::BTreeMap;

/// Every model of the schema set, by technical name.
#[derive(Debug)]
pub struct Registry {
    models: BTreeMap<String, Model>,
    /// Models the dump skipped because the real server faulted on them, with that fault
    /// (code, last line): every call on them faults the same way here.
    skipped: BTreeMap<String, (i64, String)>,
}

/// One model and its fields.
#[derive(Debug)]
pub struct Model {
    /// Technical name (`res.partner`).
    pub name: String,
    /// Label (`Contact`).
    pub label: String,
    /// SQLite table name.
    pub table: String,
    /// Fields by name, `id` included.
    pub fields: BTreeMap<String, Field>,
    /// The field whose value is the record's display name (`complete_name` or `name`).
    pub rec_name: Option<String>,
    /// The many2one to the model itself that makes a hierarchy (`parent_id`).
    pub parent_field: Option<String>,
    /// The fault `default_get` gives on the real server, if any: (code, last line).
    pub default_get_fault: Option<(i64, String)>,
    /// The `NOT NULL` columns a create must end with a value in, after defaults and
    /// `_inherits` parents ([`openspp_schema::required`]: not computed, not a parent link).
    pub not_null_at_create: Vec<String>,
    /// The `_inherits` parents: the many2one that links each, and the parent model.
    pub delegates: Vec<(String, String)>,
    /// The schema this model was resolved from (fields_get answers come from it verbatim).
    pub schema: ModelSchema,
}

/// What kind of value a field holds, as far as storage and the wire are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// char, text, html, selection, reference: a string.
    Text,
    /// date: `YYYY-MM-DD`.
    Date,
    /// datetime: `YYYY-MM-DD HH:MM:SS`.
    Datetime,
    /// binary: base64 text.
    Binary,
    /// integer.
    Integer,
    /// many2one_reference: an integer id whose model is in another field.
    IdReference,
    /// float and monetary.
    Float,
    /// boolean.
    Boolean,
    /// many2one: an id of the comodel.
    Many2one,
    /// one2many: the comodel's records whose inverse many2one points here.
    One2many,
    /// many2many: a relation table.
    Many2many,
    /// json, properties, serialized...: any value, stored as JSON text.
    Json,
}

impl Kind {
    fn of(odoo_type: &str) -> Kind {
        match odoo_type {
            "char" | "text" | "html" | "selection" | "reference" => Kind::Text,
            "date" => Kind::Date,
            "datetime" => Kind::Datetime,
            "binary" | "image" => Kind::Binary,
            "integer" => Kind::Integer,
            "many2one_reference" => Kind::IdReference,
            "float" | "monetary" => Kind::Float,
            "boolean" => Kind::Boolean,
            "many2one" => Kind::Many2one,
            "one2many" => Kind::One2many,
            "many2many" => Kind::Many2many,
            _ => Kind::Json,
        }
    }

    /// Whether the value is a string on the wire and in SQLite.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            Kind::Text | Kind::Date | Kind::Datetime | Kind::Binary
        )
    }

    /// Whether the field is a one2many or many2many.
    pub fn is_x2many(self) -> bool {
        matches!(self, Kind::One2many | Kind::Many2many)
    }
}

/// The relation table of a many2many field.
#[derive(Debug, Clone)]
pub struct RelationTable {
    /// Table name.
    pub table: String,
    /// Column holding this model's id.
    pub this: String,
    /// Column holding the comodel's id.
    pub other: String,
}

/// One field.
#[derive(Debug)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Odoo type name (`char`, `many2one`...).
    pub odoo_type: String,
    /// Storage kind.
    pub kind: Kind,
    /// Label.
    pub label: String,
    /// Whether a column (or relation table) holds it.
    pub stored: bool,
    /// UI read-only hint.
    pub readonly: bool,
    /// Whether the column is `NOT NULL` (`required` on a column, [`FieldSchema::not_null`]).
    pub required: bool,
    /// Comodel of a relational field.
    pub relation: Option<String>,
    /// Inverse many2one of a one2many.
    pub relation_field: Option<String>,
    /// The path a related field follows.
    pub related: Option<String>,
    /// Relation table of a stored many2many.
    pub m2m: Option<RelationTable>,
    /// Allowed values of a selection with a static list.
    pub selection: Option<Vec<serde_json::Value>>,
    /// `ir.model.fields` `on_delete` of a many2one (`cascade`, `restrict`, `set null`).
    pub on_delete: Option<String>,
    /// The value `default_get` gives.
    pub default: Option<serde_json::Value>,
    /// `default_get` gives a fresh value on each call (see [`crate::orm::meta::server_default`]).
    pub default_varies: bool,
    /// A binary field kept in an `ir.attachment` (`attachment=True`, Odoo's default).
    pub attachment: bool,
    /// How an html field sanitises what is written (none: not html, or `sanitize=False`).
    pub sanitize: Option<crate::orm::html::Options>,
}

/// Fields every record has, that the ORM maintains and that writes silently ignore.
pub use openspp_schema::MAGIC_FIELDS;

impl Field {
    /// Whether the field has a column in the model's table.
    pub fn has_column(&self) -> bool {
        self.stored && !self.kind.is_x2many()
    }

    /// Whether writing it changes something (else the real server ignores it silently).
    pub fn is_writable(&self) -> bool {
        !MAGIC_FIELDS.contains(&self.name.as_str()) && (self.stored || !self.readonly)
    }

    fn from_schema(name: &str, schema: &FieldSchema) -> Field {
        let odoo_type = schema.field_type().to_owned();
        let selection = match schema.attribute("selection") {
            Some(serde_json::Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(|item| item.as_array().and_then(|pair| pair.first()).cloned())
                    .collect(),
            ),
            _ => None,
        };
        Field {
            name: name.to_owned(),
            kind: Kind::of(&odoo_type),
            odoo_type,
            label: schema.string().to_owned(),
            stored: schema.store() || name == "id",
            readonly: schema.readonly(),
            required: schema.not_null(),
            relation: schema.relation().map(str::to_owned),
            relation_field: schema.relation_field().map(str::to_owned),
            related: schema.related().map(str::to_owned),
            m2m: None,
            selection,
            on_delete: schema
                .ir_model_fields
                .get("on_delete")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
            default: schema.default.clone(),
            default_varies: schema.default_varies,
            attachment: matches!(schema.field_type(), "binary" | "image")
                && schema
                    .attribute("attachment")
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(true),
            sanitize: (schema.field_type() == "html")
                .then(|| crate::orm::html::Options::of(|name| schema.attribute(name)))
                .flatten(),
        }
    }

    fn synthetic(name: &str, odoo_type: &str, relation: Option<&str>) -> Field {
        Field {
            name: name.to_owned(),
            odoo_type: odoo_type.to_owned(),
            kind: Kind::of(odoo_type),
            label: name.to_owned(),
            stored: true,
            readonly: false,
            required: false,
            relation: relation.map(str::to_owned),
            relation_field: None,
            related: None,
            m2m: None,
            selection: None,
            on_delete: None,
            default: None,
            default_varies: false,
            attachment: false,
            sanitize: None,
        }
    }

    fn id() -> Field {
        Field {
            name: "id".into(),
            odoo_type: "integer".into(),
            kind: Kind::Integer,
            label: "ID".into(),
            stored: true,
            readonly: true,
            required: false,
            relation: None,
            relation_field: None,
            related: None,
            m2m: None,
            selection: None,
            on_delete: None,
            default: None,
            default_varies: false,
            attachment: false,
            sanitize: None,
        }
    }
}

/// The SQLite table of a model (`res.partner` → `res_partner`).
pub fn table_name(model: &str) -> String {
    model.replace('.', "_")
}

impl Registry {
    /// Resolves every model of a schema set.
    pub fn new(schemas: &SchemaSet) -> Registry {
        let mut models = BTreeMap::new();
        for (name, schema) in &schemas.models {
            let mut fields: BTreeMap<String, Field> = schema
                .fields
                .iter()
                .map(|(field, fs)| (field.clone(), Field::from_schema(field, fs)))
                .collect();
            fields.entry("id".into()).or_insert_with(Field::id);
            let rec_name = ["complete_name", "name"]
                .into_iter()
                .find(|f| {
                    fields.get(*f).is_some_and(|f| {
                        f.stored && (f.kind == Kind::Text || f.kind == Kind::Many2one)
                    })
                })
                .map(str::to_owned);
            let delegates: Vec<(String, String)> = schemas
                .delegate_links(schema)
                .into_iter()
                .filter_map(|link| Some((link.to_owned(), fields.get(link)?.relation.clone()?)))
                .collect();
            let not_null_at_create = schema
                .fields
                .iter()
                .filter(|(name, field)| {
                    field.not_null()
                        && !field.computed()
                        && !MAGIC_FIELDS.contains(&name.as_str())
                        && !delegates.iter().any(|(link, _)| link == *name)
                })
                .map(|(name, _)| name.clone())
                .collect();
            let parent_field = fields
                .get("parent_id")
                .filter(|f| {
                    f.stored && f.kind == Kind::Many2one && f.relation.as_deref() == Some(name)
                })
                .map(|f| f.name.clone());
            models.insert(
                name.clone(),
                Model {
                    name: name.clone(),
                    label: schema.label.clone(),
                    table: table_name(name),
                    fields,
                    rec_name,
                    parent_field,
                    default_get_fault: schema
                        .default_get_fault
                        .as_ref()
                        .map(|f| (f.code, f.message.clone())),
                    not_null_at_create,
                    delegates,
                    schema: schema.clone(),
                },
            );
        }
        for (model, fields) in crate::metadata::FIELDS {
            let entry = models
                .entry((*model).to_owned())
                .or_insert_with(|| Model::synthetic(model));
            for (name, odoo_type, relation) in *fields {
                let field = entry
                    .fields
                    .entry((*name).to_owned())
                    .or_insert_with(|| Field::synthetic(name, odoo_type, *relation));
                // computed on the real server (ir.model.modules), stored here
                field.stored = true;
            }
        }
        let skipped = schemas
            .manifest
            .skipped_models
            .iter()
            .filter(|(name, _)| !models.contains_key(*name))
            .map(|(name, fault)| (name.clone(), (fault.code, fault.message.clone())))
            .collect();
        let mut registry = Registry { models, skipped };
        registry.pair_many2many();
        registry
    }

    /// Gives every stored many2many its relation table. Two fields that are each other's only
    /// many2many between the same two models share one table, as Odoo's default naming makes
    /// them do (`res.partner.category_id` and `res.partner.category.partner_ids`).
    fn pair_many2many(&mut self) {
        let m2m: Vec<(String, String, String)> = self
            .models
            .values()
            .flat_map(|m| {
                m.fields.values().filter_map(move |f| {
                    (f.kind == Kind::Many2many && f.stored)
                        .then(|| Some((m.name.clone(), f.name.clone(), f.relation.clone()?)))
                        .flatten()
                })
            })
            .collect();
        let count = |a: &str, b: &str| m2m.iter().filter(|(m, _, r)| m == a && r == b).count();
        for (model, field, comodel) in &m2m {
            let shared =
                model != comodel && count(model, comodel) == 1 && count(comodel, model) == 1;
            let (table, this, other) = if shared {
                let (first, second) = if model < comodel {
                    (model, comodel)
                } else {
                    (comodel, model)
                };
                (
                    format!("{}_{}_rel", table_name(first), table_name(second)),
                    format!("{}_id", table_name(model)),
                    format!("{}_id", table_name(comodel)),
                )
            } else {
                (
                    format!("m2m_{}__{}", table_name(model), field),
                    "this_id".to_owned(),
                    "other_id".to_owned(),
                )
            };
            if let Some(f) = self
                .models
                .get_mut(model)
                .and_then(|m| m.fields.get_mut(field))
            {
                f.m2m = Some(RelationTable { table, this, other });
            }
        }
    }

    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.get(name)
    }

    /// The fault of a model the schemas list as skipped.
    pub fn skipped(&self, name: &str) -> Option<&(i64, String)> {
        self.skipped.get(name)
    }

    /// Every model, by name.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.values()
    }
}

impl Model {
    /// A model the server needs that the schemas do not describe (its fields are added by
    /// the caller). `fields_get` on it answers an empty description.
    fn synthetic(name: &str) -> Model {
        Model {
            name: name.to_owned(),
            label: name.to_owned(),
            table: table_name(name),
            fields: BTreeMap::from([("id".to_owned(), Field::id())]),
            rec_name: Some("name".to_owned()),
            parent_field: None,
            default_get_fault: None,
            not_null_at_create: Vec::new(),
            delegates: Vec::new(),
            schema: ModelSchema::new(name, name, "base"),
        }
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }

    /// Fields with a column in the table.
    pub fn columns(&self) -> impl Iterator<Item = &Field> {
        self.fields.values().filter(|f| f.has_column())
    }

    /// Whether the model has a stored field of that name.
    pub fn has_stored(&self, name: &str) -> bool {
        self.fields.get(name).is_some_and(|f| f.stored)
    }
}

/// Quotes an SQL identifier.
pub fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
