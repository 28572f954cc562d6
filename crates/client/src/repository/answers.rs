//! What `create`, `write` and `unlink` answer on real servers, read leniently: the call is
//! done once the server answered without a fault, whatever it answered. OpenSPP's overrides
//! answer nothing (`res.partner.unlink` over JSON-RPC: no `result`) or the new recordset's
//! `repr` (`g2p.program.create`: `"g2p.program(4,)"`).

use openspp_xmlrpc::Value;

/// The record ids in a `create` answer: an id (XML-RPC, one dict), a list of ids (several
/// dicts, or JSON-2), or a recordset's `repr`, `"model(4,)"` / `"model(4, 5)"`. `None` for
/// anything else.
pub(crate) fn created_ids(answer: &Value) -> Option<Vec<i32>> {
    let id = |value: &Value| match value {
        Value::Int(id) => Some(*id),
        Value::I8(id) => i32::try_from(*id).ok(),
        _ => None,
    };
    match answer {
        Value::Array(items) => items.iter().map(id).collect(),
        Value::String(text) => recordset_ids(text),
        single => id(single).map(|id| vec![id]),
    }
}

/// `model(1, 2,)`: the ids of a recordset's `repr`.
fn recordset_ids(text: &str) -> Option<Vec<i32>> {
    let inside = text.strip_suffix(')')?.split_once('(')?.1;
    inside
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().ok())
        .collect()
}

/// An answer in a message: at most 200 characters of its Python-like form.
pub(crate) fn shown(answer: &Value) -> String {
    let text = format!("{answer:?}");
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_every_shape_servers_answer() {
        assert_eq!(created_ids(&Value::Int(7)), Some(vec![7]));
        assert_eq!(created_ids(&Value::I8(7)), Some(vec![7]));
        assert_eq!(
            created_ids(&Value::Array(vec![Value::Int(7), Value::Int(8)])),
            Some(vec![7, 8])
        );
        assert_eq!(
            created_ids(&Value::String("g2p.program(4,)".into())),
            Some(vec![4])
        );
        assert_eq!(
            created_ids(&Value::String("res.partner(4, 5)".into())),
            Some(vec![4, 5])
        );
        assert_eq!(
            created_ids(&Value::String("res.partner()".into())),
            Some(vec![])
        );
        assert_eq!(created_ids(&Value::String("done".into())), None);
        assert_eq!(created_ids(&Value::Bool(true)), None);
        assert_eq!(created_ids(&Value::Nil), None);
        assert_eq!(created_ids(&Value::I8(1 << 40)), None);
    }
}
