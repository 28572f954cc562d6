//! The fixed point `cargo xtask regen` relies on: the dev server serving `schemas/`, dumped
//! with `xtask dump`, gives back `schemas/` byte for byte.

mod support;

use openspp_devserver::{BackgroundServer, Config, DEMO_API_KEY, ManualClock, OdooVersion, Seed};
use openspp_schema::{Fault, MethodSchema, MethodSource, SchemaSet};
use std::path::Path;

/// Serves `schemas` on the dev server and dumps it into `out` with `extra` arguments; returns
/// the dump's stderr.
fn dump_dev_server(schemas: SchemaSet, out: &Path, extra: &[&str]) -> String {
    dump_server(Config::new(schemas).seed(Seed::Empty), out, extra)
}

/// [`dump_dev_server`] with the server's configuration.
fn dump_server(config: Config, out: &Path, extra: &[&str]) -> String {
    let server = BackgroundServer::start(config, ([127, 0, 0, 1], 0).into()).unwrap();
    dump_running(&server, out, extra)
}

/// Dumps a server that is already running.
fn dump_running(server: &BackgroundServer, out: &Path, extra: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "dump",
            "--url",
            &server.url(),
            "--db",
            "openspp",
            "--user",
            "admin",
            "--api-key-env",
            "REGEN_TEST_KEY",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .env("REGEN_TEST_KEY", DEMO_API_KEY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn dumping_the_dev_server_reproduces_the_schemas() {
    let schemas_dir = support::checked_in_schemas();
    let schemas = SchemaSet::load(&schemas_dir).expect("schemas/ loads");
    let out = tempfile::tempdir().unwrap();
    let dumped = out.path().join("schemas");
    dump_dev_server(schemas, &dumped, &[]);
    support::assert_same_files(&schemas_dir, &dumped);
}

/// Two dumps a day apart are the same files: the defaults the server draws on each call (the
/// date, the time, a sequence number, a token, a random colour) are recorded as drawn, not by
/// the value one call gave. The dev server draws them as the real one does, from its clock.
#[test]
fn dumps_across_midnight_are_identical() {
    let schemas = SchemaSet::load(support::checked_in_schemas()).expect("schemas/ loads");
    let drawn = |model: &str, field: &str| schemas.models[model].fields[field].default_varies;
    assert!(drawn("g2p.program", "program_id") && drawn("res.partner", "registration_date"));
    assert!(drawn("utm.tag", "color") && drawn("stock.move", "date"));
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    let clock = ManualClock::new(at("2026-12-06 23:59:59"));
    let config = Config::new(schemas).seed(Seed::Empty).clock(clock.clone());
    let server = BackgroundServer::start(config, ([127, 0, 0, 1], 0).into()).unwrap();
    let models = ["--models", "g2p.program,res.partner,utm.tag,stock.move"];
    let out = tempfile::tempdir().unwrap();
    dump_running(&server, &out.path().join("before"), &models);
    clock.set(at("2026-12-07 00:00:01"));
    dump_running(&server, &out.path().join("after"), &models);
    support::assert_same_files(&out.path().join("before"), &out.path().join("after"));
}

/// Defaults a real server could only send over JSON-RPC (`default_get_xmlrpc_fault`, a `null`
/// among them) come back as they were, and a marshalling `default_get_fault` stays a fault:
/// the dump's JSON-RPC retry finds no defaults on the dev server either.
#[test]
fn defaults_read_over_jsonrpc_are_a_fixed_point_too() {
    let marshal = Fault {
        code: 1,
        message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
    };
    let mut schemas = SchemaSet::load(support::checked_in_schemas()).expect("schemas/ loads");
    let country = schemas.models.get_mut("res.country").unwrap();
    country.default_get_xmlrpc_fault = Some(Fault {
        code: 1,
        message: "TypeError: cannot marshal <class 'odoo.api.Environment'> objects".into(),
    });
    country.fields.get_mut("name").unwrap().default = Some(serde_json::Value::Null);
    let state = schemas.models.get_mut("res.country.state").unwrap();
    state.default_get_fault = Some(marshal.clone());
    let group = schemas.models.get_mut("res.country.group").unwrap();
    group.default_get_xmlrpc_fault = Some(marshal);

    let out = tempfile::tempdir().unwrap();
    let dumped = out.path().join("schemas");
    // Over XML-RPC, whose faults these are (`auto` with an API key speaks JSON-RPC to 17).
    let stderr = dump_dev_server(
        schemas.clone(),
        &dumped,
        &["--models", "res.country*", "--protocol", "xmlrpc"],
    );
    assert!(
        stderr.contains("default_get on res.country faulted over XML-RPC"),
        "{stderr}"
    );
    assert!(
        stderr.contains("default_get on res.country.state faulted: fault 1: TypeError: cannot marshal None unless allow_none is enabled (the JSON-RPC retry failed too"),
        "{stderr}"
    );

    let mut expected = schemas;
    expected
        .models
        .retain(|name, _| name.starts_with("res.country"));
    expected
        .manifest
        .models
        .retain(|name, _| name.starts_with("res.country"));
    assert_eq!(expected.models.len(), 3, "{:?}", expected.models.keys());
    let written = out.path().join("expected");
    expected.save(&written).unwrap();
    support::assert_same_files(&written, &dumped);
    let country = SchemaSet::load(&dumped).unwrap().models["res.country"].clone();
    assert_eq!(
        country.fields["name"].default,
        Some(serde_json::Value::Null)
    );
}

/// The same server presenting itself as Odoo 19 and dumped over JSON-2 gives the same models:
/// JSON-2 carries what XML-RPC could not (product.pricelist's `null`), so no call falls back to
/// `/jsonrpc` and no XML-RPC fault is recorded; only the server version differs, and the
/// methods, read from `/doc-bearer` (which lists the ORM's methods beside the schemas' own).
#[test]
fn dumping_over_json2_gives_the_same_models() {
    let schemas = SchemaSet::load(support::checked_in_schemas()).expect("schemas/ loads");
    let out = tempfile::tempdir().unwrap();
    let dumped = out.path().join("schemas");
    // The demo seed: JSON-2's login reads the key's own res.users record.
    let config = Config::new(schemas.clone()).odoo_version(OdooVersion::V19);
    let stderr = dump_server(config, &dumped, &["--protocol", "json2"]);
    assert!(!stderr.contains("JSON-RPC"), "{stderr}");
    let mut dumped = SchemaSet::load(&dumped).unwrap();
    for (name, model) in &mut dumped.models {
        let methods = std::mem::take(&mut model.methods);
        let search_read = &methods["search_read"];
        assert!(
            search_read.model && search_read.source == MethodSource::DocBearer,
            "{name}"
        );
        for listed in schemas.models[name].methods.keys() {
            assert!(methods.contains_key(listed), "{name}.{listed}");
        }
    }

    let mut expected = schemas.models;
    for model in expected.values_mut() {
        model.fields_get_xmlrpc_fault = None;
        model.default_get_xmlrpc_fault = None;
        model.methods.clear();
    }
    let differing: Vec<&String> = expected
        .keys()
        .chain(dumped.models.keys())
        .filter(|name| expected.get(*name) != dumped.models.get(*name))
        .collect();
    assert!(differing.is_empty(), "these models differ: {differing:?}");
    assert_eq!(dumped.manifest.server.0["server_serie"], "19.0");
}

/// Methods survive the round trip through the dev server: form buttons as Odoo 17's
/// `get_views` describes them, and `/doc-bearer` methods (OpenSPP 2's `spp.cycle`, given here
/// to `g2p.cycle`) as Odoo 19 lists them, parameters, defaults, flags and docs included.
#[test]
fn methods_are_a_fixed_point_on_17_and_19() {
    let mut schemas = SchemaSet::load(support::checked_in_schemas()).expect("schemas/ loads");
    let mut approve = MethodSchema::form_button("Approve");
    approve.confirm = Some("Approve \"this\" cycle & its entitlements?".into());
    approve.groups = Some("g2p_registry_base.group_g2p_admin".into());
    let cycle = schemas.models.get_mut("g2p.cycle").unwrap();
    cycle.methods.insert("approve".into(), approve);
    cycle.methods.insert(
        "prepare_payment".into(),
        MethodSchema::form_button("Prepare Payments"),
    );
    let out = tempfile::tempdir().unwrap();
    let dumped = out.path().join("v17");
    dump_server(
        Config::new(schemas.clone()),
        &dumped,
        &["--models", "g2p.cycle"],
    );
    let dumped = SchemaSet::load(&dumped).unwrap();
    assert_eq!(dumped.models["g2p.cycle"].methods, cycle_methods(&schemas));

    let capture = test_captures::read("openspp2/doc-bearer/spp.cycle.json");
    let doc: serde_json::Value = serde_json::from_slice(&capture).unwrap();
    let listed: std::collections::BTreeMap<String, MethodSchema> = doc["methods"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, entry)| {
            (
                name.clone(),
                MethodSchema::from_doc_bearer(name, entry).unwrap(),
            )
        })
        .collect();
    schemas.models.get_mut("g2p.cycle").unwrap().methods = listed.clone();
    let dumped = out.path().join("v19");
    let config = Config::new(schemas).odoo_version(OdooVersion::V19);
    dump_server(
        config,
        &dumped,
        &["--models", "g2p.cycle", "--protocol", "json2"],
    );
    let dumped = SchemaSet::load(&dumped).unwrap();
    let methods = &dumped.models["g2p.cycle"].methods;
    assert_eq!(methods.len(), listed.len(), "the ORM's are among them");
    assert_eq!(*methods, listed);
}

fn cycle_methods(schemas: &SchemaSet) -> std::collections::BTreeMap<String, MethodSchema> {
    schemas.models["g2p.cycle"].methods.clone()
}
