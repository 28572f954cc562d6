//! Loading refuses malformed sets with an error naming the file and the JSON path.

use openspp_schema::{Error, Fault, FieldSchema, Manifest, ModelSchema, SchemaSet, ServerVersion};
use serde_json::json;
use std::fs;
use std::path::Path;

fn sample() -> SchemaSet {
    let mut version = ServerVersion::default();
    version.0.insert("server_version".into(), json!("17.0"));
    version.0.insert(
        "server_version_info".into(),
        json!([17, 0, 0, "final", 0, ""]),
    );
    let mut set = SchemaSet::new(Manifest::new(version));
    let mut partner = ModelSchema::new("res.partner", "Contact", "base");
    let mut name = FieldSchema::new(
        serde_json::from_value(json!({"type": "char", "string": "Name", "x_new_attr": [1, 2]}))
            .unwrap(),
    );
    name.modules = vec!["base".into()];
    name.default = Some(json!(false));
    partner.fields.insert("name".into(), name);
    set.insert(partner);
    set
}

fn saved(set: &SchemaSet) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("schemas");
    set.save(&dir).unwrap();
    (tmp, dir)
}

fn edit(path: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    f(&mut value);
    fs::write(path, serde_json::to_vec(&value).unwrap()).unwrap();
}

#[test]
fn save_then_load_is_identity_and_keeps_unknown_attributes() {
    let set = sample();
    let (_tmp, dir) = saved(&set);
    let loaded = SchemaSet::load(&dir).unwrap();
    assert_eq!(loaded, set);
    assert_eq!(
        loaded.models["res.partner"].fields["name"].attribute("x_new_attr"),
        Some(&json!([1, 2]))
    );
    assert_eq!(loaded.to_files(), set.to_files());
}

#[test]
fn unknown_format_version_is_refused() {
    let (_tmp, dir) = saved(&sample());
    let file = dir.join("models/res.partner.json");
    edit(&file, |v| v["format_version"] = json!(99));
    let error = SchemaSet::load(&dir).unwrap_err();
    assert!(
        matches!(&error, Error::FormatVersion { path, found, .. } if path == &file && found == &json!(99)),
        "{error}"
    );
    assert!(error.to_string().contains("res.partner.json"), "{error}");
}

#[test]
fn wrong_type_names_file_and_json_path() {
    let (_tmp, dir) = saved(&sample());
    let file = dir.join("models/res.partner.json");
    edit(&file, |v| v["fields"]["name"]["modules"] = json!("base"));
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(error.contains("res.partner.json"), "{error}");
    assert!(error.contains("fields.name.modules"), "{error}");
}

#[test]
fn bad_attribute_type_names_the_attribute() {
    let (_tmp, dir) = saved(&sample());
    let file = dir.join("models/res.partner.json");
    edit(&file, |v| {
        v["fields"]["name"]["attributes"]["required"] = json!("yes")
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(
        error.contains(".fields.name.attributes.required"),
        "{error}"
    );
}

#[test]
fn not_json_is_a_parse_error_naming_the_file() {
    let (_tmp, dir) = saved(&sample());
    fs::write(dir.join("manifest.json"), b"{\"format_version\": 1,").unwrap();
    let error = SchemaSet::load(&dir).unwrap_err();
    assert!(matches!(error, Error::Parse { .. }), "{error}");
    assert!(error.to_string().contains("manifest.json"), "{error}");
}

#[test]
fn manifest_and_model_files_must_agree() {
    let (_tmp, dir) = saved(&sample());
    edit(&dir.join("manifest.json"), |v| {
        v["models"]["res.users"] = json!("base");
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(error.contains("models/res.users.json"), "{error}");

    let (_tmp, dir) = saved(&sample());
    edit(&dir.join("models/res.partner.json"), |v| {
        v["addon"] = json!("mail")
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(
        error.contains(".addon") && error.contains("mail"),
        "{error}"
    );

    let (_tmp, dir) = saved(&sample());
    fs::write(dir.join("models/notes.txt"), b"hi").unwrap();
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(error.contains("notes.txt"), "{error}");
}

#[test]
fn unknown_keys_in_our_own_structures_are_errors() {
    let (_tmp, dir) = saved(&sample());
    edit(&dir.join("models/res.partner.json"), |v| {
        v["lable"] = json!("typo")
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(error.contains("lable"), "{error}");
}

#[test]
fn save_replaces_the_directory_and_drops_removed_models() {
    let mut set = sample();
    set.insert(ModelSchema::new("res.users", "User", "base"));
    let (_tmp, dir) = saved(&set);
    assert!(dir.join("models/res.users.json").exists());
    set.models.remove("res.users");
    set.manifest.models.remove("res.users");
    set.save(&dir).unwrap();
    assert!(!dir.join("models/res.users.json").exists());
    assert_eq!(SchemaSet::load(&dir).unwrap(), set);
    let siblings: Vec<_> = fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings, ["schemas"], "no staging directory left behind");

    // A save killed mid-write leaves its staging directory; the next save removes it.
    let stale = dir.parent().unwrap().join(".schemas.new-killed");
    fs::create_dir_all(stale.join("models")).unwrap();
    set.save(&dir).unwrap();
    assert!(!stale.exists());
}

#[test]
fn unsafe_model_names_are_refused_on_save() {
    let mut set = sample();
    set.insert(ModelSchema::new("../evil", "Evil", "base"));
    let tmp = tempfile::tempdir().unwrap();
    let error = set
        .save(tmp.path().join("schemas"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("not a valid model name"), "{error}");
}

#[test]
fn default_get_xmlrpc_fault_round_trips_and_is_absent_when_unset() {
    let (_tmp, dir) = saved(&sample());
    let text = fs::read_to_string(dir.join("models/res.partner.json")).unwrap();
    assert!(!text.contains("default_get_xmlrpc_fault"), "{text}");

    let mut set = sample();
    let partner = set.models.get_mut("res.partner").unwrap();
    partner.default_get_xmlrpc_fault = Some(Fault {
        code: 1,
        message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
    });
    partner.fields.get_mut("name").unwrap().default = Some(serde_json::Value::Null);
    let (_tmp, dir) = saved(&set);
    let loaded = SchemaSet::load(&dir).unwrap();
    assert_eq!(loaded, set);
    assert_eq!(
        loaded.models["res.partner"].fields["name"].default,
        Some(serde_json::Value::Null)
    );
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("models/res.partner.json")).unwrap()).unwrap();
    assert_eq!(file["default_get_xmlrpc_fault"]["code"], json!(1));
}

#[test]
fn defaults_cannot_be_both_read_and_unknown() {
    let (_tmp, dir) = saved(&sample());
    edit(&dir.join("models/res.partner.json"), |v| {
        v["default_get_fault"] = json!({"code": 1, "message": "TypeError: cannot marshal None"});
        v["default_get_xmlrpc_fault"] =
            json!({"code": 1, "message": "TypeError: cannot marshal None"});
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(
        error.contains("res.partner.json") && error.contains(".default_get_xmlrpc_fault"),
        "{error}"
    );
}

#[test]
fn a_default_cannot_be_both_recorded_and_varying() {
    let (_tmp, dir) = saved(&sample());
    edit(&dir.join("models/res.partner.json"), |v| {
        v["fields"]["name"]["default"] = json!("PROG_2026_00000003");
        v["fields"]["name"]["default_varies"] = json!(true);
    });
    let error = SchemaSet::load(&dir).unwrap_err().to_string();
    assert!(
        error.contains("res.partner.json") && error.contains(".fields.name.default"),
        "{error}"
    );
}
