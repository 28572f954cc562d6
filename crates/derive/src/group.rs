//! `#[derive(GroupRecord)]`: a struct for one group of `openspp_client`'s aggregates. Each field is
//! a key (`#[group(by)]`, `#[group(by = "month")]`), a measure (`#[group(sum)]`, ...) or the
//! record count (`#[group(records)]`), of the Odoo field named like it or `field = "..."`.
//! The generated code builds each key and measure from the model's field constant, so the
//! compiler checks them as it checks `FIELD.sum()` written by hand.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path};

/// What one struct field holds.
enum Role {
    Key(Option<Ident>),
    Measure(Ident),
    Records,
}

const MEASURES: [&str; 9] = [
    "sum",
    "avg",
    "min",
    "max",
    "count",
    "count_distinct",
    "array_agg",
    "bool_and",
    "bool_or",
];

const GRANULARITIES: [(&str, &str); 5] = [
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
];

const TAKES: &str = "a group field takes `by`, `by = \"month\"`, a measure (`sum`, `avg`, `min`, \
     `max`, `count`, `count_distinct`, `array_agg`, `bool_and`, `bool_or`) or `records`, and \
     optionally `field = \"odoo_field\"`";

/// The struct's `#[group(model = ...)]`.
fn model(input: &DeriveInput) -> syn::Result<Path> {
    let mut model = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("group")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("model") {
                return Err(meta.error("a group struct takes `model = ModelType`"));
            }
            model = Some(meta.value()?.parse()?);
            Ok(())
        })?;
    }
    model.ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            "a group struct needs `#[group(model = ModelType)]`, the generated model it groups",
        )
    })
}

/// A field's role and Odoo field name.
fn role(field: &syn::Field, ident: &Ident) -> syn::Result<(Role, LitStr)> {
    let mut role = None;
    let mut odoo: Option<LitStr> = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("group")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let found = match name.as_str() {
                "field" => {
                    odoo = Some(meta.value()?.parse()?);
                    return Ok(());
                }
                "by" if meta.input.peek(syn::Token![=]) => {
                    let granularity: LitStr = meta.value()?.parse()?;
                    let variant = GRANULARITIES
                        .iter()
                        .find(|(g, _)| *g == granularity.value())
                        .ok_or_else(|| {
                            syn::Error::new(
                                granularity.span(),
                                "a period is \"day\", \"week\", \"month\", \"quarter\" or \"year\"",
                            )
                        })?;
                    Role::Key(Some(Ident::new(variant.1, granularity.span())))
                }
                "by" => Role::Key(None),
                "records" => Role::Records,
                m if MEASURES.contains(&m) => Role::Measure(Ident::new(m, meta.path.span())),
                _ => return Err(meta.error(format!("unknown group attribute: {TAKES}"))),
            };
            if role.replace(found).is_some() {
                return Err(meta.error("a group field is one key, one measure or the record count"));
            }
            Ok(())
        })?;
    }
    let role = role.ok_or_else(|| syn::Error::new(ident.span(), TAKES))?;
    let odoo = odoo.unwrap_or_else(|| LitStr::new(&ident.unraw().to_string(), ident.span()));
    Ok((role, odoo))
}

pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "a group struct cannot be generic: it groups one model",
        ));
    }
    let model = model(&input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            name.span(),
            "`#[derive(GroupRecord)]` applies to structs with named fields",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(
            name.span(),
            "a group struct needs named fields",
        ));
    };
    let (mut keys, mut measures, mut records) = (Vec::new(), Vec::new(), Vec::new());
    for (i, field) in fields.named.iter().enumerate() {
        let ident = field.ident.clone().expect("named fields have names");
        let (role, odoo) = role(field, &ident)?;
        let constant = quote_spanned!(odoo.span()=> #model!(#odoo));
        let ty = &field.ty;
        let slot = format_ident!("__g{}", i);
        match role {
            Role::Key(period) => {
                let key = match period {
                    Some(g) => quote!(#constant.by(::openspp_client::Granularity::#g)),
                    None => constant,
                };
                keys.push((ident, slot, ty, key));
            }
            Role::Measure(function) => {
                let measure = quote_spanned!(function.span()=> #constant.#function());
                measures.push((ident, slot, ty, measure));
            }
            Role::Records => records.push((ident, ty)),
        }
    }
    let key_exprs: Vec<&TokenStream> = keys.iter().map(|k| &k.3).collect();
    let measure_exprs: Vec<&TokenStream> = measures.iter().map(|m| &m.3).collect();
    let take_keys = keys.iter().map(|(_, slot, ty, key)| {
        quote_spanned!(ty.span()=> let #slot: #ty = __a::GroupKeys::<#model>::take(&#key, &mut __keys)?;)
    });
    let take_measures = measures.iter().map(|(_, slot, ty, measure)| {
        quote_spanned!(ty.span()=> let #slot: #ty = __a::Measures::<#model>::take(&#measure, &mut __values)?;)
    });
    let assigns = keys
        .iter()
        .chain(&measures)
        .map(|(ident, slot, _, _)| quote!(#ident: #slot,));
    let counts = records.iter().map(|(ident, ty)| {
        let count = quote_spanned!(ty.span()=> { let __n: #ty = __count; __n });
        quote!(#ident: #count,)
    });
    let span = Span::call_site();
    let (keys_out, measures_out) = (Ident::new("__key_specs", span), Ident::new("__parts", span));
    Ok(quote! {
        #[allow(non_snake_case, unused_qualifications, unused_variables, unused_mut)]
        const _: () = {
            use ::openspp_client::aggregate as __a;

            impl __a::GroupRecord for #name {
                type Model = #model;
                fn specs(
                    #keys_out: &mut ::std::vec::Vec<__a::KeySpec>,
                    #measures_out: &mut ::std::vec::Vec<(&'static str, &'static str)>,
                ) {
                    #( __a::GroupKeys::<#model>::push_specs(&#key_exprs, #keys_out); )*
                    #( __a::Measures::<#model>::push_parts(&#measure_exprs, #measures_out); )*
                }
                fn from_group(
                    __count: u64,
                    __keys: ::std::vec::Vec<(::std::string::String, ::openspp_client::Value)>,
                    __values: ::std::vec::Vec<(::std::string::String, ::openspp_client::Value)>,
                ) -> ::core::result::Result<Self, (::std::string::String, ::std::string::String)> {
                    let mut __keys = __keys.into_iter();
                    let mut __values = __values.into_iter();
                    #( #take_keys )*
                    #( #take_measures )*
                    ::core::result::Result::Ok(#name { #( #assigns )* #( #counts )* })
                }
            }
        };
    })
}
