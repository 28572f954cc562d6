//! Serde helpers for where the codec's own `false`-is-`None` rule cannot reach.

use serde::{Deserialize, Deserializer};

/// `#[serde(deserialize_with = "openspp_xmlrpc::helpers::false_as_none")]` for an `Option<T>`
/// field that serde buffers before it reaches the codec, which happens inside
/// `#[serde(flatten)]` structs and internally tagged or untagged enums: there Odoo's `false`
/// (and nil) would otherwise be handed to `T` instead of becoming `None`. Outside such
/// buffering, plain `Option<T>` already works.
///
/// ```
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Contact {
///     #[serde(default, deserialize_with = "openspp_xmlrpc::helpers::false_as_none")]
///     email: Option<String>,
/// }
///
/// #[derive(Deserialize)]
/// struct Row {
///     id: i32,
///     #[serde(flatten)]
///     contact: Contact,
/// }
///
/// let body = b"<methodResponse><params><param><value><struct>\
///     <member><name>id</name><value><int>1</int></value></member>\
///     <member><name>email</name><value><boolean>0</boolean></value></member>\
///     </struct></value></param></params></methodResponse>";
/// let row: Row = openspp_xmlrpc::from_response(body).unwrap().unwrap();
/// assert_eq!(row.contact.email, None);
/// ```
pub fn false_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match FalseOr::<T>::deserialize(deserializer)? {
        FalseOr::Empty(Empty) => Ok(None),
        FalseOr::Value(v) => Ok(Some(v)),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FalseOr<T> {
    Empty(Empty),
    Value(T),
}

/// `false`, nil or unit.
struct Empty;

impl<'de> Deserialize<'de> for Empty {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Empty;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("false or nil")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Empty, E> {
                if v {
                    Err(E::invalid_value(serde::de::Unexpected::Bool(true), &self))
                } else {
                    Ok(Empty)
                }
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Empty, E> {
                Ok(Empty)
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Empty, E> {
                Ok(Empty)
            }
        }
        deserializer.deserialize_any(V)
    }
}
