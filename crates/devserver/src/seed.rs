//! Seed data: a JSON file of records per model, or the built-in demo of an OpenSPP
//! deployment (registrant households and individuals, a program with members, a cycle and
//! entitlements, partners with countries and tags).
//!
//! A seed file is a JSON object mapping model names to lists of records; a record is an object
//! of field values as `create` takes them, optionally with its `id`. Relations are ids
//! (many2one: an id; many2many: a list of ids). Records are created without the checks that
//! depend on order (required fields, existing targets), so models may come in any order;
//! give one2many relations from their many2one side.
//!
//! ```json
//! {"res.country": [{"id": 20, "xml_id": "base.be", "name": "Belgium", "code": "BE"}],
//!  "res.partner": [{"id": 7, "name": "Ada", "country_id": 20}]}
//! ```

use crate::fault::OdooResult;
use crate::orm::Env;
use crate::orm::write::{Mode, create};
use crate::orm::xmlid;
use crate::values::json_to_value;
use openspp_xmlrpc::Value;
use serde_json::{Value as Json, json};
use std::path::PathBuf;

/// Which records a new database starts with (a database file is seeded once, when created).
///
/// A seed is a JSON object mapping model names to lists of records; a record is an object of
/// field values as `create` takes them, optionally with its `id`. Relations are ids (many2one:
/// an id; many2many: a list of ids). Records are created without the checks that depend on
/// order (required fields, existing targets), so models may come in any order; give one2many
/// relations from their many2one side. An unknown model or field is an error.
///
/// ```
/// let seed = openspp_devserver::Seed::Json(serde_json::json!({
///     "res.country": [{"id": 20, "xml_id": "base.be", "name": "Belgium", "code": "BE"}],
///     "res.partner": [{"id": 7, "name": "Ada", "country_id": 20}],
/// }));
/// # let _ = seed;
/// ```
#[derive(Debug, Clone, Default)]
pub enum Seed {
    /// No records.
    Empty,
    /// The built-in OpenSPP demo ([`demo`]).
    #[default]
    Demo,
    /// Records from a JSON file.
    File(PathBuf),
    /// Records given as JSON.
    Json(Json),
}

/// A problem with seed data: which model and record, and why.
#[derive(Debug, thiserror::Error)]
#[error("seed record {model}[{index}]: {message}")]
pub struct SeedError {
    /// The model.
    pub model: String,
    /// The record's position in the model's list.
    pub index: usize,
    /// What is wrong.
    pub message: String,
}

/// The module of the external ids the demo gives its records that have no name in Odoo's own
/// data (`demo.res_partner_100`).
pub const DEMO_MODULE: &str = "demo";

/// Creates the records of `data` (a JSON object of model → records). A record's `xml_id`
/// (`"base.main_company"`) becomes its external id in `ir.model.data`. With `lenient` (the
/// demo), models and fields the schemas do not have are skipped (the demo adapts to smaller
/// schema sets) and every record without an `xml_id` is named `demo.<table>_<id>`; otherwise
/// unknown models and fields are errors.
pub fn load(env: &Env<'_>, data: &Json, lenient: bool) -> Result<usize, SeedError> {
    let fail = |model: &str, index: usize, message: String| SeedError {
        model: model.to_owned(),
        index,
        message,
    };
    let Json::Object(models) = data else {
        return Err(fail(
            "<root>",
            0,
            "a seed is a JSON object of model names to lists of records".into(),
        ));
    };
    let mut count = 0;
    for (name, records) in models {
        let Some(model) = env.registry.model(name) else {
            if lenient {
                continue;
            }
            return Err(fail(name, 0, "no such model in the schemas".into()));
        };
        let Json::Array(records) = records else {
            return Err(fail(name, 0, "expected a list of records".into()));
        };
        for (index, record) in records.iter().enumerate() {
            let Value::Struct(mut vals) = json_to_value(record) else {
                return Err(fail(name, index, "a record is a JSON object".into()));
            };
            let xml_id = match vals.remove("xml_id") {
                None => None,
                Some(Value::String(xml_id)) if xml_id.split_once('.').is_some() => Some(xml_id),
                Some(other) => {
                    return Err(fail(
                        name,
                        index,
                        format!(
                            "xml_id must be a string module.name, not {}",
                            crate::values::py_repr(&other)
                        ),
                    ));
                }
            };
            if lenient {
                vals.retain(|field, _| model.field(field).is_some());
            }
            let id = create(env, model, &vals, Mode::Seed)
                .map_err(|e| fail(name, index, e.to_string()))?;
            let xml_id = xml_id.or_else(|| {
                lenient.then(|| format!("{DEMO_MODULE}.{}_{id}", model.name.replace('.', "_")))
            });
            if let Some((module, xml_name)) = xml_id.as_deref().and_then(|x| x.split_once('.')) {
                xmlid::register(env, module, xml_name, name, id)
                    .map_err(|e| fail(name, index, e.to_string()))?;
            }
            count += 1;
        }
    }
    Ok(count)
}

/// Records the seed was loaded into a database, so a database file is seeded once.
pub fn mark_seeded(env: &Env<'_>) -> OdooResult<bool> {
    env.tx
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS _devserver_meta (key TEXT PRIMARY KEY, value TEXT)",
        )
        .map_err(crate::store::sql_error)?;
    let inserted = env
        .tx
        .execute(
            "INSERT OR IGNORE INTO _devserver_meta (key, value) VALUES ('seeded', '1')",
            [],
        )
        .map_err(crate::store::sql_error)?;
    Ok(inserted == 1)
}

const FAMILIES: [&str; 12] = [
    "Santos", "Okafor", "Nguyen", "Haddad", "Kamau", "Reyes", "Rahman", "Mensah", "Silva",
    "Ivanova", "Tanaka", "Mwangi",
];
const GIVEN: [&str; 16] = [
    "Amina", "Jose", "Linh", "Omar", "Grace", "Maria", "Karim", "Ama", "Lucas", "Olga", "Yuki",
    "Wanjiru", "Samuel", "Fatima", "Ana", "David",
];

/// The built-in demo: what a small OpenSPP registry looks like. 24 households of 3-5
/// individuals each, one cash-transfer program with every household enrolled, one approved
/// cycle, one entitlement per household, a few companies and contacts with countries and
/// tags, and the usual base records (company, currencies, users' partners, the product
/// category, unit and taxes a new product defaults to).
pub fn demo() -> Json {
    let countries = json!([
        {"id": 3, "xml_id": "base.af", "name": "Afghanistan", "code": "AF", "currency_id": 1},
        {"id": 6, "xml_id": "base.al", "name": "Albania", "code": "AL", "currency_id": 2},
        {"id": 20, "xml_id": "base.be", "name": "Belgium", "code": "BE", "currency_id": 2},
        {"id": 62, "xml_id": "base.dz", "name": "Algeria", "code": "DZ", "currency_id": 1},
        {"id": 233, "xml_id": "base.us", "name": "United States", "code": "US", "currency_id": 1},
    ]);
    let country_ids = [3, 6, 20, 62, 233];
    let mut partners = vec![
        json!({"id": 1, "xml_id": "base.main_partner", "name": "YourCompany", "complete_name": "YourCompany", "is_company": true, "country_id": 233, "email": "info@yourcompany.com", "type": "contact"}),
        json!({"id": 3, "xml_id": "base.partner_admin", "name": "Mitchell Admin", "complete_name": "Mitchell Admin", "country_id": 233, "email": "admin@yourcompany.example.com", "type": "contact"}),
        json!({"id": 4, "name": "No Rights", "complete_name": "No Rights", "type": "contact"}),
        json!({"id": 9, "name": "Wood Corner", "complete_name": "Wood Corner", "is_company": true, "country_id": 233, "category_id": [1], "type": "contact"}),
        json!({"id": 10, "name": "Deco Addict", "complete_name": "Deco Addict", "is_company": true, "country_id": 233, "category_id": [1, 2], "type": "contact"}),
        json!({"id": 14, "name": "Azure Interior", "complete_name": "Azure Interior", "is_company": true, "country_id": 233, "category_id": [2], "type": "contact"}),
        json!({"id": 26, "name": "Brandon Freeman", "complete_name": "Azure Interior, Brandon Freeman", "parent_id": 14, "country_id": 233, "email": "brandon.freeman55@example.com", "type": "contact"}),
        json!({"id": 33, "name": "Colleen Diaz", "complete_name": "Azure Interior, Colleen Diaz", "parent_id": 14, "country_id": 233, "type": "contact"}),
        json!({"id": 44, "name": "Bloem GmbH", "complete_name": "Bloem GmbH", "is_company": true, "country_id": 20, "category_id": [3], "type": "contact"}),
    ];
    let mut memberships = Vec::new();
    let mut program_members = Vec::new();
    let mut entitlements = Vec::new();
    let mut next_partner = 100;
    for h in 0..24 {
        let family = FAMILIES[h % FAMILIES.len()];
        let household = next_partner;
        next_partner += 1;
        let country = country_ids[h % country_ids.len()];
        partners.push(json!({
            "id": household, "name": family, "complete_name": family, "is_registrant": true, "is_group": true,
            "kind": 1, "registration_date": format!("2026-{:02}-{:02}", 1 + h % 11, 1 + h % 27),
            "country_id": country, "type": "contact",
        }));
        for m in 0..(3 + h % 3) {
            let individual = next_partner;
            next_partner += 1;
            let given = GIVEN[(h * 5 + m * 3) % GIVEN.len()];
            let name = format!("{family}, {given}");
            partners.push(json!({
                "id": individual, "name": name, "complete_name": name, "given_name": given, "family_name": family,
                "is_registrant": true, "is_group": false, "gender": if (h + m) % 2 == 0 { "Female" } else { "Male" },
                "birthdate": format!("{}-{:02}-{:02}", 1960 + (h * 7 + m * 11) % 60, 1 + m % 12, 1 + h % 28),
                "registration_date": format!("2026-{:02}-{:02}", 1 + h % 11, 1 + h % 27),
                "country_id": country, "type": "contact",
            }));
            memberships.push(json!({
                "group": household, "individual": individual, "kind": if m == 0 { json!([1]) } else { json!([]) },
                "start_date": "2026-01-15 09:00:00", "status": "active", "is_ended": false,
            }));
        }
        program_members.push(json!({
            "partner_id": household, "program_id": 1, "state": "enrolled", "enrollment_date": "2026-02-01 10:00:00",
        }));
        entitlements.push(json!({
            "code": format!("DEMO-{:04}", h + 1), "partner_id": household, "cycle_id": 1, "initial_amount": 250.0,
            "spent_amount": 0.0, "transfer_fee": 0.0, "currency_id": 1, "company_id": 1,
            "state": if h % 3 == 0 { "approved" } else { "draft" }, "is_cash_entitlement": true,
            "valid_from": "2026-12-01", "valid_until": "2026-12-31",
        }));
    }
    json!({
        "res.currency": [
            {"id": 1, "xml_id": "base.USD", "name": "USD", "symbol": "$", "full_name": "United States dollar", "rounding": 0.01, "decimal_places": 2, "active": true, "position": "before"},
            {"id": 2, "xml_id": "base.EUR", "name": "EUR", "symbol": "€", "full_name": "Euro", "rounding": 0.01, "decimal_places": 2, "active": true, "position": "after"},
        ],
        "res.country": countries,
        "res.company": [{"id": 1, "xml_id": "base.main_company", "name": "YourCompany", "partner_id": 1, "currency_id": 1, "active": true}],
        "res.users": [
            {"id": 1, "xml_id": "base.user_root", "login": "__system__", "partner_id": 3, "company_id": 1, "active": false},
            {"id": 2, "xml_id": "base.user_admin", "login": "admin", "partner_id": 3, "company_id": 1, "active": true},
            {"id": 13, "login": "norights", "partner_id": 4, "company_id": 1, "active": true},
        ],
        "res.partner.category": [
            {"id": 1, "name": "Vendor", "active": true},
            {"id": 2, "name": "Prospects", "active": true},
            {"id": 3, "name": "Services", "active": true},
        ],
        "res.partner": partners,
        // what a product template's defaults point at (`categ_id`, `uom_id`, taxes)
        "product.category": [{"id": 1, "name": "All", "complete_name": "All"}],
        "uom.category": [{"id": 1, "name": "Unit"}],
        "uom.uom": [{"id": 1, "name": "Units", "category_id": 1, "uom_type": "reference", "factor": 1.0, "rounding": 0.01, "active": true}],
        "account.tax.group": [{"id": 1, "name": "Tax 15%", "company_id": 1, "country_id": 233}],
        "account.tax": [
            {"id": 1, "name": "15%", "amount": 15.0, "amount_type": "percent", "type_tax_use": "sale", "company_id": 1, "country_id": 233, "tax_group_id": 1, "sequence": 1, "active": true},
            {"id": 2, "name": "15% (purchase)", "amount": 15.0, "amount_type": "percent", "type_tax_use": "purchase", "company_id": 1, "country_id": 233, "tax_group_id": 1, "sequence": 1, "active": true},
        ],
        "g2p.group.kind": [{"id": 1, "name": "Household"}, {"id": 2, "name": "Family"}],
        "g2p.group.membership.kind": [{"id": 1, "name": "Head", "is_unique": true}],
        "g2p.group.membership": memberships,
        "g2p.program": [{
            "id": 1, "name": "Cash Transfer Program", "active": true, "state": "active", "target_type": "group",
            "company_id": 1, "description": "Monthly cash transfer to registered households",
        }],
        "g2p.program_membership": program_members,
        "g2p.cycle": [{
            "id": 1, "name": "Cycle 1", "program_id": 1, "sequence": 1, "state": "approved", "company_id": 1,
            "currency_id": 1, "start_date": "2026-12-01", "end_date": "2026-12-31",
        }],
        "g2p.entitlement": entitlements,
        "ir.config_parameter": [
            {"key": "web.base.url", "value": "http://localhost:8069"},
            {"key": "database.uuid", "value": "6c1b9a52-devserver"},
        ],
    })
}
