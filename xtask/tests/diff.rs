//! `cargo xtask diff`: the real migration from Odoo 17 (+ OpenSPP) to Odoo 19 in `../shared`,
//! checked against counts and samples read from the JSON files here, and a live dev server as
//! `--to`.

mod support;

use openspp_devserver::{BackgroundServer, Config, DEMO_API_KEY, Seed};
use openspp_schema::SchemaSet;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

fn odoo17() -> PathBuf {
    support::replay::captures().join("live-dump")
}

fn odoo19() -> PathBuf {
    support::replay::captures().join("../odoo19/live-dump")
}

/// `xtask diff` with these arguments, the environment holding nothing of a server.
fn diff(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .env_remove("ODOO_URL")
        .env_remove("ODOO_DB")
        .env_remove("ODOO_USER")
        .env_remove("ODOO_API_KEY")
        .env_remove("ODOO_PASSWORD")
        .output()
        .expect("xtask runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The JSON report of 17 → 19, made once.
fn report() -> &'static Value {
    static REPORT: OnceLock<Value> = OnceLock::new();
    REPORT.get_or_init(|| {
        let output = diff(&["--from", path(&odoo17()), "--to", path(&odoo19()), "--json"]);
        let (stdout, stderr) = support::text(&output);
        assert!(output.status.success(), "{stderr}");
        serde_json::from_str(&stdout).expect("--json prints JSON")
    })
}

fn changes() -> &'static [Value] {
    report()["changes"].as_array().expect("a list of changes")
}

fn count(kind: &str) -> usize {
    changes().iter().filter(|c| c["change"] == kind).count()
}

fn find<'a>(model: &str, field: &str, kind: &str) -> &'a Value {
    changes()
        .iter()
        .find(|c| c["model"] == model && c["field"] == field && c["change"] == kind)
        .unwrap_or_else(|| panic!("no {kind} change for {model}.{field}"))
}

/// Every `models/*.json` of a dump, read as plain JSON, by model name.
fn raw_models(dir: &Path) -> BTreeMap<String, Value> {
    let mut models = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("models")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let model: Value = serde_json::from_slice(&bytes).unwrap();
        models.insert(model["model"].as_str().unwrap().to_owned(), model);
    }
    models
}

fn raw() -> &'static (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    static RAW: OnceLock<(BTreeMap<String, Value>, BTreeMap<String, Value>)> = OnceLock::new();
    RAW.get_or_init(|| (raw_models(&odoo17()), raw_models(&odoo19())))
}

/// Fields of the models both dumps have: (model, field, attributes on 17, attributes on 19).
fn common_fields() -> Vec<(&'static str, &'static str, &'static Value, &'static Value)> {
    let (a, b) = raw();
    let mut out = Vec::new();
    for (model, ma) in a {
        let Some(mb) = b.get(model) else { continue };
        for (field, fa) in ma["fields"].as_object().unwrap() {
            if let Some(fb) = mb["fields"].get(field) {
                out.push((
                    model.as_str(),
                    field.as_str(),
                    &fa["attributes"],
                    &fb["attributes"],
                ));
            }
        }
    }
    out
}

fn keys(attributes: &Value) -> Option<Vec<&Value>> {
    let options = attributes["selection"].as_array()?;
    Some(options.iter().map(|o| &o[0]).collect())
}

#[test]
fn models_and_addons_added_removed_and_renamed_match_the_dumps() {
    let (a, b) = raw();
    let only = |x: &BTreeMap<String, Value>, y: &BTreeMap<String, Value>| {
        x.keys().filter(|m| !y.contains_key(*m)).count()
    };
    let renamed = count("model-renamed");
    assert_eq!(count("model-removed") + renamed, only(a, b));
    assert_eq!(count("model-added") + renamed, only(b, a));
    assert_eq!((only(a, b), only(b, a)), (204, 64));

    let addons = |dir: &Path| -> BTreeSet<String> {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        manifest["addons"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let (xa, xb) = (addons(&odoo17()), addons(&odoo19()));
    assert_eq!(count("addon-removed"), xa.difference(&xb).count());
    assert_eq!(count("addon-added"), xb.difference(&xa).count());
    let spp = changes()
        .iter()
        .find(|c| c["change"] == "addon-removed" && c["addon"] == "spp_base")
        .unwrap();
    assert_eq!(spp["impact"], "breaks-the-build");
    assert_eq!(
        spp["rust"],
        json!([{"role": "cargo-feature", "from": "spp_base"}])
    );
}

#[test]
fn fields_added_removed_and_renamed_match_the_dumps() {
    let (a, b) = raw();
    let (mut gone, mut new) = (0, 0);
    for (model, ma) in a {
        let Some(mb) = b.get(model) else { continue };
        let (fa, fb) = (
            ma["fields"].as_object().unwrap(),
            mb["fields"].as_object().unwrap(),
        );
        gone += fa.keys().filter(|f| !fb.contains_key(*f)).count();
        new += fb.keys().filter(|f| !fa.contains_key(*f)).count();
    }
    let renamed = count("field-renamed");
    assert_eq!(count("field-removed") + renamed, gone);
    assert_eq!(count("field-added") + renamed, new);
    assert!(renamed >= 1);
}

/// res.users' `groups_id` (17) is `group_ids` (19): the same type, comodel and label, and no
/// other field of res.users that went or came has them.
#[test]
fn groups_id_is_a_probable_rename_to_group_ids() {
    let (a, b) = raw();
    let (ua, ub) = (&a["res.users"]["fields"], &b["res.users"]["fields"]);
    assert!(ua.get("group_ids").is_none() && ub.get("groups_id").is_none());
    let key = |f: &Value| {
        let at = &f["attributes"];
        (
            at["type"].clone(),
            at["relation"].clone(),
            at["string"].clone(),
        )
    };
    assert_eq!(key(&ua["groups_id"]), key(&ub["group_ids"]));
    let gone = ua
        .as_object()
        .unwrap()
        .iter()
        .filter(|(n, _)| ub.get(*n).is_none());
    let new = ub
        .as_object()
        .unwrap()
        .iter()
        .filter(|(n, _)| ua.get(*n).is_none());
    let same = |fields: &mut dyn Iterator<Item = (&String, &Value)>| {
        fields
            .filter(|(_, f)| key(f) == key(&ua["groups_id"]))
            .count()
    };
    assert_eq!((same(&mut { gone }), same(&mut { new })), (1, 1));

    let change = find("res.users", "groups_id", "field-renamed");
    assert_eq!(change["to"], "group_ids");
    assert_eq!(change["impact"], "breaks-the-build");
    assert_eq!(change["addon"], "base");
    let constant = &change["rust"][0];
    assert_eq!(constant["role"], "field-constant");
    assert_eq!(
        constant["from"],
        "res_users::GROUPS_ID: X2many<res_groups::ResGroups>"
    );
    assert_eq!(
        constant["to"],
        "res_users::GROUP_IDS: X2many<res_groups::ResGroups>"
    );
    // Never applied: the field is not also reported as removed.
    assert!(!changes().iter().any(|c| c["model"] == "res.users"
        && c["field"] == "groups_id"
        && c["change"] == "field-removed"));
}

#[test]
fn type_changes_match_the_dumps() {
    let shape = |at: &Value| (at["type"].clone(), at["relation"].clone());
    let changed: Vec<_> = common_fields()
        .into_iter()
        .filter(|(_, _, fa, fb)| shape(fa) != shape(fb))
        .collect();
    assert_eq!(count("field-type"), changed.len());
    assert!(changed.len() >= 10, "{changed:?}");

    // char (String) → selection (an enum): breaks.
    let (_, _, fa, fb) = changed
        .iter()
        .find(|(m, f, ..)| (*m, *f) == ("res.lang", "date_format"))
        .unwrap();
    assert_eq!(
        (fa["type"].as_str(), fb["type"].as_str()),
        (Some("char"), Some("selection"))
    );
    let change = find("res.lang", "date_format", "field-type");
    assert_eq!(change["impact"], "breaks-the-build");
    assert_eq!(change["from"], json!({"type": "char"}));
    assert_eq!(change["to"], json!({"type": "selection"}));
    assert_eq!(change["rust"][0]["from"], "res_lang::DATE_FORMAT: String");
    assert_eq!(
        change["rust"][0]["to"],
        "res_lang::DATE_FORMAT: Selection<DateFormat>"
    );
    // text → char: both a String, harmless.
    let (_, _, fa, fb) = changed
        .iter()
        .find(|(m, f, ..)| (*m, *f) == ("ir.filters", "sort"))
        .unwrap();
    assert_eq!(
        (fa["type"].as_str(), fb["type"].as_str()),
        (Some("text"), Some("char"))
    );
    assert_eq!(
        find("ir.filters", "sort", "field-type")["impact"],
        "harmless"
    );
    // A new comodel: another Rust type.
    let (_, _, fa, fb) = changed
        .iter()
        .find(|(m, f, ..)| (*m, *f) == ("stock.quant", "package_id"))
        .unwrap();
    assert_ne!(fa["relation"], fb["relation"]);
    let change = find("stock.quant", "package_id", "field-type");
    assert_eq!(change["to"]["relation"], fb["relation"]);
    assert_eq!(change["impact"], "breaks-the-build");
}

#[test]
fn removed_selection_values_match_the_dumps() {
    let mut expected = BTreeMap::new();
    for (model, field, fa, fb) in common_fields() {
        let (Some(ka), Some(kb)) = (keys(fa), keys(fb)) else {
            continue;
        };
        let removed: Vec<&Value> = ka.into_iter().filter(|k| !kb.contains(k)).collect();
        if !removed.is_empty() {
            expected.insert((model, field), removed);
        }
    }
    assert_eq!(count("selection-removed"), expected.len());

    // account.payment's state lost `posted` and `cancel` (19 moved them to the move).
    let removed = &expected[&("account.payment", "state")];
    let change = find("account.payment", "state", "selection-removed");
    assert_eq!(
        &change["values"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        removed
    );
    assert_eq!(change["impact"], "breaks-the-build");
    // The variants are those of the checked-in bindings (generated from 17), the enum's own
    // or the shared one it re-exports.
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/openspp-models/src");
    let bindings = ["models/account_payment.rs", "selections.rs"]
        .map(|file| std::fs::read_to_string(generated.join(file)).unwrap())
        .concat();
    for (item, key) in change["rust"].as_array().unwrap().iter().zip(removed) {
        assert_eq!(item["role"], "enum-variant");
        let variant = item["from"].as_str().unwrap().rsplit("::").next().unwrap();
        let arm = format!("Self::{variant} => {key},");
        assert!(bindings.contains(&arm), "{arm}");
    }
    assert_eq!(change["rust"].as_array().unwrap().len(), removed.len());
}

#[test]
fn fields_that_became_required_match_the_dumps() {
    let required = |at: &Value| at["required"] == true;
    let became: BTreeSet<(&str, &str)> = common_fields()
        .into_iter()
        .filter(|(_, _, fa, fb)| !required(fa) && required(fb))
        .map(|(m, f, ..)| (m, f))
        .collect();
    let reported: BTreeSet<(&str, &str)> = changes()
        .iter()
        .filter(|c| c["change"] == "field-flag" && c["flag"] == "required" && c["to"] == true)
        .map(|c| (c["model"].as_str().unwrap(), c["field"].as_str().unwrap()))
        .collect();
    assert_eq!(reported, became);
    assert!(
        became.contains(&("account.payment", "company_id")),
        "{became:?}"
    );
    let change = changes()
        .iter()
        .find(|c| {
            c["model"] == "account.payment" && c["field"] == "company_id" && c["flag"] == "required"
        })
        .unwrap();
    assert_eq!(change["impact"], "changes-behaviour-silently");
}

#[test]
fn the_summary_counts_every_change_and_the_report_is_byte_stable() {
    let summary = &report()["summary"];
    let total: u64 = ["breaks-the-build", "changes-behaviour-silently", "harmless"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, changes().len());
    let markdown = |_: ()| {
        let output = diff(&["--from", path(&odoo17()), "--to", path(&odoo19())]);
        assert!(output.status.success());
        output.stdout
    };
    let first = markdown(());
    assert_eq!(first, markdown(()));
    let text = String::from_utf8(first).unwrap();
    assert!(
        text.starts_with(
            "# Schema changes\n\nFrom Odoo 17.0-20240709 (573 models) to Odoo 19.0 (433 models).\n"
        ),
        "{text}"
    );
}

/// `schemas/` is the live 17 dump with equal-label choices in key order (`live_dump.rs`): the
/// same server, so `--check` passes, the reordered selections included.
#[test]
fn the_checked_in_schemas_have_no_changes_against_the_live_dump() {
    let output = diff(&[
        "--from",
        path(&support::checked_in_schemas()),
        "--to",
        path(&odoo17()),
        "--check",
    ]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.ends_with("(573 models): no changes.\n"), "{stdout}");
}

/// The checked-in report of the models an OpenSPP integration touches most is what the tool
/// prints today.
#[test]
fn the_checked_in_migration_report_is_fresh() {
    let output = diff(&[
        "--from",
        path(&odoo17()),
        "--to",
        path(&odoo19()),
        "--models",
        MIGRATION_MODELS,
    ]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    let checked_in = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(MIGRATION_REPORT);
    let on_disk = std::fs::read_to_string(&checked_in).unwrap_or_default();
    assert!(
        on_disk == stdout,
        "{MIGRATION_REPORT} is stale: regenerate it from the workspace root with `cargo xtask diff --from ../shared/odoo17/live-dump --to ../shared/odoo19/live-dump --models {MIGRATION_MODELS} > docs/migration/odoo17-to-odoo19.md`"
    );
}

/// The checked-in OpenSPP 17 → OpenSPP 2 report (the registry's and programs' models) is what
/// the tool prints today from the two checked-in schema sets.
#[test]
fn the_checked_in_openspp2_migration_report_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = diff(&[
        "--from",
        path(&root.join("schemas")),
        "--to",
        path(&root.join("schemas-openspp2")),
        "--models",
        OPENSPP2_MIGRATION_MODELS,
    ]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    let on_disk = std::fs::read_to_string(root.join(OPENSPP2_MIGRATION_REPORT)).unwrap_or_default();
    assert!(
        on_disk == stdout,
        "{OPENSPP2_MIGRATION_REPORT} is stale: regenerate it from the workspace root with `cargo xtask diff --from schemas --to schemas-openspp2 --models '{OPENSPP2_MIGRATION_MODELS}' > {OPENSPP2_MIGRATION_REPORT}`"
    );
}

const OPENSPP2_MIGRATION_MODELS: &str = "res.partner,g2p.group.membership,spp.group.membership,g2p.reg.id,spp.registry.id,g2p.program,spp.program,g2p.cycle,spp.cycle,g2p.program_membership,spp.program.membership,g2p.entitlement,spp.entitlement";
const OPENSPP2_MIGRATION_REPORT: &str = "docs/migration/openspp17-to-openspp2.md";

const MIGRATION_MODELS: &str = "res.partner,res.users,res.country,product.template,account.move";
const MIGRATION_REPORT: &str = "docs/migration/odoo17-to-odoo19.md";

/// The models the dev-server tests serve: three of `schemas/`, with the manifest's other models
/// left out.
fn countries() -> SchemaSet {
    let mut set = SchemaSet::load(support::checked_in_schemas()).unwrap();
    set.models.retain(|name, _| name.starts_with("res.country"));
    set.manifest
        .models
        .retain(|name, _| name.starts_with("res.country"));
    assert_eq!(set.models.len(), 3);
    set
}

/// `xtask diff --from <from> --to <the dev server serving to> --check`.
fn check_against_dev_server(from: &SchemaSet, to: SchemaSet) -> (Output, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("schemas");
    from.save(&dir).unwrap();
    let server = BackgroundServer::start(
        Config::new(to).seed(Seed::Empty),
        ([127, 0, 0, 1], 0).into(),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff", "--check", "--from"])
        .arg(&dir)
        .args(["--to", &server.url(), "--db", "openspp", "--user", "admin"])
        .args(["--api-key-env", "DIFF_TEST_KEY"])
        .env("DIFF_TEST_KEY", DEMO_API_KEY)
        .output()
        .unwrap();
    let (stdout, stderr) = support::text(&output);
    (output, stdout, stderr)
}

#[test]
fn check_against_an_identical_dev_server_passes() {
    let set = countries();
    let (output, stdout, stderr) = check_against_dev_server(&set, set.clone());
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(": no changes."), "{stdout}");
}

/// Sets (or, with `Value::Null`, removes) a `fields_get` attribute.
fn set_attribute(set: &mut SchemaSet, model: &str, field: &str, key: &str, value: Value) {
    let field = set
        .models
        .get_mut(model)
        .unwrap()
        .fields
        .get_mut(field)
        .unwrap();
    match value {
        Value::Null => field.attributes.remove(key),
        value => field.attributes.insert(key.to_owned(), value),
    };
}

#[test]
fn check_against_a_changed_dev_server_fails_and_names_each_change() {
    let from = countries();
    let mut to = from.clone();
    let country = to.models.get_mut("res.country").unwrap();
    // A field removed, one added, one renamed (same type and label).
    country.fields.remove("vat_label");
    let mut region = country.fields["address_format"].clone();
    region.modules.clear();
    region.ir_model_fields.clear();
    region.default = None;
    region.attributes.insert("string".into(), json!("Region"));
    country.fields.insert("x_region".into(), region);
    let flag = country.fields.remove("image_url").unwrap();
    country.fields.insert("flag_url".into(), flag);
    // A model renamed (the same label): its relation follows.
    let mut group = to.models.remove("res.country.group").unwrap();
    to.manifest.models.remove("res.country.group");
    group.model = "res.country.cluster".into();
    to.insert(group);
    set_attribute(
        &mut to,
        "res.country",
        "country_group_ids",
        "relation",
        json!("res.country.cluster"),
    );
    // A type changed: integer (i32) to char (String).
    set_attribute(&mut to, "res.country", "phone_code", "type", json!("char"));
    // Required with no default: a new `create` argument.
    set_attribute(
        &mut to,
        "res.country",
        "currency_id",
        "required",
        json!(true),
    );
    // Required, but the server default fills it: only writes of an empty value change.
    set_attribute(
        &mut to,
        "res.country",
        "zip_required",
        "required",
        json!(true),
    );
    // Not stored and read-only: writes are ignored, the constant is no longer `Writable`.
    set_attribute(
        &mut to,
        "res.country",
        "address_view_id",
        "store",
        json!(false),
    );
    set_attribute(
        &mut to,
        "res.country",
        "address_view_id",
        "readonly",
        json!(true),
    );
    // Searchable attribute of a stored field: the ORM still searches it.
    set_attribute(
        &mut to,
        "res.country",
        "address_format",
        "searchable",
        json!(false),
    );
    // A selection key removed and one added.
    set_attribute(
        &mut to,
        "res.country",
        "name_position",
        "selection",
        json!([["before", "Before Address"], ["middle", "Middle"]]),
    );
    // A label.
    set_attribute(
        &mut to,
        "res.country.state",
        "name",
        "string",
        json!("Province Name"),
    );

    let (output, stdout, stderr) = check_against_dev_server(&from, to);
    assert!(!output.status.success(), "{stdout}");
    for expected in [
        "- **breaks the build**: field `vat_label` removed (char, \"Vat Label\")",
        "  - field constant `res_country::VAT_LABEL: String` goes",
        "- **harmless**: field `x_region` added (text, \"Region\")",
        "- **breaks the build**: field `image_url` probably renamed to `flag_url` (both char, \"Flag\")",
        "  - field constant `res_country::IMAGE_URL: String` → `res_country::FLAG_URL: String`",
        "- **breaks the build**: model probably renamed to `res.country.cluster` (the same label, \"Country Group\")",
        "  - type `res_country_group::ResCountryGroup` → `res_country_cluster::ResCountryCluster`",
        "- **breaks the build**: field `country_group_ids` type many2many to `res.country.group` → many2many to `res.country.cluster`",
        "- **breaks the build**: field `phone_code` type integer → char",
        "  - field constant `res_country::PHONE_CODE: i32` → `res_country::PHONE_CODE: String`",
        "- **breaks the build**: field `currency_id` must now be given to `create`",
        "  - create argument `ResCountry::create(currency_id: Value)` comes",
        "- **changes behaviour silently**: field `currency_id` required: no → yes",
        "- **changes behaviour silently**: field `zip_required` required: no → yes",
        "- **breaks the build**: field `address_view_id` can no longer be written (`Writable` → `NotWritable`)",
        "- **harmless**: field `address_view_id` stored: yes → no",
        "- **harmless**: field `address_view_id` readonly: no → yes",
        "- **harmless**: field `address_format` searchable: yes → no",
        "- **breaks the build**: field `name_position` selection keys removed: `after`",
        "  - enum variant `res_country::NamePosition::After` goes",
        "- **harmless**: field `name_position` selection keys added: `middle`",
        "- **harmless**: field `name` label \"State Name\" → \"Province Name\"",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    assert!(
        !stdout.contains("`zip_required` must now be given"),
        "the server default fills it: {stdout}"
    );
    assert!(
        stderr.contains("--check: 8 breaks the build, 2 changes behaviour silently"),
        "{stderr}"
    );
}
