//! Every vector of ../shared/xmlrpc-conformance, judged by the level rules of its README,
//! through the library, through the `xmlrpc-json` binary, and through the encoder.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use openspp_xmlrpc::{DecodeOptions, parse_document};

/// Optional vectors may be rejected; every other vector with `expect` must decode to it.
fn may_reject(level: &str) -> bool {
    level == "optional"
}

#[test]
fn library_decodes_every_vector_by_its_level() {
    let mut failures = Vec::new();
    for v in common::vectors() {
        let got = parse_document(&v.bytes, &DecodeOptions::default());
        match (&v.expect, got) {
            (None, Ok(doc)) => failures.push(format!(
                "{} ({}): accepted {doc:?}, must reject",
                v.name, v.level
            )),
            (None, Err(_)) => {}
            (Some(expect), Ok(doc)) => {
                let want = common::document(expect);
                if want.as_ref() != Some(&doc) {
                    failures.push(format!("{}: got {doc:?}, expected {expect}", v.name));
                }
            }
            (Some(_), Err(e)) if may_reject(&v.level) => {
                eprintln!("{}: optional, rejected: {e}", v.name)
            }
            (Some(_), Err(e)) => failures.push(format!("{} ({}): rejected: {e}", v.name, v.level)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run_binary(input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xmlrpc-json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn xmlrpc-json");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn binary_prints_every_accepted_vector_and_rejects_the_rest() {
    let mut failures = Vec::new();
    for v in common::vectors() {
        let (code, stdout, stderr) = run_binary(&v.bytes);
        match (code, &v.expect) {
            (0, Some(expect)) => {
                assert!(stderr.is_empty(), "{}: stderr on success: {stderr}", v.name);
                let printed: serde_json::Value = common::parse_json(&stdout).unwrap();
                // Compare through Value so that struct order and number spelling do not matter.
                if common::document(&printed) != common::document(expect)
                    || common::document(expect).is_none()
                {
                    failures.push(format!("{}: printed {printed}, expected {expect}", v.name));
                }
            }
            (0, None) => failures.push(format!("{}: accepted, must reject", v.name)),
            (1, _) => {
                assert!(stdout.is_empty(), "{}: stdout on failure", v.name);
                assert_eq!(
                    stderr.lines().count(),
                    1,
                    "{}: stderr must be one line: {stderr:?}",
                    v.name
                );
                if v.expect.is_some() && !may_reject(&v.level) {
                    failures.push(format!("{}: rejected: {stderr}", v.name));
                }
            }
            (other, _) => failures.push(format!("{}: exit code {other}", v.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn binary_handles_empty_and_binary_garbage() {
    for input in [
        &b""[..],
        b"\0\0\0",
        b"\xff\xfe\x00",
        b"<",
        b"<?xml",
        b"<methodResponse>",
    ] {
        let (code, stdout, stderr) = run_binary(input);
        assert_eq!(code, 1, "{input:?}");
        assert!(stdout.is_empty());
        assert_eq!(stderr.lines().count(), 1);
    }
}

#[test]
fn encoder_round_trips_every_expected_value() {
    let mut checked = 0;
    for v in common::vectors() {
        let Some(doc) = v.expect.as_ref().and_then(common::document) else {
            continue;
        };
        let bytes = common::encode(&doc);
        let back = parse_document(&bytes, &DecodeOptions::default()).unwrap_or_else(|e| {
            panic!(
                "{}: own output rejected: {e}\n{}",
                v.name,
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_eq!(back, doc, "{}", v.name);
        checked += 1;
    }
    assert!(
        checked > 60,
        "only {checked} vectors had an encodable expect"
    );
}
