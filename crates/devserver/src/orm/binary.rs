//! Binary values and `ir.attachment` contents as Odoo 17 keeps them (`odoo/fields.py`
//! `Binary`, `odoo/addons/base/models/ir_attachment.py`): base64 decoded as Python's
//! `base64.b64decode` decodes it (characters outside the alphabet skipped, data after the
//! padding ignored, `binascii.Error` for a bad length), sizes as `human_size` writes them
//! when the context asks for `bin_size`.
//!
//! An attachment's content is kept in its `db_datas` column (base64), as Odoo does with
//! `ir_attachment.location = db`; `store_fname` stays empty (no filestore here).

use crate::fault::{OdooError, OdooResult};
use crate::registry::Field;
use crate::values::is_falsy;
use base64::Engine as _;
use openspp_xmlrpc::{Struct, Value};

/// `base64.b64decode(text)` (CPython 3.11's non-strict `binascii.a2b_base64`).
pub fn b64decode(text: &str) -> OdooResult<Vec<u8>> {
    if !text.is_ascii() {
        return Err(OdooError::value(
            "string argument should contain only ASCII characters",
        ));
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut quad, mut left, mut pads) = (0u8, 0u32, 0u8);
    for byte in text.bytes() {
        if byte == b'=' {
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(value) = sextet(byte) else {
            continue;
        };
        pads = 0;
        let value = u32::from(value);
        match quad {
            0 => {
                left = value;
                quad = 1;
            }
            1 => {
                out.push(((left << 2) | (value >> 4)) as u8);
                left = value & 0x0f;
                quad = 2;
            }
            2 => {
                out.push(((left << 4) | (value >> 2)) as u8);
                left = value & 0x03;
                quad = 3;
            }
            _ => {
                out.push(((left << 6) | value) as u8);
                quad = 0;
            }
        }
    }
    match quad {
        0 => Ok(out),
        1 => Err(OdooError::python(
            "binascii.Error",
            format!(
                "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
                out.len() / 3 * 4 + 1
            ),
        )),
        _ => Err(OdooError::python("binascii.Error", "Incorrect padding")),
    }
}

fn sextet(byte: u8) -> Option<u8> {
    Some(match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// `base64.b64encode`.
pub fn b64encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// `odoo.tools.human_size`: `False` for nothing, else `"%0.2f %s"` in bytes, Kb, Mb...
pub fn human_size(size: usize) -> Value {
    if size == 0 {
        return Value::Bool(false);
    }
    let units = ["bytes", "Kb", "Mb", "Gb", "Tb"];
    let (mut s, mut i) = (size as f64, 0);
    while s >= 1024.0 && i < units.len() - 1 {
        s /= 1024.0;
        i += 1;
    }
    Value::String(format!("{s:.2} {}", units[i]))
}

/// Whether the context asks for sizes rather than contents of `field`.
pub fn wants_size(context: &Struct, field: &str) -> bool {
    ["bin_size".to_owned(), format!("bin_size_{field}")]
        .iter()
        .any(|key| context.get(key).is_some_and(|v| !is_falsy(v)))
}

/// What a binary column stores for `text` written to `field`: an attachment-backed field
/// (`attachment=True`, Odoo's default) decodes it as its `ir.attachment` would and keeps the
/// canonical base64; a column field keeps the text.
pub fn column_text(field: &Field, text: &str) -> OdooResult<String> {
    if !field.attachment {
        return Ok(text.to_owned());
    }
    let bytes = b64decode(text)?;
    Ok(b64encode(&bytes))
}

/// A binary column's value when read: the content, or its size with `bin_size`.
pub fn read_value(field: &Field, stored: Option<&str>, context: &Struct) -> Value {
    let Some(stored) = stored.filter(|s| !s.is_empty()) else {
        return Value::Bool(false);
    };
    if !wants_size(context, &field.name) {
        return Value::String(stored.to_owned());
    }
    let size = if field.attachment {
        b64decode(stored).map_or(stored.len(), |b| b.len())
    } else {
        stored.len()
    };
    human_size(size)
}

/// `ir.attachment`'s `create`/`write` on its values: `file_size`, `checksum` and
/// `store_fname` are dropped (computed), `mimetype` computed (`_check_contents`), and
/// `datas` or `raw` decoded into the stored fields (`_get_datas_related_values`).
pub fn attachment_values(vals: &Struct, creating: bool) -> OdooResult<Struct> {
    let mut vals = vals.clone();
    for computed in ["file_size", "checksum", "store_fname"] {
        if vals.remove(computed).is_some() {
            tracing::debug!(
                field = computed,
                "ir.attachment: a computed field in the values, dropped as Odoo drops it"
            );
        }
    }
    let content = |vals: &Struct| -> OdooResult<Option<Vec<u8>>> {
        if let Some(raw) = vals.get("raw").filter(|v| !is_falsy(v)) {
            return Ok(Some(match raw {
                Value::String(s) => s.clone().into_bytes(),
                Value::Base64(b) => b.clone(),
                other => crate::values::py_repr(other).into_bytes(),
            }));
        }
        match vals.get("datas").filter(|v| !is_falsy(v)) {
            Some(Value::String(s)) => Ok(Some(b64decode(s)?)),
            Some(Value::Base64(b)) => Ok(Some(b.clone())),
            Some(other) => Err(OdooError::type_error(format!(
                "argument should be a bytes-like object or ASCII string, not '{}'",
                crate::values::py_type(other)
            ))),
            None => Ok(None),
        }
    };
    let touches = vals.contains_key("datas") || vals.contains_key("raw");
    let bytes = content(&vals)?;
    if creating || touches || vals.contains_key("mimetype") {
        let mimetype = mimetype(&vals, bytes.as_deref());
        vals.insert("mimetype".into(), Value::String(mimetype));
    }
    let (raw, datas) = (vals.remove("raw"), vals.remove("datas"));
    let written = raw.or(datas).is_some();
    if let Some(bytes) = bytes.filter(|_| written) {
        related_values(&mut vals, &bytes);
    } else if written && !creating {
        // emptied: `_set_attachment_data(b'')`
        related_values(&mut vals, &[]);
    }
    Ok(vals)
}

/// `_get_datas_related_values`.
fn related_values(vals: &mut Struct, bytes: &[u8]) {
    let mimetype = match vals.get("mimetype") {
        Some(Value::String(m)) => m.clone(),
        _ => String::new(),
    };
    vals.insert(
        "file_size".into(),
        crate::orm::read::int_value(bytes.len() as i64),
    );
    vals.insert(
        "checksum".into(),
        Value::String(sha1_smol::Sha1::from(bytes).digest().to_string()),
    );
    vals.insert("index_content".into(), index_content(bytes, &mimetype));
    vals.insert("store_fname".into(), Value::Bool(false));
    vals.insert(
        "db_datas".into(),
        if bytes.is_empty() {
            Value::Bool(false)
        } else {
            Value::String(b64encode(bytes))
        },
    );
}

/// `_index`: the printable runs of text content, else the mimetype's type.
fn index_content(bytes: &[u8], mimetype: &str) -> Value {
    let kind = mimetype.split('/').next().unwrap_or_default();
    if mimetype.is_empty() {
        return Value::Bool(false);
    }
    if kind != "text" {
        return Value::String(kind.to_owned());
    }
    let words: Vec<&str> = bytes
        .split(|b| !(0x20..=0x7e).contains(b))
        .filter(|run| run.len() >= 4)
        .filter_map(|run| std::str::from_utf8(run).ok())
        .collect();
    Value::String(words.join("\n"))
}

/// `_compute_mimetype`: the one given, else from the name's extension, else from the
/// content, else `application/octet-stream`.
fn mimetype(vals: &Struct, bytes: Option<&[u8]>) -> String {
    let text = |key: &str| match vals.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let guessed = text("mimetype")
        .or_else(|| text("name").and_then(|n| by_extension(&n)))
        .or_else(|| text("url").and_then(|u| by_extension(u.split('?').next().unwrap_or(""))));
    let guessed = match guessed {
        Some(m) if m != "application/octet-stream" => Some(m),
        _ => bytes.filter(|b| !b.is_empty()).map(by_content),
    };
    guessed.map_or_else(
        || "application/octet-stream".to_owned(),
        |m| m.to_lowercase(),
    )
}

/// Python's `mimetypes.guess_type` for the common extensions.
fn by_extension(name: &str) -> Option<String> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(
        match ext.as_str() {
            "txt" => "text/plain",
            "csv" => "text/csv",
            "htm" | "html" => "text/html",
            "xml" => "text/xml",
            "css" => "text/css",
            "js" => "text/javascript",
            "md" => "text/markdown",
            "json" => "application/json",
            "pdf" => "application/pdf",
            "zip" => "application/zip",
            "gz" => "application/gzip",
            "doc" => "application/msword",
            "xls" => "application/vnd.ms-excel",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "odt" => "application/vnd.oasis.opendocument.text",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "webp" => "image/webp",
            "bmp" => "image/bmp",
            _ => return None,
        }
        .to_owned(),
    )
}

/// `guess_mimetype` (libmagic on the reference server) for the common signatures.
fn by_content(bytes: &[u8]) -> String {
    let kind = if bytes.starts_with(b"%PDF") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "application/zip"
    } else if std::str::from_utf8(bytes)
        .is_ok_and(|t| t.chars().all(|c| !c.is_control() || c.is_whitespace()))
    {
        "text/plain"
    } else {
        "application/octet-stream"
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case is what `base64.b64decode` answered on the reference server.
    #[test]
    fn decodes_as_python() {
        assert_eq!(b64decode("aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
        assert_eq!(b64decode("aGVsbG8=x").unwrap(), b"hello");
        assert_eq!(b64decode("!!!!").unwrap(), b"");
        for (text, line) in [
            (
                "not base64!",
                "binascii.Error: Invalid base64-encoded string: number of data characters (9) cannot be 1 more than a multiple of 4",
            ),
            ("abc", "binascii.Error: Incorrect padding"),
            (
                "abcde",
                "binascii.Error: Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4",
            ),
            ("aGVsbG8", "binascii.Error: Incorrect padding"),
            (
                "a",
                "binascii.Error: Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4",
            ),
        ] {
            assert_eq!(b64decode(text).unwrap_err().to_string(), line, "{text}");
        }
    }

    #[test]
    fn sizes_as_human_size() {
        assert_eq!(human_size(0), Value::Bool(false));
        assert_eq!(human_size(11), Value::String("11.00 bytes".into()));
        assert_eq!(human_size(3000), Value::String("2.93 Kb".into()));
    }
}
