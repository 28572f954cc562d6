//! [`Secret`]: a password or API key that never prints and is wiped from memory on drop.

use std::fmt;

use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

/// A password or API key. `Debug` and `Display` print `[redacted]`; the memory is zeroed
/// when the value is dropped.
///
/// A web session takes only a password and JSON-2 (Odoo 19+) only an API key; XML-RPC and
/// JSON-RPC take both. [`Protocol::Auto`](crate::Protocol::Auto) picks the fastest protocol
/// the server offers for the secret, so a plain string (or [`Secret::new`]) is read by its
/// shape: 40 lowercase hex characters, the shape of every key Odoo generates
/// (`res.users.apikeys._generate`: 20 random bytes, hexlified), is taken for an API key, and
/// anything else for a password. No shape costs a failed login: a hex password is still
/// accepted (JSON-RPC takes both before Odoo 19; on 19, JSON-2 refuses it without counting a
/// failed login, and the password path follows). [`Secret::password`] and
/// [`Secret::api_key`] say which it is and override the shape.
///
/// ```
/// use openspp_client::Secret;
/// let key = Secret::api_key("5f0e1c9a7b3d4e2f");
/// assert_eq!(format!("{key:?} {key}"), "Secret([redacted]) [redacted]");
/// assert!(key.is_api_key() && !Secret::new("hunter2").is_api_key());
/// ```
#[derive(Clone)]
pub struct Secret {
    text: Zeroizing<String>,
    kind: Kind,
}

/// What the program said the secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A password or an API key, not said: read by its shape.
    Either,
    /// A password: never sent as a JSON-2 bearer token.
    Password,
    /// An API key (Odoo 14+): good everywhere but a web session.
    ApiKey,
}

impl Secret {
    /// A password or an API key, not saying which: [`Protocol::Auto`](crate::Protocol::Auto)
    /// reads it by its shape (see [`Secret`]). What a plain `&str` or `String` becomes.
    pub fn new(secret: impl Into<String>) -> Self {
        Self::of_kind(secret, Kind::Either)
    }

    /// A password: good on every path but JSON-2, and the one secret a web session takes.
    pub fn password(password: impl Into<String>) -> Self {
        Self::of_kind(password, Kind::Password)
    }

    /// An API key (Preferences → Account Security → New API Key): good on every path but
    /// the web session, and the one secret JSON-2 takes.
    pub fn api_key(key: impl Into<String>) -> Self {
        Self::of_kind(key, Kind::ApiKey)
    }

    fn of_kind(secret: impl Into<String>, kind: Kind) -> Self {
        Self {
            text: Zeroizing::new(secret.into()),
            kind,
        }
    }

    /// True for a secret made by [`Secret::api_key`].
    pub fn is_api_key(&self) -> bool {
        self.kind == Kind::ApiKey
    }

    /// True for a secret made by [`Secret::password`].
    pub(crate) fn is_password(&self) -> bool {
        self.kind == Kind::Password
    }

    /// True for a secret [`Secret::new`] made whose kind was not said.
    pub(crate) fn is_unsaid(&self) -> bool {
        self.kind == Kind::Either
    }

    /// Whether to log in as with an API key: one said to be, or an unsaid one of the shape
    /// Odoo gives every key (40 lowercase hex characters).
    pub(crate) fn looks_like_api_key(&self) -> bool {
        match self.kind {
            Kind::ApiKey => true,
            Kind::Password => false,
            Kind::Either => {
                self.text.len() == 40
                    && self
                        .text
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            }
        }
    }

    /// The text, for the one place that is not a serialized body: JSON-2's bearer header.
    pub(crate) fn expose(&self) -> &str {
        &self.text
    }

    /// The secret on the wire: only the request encoder sees it.
    pub(crate) fn param(&self) -> SecretParam<'_> {
        SecretParam(self)
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
pub(crate) struct SecretParam<'a>(&'a Secret);

impl Serialize for SecretParam<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.text)
    }
}
