//! How a generated crate depends on `openspp-client`: the `openspp-client = ...` line of its
//! `Cargo.toml`. Never an absolute path: a generated crate is committed to its user's
//! repository and must build on every machine that clones it.

use std::path::{Component, Path};

/// Where a generated crate takes `openspp-client` from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientDependency {
    /// A version from crates.io (`openspp-client = "0.1.0"`).
    Version(String),
    /// A git repository, with the version cargo checks the checked-out crate against
    /// (`openspp-client = { git = "...", version = "0.1.0" }`); `Cargo.lock` pins the commit.
    Git {
        /// The repository URL.
        url: String,
        /// The version requirement.
        version: String,
    },
    /// A local checkout, by a path relative to the generated crate's directory, with the
    /// version used when the crate is published
    /// (`openspp-client = { version = "0.1.0", path = "../openspp-rs/crates/client" }`).
    Path {
        /// The relative path of the `openspp-client` crate (the directory of its `Cargo.toml`).
        path: String,
        /// The version requirement.
        version: String,
    },
}

/// A [`ClientDependency::Path`] that is absolute: it would build on one machine only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "openspp-client's path `{0}` is absolute: a generated crate must build wherever it is cloned, so give a path relative to it"
)]
pub struct AbsolutePath(pub String);

impl ClientDependency {
    /// The TOML value after `openspp-client = `. Refuses an absolute path.
    ///
    /// ```
    /// use openspp_codegen::ClientDependency;
    /// assert_eq!(ClientDependency::Version("0.1.0".into()).to_toml().unwrap(), "\"0.1.0\"");
    /// let local = ClientDependency::Path { path: "../openspp-rs/crates/client".into(), version: "0.1".into() };
    /// assert_eq!(local.to_toml().unwrap(), r#"{ version = "0.1", path = "../openspp-rs/crates/client" }"#);
    /// let absolute = ClientDependency::Path { path: "/home/me/openspp-rs/crates/client".into(), version: "0.1".into() };
    /// assert!(absolute.to_toml().is_err());
    /// ```
    pub fn to_toml(&self) -> Result<String, AbsolutePath> {
        Ok(match self {
            Self::Version(version) => string(version),
            Self::Git { url, version } => {
                format!("{{ git = {}, version = {} }}", string(url), string(version))
            }
            Self::Path { path, version } => {
                if is_absolute(path) {
                    return Err(AbsolutePath(path.clone()));
                }
                format!(
                    "{{ version = {}, path = {} }}",
                    string(version),
                    string(path)
                )
            }
        })
    }
}

/// Absolute on any platform: `/x`, `\x`, `C:...`.
fn is_absolute(path: &str) -> bool {
    let p = Path::new(path);
    p.has_root()
        || p.is_absolute()
        || path.starts_with(['/', '\\'])
        || path.as_bytes().get(1) == Some(&b':')
        || matches!(p.components().next(), Some(Component::Prefix(_)))
}

/// A TOML basic string.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_windows_paths_are_absolute() {
        let git = ClientDependency::Git {
            url: "https://example.org/a\"b".into(),
            version: "0.1.0".into(),
        };
        assert_eq!(
            git.to_toml().unwrap(),
            r#"{ git = "https://example.org/a\"b", version = "0.1.0" }"#
        );
        for absolute in [r"C:\src\client", r"\\server\share", "/src/client"] {
            let dep = ClientDependency::Path {
                path: absolute.into(),
                version: "0.1".into(),
            };
            assert_eq!(dep.to_toml(), Err(AbsolutePath(absolute.into())));
        }
    }
}
