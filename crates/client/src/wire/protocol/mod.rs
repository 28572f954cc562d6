//! The four protocols of a model method call, one module each behind the one
//! [`ProtocolClient`] trait that [`Session`](crate::Session) calls through [`LoggedIn`]:
//!
//! | module | path | secret |
//! |---|---|---|
//! | [`xmlrpc`] | `POST /xmlrpc/2/object`, `execute_kw` | password or API key, in every call |
//! | [`jsonrpc`] | `POST /jsonrpc`, `service: object, method: execute_kw` | password or API key, in every call |
//! | [`web`] | `POST /web/dataset/call_kw/<model>/<method>` with the web client's session cookie | password (`/web/session/authenticate`) |
//! | [`json2`] | `POST /json/2/<model>/<method>` (Odoo 19+) | API key, as bearer token |
//!
//! XML-RPC and JSON-RPC send the same `execute_kw` arguments ([`execute_kw`]), each in its
//! own encoding.
//!
//! Each module holds what its path sends with every call, logs in, sends, and maps the
//! answer (a result decoded in one pass by a [`Decoder`], or the server's error) to the
//! crate's typed errors. The transport below knows nothing of these protocols.

pub(crate) mod dialect;
pub(crate) mod execute_kw;
pub(crate) mod json;
pub(crate) mod json2;
pub(crate) mod jsonrpc;
pub(crate) mod web;
pub(crate) mod xmlrpc;

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;
use std::time::Duration;

use openspp_xmlrpc::{DecodeOptions, Fault, Struct, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::Idempotency;
use crate::error::{CallId, Error, ProtocolError};
use crate::wire::transport::Transport;

/// The wire path of a session's model method calls. Every path gives the same typed
/// results and errors; they differ in what the server does per call.
///
/// | server, secret | `Auto` picks | why |
/// |---|---|---|
/// | any, a password: [`Secret::password`], or a plain string that is not 40 lowercase hex characters | [`Web`](Protocol::Web) | one login, then a session cookie: the server skips the RPC layer's per-call authentication, and answers JSON |
/// | Odoo 19+, an API key: [`Secret::api_key`], or a plain string of 40 lowercase hex characters (the shape of every key Odoo generates) | [`Json2`](Protocol::Json2) | the one API-key path without the RPC layer |
/// | Odoo 16 to 18, an API key (the same) | [`JsonRpc`](Protocol::JsonRpc) | API keys cannot open a web session; JSON is a quarter of XML's size |
///
/// A plain string (or [`Secret::new`]) of a key's shape that JSON-2 refuses is then tried as
/// a password on the web path: Odoo counts no failed login for a refused bearer token, so
/// no shape ever costs one (before 19, JSON-RPC takes a password as well as a key).
///
/// `Auto` asks the version (`/web/webclient/version_info`, served by every release) only
/// for an API key; a named protocol makes no extra call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// The path that costs the server least for this secret and server (table above).
    #[default]
    Auto,
    /// XML-RPC: `common.authenticate` then `object.execute_kw` on `/xmlrpc/2`. What the
    /// OpenSPP guide documents; deprecated in Odoo 19, removal planned in 22.
    XmlRpc,
    /// JSON-RPC on `/jsonrpc`: the same services as XML-RPC, in JSON.
    JsonRpc,
    /// The web client's session: `/web/session/authenticate` with a password, then
    /// `/web/dataset/call_kw` with the session cookie.
    Web,
    /// JSON-2 (Odoo 19+): `POST /json/2/<model>/<method>` with the API key as bearer token.
    Json2,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Auto => "auto",
            Protocol::XmlRpc => "xmlrpc",
            Protocol::JsonRpc => "jsonrpc",
            Protocol::Web => "web",
            Protocol::Json2 => "json2",
        })
    }
}

impl FromStr for Protocol {
    type Err = Error;
    /// The names [`Display`](fmt::Display) prints: `auto`, `xmlrpc`, `jsonrpc`, `web`, `json2`.
    fn from_str(name: &str) -> Result<Self, Error> {
        Ok(
            match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
                "auto" => Protocol::Auto,
                "xmlrpc" => Protocol::XmlRpc,
                "jsonrpc" => Protocol::JsonRpc,
                "web" => Protocol::Web,
                "json2" => Protocol::Json2,
                _ => {
                    return Err(Error::Config(format!(
                        "unknown protocol {name:?} (auto, xmlrpc, jsonrpc, web or json2)"
                    )));
                }
            },
        )
    }
}

/// What `common.version()` and `/web/webclient/version_info` return.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ServerVersion {
    /// E.g. `"17.0-20240709"`.
    pub server_version: String,
    /// E.g. `[17, 0, 0, "final", 0, ""]`.
    pub server_version_info: Vec<Value>,
    /// E.g. `"17.0"`.
    pub server_serie: String,
    /// The RPC protocol version (1).
    pub protocol_version: i32,
}

impl ServerVersion {
    /// The major version, e.g. 17 (the first element of `server_version_info`).
    pub fn major(&self) -> Option<i32> {
        match self.server_version_info.first()? {
            Value::Int(major) => Some(*major),
            _ => None,
        }
    }
}

/// Turns a successful answer into a call's result, from any path.
pub(crate) trait Decoder: Sync {
    /// The result.
    type Output;
    /// An XML-RPC answer (a fault is `Ok(Err(fault))`).
    fn xmlrpc(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Self::Output, Fault>, ProtocolError>;
    /// A JSON result, from a deserializer that already speaks Odoo's dialect (`false` for
    /// empty is `None`, integers narrowed as XML-RPC's): decoded in one pass. The inner
    /// error is a well-formed value the result type refuses (a typed row's field).
    fn json<'de, D: Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Result<Self::Output, ProtocolError>, D::Error>;
}

/// Decodes into `R` with serde, with the same dialect rules on every path.
pub(crate) struct Serde<R>(PhantomData<fn() -> R>);

impl<R> Serde<R> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<R: DeserializeOwned> Decoder for Serde<R> {
    type Output = R;
    fn xmlrpc(&self, body: &[u8], opts: &DecodeOptions) -> Result<Result<R, Fault>, ProtocolError> {
        xmlrpc::decode_response(body, opts)
    }
    fn json<'de, D: Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Result<R, ProtocolError>, D::Error> {
        R::deserialize(deserializer).map(Ok)
    }
}

/// The arguments of one model method call, once the session's context is merged in.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params {
    /// The records the method runs on ([`Args::ids`](crate::Args::ids)).
    pub(crate) ids: Option<Value>,
    /// Positional arguments, with their Python names when the caller gave them
    /// ([`Args::arg`](crate::Args::arg)); `execute_kw`'s have none.
    pub(crate) args: Vec<(Option<String>, Value)>,
    /// Keyword arguments, without `context`.
    pub(crate) kwargs: Vec<(String, Value)>,
    /// The call's whole context.
    pub(crate) context: Struct,
}

impl Params {
    /// `execute_kw`'s `args` (ids first) and `kwargs`, with the context as a kwarg when it
    /// is not empty.
    pub(crate) fn positional(self) -> (Vec<Value>, Struct) {
        let args = self
            .ids
            .into_iter()
            .chain(self.args.into_iter().map(|(_, v)| v))
            .collect();
        let mut kwargs: Struct = self.kwargs.into_iter().collect();
        if !self.context.is_empty() {
            kwargs.insert("context".to_owned(), Value::Struct(self.context));
        }
        (args, kwargs)
    }
}

/// How one call is sent: its identity, whether it may be repeated, its timeout.
#[derive(Debug)]
pub(crate) struct Sending<'a> {
    pub(crate) call: &'a CallId,
    pub(crate) idempotency: Idempotency,
    pub(crate) timeout: Option<Duration>,
}

impl<'a> Sending<'a> {
    /// A call that changes nothing (a login, the version, a read during login), sent with the
    /// client's timeout: retried like every read.
    pub(crate) fn read_only(call: &'a CallId) -> Self {
        Sending {
            call,
            idempotency: Idempotency::ReadOnly,
            timeout: None,
        }
    }
}

/// The client side of one protocol: sends a model method call and decodes its answer.
pub(crate) trait ProtocolClient {
    /// The protocol this path is.
    fn protocol(&self) -> Protocol;
    /// Sends `params` as `call` and decodes the result with `decoder`; the server's error
    /// answers become the crate's typed errors.
    async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error>;
}

/// The protocol a session logged in with, and what it sends with every call (credentials
/// or the web session's cookie).
pub(crate) enum LoggedIn {
    XmlRpc(xmlrpc::XmlRpc),
    JsonRpc(jsonrpc::JsonRpc),
    Web(web::Web),
    Json2(json2::Json2),
}

impl LoggedIn {
    /// The path as a trait object's worth of dispatch (static: each arm is monomorphized).
    pub(crate) fn protocol(&self) -> Protocol {
        match self {
            LoggedIn::XmlRpc(p) => p.protocol(),
            LoggedIn::JsonRpc(p) => p.protocol(),
            LoggedIn::Web(p) => p.protocol(),
            LoggedIn::Json2(p) => p.protocol(),
        }
    }

    pub(crate) async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        match self {
            LoggedIn::XmlRpc(p) => p.execute(transport, sending, params, decoder).await,
            LoggedIn::JsonRpc(p) => p.execute(transport, sending, params, decoder).await,
            LoggedIn::Web(p) => p.execute(transport, sending, params, decoder).await,
            LoggedIn::Json2(p) => p.execute(transport, sending, params, decoder).await,
        }
    }

    /// Ends the session where the server keeps one (the web session's cookie is dropped
    /// either way).
    pub(crate) async fn logout(&self, transport: &Transport) -> Result<(), Error> {
        match self {
            LoggedIn::Web(web) => web.logout(transport).await,
            _ => Ok(()),
        }
    }
}

/// The [`CallId`] of `model.method` on a path's service name.
pub(crate) fn call_id(service: &'static str, model: &str, method: &str) -> CallId {
    CallId {
        service,
        model: Some(model.to_owned()),
        method: method.to_owned(),
    }
}

/// Model and method names that go into a URL path are checked first: a name with a `/`,
/// `?`, `#` or `%` would reach another URL than the one meant.
pub(crate) fn url_names(call: &CallId, model: &str, method: &str) -> Result<(), Error> {
    for (what, name) in [("model", model), ("method", method)] {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !valid {
            return Err(Error::InvalidCall {
                call: call.clone(),
                reason: format!(
                    "{what} name {name:?} cannot be sent in a URL (letters, digits, '_' and '.' only)"
                ),
            });
        }
    }
    Ok(())
}

/// Methods that never change data: safe to resend after a timeout or broken connection.
const READ_ONLY_METHODS: &[&str] = &[
    "check_access_rights",
    "default_get",
    "fields_get",
    "name_search",
    "read",
    "read_group",
    "search",
    "search_count",
    "search_read",
];

pub(crate) fn idempotency(method: &str) -> Idempotency {
    if READ_ONLY_METHODS.contains(&method) {
        Idempotency::ReadOnly
    } else {
        Idempotency::Mutating
    }
}
