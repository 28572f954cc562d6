//! The type vocabulary generated bindings are made of, and what a call is built from: no I/O.
//! [`model`] (`Model`, `Id`), [`field`] constants and their [`types`], [`values`] to write,
//! [`domain`]s of [`term`]s, [`args`] and [`context`] of a call, and what a read returns
//! ([`fetch`], [`record`], [`de`]).

pub mod action;
pub(crate) mod args;
pub(crate) mod context;
pub mod de;
pub mod domain;
pub mod fetch;
pub mod field;
pub mod model;
pub mod record;
pub mod term;
pub mod types;
pub mod values;
