//! An embedded server that speaks Odoo's external APIs (XML-RPC, and JSON-2 when presenting
//! itself as Odoo 19) for the models of a schemas directory, with its data in SQLite: the
//! default target when no Odoo is at hand, and the server integration tests run against.
//!
//! It serves `/xmlrpc/2/common`, `/xmlrpc/2/object` and `/xmlrpc/2/db` (and the legacy
//! `/xmlrpc/*` paths with their string fault codes) on a loopback port. Each call runs in one
//! SQLite transaction, committed only when the call succeeds, like Odoo's. Models become
//! tables (many2many fields relation tables); domains become SQL with the ORM's semantics;
//! answers and faults have the shapes the real server gives (see `../shared/odoo17/wire`).
//!
//! ```no_run
//! use openspp_devserver::{Config, DevServer};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let schemas = openspp_schema::SchemaSet::load("schemas")?;
//! let server = DevServer::new(Config::new(schemas))?; // in memory, demo data
//! let running = server.bind("127.0.0.1:0".parse()?).await?;
//! println!("serving on {}", running.url());
//! running.stop().await;
//! # Ok(()) }
//! ```
//!
//! # Running it
//!
//! `cargo xtask serve` serves `schemas/` on `http://127.0.0.1:8069`, database `openspp`, with
//! the demo data in memory (`--db-file FILE` keeps data across restarts, `--seed FILE` loads
//! other records, `--empty` none; `--odoo-version 19` presents it as Odoo 19, with JSON-2).
//! The default users are those of the real-server captures: `admin` (uid 2; password
//! `admin`, or the API key [`DEMO_API_KEY`]) and `norights` (uid 13, in no group; password
//! `norights`, or the API key [`NORIGHTS_API_KEY`]). [`Config::users`] replaces them.
//!
//! # What it serves
//!
//! * `common`: `version` (the schemas' captured answer, or Odoo's answer for the release
//!   set with [`Config::odoo_version`]), `authenticate`, `login`, `about`;
//!   `db`: `list`, `db_exist`, `server_version`, `list_lang`.
//! * `object` (`execute_kw` and `execute`): `search`, `search_count`, `search_read`, `read`,
//!   `exists`, `create` (a dict or a list), `write` (x2many commands 0-6), `unlink` (with each
//!   many2one's `ondelete`), `name_search`, `read_group` (and `formatted_read_group` as Odoo
//!   19), `fields_get`, `default_get`, `check_access_rights`, and
//!   `ir.model.data.check_object_reference`; `context` (`active_test`, `default_<field>`) is
//!   honoured.
//! * `POST /jsonrpc` runs the same calls and carries `null`: the dump reads there what XML-RPC
//!   cannot marshal, as it must from the real server (product.pricelist's `fields_get`, and the
//!   `default_get` of models whose schema records `default_get_xmlrpc_fault`). Errors are
//!   Odoo's JSON-RPC error objects (code 200 as Odoo 17, 0 as Odoo 19; `data.name` the
//!   exception class, `data.message`, `data.arguments`, `data.debug`).
//! * The web client's JSON-RPC routes, as OdooRPC and odooly use them:
//!   `/web/webclient/version_info`, `/web/session/authenticate` (a password only; it sets the
//!   `session_id` cookie and answers the session info), `get_session_info`, `check`,
//!   `destroy`, `/web/dataset/call_kw[/<model>/<method>]` and `call_button` (with the session
//!   cookie; without an open one, code 100 `odoo.http.SessionExpiredException`),
//!   `/web/database/list`; `/` and `/web` redirect as Odoo's do. [`RunningServer::expire_sessions`]
//!   expires every session, so clients can test that they renew theirs. As Odoo 19 also
//!   `GET /web/version` and `/doc-bearer/<model>.json` (fields and method parameters).
//! * `ir.model.data` names the seeded records (`base.main_company`, `base.user_admin`,
//!   `base.partner_admin`, `base.<country code>`, `base.USD`, and `demo.<table>_<id>` for the
//!   rest of the demo), resolved by `check_object_reference` and by searching `ir.model.data`
//!   (`env.ref` in OdooRPC and odooly).
//! * As Odoo 19 or later ([`Config::odoo_version`], `cargo xtask serve --odoo-version 19`):
//!   `POST /json/2/<model>/<method>` (Odoo 19's `addons/rpc/controllers/json2.py`) with
//!   `Authorization: bearer <API key>` (a password is refused: 401), an optional
//!   `X-Odoo-Database` (another database: 404), and a JSON object of named arguments: `ids`,
//!   `context` and the method's parameters, bound against the same method table as XML-RPC
//!   (an unknown model or method: 404; a private one: 403 `AccessError`; `ids` for an
//!   `@api.model` method, a missing or unknown parameter: 422). The answer is the result as
//!   JSON, records as their ids (`create` of one dict answers `[id]`); an error is Odoo's
//!   `{name, message, arguments, context, debug}` with the exception's `http_status` (422
//!   `UserError`/`ValidationError`, 403 `AccessError`, 404 `MissingError`, 500 otherwise).
//!   XML-RPC stays served, as Odoo 19 still serves it (deprecated). The release also renames
//!   parameters as Odoo did: `name_search`'s `args` is `domain` from 18.3, `default_get`'s
//!   `fields_list` is `fields` from 19.0. A body that is not a JSON object is a 400 here,
//!   where Odoo would drop it silently.
//! * The `ir.model`, `ir.model.fields`, `ir.model.data` and `ir.module.module` records are
//!   written from the schemas, so that `cargo xtask dump` against this server writes the same
//!   schemas back (`cargo xtask regen`'s fixed point).
//!
//! Values, dates, missing records, uids, answers and `read_group` follow Odoo 17's own rules
//! (`fields.py`, `models.py`, `service/model.py`, `rpc.py`). What it does not do (server-side
//! Python such as non-stored computed fields, `_order`, locales and time zones other than
//! `en_US` and UTC) is listed in the workspace README's "The dev server" section.
#![warn(missing_docs)]

mod api_doc;
mod auth;
mod clock;
mod context;
mod fault;
mod http;
mod json2;
mod json_error;
mod jsonrpc;
mod metadata;
mod methods;
mod orm;
mod registry;
mod reply;
mod seed;
mod server;
mod service;
mod session;
mod store;
mod values;
mod version;
mod web;
mod xmlrpc;

pub use auth::{Access, DEMO_API_KEY, NORIGHTS_API_KEY, Secret, User, default_users};
pub use clock::ManualClock;
pub use fault::OdooError;
pub use methods::{MethodCall, MethodEnv, MethodHandler};
pub use seed::{Seed, SeedError, demo as demo_seed};
pub use server::{BackgroundServer, Config, DevServer, Error, RunningServer};
pub use version::{BadVersion, OdooVersion};
