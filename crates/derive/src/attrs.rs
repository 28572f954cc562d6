//! The `#[record(...)]` attributes: `model = Path` on the struct, `rename = "..."` on a field.

use syn::parse::Parse;
use syn::{Attribute, Ident, LitStr, Path};

/// The struct's `#[record(model = ...)]`.
pub fn model(ident: &Ident, attrs: &[Attribute]) -> syn::Result<Path> {
    one(attrs, "model", "a record struct takes `model = ModelType`")?.ok_or_else(|| {
        syn::Error::new(
            ident.span(),
            "a record struct needs `#[record(model = ModelType)]`, the generated model it reads",
        )
    })
}

/// A field's `#[record(rename = "...")]`, if any.
pub fn rename(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    one(
        attrs,
        "rename",
        "a record field takes `rename = \"odoo_field_name\"`",
    )
}

/// The value of `key = ...` in the `#[record(...)]` attributes, given at most once; any other
/// key is an error at that key saying what this place `takes`.
fn one<T: Parse>(attrs: &[Attribute], key: &str, takes: &str) -> syn::Result<Option<T>> {
    let mut value: Option<T> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("record")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident(key) {
                let path = &meta.path;
                let name = quote::quote!(#path).to_string().replace(' ', "");
                return Err(meta.error(format!("unknown record attribute `{name}`: {takes}")));
            }
            if value.is_some() {
                return Err(meta.error(format!("`{key}` is given twice")));
            }
            value = Some(meta.value()?.parse()?);
            Ok(())
        })?;
    }
    Ok(value)
}
