//! XML-RPC: `common.authenticate` on `/xmlrpc/2/common`, then
//! `object.execute_kw(db, uid, secret, model, method, args, kwargs)` on `/xmlrpc/2/object`.
//! Faults are classified by [`classify`]; the secret goes in every call's body.

use bytes::Bytes;
use openspp_xmlrpc::{DecodeOptions, Fault};
use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use super::Protocol;
use super::execute_kw::{Credentials, ExecuteKw};
use super::{Decoder, Params, ProtocolClient, Sending};
use crate::error::Idempotency;
use crate::error::{CallId, Error, ProtocolError, classify};
use crate::wire::transport::{Request, Transport};

/// What an XML-RPC session sends with every call.
pub(crate) struct XmlRpc(pub(crate) Credentials);

impl ProtocolClient for XmlRpc {
    fn protocol(&self) -> Protocol {
        Protocol::XmlRpc
    }

    async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let params = XmlRpcArgs(self.0.execute_kw(sending.call, params));
        send(
            transport,
            sending,
            "/xmlrpc/2/object",
            &params,
            |body, opts| decoder.xmlrpc(body, opts),
        )
        .await
    }
}

/// Decodes an answer with serde: the decoder of every call whose result is a plain
/// `DeserializeOwned` type.
pub(crate) fn decode_response<R: DeserializeOwned>(
    body: &[u8],
    opts: &DecodeOptions,
) -> Result<Result<R, Fault>, ProtocolError> {
    openspp_xmlrpc::from_response_with(body, opts).map_err(ProtocolError::Decode)
}

/// One read-only `common` call (`version`, `authenticate`, ...), decoded with serde.
pub(crate) async fn common<R: DeserializeOwned>(
    transport: &Transport,
    method: &str,
    params: &impl Serialize,
) -> Result<R, Error> {
    let call = CallId::service("common", method);
    let sending = Sending::read_only(&call);
    send(
        transport,
        &sending,
        "/xmlrpc/2/common",
        params,
        decode_response,
    )
    .await
}

/// Encodes `params`, sends them (traced, never the secret) and decodes the answer with
/// `decode`, classifying faults.
async fn send<R>(
    transport: &Transport,
    sending: &Sending<'_>,
    path: &str,
    params: &impl Serialize,
    decode: impl FnOnce(&[u8], &DecodeOptions) -> Result<Result<R, Fault>, ProtocolError>,
) -> Result<R, Error> {
    let call = sending.call;
    let method = if call.service == "object" {
        "execute_kw"
    } else {
        &call.method
    };
    let body = openspp_xmlrpc::to_call(method, params).map_err(|source| Error::Encode {
        call: call.clone(),
        source,
    })?;
    let request = Request {
        path,
        content_type: "text/xml",
        headers: None,
        body: Bytes::from(body),
        idempotency: sending.idempotency,
        timeout: sending.timeout,
        json_error_answers: false,
    };
    transport
        .post_traced(call, &request, |answer| {
            let opts = DecodeOptions::new().max_size(Some(transport.settings.max_response_bytes));
            match decode(&answer.body, &opts) {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(fault)) => {
                    let mutating = sending.idempotency == Idempotency::Mutating;
                    let fault = classify(call.clone(), fault, mutating);
                    tracing::debug!(kind = %fault.kind, "fault");
                    Err(Error::Fault(Box::new(fault)))
                }
                Err(kind) => Err(Error::bad_answer(call, kind, sending.idempotency)),
            }
        })
        .await
}

/// `execute_kw`'s arguments in XML-RPC: kwargs left out when empty (the server reads
/// `kw or {}`).
struct XmlRpcArgs<'a>(ExecuteKw<'a>);

impl Serialize for XmlRpcArgs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ExecuteKw { args, kwargs, .. } = &self.0;
        self.0
            .serialize(serializer, args, (!kwargs.is_empty()).then_some(kwargs))
    }
}
