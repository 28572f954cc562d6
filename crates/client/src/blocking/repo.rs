//! The blocking [`Session`] and [`Repository`]: the async ones, each call waited for.
//! Calls that answer at once are listed in [`wait!`](wait); calls built step by step return a
//! [`Pending`] builder. A test compares these lists with the async API.

use std::collections::BTreeMap;
use std::fmt;

use openspp_xmlrpc::Struct;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Handle, Pending};
use crate::error::Error;
use crate::repository::aggregate::Aggregate;
use crate::repository::export::{Export, ExportColumns};
use crate::repository::import::{Import, ImportRow};
use crate::repository::{NameSearch, Read, Search, SearchRead};
use crate::session::CallOptions;
use crate::typed::args::Args;
use crate::typed::context::Context;
use crate::typed::domain::Domain;
use crate::typed::fetch::Columns;
use crate::typed::model::{Id, Model};
use crate::typed::values::Values;
use crate::wire::protocol::{Protocol, ServerVersion};

/// Blocking methods that wait for the async method of the same name and arguments on the
/// handle's runtime: `fn name[generics](args) -> T;` becomes
/// `pub fn name<generics>(&self, args) -> Result<T, Error>`.
macro_rules! wait {
    ($(
        $(#[$doc:meta])*
        fn $name:ident $([$($generics:tt)*])? ($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty;
    )*) => {$(
        $(#[$doc])*
        pub fn $name $(<$($generics)*>)? (&self, $($arg: $ty),*) -> Result<$ret, Error> {
            self.handle.wait(self.inner.$name($($arg),*))
        }
    )*};
}
pub(super) use wait;

/// The blocking [`crate::Session`]. Cheap to clone; clones share the connection pool and
/// the runtime.
#[derive(Debug, Clone)]
pub struct Session {
    inner: crate::Session,
    handle: Handle,
}

impl Session {
    pub(super) fn new(inner: crate::Session, handle: Handle) -> Self {
        Self { inner, handle }
    }

    /// The logged-in user's id.
    pub fn uid(&self) -> i32 {
        self.inner.uid()
    }

    /// The protocol this session speaks.
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol()
    }

    /// The context sent with every call.
    pub fn context(&self) -> &Context {
        self.inner.context()
    }

    /// A session sharing this one's connection with `context` added to every call.
    pub fn with_context(&self, context: &Context) -> Session {
        Session::new(self.inner.with_context(context), self.handle.clone())
    }

    /// The server's `common.version()`, asked once (see [`crate::Session::server_version`]).
    pub fn server_version(&self) -> Result<ServerVersion, Error> {
        self.handle
            .wait(async { self.inner.server_version().await.cloned() })
    }

    /// The typed repository of model `M`.
    pub fn repo<M: Model>(&self) -> Repository<M> {
        Repository {
            inner: self.inner.repo(),
            handle: self.handle.clone(),
        }
    }

    wait! {
        /// See [`crate::Session::logout`].
        fn logout() -> ();
        /// See [`crate::Session::call`].
        fn call[R: DeserializeOwned](model: &str, method: &str, args: Args) -> R;
        /// See [`crate::Session::call_with`].
        fn call_with[R: DeserializeOwned](
            model: &str,
            method: &str,
            args: Args,
            options: &CallOptions,
        ) -> R;
        /// See [`crate::Session::execute_kw`].
        fn execute_kw[R: DeserializeOwned](
            model: &str,
            method: &str,
            args: impl Serialize,
            kwargs: impl Serialize,
        ) -> R;
        /// See [`crate::Session::execute_kw_with`].
        fn execute_kw_with[R: DeserializeOwned](
            model: &str,
            method: &str,
            args: impl Serialize,
            kwargs: impl Serialize,
            options: &CallOptions,
        ) -> R;
    }

    /// The async session this one drives.
    pub fn as_async(&self) -> &crate::Session {
        &self.inner
    }
}

/// The blocking [`crate::Repository`] of model `M`.
pub struct Repository<M> {
    inner: crate::Repository<M>,
    handle: Handle,
}

impl<M> Clone for Repository<M> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            handle: self.handle.clone(),
        }
    }
}

impl<M: Model> fmt::Debug for Repository<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocking::Repository({})", M::NAME)
    }
}

impl<M: Model> Repository<M> {
    pub(super) fn pending<B>(&self, inner: B) -> Pending<B> {
        Pending::new(inner, self.handle.clone())
    }

    /// The async repository it waits on.
    pub(super) fn inner(&self) -> &crate::Repository<M> {
        &self.inner
    }

    /// This repository with `context` added to every call.
    pub fn with_context(&self, context: &Context) -> Self {
        Self {
            inner: self.inner.with_context(context),
            handle: self.handle.clone(),
        }
    }

    /// `search` (see [`crate::Repository::search`]); `.send()` it.
    pub fn search(&self, domain: Domain<M>) -> Pending<Search<M>> {
        self.pending(self.inner.search(domain))
    }

    /// `search_read` (see [`crate::Repository::search_read`]); `.send()` it, or iterate
    /// with `.stream(n)`.
    pub fn search_read(&self, domain: Domain<M>) -> Pending<SearchRead<M, Columns<()>>> {
        self.pending(self.inner.search_read(domain))
    }

    /// `read` (see [`crate::Repository::read`]); `.send()` it.
    pub fn read(&self, ids: &[Id<M>]) -> Pending<Read<M, Columns<()>>> {
        self.pending(self.inner.read(ids))
    }

    /// `name_search` (see [`crate::Repository::name_search`]); `.send()` it.
    pub fn name_search(&self, name: &str) -> Pending<NameSearch<M>> {
        self.pending(self.inner.name_search(name))
    }

    /// Grouped aggregates (see [`crate::Repository::aggregate`]); `.send()` it.
    pub fn aggregate(&self, domain: Domain<M>) -> Pending<Aggregate<M, (), ()>> {
        self.pending(self.inner.aggregate(domain))
    }

    /// Imports rows by external id (see [`crate::Repository::import`]); `.send()` it.
    pub fn import(&self, rows: Vec<ImportRow<M>>) -> Pending<Import<M>> {
        self.pending(self.inner.import(rows))
    }

    /// Exports by external id (see [`crate::Repository::export`]); iterate with `.stream(n)`.
    pub fn export(&self, domain: Domain<M>, columns: ExportColumns<M>) -> Pending<Export<M>> {
        self.pending(self.inner.export(domain, columns))
    }

    /// The session this repository calls through.
    pub fn session(&self) -> Session {
        Session::new(self.inner.session().clone(), self.handle.clone())
    }

    wait! {
        /// `search_count`: how many records match `domain`.
        fn search_count(domain: Domain<M>) -> u64;
        /// `create` of one record (see [`crate::Repository::create`]).
        fn create(values: Values<M>) -> Id<M>;
        /// `create` of several records in one call.
        fn create_many(values: Vec<Values<M>>) -> Vec<Id<M>>;
        /// `write` of `values` to every record of `ids`.
        fn write(ids: &[Id<M>], values: Values<M>) -> ();
        /// `unlink`: deletes the records `ids`.
        fn unlink(ids: &[Id<M>]) -> ();
        /// `fields_get` (see [`crate::Repository::fields_get`]).
        fn fields_get(attributes: &[&str]) -> BTreeMap<String, Struct>;
        /// `default_get` (see [`crate::Repository::default_get`]).
        fn default_get(fields: &[&str]) -> Struct;
        /// The record an external id names (see [`crate::Repository::by_xmlid`]).
        fn by_xmlid(xmlid: &str) -> Id<M>;
        /// The external ids of `ids` (see [`crate::Repository::xmlids`]).
        fn xmlids(ids: &[Id<M>]) -> BTreeMap<Id<M>, Vec<String>>;
        /// Gives record `id` an external id (see [`crate::Repository::set_xmlid`]).
        fn set_xmlid(id: Id<M>, xmlid: &str, noupdate: bool) -> ();
    }

    /// The async repository this one drives.
    pub fn as_async(&self) -> &crate::Repository<M> {
        &self.inner
    }
}
