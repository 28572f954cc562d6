//! `cargo xtask serve`'s refusals say what to do.

use std::process::Command;

fn serve(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("serve")
        .args(args)
        .output()
        .expect("xtask runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_busy_port_suggests_port_0() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("its address").port().to_string();
    let (ok, stderr) = serve(&["--port", &port]);
    assert!(!ok);
    assert!(
        stderr.contains("is in use") && stderr.contains("--port 0"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("Address already in use").count(),
        0,
        "{stderr}"
    );
}

#[test]
fn a_release_it_does_not_emulate_is_refused() {
    for version in ["16", "16.0", "20.0"] {
        let (ok, stderr) = serve(&["--odoo-version", version, "--port", "0"]);
        assert!(!ok, "{version}");
        assert!(
            stderr.contains("emulates Odoo 17.0 to 19.x"),
            "{version}: {stderr}"
        );
    }
}

/// The banner of `cargo xtask serve` with `args`, read once it is serving; the server is then
/// stopped.
fn banner(args: &[&str]) -> String {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("serve")
        .args(args)
        .args(["--port", "0", "--empty"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("xtask runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    line
}

#[test]
fn nineteen_mode_serves_openspp_2_and_seventeen_mode_openspp_17() {
    let nineteen = banner(&["--odoo-version", "19.0"]);
    assert!(
        nineteen.contains("Odoo 19.0, 551 models from") && nineteen.contains("schemas-openspp2"),
        "{nineteen}"
    );
    let seventeen = banner(&[]);
    assert!(
        seventeen.contains("Odoo 17.0, 573 models from") && !seventeen.contains("openspp2"),
        "{seventeen}"
    );
}
