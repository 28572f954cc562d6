//! Typed async client for Odoo 17+ and OpenSPP, over XML-RPC, JSON-RPC, the web client's
//! session or JSON-2 (Odoo 19+): [`Protocol::Auto`] picks the one that costs the server least
//! for the secret and server.
//!
//! # Layers
//!
//! Five layers, each importing only from the ones before it (a test keeps it so):
//! 1. [`error`] and the type vocabulary of `src/typed/`: [`model`], [`field`], [`types`],
//!    [`values`], [`domain`], [`record`], [`fetch`]; with [`Secret`]. No I/O.
//! 2. the wire, `src/wire/`: HTTP transport and retries, and one module per [`Protocol`].
//! 3. the session, `src/session/`: [`Client`] logs in, a [`Session`] sends model method calls.
//! 4. the typed API, `src/repository/`: [`Repository`] (CRUD), [`aggregate`], [`import`],
//!    [`export`], [`xmlid`].
//! 5. [`blocking`]: the same API for programs without an async runtime.
//!
//! # What a generated model provides
//!
//! Generated code is declarative data; all logic is generic code in this crate, so 573 models
//! and ~10 000 fields compile quickly. Per model, a generator emits exactly this (the test
//! `tests/support/models.rs` is a hand-written `res.partner` + `res.country` in this shape):
//!
//! 1. a unit struct and its [`Model`] impl: technical name, sorted field names, and the fields
//!    `create` must be given (`required` and no server default in `default_get`);
//! 2. one `pub const` [`Field`] per field: `Field<Model, T, S, O, W>` where `T` is the value
//!    type (table in [`types`]) and `S`/`O`/`W` say what the server allows:
//!    - [`Searchable`] unless the field is not stored and has no search method;
//!    - [`Sortable`] when stored (fields_get `sortable`);
//!    - [`Writable`] when stored (even if `readonly`: the server writes it over RPC), or not
//!      stored but with an inverse or `related`; [`NotWritable`] for non-stored readonly
//!      computed fields and the magic fields `id`, `display_name`, `create_date`,
//!      `create_uid`, `write_date`, `write_uid` (the server silently ignores those writes);
//! 3. one enum per selection field with a catch-all variant holding unknown keys, and its
//!    [`SelectionEnum`] impl (three short items); a selection several fields have (same keys,
//!    labels and order) is generated once in the crate's `selections` module and re-exported
//!    here under the field's enum name;
//! 4. `impl Model { pub fn create(<one argument per REQUIRED field>) -> Values<Self> }` so
//!    a missing required field is a compile error (the runtime checks [`Model::REQUIRED`]
//!    again before any I/O for values built by hand);
//! 5. a hidden macro named like the model type, exported beside it, mapping each Odoo field
//!    name to its constant (`ResPartner!("name")` is `res_partner::NAME`, any other name a
//!    compile error): what `#[derive(Record)]` checks a record struct through.
//!
//! Records are read as tuples of chosen fields (`(Id<M>, Option<String>, …)`), or into a
//! program's own struct with `#[derive(Record)]` ([`record`]), checked against the field
//! constants at compile time: no struct per model, and no "read every field" requests.
//!
//! # Example
//!
//! ```
//! use openspp_client::{Command, Domain, Field, Id, Many2one, Model, NotSearchable, X2many};
//!
//! #[derive(Debug, Clone, Copy)]
//! pub struct ResCountry;
//! impl Model for ResCountry {
//!     const NAME: &'static str = "res.country";
//!     const FIELDS: &'static [&'static str] = &["code", "id", "name"];
//!     const REQUIRED: &'static [&'static str] = &["code", "name"];
//! }
//! pub const CODE: Field<ResCountry, String> = Field::new("code");
//!
//! #[derive(Debug, Clone, Copy)]
//! pub struct ResPartner;
//! impl Model for ResPartner {
//!     const NAME: &'static str = "res.partner";
//!     const FIELDS: &'static [&'static str] = &["category_id", "country_id", "id", "name"];
//!     const REQUIRED: &'static [&'static str] = &[];
//! }
//! pub const NAME: Field<ResPartner, String> = Field::new("name");
//! pub const COUNTRY_ID: Field<ResPartner, Many2one<ResCountry>> = Field::new("country_id");
//! pub const CATEGORY_ID: Field<ResPartner, X2many<ResPartner>> = Field::new("category_id");
//!
//! let belgians: Domain<ResPartner> = COUNTRY_ID.dot(CODE).eq("BE") & NAME.ilike("a");
//! let values = NAME
//!     .set("Ada")
//!     .set(COUNTRY_ID, Id::<ResCountry>::new(20))
//!     .set(CATEGORY_ID, [Command::set([Id::new(4), Id::new(7)])]);
//! assert_eq!(
//!     values.to_string(),
//!     r#"{"name": "Ada", "country_id": 20, "category_id": [[6, 0, [4, 7]]]}"#
//! );
//! ```
//!
//! # The OpenSPP external API guide, in Rust
//!
//! Each section of the guide (authenticate, read, create, update, delete) becomes:
//!
//! ```no_run
//! # use openspp_client::{Field, Model, Many2one, NotSearchable, NotSortable, NotWritable};
//! # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
//! # impl Model for ResPartner {
//! #     const NAME: &'static str = "res.partner";
//! #     const FIELDS: &'static [&'static str] = &["email", "is_company", "is_group", "is_registrant", "name", "parent_id"];
//! #     const REQUIRED: &'static [&'static str] = &[];
//! # }
//! # impl ResPartner { pub fn create() -> openspp_client::Values<Self> { openspp_client::Values::new() } }
//! # mod res_partner {
//! #     use super::*;
//! #     pub const NAME: Field<ResPartner, String> = Field::new("name");
//! #     pub const EMAIL: Field<ResPartner, String> = Field::new("email");
//! #     pub const IS_REGISTRANT: Field<ResPartner, bool> = Field::new("is_registrant");
//! #     pub const IS_GROUP: Field<ResPartner, bool> = Field::new("is_group");
//! # }
//! use openspp_client::{Client, Error, Secret};
//!
//! # async fn guide() -> Result<(), Error> {
//! // Authenticate: common.authenticate(db, login, api_key, {}) -> uid
//! let api_key = Secret::new(std::env::var("OPENSPP_API_KEY").unwrap_or_default());
//! let odoo = Client::new("https://openspp.example.org", "openspp")?
//!     .login("admin", api_key)
//!     .await?;                        // wrong credentials: Error::AuthenticationFailed
//! let registrants = odoo.repo::<ResPartner>();
//!
//! // Read: search_read([["is_registrant", "=", True], ["is_group", "=", True]],
//! //                   fields=["name", "email"], limit=5)
//! let households = registrants
//!     .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
//!     .fields((res_partner::NAME, res_partner::EMAIL))
//!     .limit(5)
//!     .await?;                        // Vec<(Id<ResPartner>, (Option<String>, Option<String>))>
//! for (id, (name, email)) in &households {
//!     println!("{id}: {name:?} {email:?}");
//! }
//!
//! // Create: create({"name": "New Registrant", "is_registrant": True}) -> id
//! let id = registrants
//!     .create(
//!         ResPartner::create()
//!             .set(res_partner::NAME, "New Registrant")
//!             .set(res_partner::IS_REGISTRANT, true),
//!     )
//!     .await?;                        // Id<ResPartner>
//!
//! // Update: write([id], {"email": "new@example.org"}) -> True
//! registrants
//!     .write(&[id], res_partner::EMAIL.set("new@example.org"))
//!     .await?;
//!
//! // Delete: unlink([id]) -> True
//! match registrants.unlink(&[id]).await {
//!     Ok(()) => {}
//!     // Odoo 17's res.partner deletes, then faults while answering: not a failed delete.
//!     Err(e) if e.may_have_changed_data() => eprintln!("deleted, but: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! # fn main() {}
//! ```
#![warn(missing_docs)]

pub mod blocking;
pub mod error;
mod repository;
mod secret;
mod session;
mod typed;
mod wire;

pub use repository::{aggregate, export, import, method, xmlid};
pub use typed::{action, de, domain, fetch, field, model, record, term, types, values};

pub use error::{
    CallId, Error, FaultKind, ProtocolError, ServerFault, TransportError, XmlIdProblem,
};
pub use secret::Secret;

pub use domain::{Domain, Order};
pub use field::{
    CanSearch, CanSort, CanWrite, Field, NotSearchable, NotSortable, NotWritable, Path, Searchable,
    Sortable, Writable,
};
pub use model::{Id, Model};
pub use record::{ReadAs, Record};
pub use term::Term;
pub use typed::args::Args;
pub use typed::context::Context;
pub use types::{
    Binary, FieldType, Many2one, Nullable, Ordered, QueryValue, Reference, Relational, Selection,
    SelectionEnum, TextLike, WriteValue, X2many,
};
pub use values::{Command, Values};

pub use openspp_xmlrpc::{self as xmlrpc, Value};
pub use wire::protocol::json::from_json;
pub use wire::protocol::{Protocol, ServerVersion};
pub use wire::retry::RetryPolicy;

pub use session::client::{Client, ClientBuilder};
pub use session::{CallOptions, Session};

pub use action::{Action, WindowAction};
pub use aggregate::{Aggregate, Granularity, Group, GroupRecord, Period};
pub use export::{
    ChangeWindow, Changes, DEFAULT_OVERLAP, Export, ExportColumns, ExportRow, Exportable, Watermark,
};
pub use fetch::{Columns, Fetch, FieldSet, Records};
pub use import::{
    CellValue, Import, ImportMode, ImportReport, ImportRow, Progress, RowError, RowProblem,
};
pub use method::{Method, MethodArgs, MethodHost, MethodSpec};
pub use repository::{HasId, NameSearch, Read, Repository, Search, SearchRead};
pub use xmlid::XmlId;

/// `#[derive(GroupRecord)]`: a struct for one group of an aggregate, checked against a
/// generated model at compile time (see [`aggregate::GroupRecord`]).
pub use openspp_derive::GroupRecord;
/// `#[derive(Record)]`: a record struct checked against a generated model at compile time
/// (see [`record`]).
pub use openspp_derive::Record;
