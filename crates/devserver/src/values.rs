//! Conversions between XML-RPC values, JSON (schemas and seeds) and Python's `repr`, `int()`
//! and `float()` (for values and error messages shaped like the real server's), and the text
//! Odoo 17's marshaller can put in an answer.

use crate::fault::{OdooError, OdooResult};
use openspp_xmlrpc::Value;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Python's `repr` of a value as the server would print it in an error message.
pub fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

/// Python's `repr` of a domain leaf, which the ORM prints as a tuple.
pub fn leaf_repr(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(py_repr).collect();
    format!("({})", parts.join(", "))
}

fn write_repr(out: &mut String, value: &Value) {
    match value {
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::I8(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Double(d) => {
            if d.fract() == 0.0 && d.is_finite() {
                let _ = write!(out, "{d:.1}");
            } else {
                let _ = write!(out, "{d}");
            }
        }
        Value::String(s) => write_str_repr(out, s),
        Value::DateTime(dt) => {
            let _ = write!(out, "<DateTime '{}'>", datetime_text(dt));
        }
        Value::Base64(bytes) => {
            let _ = write!(out, "<Binary {} bytes>", bytes.len());
        }
        Value::Nil => out.push_str("None"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            out.push(']');
        }
        Value::Struct(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, &Value::String(k.clone()));
                out.push_str(": ");
                write_repr(out, v);
            }
            out.push('}');
        }
    }
}

/// Python's `repr` of a `str`: single quotes unless the text holds a `'` and no `"`, and
/// backslash escapes for the quote, backslashes and control characters.
fn write_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let code = u32::from(c);
                if code < 0x100 {
                    let _ = write!(out, "\\x{code:02x}");
                } else {
                    let _ = write!(out, "\\u{code:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `repr` of a `str`.
pub fn str_repr(s: &str) -> String {
    let mut out = String::new();
    write_str_repr(&mut out, s);
    out
}

/// The name of a value's Python type once `xmlrpc.client` has decoded it.
pub fn py_type(value: &Value) -> &'static str {
    match value {
        Value::Int(_) | Value::I8(_) => "int",
        Value::Bool(_) => "bool",
        Value::Double(_) => "float",
        Value::String(_) => "str",
        Value::DateTime(_) => "DateTime",
        Value::Base64(_) => "Binary",
        Value::Nil => "NoneType",
        Value::Array(_) => "list",
        Value::Struct(_) => "dict",
    }
}

/// Python's `int(value)`. Past `i64` the result saturates, which every caller then refuses
/// as out of range, as Python's unbounded int would be refused downstream.
pub fn py_int(value: &Value) -> OdooResult<i64> {
    match value {
        Value::Int(i) => Ok(i64::from(*i)),
        Value::I8(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Double(d) if d.is_nan() => {
            Err(OdooError::value("cannot convert float NaN to integer"))
        }
        Value::Double(d) if d.is_infinite() => Err(OdooError::python(
            "OverflowError",
            "cannot convert float infinity to integer",
        )),
        // `as` truncates toward zero and saturates, like int() followed by our range checks
        Value::Double(d) => Ok(*d as i64),
        Value::String(s) => parse_py_int(s).ok_or_else(|| {
            OdooError::value(format!(
                "invalid literal for int() with base 10: {}",
                str_repr(s)
            ))
        }),
        other => Err(OdooError::type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            py_type(other)
        ))),
    }
}

/// Python's `float(value)`.
pub fn py_float(value: &Value) -> OdooResult<f64> {
    match value {
        Value::Int(i) => Ok(f64::from(*i)),
        Value::I8(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Double(d) => Ok(*d),
        Value::String(s) => without_digit_underscores(s.trim_matches(py_isspace))
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| {
                OdooError::value(format!(
                    "could not convert string to float: {}",
                    str_repr(s)
                ))
            }),
        other => Err(OdooError::type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            py_type(other)
        ))),
    }
}

/// Python's `str.isspace()`: Unicode whitespace and the four ASCII separators U+001C..U+001F.
pub fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `int(text)` in base 10: surrounding whitespace, a sign, digits with single underscores
/// between them.
fn parse_py_int(text: &str) -> Option<i64> {
    let trimmed = text.trim_matches(py_isspace);
    let (negative, digits) = match trimmed.as_bytes().first()? {
        b'-' => (true, &trimmed[1..]),
        b'+' => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let digits = without_digit_underscores(digits)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |n, b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    Some(if negative { -magnitude } else { magnitude })
}

/// The text without the underscores Python allows between two digits, or `None` when an
/// underscore stands anywhere else.
fn without_digit_underscores(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains('_') {
        return Some(Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '_' {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            if !(before.is_some_and(|b| b.is_ascii_digit())
                && after.is_some_and(|b| b.is_ascii_digit()))
            {
                return None;
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// Whether Odoo 17's marshaller leaves the character out of an answer: the C0 controls but
/// TAB, LF and CR (`rpc.py`, `CONTROL_CHARACTERS`, "XML 1.0 disallows control characters").
/// U+FFFE and U+FFFF, which XML 1.0 forbids too, are left out as well: Odoo would send them
/// and break the client's parser.
fn unmarshallable(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Text as Odoo 17's marshaller writes it: without the characters XML 1.0 cannot carry.
pub fn xml_text(text: &str) -> Cow<'_, str> {
    if text.contains(unmarshallable) {
        Cow::Owned(text.chars().filter(|c| !unmarshallable(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A value as Odoo 17's marshaller writes it: every string without the characters XML 1.0
/// cannot carry (`OdooMarshaller.dump_unicode`). Struct member names are written as they are,
/// as Python's `dump_struct` does.
pub fn xml_safe(value: Value) -> Value {
    match value {
        Value::String(s) => match xml_text(&s) {
            Cow::Borrowed(_) => Value::String(s),
            Cow::Owned(clean) => Value::String(clean),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(xml_safe).collect()),
        Value::Struct(members) => {
            Value::Struct(members.into_iter().map(|(k, v)| (k, xml_safe(v))).collect())
        }
        other => other,
    }
}

/// `YYYY-MM-DD HH:MM:SS`, the way Odoo writes datetimes.
pub fn datetime_text(dt: &openspp_xmlrpc::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
    )
}

/// A JSON value (from a schema, a seed file or a JSON-RPC request) as an XML-RPC value;
/// `null` becomes nil, which the XML-RPC answer then refuses as Python's marshaller does.
pub fn json_to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i32::try_from(i).map_or(Value::I8(i), Value::Int),
            None => Value::Double(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(json_to_value).collect()),
        serde_json::Value::Object(members) => Value::Struct(
            members
                .iter()
                .map(|(k, v)| (k.clone(), json_to_value(v)))
                .collect(),
        ),
    }
}

/// Whether a nil hides anywhere in the value.
pub fn contains_nil(value: &Value) -> bool {
    match value {
        Value::Nil => true,
        Value::Array(items) => items.iter().any(contains_nil),
        Value::Struct(members) => members.values().any(contains_nil),
        _ => false,
    }
}

/// An XML-RPC value as JSON (json fields are stored as JSON text).
pub fn value_to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Int(i) => (*i).into(),
        Value::I8(i) => (*i).into(),
        Value::Bool(b) => (*b).into(),
        Value::Double(d) => {
            serde_json::Number::from_f64(*d).map_or(serde_json::Value::Null, Into::into)
        }
        Value::String(s) => s.clone().into(),
        Value::DateTime(dt) => datetime_text(dt).into(),
        Value::Base64(bytes) => String::from_utf8_lossy(bytes).into_owned().into(),
        Value::Nil => serde_json::Value::Null,
        Value::Array(items) => items.iter().map(value_to_json).collect(),
        Value::Struct(members) => members
            .iter()
            .map(|(k, v)| (k.clone(), value_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// Odoo's truthiness: `False`, `0`, `""`, `[]`, `{}` and nil are false.
pub fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::I8(i) => *i == 0,
        Value::Double(d) => *d == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Nil => true,
        Value::Array(a) => a.is_empty(),
        Value::Struct(s) => s.is_empty(),
        Value::DateTime(_) | Value::Base64(_) => false,
    }
}

/// An integer id from a value (`int`, `i8`).
pub fn as_id(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(i64::from(*i)),
        Value::I8(i) => Some(*i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_python() {
        let leaf = [
            Value::String("name".into()),
            Value::String("bogus_op".into()),
            Value::String("it's".into()),
        ];
        assert_eq!(leaf_repr(&leaf), r#"('name', 'bogus_op', "it's")"#);
        assert_eq!(str_repr("a'b\"c\u{3}"), r#"'a\'b"c\x03'"#);
        assert_eq!(
            py_repr(&Value::Array(vec![
                Value::Bool(true),
                Value::Double(2.0),
                Value::Int(-3)
            ])),
            "[True, 2.0, -3]"
        );
    }

    #[test]
    fn int_and_float_follow_python() {
        let int = |v: Value| py_int(&v);
        assert_eq!(int(Value::String(" +1_000 ".into())), Ok(1000));
        assert_eq!(int(Value::Double(-2.9)), Ok(-2));
        assert_eq!(int(Value::Bool(true)), Ok(1));
        assert_eq!(
            int(Value::String("2.0".into())).unwrap_err().to_string(),
            "ValueError: invalid literal for int() with base 10: '2.0'"
        );
        assert_eq!(
            int(Value::String("1__0".into())).unwrap_err().to_string(),
            "ValueError: invalid literal for int() with base 10: '1__0'"
        );
        assert_eq!(
            int(Value::Nil).unwrap_err().to_string(),
            "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
        );
        assert_eq!(
            int(Value::Double(f64::INFINITY)).unwrap_err().to_string(),
            "OverflowError: cannot convert float infinity to integer"
        );
        assert_eq!(
            int(Value::String("99999999999999999999999".into())),
            Ok(i64::MAX)
        );
        assert_eq!(py_float(&Value::String(" 1_0.5 ".into())), Ok(10.5));
        assert_eq!(
            py_float(&Value::String("x".into()))
                .unwrap_err()
                .to_string(),
            "ValueError: could not convert string to float: 'x'"
        );
    }

    #[test]
    fn answers_lose_what_xml_cannot_carry() {
        let value = Value::Struct(
            [(
                "name".to_owned(),
                Value::Array(vec![Value::String(
                    "Widget\u{3} Name\u{1b}[0m\t\r\n\u{FFFE}".into(),
                )]),
            )]
            .into(),
        );
        assert_eq!(
            xml_safe(value),
            Value::Struct(
                [(
                    "name".to_owned(),
                    Value::Array(vec![Value::String("Widget Name[0m\t\r\n".into())])
                )]
                .into()
            )
        );
    }

    #[test]
    fn json_null_is_nil() {
        assert!(contains_nil(&json_to_value(
            &serde_json::json!([1, {"a": null}])
        )));
        assert_eq!(
            json_to_value(&serde_json::json!({"a": [1, 2.5, "x"]})),
            Value::Struct(
                [(
                    "a".to_owned(),
                    Value::Array(vec![
                        Value::Int(1),
                        Value::Double(2.5),
                        Value::String("x".into())
                    ])
                )]
                .into()
            )
        );
    }
}
