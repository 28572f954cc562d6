//! The schema file format: the contract between `cargo xtask dump`, the code generator and the
//! dev server.
//!
//! A schemas directory holds:
//!
//! * `manifest.json` ([`Manifest`]): the format version, what `common.version()` returned, the
//!   installed addons with their metadata and dependencies, every model with the addon it
//!   belongs to, and the models the dump had to skip;
//! * `models/<model>.json` ([`ModelSchema`]), one per model: its label, whether it is
//!   transient, its addon, the `ir.model` `modules` and `info`, and every field
//!   ([`FieldSchema`]) with *all* the attributes `fields_get` returned (unknown ones kept), its
//!   `ir.model.fields` row and the value `default_get` gave it, and its public methods
//!   ([`MethodSchema`]: Odoo 19's `/doc-bearer` listing, or Odoo 17's form buttons).
//!
//! Files are canonical JSON (sorted keys at every depth, two-space indentation, a final
//! newline, no timestamps), selection choices with equal labels in key order
//! ([`FieldSchema::order_equal_labels_by_key`]: the server sends them in no fixed order), so the
//! same server always gives the same bytes, and
//! [`SchemaSet::load`] followed by [`SchemaSet::save`] reproduces every file exactly.
//!
//! Nothing the server said is interpreted away: Odoo's `false` for "empty" is kept as it came
//! in the raw maps, and the typed accessors turn it into `None`.
#![warn(missing_docs)]

mod error;
mod field;
mod json;
mod manifest;
pub mod method;
mod model;
pub mod required;
mod set;

pub use error::Error;
pub use field::{FieldSchema, HiddenField, SelectionOption};
pub use manifest::{Addon, Manifest, ServerVersion};
pub use method::{MethodSchema, MethodSource, ParameterKind, ParameterSchema};
pub use model::{Fault, ModelSchema};
pub use required::MAGIC_FIELDS;
pub use set::{MANIFEST_FILE, MODELS_DIR, SchemaSet};

/// The format version this build reads and writes. Any other version is refused on load.
pub const FORMAT_VERSION: u32 = 1;
