//! `#[derive(Record)]`: a typed record struct for `openspp-client`, checked at compile time
//! against the generated bindings. Use it through `openspp_client::Record`, which re-exports it;
//! the accepted types and the errors are documented in `openspp_client::record`.
//!
//! ```ignore
//! use openspp_client::{Many2one, Record, X2many};
//! use openspp_models::{res_country::ResCountry, res_partner::ResPartner};
//!
//! #[derive(Record)]
//! #[record(model = ResPartner)]
//! struct Household {
//!     name: String,
//!     email: Option<String>,
//!     country_id: Option<Many2one<ResCountry>>,
//!     #[record(rename = "child_ids")]
//!     members: X2many<ResPartner>,
//! }
//! let households = partners.search_read(domain).records::<Household>().await?;
//! ```
//!
//! For each struct field the derive names the model's field through the hidden macro that
//! the generated model module exports beside the model type (`ResPartner!("name")` expands to
//! the constant `res_partner::NAME`, or to a compile error naming the field and the model),
//! then asks that constant for a reader into the field's Rust type (a compile error when the
//! type does not fit). Nothing is listed twice: the field names requested are the struct's.

mod attrs;
mod expand;
mod group;

use proc_macro::TokenStream;

/// Implements `openspp_client::Record` and serde's `Deserialize` for a struct whose fields are
/// fields of `#[record(model = ModelType)]` (by name, or `#[record(rename = "odoo_name")]`),
/// and `openspp_client::HasId` when it has an `id` field. See `openspp_client::record`.
#[proc_macro_derive(Record, attributes(record))]
pub fn derive_record(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `openspp_client::aggregate::GroupRecord` for a struct holding one group of
/// `#[group(model = ModelType)]`: fields marked `#[group(by)]`, `#[group(by = "month")]`, a
/// measure (`#[group(sum)]`, ...) or `#[group(records)]`. See `openspp_client::aggregate`.
#[proc_macro_derive(GroupRecord, attributes(group))]
pub fn derive_group_record(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    group::derive(input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
