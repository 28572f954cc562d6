//! Generates typed Rust bindings from Odoo model schemas.
#![warn(missing_docs)]

pub mod naming;
