//! Snapshots of generated code: real models that together use every field type of the
//! reference server, and a synthetic model full of naming and typing edge cases.

use openspp_codegen::{GenerationSettings, Generator};
use openspp_schema::{FieldSchema, Manifest, ModelSchema, SchemaSet, ServerVersion};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

fn reference_set() -> SchemaSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    SchemaSet::load(&dir).expect("the checked-in schemas load")
}

/// res.partner (OpenSPP adds dozens of fields to it), g2p.program_membership (its `_inherits`
/// brings in every partner field), and the models holding the rarer types.
const MODELS: &[&str] = &[
    "res.partner",
    "g2p.program_membership",
    "queue.job",
    "event.registration",
    "event.event",
    "ir.attachment",
    "account.analytic.distribution.model",
    "event.mail",
];

#[test]
fn the_snapshot_models_cover_every_field_type_of_the_reference_server() {
    let set = reference_set();
    let all: BTreeSet<&str> = set
        .models
        .values()
        .flat_map(|m| m.fields.values().map(FieldSchema::field_type))
        .collect();
    let covered: BTreeSet<&str> = MODELS
        .iter()
        .flat_map(|m| set.models[*m].fields.values().map(FieldSchema::field_type))
        .collect();
    assert_eq!(all.len(), 21, "the reference server has 21 field types");
    assert_eq!(covered, all);
}

#[test]
fn reference_models() {
    let set = reference_set();
    let generator = Generator::new(GenerationSettings::default());
    for model in MODELS {
        let source = generator
            .generate_model(&set, model)
            .expect("generation succeeds")
            .expect("the model is in the set");
        insta::assert_snapshot!(model.replace('.', "_"), source);
    }
}

fn field(attributes: Value) -> FieldSchema {
    let Value::Object(map) = attributes else {
        panic!("attributes are an object")
    };
    FieldSchema::new(map.into_iter().collect())
}

/// A model whose names and types exercise every rule of the naming and type mapping.
fn edge_case_set() -> SchemaSet {
    let mut set = SchemaSet::new(Manifest::new(ServerVersion::default()));
    let mut model = ModelSchema::new("x.edge_case", "Edge <Case> *model*", "x_addon");
    let plain = |ty: &str| json!({"type": ty, "string": ty, "store": true, "searchable": true, "sortable": true});
    let fields = [
        ("id", plain("integer")),
        ("type", plain("char")),
        ("self", plain("char")),
        ("crate", plain("char")),
        ("async", plain("boolean")),
        ("x_a_b", plain("integer")),
        ("x_a__b", plain("integer")),
        ("café", plain("float")),
        ("location", plain("geo_point")),
        (
            "shape",
            json!({"type": "geo_polygon", "string": "Shape", "store": true, "readonly": true}),
        ),
        (
            "computed",
            json!({"type": "char", "string": "Computed", "store": false, "readonly": true,
            "help": "Line one\n    - not a list\n\n```not code```\n<b>not html</b> [not a link]"}),
        ),
        (
            "inverse",
            json!({"type": "char", "string": "Inverse", "store": false, "readonly": false}),
        ),
        (
            "state",
            json!({"type": "selection", "string": "State", "store": true, "required": true,
            "searchable": true, "sortable": true,
            "selection": [["draft", "Draft"], ["Draft", "Draft too"], ["", "Empty"], ["1", "One"],
                          ["Unrecognized", "A key named like the catch-all"], ["self", "Self"]]}),
        ),
        (
            // the same selection as `state`: one shared enum, re-exported as `StateCopy`
            "state_copy",
            json!({"type": "selection", "string": "Copy", "store": true,
            "selection": [["draft", "Draft"], ["Draft", "Draft too"], ["", "Empty"], ["1", "One"],
                          ["Unrecognized", "A key named like the catch-all"], ["self", "Self"]]}),
        ),
        (
            "dynamic",
            json!({"type": "selection", "string": "Dynamic", "store": true, "selection": []}),
        ),
        (
            "group_level",
            json!({"type": "selection", "string": "Group", "store": false,
            "selection": [[false, ""], [84, "Manager"]]}),
        ),
        (
            "partner_id",
            json!({"type": "many2one", "string": "Partner", "store": true, "required": true,
            "relation": "res.partner", "searchable": true, "sortable": true}),
        ),
        (
            "self_id",
            json!({"type": "many2one", "string": "Parent", "store": true,
            "relation": "x.edge_case", "searchable": true, "sortable": true}),
        ),
        (
            "tag_ids",
            json!({"type": "many2many", "string": "Tags", "store": true,
            "relation": "x.edge_case", "searchable": true}),
        ),
        ("create_date", plain("datetime")),
        ("extra", plain("char")),
    ];
    for (name, attributes) in fields {
        model.fields.insert(name.to_owned(), field(attributes));
    }
    model
        .fields
        .get_mut("extra")
        .expect("declared above")
        .modules = vec!["other_addon".into(), "third_addon".into()];
    model
        .fields
        .get_mut("state")
        .expect("declared above")
        .modules = vec!["x_addon".into()];
    set.insert(model);
    set
}

#[test]
fn edge_cases() {
    let set = edge_case_set();
    let generator = Generator::new(GenerationSettings {
        default_features: openspp_codegen::DefaultFeatures::Addons(Vec::new()),
        ..GenerationSettings::default()
    });
    let files = generator.generate(&set).expect("generation succeeds");
    let source = &files[Path::new("src/models/x_edge_case.rs")];
    insta::assert_snapshot!("x_edge_case", source);
    insta::assert_snapshot!("edge_case_cargo_toml", files[Path::new("Cargo.toml")]);
    insta::assert_snapshot!(
        "edge_case_selections",
        files[Path::new("src/selections.rs")]
    );
    insta::assert_snapshot!("edge_case_lib_rs", files[Path::new("src/lib.rs")]);
}

#[test]
fn output_is_deterministic() {
    let set = reference_set();
    let generator = Generator::new(GenerationSettings::default());
    let a = generator
        .generate_model(&set, "res.partner")
        .expect("generates");
    let b = generator
        .generate_model(&set, "res.partner")
        .expect("generates");
    assert_eq!(a, b);
    // Every addon by default, whatever the set has; a named default addon must exist.
    let every_addon = Generator::new(GenerationSettings::default());
    assert!(every_addon.generate(&edge_case_set()).is_ok());
    let named = Generator::new(GenerationSettings {
        default_features: openspp_codegen::DefaultFeatures::Addons(vec!["base".to_owned()]),
        ..GenerationSettings::default()
    });
    assert!(
        named.generate(&edge_case_set()).is_err(),
        "`base` is no addon of the edge-case set"
    );
}
