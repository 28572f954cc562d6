//! [`Client`] (the `common` service: version, authenticate) and [`Session`] (an
//! authenticated handle: `execute_kw` on the `object` service, repositories).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use odoo_xmlrpc::{DecodeOptions, Fault, Value};
use serde::de::DeserializeOwned;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};

use crate::context::Context;
use crate::error::{Call, Error, ProtocolError};
use crate::model::Model;
use crate::repo::Repository;
use crate::retry::RetryPolicy;
use crate::rpc::decode_response;
use crate::secret::Secret;
use crate::transport::{Idempotency, Settings, Transport};

/// A connection to one database of an Odoo server, before login.
///
/// ```no_run
/// # async fn demo() -> Result<(), odoo_client::Error> {
/// use odoo_client::Client;
/// let client = Client::new("https://odoo.example.com", "openspp")?;
/// println!("{}", client.version().await?.server_version);
/// let odoo = client.login("admin", "an-api-key").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
    db: String,
    context: Context,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

/// Options for [`Client`]: timeouts, size limit, user agent, retries, default context.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    url: String,
    db: String,
    settings: Settings,
    context: Context,
}

impl ClientBuilder {
    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }
    /// Time allowed for one whole call, answer included (default 120 s).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.settings.call_timeout = timeout;
        self
    }
    /// Largest answer accepted, in bytes (default 64 MiB); enforced while reading.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }
    /// The User-Agent header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }
    /// Retry policy for calls that are safe to repeat.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.settings.retry = retry;
        self
    }
    /// Context sent with every `execute_kw` call of sessions from this client.
    pub fn context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }
    /// Builds the client (no I/O).
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client {
            transport: Arc::new(Transport::new(&self.url, self.settings)?),
            db: self.db,
            context: self.context,
        })
    }
}

/// What `common.version()` returns.
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

impl Client {
    /// A client with default settings for `url` (https assumed without a scheme) and `db`.
    pub fn new(url: &str, db: &str) -> Result<Self, Error> {
        Self::builder(url, db).build()
    }

    /// A builder to change settings.
    pub fn builder(url: &str, db: &str) -> ClientBuilder {
        ClientBuilder {
            url: url.to_owned(),
            db: db.to_owned(),
            settings: Settings::default(),
            context: Context::new(),
        }
    }

    /// The database name.
    pub fn db(&self) -> &str {
        &self.db
    }

    /// `common.version()`: needs no login.
    pub async fn version(&self) -> Result<ServerVersion, Error> {
        self.common("version", &()).await
    }

    /// Any other `common` method, e.g. the legacy `login(db, login, password)` or `about()`.
    /// `params` must serialize as a sequence (a tuple); treated as read-only.
    pub async fn call_common<R: DeserializeOwned>(
        &self,
        method: &str,
        params: impl Serialize,
    ) -> Result<R, Error> {
        self.common(method, &params).await
    }

    /// `common.authenticate(db, login, secret, {})`: the user id. Wrong credentials are
    /// [`Error::AuthenticationFailed`] (the server answers `False`, not a fault).
    pub async fn authenticate(&self, login: &str, secret: &Secret) -> Result<i32, Error> {
        let params = (&self.db, login, secret.wire(), Empty);
        // A uid, or `False` (which the codec decodes as `None`).
        let answer: Option<i32> = self.common("authenticate", &params).await?;
        match answer {
            Some(uid) => Ok(uid),
            None => Err(Error::AuthenticationFailed {
                login: login.to_owned(),
                db: self.db.clone(),
            }),
        }
    }

    /// Authenticates and returns a session for `execute_kw` and repositories.
    /// The secret may be a password or an API key.
    pub async fn login(&self, login: &str, secret: impl Into<Secret>) -> Result<Session, Error> {
        let secret = secret.into();
        let uid = self.authenticate(login, &secret).await?;
        Ok(Session {
            inner: Arc::new(SessionInner {
                transport: self.transport.clone(),
                db: self.db.clone(),
                uid,
                secret,
            }),
            context: self.context.clone(),
        })
    }

    /// The one path of every `common` call: read-only, no login, the client's timeout.
    async fn common<R: DeserializeOwned>(
        &self,
        method: &str,
        params: &impl Serialize,
    ) -> Result<R, Error> {
        let call = Call {
            service: "common",
            model: None,
            method: method.to_owned(),
        };
        self.transport
            .rpc(
                &call,
                "/xmlrpc/2/common",
                params,
                Idempotency::ReadOnly,
                None,
            )
            .await
    }
}

/// Serializes as an empty struct (`{}`).
struct Empty;
impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// An authenticated handle. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
    context: Context,
}

struct SessionInner {
    transport: Arc<Transport>,
    db: String,
    uid: i32,
    secret: Secret,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("db", &self.inner.db)
            .field("uid", &self.inner.uid)
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

    /// The typed repository of model `M`.
    pub fn repo<M: Model>(&self) -> Repository<M> {
        Repository::new(self.clone())
    }

    /// `object.execute_kw(db, uid, secret, model, method, args, kwargs)`, decoded into `R`.
    ///
    /// `args` must serialize as a sequence: a tuple such as `(domain,)`, a `Vec`, or `[(); 0]`
    /// for none (`()` itself is `False` in Odoo's dialect). `kwargs` is a struct/map, or `()`
    /// for none. The session's context is added to the kwargs.
    ///
    /// ```no_run
    /// # async fn demo(odoo: odoo_client::Session) -> Result<(), odoo_client::Error> {
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
        self.object(model, method, args, kwargs, options, decode_response)
            .await
    }

    /// The one path of every `object` call: encode, send, decode with `decode`, classify faults.
    pub(crate) async fn object<R>(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: impl Serialize,
        options: &CallOptions,
        decode: impl FnOnce(&[u8], &DecodeOptions) -> Result<Result<R, Fault>, ProtocolError>,
    ) -> Result<R, Error> {
        let call = Call {
            service: "object",
            model: Some(model.to_owned()),
            method: method.to_owned(),
        };
        let kwargs = self.kwargs(&call, kwargs, options.context.as_ref())?;
        let params = ObjectParams {
            db: &self.inner.db,
            uid: self.inner.uid,
            secret: &self.inner.secret,
            model,
            method,
            args: &args,
            kwargs,
        };
        let idempotency = idempotency(method);
        self.inner
            .transport
            .call(
                &call,
                "/xmlrpc/2/object",
                &params,
                idempotency,
                options.timeout,
                decode,
            )
            .await
    }

    /// kwargs as a struct with the merged context, or `None` when there is nothing to send.
    fn kwargs(
        &self,
        call: &Call,
        kwargs: impl Serialize,
        call_context: Option<&Context>,
    ) -> Result<Option<Value>, Error> {
        let encode = |source| Error::Encode {
            call: call.clone(),
            source,
        };
        let mut members = match odoo_xmlrpc::to_value(&kwargs).map_err(encode)? {
            Value::Struct(members) => members,
            Value::Nil => Default::default(),
            Value::Array(items) if items.is_empty() => Default::default(),
            other => {
                return Err(Error::Config(format!(
                    "{call}: kwargs must be a struct, got {}",
                    other.type_name()
                )));
            }
        };
        let mut context = match call_context {
            Some(c) => self.context.merged(c),
            None => self.context.clone(),
        };
        if let Some(given) = members.remove("context") {
            let Value::Struct(given) = given else {
                return Err(Error::Config(format!(
                    "{call}: kwargs.context must be a struct"
                )));
            };
            for (k, v) in given {
                context = context.set(&k, v);
            }
        }
        if !context.is_empty() {
            members.insert("context".to_owned(), context.into_value());
        }
        Ok((!members.is_empty()).then_some(Value::Struct(members)))
    }
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

/// `execute_kw`'s params: kwargs are left out when empty (the server reads `kw or {}`).
struct ObjectParams<'a, A> {
    db: &'a str,
    uid: i32,
    secret: &'a Secret,
    model: &'a str,
    method: &'a str,
    args: &'a A,
    kwargs: Option<Value>,
}

impl<A: Serialize> Serialize for ObjectParams<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(6 + usize::from(self.kwargs.is_some())))?;
        seq.serialize_element(self.db)?;
        seq.serialize_element(&self.uid)?;
        seq.serialize_element(&self.secret.wire())?;
        seq.serialize_element(self.model)?;
        seq.serialize_element(self.method)?;
        seq.serialize_element(self.args)?;
        if let Some(kwargs) = &self.kwargs {
            seq.serialize_element(kwargs)?;
        }
        seq.end()
    }
}
