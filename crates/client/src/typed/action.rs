//! What a button method returns when it asks the web client to do something: an
//! `ir.actions.*` dictionary, decoded into a typed [`Action`]. A program can then follow
//! "open the cycle just created" with the bindings ([`WindowAction::record`]).

use openspp_xmlrpc::{Struct, Value};
use serde::{Deserialize, Deserializer};

use crate::typed::model::{Id, Model};

/// An action dictionary (`{"type": "ir.actions.act_window", ...}`), as a button returns it.
/// A button that returns `True` or `None` has no action: decode into `Option<Action>`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// `ir.actions.act_window`: open records in a view.
    Window(WindowAction),
    /// `ir.actions.act_window_close`: close the dialog.
    Close,
    /// `ir.actions.client`: a client-side action (`display_notification`, `reload`...).
    Client {
        /// The client action's tag.
        tag: String,
        /// Its `params` (a notification's title and message...), `Value::Nil` when absent.
        params: Value,
    },
    /// `ir.actions.act_url`: open a URL.
    Url {
        /// The URL.
        url: String,
        /// `new` or `self`, when given.
        target: Option<String>,
    },
    /// Any other action type (a report, a server action), kept whole.
    Other {
        /// Its `type`.
        kind: String,
        /// The dictionary as sent.
        raw: Struct,
    },
}

/// An `ir.actions.act_window`: which model's records to show, and how.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WindowAction {
    /// The window's title.
    pub name: Option<String>,
    /// The model of the records shown (`g2p.cycle`).
    pub res_model: String,
    /// The one record a form opens on.
    pub res_id: Option<i32>,
    /// The records an `[("id", "in", ids)]` or `[("id", "=", id)]` domain names.
    pub ids: Vec<i32>,
    /// The domain, as sent (a list, or a string Odoo evaluates).
    pub domain: Option<Value>,
    /// The context, as sent (a dict, or a string Odoo evaluates).
    pub context: Option<Value>,
    /// `form`, `tree,form`, ...
    pub view_mode: Option<String>,
    /// `current`, `new` (a dialog), `inline`, ...
    pub target: Option<String>,
}

impl WindowAction {
    /// The record the action opens, typed, when it is of model `M` (`None` for another model
    /// or no single record).
    pub fn record<M: Model>(&self) -> Option<Id<M>> {
        if self.res_model != M::NAME {
            return None;
        }
        let id = self.res_id.or(match self.ids.as_slice() {
            [only] => Some(*only),
            _ => None,
        })?;
        Some(Id::new(id))
    }

    /// Every record the action names (its `res_id`, or the ids of its domain), typed, when
    /// they are of model `M`.
    pub fn records<M: Model>(&self) -> Vec<Id<M>> {
        if self.res_model != M::NAME {
            return Vec::new();
        }
        self.res_id
            .into_iter()
            .chain(self.ids.iter().copied())
            .map(Id::new)
            .collect()
    }
}

impl Action {
    /// Reads an action dictionary; `None` when `value` is not one (a button's `True`,
    /// `False` or `None`, or a dict without a `type`).
    pub fn from_value(value: &Value) -> Option<Action> {
        match value {
            Value::Struct(dict) => Action::from_dict(dict.clone()),
            _ => None,
        }
    }

    fn from_dict(mut dict: Struct) -> Option<Action> {
        let kind = match dict.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return None,
        };
        let text = |dict: &Struct, key: &str| match dict.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            _ => None,
        };
        let present =
            |value: Option<Value>| value.filter(|v| !matches!(v, Value::Nil | Value::Bool(false)));
        Some(match kind.as_str() {
            "ir.actions.act_window" => {
                let res_model = text(&dict, "res_model")?;
                let domain = present(dict.remove("domain"));
                Action::Window(WindowAction {
                    name: text(&dict, "name"),
                    res_id: dict.get("res_id").and_then(int),
                    ids: domain.as_ref().map(domain_ids).unwrap_or_default(),
                    domain,
                    context: present(dict.remove("context")),
                    view_mode: text(&dict, "view_mode"),
                    target: text(&dict, "target"),
                    res_model,
                })
            }
            "ir.actions.act_window_close" => Action::Close,
            "ir.actions.client" => Action::Client {
                tag: text(&dict, "tag").unwrap_or_default(),
                params: dict.remove("params").unwrap_or(Value::Nil),
            },
            "ir.actions.act_url" => Action::Url {
                url: text(&dict, "url").unwrap_or_default(),
                target: text(&dict, "target"),
            },
            _ => Action::Other { kind, raw: dict },
        })
    }
}

fn int(value: &Value) -> Option<i32> {
    match value {
        Value::Int(id) => Some(*id),
        Value::I8(id) => i32::try_from(*id).ok(),
        _ => None,
    }
}

/// The ids of an `[("id", "in", ids)]` or `[("id", "=", id)]` domain (any other: none).
fn domain_ids(domain: &Value) -> Vec<i32> {
    let Value::Array(terms) = domain else {
        return Vec::new();
    };
    for term in terms {
        let Value::Array(parts) = term else { continue };
        let [Value::String(field), Value::String(operator), value] = parts.as_slice() else {
            continue;
        };
        if field != "id" {
            continue;
        }
        match (operator.as_str(), value) {
            ("in", Value::Array(ids)) => return ids.iter().filter_map(int).collect(),
            ("=", id) => return int(id).into_iter().collect(),
            _ => {}
        }
    }
    Vec::new()
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let dict = Struct::deserialize(deserializer)?;
        let kind = dict.get("type").cloned();
        Action::from_dict(dict).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not an action dictionary (type {kind:?}, or a window action without res_model)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(pairs: &[(&str, Value)]) -> Value {
        Value::Struct(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn window_actions_name_their_records() {
        let s = |t: &str| Value::String(t.to_owned());
        let action = dict(&[
            ("type", s("ir.actions.act_window")),
            ("res_model", s("g2p.cycle")),
            ("view_mode", s("tree,form")),
            (
                "domain",
                Value::Array(vec![Value::Array(vec![
                    s("id"),
                    s("in"),
                    Value::Array(vec![Value::Int(4), Value::Int(7)]),
                ])]),
            ),
            ("res_id", Value::Bool(false)),
            ("target", s("current")),
        ]);
        let Some(Action::Window(window)) = Action::from_value(&action) else {
            panic!()
        };
        assert_eq!(window.ids, [4, 7]);
        assert_eq!(window.res_id, None);
        assert_eq!(window.view_mode.as_deref(), Some("tree,form"));
        assert_eq!(Action::from_value(&Value::Bool(true)), None);
        let close = dict(&[("type", s("ir.actions.act_window_close"))]);
        assert_eq!(Action::from_value(&close), Some(Action::Close));
    }
}
