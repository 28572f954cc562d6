//! The typed model layer: domains, values and commands produce Odoo's exact wire shapes.

#[path = "support/models.rs"]
mod models;

use chrono::NaiveDate;
use models::res_country::{self, ResCountry};
use models::res_partner::{self, ResPartner, Type};
use openspp_client::{Command, Domain, Id, Model};

#[test]
fn leaves_have_odoo_shapes() {
    let d = res_partner::NAME.ilike("a");
    assert_eq!(d.to_string(), r#"[["name", "ilike", "a"]]"#);
    let d = res_partner::IS_COMPANY.eq(true);
    assert_eq!(d.to_string(), r#"[["is_company", "=", true]]"#);
    let d = res_partner::COUNTRY_ID.is_in([Id::<ResCountry>::new(20), Id::new(21)]);
    assert_eq!(d.to_string(), r#"[["country_id", "in", [20, 21]]]"#);
    let d = res_partner::TYPE.ne(Type::Other);
    assert_eq!(d.to_string(), r#"[["type", "!=", "other"]]"#);
    let d = res_partner::DATE.ge(NaiveDate::from_ymd_opt(2024, 1, 15).unwrap());
    assert_eq!(d.to_string(), r#"[["date", ">=", "2024-01-15"]]"#);
    let d = res_partner::PARENT_ID.is_not_set();
    assert_eq!(d.to_string(), r#"[["parent_id", "=", false]]"#);
    let d = res_partner::PARENT_ID.child_of(Id::new(1));
    assert_eq!(d.to_string(), r#"[["parent_id", "child_of", 1]]"#);
    let d = res_partner::ID.not_in([Id::<ResPartner>::new(3)]);
    assert_eq!(d.to_string(), r#"[["id", "not in", [3]]]"#);
}

#[test]
fn every_operator_is_spelt_as_odoo_expects() {
    use res_partner::{COLOR, EMAIL};
    let ops = [
        (COLOR.lt(1), "<"),
        (COLOR.le(1), "<="),
        (COLOR.gt(1), ">"),
        (COLOR.ge(1), ">="),
        (EMAIL.like("x"), "like"),
        (EMAIL.not_like("x"), "not like"),
        (EMAIL.ilike("x"), "ilike"),
        (EMAIL.not_ilike("x"), "not ilike"),
        (EMAIL.eq_like("x"), "=like"),
        (EMAIL.eq_ilike("x"), "=ilike"),
        (res_partner::PARENT_ID.parent_of(Id::new(1)), "parent_of"),
    ];
    for (domain, op) in ops {
        assert!(
            domain.to_string().contains(&format!(r#", "{op}", "#)),
            "{domain} should use {op}"
        );
    }
}

#[test]
fn combinators_build_prefix_notation() {
    let d = res_partner::IS_COMPANY.eq(true)
        & (res_partner::NAME.ilike("a") | !res_partner::EMAIL.is_set());
    assert_eq!(
        d.to_string(),
        r#"[["is_company", "=", true], "|", ["name", "ilike", "a"], "!", ["email", "!=", false]]"#
    );
    // Only leading ANDs are implicit; nested ones stay explicit.
    let nested = res_partner::NAME.eq("a") | (res_partner::COLOR.eq(1) & res_partner::COLOR.eq(2));
    assert_eq!(
        nested.to_string(),
        r#"["|", ["name", "=", "a"], "&", ["color", "=", 1], ["color", "=", 2]]"#
    );
    let chained =
        (res_partner::NAME.eq("a") & res_partner::COLOR.eq(1)) & res_partner::EMAIL.eq("e");
    assert_eq!(
        chained.to_string(),
        r#"[["name", "=", "a"], ["color", "=", 1], ["email", "=", "e"]]"#
    );
    // The empty domain is neutral for AND and absorbing for OR, as in Odoo.
    let all = Domain::<ResPartner>::all();
    assert_eq!(
        all.clone() & res_partner::NAME.eq("x"),
        res_partner::NAME.eq("x")
    );
    assert!((all.clone() | res_partner::NAME.eq("x")).is_all());
    assert_eq!(
        Domain::<ResPartner>::or_any([]).to_string(),
        r#"[["id", "in", []]]"#
    );
    assert_eq!(
        Domain::and_all([res_partner::NAME.eq("a"), res_partner::COLOR.eq(2)]).to_string(),
        r#"[["name", "=", "a"], ["color", "=", 2]]"#
    );
}

#[test]
fn paths_and_any_cross_relations() {
    let d = res_partner::COUNTRY_ID.dot(res_country::CODE).eq("BE");
    assert_eq!(d.to_string(), r#"[["country_id.code", "=", "BE"]]"#);
    let d = res_partner::PARENT_ID
        .dot(res_partner::COUNTRY_ID)
        .dot(res_country::NAME)
        .ilike("bel");
    assert_eq!(
        d.to_string(),
        r#"[["parent_id.country_id.name", "ilike", "bel"]]"#
    );
    let d = res_partner::CHILD_IDS.any(res_partner::EMAIL.is_set());
    assert_eq!(
        d.to_string(),
        r#"[["child_ids", "any", [["email", "!=", false]]]]"#
    );
    let d = res_partner::CHILD_IDS.not_any(Domain::all());
    assert_eq!(d.to_string(), r#"[["child_ids", "not any", []]]"#);
}

#[test]
fn values_match_the_create_capture_shape() {
    // The same members as odoo17/wire/create_res_partner.request.xml.
    let values = ResPartner::create()
        .set(res_partner::NAME, "Wire Capture Partner")
        .set(res_partner::EMAIL, "wire@example.com")
        .set(res_partner::COUNTRY_ID, Id::<ResCountry>::new(20))
        .set(
            res_partner::CATEGORY_ID,
            Command::set([Id::new(4), Id::new(7)]),
        )
        .set(
            res_partner::DATE,
            NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
        )
        .set(res_partner::IS_COMPANY, false)
        .set(res_partner::PARTNER_LATITUDE, 50.8503);
    assert_eq!(
        values.to_string(),
        r#"{"name": "Wire Capture Partner", "email": "wire@example.com", "country_id": 20, "category_id": [[6, 0, [4, 7]]], "date": "2024-01-15", "is_company": false, "partner_latitude": 50.8503}"#
    );
}

#[test]
fn commands_are_odoo_triples() {
    let cmds: Vec<Command<ResPartner>> = vec![
        Command::Create(res_partner::NAME.set("a")),
        Command::Update(Id::new(2), res_partner::NAME.set("b")),
        Command::Delete(Id::new(3)),
        Command::Unlink(Id::new(4)),
        Command::Link(Id::new(5)),
        Command::Clear,
        Command::set([Id::new(6), Id::new(7)]),
    ];
    let v = res_partner::CHILD_IDS.set(cmds);
    assert_eq!(
        v.to_string(),
        r#"{"child_ids": [[0, 0, {"name": "a"}], [1, 2, {"name": "b"}], [2, 3, 0], [3, 4, 0], [4, 5, 0], [5, 0, 0], [6, 0, [6, 7]]]}"#
    );
}

#[test]
fn clearing_and_overriding() {
    let v = res_partner::DATE
        .clear()
        .set(res_partner::COUNTRY_ID, None::<Id<ResCountry>>)
        .set(res_partner::EMAIL, Some("x@example.com"))
        .set(res_partner::EMAIL, "y@example.com")
        .and(res_partner::COLOR.set(3));
    assert_eq!(
        v.to_string(),
        r#"{"date": false, "country_id": false, "email": "y@example.com", "color": 3}"#
    );
    // Stored readonly and inverse fields are writable, as the server does.
    let v = res_partner::COMMERCIAL_COMPANY_NAME
        .set("x")
        .set(res_partner::COMPANY_TYPE, res_partner::CompanyType::Company);
    assert_eq!(
        v.field_names().collect::<Vec<_>>(),
        ["commercial_company_name", "company_type"]
    );
}

#[test]
fn required_fields_are_known_before_io() {
    let incomplete = openspp_client::Values::<ResCountry>::new().set(res_country::NAME, "X");
    assert_eq!(incomplete.missing_required(), ["code"]);
    assert!(
        ResCountry::create("XX", "Xland")
            .missing_required()
            .is_empty()
    );
    assert_eq!(ResCountry::NAME, "res.country");
    assert!(ResCountry::FIELDS.windows(2).all(|w| w[0] < w[1]));
    assert!(ResPartner::FIELDS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn orders_render_as_order_strings() {
    let o = res_partner::NAME.asc().then(res_partner::ID.desc());
    assert_eq!(o.as_str(), "name asc, id desc");
}

#[test]
fn untyped_fields_take_raw_values() {
    use openspp_client::{Field, Value};
    const PROPERTIES: Field<ResPartner, Value> = Field::new("properties");
    let v = PROPERTIES.set(Value::Array(vec![Value::Int(1)]));
    assert_eq!(v.to_string(), r#"{"properties": Array([Int(1)])}"#);
    assert_eq!(
        PROPERTIES.is_set().to_string(),
        r#"[["properties", "!=", false]]"#
    );
}
