//! Shared by the dump tests and the dump benchmark: the replay server and a way to run
//! `cargo xtask dump` against it.
#![allow(dead_code)] // each test binary uses a different part

pub mod replay;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The repository's checked-in `schemas/`.
pub fn checked_in_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// `xtask dump` against `replay`, writing to `out`, with `extra` arguments.
pub fn dump_command(replay: &replay::Replay, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .arg("dump")
        .args([
            "--url",
            &replay.url,
            "--db",
            replay::DB,
            "--user",
            replay::LOGIN,
        ])
        .arg("--out")
        .arg(out);
    // The tests describe the XML-RPC dump unless they name a protocol.
    if !extra.contains(&"--protocol") {
        command.args(["--protocol", "xmlrpc"]);
    }
    command
        .args(extra)
        .env_remove("ODOO_URL")
        .env_remove("ODOO_DB")
        .env_remove("ODOO_USER")
        .env_remove("ODOO_PASSWORD")
        .env("ODOO_API_KEY", replay::API_KEY);
    command
}

/// Runs the dump to completion.
pub fn dump(replay: &replay::Replay, out: &Path, extra: &[&str]) -> Output {
    dump_command(replay, out, extra)
        .output()
        .expect("xtask runs")
}

/// Starts the dump without waiting for it.
pub fn spawn_dump(replay: &replay::Replay, out: &Path, extra: &[&str]) -> Child {
    dump_command(replay, out, extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xtask starts")
}

/// Every file under `dir`, by relative path.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_owned(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// stdout and stderr as text.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The relative paths whose bytes differ between `a` and `b`, or that only one of them has.
pub fn differing_files(a: &Path, b: &Path) -> Vec<PathBuf> {
    let (a, b) = (files(a), files(b));
    let paths: std::collections::BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    paths
        .into_iter()
        .filter(|path| a.get(*path) != b.get(*path))
        .cloned()
        .collect()
}

/// Every file under `expected` has the same bytes under `got`, and `got` has no other file.
pub fn assert_same_files(expected: &Path, got: &Path) {
    let differing = differing_files(expected, got);
    assert!(
        differing.is_empty(),
        "{} and {} differ in {} files: {differing:?}",
        expected.display(),
        got.display(),
        differing.len()
    );
}
