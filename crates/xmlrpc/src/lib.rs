//! Odoo's XML-RPC wire format, with serde straight from the wire.
//!
//! * Decoding fills any `T: Deserialize` directly from the bytes, with no intermediate tree:
//!   a `search_read` response becomes `Vec<MyRecord>` in one pass.
//! * Encoding writes calls, responses and faults from any `T: Serialize`.
//! * [`Value`] is the dynamic model for when the shape is not known.
//! * Odoo's dialect is built in: `false` for an empty field decodes as `None` into an
//!   `Option<T>` (and stays `false` into a `bool`), many2one `[id, "name"]` pairs decode into
//!   tuples, exponent doubles (`1e-07`) are read, string fault codes (Odoo's legacy `/xmlrpc/`
//!   endpoint) are kept, and integers beyond i32 are refused on output unless `<i8>` is allowed.
//! * Hostile input gets a typed [`Error`]: no DOCTYPE or entity declarations, predefined and
//!   numeric character references only, a nesting-depth limit, an optional size limit, XML 1.0
//!   characters only, and errors that give the byte offset and the value path.
//!
//! ```
//! use serde::Deserialize;
//!
//! #[derive(Deserialize, Debug, PartialEq)]
//! struct Partner {
//!     id: i32,
//!     name: String,
//!     email: Option<String>,            // Odoo sends `false` when empty
//!     country_id: Option<(i32, String)>, // many2one
//! }
//!
//! let body = br#"<?xml version='1.0'?>
//! <methodResponse><params><param><value><array><data>
//! <value><struct>
//!   <member><name>id</name><value><int>7</int></value></member>
//!   <member><name>name</name><value><string>Ada &amp; Co</string></value></member>
//!   <member><name>email</name><value><boolean>0</boolean></value></member>
//!   <member><name>country_id</name><value><array><data>
//!     <value><int>21</int></value><value><string>Belgium</string></value></data></array></value></member>
//! </struct></value>
//! </data></array></value></param></params></methodResponse>"#;
//!
//! let partners: Vec<Partner> = openspp_xmlrpc::from_response(body)?.expect("not a fault");
//! assert_eq!(partners[0].name, "Ada & Co");
//! assert_eq!(partners[0].email, None);
//! assert_eq!(partners[0].country_id, Some((21, "Belgium".to_owned())));
//!
//! let call = openspp_xmlrpc::to_call("execute_kw", &("db", 2, "pw", "res.partner", "search", ((),)))?;
//! let (method, params): (String, Vec<openspp_xmlrpc::Value>) = openspp_xmlrpc::from_call(&call)?;
//! assert_eq!((method.as_str(), params.len()), ("execute_kw", 6));
//! # Ok::<(), openspp_xmlrpc::Error>(())
//! ```
#![warn(missing_docs)]

mod binary;
mod datetime;
mod error;
mod fault;
pub mod helpers;
mod options;
mod read;
mod value;
mod value_de;
mod write;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use binary::Base64;
pub use datetime::DateTime;
pub use error::{Error, ErrorKind};
pub use fault::{Fault, FaultCode};
pub use options::{DecodeOptions, EncodeOptions};
pub use value::{Document, MethodCall, Struct, Value};
pub use value_de::ValueDeserializer;

/// Decodes a `<methodResponse>` into `T`, or the [`Fault`] it carries, with default limits.
///
/// The outer `Result` is a decoding failure; the inner one is the server's answer.
pub fn from_response<T: DeserializeOwned>(bytes: &[u8]) -> Result<Result<T, Fault>, Error> {
    from_response_with(bytes, &DecodeOptions::default())
}

/// [`from_response`] with explicit limits.
pub fn from_response_with<T: DeserializeOwned>(
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<Result<T, Fault>, Error> {
    read::document::from_response(bytes, opts)
}

/// Decodes a `<methodCall>`: its method name, and its params as the sequence `P` (a tuple
/// with one element per param, or `Vec<Value>`).
///
/// ```
/// let body = b"<methodCall><methodName>sum</methodName><params>\
///     <param><value><int>1</int></value></param><param><value><i4>2</i4></value></param></params></methodCall>";
/// let (method, (a, b)): (String, (i32, i64)) = openspp_xmlrpc::from_call(body).unwrap();
/// assert_eq!((method.as_str(), a, b), ("sum", 1, 2));
/// ```
pub fn from_call<P: DeserializeOwned>(bytes: &[u8]) -> Result<(String, P), Error> {
    from_call_with(bytes, &DecodeOptions::default())
}

/// [`from_call`] with explicit limits.
pub fn from_call_with<P: DeserializeOwned>(
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<(String, P), Error> {
    read::document::from_call(bytes, opts)
}

/// Decodes any XML-RPC document into its [`Value`] form.
pub fn parse_document(bytes: &[u8], opts: &DecodeOptions) -> Result<Document, Error> {
    read::document::parse_document(bytes, opts)
}

/// Converts a [`Value`] into `T`, with the same rules as decoding from the wire.
///
/// ```
/// use openspp_xmlrpc::{from_value, Value};
/// let v = Value::Array(vec![Value::Int(3), Value::String("Belgium".into())]);
/// let many2one: Option<(i32, String)> = from_value(v).unwrap();
/// assert_eq!(many2one, Some((3, "Belgium".into())));
/// assert_eq!(from_value::<Option<String>>(Value::Bool(false)).unwrap(), None);
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(ValueDeserializer::from(value))
}

/// Converts any `T: Serialize` into a [`Value`] (integers beyond i32 become [`Value::I8`],
/// `None` and `()` become [`Value::Nil`]).
///
/// ```
/// use openspp_xmlrpc::{to_value, Value};
/// assert_eq!(to_value(&(1, "a")).unwrap(), Value::Array(vec![Value::Int(1), Value::String("a".into())]));
/// assert_eq!(to_value(&5_000_000_000_i64).unwrap(), Value::I8(5_000_000_000));
/// ```
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    value.serialize(write::ToValue)
}

/// Encodes a `<methodCall>`; `params` must serialize as a sequence or tuple, one element per
/// `<param>` (or `()` for none).
pub fn to_call<P: Serialize + ?Sized>(method: &str, params: &P) -> Result<Vec<u8>, Error> {
    to_call_with(method, params, &EncodeOptions::default())
}

/// [`to_call`] with explicit encoder choices.
pub fn to_call_with<P: Serialize + ?Sized>(
    method: &str,
    params: &P,
    opts: &EncodeOptions,
) -> Result<Vec<u8>, Error> {
    write::call(method, params, opts)
}

/// Encodes a `<methodResponse>` carrying `value`.
///
/// ```
/// let body = openspp_xmlrpc::to_response(&vec![1, 2]).unwrap();
/// let back: Vec<i32> = openspp_xmlrpc::from_response(&body).unwrap().unwrap();
/// assert_eq!(back, [1, 2]);
/// ```
pub fn to_response<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    to_response_with(value, &EncodeOptions::default())
}

/// [`to_response`] with explicit encoder choices.
pub fn to_response_with<T: Serialize + ?Sized>(
    value: &T,
    opts: &EncodeOptions,
) -> Result<Vec<u8>, Error> {
    write::response(value, opts)
}

/// Encodes a fault response. Characters XML 1.0 cannot carry are replaced by U+FFFD.
///
/// ```
/// use openspp_xmlrpc::{Fault, FaultCode};
/// let fault = Fault { code: FaultCode::Int(3), message: "Access Denied".into() };
/// let body = openspp_xmlrpc::to_fault(&fault);
/// assert_eq!(openspp_xmlrpc::from_response::<bool>(&body).unwrap(), Err(fault));
/// ```
pub fn to_fault(fault: &Fault) -> Vec<u8> {
    write::fault(fault)
}
