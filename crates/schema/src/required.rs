//! Which fields a `create` cannot leave out, decided as Odoo's ORM decides it.
//!
//! Odoo 17 and 19 enforce `required` in one place only: a `NOT NULL` constraint on the field's
//! column (`Field.update_db_notnull` in `odoo/fields.py`, `apply_required`), which PostgreSQL
//! checks when `_create` inserts the row (`odoo/models.py`). `_validate_fields` runs Python
//! constraints only, and nothing checks `required` before the insert. The row holds the values
//! given, `default_get`'s values for the others (`_add_missing_default_values`), the parent of
//! an `_inherits` link (created from the inherited values) and precomputed fields. So the
//! server refuses a create that leaves a field out exactly when:
//!
//! * the field has a column: stored, not one2many or many2many (their values live in the
//!   comodel or a relation table: `column_type` is `None`), not a binary kept as an attachment,
//!   not company-dependent (Odoo 17 keeps those in `ir.property`, 19 refuses `required` on them);
//! * it is `required`;
//! * the model does not fill it itself: not computed or related, not the many2one of an
//!   `_inherits` parent;
//! * and `default_get` gives no value that converts to a non-`NULL` column value: `false`
//!   becomes `false` in a boolean column and `0` in a numeric one (`convert_to_column`), but
//!   `NULL` in any other; `null` is `NULL` everywhere.
//!
//! What the dump cannot see is a model's own `create` override filling a field (a sequence, a
//! partner made by `res.company.create`): such a field stays required here.

use crate::{FieldSchema, ModelSchema, SchemaSet};
use serde_json::Value;
use std::collections::BTreeSet;

/// Field types whose `NULL`-free column value `false` converts to (`bool(False)`,
/// `int(False or 0)`, `float(False or 0.0)`).
const FALSE_FILLS: &[&str] = &["boolean", "integer", "float", "monetary"];

impl FieldSchema {
    /// Whether the field is a column of the model's table: stored, and neither an x2many
    /// (whose values live in the comodel or a relation table) nor a binary kept as an
    /// attachment.
    pub fn has_column(&self) -> bool {
        let kind = self.field_type();
        self.store()
            && kind != "one2many"
            && kind != "many2many"
            && !(kind == "binary" && self.flag("attachment").unwrap_or(false))
    }

    /// Whether PostgreSQL refuses a row that leaves the field `NULL`: a `required` column
    /// (company-dependent fields are never `NOT NULL`).
    pub fn not_null(&self) -> bool {
        self.required() && self.has_column() && !self.company_dependent()
    }

    /// Whether the model computes the value itself: a computed or related field.
    pub fn computed(&self) -> bool {
        !self.depends().is_empty() || self.related().is_some() || self.compute().is_some()
    }

    /// Whether `default` gives the column a value when `create` leaves the field out: a
    /// default computed on each call does; a recorded one when it is not `null`, and not
    /// `false` unless the field's column turns `false` into a value (boolean,
    /// integer, float, monetary).
    pub fn default_fills_column(&self) -> bool {
        if self.default_varies {
            return true;
        }
        match &self.default {
            None | Some(Value::Null) => false,
            Some(Value::Bool(false)) => FALSE_FILLS.contains(&self.field_type()),
            Some(_) => true,
        }
    }
}

impl SchemaSet {
    /// The many2one fields of `model` that link an `_inherits` parent (`res.users.partner_id`,
    /// `product.product.product_tmpl_id`): `create` makes the parent when the link is not given.
    ///
    /// `fields_get` does not say `delegate`; the ORM's trace is that the child has every field of
    /// the parent, each one it does not define itself related through the link under its own
    /// name (`res.users.email`, related `partner_id.email`). A parent outside the set cannot be
    /// compared, so its link is not counted as one.
    pub fn delegate_links<'m>(&self, model: &'m ModelSchema) -> BTreeSet<&'m str> {
        model
            .fields
            .iter()
            .filter(|(name, field)| {
                let Some(parent) = field
                    .relation()
                    .filter(|_| field.field_type() == "many2one")
                    .and_then(|r| self.models.get(r))
                else {
                    return false;
                };
                let inherited = model.fields.iter().any(|(child, f)| {
                    f.related()
                        .and_then(|path| path.strip_prefix(name.as_str()))
                        .and_then(|rest| rest.strip_prefix('.'))
                        == Some(child.as_str())
                });
                inherited && parent.fields.keys().all(|f| model.fields.contains_key(f))
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The fields of `model` a `create` must be given, sorted: the ORM's rule (see the
    /// [module docs](crate::required)). Empty when `default_get` faulted at dump time: which fields the
    /// server defaults is then unknown.
    pub fn required_at_create<'m>(&self, model: &'m ModelSchema) -> Vec<&'m str> {
        if model.default_get_fault.is_some() {
            return Vec::new();
        }
        let delegates = self.delegate_links(model);
        model
            .fields
            .iter()
            .filter(|(name, field)| {
                field.not_null()
                    && !field.computed()
                    && !MAGIC_FIELDS.contains(&name.as_str())
                    && !delegates.contains(name.as_str())
                    && !field.default_fills_column()
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }
}

/// Fields the ORM fills on every create (`_prepare_create_values`) and no create can set.
pub const MAGIC_FIELDS: &[&str] = &["id", "create_date", "create_uid", "write_date", "write_uid"];
