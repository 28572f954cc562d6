//! The ORM's `required` rule ([`openspp_schema::required`]) on the real dumps: the OpenSPP 17
//! reference set (`schemas/`) and the Odoo 19 live dump (`../shared/odoo19/live-dump/`).

use openspp_schema::{ModelSchema, SchemaSet};
use serde_json::json;
use std::path::Path;
use std::sync::OnceLock;

fn odoo17() -> &'static SchemaSet {
    static SET: OnceLock<SchemaSet> = OnceLock::new();
    SET.get_or_init(|| {
        SchemaSet::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")).unwrap()
    })
}

fn odoo19() -> &'static SchemaSet {
    static SET: OnceLock<SchemaSet> = OnceLock::new();
    SET.get_or_init(|| SchemaSet::load(test_captures::path("odoo19/live-dump")).unwrap())
}

fn model<'s>(set: &'s SchemaSet, name: &str) -> &'s ModelSchema {
    set.models
        .get(name)
        .unwrap_or_else(|| panic!("{name} is in the dump"))
}

fn required<'s>(set: &'s SchemaSet, name: &str) -> Vec<&'s str> {
    set.required_at_create(model(set, name))
}

/// `fields_get` says `required: true` for these x2many fields, but they have no column: the
/// ORM never refuses a create without them (Odoo makes the template's first variant itself).
#[test]
fn x2many_fields_are_never_required_at_create() {
    let cases: &[(&SchemaSet, &str, &str)] = &[
        (odoo17(), "product.template", "product_variant_ids"),
        (odoo17(), "portal.share", "partner_ids"),
        (odoo19(), "product.template", "product_variant_ids"),
        (odoo19(), "stock.package.history", "move_line_ids"),
        (odoo19(), "portal.share", "partner_ids"),
        (odoo19(), "mail.followers.edit", "partner_ids"),
        (odoo19(), "role.add.users.wizard", "user_ids"),
        (odoo19(), "stock.package.destination", "move_line_ids"),
    ];
    for (set, model_name, field) in cases {
        let schema = &model(set, model_name).fields[*field];
        assert!(schema.required(), "{model_name}.{field} says required");
        assert!(!schema.has_column(), "{model_name}.{field}");
        assert!(
            !required(set, model_name).contains(field),
            "{model_name}.{field} is not a create argument"
        );
    }
    assert_eq!(required(odoo17(), "product.template"), ["name"]);
    assert_eq!(required(odoo19(), "product.template"), ["name"]);
}

/// `res.users` inherits `res.partner` through `partner_id`: a create without it makes the
/// partner. `res.company.partner_id` is a plain many2one: its `create` override that makes a
/// partner from the name is invisible to a dump, so it stays required (and `name`, related
/// to the partner's, is not).
#[test]
fn inherits_links_are_filled_by_the_model() {
    for set in [odoo17(), odoo19()] {
        let users = model(set, "res.users");
        assert!(users.fields["partner_id"].not_null());
        assert!(set.delegate_links(users).contains("partner_id"));
        assert_eq!(required(set, "res.users"), ["login"]);
        let product = model(set, "product.product");
        assert!(set.delegate_links(product).contains("product_tmpl_id"));
        assert!(required(set, "product.product").is_empty());
        let company = model(set, "res.company");
        assert!(set.delegate_links(company).is_empty());
        assert_eq!(required(set, "res.company"), ["partner_id"]);
    }
}

/// A `false` default leaves a many2one or char column `NULL` (the server refuses the create
/// without a value), but fills a boolean or numeric one.
#[test]
fn a_false_default_fills_only_boolean_and_numeric_columns() {
    for set in [odoo17(), odoo19()] {
        let picking = model(set, "stock.picking");
        assert_eq!(
            picking.fields["picking_type_id"].default,
            Some(json!(false))
        );
        assert!(required(set, "stock.picking").contains(&"picking_type_id"));
        let share = model(set, "portal.share");
        assert_eq!(share.fields["res_id"].default, Some(json!(false)));
        assert_eq!(required(set, "portal.share"), ["res_model"]);
        let replenish = model(set, "product.replenish");
        let flag = &replenish.fields["product_has_variants"];
        assert!(
            flag.not_null() && !flag.computed(),
            "a plain required boolean"
        );
        assert_eq!(flag.default, Some(json!(false)));
        assert!(!required(set, "product.replenish").contains(&"product_has_variants"));
    }
}

/// Computed and related stored fields are filled by the model, a binary kept as an attachment
/// has no column, and a model whose `default_get` faulted requires nothing (its defaults are
/// unknown).
#[test]
fn computed_attachment_and_unknown_defaults() {
    let set = odoo19();
    let picking = model(set, "stock.picking");
    assert!(picking.fields["location_id"].not_null() && picking.fields["location_id"].computed());
    assert!(!required(set, "stock.picking").contains(&"location_id"));
    let image = &model(set, "payment.method").fields["image"];
    assert!(image.required() && image.store() && !image.has_column());
    assert!(!required(set, "payment.method").contains(&"image"));

    let mut faulted = model(odoo17(), "res.country").clone();
    assert_eq!(odoo17().required_at_create(&faulted), ["code", "name"]);
    faulted.default_get_fault = Some(openspp_schema::Fault {
        code: 1,
        message: "TypeError".into(),
    });
    assert!(odoo17().required_at_create(&faulted).is_empty());
}
