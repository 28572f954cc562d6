//! The code `#[derive(Record)]` generates: `Record` (the field names to request), serde's
//! `Deserialize` (each member decoded by its field's reader) and, with an `id` field, `HasId`.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Type};

use crate::attrs;

/// One struct field and the Odoo field it reads.
struct Member {
    /// The Rust field.
    ident: Ident,
    ty: Type,
    /// The Odoo field name, spanned at the `rename` value or the Rust field name.
    odoo: LitStr,
    /// A type named after the field, so that a type mismatch error names it.
    marker: Ident,
}

pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "a record struct cannot be generic: it reads the fields of one model",
        ));
    }
    let model = attrs::model(name, &input.attrs)?;
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            Fields::Unit => &syn::punctuated::Punctuated::new(),
            Fields::Unnamed(_) => {
                return Err(syn::Error::new(
                    name.span(),
                    "a record struct needs named fields (named like the Odoo fields they read)",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new(
                name.span(),
                "`#[derive(Record)]` applies to structs with named fields",
            ));
        }
    };
    let mut members: Vec<Member> = Vec::with_capacity(fields.len());
    for field in fields {
        let ident = field.ident.clone().expect("named fields have names");
        let odoo = attrs::rename(&field.attrs)?
            .unwrap_or_else(|| LitStr::new(&ident.unraw().to_string(), ident.span()));
        if let Some(first) = members.iter().find(|m| m.odoo.value() == odoo.value()) {
            return Err(syn::Error::new(
                odoo.span(),
                format!(
                    "the Odoo field `{}` is already read into `{}`",
                    odoo.value(),
                    first.ident
                ),
            ));
        }
        let marker = marker(&odoo.value(), &ident);
        members.push(Member {
            ident,
            ty: field.ty.clone(),
            odoo,
            marker,
        });
    }
    Ok(expand(name, &model, &members))
}

/// `tokens`, every one spanned at `span` (so that an error inside points there alone).
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// The marker type's name: the Odoo field name when it is an identifier, else the Rust name.
fn marker(odoo: &str, ident: &Ident) -> Ident {
    syn::parse_str::<Ident>(odoo)
        .or_else(|_| syn::parse_str::<Ident>(&format!("r#{odoo}")))
        .map(|m| Ident::new_raw(&m.unraw().to_string(), ident.span()))
        .unwrap_or_else(|_| ident.clone())
}

fn expand(name: &Ident, model: &Path, members: &[Member]) -> TokenStream {
    let odoo_names: Vec<&LitStr> = members.iter().map(|m| &m.odoo).collect();
    let markers: Vec<&Ident> = members.iter().map(|m| &m.marker).collect();
    let slots: Vec<Ident> = (0..members.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let slot_types = members.iter().map(|m| &m.ty);
    let indices = 0..members.len();
    let fills = members.iter().zip(&slots).map(|(m, slot)| {
        let (odoo, ty, marker) = (&m.odoo, &m.ty, &m.marker);
        // The field lookup carries the span of the name (an unknown field is reported
        // there) and the reader the span of the type (a type that does not fit is).
        let field = respan(quote!(#model!(#odoo)), odoo.span());
        let reader = quote_spanned!(ty.span()=> reader::<#ty, __record_fields::#marker>);
        quote! { __p::fill(&mut __map, &mut #slot, #odoo, #field.#reader())? }
    });
    let idents: Vec<&Ident> = members.iter().map(|m| &m.ident).collect();
    let has_id = members.iter().find(|m| m.odoo.value() == "id").map(|m| {
        let ident = &m.ident;
        quote! {
            impl ::openspp_client::HasId<#model> for #name {
                fn id(&self) -> ::openspp_client::Id<#model> {
                    self.#ident
                }
            }
        }
    });
    let span = Span::call_site();
    let (visitor, map, deserializer) = (
        Ident::new("__Visitor", span),
        Ident::new("__map", span),
        Ident::new("__deserializer", span),
    );
    quote! {
        #[allow(non_upper_case_globals, non_camel_case_types, non_snake_case, unused_qualifications)]
        const _: () = {
            use ::openspp_client::record::support as __p;

            mod __record_fields {
                #( pub struct #markers; )*
            }

            impl ::openspp_client::Record for #name {
                type Model = #model;
                const FIELDS: &'static [&'static str] = &[ #( #odoo_names ),* ];
            }

            #has_id

            impl<'de> __p::serde::Deserialize<'de> for #name {
                fn deserialize<__D>(#deserializer: __D) -> ::core::result::Result<Self, __D::Error>
                where
                    __D: __p::serde::Deserializer<'de>,
                {
                    struct #visitor;
                    impl<'de> __p::serde::de::Visitor<'de> for #visitor {
                        type Value = #name;
                        fn expecting(
                            &self,
                            f: &mut ::core::fmt::Formatter<'_>,
                        ) -> ::core::fmt::Result {
                            __p::expecting::<#model>(f)
                        }
                        fn visit_map<__A>(
                            self,
                            mut #map: __A,
                        ) -> ::core::result::Result<#name, __A::Error>
                        where
                            __A: __p::serde::de::MapAccess<'de>,
                        {
                            #( let mut #slots: ::core::option::Option<#slot_types> = None; )*
                            while let Some(key) = #map.next_key_seed(__p::KeySeed(
                                <#name as ::openspp_client::Record>::FIELDS,
                            ))? {
                                match key {
                                    #( Some(#indices) => #fills, )*
                                    _ => {
                                        #map.next_value::<__p::serde::de::IgnoredAny>()?;
                                    }
                                }
                            }
                            Ok(#name {
                                #( #idents: __p::take(#slots, #odoo_names)?, )*
                            })
                        }
                    }
                    #deserializer.deserialize_map(#visitor)
                }
            }
        };
    }
}
