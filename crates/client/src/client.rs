//! [`Client`] (the `common` service: version, authenticate; the choice of [`Protocol`]) and
//! [`Session`] (an authenticated handle: model method calls over XML-RPC's `object` service
//! or JSON-2, repositories).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use odoo_xmlrpc::{Struct, Value};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};

use crate::args::Args;
use crate::context::Context;
use crate::error::{Call, Error, FaultKind};
use crate::model::Model;
use crate::repo::Repository;
use crate::retry::RetryPolicy;
use crate::rpc::{Decoder, Serde};
use crate::secret::Secret;
use crate::transport::{Idempotency, Settings, Transport};

/// The wire protocol of a session.
///
/// | server | XML-RPC (`/xmlrpc/2`) | JSON-2 (`/json/2`) |
/// |---|---|---|
/// | Odoo 16 to 18 (OpenSPP 17) | yes | no |
/// | Odoo 19 to 21 (OpenSPP 2) | yes, deprecated | yes, with an API key |
/// | Odoo 22 and later | removed (planned) | yes |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// JSON-2 when the secret is an API key ([`Secret::api_key`]) and `common.version()`
    /// says 19 or later (one extra call at login); XML-RPC otherwise.
    #[default]
    Auto,
    /// XML-RPC: `common.authenticate` then `object.execute_kw`.
    XmlRpc,
    /// JSON-2: `POST /json/2/<model>/<method>` with the API key as bearer token.
    Json2,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Auto => "auto",
            Protocol::XmlRpc => "XML-RPC",
            Protocol::Json2 => "JSON-2",
        })
    }
}

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
    protocol: Protocol,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("db", &self.db)
            .field("protocol", &self.protocol)
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
    protocol: Protocol,
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
    /// Trusts the CA certificates of this PEM (one or more) besides the built-in roots: for
    /// a server whose certificate a private CA signed. A PEM without a certificate fails
    /// [`build`](Self::build) with [`Error::Config`].
    pub fn root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.root_certificates.push(pem.into());
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
    /// The protocol sessions speak ([`Protocol::Auto`] by default).
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }
    /// Builds the client (no I/O).
    pub fn build(self) -> Result<Client, Error> {
        Ok(Client {
            transport: Arc::new(Transport::new(&self.url, self.settings)?),
            db: self.db,
            context: self.context,
            protocol: self.protocol,
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

impl ServerVersion {
    /// The major version, e.g. 17 (the first element of `server_version_info`).
    pub fn major(&self) -> Option<i32> {
        match self.server_version_info.first()? {
            Value::Int(major) => Some(*major),
            _ => None,
        }
    }
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
            protocol: Protocol::Auto,
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

    /// Authenticates and returns a session for model calls and repositories, speaking the
    /// [`Protocol`] chosen for this client and secret.
    ///
    /// Over XML-RPC this is `common.authenticate`. JSON-2 has no login: the API key alone
    /// names the user, so the session learns its uid from `res.users.context_get` (as the
    /// 19.0 external API guide says) and then checks that this user's login is `login`. A
    /// refused key, or a key of another user, is [`Error::AuthenticationFailed`].
    pub async fn login(&self, login: &str, secret: impl Into<Secret>) -> Result<Session, Error> {
        let secret = secret.into();
        let (uid, wire) = match self.choose_protocol(&secret).await? {
            Protocol::Json2 => {
                let headers = self.json2_headers(&secret)?;
                let uid = self.json2_uid(login, &headers).await?;
                (uid, Wire::Json2 { headers })
            }
            _ => (
                self.authenticate(login, &secret).await?,
                Wire::XmlRpc { secret },
            ),
        };
        Ok(Session {
            inner: Arc::new(SessionInner {
                transport: self.transport.clone(),
                db: self.db.clone(),
                uid,
                wire,
                version: tokio::sync::OnceCell::new(),
            }),
            context: self.context.clone(),
        })
    }

    /// The protocol for this secret: [`Protocol::Auto`] asks the server's version only
    /// when the secret is an API key, the one case where JSON-2 is possible.
    async fn choose_protocol(&self, secret: &Secret) -> Result<Protocol, Error> {
        match self.protocol {
            Protocol::Auto if secret.is_api_key() => {
                let version = self.version().await?;
                Ok(match version.major() {
                    Some(major) if major >= 19 => Protocol::Json2,
                    _ => Protocol::XmlRpc,
                })
            }
            Protocol::Auto => Ok(Protocol::XmlRpc),
            Protocol::Json2 if secret.is_password() => Err(Error::Config(
                "JSON-2 authenticates with an API key, not a password: use Secret::api_key"
                    .to_owned(),
            )),
            forced => Ok(forced),
        }
    }

    /// `Authorization: bearer <key>` (marked sensitive: never printed) and, when a database
    /// is named, `X-Odoo-Database`.
    fn json2_headers(&self, secret: &Secret) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        let mut bearer = HeaderValue::try_from(format!("bearer {}", secret.expose()))
            .map_err(|_| Error::Config("the API key is not valid in an HTTP header".to_owned()))?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
        if !self.db.is_empty() {
            let db = HeaderValue::try_from(self.db.as_str()).map_err(|_| {
                Error::Config(format!(
                    "database name {:?} is not valid in an HTTP header",
                    self.db
                ))
            })?;
            headers.insert(HeaderName::from_static("x-odoo-database"), db);
        }
        Ok(headers)
    }

    /// The uid of the API key's user (`res.users.context_get`), checked against `login`.
    async fn json2_uid(&self, login: &str, headers: &HeaderMap) -> Result<i32, Error> {
        let refused = || Error::AuthenticationFailed {
            login: login.to_owned(),
            db: self.db.clone(),
        };
        let session = Session {
            inner: Arc::new(SessionInner {
                transport: self.transport.clone(),
                db: self.db.clone(),
                uid: 0,
                wire: Wire::Json2 {
                    headers: headers.clone(),
                },
                version: tokio::sync::OnceCell::new(),
            }),
            context: Context::new(),
        };
        let user: Struct = match session.call("res.users", "context_get", Args::new()).await {
            Err(Error::Fault(f)) if f.kind == FaultKind::AccessDenied => return Err(refused()),
            other => other?,
        };
        let Some(&Value::Int(uid)) = user.get("uid") else {
            return Err(Error::bad_answer(
                &Call::json2("res.users", "context_get"),
                crate::error::ProtocolError::Unexpected(format!(
                    "no int uid in the user's context: {user:?}"
                )),
                Idempotency::ReadOnly,
            ));
        };
        #[derive(Deserialize)]
        struct User {
            login: String,
        }
        let users: Vec<User> = session
            .call(
                "res.users",
                "read",
                Args::new().ids([uid]).arg("fields", ["login"]),
            )
            .await?;
        match users.as_slice() {
            [user] if user.login == login => Ok(uid),
            _ => Err(refused()),
        }
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
    wire: Wire,
    /// `common.version()`, asked once when first needed ([`Session::server_version`]).
    version: tokio::sync::OnceCell<ServerVersion>,
}

/// What each protocol needs on every call; both hold the secret, neither prints it.
enum Wire {
    /// Sent as `execute_kw`'s third parameter.
    XmlRpc { secret: Secret },
    /// The bearer key (a sensitive header) and the database header.
    Json2 { headers: HeaderMap },
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

    /// The protocol this session speaks ([`Protocol::XmlRpc`] or [`Protocol::Json2`]).
    pub fn protocol(&self) -> Protocol {
        match self.inner.wire {
            Wire::XmlRpc { .. } => Protocol::XmlRpc,
            Wire::Json2 { .. } => Protocol::Json2,
        }
    }

    /// The server's `common.version()`, asked on first use and then kept: methods that
    /// changed between releases (`read_group`, `formatted_read_group`) choose by it.
    pub async fn server_version(&self) -> Result<&ServerVersion, Error> {
        self.inner
            .version
            .get_or_try_init(|| async {
                let call = Call {
                    service: "common",
                    model: None,
                    method: "version".to_owned(),
                };
                self.inner
                    .transport
                    .rpc(&call, "/xmlrpc/2/common", &(), Idempotency::ReadOnly, None)
                    .await
            })
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

    /// The typed repository of model `M`.
    pub fn repo<M: Model>(&self) -> Repository<M> {
        Repository::new(self.clone())
    }

    /// Calls `method` of `model` with named [`Args`], over this session's protocol, and
    /// decodes the answer into `R` (Odoo's `false` for empty is `None` for an `Option`).
    ///
    /// ```no_run
    /// # async fn demo(odoo: odoo_client::Session) -> Result<(), odoo_client::Error> {
    /// use odoo_client::Args;
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

    /// `object.execute_kw(db, uid, secret, model, method, args, kwargs)`, decoded into `R`.
    ///
    /// `args` must serialize as a sequence: a tuple such as `(domain,)`, a `Vec`, or `[(); 0]`
    /// for none (`()` itself is `False` in Odoo's dialect). `kwargs` is a struct/map, or `()`
    /// for none. The session's context is added to the kwargs.
    ///
    /// JSON-2 has no positional arguments: over JSON-2, `args` must be empty and every
    /// argument a kwarg; otherwise this is [`Error::Config`] and nothing is sent. Prefer
    /// [`Session::call`], which names each argument once for both protocols.
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
        let call = self.call_id(model, method);
        let encode = |source| Error::Encode {
            call: call.clone(),
            source,
        };
        let args = match odoo_xmlrpc::to_value(&args).map_err(encode)? {
            Value::Array(items) => items,
            Value::Nil => Vec::new(),
            other => {
                return Err(Error::Config(format!(
                    "{call}: args must be a sequence, got {}",
                    other.type_name()
                )));
            }
        };
        let kwargs = self.struct_of(
            &call,
            "kwargs",
            odoo_xmlrpc::to_value(&kwargs).map_err(encode)?,
        )?;
        let decoder = Serde::new();
        match &self.inner.wire {
            Wire::XmlRpc { secret } => {
                self.xmlrpc(&call, secret, args, kwargs, options, &decoder)
                    .await
            }
            Wire::Json2 { .. } if !args.is_empty() => Err(Error::Config(format!(
                "{call}: JSON-2 takes named arguments only; pass them as kwargs, or use \
                 Session::call with Args"
            ))),
            Wire::Json2 { headers } => {
                let named = kwargs.into_iter().collect();
                self.json2(&call, headers, None, named, options, &decoder)
                    .await
            }
        }
    }

    /// The one path of every model method call: encode for the session's protocol, send,
    /// decode with `decoder`, classify errors.
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
        if idempotency(method) == Idempotency::Mutating {
            return self.send(&call, args, options, decoder).await;
        }
        // A read-only call met by a transient fault (the server rolled it back) is retried.
        let policy = &self.inner.transport.settings.retry;
        crate::retry::retry_transient(policy, || {
            self.send(&call, args.duplicate(), options, decoder)
        })
        .await
    }

    /// One attempt of [`invoke`](Self::invoke): encode for the session's protocol and send.
    async fn send<D: Decoder>(
        &self,
        call: &Call,
        args: Args,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        match &self.inner.wire {
            Wire::XmlRpc { secret } => {
                let (args, kwargs) = args.into_xmlrpc();
                self.xmlrpc(call, secret, args, kwargs, options, decoder)
                    .await
            }
            Wire::Json2 { headers } => {
                let (ids, named) = args.into_json2();
                self.json2(call, headers, ids, named, options, decoder)
                    .await
            }
        }
    }

    fn call_id(&self, model: &str, method: &str) -> Call {
        match self.inner.wire {
            Wire::XmlRpc { .. } => Call {
                service: "object",
                model: Some(model.to_owned()),
                method: method.to_owned(),
            },
            Wire::Json2 { .. } => Call::json2(model, method),
        }
    }

    /// `execute_kw` on `/xmlrpc/2/object`; kwargs are left out when empty.
    async fn xmlrpc<D: Decoder>(
        &self,
        call: &Call,
        secret: &Secret,
        args: Vec<Value>,
        mut kwargs: Struct,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let context = self.context_for(call, kwargs.remove("context"), options)?;
        if !context.is_empty() {
            kwargs.insert("context".to_owned(), Value::Struct(context));
        }
        let model = call.model.as_deref().unwrap_or_default();
        let params = ObjectParams {
            db: &self.inner.db,
            uid: self.inner.uid,
            secret,
            model,
            method: &call.method,
            args: &args,
            kwargs: (!kwargs.is_empty()).then_some(Value::Struct(kwargs)),
        };
        self.inner
            .transport
            .call(
                call,
                "/xmlrpc/2/object",
                &params,
                idempotency(&call.method),
                options.timeout,
                |body, opts| decoder.xmlrpc(body, opts),
            )
            .await
    }

    /// `POST /json/2/<model>/<method>` with `ids`, the named arguments and the context.
    async fn json2<D: Decoder>(
        &self,
        call: &Call,
        headers: &HeaderMap,
        ids: Option<Value>,
        mut named: Vec<(String, Value)>,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let given = named
            .iter()
            .position(|(name, _)| name == "context")
            .map(|i| named.remove(i).1);
        let context = self.context_for(call, given, options)?;
        self.inner
            .transport
            .json2(
                call,
                headers,
                ids.as_ref(),
                &named,
                &context,
                idempotency(&call.method),
                options.timeout,
                decoder,
            )
            .await
    }

    /// The context of one call: the session's, then the call options', then the keys the
    /// program passed as a `context` argument (each wins over the one before).
    fn context_for(
        &self,
        call: &Call,
        given: Option<Value>,
        options: &CallOptions,
    ) -> Result<Struct, Error> {
        let mut context = match &options.context {
            Some(c) => self.context.merged(c),
            None => self.context.clone(),
        };
        if let Some(given) = given {
            for (k, v) in self.struct_of(call, "kwargs.context", given)? {
                context = context.set(&k, v);
            }
        }
        Ok(context.into_struct())
    }

    /// `value` as a struct; `()`/nil and `[]` are the empty struct.
    fn struct_of(&self, call: &Call, what: &str, value: Value) -> Result<Struct, Error> {
        match value {
            Value::Struct(members) => Ok(members),
            Value::Nil => Ok(Struct::new()),
            Value::Array(items) if items.is_empty() => Ok(Struct::new()),
            other => Err(Error::Config(format!(
                "{call}: {what} must be a struct, got {}",
                other.type_name()
            ))),
        }
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
struct ObjectParams<'a> {
    db: &'a str,
    uid: i32,
    secret: &'a Secret,
    model: &'a str,
    method: &'a str,
    args: &'a [Value],
    kwargs: Option<Value>,
}

impl Serialize for ObjectParams<'_> {
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
