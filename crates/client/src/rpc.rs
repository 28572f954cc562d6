//! One XML-RPC call: encode the params, POST them with a tracing span (never the secret),
//! decode the answer and classify faults. Used by every `common` and `object` call. Also the
//! [`Decoder`]s, which turn an answer of either protocol into the call's result.

use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use odoo_xmlrpc::{DecodeOptions, Fault, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Call, Error, ProtocolError, classify};
use crate::transport::{Idempotency, Request, Transport};

/// Decodes an answer with serde: the decoder of every call whose result is a plain
/// `DeserializeOwned` type.
pub(crate) fn decode_response<R: DeserializeOwned>(
    body: &[u8],
    opts: &DecodeOptions,
) -> Result<Result<R, Fault>, ProtocolError> {
    odoo_xmlrpc::from_response_with(body, opts).map_err(ProtocolError::Decode)
}

/// Turns a successful answer into a call's result, from either protocol.
pub(crate) trait Decoder: Sync {
    /// The result.
    type Output;
    /// An XML-RPC answer (a fault is `Ok(Err(fault))`).
    fn xmlrpc(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Self::Output, Fault>, ProtocolError>;
    /// A JSON-2 answer, already parsed into a [`Value`].
    fn json2(&self, value: Value) -> Result<Self::Output, ProtocolError>;
}

/// Decodes into `R` with serde, with the same dialect rules on both protocols.
pub(crate) struct Serde<R>(PhantomData<fn() -> R>);

impl<R> Serde<R> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<R: DeserializeOwned> Decoder for Serde<R> {
    type Output = R;
    fn xmlrpc(&self, body: &[u8], opts: &DecodeOptions) -> Result<Result<R, Fault>, ProtocolError> {
        decode_response(body, opts)
    }
    fn json2(&self, value: Value) -> Result<R, ProtocolError> {
        odoo_xmlrpc::from_value(value).map_err(ProtocolError::Decode)
    }
}

impl Transport {
    /// Encodes, sends and decodes one call with serde, classifying faults.
    pub(crate) async fn rpc<R: DeserializeOwned>(
        &self,
        call: &Call,
        path: &str,
        params: &impl Serialize,
        idempotency: Idempotency,
        timeout: Option<Duration>,
    ) -> Result<R, Error> {
        self.call(call, path, params, idempotency, timeout, decode_response)
            .await
    }

    /// Encodes `params`, sends them (traced, never the secret) and decodes the answer with
    /// `decode`.
    pub(crate) async fn call<R>(
        &self,
        call: &Call,
        path: &str,
        params: &impl Serialize,
        idempotency: Idempotency,
        timeout: Option<Duration>,
        decode: impl FnOnce(&[u8], &DecodeOptions) -> Result<Result<R, Fault>, ProtocolError>,
    ) -> Result<R, Error> {
        let body =
            odoo_xmlrpc::to_call(&call.method_name(), params).map_err(|source| Error::Encode {
                call: call.clone(),
                source,
            })?;
        let request = Request {
            path,
            content_type: "text/xml",
            headers: None,
            body: Bytes::from(body),
            idempotency,
            timeout,
            json_error_answers: false,
        };
        self.post_traced(call, &request, |answer| {
            let opts = DecodeOptions::new().max_size(Some(self.settings.max_response_bytes));
            match decode(&answer.body, &opts) {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(fault)) => {
                    let fault = classify(call.clone(), fault, idempotency == Idempotency::Mutating);
                    tracing::debug!(kind = %fault.kind, "fault");
                    Err(Error::Fault(Box::new(fault)))
                }
                Err(kind) => Err(Error::bad_answer(call, kind, idempotency)),
            }
        })
        .await
    }
}

impl Call {
    /// The XML-RPC method name of this call.
    fn method_name(&self) -> String {
        if self.service == "object" {
            "execute_kw".to_owned()
        } else {
            self.method.clone()
        }
    }
}
