//! [`Client`]: a connection to one database before login, its settings, and the login that
//! chooses a [`Protocol`] for the secret and server and opens a [`Session`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use super::{Session, SessionInner};
use crate::error::Error;
use crate::secret::Secret;
use crate::typed::context::Context;
use crate::wire::protocol::{self, LoggedIn, Protocol, ServerVersion};
use crate::wire::retry::RetryPolicy;
use crate::wire::transport::{Settings, Transport};

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

impl Client {
    /// A client with default settings for `url` and `db`. The URL names its scheme (`https://`
    /// or `http://`: a URL without one is [`Error::Config`]); a path in it (`https://host/odoo/`,
    /// a server behind a reverse proxy) is a prefix every route goes under.
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
        let params = (&self.db, login, secret.param(), Empty);
        // A uid, or `False` (which the codec decodes as `None`).
        let answer: Option<i32> =
            protocol::xmlrpc::common(&self.transport, "authenticate", &params).await?;
        answer.ok_or_else(|| Error::AuthenticationFailed {
            login: login.to_owned(),
            db: self.db.clone(),
            protocol: Protocol::XmlRpc,
            reason: "common.authenticate answered False".to_owned(),
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
        let (protocol, version) = self.choose_protocol(&secret).await?;
        let (uid, logged_in) = match self.log_in(protocol, login, secret.clone()).await {
            // An unsaid secret of a key's shape that JSON-2 refused is no key: a password.
            // Odoo counts no failed login for a refused bearer token (it never reaches
            // `res.users._login`), so trying the password path costs none either.
            Err(Error::AuthenticationFailed { .. })
                if protocol == Protocol::Json2 && secret.is_unsaid() =>
            {
                self.log_in(Protocol::Web, login, secret).await?
            }
            other => other?,
        };
        Ok(Session {
            inner: Arc::new(SessionInner {
                transport: self.transport.clone(),
                db: self.db.clone(),
                uid,
                protocol: logged_in.protocol(),
                logged_in: std::sync::RwLock::new(Some(Arc::new(logged_in))),
                version: tokio::sync::OnceCell::new_with(version),
            }),
            context: self.context.clone(),
        })
    }

    /// Logs in over `protocol` (never [`Protocol::Auto`]).
    async fn log_in(
        &self,
        protocol: Protocol,
        login: &str,
        secret: Secret,
    ) -> Result<(i32, LoggedIn), Error> {
        let transport = &*self.transport;
        let db = self.db.as_str();
        Ok(match protocol {
            Protocol::Json2 => {
                let (uid, json2) = protocol::json2::login(transport, db, login, &secret).await?;
                (uid, LoggedIn::Json2(json2))
            }
            Protocol::Web => {
                let (uid, web) = protocol::web::login(transport, db, login, secret).await?;
                (uid, LoggedIn::Web(web))
            }
            Protocol::JsonRpc => {
                let rpc = protocol::jsonrpc::login(transport, db, login, secret).await?;
                (rpc.0.uid, LoggedIn::JsonRpc(rpc))
            }
            _ => {
                let uid = self.authenticate(login, &secret).await?;
                let db = db.to_owned();
                let credentials = protocol::execute_kw::Credentials { db, uid, secret };
                (uid, LoggedIn::XmlRpc(protocol::xmlrpc::XmlRpc(credentials)))
            }
        })
    }

    /// The protocol for this secret (the table on [`Protocol`]), and the server's version
    /// when it was asked: [`Protocol::Auto`] asks it only for an API key (said, or of a
    /// key's shape).
    async fn choose_protocol(
        &self,
        secret: &Secret,
    ) -> Result<(Protocol, Option<ServerVersion>), Error> {
        let protocol = match self.protocol {
            Protocol::Auto if secret.looks_like_api_key() => {
                let version = self.version().await?;
                let protocol = match version.major() {
                    Some(major) if major >= 19 => Protocol::Json2,
                    _ => Protocol::JsonRpc,
                };
                return Ok((protocol, Some(version)));
            }
            Protocol::Auto => Protocol::Web,
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
