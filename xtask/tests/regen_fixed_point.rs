//! The fixed point `cargo xtask regen` relies on: the dev server serving `schemas/`, dumped
//! with `xtask dump`, gives back `schemas/` byte for byte.

use odoo_devserver::{BackgroundServer, Config, DEMO_API_KEY, Seed};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn dumping_the_dev_server_reproduces_the_schemas() {
    let schemas_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let schemas = odoo_schema::SchemaSet::load(&schemas_dir).expect("schemas/ loads");
    let server = BackgroundServer::start(
        Config::new(schemas).seed(Seed::Empty),
        ([127, 0, 0, 1], 0).into(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let dumped = out.path().join("schemas");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
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
        .arg(&dumped)
        .env("REGEN_TEST_KEY", DEMO_API_KEY)
        .status()
        .unwrap();
    assert!(status.success());
    let (expected, got) = (files(&schemas_dir), files(&dumped));
    let differing: Vec<_> = expected
        .keys()
        .chain(got.keys())
        .filter(|path| expected.get(*path) != got.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "not a fixed point, these differ: {differing:?}"
    );
    assert_eq!(expected.len(), got.len());
}
