//! Methods read from the real servers' `/doc-bearer/<model>.json` answers
//! (`../shared/odoo19/doc-bearer/`, `../shared/openspp2/doc-bearer/`): every entry reads, writes
//! back to what reads the same, and the counts are the servers'.

use openspp_schema::{MethodSchema, MethodSource, ModelSchema, ParameterKind, SchemaSet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn shared(dir: &str) -> PathBuf {
    test_captures::path(dir)
}

fn methods_of(dir: &str, model: &str) -> BTreeMap<String, MethodSchema> {
    let path = shared(dir).join(format!("{model}.json"));
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    doc["methods"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, entry)| {
            let method = MethodSchema::from_doc_bearer(name, entry)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name.clone(), method)
        })
        .collect()
}

#[test]
fn odoo19_res_partner_flags_are_the_servers() {
    let methods = methods_of("odoo19/doc-bearer", "res.partner");
    let count = |model: bool, readonly: bool| {
        methods
            .values()
            .filter(|m| m.model == model && m.readonly == readonly)
            .count()
    };
    assert_eq!(methods.len(), 104);
    assert_eq!(count(false, false), 60);
    assert_eq!(count(true, false), 25);
    assert_eq!(count(true, true), 14);
    assert_eq!(count(false, true), 5);
    assert!(
        methods
            .values()
            .all(|m| m.source == MethodSource::DocBearer)
    );

    let search_read = &methods["search_read"];
    let names: Vec<&str> = search_read
        .parameters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "domain",
            "fields",
            "offset",
            "limit",
            "order",
            "read_kwargs"
        ]
    );
    assert_eq!(search_read.parameters[2].default.as_deref(), Some("0"));
    assert_eq!(search_read.parameters[5].kind, ParameterKind::VarKeyword);
    assert_eq!(search_read.returns.as_deref(), Some("list[ValuesType]"));
    assert!(search_read.doc.starts_with("Perform a search_fetch"));

    let name_create = &methods["name_create"];
    assert_eq!(name_create.required_parameters().count(), 1);
    assert_eq!(
        name_create.returns.as_deref(),
        Some("tuple[int, str] | typing.Literal[False]")
    );
    let message_post = &methods["message_post"];
    assert_eq!(message_post.parameters[0].default.as_deref(), Some("''"));
    assert_eq!(
        message_post.parameters[2].default.as_deref(),
        Some("'notification'")
    );
}

#[test]
fn openspp2_business_methods_are_listed() {
    let cycle = methods_of("openspp2/doc-bearer", "spp.cycle");
    let own = |methods: &BTreeMap<String, MethodSchema>| {
        methods
            .values()
            .filter(|m| m.module.as_deref().is_some_and(|m| m.starts_with("spp")))
            .count()
    };
    assert_eq!(own(&cycle), 41);
    for name in [
        "action_prepare_entitlement",
        "action_approve",
        "prepare_payment",
        "mark_ended",
    ] {
        assert!(!cycle[name].model, "{name} takes records");
    }
    let approve = &cycle["action_approve"];
    assert_eq!(approve.parameters[0].name, "comment");
    assert_eq!(approve.parameters[0].default.as_deref(), Some("None"));
    assert_eq!(approve.defined_in.as_deref(), Some("spp.approval.mixin"));
    let program = methods_of("openspp2/doc-bearer", "spp.program");
    assert_eq!(own(&program), 34);
    assert!(program.contains_key("enroll_eligible_registrants"));
    let entitlement = methods_of("openspp2/doc-bearer", "spp.entitlement");
    assert_eq!(own(&entitlement), 14);
}

#[test]
fn every_captured_entry_writes_back_to_itself() {
    for dir in ["odoo19/doc-bearer", "openspp2/doc-bearer"] {
        for entry in std::fs::read_dir(shared(dir)).unwrap() {
            let path = entry.unwrap().path();
            let model = path.file_stem().unwrap().to_str().unwrap().to_owned();
            for (name, method) in methods_of(dir, &model) {
                let again = MethodSchema::from_doc_bearer(&name, &method.to_doc_bearer()).unwrap();
                assert_eq!(again, method, "{model}.{name}");
            }
        }
    }
}

#[test]
fn methods_save_and_load_byte_for_byte() {
    let mut model = ModelSchema::new("res.partner", "Contact", "base");
    model.methods = methods_of("odoo19/doc-bearer", "res.partner");
    let mut set = SchemaSet::new(openspp_schema::Manifest::new(
        openspp_schema::ServerVersion(Default::default()),
    ));
    set.insert(model);
    let dir = tempfile::tempdir().unwrap();
    set.save(dir.path()).unwrap();
    let file = dir.path().join("models/res.partner.json");
    let first = std::fs::read(&file).unwrap();
    let loaded = SchemaSet::load(dir.path()).unwrap();
    assert_eq!(loaded.models["res.partner"].methods.len(), 104);
    loaded.save(dir.path()).unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), first);
}

#[test]
fn a_private_method_is_refused() {
    let mut model = ModelSchema::new("res.partner", "Contact", "base");
    model
        .methods
        .insert("_read".into(), MethodSchema::form_button("Read"));
    let mut set = SchemaSet::new(openspp_schema::Manifest::new(
        openspp_schema::ServerVersion(Default::default()),
    ));
    set.insert(model);
    let dir = tempfile::tempdir().unwrap();
    let error = set.save(dir.path()).unwrap_err().to_string();
    assert!(error.contains(".methods._read"), "{error}");
}
