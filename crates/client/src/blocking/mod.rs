//! A blocking client for programs without an async runtime: a CLI run by cron, a build
//! script, a data migration, a synchronous framework.
//!
//! The same [`Client`], [`Session`] and [`Repository`] calls as the async API (a test keeps
//! the two lists equal): a call that answers at once returns its result; a call being built
//! ([`Pending`]) has the same builder methods and ends with `.send()` where the async one is
//! awaited, and `.stream(n)` is an [`Iterator`]. As in reqwest's blocking client, the
//! handle owns a small tokio runtime (one worker thread, started by [`Client::new`] and
//! shared by every session and repository made from it), and each call waits for its
//! answer on it.
//!
//! Called from inside an async runtime (a `#[tokio::main]` program, a task), a blocking call
//! would stall that runtime's thread: it is refused with [`Error::Blocking`] instead, never a
//! panic. Use the async API there, or call from `tokio::task::spawn_blocking`.
//!
//! ```no_run
//! # use openspp_client::{Field, Model};
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner {
//! #     const NAME: &'static str = "res.partner";
//! #     const FIELDS: &'static [&'static str] = &["email", "is_company", "name"];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # const NAME: Field<ResPartner, String> = Field::new("name");
//! # const IS_COMPANY: Field<ResPartner, bool> = Field::new("is_company");
//! use openspp_client::Secret;
//! use openspp_client::blocking::Client;
//!
//! # fn main() -> Result<(), openspp_client::Error> {
//! let odoo = Client::new("https://openspp.example.org", "openspp")?
//!     .login("admin", Secret::api_key("…"))?;
//! let partners = odoo.repo::<ResPartner>();
//! let companies = partners.search_read(IS_COMPANY.eq(true)).fields(NAME).limit(5).send()?;
//! for row in partners.search_read(IS_COMPANY.eq(true)).fields(NAME).stream(100) {
//!     let (id, name) = row?;
//!     println!("{id}: {name:?}");
//! }
//! # Ok(()) }
//! ```

mod calls;
mod method;
mod repo;

pub use calls::{Iter, Pending};
pub use method::SendCall;
pub use repo::{Repository, Session};

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::secret::Secret;
use crate::typed::context::Context;
use crate::wire::protocol::{Protocol, ServerVersion};
use crate::wire::retry::RetryPolicy;

/// The runtime a blocking handle waits on; shut down in the background when the last handle
/// goes, so that dropping one inside an async context does not panic.
#[derive(Debug)]
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// A shared handle on the runtime.
#[derive(Debug, Clone)]
pub(crate) struct Handle(Arc<Runtime>);

impl Handle {
    fn new() -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("openspp-client-blocking")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::Blocking(format!("cannot start the blocking client's runtime: {e}"))
            })?;
        Ok(Self(Arc::new(Runtime(Some(runtime)))))
    }

    /// Runs `future` to completion on this handle's runtime, unless called from inside an
    /// async runtime.
    pub(crate) fn wait<T>(
        &self,
        future: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Blocking(
                "openspp_client::blocking called from inside an async runtime, whose thread it \
                 would block: use the async API there, or tokio::task::spawn_blocking"
                    .to_owned(),
            ));
        }
        match &self.0.0 {
            Some(runtime) => runtime.block_on(future),
            None => Err(Error::Blocking(
                "the blocking client's runtime is shut down".to_owned(),
            )),
        }
    }

    fn enter<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.0.0 {
            Some(runtime) => {
                let _guard = runtime.enter();
                f()
            }
            None => f(),
        }
    }
}

/// The blocking [`crate::Client`]: `common` calls and login.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    handle: Handle,
}

/// The blocking [`crate::ClientBuilder`].
#[derive(Debug)]
pub struct ClientBuilder {
    inner: crate::ClientBuilder,
}

/// Setters that pass through to the async builder.
macro_rules! builder_setters {
    ($($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty);)*) => {$(
        $(#[$doc])*
        pub fn $name(self, $arg: $ty) -> Self {
            Self { inner: self.inner.$name($arg) }
        }
    )*};
}

impl ClientBuilder {
    builder_setters! {
        /// See [`crate::ClientBuilder::connect_timeout`].
        fn connect_timeout(timeout: Duration);
        /// See [`crate::ClientBuilder::call_timeout`].
        fn call_timeout(timeout: Duration);
        /// See [`crate::ClientBuilder::max_response_bytes`].
        fn max_response_bytes(limit: usize);
        /// See [`crate::ClientBuilder::retry`].
        fn retry(retry: RetryPolicy);
        /// See [`crate::ClientBuilder::context`].
        fn context(context: Context);
        /// See [`crate::ClientBuilder::protocol`].
        fn protocol(protocol: Protocol);
    }

    /// See [`crate::ClientBuilder::user_agent`].
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        Self {
            inner: self.inner.user_agent(user_agent),
        }
    }

    /// See [`crate::ClientBuilder::root_certificate_pem`].
    pub fn root_certificate_pem(self, pem: impl Into<Vec<u8>>) -> Self {
        Self {
            inner: self.inner.root_certificate_pem(pem),
        }
    }

    /// The client, with its runtime started.
    pub fn build(self) -> Result<Client, Error> {
        let handle = Handle::new()?;
        let inner = handle.enter(|| self.inner.build())?;
        Ok(Client { inner, handle })
    }
}

impl Client {
    /// A client with default settings for `url` and `db` (see [`crate::Client::new`]).
    pub fn new(url: &str, db: &str) -> Result<Self, Error> {
        Self::builder(url, db).build()
    }

    /// A builder to change settings.
    pub fn builder(url: &str, db: &str) -> ClientBuilder {
        ClientBuilder {
            inner: crate::Client::builder(url, db),
        }
    }

    /// The database name.
    pub fn db(&self) -> &str {
        self.inner.db()
    }

    repo::wait! {
        /// See [`crate::Client::version`].
        fn version() -> ServerVersion;
        /// See [`crate::Client::call_common`].
        fn call_common[R: DeserializeOwned](method: &str, params: impl Serialize) -> R;
        /// See [`crate::Client::authenticate`].
        fn authenticate(login: &str, secret: &Secret) -> i32;
    }

    /// Authenticates and returns a session (see [`crate::Client::login`]).
    pub fn login(&self, login: &str, secret: impl Into<Secret>) -> Result<Session, Error> {
        let session = self.handle.wait(self.inner.login(login, secret))?;
        Ok(Session::new(session, self.handle.clone()))
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
}
