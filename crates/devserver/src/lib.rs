//! An embedded server that speaks Odoo's external XML-RPC API for the models of a schemas
//! directory, with its data in SQLite: the default target when no Odoo is at hand, and the
//! server integration tests run against.
//!
//! It serves `/xmlrpc/2/common`, `/xmlrpc/2/object` and `/xmlrpc/2/db` (and the legacy
//! `/xmlrpc/*` paths with their string fault codes) on a loopback port. Each call runs in one
//! SQLite transaction, committed only when the call succeeds, like Odoo's. Models become
//! tables (many2many fields relation tables); domains become SQL with the ORM's semantics;
//! answers and faults have the shapes the real server gives (see `../shared/odoo17/wire`).
//!
//! ```no_run
//! use odoo_devserver::{Config, DevServer};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let schemas = odoo_schema::SchemaSet::load("schemas")?;
//! let server = DevServer::new(Config::new(schemas))?; // in memory, demo data
//! let running = server.bind("127.0.0.1:0".parse()?).await?;
//! println!("serving on {}", running.url());
//! running.stop().await;
//! # Ok(()) }
//! ```
//!
//! Known differences from a real server: computed fields that are not stored read as empty
//! (`display_name` excepted); writes to non-stored fields without a `related` path are
//! ignored with a warning (the server cannot run their Python inverse); the server bugs of
//! the captured OpenSPP build (multi-record `create` and `unlink` on res.partner faulting) are
//! not reproduced.
#![warn(missing_docs)]

mod auth;
mod fault;
mod http;
mod metadata;
mod orm;
mod registry;
mod seed;
mod server;
mod service;
mod store;
mod values;

pub use auth::{Access, DEMO_API_KEY, Secret, User, default_users};
pub use fault::OdooError;
pub use seed::{Seed, SeedError, demo as demo_seed};
pub use server::{BackgroundServer, Config, DevServer, Error, RunningServer};
