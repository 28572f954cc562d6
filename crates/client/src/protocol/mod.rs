//! The four wire paths of a model method call, one module each behind the one [`Path`]
//! trait that [`Session`](crate::Session) calls:
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

use std::marker::PhantomData;
use std::time::Duration;

use openspp_xmlrpc::{DecodeOptions, Fault, Struct, Value};
use serde::Deserializer;
use serde::de::DeserializeOwned;

use crate::client::Protocol;
use crate::error::{Call, Error, ProtocolError};
use crate::transport::{Idempotency, Transport};

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
    pub(crate) call: &'a Call,
    pub(crate) idempotency: Idempotency,
    pub(crate) timeout: Option<Duration>,
}

/// One wire path: sends a model method call and decodes its answer.
pub(crate) trait Path {
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

/// The path of a session, and what it sends with every call.
pub(crate) enum Wire {
    XmlRpc(xmlrpc::XmlRpc),
    JsonRpc(jsonrpc::JsonRpc),
    Web(web::Web),
    Json2(json2::Json2),
}

impl Wire {
    /// The path as a trait object's worth of dispatch (static: each arm is monomorphized).
    pub(crate) fn protocol(&self) -> Protocol {
        match self {
            Wire::XmlRpc(p) => p.protocol(),
            Wire::JsonRpc(p) => p.protocol(),
            Wire::Web(p) => p.protocol(),
            Wire::Json2(p) => p.protocol(),
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
            Wire::XmlRpc(p) => p.execute(transport, sending, params, decoder).await,
            Wire::JsonRpc(p) => p.execute(transport, sending, params, decoder).await,
            Wire::Web(p) => p.execute(transport, sending, params, decoder).await,
            Wire::Json2(p) => p.execute(transport, sending, params, decoder).await,
        }
    }

    /// Ends the session where the server keeps one (the web session's cookie is dropped
    /// either way).
    pub(crate) async fn logout(&self, transport: &Transport) -> Result<(), Error> {
        match self {
            Wire::Web(web) => web.logout(transport).await,
            _ => Ok(()),
        }
    }
}

/// The [`Call`] of `model.method` on a path's service name.
pub(crate) fn call_id(service: &'static str, model: &str, method: &str) -> Call {
    Call {
        service,
        model: Some(model.to_owned()),
        method: method.to_owned(),
    }
}

/// Model and method names that go into a URL path are checked first: a name with a `/`,
/// `?`, `#` or `%` would reach another URL than the one meant.
pub(crate) fn url_names(call: &Call, model: &str, method: &str) -> Result<(), Error> {
    for (what, name) in [("model", model), ("method", method)] {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if !valid {
            return Err(Error::Config(format!(
                "{call}: {what} name {name:?} cannot be sent in a URL \
                 (letters, digits, '_' and '.' only)"
            )));
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
