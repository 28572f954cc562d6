//! One field of a model: everything `fields_get`, `ir.model.fields` and `default_get` said about it.

use crate::error::Problem;
use crate::json::key_path;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One field of a model.
///
/// [`attributes`](Self::attributes) is the source of truth: the attribute map `fields_get`
/// returned, verbatim, unknown attributes included. The typed accessors read it (falling back on
/// the `ir.model.fields` row where `fields_get` is silent). Odoo sends `false` for "no value"
/// (`help: false`); the accessors turn that into `None`.
///
/// ```
/// use openspp_schema::FieldSchema;
/// let field: FieldSchema = serde_json::from_value(serde_json::json!({
///     "attributes": {"type": "many2one", "string": "Country", "relation": "res.country",
///                    "store": true, "help": false},
///     "modules": ["base"],
///     "default": false
/// })).unwrap();
/// assert_eq!(field.field_type(), "many2one");
/// assert_eq!(field.relation(), Some("res.country"));
/// assert_eq!(field.help(), None);
/// assert!(field.server_default());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSchema {
    /// Every attribute `fields_get` returned for the field, verbatim.
    pub attributes: BTreeMap<String, Value>,
    /// The addons that define or extend the field (`ir.model.fields` `modules`); empty when
    /// `ir.model.fields` has no row for it (e.g. the `in_group_*` pseudo-fields of res.users).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// The other columns of the field's `ir.model.fields` row (`ttype`, `store`, `compute`,
    /// `related`, `index`, `copied`, `on_delete`, ...), verbatim; empty when there is no row.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ir_model_fields: BTreeMap<String, Value>,
    /// The value `default_get` returned for the field, when it returned one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub default: Option<Value>,
    /// `default_get` computes the field's default afresh on each call: the current date or
    /// time, a random colour, a new token or UUID, the next number of a sequence. Its value
    /// is not recorded, so that two dumps of one server are identical; [`default`] is then
    /// `None`.
    ///
    /// [`default`]: Self::default
    #[serde(default, skip_serializing_if = "is_false")]
    pub default_varies: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// A field that `ir.model.fields` lists but `fields_get` did not return to the dumping user
/// (group-restricted fields such as `res.users.totp_secret`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenField {
    /// The addons that define or extend the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// The other columns of its `ir.model.fields` row, verbatim.
    pub ir_model_fields: BTreeMap<String, Value>,
}

/// One choice of a selection field: the value stored, and the label shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SelectionOption<'a> {
    /// The stored value: usually a string, sometimes an integer or a boolean.
    pub value: &'a Value,
    /// The human-readable label.
    pub label: &'a str,
}

/// Keeps an explicit `null` as `Some(Value::Null)`: a present key means "the server gave a value".
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `Some(s)` for a string, `None` for `false` or absence (Odoo's "empty").
fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

impl FieldSchema {
    /// A field with only `fields_get` attributes.
    pub fn new(attributes: BTreeMap<String, Value>) -> Self {
        FieldSchema {
            attributes,
            modules: Vec::new(),
            ir_model_fields: BTreeMap::new(),
            default: None,
            default_varies: false,
        }
    }

    /// One raw `fields_get` attribute.
    pub fn attribute(&self, name: &str) -> Option<&Value> {
        self.attributes.get(name)
    }

    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        self.attribute(name).and_then(Value::as_bool)
    }

    fn flag_or_ir(&self, name: &str) -> bool {
        self.flag(name)
            .or_else(|| self.ir_model_fields.get(name).and_then(Value::as_bool))
            .unwrap_or(false)
    }

    /// The Odoo field type (`char`, `many2one`, `selection`, ...).
    pub fn field_type(&self) -> &str {
        text(self.attribute("type")).unwrap_or_default()
    }

    /// The label (`string`).
    pub fn string(&self) -> &str {
        text(self.attribute("string")).unwrap_or_default()
    }

    /// The tooltip (`help`), if any.
    pub fn help(&self) -> Option<&str> {
        text(self.attribute("help"))
    }

    /// Whether the value is stored in the database.
    pub fn store(&self) -> bool {
        self.flag_or_ir("store")
    }

    /// Whether the UI treats the field as read-only (a hint: stored read-only fields can still
    /// be written over RPC).
    pub fn readonly(&self) -> bool {
        self.flag_or_ir("readonly")
    }

    /// Whether the field is required.
    pub fn required(&self) -> bool {
        self.flag_or_ir("required")
    }

    /// Whether the field can be used in a search domain.
    pub fn searchable(&self) -> bool {
        self.flag("searchable").unwrap_or(false)
    }

    /// Whether the field can be used in an `order`.
    pub fn sortable(&self) -> bool {
        self.flag("sortable").unwrap_or(false)
    }

    /// Whether the value is translated per language.
    pub fn translate(&self) -> bool {
        self.flag("translate").unwrap_or(false)
    }

    /// Whether the value is per company.
    pub fn company_dependent(&self) -> bool {
        self.flag("company_dependent").unwrap_or(false)
    }

    /// The comodel of a relational field.
    pub fn relation(&self) -> Option<&str> {
        text(self.attribute("relation")).or_else(|| text(self.ir_model_fields.get("relation")))
    }

    /// The inverse many2one of a one2many.
    pub fn relation_field(&self) -> Option<&str> {
        text(self.attribute("relation_field"))
    }

    /// The path this field is related to (`partner_id.country_id`).
    pub fn related(&self) -> Option<&str> {
        text(self.attribute("related")).or_else(|| text(self.ir_model_fields.get("related")))
    }

    /// The compute method recorded in `ir.model.fields` (Odoo fills it for manual fields only).
    pub fn compute(&self) -> Option<&str> {
        text(self.ir_model_fields.get("compute"))
    }

    /// The comma-separated XML ids of the groups that may read the field.
    pub fn groups(&self) -> Option<&str> {
        text(self.attribute("groups"))
    }

    /// The currency field of a monetary field.
    pub fn currency_field(&self) -> Option<&str> {
        text(self.attribute("currency_field"))
    }

    /// The maximum length of a char field.
    pub fn size(&self) -> Option<i64> {
        self.attribute("size").and_then(Value::as_i64)
    }

    /// The fields a computed field depends on.
    pub fn depends(&self) -> Vec<&str> {
        match self.attribute("depends") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The choices of a selection or reference field.
    pub fn selection(&self) -> Option<Vec<SelectionOption<'_>>> {
        let Some(Value::Array(items)) = self.attribute("selection") else {
            return None;
        };
        Some(
            items
                .iter()
                .filter_map(|item| match item.as_array().map(Vec::as_slice) {
                    Some([value, Value::String(label)]) => Some(SelectionOption { value, label }),
                    _ => None,
                })
                .collect(),
        )
    }

    /// Puts adjacent choices with equal labels in key order, leaving every other choice where
    /// the server put it. Odoo computes some selections from the database ordered by label
    /// (`ir.filters.model_id`'s `_list_all_models` selects `ORDER BY` the model label; the
    /// `reference` fields listing every model likewise), and PostgreSQL returns rows with equal
    /// labels in no fixed order, so without this two dumps of one server differ. String keys
    /// compare as text, other keys by their JSON text. Choices that are not a `[key, label]`
    /// pair stay in place and end a run.
    ///
    /// ```
    /// use openspp_schema::FieldSchema;
    /// use serde_json::json;
    /// let mut field: FieldSchema = serde_json::from_value(json!({"attributes": {
    ///     "type": "selection",
    ///     "selection": [["z", "Zone"], ["b", "Entitlement"], ["a", "Entitlement"], ["c", "Area"]]
    /// }})).unwrap();
    /// field.order_equal_labels_by_key();
    /// assert_eq!(field.attributes["selection"],
    ///     json!([["z", "Zone"], ["a", "Entitlement"], ["b", "Entitlement"], ["c", "Area"]]));
    /// ```
    pub fn order_equal_labels_by_key(&mut self) {
        let Some(Value::Array(items)) = self.attributes.get_mut("selection") else {
            return;
        };
        let label = |item: &Value| match item.as_array().map(Vec::as_slice) {
            Some([_, Value::String(label)]) => Some(label.clone()),
            _ => None,
        };
        let key = |item: &Value| match &item[0] {
            Value::String(key) => key.clone(),
            other => other.to_string(),
        };
        let mut start = 0;
        while start < items.len() {
            let Some(run_label) = label(&items[start]) else {
                start += 1;
                continue;
            };
            let end = start
                + items[start..]
                    .iter()
                    .take_while(|item| label(item).as_ref() == Some(&run_label))
                    .count();
            items[start..end].sort_by_cached_key(key);
            start = end;
        }
    }

    /// Whether `default_get` returned a value for the field, `null` included, or computes
    /// one afresh on each call ([`default_varies`](Self::default_varies)).
    ///
    /// A `null` can only come from a `default_get` read over JSON-RPC (XML-RPC cannot carry
    /// it; see [`ModelSchema::default_get_xmlrpc_fault`]); it is kept as the server said it.
    ///
    /// [`ModelSchema::default_get_xmlrpc_fault`]: crate::ModelSchema::default_get_xmlrpc_fault
    pub fn server_default(&self) -> bool {
        self.default.is_some() || self.default_varies
    }

    /// Checks that every attribute a typed accessor reads has the JSON type it expects, so the
    /// accessors never silently drop a malformed value. `at` is the field's JSON path.
    pub(crate) fn validate(&self, at: &str) -> Result<(), Problem> {
        if self.default_varies && self.default.is_some() {
            return Err(Problem::new(
                key_path(at, "default"),
                "`default_varies` says the default is computed on each call and not recorded, \
                 yet a `default` is recorded: only one can be set",
            ));
        }
        let attrs = key_path(at, "attributes");
        for (name, value) in &self.attributes {
            let ok = match name.as_str() {
                "type" | "string" | "relation" | "relation_field" | "related" | "groups"
                | "currency_field" | "name" => value.is_string(),
                "help" => value.is_string() || value == &Value::Bool(false),
                "store" | "readonly" | "required" | "searchable" | "sortable" | "translate"
                | "company_dependent" => value.is_boolean(),
                "size" => value.is_i64(),
                "depends" => value
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string)),
                "selection" => value.as_array().is_some_and(|items| {
                    items.iter().all(|item| {
                        matches!(
                            item.as_array().map(Vec::as_slice),
                            Some([_, Value::String(_)])
                        )
                    })
                }),
                _ => true,
            };
            if !ok {
                return Err(Problem::new(
                    key_path(&attrs, name),
                    format!("unexpected value {value} for fields_get attribute `{name}`"),
                ));
            }
        }
        if !self.attributes.get("type").is_some_and(Value::is_string) {
            return Err(Problem::new(attrs, "the field has no `type` attribute"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(value: Value) -> FieldSchema {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn only_runs_of_equal_labels_are_ordered_by_key() {
        let mut f = field(json!({"attributes": {"type": "reference", "selection": [
            ["draft", "Draft"], ["b", "Same"], [2, "Same"], ["a", "Same"], "odd",
            ["d", "Same"], ["c", "Same"], ["x", "Done"], ["a", "Draft"]
        ]}}));
        f.order_equal_labels_by_key();
        assert_eq!(
            f.attributes["selection"],
            json!([
                ["draft", "Draft"],
                [2, "Same"],
                ["a", "Same"],
                ["b", "Same"],
                "odd",
                ["c", "Same"],
                ["d", "Same"],
                ["x", "Done"],
                ["a", "Draft"]
            ]),
            "server order kept across runs, a malformed choice ends a run"
        );
        let mut plain = field(json!({"attributes": {"type": "char"}}));
        plain.order_equal_labels_by_key();
        assert_eq!(plain, field(json!({"attributes": {"type": "char"}})));
    }

    #[test]
    fn explicit_null_default_is_a_default() {
        let f = field(json!({"attributes": {"type": "char"}, "default": null}));
        assert_eq!(f.default, Some(Value::Null));
        assert!(f.server_default());
        assert!(!f.default_fills_column(), "a null default fills nothing");
        assert!(!field(json!({"attributes": {"type": "char"}})).server_default());
    }

    #[test]
    fn a_varying_default_is_a_default_that_fills_its_column() {
        let f = field(json!({"attributes": {"type": "datetime"}, "default_varies": true}));
        assert_eq!(f.default, None);
        assert!(f.server_default());
        assert!(f.default_fills_column());
        let saved = serde_json::to_value(&f).unwrap();
        assert_eq!(saved["default_varies"], json!(true));
        let plain = serde_json::to_value(field(json!({"attributes": {"type": "char"}}))).unwrap();
        assert!(
            plain.get("default_varies").is_none(),
            "false is not written"
        );
    }

    #[test]
    fn accessors_fall_back_on_ir_model_fields() {
        let f = field(json!({
            "attributes": {"type": "many2one"},
            "ir_model_fields": {"store": true, "relation": "res.partner", "related": false}
        }));
        assert!(f.store());
        assert_eq!(f.relation(), Some("res.partner"));
        assert_eq!(f.related(), None);
    }

    #[test]
    fn selection_keeps_non_string_values() {
        let f = field(json!({"attributes": {"type": "selection",
            "selection": [["a", "A"], [1, "One"], [false, "No"]]}}));
        let options = f.selection().unwrap();
        assert_eq!(options.len(), 3);
        assert_eq!(options[1].value, &json!(1));
        assert_eq!(options[2].label, "No");
    }

    #[test]
    fn validation_names_the_bad_attribute() {
        let f = field(json!({"attributes": {"type": "char", "store": "yes"}}));
        let problem = f.validate(".fields.name").unwrap_err();
        assert_eq!(problem.json_path, ".fields.name.attributes.store");
        let f = field(json!({"attributes": {"string": "Name"}}));
        assert!(f.validate(".").unwrap_err().message.contains("`type`"));
    }
}
