//! Odoo field types → the value type `T` of a generated `Field<M, T, ..>` constant.
//!
//! The mapping follows `openspp_client::types`. Types the generator does not know (OpenSPP's GIS
//! addons add `geo_point`, `geo_line`, `geo_polygon`), and the free-form types (`json`,
//! `properties`, `properties_definition`, `serialized`, `job_serialized`) become a raw value
//! with a doc note; they never fail generation.

/// The value type of one field, before it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    /// The `id` field: `Id<Self>`.
    Id,
    /// `boolean` → `bool`.
    Bool,
    /// `integer`, `many2one_reference` (the target model is in another field), and selections
    /// whose keys are integers → `i32`.
    Int,
    /// `float`, `monetary` → `f64`.
    Float,
    /// `char`, `text`, `html` → `String`.
    Text,
    /// `date` → `chrono::NaiveDate`.
    Date,
    /// `datetime` → `chrono::NaiveDateTime` (naive UTC).
    DateTime,
    /// `binary` → `openspp_client::Binary` (base64 text).
    Binary,
    /// `selection` with string keys → `Selection<Enum>`, the enum generated beside the model.
    Selection(Vec<SelectionValue>),
    /// `many2one` → `Many2one<Target>`.
    Many2one(String),
    /// `one2many`, `many2many` → `X2many<Target>`.
    X2many(String),
    /// `reference` → `openspp_client::Reference` (`"model,id"`).
    Reference,
    /// Anything else: the raw value as the server sends it, with the Odoo type for the docs.
    Raw(String),
}

/// One key of a selection field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SelectionValue {
    /// The key stored and sent on the wire.
    pub key: String,
    /// The label the server shows.
    pub label: String,
}

/// The selection options as `(key, label)` JSON pairs; `None` when a key is not a string.
pub type Options<'a> = Option<Vec<(&'a serde_json::Value, &'a str)>>;

/// Maps an Odoo field type to its value type. `relation` is the comodel of relational fields;
/// `options` the selection keys (see [`Options`]).
pub fn value_type(
    name: &str,
    odoo_type: &str,
    relation: Option<&str>,
    options: Options<'_>,
) -> ValueType {
    if name == "id" {
        return ValueType::Id;
    }
    match (odoo_type, relation) {
        ("boolean", _) => ValueType::Bool,
        ("integer" | "many2one_reference", _) => ValueType::Int,
        ("float" | "monetary", _) => ValueType::Float,
        ("char" | "text" | "html", _) => ValueType::Text,
        ("date", _) => ValueType::Date,
        ("datetime", _) => ValueType::DateTime,
        ("binary", _) => ValueType::Binary,
        ("selection", _) => selection(options),
        ("many2one", Some(target)) => ValueType::Many2one(target.to_owned()),
        ("one2many" | "many2many", Some(target)) => ValueType::X2many(target.to_owned()),
        ("reference", _) => ValueType::Reference,
        (other, _) => ValueType::Raw(other.to_owned()),
    }
}

/// String keys give an enum; integer keys (`res.users` `sel_groups_*`, where `false` is the
/// empty choice) give `i32`, since the server expects integers back.
fn selection(options: Options<'_>) -> ValueType {
    let Some(options) = options else {
        return ValueType::Raw("selection".to_owned());
    };
    let mut values = Vec::new();
    let mut integers = false;
    for (key, label) in options {
        match key {
            // A repeated key would be an unreachable match arm; the first label wins.
            serde_json::Value::String(key)
                if values.iter().any(|v: &SelectionValue| &v.key == key) => {}
            serde_json::Value::String(key) => values.push(SelectionValue {
                key: key.clone(),
                label: label.to_owned(),
            }),
            serde_json::Value::Number(n) if n.is_i64() => integers = true,
            serde_json::Value::Bool(false) => {}
            _ => return ValueType::Raw("selection".to_owned()),
        }
    }
    match (integers, values.is_empty()) {
        (true, true) => ValueType::Int,
        (true, false) => ValueType::Raw("selection".to_owned()),
        (false, _) => ValueType::Selection(values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_reference_server_type_has_a_mapping() {
        let t = |ty: &str| value_type("x", ty, Some("res.partner"), Some(Vec::new()));
        assert_eq!(t("boolean"), ValueType::Bool);
        assert_eq!(t("integer"), ValueType::Int);
        assert_eq!(t("many2one_reference"), ValueType::Int);
        assert_eq!(t("float"), ValueType::Float);
        assert_eq!(t("monetary"), ValueType::Float);
        for text in ["char", "text", "html"] {
            assert_eq!(t(text), ValueType::Text);
        }
        assert_eq!(t("date"), ValueType::Date);
        assert_eq!(t("datetime"), ValueType::DateTime);
        assert_eq!(t("binary"), ValueType::Binary);
        assert_eq!(t("selection"), ValueType::Selection(Vec::new()));
        assert_eq!(t("many2one"), ValueType::Many2one("res.partner".into()));
        assert_eq!(t("one2many"), ValueType::X2many("res.partner".into()));
        assert_eq!(t("many2many"), ValueType::X2many("res.partner".into()));
        assert_eq!(t("reference"), ValueType::Reference);
        for raw in [
            "json",
            "properties",
            "properties_definition",
            "serialized",
            "job_serialized",
            "geo_point",
        ] {
            assert_eq!(t(raw), ValueType::Raw(raw.into()));
        }
        assert_eq!(value_type("id", "integer", None, None), ValueType::Id);
    }

    #[test]
    fn selection_keys() {
        let (a, f, n) = (json!("a"), json!(false), json!(84));
        let sel = value_type("s", "selection", None, Some(vec![(&a, "A")]));
        assert_eq!(
            sel,
            ValueType::Selection(vec![SelectionValue {
                key: "a".into(),
                label: "A".into()
            }])
        );
        assert_eq!(
            value_type(
                "s",
                "selection",
                None,
                Some(vec![(&f, ""), (&n, "Manager")])
            ),
            ValueType::Int
        );
        assert_eq!(
            value_type("s", "selection", None, Some(vec![(&a, "A"), (&n, "N")])),
            ValueType::Raw("selection".into())
        );
    }
}
