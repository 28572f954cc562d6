//! Business methods on the blocking [`Repository`]: the generated method traits work on it
//! as on the async one, each call ending with `.send()`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Pending, Repository};
use crate::error::Error;
use crate::repository::method::{Method, MethodArgs, MethodHost, MethodSpec};
use crate::typed::context::Context;
use crate::typed::model::{Id, Model};

impl<M: Model> MethodHost<M> for Repository<M> {
    type Call<R: DeserializeOwned + Send + 'static> = Pending<Method<M, R>>;

    fn method<R: DeserializeOwned + Send + 'static>(
        &self,
        spec: MethodSpec,
        ids: Option<&[Id<M>]>,
    ) -> Pending<Method<M, R>> {
        self.pending(self.inner().method(spec, ids))
    }
}

impl<M, R> MethodArgs for Pending<Method<M, R>> {
    fn arg(self, name: &str, value: impl Serialize) -> Self {
        self.map(|call| call.arg(name, value))
    }

    fn kwarg(self, name: &str, value: impl Serialize) -> Self {
        self.map(|call| call.kwarg(name, value))
    }
}

impl<M: Model, R: DeserializeOwned> Pending<Method<M, R>> {
    /// Context keys for this call (see [`Method::context`]).
    pub fn context(self, context: Context) -> Self {
        self.map(|call| call.context(context))
    }

    /// Decodes the answer into `T` instead (see [`Method::returning`]).
    pub fn returning<T: DeserializeOwned>(self) -> Pending<Method<M, T>> {
        self.map(Method::returning)
    }
}

/// A blocking call that `.send()` sends: what generated method builders wrap, so that they
/// send on the blocking repository as the async ones `.await`.
pub trait SendCall {
    /// What sending answers.
    type Output;
    /// Sends the call and waits for its answer.
    fn send(self) -> Self::Output;
}

impl<M: Model, R: DeserializeOwned + Send + 'static> SendCall for Pending<Method<M, R>> {
    type Output = Result<R, Error>;

    fn send(self) -> Result<R, Error> {
        Pending::send(self)
    }
}

/// Makes a generated per-method builder, a tuple struct `Builder<C>(C)` around the call it
/// builds, send as that call does: `.await` on the async repository, `.send()` on the blocking
/// one. Generated code writes `openspp_client::sendable_builder!(G2pCycleSomeMethod);` after
/// the builder's options, so that each builder is its options and nothing else.
#[macro_export]
macro_rules! sendable_builder {
    ($builder:ident) => {
        impl<C: ::core::future::IntoFuture> ::core::future::IntoFuture for $builder<C> {
            type Output = C::Output;
            type IntoFuture = C::IntoFuture;

            fn into_future(self) -> C::IntoFuture {
                self.0.into_future()
            }
        }

        impl<C: $crate::blocking::SendCall> $builder<C> {
            /// Sends the call and waits for its answer (blocking repository).
            pub fn send(self) -> C::Output {
                $crate::blocking::SendCall::send(self.0)
            }
        }
    };
}
