//! `fields_get` and `default_get`, answered from the schemas exactly as the real server
//! answered the dump (faults included, so a dump of this server reproduces the schemas).

use super::Env;
use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model};
use crate::values::{json_to_value, py_repr};
use openspp_xmlrpc::{Struct, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// The fault a schema recorded (code and last line), raised again.
pub fn recorded_fault(code: i64, message: &str) -> OdooError {
    match code {
        2 => OdooError::User(message.to_owned()),
        3 => OdooError::AccessDenied(message.to_owned()),
        4 => OdooError::Access(message.to_owned()),
        _ => match message.split_once(": ") {
            Some((class, rest)) if !class.contains(' ') && !class.is_empty() => {
                OdooError::python(class, rest)
            }
            _ => OdooError::Traceback(message.to_owned()),
        },
    }
}

fn names(value: Option<&Value>, what: &str) -> OdooResult<Option<Vec<String>>> {
    match value {
        None | Some(Value::Bool(false)) | Some(Value::Nil) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(OdooError::type_error(format!(
                    "{what}: expected field names, got {}",
                    py_repr(other)
                ))),
            })
            .collect::<OdooResult<Vec<_>>>()
            .map(Some),
        Some(other) => Err(OdooError::type_error(format!(
            "{what}: expected a list, got {}",
            py_repr(other)
        ))),
    }
}

/// `fields_get(allfields=None, attributes=None)`.
///
/// A `null` in the schema (product.pricelist has one) is answered as nil: the XML-RPC layer
/// then faults like Odoo's marshaller, and JSON-RPC carries it.
pub fn fields_get(
    env: &Env<'_>,
    model: &Model,
    allfields: Option<&Value>,
    attributes: Option<&Value>,
) -> OdooResult<Value> {
    let allfields = names(allfields, "allfields")?;
    let attributes = names(attributes, "attributes")?;
    if attributes.is_none() && !env.json {
        if let Some(fault) = &model.schema.fields_get_xmlrpc_fault {
            return Err(recorded_fault(fault.code, &fault.message));
        }
    }
    let mut out = Struct::new();
    for (name, field) in &model.schema.fields {
        if allfields
            .as_ref()
            .is_some_and(|wanted| !wanted.contains(name))
        {
            continue;
        }
        let mut description = Struct::new();
        for (attr, json) in &field.attributes {
            if attributes
                .as_ref()
                .is_some_and(|wanted| !wanted.contains(attr))
            {
                continue;
            }
            description.insert(attr.clone(), json_to_value(json));
        }
        out.insert(name.clone(), Value::Struct(description));
    }
    Ok(Value::Struct(out))
}

/// `default_get(fields_list)`.
///
/// A model whose dump recorded `default_get_xmlrpc_fault` faults that way over XML-RPC and
/// answers its defaults (`null`s included) over JSON-RPC, as the real server did; one with
/// `default_get_fault` faults on both, so a dump of this server invents no defaults.
pub fn default_get(env: &Env<'_>, model: &Model, fields_list: Option<&Value>) -> OdooResult<Value> {
    if let Some((code, message)) = &model.default_get_fault {
        return Err(recorded_fault(*code, message));
    }
    if !env.json {
        if let Some(fault) = &model.schema.default_get_xmlrpc_fault {
            return Err(recorded_fault(fault.code, &fault.message));
        }
    }
    let wanted = names(fields_list, "fields_list")?.unwrap_or_default();
    let mut out = Struct::new();
    for name in wanted {
        let Some(field) = model.field(&name) else {
            continue;
        };
        if let Some(value) = env.context.get(&format!("default_{name}")) {
            out.insert(name, value.clone());
        } else if let Some(value) = server_default(env, field) {
            out.insert(name, value);
        }
    }
    Ok(Value::Struct(out))
}

/// The default the server gives `field`: the recorded one, or for a default the real server
/// computes on each call (`default_varies`), a fresh one of the same kind, so that a dump of
/// this server records it as varying too: the date or time of the call, a new number, a new
/// token, a new record's id. Another kind of varying default (never seen on a real server)
/// answers `false`.
pub fn server_default(env: &Env<'_>, field: &Field) -> Option<Value> {
    if !field.default_varies {
        return field.default.as_ref().map(json_to_value);
    }
    static FRESH: AtomicU64 = AtomicU64::new(1);
    let fresh = FRESH.fetch_add(1, Ordering::Relaxed);
    // below 10^9, so it fits an int
    let number = i32::try_from(fresh % 1_000_000_000).unwrap_or_default();
    let now = crate::clock::to_the_second(&env.now);
    Some(match field.kind {
        Kind::Datetime => Value::String(now.to_owned()),
        Kind::Date => Value::String(now[..now.len().min(10)].to_owned()),
        // OpenSPP 2's `res.company.batch_payment_sequence_id` (a many2one): each default_get
        // creates an `ir.sequence`. A fresh id, which `create` drops when no such record
        // exists.
        Kind::Integer | Kind::Many2one => Value::Int(number),
        Kind::Float => Value::Double(f64::from(number)),
        Kind::Text => Value::String(format!("00000000-0000-4000-8000-{fresh:012x}")),
        _ => Value::Bool(false),
    })
}
