//! `object.execute_kw(db, uid, secret, model, method, args, kwargs)`: the RPC service
//! layer's model call (`odoo/service/model.py`), which XML-RPC and JSON-RPC each send in
//! their own encoding. The server checks the secret on every call.

use openspp_xmlrpc::{Struct, Value};
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::Params;
use crate::error::CallId;
use crate::secret::Secret;

/// What every `execute_kw` carries: the database, the uid `common.authenticate` gave, and
/// the secret it was given with.
pub(crate) struct Credentials {
    pub(crate) db: String,
    pub(crate) uid: i32,
    pub(crate) secret: Secret,
}

/// One `execute_kw` call's arguments, in the server's order.
pub(crate) struct ExecuteKw<'a> {
    credentials: &'a Credentials,
    model: &'a str,
    method: &'a str,
    /// Positional arguments, ids first.
    pub(crate) args: Vec<Value>,
    /// Keyword arguments, the context among them when it is not empty.
    pub(crate) kwargs: Struct,
}

impl Credentials {
    /// The arguments of `call` with `params`.
    pub(crate) fn execute_kw<'a>(&'a self, call: &'a CallId, params: Params) -> ExecuteKw<'a> {
        let (args, kwargs) = params.positional();
        ExecuteKw {
            credentials: self,
            model: call.model.as_deref().unwrap_or_default(),
            method: &call.method,
            args,
            kwargs,
        }
    }
}

impl ExecuteKw<'_> {
    /// Serializes the arguments as a sequence, with `args` and `kwargs` in the encoding's
    /// own form; `kwargs` left out when `None`.
    pub(crate) fn serialize<S: Serializer>(
        &self,
        serializer: S,
        args: impl Serialize,
        kwargs: Option<impl Serialize>,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(6 + usize::from(kwargs.is_some())))?;
        seq.serialize_element(&self.credentials.db)?;
        seq.serialize_element(&self.credentials.uid)?;
        seq.serialize_element(&self.credentials.secret.param())?;
        seq.serialize_element(self.model)?;
        seq.serialize_element(self.method)?;
        seq.serialize_element(&args)?;
        if let Some(kwargs) = kwargs {
            seq.serialize_element(&kwargs)?;
        }
        seq.end()
    }
}
