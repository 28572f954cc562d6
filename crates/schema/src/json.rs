//! Canonical JSON: how every schema file is read and written.
//!
//! Writing goes through [`serde_json::Value`] and sorts every object's keys recursively, so the
//! bytes do not depend on struct field order or on whether some other crate in the build turned
//! on serde_json's `preserve_order` feature. Two-space indentation, `\n` line ends, a final
//! newline.

use crate::error::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::path::Path;

/// Serializes `value` to canonical JSON bytes.
pub(crate) fn to_canonical_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    // Our types serialize only strings, numbers, booleans, maps with string keys and sequences,
    // so `to_value` cannot fail on them.
    let value = serde_json::to_value(value).expect("schema types always serialize to JSON");
    let mut bytes = serde_json::to_vec_pretty(&sorted(value)).expect("a JSON value always writes");
    bytes.push(b'\n');
    bytes
}

/// Recursively rebuilds every object with its keys in byte order.
pub(crate) fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted(v)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Parses `bytes` (the contents of `path`) as a generic JSON value.
pub(crate) fn parse_value(path: &Path, bytes: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(bytes).map_err(|source| Error::Parse {
        path: path.to_owned(),
        json_path: ".".to_owned(),
        source,
    })
}

/// Checks `format_version` then deserializes `value` (the contents of `path`) into `T`, naming
/// the JSON path of the first mismatch.
pub(crate) fn from_value<T: DeserializeOwned>(path: &Path, value: Value) -> Result<T, Error> {
    let found = value.get("format_version").cloned().unwrap_or(Value::Null);
    if found.as_u64() != Some(u64::from(crate::FORMAT_VERSION)) {
        return Err(Error::FormatVersion {
            path: path.to_owned(),
            found,
            expected: crate::FORMAT_VERSION,
        });
    }
    serde_path_to_error::deserialize(value).map_err(|error| Error::Parse {
        path: path.to_owned(),
        json_path: error.path().to_string(),
        source: error.into_inner(),
    })
}

/// The JSON path of a key inside an object at `parent`, quoted when it is not a plain name.
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    let parent = if parent == "." { "" } else { parent };
    if plain {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", Value::String(key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth() {
        let value = json!({"b": {"z": 1, "a": [ {"y": 1, "x": 2} ]}, "a": 0.0});
        let bytes = to_canonical_bytes(&value);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "{\n  \"a\": 0.0,\n  \"b\": {\n    \"a\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ],\n    \"z\": 1\n  }\n}\n"
        );
    }

    #[test]
    fn key_paths_quote_dotted_names() {
        assert_eq!(key_path(".", "fields"), ".fields");
        assert_eq!(
            key_path(".fields", "res.partner"),
            ".fields[\"res.partner\"]"
        );
    }
}
