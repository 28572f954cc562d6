//! The blocking [`Session`] and [`Repository`]: the async ones, each call waited for.

use std::collections::BTreeMap;
use std::fmt;

use openspp_xmlrpc::Struct;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Handle, Pending};
use crate::aggregate::Aggregate;
use crate::args::Args;
use crate::client::{CallOptions, Protocol, ServerVersion};
use crate::context::Context;
use crate::domain::Domain;
use crate::error::Error;
use crate::fetch::Columns;
use crate::model::{Id, Model};
use crate::repo::{NameSearch, Read, Search, SearchRead};
use crate::values::Values;

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

    /// See [`crate::Session::call`].
    pub fn call<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: Args,
    ) -> Result<R, Error> {
        self.handle.wait(self.inner.call(model, method, args))
    }

    /// See [`crate::Session::call_with`].
    pub fn call_with<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: Args,
        options: &CallOptions,
    ) -> Result<R, Error> {
        self.handle
            .wait(self.inner.call_with(model, method, args, options))
    }

    /// See [`crate::Session::execute_kw`].
    pub fn execute_kw<R: DeserializeOwned>(
        &self,
        model: &str,
        method: &str,
        args: impl Serialize,
        kwargs: impl Serialize,
    ) -> Result<R, Error> {
        self.handle
            .wait(self.inner.execute_kw(model, method, args, kwargs))
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

    /// `search_count`: how many records match `domain`.
    pub fn search_count(&self, domain: Domain<M>) -> Result<u64, Error> {
        self.handle.wait(self.inner.search_count(domain))
    }

    /// `create` of one record (see [`crate::Repository::create`]).
    pub fn create(&self, values: Values<M>) -> Result<Id<M>, Error> {
        self.handle.wait(self.inner.create(values))
    }

    /// `create` of several records in one call.
    pub fn create_many(&self, values: Vec<Values<M>>) -> Result<Vec<Id<M>>, Error> {
        self.handle.wait(self.inner.create_many(values))
    }

    /// `write` of `values` to every record of `ids`.
    pub fn write(&self, ids: &[Id<M>], values: Values<M>) -> Result<(), Error> {
        self.handle.wait(self.inner.write(ids, values))
    }

    /// `unlink`: deletes the records `ids`.
    pub fn unlink(&self, ids: &[Id<M>]) -> Result<(), Error> {
        self.handle.wait(self.inner.unlink(ids))
    }

    /// `fields_get` (see [`crate::Repository::fields_get`]).
    pub fn fields_get(&self, attributes: &[&str]) -> Result<BTreeMap<String, Struct>, Error> {
        self.handle.wait(self.inner.fields_get(attributes))
    }

    /// `default_get` (see [`crate::Repository::default_get`]).
    pub fn default_get(&self, fields: &[&str]) -> Result<Struct, Error> {
        self.handle.wait(self.inner.default_get(fields))
    }

    /// The async repository this one drives.
    pub fn as_async(&self) -> &crate::Repository<M> {
        &self.inner
    }
}
