//! `cargo xtask dump` against a loopback replay of the real server captures.

mod support;

use openspp_schema::{FieldSchema, SchemaSet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use support::replay::{self, Options, Replay};

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// One dump of the whole replay, shared by the tests that read it: its output directory, stdout
/// and stderr.
fn replay_dump() -> &'static (tempfile::TempDir, String, String) {
    static DUMP: OnceLock<(tempfile::TempDir, String, String)> = OnceLock::new();
    DUMP.get_or_init(|| {
        let server = Replay::start(Options::default());
        let tmp = tempfile::tempdir().unwrap();
        let output = support::dump(&server, &tmp.path().join("schemas"), &[]);
        let (stdout, stderr) = support::text(&output);
        assert!(output.status.success(), "{stderr}");
        (tmp, stdout, stderr)
    })
}

fn replay_schemas() -> std::path::PathBuf {
    replay_dump().0.path().join("schemas")
}

#[test]
fn the_replay_dump_reports_what_it_read() {
    let (_, stdout, _) = replay_dump();
    assert!(
        stdout.contains("dumped 573 models, 10050 fields"),
        "{stdout}"
    );
    assert!(
        stdout.contains("field types (21): binary 183, boolean 1252,"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "read over JSON-RPC: product.pricelist (XML-RPC fault 1: TypeError: cannot marshal None unless allow_none is enabled)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("default_get faulted on 21 models"),
        "{stdout}"
    );
}

/// The captures and the live dump (`schemas/`) come from two servers of the same build: the
/// dump of the captures gives `schemas/` byte for byte once the few things the captures could
/// not hold are taken from `schemas/`. Each is checked to be
/// only that before it is taken. Selections are not among them: the two servers sent equal
/// labels in different orders, and the dump's key order makes them agree.
#[test]
fn the_replay_dump_is_the_live_dump_but_for_what_the_captures_lack() {
    let live = SchemaSet::load(support::checked_in_schemas()).unwrap();
    let mut replayed = SchemaSet::load(replay_schemas()).unwrap();

    let raw_capture = read_json(&replay::captures().join("fields_get/ir.filters.json"));
    let raw_live = read_json(&replay::captures().join("live-dump/models/ir.filters.json"));
    assert_ne!(
        raw_capture["model_id"]["selection"],
        raw_live["fields"]["model_id"]["attributes"]["selection"],
        "the two servers ordered equal labels differently"
    );

    // ir_module_module.json holds no dependencies, and `shortdesc` where `summary` belongs.
    assert_eq!(
        replayed.manifest.addons.keys().collect::<Vec<_>>(),
        live.manifest.addons.keys().collect::<Vec<_>>()
    );
    for (name, addon) in &mut replayed.manifest.addons {
        assert!(addon.depends.is_empty(), "{name}");
        addon
            .depends
            .clone_from(&live.manifest.addons[name].depends);
        addon
            .summary
            .clone_from(&live.manifest.addons[name].summary);
    }

    let (mut repeated, mut renumbered) = (Vec::new(), Vec::new());
    for (name, model) in &mut replayed.models {
        let want = &live.models[name];
        // The captures hold the form views of six models; the rest answer a bare form.
        if replay::captures()
            .join(format!("views/{name}.form.json"))
            .exists()
        {
            assert!(!model.methods.is_empty(), "{name}");
            if !want.methods.is_empty() {
                assert_eq!(model.methods, want.methods, "{name}");
            }
        } else {
            assert!(model.methods.is_empty(), "{name}");
        }
        model.methods.clone_from(&want.methods);
        if want.default_get_xmlrpc_fault.is_some() {
            // The captures hold no JSON-RPC default_get: the replay faults as XML-RPC did.
            assert!(model.default_get_fault.is_some(), "{name}");
            model.default_get_fault = None;
            model
                .default_get_xmlrpc_fault
                .clone_from(&want.default_get_xmlrpc_fault);
            for (field, schema) in &mut model.fields {
                schema.default.clone_from(&want.fields[field].default);
                schema.default_varies = want.fields[field].default_varies;
            }
            continue;
        }
        if let (Some(got), Some(want)) = (&mut model.default_get_fault, &want.default_get_fault) {
            // default_get_errors.json keeps one line of each traceback.
            assert_eq!(got.code, want.code, "{name}");
            got.message.clone_from(&want.message);
        }
        for (field, schema) in &mut model.fields {
            let want = &want.fields[field];
            if want.default_varies && !schema.default_varies {
                // The replay answers one capture again and again, so a default the live
                // server drew afresh on each call is one value here: a colour, a token, a
                // sequence number (dates and UUIDs are known to be drawn by their shape).
                let kind = schema.field_type();
                assert!(matches!(kind, "char" | "integer"), "{name}.{field}: {kind}");
                assert!(schema.default.take().is_some(), "{name}.{field}");
                schema.default_varies = true;
                repeated.push(format!("{name}.{field}"));
            }
            if schema.default != want.default {
                // A database id that the two servers' databases numbered differently.
                assert_eq!(schema.field_type(), "many2one", "{name}.{field}");
                schema.default.clone_from(&want.default);
                renumbered.push(format!("{name}.{field}"));
            }
        }
    }
    assert_eq!(repeated.len(), 19, "{repeated:?}");
    assert_eq!(renumbered, ["res.users.role.group_category_id"]);

    let tmp = tempfile::tempdir().unwrap();
    replayed.save(tmp.path()).unwrap();
    support::assert_same_files(&support::checked_in_schemas(), tmp.path());
}

/// The dump keeps everything the captures hold, value for value.
#[test]
fn the_replay_dump_holds_everything_the_server_said() {
    let set = SchemaSet::load(replay_schemas()).unwrap();
    let captures = replay::captures();
    assert_eq!(set.models.len(), 573);
    assert!(set.manifest.skipped_models.is_empty());
    assert_eq!(
        serde_json::to_value(&set.manifest.server.0).unwrap(),
        read_json(&captures.join("version.json"))
    );

    let defining = read_json(&captures.join("model_defining_module.json"));
    let defaults = read_json(&captures.join("default_get.json"));
    let default_errors = read_json(&captures.join("default_get_errors.json"));
    for row in read_json(&captures.join("ir_model.json"))
        .as_array()
        .unwrap()
    {
        let name = row["model"].as_str().unwrap();
        let model = &set.models[name];
        assert_eq!(model.label, row["name"].as_str().unwrap());
        assert_eq!(model.transient, row["transient"].as_bool().unwrap());
        assert_eq!(model.modules.join(", "), row["modules"].as_str().unwrap());
        assert_eq!(model.info, row["info"].as_str().unwrap());
        assert_eq!(model.addon, defining[name].as_str().unwrap(), "{name}");

        let fields_get = read_json(&captures.join(format!("fields_get/{name}.json")));
        let attributes: BTreeMap<&String, _> = model
            .fields
            .iter()
            .map(|(k, f)| (k, f.attributes.clone()))
            .collect();
        // Verbatim, but for choices with equal labels, which the dump puts in key order.
        let expected: BTreeMap<&String, _> = fields_get
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let mut field = FieldSchema::new(serde_json::from_value(v.clone()).unwrap());
                field.order_equal_labels_by_key();
                (k, field.attributes)
            })
            .collect();
        assert_eq!(attributes, expected, "{name}");

        match default_errors.get(name) {
            Some(_) => assert!(model.default_get_fault.is_some(), "{name}"),
            None => {
                let got: BTreeMap<&str, &Value> = model.defaults();
                let (drawn, want): (BTreeMap<&str, &Value>, BTreeMap<&str, &Value>) = defaults
                    [name]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v))
                    .partition(|(k, _)| model.fields.get(*k).is_some_and(|f| f.default_varies));
                assert_eq!(got, want, "{name}");
                // Drawn afresh, known by its shape: the replay repeats one answer.
                for (field, value) in drawn {
                    let kind = model.fields[field].field_type();
                    let uuid = value.as_str().is_some_and(|v| v.len() == 36);
                    assert!(
                        matches!(kind, "date" | "datetime") || uuid,
                        "{name}.{field}: {kind} {value}"
                    );
                }
            }
        }
    }
    let partner = &set.models["res.partner"];
    assert_eq!(partner.fields["name"].field_type(), "char");
    assert!(partner.fields["name"].modules.contains(&"base".to_owned()));
    let fault = set.models["account.payment.register"]
        .default_get_fault
        .as_ref()
        .unwrap();
    assert_eq!(fault.code, 2);
    assert_eq!(
        fault.message,
        "The register payment wizard should only be called on account.move or account.move.line records."
    );

    // Every ir.model.fields row is somewhere: on a field, or among the hidden fields.
    let mut rows = 0;
    for row in read_json(&captures.join("ir_model_fields.json"))
        .as_array()
        .unwrap()
    {
        let model = &set.models[row["model"].as_str().unwrap()];
        let name = row["name"].as_str().unwrap();
        let (modules, columns) = match (model.fields.get(name), model.hidden_fields.get(name)) {
            (Some(f), _) => (&f.modules, &f.ir_model_fields),
            (None, Some(h)) => (&h.modules, &h.ir_model_fields),
            (None, None) => panic!("{}.{name} lost", model.model),
        };
        assert_eq!(modules.join(", "), row["modules"].as_str().unwrap());
        assert_eq!(columns["ttype"], row["ttype"]);
        assert_eq!(columns["on_delete"], row["on_delete"]);
        rows += 1;
    }
    assert_eq!(rows, 9981);
    assert!(
        set.models["res.users"]
            .hidden_fields
            .contains_key("totp_secret")
    );

    let pricelist = &set.models["product.pricelist"];
    assert_eq!(
        pricelist.fields_get_xmlrpc_fault.as_ref().unwrap().message,
        "TypeError: cannot marshal None unless allow_none is enabled"
    );
    assert_eq!(
        pricelist.fields["item_ids"].attribute("domain").unwrap()[2][2],
        Value::Null
    );

    let addons = read_json(&captures.join("ir_module_module.json"));
    assert_eq!(set.manifest.addons.len(), addons.as_array().unwrap().len());
    for row in addons.as_array().unwrap() {
        let addon = &set.manifest.addons[row["name"].as_str().unwrap()];
        assert_eq!(addon.version.as_deref(), row["version"].as_str());
        assert_eq!(addon.summary.as_deref(), row["summary"].as_str());
        assert_eq!(addon.category.as_deref(), row["category"].as_str());
        assert_eq!(addon.application, row["application"].as_bool().unwrap());
    }
}

#[test]
fn a_model_xmlrpc_cannot_carry_is_skipped_or_fails_the_strict_run() {
    let server = Replay::start(Options {
        no_jsonrpc: true,
        ..Options::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(&server, &out, &["--models", "product.*"]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains(
            "skipped product.pricelist: fault 1: TypeError: cannot marshal None unless allow_none is enabled"
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("warning: skipping product.pricelist"),
        "{stderr}"
    );
    assert!(stderr.contains("the JSON-RPC retry failed too"), "{stderr}");
    let set = SchemaSet::load(&out).unwrap();
    assert!(
        set.manifest
            .skipped_models
            .contains_key("product.pricelist")
    );
    assert!(!set.models.contains_key("product.pricelist"));
    assert!(set.models.contains_key("product.product"));

    let before = support::files(&out);
    let output = support::dump(&server, &out, &["--strict"]);
    let (_, stderr) = support::text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("product.pricelist") && stderr.contains("--strict"),
        "{stderr}"
    );
    assert_eq!(
        support::files(&out),
        before,
        "a failed run leaves the output as it was"
    );
}

#[test]
fn filters_select_models_by_glob_and_addon() {
    let server = Replay::start(Options::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(
        &server,
        &out,
        &[
            "--models",
            "res.partner*,res.users*",
            "--exclude",
            "res.users.*",
        ],
    );
    assert!(output.status.success(), "{}", support::text(&output).1);
    let set = SchemaSet::load(&out).unwrap();
    let names: Vec<&str> = set.models.keys().map(String::as_str).collect();
    assert!(
        names.contains(&"res.partner") && names.contains(&"res.users"),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("res.partner") || *n == "res.users"),
        "{names:?}"
    );
    // ir.model.fields was asked for the selected models only.
    let fields_rows = set.models["res.partner"].fields["name"].modules.clone();
    assert!(!fields_rows.is_empty());
    let calls = server.log();
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "ir.model.fields.search_read")
            .count(),
        1
    );
    assert_eq!(
        calls.iter().filter(|c| c.ends_with(".fields_get")).count(),
        names.len()
    );

    let output = support::dump(&server, &out, &["--addons", "spp_area,g2p_bank"]);
    assert!(output.status.success(), "{}", support::text(&output).1);
    let set = SchemaSet::load(&out).unwrap();
    assert!(!set.models.is_empty());
    assert!(
        set.models
            .values()
            .all(|m| m.addon == "spp_area" || m.addon == "g2p_bank")
    );
    assert!(set.models.contains_key("spp.area"));
    assert!(
        !out.join("models/res.partner.json").exists(),
        "stale files go away"
    );

    let before = support::files(&out);
    let output = support::dump(&server, &out, &["--models", "no.such.model*"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(support::text(&output).1.contains("no model matches"));
    assert_eq!(
        support::files(&out),
        before,
        "an empty selection never wipes the output"
    );

    let output = support::dump(&server, &out, &["--addons", "no_such_addon"]);
    let (_, stderr) = support::text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("no_such_addon"), "{stderr}");
}

#[test]
fn a_fault_mid_run_skips_that_model_or_stops_the_run() {
    let traceback =
        "Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'boom'\n";
    let server = Replay::start(Options::fault("res.country", "fields_get", 1, traceback));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(&server, &out, &["--models", "res.c*"]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("skipped res.country: fault 1: KeyError: 'boom'"),
        "{stdout}"
    );
    assert!(
        SchemaSet::load(&out)
            .unwrap()
            .models
            .contains_key("res.currency")
    );

    let server = Replay::start(Options::fault(
        "ir.model.fields",
        "search_read",
        4,
        "AccessError: no",
    ));
    let before = support::files(&out);
    let output = support::dump(&server, &out, &[]);
    let (_, stderr) = support::text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ir.model.fields search_read failed"),
        "{stderr}"
    );
    assert!(stderr.contains("fault 4: AccessError: no"), "{stderr}");
    assert_eq!(support::files(&out), before);
}

#[test]
fn bad_credentials_are_a_clear_error() {
    let server = Replay::start(Options::default());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump_command(&server, &out, &[])
        .env("ODOO_API_KEY", "wrong-key-123")
        .output()
        .unwrap();
    let (stdout, stderr) = support::text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("authentication refused: user `admin` on database `openspp`"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-key-123") && !stdout.contains("wrong-key-123"));
    assert!(!out.exists());

    let output =
        support::dump_command(&server, &out, &["--password-env", "XTASK_TEST_NO_SUCH_VAR"])
            .output()
            .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(support::text(&output).1.contains("XTASK_TEST_NO_SUCH_VAR"));
}

#[test]
fn an_interrupted_dump_leaves_the_old_schemas_intact() {
    let server = Replay::start(Options {
        delay: std::time::Duration::from_millis(20),
        ..Options::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(&server, &out, &["--models", "res.country*"]);
    assert!(output.status.success());
    let before = support::files(&out);

    let mut child = support::spawn_dump(&server, &out, &["--concurrency", "2"]);
    let start = server.calls();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while server.calls() < start + 40 {
        assert!(
            std::time::Instant::now() < deadline,
            "the dump made no progress"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(support::files(&out), before);
    assert!(SchemaSet::load(&out).is_ok());
}

/// res.partner's `default_get` on the real server faults over XML-RPC while marshalling a
/// `None` default; over JSON-RPC the same call answers.
#[test]
fn defaults_xmlrpc_cannot_carry_are_read_over_jsonrpc() {
    let server = Replay::start(Options {
        unmarshallable_defaults: vec![(
            "res.country".into(),
            serde_json::json!({"name": null, "phone_code": 0, "zip_required": true}),
        )],
        ..Options::default()
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(&server, &out, &["--models", "res.country*"]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "default_get on res.country faulted over XML-RPC (TypeError: cannot marshal None unless allow_none is enabled); read it over JSON-RPC"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains(
            "defaults read over JSON-RPC: res.country (XML-RPC fault 1: TypeError: cannot marshal None unless allow_none is enabled)"
        ),
        "{stdout}"
    );
    assert!(
        server
            .log()
            .contains(&"jsonrpc res.country.default_get".to_owned()),
        "{:?}",
        server.log()
    );

    let set = SchemaSet::load(&out).unwrap();
    let country = &set.models["res.country"];
    assert_eq!(country.default_get_fault, None);
    let fault = country.default_get_xmlrpc_fault.as_ref().unwrap();
    assert_eq!(
        (fault.code, fault.message.as_str()),
        (
            1,
            "TypeError: cannot marshal None unless allow_none is enabled"
        )
    );
    let defaults = country.defaults();
    assert_eq!(defaults.len(), 3, "{defaults:?}");
    assert_eq!(defaults["name"], &Value::Null, "the null is kept");
    assert_eq!(defaults["phone_code"], &serde_json::json!(0));
    assert_eq!(defaults["zip_required"], &Value::Bool(true));
    // The other models answered over XML-RPC as before.
    let state = &set.models["res.country.state"];
    assert_eq!(state.default_get_xmlrpc_fault, None);
    assert_eq!(state.default_get_fault, None);
}

#[test]
fn defaults_neither_transport_carries_stay_unknown_and_the_warning_says_why() {
    let traceback = "Traceback (most recent call last):\n  File \"/opt/odoo/odoo/addons/base/controllers/rpc.py\", line 128, in _xmlrpc\nTypeError: cannot marshal <class 'odoo.api.Environment'> objects\n";
    let server = Replay::start(Options::fault("res.country", "default_get", 1, traceback));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let output = support::dump(&server, &out, &["--models", "res.country*"]);
    let (stdout, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "default_get on res.country faulted: fault 1: TypeError: cannot marshal <class 'odoo.api.Environment'> objects (the JSON-RPC retry failed too: fault 1: TypeError: cannot marshal <class 'odoo.api.Environment'> objects); its fields have no server default"
        ),
        "{stderr}"
    );
    assert!(!stdout.contains("defaults read over JSON-RPC"), "{stdout}");
    assert!(
        stdout.contains("default_get faulted on 1 models"),
        "{stdout}"
    );
    let set = SchemaSet::load(&out).unwrap();
    let country = &set.models["res.country"];
    assert_eq!(country.default_get_xmlrpc_fault, None);
    assert_eq!(
        country.default_get_fault.as_ref().unwrap().message,
        "TypeError: cannot marshal <class 'odoo.api.Environment'> objects"
    );
    assert!(country.defaults().is_empty());

    // With the fallback off, no retry is made and nothing is said per model.
    let output = support::dump(
        &server,
        &out,
        &["--models", "res.country*", "--no-jsonrpc-fallback"],
    );
    let (_, stderr) = support::text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("default_get on res.country"), "{stderr}");
    assert_eq!(
        server
            .log()
            .iter()
            .filter(|c| *c == "jsonrpc res.country.default_get")
            .count(),
        1,
        "only the first run retried"
    );
    let set = SchemaSet::load(&out).unwrap();
    assert!(set.models["res.country"].default_get_fault.is_some());
}

/// The dump over `/jsonrpc` (an API key, `auto` on Odoo 17) and over the web session (a
/// password, `auto`) writes the XML-RPC dump's files byte for byte: answers holding a `null`
/// are asked once more over XML-RPC and its fault recorded as the XML-RPC dump records it.
#[test]
fn json_paths_dump_what_xmlrpc_dumps() {
    let server = Replay::start(Options::default());
    let xmlrpc = support::files(&replay_schemas());
    let tmp = tempfile::tempdir().unwrap();

    let out = tmp.path().join("jsonrpc");
    let output = support::dump(&server, &out, &["--protocol", "auto"]);
    assert!(output.status.success(), "{}", support::text(&output).1);
    let log = server.log();
    assert!(
        log.iter().any(|c| c == "jsonrpc common.authenticate"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|c| c == "jsonrpc ir.model.fields.search_read"),
        "{log:?}"
    );
    assert_same_files(&xmlrpc, &support::files(&out));

    let out = tmp.path().join("web");
    let output = support::dump_command(&server, &out, &["--protocol", "auto"])
        .env_remove("ODOO_API_KEY")
        .env("ODOO_PASSWORD", replay::PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", support::text(&output).1);
    let log = server.log();
    assert!(
        log.iter().any(|c| c == "web.session/authenticate"),
        "{log:?}"
    );
    assert!(
        log.iter().any(|c| c == "web res.partner.fields_get"),
        "{log:?}"
    );
    assert_same_files(&xmlrpc, &support::files(&out));
}

fn assert_same_files(
    expected: &BTreeMap<std::path::PathBuf, Vec<u8>>,
    got: &BTreeMap<std::path::PathBuf, Vec<u8>>,
) {
    let names = |m: &BTreeMap<std::path::PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(expected), names(got));
    let differing: Vec<_> = expected
        .iter()
        .filter(|(path, bytes)| got[*path] != **bytes)
        .map(|(path, _)| path.clone())
        .collect();
    assert!(
        differing.is_empty(),
        "{} differ: {differing:?}",
        differing.len()
    );
}

/// `dump --url` without `--out` refuses before reading anything: it used to replace the
/// checked-in `schemas/` with another server's set.
#[test]
fn a_dump_without_out_refuses_and_writes_nothing() {
    let before = support::files(&support::checked_in_schemas());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "dump",
            "--url",
            "http://127.0.0.1:9",
            "--db",
            "x",
            "--user",
            "admin",
        ])
        .env("ODOO_API_KEY", "unused")
        .env_remove("ODOO_URL")
        .output()
        .expect("xtask runs");
    let (_, stderr) = support::text(&output);
    assert!(!output.status.success());
    assert!(stderr.contains("--out"), "{stderr}");
    assert_eq!(support::files(&support::checked_in_schemas()), before);
}
