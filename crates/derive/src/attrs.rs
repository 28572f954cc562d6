//! The `#[record(...)]` attributes: `model = Path` on the struct, `rename = "..."` on a field.

use syn::{Attribute, Ident, LitStr, Path};

/// The struct's `#[record(model = ...)]`.
pub fn model(ident: &Ident, attrs: &[Attribute]) -> syn::Result<Path> {
    let mut model: Option<Path> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("record")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("model") {
                return Err(meta.error(format!(
                    "unknown record attribute `{}`: a record struct takes `model = ModelType`",
                    path_text(&meta.path)
                )));
            }
            if model.is_some() {
                return Err(meta.error("`model` is given twice"));
            }
            model = Some(meta.value()?.parse()?);
            Ok(())
        })?;
    }
    model.ok_or_else(|| {
        syn::Error::new(
            ident.span(),
            "a record struct needs `#[record(model = ModelType)]`, the generated model it reads",
        )
    })
}

/// A field's `#[record(rename = "...")]`, if any.
pub fn rename(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut rename: Option<LitStr> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("record")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename") {
                return Err(meta.error(format!(
                    "unknown record attribute `{}`: a record field takes `rename = \"odoo_field_name\"`",
                    path_text(&meta.path)
                )));
            }
            if rename.is_some() {
                return Err(meta.error("`rename` is given twice"));
            }
            rename = Some(meta.value()?.parse()?);
            Ok(())
        })?;
    }
    Ok(rename)
}

fn path_text(path: &Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}
