//! [`Client`] (version, authenticate, the choice of [`Protocol`]) and [`Session`] (an
//! authenticated handle: model method calls over the session's path, repositories). The
//! paths themselves are in `crate::protocol`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use std::str::FromStr;

use openspp_xmlrpc::{Struct, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};

use crate::args::Args;
use crate::context::Context;
use crate::error::{Call, Error};
use crate::model::Model;
use crate::protocol::{self, Decoder, Params, Sending, Serde, Wire, idempotency};
use crate::repo::Repository;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::{Idempotency, Settings, Transport};

/// The wire path of a session's model method calls. Every path gives the same typed
/// results and errors; they differ in what the server does per call.
///
/// | server, secret | `Auto` picks | why |
/// |---|---|---|
/// | any, [`Secret::password`] | [`Web`](Protocol::Web) | one login, then a session cookie: the server skips the RPC layer's per-call authentication, and answers JSON |
/// | Odoo 19+, [`Secret::api_key`] | [`Json2`](Protocol::Json2) | the one API-key path without the RPC layer |
/// | Odoo 16 to 18, [`Secret::api_key`] | [`JsonRpc`](Protocol::JsonRpc) | API keys cannot open a web session; JSON is a quarter of XML's size |
/// | any, [`Secret::new`] (password or key) | [`JsonRpc`](Protocol::JsonRpc) | accepts both; a web login with a key would count as a failed login |
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

/// A connection to one database of an Odoo server, before login.
///
/// ```no_run
/// # async fn demo() -> Result<(), openspp_client::Error> {
/// use openspp_client::Client;
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

    /// The server's version, from `/web/webclient/version_info` (the answer of
    /// `common.version()`, on a route every release serves, XML-RPC or not): needs no login.
    pub async fn version(&self) -> Result<ServerVersion, Error> {
        protocol::web::version_info(&self.transport).await
    }

    /// Any `common` method over XML-RPC, e.g. `version()`, the legacy
    /// `login(db, login, password)` or `about()`. `params` must serialize as a sequence (a
    /// tuple); treated as read-only.
    pub async fn call_common<R: DeserializeOwned>(
        &self,
        method: &str,
        params: impl Serialize,
    ) -> Result<R, Error> {
        protocol::xmlrpc::common(&self.transport, method, &params).await
    }

    /// `common.authenticate(db, login, secret, {})` over XML-RPC: the user id. Wrong
    /// credentials are [`Error::AuthenticationFailed`] (the server answers `False`, not a
    /// fault).
    pub async fn authenticate(&self, login: &str, secret: &Secret) -> Result<i32, Error> {
        let params = (&self.db, login, secret.wire(), Empty);
        // A uid, or `False` (which the codec decodes as `None`).
        let answer: Option<i32> =
            protocol::xmlrpc::common(&self.transport, "authenticate", &params).await?;
        answer.ok_or_else(|| Error::AuthenticationFailed {
            login: login.to_owned(),
            db: self.db.clone(),
        })
    }

    /// Logs in and returns a session for model calls and repositories, speaking the
    /// [`Protocol`] chosen for this client and secret. Wrong credentials are
    /// [`Error::AuthenticationFailed`] on every path.
    ///
    /// XML-RPC and JSON-RPC log in with `common.authenticate`; the web path opens a web
    /// session (`/web/session/authenticate`, a password only). JSON-2 has no login: the API
    /// key alone names the user, so the session learns its uid from `res.users.context_get`
    /// (as the 19.0 external API guide says) and then checks that this user's login is
    /// `login`.
    pub async fn login(&self, login: &str, secret: impl Into<Secret>) -> Result<Session, Error> {
        let secret = secret.into();
        let transport = &*self.transport;
        let db = self.db.as_str();
        let (protocol, version) = self.choose_protocol(&secret).await?;
        let (uid, wire) = match protocol {
            Protocol::Json2 => {
                let (uid, json2) = protocol::json2::login(transport, db, login, &secret).await?;
                (uid, Wire::Json2(json2))
            }
            Protocol::Web => {
                let (uid, web) = protocol::web::login(transport, db, login, secret).await?;
                (uid, Wire::Web(web))
            }
            Protocol::JsonRpc => {
                let rpc = protocol::jsonrpc::login(transport, db, login, secret).await?;
                (rpc.0.uid, Wire::JsonRpc(rpc))
            }
            _ => {
                let uid = self.authenticate(login, &secret).await?;
                let db = db.to_owned();
                let credentials = protocol::execute_kw::Credentials { db, uid, secret };
                (uid, Wire::XmlRpc(protocol::xmlrpc::XmlRpc(credentials)))
            }
        };
        Ok(Session {
            inner: Arc::new(SessionInner {
                transport: self.transport.clone(),
                db: self.db.clone(),
                uid,
                wire,
                version: tokio::sync::OnceCell::new_with(version),
            }),
            context: self.context.clone(),
        })
    }

    /// The protocol for this secret (the table on [`Protocol`]), and the server's version
    /// when it was asked: [`Protocol::Auto`] asks it only for an API key.
    async fn choose_protocol(
        &self,
        secret: &Secret,
    ) -> Result<(Protocol, Option<ServerVersion>), Error> {
        let protocol = match self.protocol {
            Protocol::Auto if secret.is_api_key() => {
                let version = self.version().await?;
                let protocol = match version.major() {
                    Some(major) if major >= 19 => Protocol::Json2,
                    _ => Protocol::JsonRpc,
                };
                return Ok((protocol, Some(version)));
            }
            Protocol::Auto if secret.is_password() => Protocol::Web,
            Protocol::Auto => Protocol::JsonRpc,
            Protocol::Json2 if secret.is_password() => {
                return Err(Error::Config(
                    "JSON-2 authenticates with an API key, not a password: use Secret::api_key"
                        .to_owned(),
                ));
            }
            Protocol::Web if secret.is_api_key() => {
                return Err(Error::Config(
                    "a web session opens with a password, not an API key: use Secret::password"
                        .to_owned(),
                ));
            }
            forced => forced,
        };
        Ok((protocol, None))
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
    /// The path, and the secret or session it sends; never printed.
    wire: Wire,
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
        self.inner.wire.protocol()
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

    /// The typed repository of model `M`.
    pub fn repo<M: Model>(&self) -> Repository<M> {
        Repository::new(self.clone())
    }

    /// Ends the session: on the web path, forgets the session cookie and destroys the
    /// session on the server (`/web/session/destroy`); later calls of this session and its
    /// clones are refused with [`Error::Config`]. The other paths keep no server-side
    /// session: nothing to do.
    pub async fn logout(&self) -> Result<(), Error> {
        self.inner.wire.logout(&self.inner.transport).await
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
    /// argument a kwarg; otherwise this is [`Error::Config`] and nothing is sent. Prefer
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
                return Err(Error::Config(format!(
                    "{call}: args must be a sequence, got {}",
                    other.type_name()
                )));
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
    /// method, [`crate::method`]), not its name.
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
        call: &Call,
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
        let (wire, transport) = (&self.inner.wire, &*self.inner.transport);
        if sending.idempotency == Idempotency::Mutating {
            return wire.execute(transport, &sending, params, decoder).await;
        }
        crate::retry::retry_transient(&transport.settings.retry, || {
            wire.execute(transport, &sending, params.clone(), decoder)
        })
        .await
    }

    /// Which call an error belongs to: the service is the path's (`object` for XML-RPC).
    pub(crate) fn call_id(&self, model: &str, method: &str) -> Call {
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
        call: &Call,
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
fn struct_of(call: &Call, what: &str, value: Value) -> Result<Struct, Error> {
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
