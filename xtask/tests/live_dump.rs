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
