//! [`ExportColumns`]: what `export_data` writes, one cell per column and one row per record.

use std::fmt;
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use openspp_xmlrpc::Value;

use crate::typed::field::Field;
use crate::typed::model::{Id, Model};
use crate::typed::types::{Binary, FieldType, Many2one, Reference, Selection, SelectionEnum};

/// Field types `export_data` writes as one cell per record. A one2many or many2many column
/// would make Odoo answer one line per linked record (the first with the record's cells,
/// the rest with only the x2many's), which is not one row per record: such columns do not
/// compile.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` field cannot be an export column",
    label = "one2many and many2many fields export one line per linked record",
    note = "export the linked records from their own model, with a many2one column back to this one"
)]
pub trait Exportable: FieldType {}

impl Exportable for bool {}
impl Exportable for i32 {}
impl Exportable for f64 {}
impl Exportable for String {}
impl Exportable for NaiveDate {}
impl Exportable for NaiveDateTime {}
impl Exportable for Binary {}
impl Exportable for Reference {}
impl Exportable for Value {}
impl<M: Model> Exportable for Id<M> {}
impl<R: Model> Exportable for Many2one<R> {}
impl<E: SelectionEnum> Exportable for Selection<E> {}

/// The columns of an export, in order (`export_data`'s `fields_to_export`).
pub struct ExportColumns<M> {
    pub(super) names: Vec<String>,
    model: PhantomData<fn() -> M>,
}

impl<M> fmt::Debug for ExportColumns<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExportColumns({:?})", self.names)
    }
}

impl<M> Clone for ExportColumns<M> {
    fn clone(&self) -> Self {
        Self {
            names: self.names.clone(),
            model: PhantomData,
        }
    }
}

impl<M: Model> Default for ExportColumns<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> ExportColumns<M> {
    /// No columns yet.
    pub fn new() -> Self {
        Self {
            names: Vec::new(),
            model: PhantomData,
        }
    }

    fn push(mut self, name: String) -> Self {
        self.names.push(name);
        self
    }

    /// The record's external id (column `id`; Odoo gives records without one an
    /// `__export__.…` id, which makes the export importable back).
    pub fn xmlid(self) -> Self {
        self.push("id".to_owned())
    }

    /// A field's value as Odoo exports it: text, numbers and booleans as such, a selection's
    /// label, a many2one's display name, `""` for empty. One2many and many2many fields are
    /// refused when compiling ([`Exportable`]).
    pub fn field<T: Exportable, S, O, W>(self, field: Field<M, T, S, O, W>) -> Self {
        self.push(field.name().to_owned())
    }

    /// A many2one's target by external id (column `field/id`), as `set_ref` imports it.
    pub fn field_xmlid<R: Model, S, O, W>(self, field: Field<M, Many2one<R>, S, O, W>) -> Self {
        self.push(format!("{}/id", field.name()))
    }

    /// A many2one's target by database id (column `field/.id`).
    pub fn field_id<R: Model, S, O, W>(self, field: Field<M, Many2one<R>, S, O, W>) -> Self {
        self.push(format!("{}/.id", field.name()))
    }

    /// The column names sent.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}
