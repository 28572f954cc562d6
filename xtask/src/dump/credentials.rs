//! Where the dump's secret comes from, and a wrapper that never prints it.

use anyhow::{Context, bail};
use std::fmt;

/// A password or API key. Its `Debug` and `Display` never show the value.
#[derive(Clone)]
pub struct Secret {
    value: String,
    /// Read from `--api-key-env` or `ODOO_API_KEY`: an API key, which JSON-2 accepts;
    /// otherwise a password, which opens a web session.
    api_key: bool,
}

impl Secret {
    /// The secret itself, for the one place that sends it to the server.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Whether it is an API key (which Odoo 19's `/doc-bearer` takes as bearer token).
    pub fn is_api_key(&self) -> bool {
        self.api_key
    }

    /// The secret as openspp-client takes it, labelled as what it came as, so that
    /// [`Protocol::Auto`](openspp_client::Protocol::Auto) chooses JSON-2 (Odoo 19+) or JSON-RPC
    /// for an API key and the web session for a password.
    pub fn to_client(&self) -> openspp_client::Secret {
        if self.api_key {
            openspp_client::Secret::api_key(self.value.as_str())
        } else {
            openspp_client::Secret::password(self.value.as_str())
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Reads the secret: from the variable named by `--api-key-env` or `--password-env` when given,
/// else from `ODOO_API_KEY`, else from `ODOO_PASSWORD`.
pub fn resolve(api_key_env: Option<&str>, password_env: Option<&str>) -> anyhow::Result<Secret> {
    let named = |flag: &str, var: &str, api_key: bool| {
        if !is_variable_name(var) {
            // Never echo it: it may be the secret itself, pasted where its name belongs.
            bail!(
                "{flag} takes the name of the environment variable that holds the secret \
                 (e.g. {flag} ODOO_API_KEY after `export ODOO_API_KEY=...`), not the secret \
                 itself; what was given is not shown"
            );
        }
        std::env::var(var)
            .with_context(|| format!("environment variable {var} (named by {flag}) is not set"))
            .map(|value| Secret { value, api_key })
    };
    if let Some(var) = api_key_env {
        return named("--api-key-env", var, true);
    }
    if let Some(var) = password_env {
        return named("--password-env", var, false);
    }
    for (var, api_key) in [("ODOO_API_KEY", true), ("ODOO_PASSWORD", false)] {
        if let Ok(value) = std::env::var(var) {
            return Ok(Secret { value, api_key });
        }
    }
    bail!(
        "no secret: pass --api-key-env VAR or --password-env VAR, or set ODOO_API_KEY or ODOO_PASSWORD"
    )
}

/// A name a shell could export (`[A-Za-z_][A-Za-z0-9_]*`) that is not shaped like a secret: an
/// Odoo API key is 40 lowercase hex characters, and one in upper case is no likelier a name.
fn is_variable_name(var: &str) -> bool {
    let mut bytes = var.bytes();
    let identifier = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let key_shaped = var.len() >= 32 && var.bytes().all(|b| b.is_ascii_hexdigit());
    identifier && !key_shaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret {
            value: "hunter2".to_owned(),
            api_key: true,
        };
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(secret.expose(), "hunter2");
        assert!(secret.to_client().is_api_key());
    }

    #[test]
    fn a_named_variable_that_is_missing_is_an_error_naming_it() {
        let error = resolve(Some("XTASK_TEST_SURELY_UNSET_VAR"), None).unwrap_err();
        assert!(error.to_string().contains("XTASK_TEST_SURELY_UNSET_VAR"));
        assert!(error.to_string().contains("--api-key-env"));
    }

    #[test]
    fn a_secret_given_for_a_variable_name_is_refused_and_never_printed() {
        for secret in [
            "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f",
            "abcdefabcdefabcdefabcdefabcdefabcdefabcd",
            "hunter2!",
            "pass word",
        ] {
            for (api_key_env, password_env) in [(Some(secret), None), (None, Some(secret))] {
                let error = format!("{:#}", resolve(api_key_env, password_env).unwrap_err());
                assert!(!error.contains(secret), "{error}");
                assert!(
                    error.contains("takes the name of the environment variable"),
                    "{error}"
                );
            }
        }
        assert!(is_variable_name("ODOO_API_KEY") && is_variable_name("my_key_2"));
    }
}
