//! Building the server from a configuration, and running it: on the caller's tokio runtime
//! ([`DevServer::bind`]) or on a thread of its own ([`BackgroundServer`]).

use crate::auth::{User, default_users};
use crate::http::handle;
use crate::methods::{MethodCall, MethodEnv};
use crate::orm::Env;
use crate::registry::Registry;
use crate::reply::Limits;
use crate::seed::{self, Seed, SeedError};
use crate::service::App;
use crate::store::Store;
use crate::version::OdooVersion;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use openspp_schema::SchemaSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened or its tables created.
    #[error("database {path}: {source}")]
    Database {
        /// The file, or `:memory:`.
        path: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A seed file could not be read or parsed.
    #[error("seed file {path}: {message}")]
    SeedFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A seed record was refused.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// Loading the metadata or seed failed inside the database.
    #[error("loading data: {0}")]
    Load(crate::fault::OdooError),
    /// The address could not be bound, or the server thread could not start.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// How to build a server.
#[derive(Debug, Clone)]
pub struct Config {
    schemas: SchemaSet,
    db_file: Option<PathBuf>,
    seed: Seed,
    users: Vec<User>,
    database: String,
    max_request_bytes: usize,
    max_depth: usize,
    odoo_version: Option<OdooVersion>,
    clock: crate::clock::Clock,
    handlers: crate::methods::Handlers,
    path_prefix: String,
    openspp_answers: bool,
}

impl Config {
    /// Serves `schemas` from an in-memory database with the demo seed, database `openspp`,
    /// the [`default_users`], and requests up to 64 MiB.
    pub fn new(schemas: SchemaSet) -> Self {
        Config {
            schemas,
            db_file: None,
            seed: Seed::Demo,
            users: default_users(),
            database: "openspp".to_owned(),
            max_request_bytes: 64 << 20,
            max_depth: 256,
            odoo_version: None,
            clock: crate::clock::Clock::default(),
            handlers: Default::default(),
            path_prefix: String::new(),
            openspp_answers: false,
        }
    }

    /// Keeps the data in this SQLite file, so it survives a restart (seeded on first use only).
    pub fn db_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.db_file = Some(path.into());
        self
    }

    /// The records a new database starts with.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Who may log in.
    pub fn users(mut self, users: Vec<User>) -> Self {
        self.users = users;
        self
    }

    /// The database name clients must give.
    pub fn database(mut self, name: impl Into<String>) -> Self {
        self.database = name.into();
        self
    }

    /// The Odoo release the server presents itself as. By default the release the schemas were
    /// dumped from (their manifest's `server`, 17.0 for the reference set), whose captured
    /// `version()` answer is served verbatim; another release answers Odoo's `version()` for
    /// it. [`OdooVersion::V19`] and later also serve JSON-2 (`/json/2/<model>/<method>`).
    pub fn odoo_version(mut self, version: OdooVersion) -> Self {
        self.odoo_version = Some(version);
        self
    }

    /// Stamps `create_date` and `write_date` from `clock` instead of the system clock, so
    /// that a test can write many records within one second, or stamp a record before one
    /// it already read.
    pub fn clock(mut self, clock: crate::clock::ManualClock) -> Self {
        self.clock = crate::clock::Clock::manual(clock);
        self
    }

    /// Answers as OpenSPP's overrides of `create` and `unlink` do (seen on Odoo 17 + OpenSPP):
    /// `create` answers the new recordset's `repr` (`"g2p.program(4,)"`, which XML-RPC cannot
    /// marshal either: the fault comes after the commit) and `unlink` answers `None` (no
    /// `result` over JSON-RPC, `cannot marshal None` over XML-RPC, after the commit).
    pub fn openspp_answers(mut self, on: bool) -> Self {
        self.openspp_answers = on;
        self
    }

    /// Gives `method` of `model`, a method the schemas list but the server has no behaviour
    /// for (a business method such as `g2p.cycle.approve`), the behaviour of `handler`: it
    /// gets the call (ids and arguments bound by name) and may call any method in the call's
    /// transaction; what it answers is the method's answer. Replaces an earlier handler of the
    /// same method. Every call of a listed method is recorded
    /// ([`RunningServer::method_calls`]).
    ///
    /// ```
    /// # let schemas = openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas")).unwrap();
    /// let config = openspp_devserver::Config::new(schemas).on_method("g2p.cycle", "approve", |call, env| {
    ///     env.call("g2p.cycle", "write", serde_json::json!([call.ids, {"state": "approved"}]), serde_json::json!({}))?;
    ///     Ok(serde_json::Value::Bool(true))
    /// });
    /// ```
    pub fn on_method<F>(mut self, model: &str, method: &str, handler: F) -> Self
    where
        F: Fn(&MethodCall, &MethodEnv<'_>) -> Result<serde_json::Value, crate::OdooError>
            + Send
            + Sync
            + 'static,
    {
        self.handlers
            .0
            .insert((model.to_owned(), method.to_owned()), Arc::new(handler));
        self
    }

    /// Serves every route under `prefix` (`/odoo`: `/odoo/jsonrpc`, `/odoo/web/...`), as a
    /// server behind a reverse proxy that maps a path to Odoo answers; any other path is a 404.
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = format!("/{}", prefix.trim_matches('/'));
        if self.path_prefix == "/" {
            self.path_prefix.clear();
        }
        self
    }

    /// The largest request body accepted (HTTP 413 beyond it).
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.max_request_bytes = bytes;
        self
    }
}

/// A server ready to accept connections.
#[derive(Debug, Clone)]
pub struct DevServer {
    app: Arc<App>,
    limits: Limits,
}

impl DevServer {
    /// Opens the database, creates missing tables, and seeds a new database.
    pub fn new(config: Config) -> Result<DevServer, Error> {
        let registry = Registry::new(&config.schemas);
        let path_text = config
            .db_file
            .as_ref()
            .map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string());
        let store = Store::open(config.db_file.as_deref(), &registry).map_err(|source| {
            Error::Database {
                path: path_text,
                source,
            }
        })?;
        let seed_data = match &config.seed {
            Seed::Empty => None,
            Seed::Demo => Some((seed::demo(), true)),
            Seed::Json(json) => Some((json.clone(), false)),
            Seed::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::SeedFile {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                let json = serde_json::from_str(&text).map_err(|e| Error::SeedFile {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                Some((json, false))
            }
        };
        let captured = &config.schemas.manifest.server.0;
        let dumped_from = OdooVersion::from_version_info(captured).unwrap_or(OdooVersion::V17);
        let odoo_version = config.odoo_version.unwrap_or(dumped_from);
        let version = if odoo_version == dumped_from {
            openspp_xmlrpc::Value::Struct(
                captured
                    .iter()
                    .map(|(k, v)| (k.clone(), crate::values::json_to_value(v)))
                    .collect(),
            )
        } else {
            odoo_version.version_answer()
        };
        let mut seed_error = None;
        store
            .transaction(|tx| {
                let env = Env {
                    tx,
                    registry: &registry,
                    uid: 1,
                    context: Default::default(),
                    now: "2026-01-01 00:00:00".to_owned(),
                    json: false,
                    version: odoo_version,
                };
                if !seed::mark_seeded(&env)? {
                    return Ok(());
                }
                crate::metadata::load(&env, &config.schemas)?;
                if let Some((data, lenient)) = &seed_data {
                    if let Err(e) = seed::load(&env, data, *lenient) {
                        seed_error = Some(e);
                        return Err(crate::fault::OdooError::User("seed refused".into()));
                    }
                }
                Ok(())
            })
            .map_err(|e| match seed_error.take() {
                Some(seed) => Error::Seed(seed),
                None => Error::Load(e),
            })?;
        let app = App {
            registry,
            store,
            users: config.users,
            database: config.database,
            version,
            odoo_version,
            sessions: Default::default(),
            clock: config.clock,
            methods: crate::methods::Methods::new(config.handlers),
            failed_logins: Default::default(),
            path_prefix: config.path_prefix,
            openspp_answers: config.openspp_answers,
        };
        Ok(DevServer {
            app: Arc::new(app),
            limits: Limits {
                max_request_bytes: config.max_request_bytes,
                max_depth: config.max_depth,
            },
        })
    }

    /// The Odoo release it presents itself as ([`Config::odoo_version`]).
    pub fn odoo_version(&self) -> OdooVersion {
        self.app.odoo_version
    }

    /// Every call of a listed business method received so far, oldest first
    /// ([`Config::on_method`]).
    pub fn method_calls(&self) -> Vec<MethodCall> {
        self.app.methods.calls()
    }

    /// Closes every open web session (`/web/session/authenticate`): the next call with any
    /// `session_id` cookie answers code 100 `odoo.http.SessionExpiredException`, as Odoo does
    /// once a session has expired. A test hook: clients prove they renew sessions with it.
    pub fn expire_sessions(&self) {
        self.app.sessions.expire_all();
    }

    /// How many logins were refused (a wrong password or key given to `common.login`,
    /// `common.authenticate` or `/web/session/authenticate`): the attempts Odoo counts toward
    /// its login cooldown, which locks a login out after `base.login_cooldown_after` failures.
    pub fn failed_logins(&self) -> usize {
        self.app
            .failed_logins
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Listens on `addr` (port 0 picks a free port) and serves until stopped.
    pub async fn bind(self, addr: SocketAddr) -> Result<RunningServer, Error> {
        let listener = TcpListener::bind(addr).await.map_err(|source| Error::Io {
            what: format!("binding {addr}"),
            source,
        })?;
        let addr = listener.local_addr().map_err(|source| Error::Io {
            what: "reading the bound address".into(),
            source,
        })?;
        let (stop, mut stopped) = watch::channel(false);
        let this = self.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let (app, limits) = (self.app.clone(), self.limits);
                        let mut stopped = stopped.clone();
                        tokio::spawn(async move {
                            let service = service_fn(move |request| handle(app.clone(), limits, request));
                            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                            tokio::pin!(connection);
                            tokio::select! {
                                result = connection.as_mut() => {
                                    if let Err(error) = result {
                                        tracing::debug!(%error, "connection closed with an error");
                                    }
                                }
                                _ = stopped.changed() => connection.as_mut().graceful_shutdown(),
                            }
                        });
                    }
                }
            }
        });
        Ok(RunningServer {
            addr,
            stop,
            task,
            server: this,
        })
    }
}

/// A server accepting connections on the caller's runtime.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    server: DevServer,
}

impl RunningServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes every open web session ([`DevServer::expire_sessions`]).
    pub fn expire_sessions(&self) {
        self.server.expire_sessions();
    }

    /// Every call of a listed business method received so far ([`DevServer::method_calls`]).
    pub fn method_calls(&self) -> Vec<MethodCall> {
        self.server.method_calls()
    }

    /// The logins refused so far ([`DevServer::failed_logins`]).
    pub fn failed_logins(&self) -> usize {
        self.server.failed_logins()
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// A server running on a thread of its own with its own runtime, for synchronous callers
/// (`cargo xtask regen`, tests). Stopped when dropped.
#[derive(Debug)]
pub struct BackgroundServer {
    addr: SocketAddr,
    server: DevServer,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundServer {
    /// Builds the server from `config` and serves it on `addr` from a new thread.
    pub fn start(config: Config, addr: SocketAddr) -> Result<BackgroundServer, Error> {
        let server = DevServer::new(config)?;
        let this = server.clone();
        let io = |what: &str| {
            let what = what.to_owned();
            move |source| Error::Io { what, source }
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(io("starting the server runtime"))?;
        let running = runtime.block_on(server.bind(addr))?;
        let addr = running.addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("openspp-devserver".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let _ = stopped.await;
                    running.stop().await;
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(2));
            })
            .map_err(io("starting the server thread"))?;
        Ok(BackgroundServer {
            addr,
            server: this,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes every open web session ([`DevServer::expire_sessions`]).
    pub fn expire_sessions(&self) {
        self.server.expire_sessions();
    }

    /// Every call of a listed business method received so far ([`DevServer::method_calls`]).
    pub fn method_calls(&self) -> Vec<MethodCall> {
        self.server.method_calls()
    }

    /// The logins refused so far ([`DevServer::failed_logins`]).
    pub fn failed_logins(&self) -> usize {
        self.server.failed_logins()
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
