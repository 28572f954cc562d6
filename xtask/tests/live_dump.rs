//! `schemas/` is the dump of a live Odoo 17 + OpenSPP server (`../shared/odoo17/live-dump`),
//! exactly as today's `cargo xtask dump` writes it: byte for byte, but for the choices with
//! equal labels that the server sends in no fixed order, which the dump puts in key order, and
//! for what that dump predates, taken from a dump of the same server made today, in which
//! nothing else differs:
//! - the methods (the form views' buttons, read with `get_views`);
//! - the defaults the server draws afresh on each call (`default_varies`), which the dump now
//!   asks for again instead of recording one value.

mod support;

use openspp_schema::SchemaSet;
use std::path::PathBuf;

fn live_dump() -> PathBuf {
    support::replay::captures().join("live-dump")
}

#[test]
fn checked_in_schemas_are_the_live_dump_in_canonical_order() {
    let live = live_dump();
    let mut set = SchemaSet::load(&live).expect("the live dump loads");
    let tmp = tempfile::tempdir().unwrap();

    // Loading and saving changes nothing, so the reordering below is the only change made.
    let as_loaded = tmp.path().join("as-loaded");
    set.save(&as_loaded).unwrap();
    support::assert_same_files(&live, &as_loaded);

    for field in set.models.values_mut().flat_map(|m| m.fields.values_mut()) {
        field.order_equal_labels_by_key();
    }
    let canonical = tmp.path().join("canonical");
    set.save(&canonical).unwrap();
    let reordered: Vec<_> = support::differing_files(&live, &canonical);
    assert!(
        reordered.contains(&PathBuf::from("models/ir.filters.json")),
        "the live dump has equal labels out of key order (ir.filters.model_id): {reordered:?}"
    );
    let checked_in = SchemaSet::load(support::checked_in_schemas()).unwrap();
    assert_eq!(checked_in.models["g2p.cycle"].methods.len(), 17);
    let mut drawn = 0;
    for (name, model) in &mut set.models {
        let today = &checked_in.models[name];
        model.methods.clone_from(&today.methods);
        for (field, schema) in &mut model.fields {
            if today.fields[field].default_varies {
                assert!(schema.default.take().is_some(), "{name}.{field}");
                schema.default_varies = true;
                drawn += 1;
            }
        }
    }
    // 19 that differed when asked again (8 random colours; tokens, sequence numbers), and by
    // their shape 43 dates and times and 6 UUIDs.
    assert_eq!(drawn, 68);
    let with_methods = tmp.path().join("with-methods");
    set.save(&with_methods).unwrap();
    support::assert_same_files(&with_methods, &support::checked_in_schemas());
}

/// `schemas-openspp2/` is the dump of a live OpenSPP 2 server (`../shared/openspp2/live-dump`),
/// as `checked_in_schemas_are_the_live_dump_in_canonical_order` says of `schemas/`: byte for
/// byte, but for the choices with equal labels put in key order, and for what that dump
/// predates, taken from a dump of the same server made today, in which nothing else differs:
/// the methods (from `/doc-bearer`; for the models whose description was captured,
/// `../shared/openspp2/doc-bearer/`, exactly that description's public methods) and the
/// defaults the server draws afresh on each call (`default_varies`).
#[test]
fn checked_in_openspp2_schemas_are_its_live_dump_in_canonical_order() {
    let shared = test_captures::path("openspp2");
    let live = shared.join("live-dump");
    let mut set = SchemaSet::load(&live).expect("the OpenSPP 2 live dump loads");
    for field in set.models.values_mut().flat_map(|m| m.fields.values_mut()) {
        field.order_equal_labels_by_key();
    }
    let checked_in_dir = support::checked_in_schemas().join("../schemas-openspp2");
    let checked_in = SchemaSet::load(&checked_in_dir).unwrap();

    let mut captured = 0;
    for entry in std::fs::read_dir(shared.join("doc-bearer")).unwrap() {
        let path = entry.unwrap().path();
        let model = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let expected: std::collections::BTreeMap<_, _> = doc["methods"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(name, _)| openspp_schema::method::is_public_method_name(name))
            .map(|(name, entry)| {
                let method = openspp_schema::MethodSchema::from_doc_bearer(name, entry).unwrap();
                (name.clone(), method)
            })
            .collect();
        assert_eq!(checked_in.models[&model].methods, expected, "{model}");
        captured += 1;
    }
    assert_eq!(captured, 8, "the eight captured descriptions");

    let mut drawn = 0;
    for (name, model) in &mut set.models {
        let today = &checked_in.models[name];
        model.methods.clone_from(&today.methods);
        for (field, schema) in &mut model.fields {
            if today.fields[field].default_varies {
                assert!(schema.default.take().is_some(), "{name}.{field}");
                schema.default_varies = true;
                drawn += 1;
            }
        }
    }
    assert_eq!(drawn, DRAWN_OPENSPP2);
    let tmp = tempfile::tempdir().unwrap();
    let with_methods = tmp.path().join("with-methods");
    set.save(&with_methods).unwrap();
    support::assert_same_files(&with_methods, &checked_in_dir);
}

/// OpenSPP 2's defaults drawn on each call: dates and times by their shape, random colours,
/// tokens and sequence numbers that differed when asked again.
const DRAWN_OPENSPP2: usize = 67;
