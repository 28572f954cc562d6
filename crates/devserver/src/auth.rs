//! Users: who may log in, with which password or API key, and what they may do.

use std::collections::BTreeSet;
use std::fmt;

/// A password or API key. Never printed: `Debug` shows `Secret(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// Compares without stopping at the first differing byte.
    fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What a user may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Everything (the administrator).
    Full,
    /// Read these models only; any other access is an `AccessError` (fault 4).
    ReadOnly(BTreeSet<String>),
}

/// One user of the dev server.
#[derive(Debug, Clone)]
pub struct User {
    /// The user id `authenticate` returns.
    pub uid: i64,
    /// Login name.
    pub login: String,
    /// Password.
    pub password: Secret,
    /// An API key accepted wherever the password is.
    pub api_key: Option<Secret>,
    /// Rights.
    pub access: Access,
}

impl User {
    /// Whether `secret` is this user's password or API key.
    pub fn accepts(&self, secret: &str) -> bool {
        self.password.matches(secret) || self.api_key.as_ref().is_some_and(|k| k.matches(secret))
    }

    /// Whether `secret` is this user's password (a web session opens with a password only).
    pub fn has_password(&self, secret: &str) -> bool {
        self.password.matches(secret)
    }

    /// Whether `key` is this user's API key (JSON-2's bearer token: a password is refused there,
    /// as Odoo 19's `res.users.apikeys._check_credentials` only knows keys).
    pub fn has_api_key(&self, key: &str) -> bool {
        self.api_key.as_ref().is_some_and(|k| k.matches(key))
    }

    /// Whether the user may perform `operation` (`read`, `write`, `create`, `unlink`) on `model`.
    pub fn may(&self, operation: &str, model: &str) -> bool {
        match &self.access {
            Access::Full => true,
            Access::ReadOnly(models) => operation == "read" && models.contains(model),
        }
    }
}

/// The API key of the default administrator: the stand-in key of the real-server captures in
/// `../shared/odoo17`, so captured requests replay unchanged.
pub const DEMO_API_KEY: &str = "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f";

/// The API key of the default `norights` user. The captures log it in with its password only;
/// the key lets JSON-2, which takes API keys alone, meet the same access errors.
pub const NORIGHTS_API_KEY: &str = "0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c";

/// The default users, as in the captures: `admin`/`admin` (uid 2, API key [`DEMO_API_KEY`])
/// and `norights`/`norights` (uid 13, API key [`NORIGHTS_API_KEY`], in no group: it can read
/// `ir.config_parameter`, as the captured server lets it, and nothing else).
pub fn default_users() -> Vec<User> {
    vec![
        User {
            uid: 2,
            login: "admin".into(),
            password: Secret::new("admin"),
            api_key: Some(Secret::new(DEMO_API_KEY)),
            access: Access::Full,
        },
        User {
            uid: 13,
            login: "norights".into(),
            password: Secret::new("norights"),
            api_key: Some(Secret::new(NORIGHTS_API_KEY)),
            access: Access::ReadOnly(BTreeSet::from(["ir.config_parameter".to_owned()])),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed() {
        let users = default_users();
        let text = format!("{users:?}");
        assert!(!text.contains(DEMO_API_KEY));
        assert!(!text.contains("\"admin\")"));
        assert!(users[0].accepts("admin") && users[0].accepts(DEMO_API_KEY));
        assert!(!users[0].accepts("admi") && !users[1].accepts("admin"));
    }
}
