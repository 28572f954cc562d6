//! Conversions between XML-RPC values, JSON (schemas and seeds) and Python's `repr` (for error
//! messages shaped like the real server's).

use odoo_xmlrpc::Value;
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
        Value::String(s) => {
            out.push('\'');
            for c in s.chars() {
                match c {
                    '\'' => out.push_str("\\'"),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push('\'');
        }
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

/// `YYYY-MM-DD HH:MM:SS`, the way Odoo writes datetimes.
pub fn datetime_text(dt: &odoo_xmlrpc::DateTime) -> String {
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
        assert_eq!(leaf_repr(&leaf), r"('name', 'bogus_op', 'it\'s')");
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
