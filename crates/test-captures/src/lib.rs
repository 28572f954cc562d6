//! Where the tests find what real Odoo and OpenSPP servers answered: `shared/` beside the
//! checkout (`odoo17/`, `odoo19/`, `openspp2/`, `xmlrpc-conformance/`), which CI provides and
//! this repository does not hold.
//!
//! Every test that reads a capture asks this crate for its path, so that a clone without
//! `shared/` fails each such test with one message that names the missing path and where it
//! comes from, instead of a bare "No such file or directory" from an `unwrap`.
//!
//! ```
//! let vectors = test_captures::path("xmlrpc-conformance/vectors");
//! assert!(vectors.is_dir());
//! ```
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

/// The first words of the failure of a test whose captures are missing: a test that clones
/// the repository without `shared/` looks for them.
pub const MISSING: &str = "captures of real servers missing";

/// `shared/` beside the checkout.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// `shared/<relative>`, which must exist.
///
/// # Panics
///
/// When it does not, with the path, what the folder is, and where it comes from.
pub fn path(relative: &str) -> PathBuf {
    let path = root().join(relative);
    if !path.exists() {
        panic!("{}", missing(&path));
    }
    path
}

/// The contents of the capture `shared/<relative>`.
///
/// # Panics
///
/// When it is missing ([`path`]) or cannot be read.
pub fn read(relative: &str) -> Vec<u8> {
    let path = path(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn missing(path: &Path) -> String {
    format!(
        "{MISSING}: {} does not exist. This test reads what real Odoo 17 + OpenSPP, Odoo 19 \
         and OpenSPP 2 servers answered, kept in `shared/` beside the checkout (CI provides \
         it; the README's \"Test data\" says what it holds). The tests that need no capture \
         pass without it.",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_capture_names_its_path_and_the_folder() {
        let result = std::panic::catch_unwind(|| path("odoo17/no-such-capture.json"));
        let message = result.unwrap_err();
        let message = message.downcast_ref::<String>().unwrap();
        assert!(message.starts_with(MISSING), "{message}");
        assert!(message.contains("odoo17/no-such-capture.json"), "{message}");
        assert!(
            message.contains("`shared/` beside the checkout"),
            "{message}"
        );
    }

    #[test]
    fn a_present_capture_is_read() {
        assert!(read("odoo17/version.json").starts_with(b"{"));
    }
}
