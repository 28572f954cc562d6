//! [`Secret`]: a password or API key that never prints and is wiped from memory on drop.

use std::fmt;

use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

/// A password or API key. `Debug` and `Display` print `[redacted]`; the memory is zeroed
/// when the value is dropped. Odoo accepts an API key wherever a password is expected.
///
/// ```
/// use odoo_client::Secret;
/// let key = Secret::new("5f0e1c9a7b3d4e2f");
/// assert_eq!(format!("{key:?} {key}"), "Secret([redacted]) [redacted]");
/// ```
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Zeroizing::new(secret.into()))
    }

    /// The secret on the wire: only the request encoder sees it.
    pub(crate) fn wire(&self) -> Wire<'_> {
        Wire(self)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}
impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}
impl From<&Secret> for Secret {
    fn from(s: &Secret) -> Self {
        s.clone()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Serializes the secret text; crate-private so no program can serialize a `Secret` by
/// accident (e.g. into a log as JSON).
pub(crate) struct Wire<'a>(&'a Secret);

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.0)
    }
}
