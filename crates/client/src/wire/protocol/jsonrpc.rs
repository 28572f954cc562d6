//! JSON-RPC on `/jsonrpc`: the RPC services of XML-RPC (`common.authenticate`,
//! `object.execute_kw`) in a JSON envelope, `{"jsonrpc": "2.0", "method": "call",
//! "params": {"service", "method", "args"}}` (`odoo/addons/base/controllers/rpc.py`). The
//! secret goes in every call's body, as over XML-RPC; the answer is JSON, so it carries
//! `null` and is a quarter of XML-RPC's size. Also the JSON-RPC exchange the web session
//! shares ([`send`]).

use bytes::Bytes;
use openspp_xmlrpc::Struct;
use reqwest::header::HeaderMap;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::Protocol;
use super::execute_kw::{Credentials, ExecuteKw};
use super::json::{self, JsonList, JsonStruct, Reply, RpcError};
use super::{Decoder, Params, ProtocolClient, Sending, Serde};
use crate::error::Idempotency;
use crate::error::{CallId, Error};
use crate::secret::Secret;
use crate::wire::transport::{JSON, Request, Transport};

/// What a JSON-RPC session sends with every call.
pub(crate) struct JsonRpc(pub(crate) Credentials);

impl ProtocolClient for JsonRpc {
    fn protocol(&self) -> Protocol {
        Protocol::JsonRpc
    }

    async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let args = JsonRpcArgs(self.0.execute_kw(sending.call, params));
        let body = Envelope(&Service {
            service: "object",
            method: "execute_kw",
            args: &args,
        });
        match send(transport, sending, "/jsonrpc", None, &body, decoder).await? {
            (Ok(result), _) => Ok(result),
            (Err(error), _) => Err(fault(sending, error, AfterCommit::Serializing)),
        }
    }
}

/// `common.authenticate(db, login, secret, {})` over `/jsonrpc`: the uid, or
/// [`Error::AuthenticationFailed`] for `False`.
pub(crate) async fn login(
    transport: &Transport,
    db: &str,
    login: &str,
    secret: Secret,
) -> Result<JsonRpc, Error> {
    // the path in the name: a fault reads `common.authenticate (jsonrpc): …`
    let call = CallId::service("jsonrpc", "common.authenticate");
    let sending = Sending::read_only(&call);
    let args = (db, login, secret.param(), Struct::new());
    let body = Envelope(&Service {
        service: "common",
        method: "authenticate",
        args: &args,
    });
    let decoder = Serde::<Option<i32>>::new();
    match send(transport, &sending, "/jsonrpc", None, &body, &decoder).await? {
        (Ok(Some(uid)), _) => Ok(JsonRpc(Credentials {
            db: db.to_owned(),
            uid,
            secret,
        })),
        (Ok(None), _) => Err(Error::AuthenticationFailed {
            login: login.to_owned(),
            db: db.to_owned(),
            protocol: Protocol::JsonRpc,
            reason: "common.authenticate answered False".to_owned(),
        }),
        (Err(error), _) => Err(fault(&sending, error, AfterCommit::Never)),
    }
}

/// `{"jsonrpc": "2.0", "method": "call", "params": …}`.
pub(crate) struct Envelope<'a, P>(pub(crate) &'a P);

impl<P: Serialize> Serialize for Envelope<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("jsonrpc", "2.0")?;
        map.serialize_entry("method", "call")?;
        map.serialize_entry("params", self.0)?;
        map.end()
    }
}

/// The params of `/jsonrpc`.
#[derive(Serialize)]
struct Service<'a, A> {
    service: &'static str,
    method: &'static str,
    args: &'a A,
}

/// `execute_kw`'s arguments in JSON: kwargs always there.
struct JsonRpcArgs<'a>(ExecuteKw<'a>);

impl Serialize for JsonRpcArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ExecuteKw { args, kwargs, .. } = &self.0;
        self.0
            .serialize(serializer, JsonList(args), Some(JsonStruct(kwargs)))
    }
}

/// Posts a JSON-RPC request (traced, never the body) with `headers`, and decodes the
/// answer in one pass: the result, or Odoo's error object; with the answer's headers.
pub(crate) async fn send<D: Decoder>(
    transport: &Transport,
    sending: &Sending<'_>,
    path: &str,
    headers: Option<&HeaderMap>,
    body: &impl Serialize,
    decoder: &D,
) -> Result<(Result<D::Output, RpcError>, HeaderMap), Error> {
    let call = sending.call;
    let body = json::to_vec(body).map_err(|kind| Error::Protocol {
        call: call.clone(),
        kind,
        may_have_changed_data: false, // nothing was sent
    })?;
    let request = Request {
        path,
        content_type: JSON,
        headers,
        body: Bytes::from(body),
        idempotency: sending.idempotency,
        timeout: sending.timeout,
        json_error_answers: false,
    };
    transport
        .post_traced(call, &request, |answer| {
            match json::envelope(&answer.body, decoder) {
                Ok(Reply::Result(result)) => Ok((Ok(result), answer.headers)),
                Ok(Reply::Error(error)) => Ok((Err(error), answer.headers)),
                Err(kind) => Err(Error::bad_answer(call, kind, sending.idempotency)),
            }
        })
        .await
}

/// When an error answer may come after the transaction committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterCommit {
    /// `/jsonrpc` runs `execute_kw` in its own transaction, committed before the result is
    /// serialized: a result JSON cannot carry fails after the commit.
    Serializing,
    /// The answer is made inside the transaction (`/web/dataset/call_kw`), or nothing
    /// writes.
    Never,
}

/// The typed error of a JSON-RPC error answer.
pub(crate) fn fault(sending: &Sending<'_>, error: RpcError, after: AfterCommit) -> Error {
    let call = sending.call;
    let Some(exception) = error.data else {
        return Error::bad_answer(
            call,
            crate::error::ProtocolError::Unexpected(format!(
                "JSON-RPC error {} without Odoo's exception: {}",
                error.code, error.message
            )),
            sending.idempotency,
        );
    };
    let mut fault = json::fault(call, exception);
    let unserializable = fault
        .traceback
        .as_deref()
        .is_some_and(|t| t.contains("is not JSON serializable"));
    fault.may_have_changed_data = after == AfterCommit::Serializing
        && unserializable
        && sending.idempotency == Idempotency::Mutating;
    tracing::debug!(kind = %fault.kind, "fault");
    Error::Fault(Box::new(fault))
}
