//! Business methods as typed calls: what generated code builds for each public method a
//! model's schema lists (`g2p.cycle.approve`, `res.partner.name_create`).
//!
//! A [`MethodSpec`] says how the method is called: on records (the ids come first, as
//! `api.call_kw` takes them) or on the model (`@api.model`, no ids), and whether it only reads
//! (`@api.readonly`). A [`Method`] is one call being built: required parameters by
//! [`arg`](MethodArgs::arg) (positional over XML-RPC, JSON-RPC and the web session, named over
//! JSON-2, which has no positional arguments), optional ones by [`kwarg`](MethodArgs::kwarg)
//! (named everywhere, so leaving one out never shifts the others). A read-only method is
//! retried like a read after a transient failure; any other is a write: sent once, and a
//! failure after its body went out says [`may_have_changed_data`](crate::Error::may_have_changed_data).
//!
//! A method that returns `None` (many buttons: `g2p.cycle.approve`, `action_archive`) cannot be
//! answered over XML-RPC: Odoo marshals the answer after committing, so the call ran but fails
//! with `TypeError: cannot marshal None`. That fault is classified as one that may have changed
//! data (and is never resent); read the records back. The web session, JSON-RPC and JSON-2
//! answer [`Value::Nil`](crate::Value::Nil).
//!
//! [`MethodHost`] is what generated method traits are written against, so that the same
//! generated call works on the async [`Repository`] (`.await`) and on the blocking one
//! (`.send()`).

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Repository;
use crate::error::{Error, Idempotency};
use crate::session::{CallOptions, Session};
use crate::typed::args::Args;
use crate::typed::context::Context;
use crate::typed::model::{Id, Model};

/// How a business method is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodSpec {
    /// The Python name (`approve`).
    pub name: &'static str,
    /// Called on records (their ids first); `false` for an `@api.model` method.
    pub on_records: bool,
    /// `@api.readonly`: changes nothing, so it is retried like a read.
    pub readonly: bool,
}

impl MethodSpec {
    /// A method called on records, which may change data.
    pub const fn records(name: &'static str) -> Self {
        MethodSpec {
            name,
            on_records: true,
            readonly: false,
        }
    }

    /// An `@api.model` method (no ids), which may change data.
    pub const fn model(name: &'static str) -> Self {
        MethodSpec {
            name,
            on_records: false,
            readonly: false,
        }
    }

    /// The same method, marked `@api.readonly`.
    pub const fn readonly(self) -> Self {
        MethodSpec {
            readonly: true,
            ..self
        }
    }
}

/// Arguments added to a call being built: what generated per-method builders call, on the
/// async [`Method`] and on its blocking counterpart alike.
pub trait MethodArgs: Sized {
    /// A required parameter: positional where the protocol has positions, named on JSON-2.
    fn arg(self, name: &str, value: impl Serialize) -> Self;
    /// An optional or keyword-only parameter: named on every protocol.
    fn kwarg(self, name: &str, value: impl Serialize) -> Self;
}

/// Whatever business method calls of model `M` are made from: the async [`Repository`] and
/// the blocking one. Generated method traits (`G2pCycleMethods`) are implemented for every
/// host of their model, and for no other: `ResPartner::repo(&odoo).approve(..)` does not
/// compile.
pub trait MethodHost<M: Model> {
    /// The call being built, answering `R`.
    type Call<R: DeserializeOwned + Send + 'static>: MethodArgs;

    /// Starts a call of `spec`: on `ids` for a method on records (`None` for an `@api.model`
    /// one; generated code passes what the spec says).
    fn method<R: DeserializeOwned + Send + 'static>(
        &self,
        spec: MethodSpec,
        ids: Option<&[Id<M>]>,
    ) -> Self::Call<R>;
}

/// One business method call being built; `.await` sends it and decodes the answer into `R`
/// (`Value` when the server's annotation does not say more; an [`Action`](crate::Action)
/// decodes what a button returns).
#[must_use = "a call does nothing until awaited"]
pub struct Method<M, R> {
    session: Session,
    spec: MethodSpec,
    args: Args,
    options: CallOptions,
    answer: PhantomData<fn() -> (M, R)>,
}

impl<M, R> std::fmt::Debug for Method<M, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Method")
            .field("spec", &self.spec)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl<M: Model, R: DeserializeOwned> Method<M, R> {
    /// A call of `spec` on `session`, with `ids` first when the method takes records.
    pub fn new(session: Session, spec: MethodSpec, ids: Option<&[Id<M>]>) -> Self {
        let mut args = Args::new();
        if spec.on_records {
            let ids: Vec<i32> = ids.unwrap_or_default().iter().map(|id| id.get()).collect();
            args = args.ids(ids);
        }
        Method {
            session,
            spec,
            args,
            options: CallOptions::default(),
            answer: PhantomData,
        }
    }

    /// Context keys for this call (they win over the session's).
    pub fn context(mut self, context: Context) -> Self {
        self.options.context = Some(context);
        self
    }

    /// Decodes the answer into `T` instead (e.g. an [`Action`](crate::Action) for a button
    /// that opens a view).
    pub fn returning<T: DeserializeOwned>(self) -> Method<M, T> {
        Method {
            session: self.session,
            spec: self.spec,
            args: self.args,
            options: self.options,
            answer: PhantomData,
        }
    }

    /// Sends the call.
    pub async fn send(self) -> Result<R, Error> {
        let idempotency = if self.spec.readonly {
            Idempotency::ReadOnly
        } else {
            Idempotency::Mutating
        };
        self.session
            .invoke_classified(
                M::NAME,
                self.spec.name,
                self.args,
                &self.options,
                idempotency,
            )
            .await
    }
}

impl<M, R> MethodArgs for Method<M, R> {
    fn arg(mut self, name: &str, value: impl Serialize) -> Self {
        self.args = self.args.arg(name, value);
        self
    }

    fn kwarg(mut self, name: &str, value: impl Serialize) -> Self {
        self.args = self.args.kwarg(name, value);
        self
    }
}

impl<M: Model, R: DeserializeOwned + Send + 'static> IntoFuture for Method<M, R> {
    type Output = Result<R, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<R, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<M: Model> MethodHost<M> for Repository<M> {
    type Call<R: DeserializeOwned + Send + 'static> = Method<M, R>;

    fn method<R: DeserializeOwned + Send + 'static>(
        &self,
        spec: MethodSpec,
        ids: Option<&[Id<M>]>,
    ) -> Method<M, R> {
        Method::new(self.session().clone(), spec, ids)
    }
}
