//! `cargo xtask codegen [--check]` on a copy of the generated crate: `--check` names every
//! stale file and fails without writing; a plain run repairs the crate and deletes what is no
//! longer generated.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy");
    for entry in fs::read_dir(from).expect("read the crate") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

fn codegen(out: &Path, check: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("codegen").arg("--out").arg(out);
    if check {
        command.arg("--check");
    }
    command.output().expect("xtask runs")
}

#[test]
fn check_names_stale_files_and_a_run_repairs_them() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().join("openspp-models");
    let generated = workspace().join("crates/openspp-models");
    fs::create_dir_all(&out).expect("create the crate dir");
    fs::copy(generated.join("Cargo.toml"), out.join("Cargo.toml")).expect("copy Cargo.toml");
    copy_dir(&generated.join("src"), &out.join("src"));

    let fresh = codegen(&out, true);
    assert!(
        fresh.status.success(),
        "a fresh copy passes --check: {fresh:?}"
    );

    let edited = out.join("src/models/res_partner.rs");
    fs::write(&edited, "// edited by hand\n").expect("edit a file");
    fs::remove_file(out.join("src/models/res_country.rs")).expect("remove a file");
    fs::write(out.join("src/models/gone_model.rs"), "").expect("add a stale file");

    let stale = codegen(&out, true);
    assert!(!stale.status.success(), "--check fails on a stale crate");
    let stderr = String::from_utf8_lossy(&stale.stderr);
    for (file, why) in [
        ("res_partner.rs", "changed"),
        ("res_country.rs", "missing"),
        ("gone_model.rs", "no longer generated"),
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(file) && l.contains(why)),
            "--check names {file} as {why}:\n{stderr}"
        );
    }
    assert_eq!(
        fs::read_to_string(&edited).expect("still there"),
        "// edited by hand\n",
        "--check writes nothing"
    );

    let repair = codegen(&out, false);
    assert!(repair.status.success(), "codegen runs: {repair:?}");
    let stdout = String::from_utf8_lossy(&repair.stdout);
    assert!(
        stdout.contains("changed: ") && stdout.contains("res_partner.rs"),
        "a run names what it changed:\n{stdout}"
    );
    assert!(
        !stdout.contains("res_country.rs") && stdout.contains(" 1 new, 2 changed or removed"),
        "a run counts new files without listing them:\n{stdout}"
    );
    assert!(!out.join("src/models/gone_model.rs").exists());
    assert_eq!(
        fs::read(&edited).expect("regenerated"),
        fs::read(generated.join("src/models/res_partner.rs")).expect("the checked-in file")
    );
    assert!(
        codegen(&out, true).status.success(),
        "the repaired copy is fresh"
    );
}

/// Generates `schemas` into `out` with `extra` arguments and returns the `Cargo.toml`.
fn generate(schemas: &Path, out: &Path, extra: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--schemas"])
        .arg(schemas)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("xtask runs");
    assert!(output.status.success(), "{output:?}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(!manifest.contains("workspace"), "{manifest}");
    assert!(!manifest.contains("\"/"), "no absolute path:\n{manifest}");
    manifest
}

/// `cargo check --offline` of a generated crate against this workspace's lockfile, with
/// `openspp-client` patched to this checkout when `patch` (on the command line: the crate's
/// `Cargo.toml` stays as generated).
fn check_offline(out: &Path, features: &[&str], patch: bool) {
    fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy the lockfile");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(features);
    if patch {
        let client = workspace().join("crates/client");
        let client = client
            .to_str()
            .expect("a UTF-8 checkout")
            .replace('\\', "/");
        cargo.arg("--config").arg(format!(
            "patch.crates-io.openspp-client.path = \"{client}\""
        ));
    }
    // One directory under the target directory for every generated crate, not the
    // workspace's own (cargo test holds its lock): openspp-client's build is shared.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone");
    let check = cargo
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        check.status.success(),
        "{} does not build:\n{}",
        out.display(),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// `--schemas X --out Y` writes a crate that builds on its own, outside any workspace:
/// `openspp-client` by version (built against this checkout by a `[patch]`), or by a path
/// relative to the crate; by git, the repository.
#[test]
fn a_crate_from_other_schemas_builds_on_its_own() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let mut set = openspp_schema::SchemaSet::load(workspace().join("schemas")).expect("schemas/");
    let keep = ["res.partner", "res.users", "res.country", "res.company"];
    set.models.retain(|name, _| keep.contains(&name.as_str()));
    set.manifest
        .models
        .retain(|name, _| keep.contains(&name.as_str()));
    let schemas = tmp.path().join("schemas");
    set.save(&schemas).expect("save the subset");
    let version = env!("CARGO_PKG_VERSION");

    let out = tmp.path().join("my-models");
    let manifest = generate(&schemas, &out, &[]);
    assert!(manifest.contains("name = \"my-models\""), "{manifest}");
    assert!(
        manifest.contains(&format!("openspp-client = \"{version}\"\n")),
        "{manifest}"
    );
    // Its dependencies are ours (and chrono): no name another project could own on crates.io.
    let dependencies: Vec<&str> = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table")
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim()))
        .collect();
    assert_eq!(dependencies, ["chrono", "openspp-client"], "{manifest}");
    let lib = fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(!lib.contains("README"), "{lib}");
    assert!(!out.join("README.md").exists());
    check_offline(&out, &["--all-features"], true);

    let local = tmp.path().join("nested/local-models");
    let manifest = generate(&schemas, &local, &["--client-dep", "path"]);
    let line = manifest
        .lines()
        .find(|l| l.starts_with("openspp-client = "))
        .expect("the openspp-client line");
    assert!(
        line.starts_with(&format!(
            "openspp-client = {{ version = \"{version}\", path = \"../"
        )),
        "{line}"
    );
    check_offline(&local, &[], false);

    let manifest = generate(
        &schemas,
        &tmp.path().join("git-models"),
        &["--client-dep", "git"],
    );
    assert!(
        manifest.contains(&format!(
            "openspp-client = {{ git = \"https://github.com/openspp-rs/openspp-rs\", version = \"{version}\" }}"
        )),
        "{manifest}"
    );
}

/// The Odoo 19 live dump (`../shared/odoo19/live-dump/`) with the methods of the real 19's
/// `/doc-bearer` answers (`../shared/odoo19/doc-bearer/`), as `cargo xtask dump` records them.
fn odoo19_dump_with_methods(dir: &Path) -> openspp_schema::SchemaSet {
    let shared = test_captures::path("odoo19");
    let mut set =
        openspp_schema::SchemaSet::load(shared.join("live-dump")).expect("the odoo19 dump");
    for entry in fs::read_dir(shared.join("doc-bearer")).expect("the doc-bearer captures") {
        let path = entry.expect("a directory entry").path();
        let doc: serde_json::Value =
            serde_json::from_slice(&fs::read(&path).expect("a capture")).expect("JSON");
        let model = doc["model"].as_str().expect("the model's name");
        let schema = set.models.get_mut(model).expect("a dumped model");
        for (name, entry) in doc["methods"].as_object().expect("methods") {
            let method = openspp_schema::MethodSchema::from_doc_bearer(name, entry)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            schema.methods.insert(name.clone(), method);
        }
    }
    set.save(dir).expect("save the dump with methods");
    set
}

/// Each case of `tests/compile_fail/` as an example of the generated crate `out`: it must not
/// build, and rustc must say what its `//~` lines say (the mistake, in rustc's words).
fn check_compile_fail(out: &Path) {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile_fail");
    let examples = out.join("examples");
    fs::create_dir_all(&examples).expect("examples/");
    let mut names = Vec::new();
    for entry in fs::read_dir(&cases).expect("the compile-fail cases") {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        fs::copy(&path, examples.join(format!("{name}.rs"))).expect("copy a case");
        names.push((name, fs::read_to_string(&path).expect("a case")));
    }
    names.sort();
    assert!(names.len() >= 3, "{names:?}");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone");
    let client = workspace().join("crates/client");
    let client = client
        .to_str()
        .expect("a UTF-8 checkout")
        .replace('\\', "/");
    for (name, source) in names {
        let check = Command::new(env!("CARGO"))
            .args([
                "check",
                "--offline",
                "--message-format",
                "human",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml"))
            .args(["--example", &name])
            .arg("--config")
            .arg(format!(
                "patch.crates-io.openspp-client.path = \"{client}\""
            ))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert!(!check.status.success(), "{name} builds:\n{stderr}");
        for expected in source.lines().filter_map(|l| l.strip_prefix("//~ ")) {
            assert!(
                stderr.contains(expected),
                "{name}: rustc does not say `{expected}`:\n{stderr}"
            );
        }
    }
}

/// A crate generated from the Odoo 19 live dump and the real 19's methods builds the same
/// way: by default with every addon of the dump (a newcomer's field compiles without naming
/// its addon), and with only the product addons, against this checkout's `openspp-client` by
/// a `[patch]`. Its typed methods refuse, at compile time, ids for an `@api.model` method, no
/// ids for a method on records, and an argument of the wrong type (`tests/compile_fail/`).
#[test]
fn a_crate_from_the_odoo19_dump_builds() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let out = tmp.path().join("odoo19-models");
    let schemas = tmp.path().join("schemas");
    let set = odoo19_dump_with_methods(&schemas);
    let manifest = generate(&schemas, &out, &[]);
    let every_addon = format!(
        "default = [{}]",
        set.manifest
            .addons
            .keys()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(manifest.contains(&every_addon), "{manifest}");
    check_offline(&out, &[], true);
    let template =
        fs::read_to_string(out.join("src/models/product_template.rs")).expect("product.template");
    assert!(
        template.contains("pub fn create(name: impl WriteValue<String>) -> Values<Self>"),
        "ProductTemplate::create takes the name only"
    );
    let partner = fs::read_to_string(out.join("src/models/res_partner.rs")).expect("res.partner");
    assert!(
        partner.contains("fn name_create(&self, name: &str) -> Self::Call<Value>"),
        "name_create is an @api.model method taking the name"
    );
    check_offline(
        &out,
        &["--no-default-features", "--features", "product"],
        true,
    );
    check_compile_fail(&out);
}
