//! The session layer: [`Client`](client::Client) logs in (choosing the [`Protocol`] for the
//! secret and server), and a [`Session`] sends model method calls over the protocol it logged
//! in with: the context merged, read-only calls retried, errors attributed to their call. The
//! protocols themselves are in `crate::wire::protocol`.

pub(crate) mod client;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use openspp_xmlrpc::{Struct, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{CallId, Error, Idempotency};
use crate::typed::args::Args;
use crate::typed::context::Context;
use crate::wire::protocol::{
    self, Decoder, LoggedIn, Params, Protocol, Sending, Serde, ServerVersion, idempotency,
};
use crate::wire::transport::Transport;

/// An authenticated handle. Cheap to clone; clones share the connection pool (and, on the
/// web path, the session).
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
    context: Context,
}

struct SessionInner {
    transport: Arc<Transport>,
    db: String,
    uid: i32,
    /// The path, and the secret or session it sends; never printed. `None` once logged out:
    /// the secret is dropped (and zeroed) when the last call still using it ends.
    logged_in: std::sync::RwLock<Option<Arc<LoggedIn>>>,
    /// The path, kept after logout for the errors' call names.
    protocol: Protocol,
    /// The server's version, asked once when first needed ([`Session::server_version`]),
    /// or kept from the login when [`Protocol::Auto`] asked it.
    version: tokio::sync::OnceCell<ServerVersion>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("db", &self.inner.db)
            .field("uid", &self.inner.uid)
            .field("protocol", &self.protocol())
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}

/// Per-call options for [`Session::execute_kw_with`].
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Context keys for this call (they win over the session's).
    pub context: Option<Context>,
    /// A timeout for this call instead of the client's.
    pub timeout: Option<Duration>,
}

impl Session {
    /// The logged-in user's id.
    pub fn uid(&self) -> i32 {
        self.inner.uid
    }

    /// The protocol this session speaks (never [`Protocol::Auto`]).
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// The server's version (`/web/webclient/version_info`, served by every release), asked
    /// on first use and then kept: methods that changed between releases (`read_group`,
    /// `formatted_read_group`) choose by it.
    pub async fn server_version(&self) -> Result<&ServerVersion, Error> {
        self.inner
            .version
            .get_or_try_init(|| protocol::web::version_info(&self.inner.transport))
            .await
    }

    /// The context sent with every call.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// A session sharing this one's connection with `context` added to every call.
    pub fn with_context(&self, context: &Context) -> Session {
        Session {
            inner: self.inner.clone(),
            context: self.context.merged(context),
        }
    }

    /// Ends the session on every path: this session and its clones forget the secret (the
    /// password or API key, zeroed in memory once no call in flight uses it) or the web
    /// session's cookie, and refuse later calls with [`Error::LoggedOut`].
    ///
    /// On the server: the web path destroys its session (`/web/session/destroy`).
    /// XML-RPC, JSON-RPC and JSON-2 keep no session there (each call carries the secret), so
    /// nothing is sent; an API key stays valid until revoked in the user's preferences.
    pub async fn logout(&self) -> Result<(), Error> {
        let logged_in = self
            .inner
            .logged_in
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        match logged_in {
            Some(logged_in) => logged_in.logout(&self.inner.transport).await,
            None => Ok(()),
        }
    }

    /// What the session sends with `call`, or [`Error::LoggedOut`] after [`Session::logout`].
    fn logged_in(&self, call: &CallId) -> Result<Arc<LoggedIn>, Error> {
        self.inner
            .logged_in
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| Error::LoggedOut { call: call.clone() })
    }

    /// Calls `method` of `model` with named [`Args`], over this session's protocol, and
    /// decodes the answer into `R` (Odoo's `false` for empty is `None` for an `Option`).
    ///
    /// ```no_run
    /// # async fn demo(odoo: openspp_client::Session) -> Result<(), openspp_client::Error> {
    /// use openspp_client::Args;
    /// let ids: Vec<i32> = odoo
    ///     .call(
    ///         "res.partner",
    ///         "search",
    ///         Args::new().arg("domain", [("is_company", "=", true)]).kwarg("limit", 5),
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn call<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: Args,
    ) -> Result<R, Error> {
        self.call_with(model, method, args, &CallOptions::default())
            .await
    }

    /// [`Session::call`] with per-call options.
    pub async fn call_with<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: Args,
        options: &CallOptions,
    ) -> Result<R, Error> {
        self.invoke(model, method, args, options, &Serde::new())
            .await
    }

    /// `execute_kw(model, method, args, kwargs)`, decoded into `R`.
    ///
    /// `args` must serialize as a sequence: a tuple such as `(domain,)`, a `Vec`, or `[(); 0]`
    /// for none (`()` itself is `False` in Odoo's dialect). `kwargs` is a struct/map, or `()`
    /// for none. The session's context is added to the kwargs.
    ///
    /// JSON-2 has no positional arguments: over JSON-2, `args` must be empty and every
    /// argument a kwarg; otherwise this is [`Error::InvalidCall`] and nothing is sent. Prefer
    /// [`Session::call`], which names each argument once for every protocol.
    ///
    /// ```no_run
    /// # async fn demo(odoo: openspp_client::Session) -> Result<(), openspp_client::Error> {
    /// let ids: Vec<i32> = odoo
    ///     .execute_kw("res.partner", "search", ((("is_company", "=", true),),), ())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute_kw<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: impl Serialize,
    ) -> Result<R, Error> {
        self.execute_kw_with(model, method, args, kwargs, &CallOptions::default())
            .await
    }

    /// [`Session::execute_kw`] with per-call options.
    pub async fn execute_kw_with<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: impl Serialize,
        options: &CallOptions,
    ) -> Result<R, Error> {
        let call = self.call_id(model, method);
        let encode = |source| Error::Encode {
            call: call.clone(),
            source,
        };
        let args = match openspp_xmlrpc::to_value(&args).map_err(encode)? {
            Value::Array(items) => items,
            Value::Nil => Vec::new(),
            other => {
                return Err(Error::InvalidCall {
                    call,
                    reason: format!("args must be a sequence, got {}", other.type_name()),
                });
            }
        };
        let kwargs = struct_of(
            &call,
            "kwargs",
            openspp_xmlrpc::to_value(&kwargs).map_err(encode)?,
        )?;
        let args = args.into_iter().map(|v| (None, v)).collect();
        let params = self.params(&call, None, args, kwargs.into_iter().collect(), options)?;
        self.send(&call, params, options, &Serde::new(), idempotency(method))
            .await
    }

    /// The one path of every model method call: merge the context, send over the
    /// session's path, decode with `decoder`, classify errors.
    pub(crate) async fn invoke<D: Decoder>(
        &self,
        model: &str,
        method: &str,
        mut args: Args,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let call = self.call_id(model, method);
        if let Some(source) = args.take_error() {
            return Err(Error::Encode { call, source });
        }
        let (ids, args, kwargs) = args.into_parts();
        let params = self.params(&call, ids, args, kwargs, options)?;
        self.send(&call, params, options, decoder, idempotency(method))
            .await
    }

    /// [`Session::invoke`] for a method whose read-only-ness its schema says (a business
    /// method, [`crate::repository::method`]), not its name.
    pub(crate) async fn invoke_classified<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        mut args: Args,
        options: &CallOptions,
        idempotency: Idempotency,
    ) -> Result<R, Error> {
        let call = self.call_id(model, method);
        if let Some(source) = args.take_error() {
            return Err(Error::Encode { call, source });
        }
        let (ids, args, kwargs) = args.into_parts();
        let params = self.params(&call, ids, args, kwargs, options)?;
        self.send(&call, params, options, &Serde::new(), idempotency)
            .await
    }

    /// Sends over the session's path. A read-only call met by a transient fault (the
    /// server rolled it back) is retried.
    async fn send<D: Decoder>(
        &self,
        call: &CallId,
        params: Params,
        options: &CallOptions,
        decoder: &D,
        idempotency: Idempotency,
    ) -> Result<D::Output, Error> {
        let sending = Sending {
            call,
            idempotency,
            timeout: options.timeout,
        };
        let logged_in = self.logged_in(call)?;
        let (logged_in, transport) = (&*logged_in, &*self.inner.transport);
        if sending.idempotency == Idempotency::Mutating {
            return logged_in
                .execute(transport, &sending, params, decoder)
                .await;
        }
        crate::wire::retry::retry_transient(&transport.settings.retry, || {
            logged_in.execute(transport, &sending, params.clone(), decoder)
        })
        .await
    }

    /// Which call an error belongs to: the service is the path's (`object` for XML-RPC).
    pub(crate) fn call_id(&self, model: &str, method: &str) -> CallId {
        let service = match self.protocol() {
            Protocol::XmlRpc => "object",
            Protocol::JsonRpc => "jsonrpc",
            Protocol::Web => "web",
            _ => "json2",
        };
        protocol::call_id(service, model, method)
    }

    /// The arguments with the call's context: the session's, then the call options', then
    /// the keys the program passed as a `context` argument (each wins over the one before).
    fn params(
        &self,
        call: &CallId,
        ids: Option<Value>,
        mut args: Vec<(Option<String>, Value)>,
        mut kwargs: Vec<(String, Value)>,
        options: &CallOptions,
    ) -> Result<Params, Error> {
        let given = match kwargs.iter().position(|(name, _)| name == "context") {
            Some(i) => Some(kwargs.remove(i).1),
            None => args
                .iter()
                .position(|(name, _)| name.as_deref() == Some("context"))
                .map(|i| args.remove(i).1),
        };
        let mut context = match &options.context {
            Some(c) => self.context.merged(c),
            None => self.context.clone(),
        };
        if let Some(given) = given {
            for (k, v) in struct_of(call, "kwargs.context", given)? {
                context = context.set(&k, v);
            }
        }
        Ok(Params {
            ids,
            args,
            kwargs,
            context: context.into_struct(),
        })
    }
}

/// `value` as a struct; `()`/nil and `[]` are the empty struct.
fn struct_of(call: &CallId, what: &str, value: Value) -> Result<Struct, Error> {
    match value {
        Value::Struct(members) => Ok(members),
        Value::Nil => Ok(Struct::new()),
        Value::Array(items) if items.is_empty() => Ok(Struct::new()),
        other => Err(Error::InvalidCall {
            call: call.clone(),
            reason: format!("{what} must be a struct, got {}", other.type_name()),
        }),
    }
}
