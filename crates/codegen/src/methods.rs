//! A model's business methods as typed calls: a trait `<Type>Methods` implemented for every
//! [`MethodHost`](openspp_client) of the model (the async and the blocking repository), one
//! function per public method the schema lists. A method on records takes `&[Id<Model>]`
//! first, an `@api.model` one no ids; required parameters are arguments, typed from their
//! annotation where the mapping is sure, optional ones are options of a per-method builder.
//!
//! Names the repository already gives a typed call (CRUD, `name_search`, `fields_get`...) are
//! left out, and so are, when the settings say so
//! ([`GenerationSettings::every_model_methods`](crate::GenerationSettings)), the methods every
//! model inherits. A name that clashes with another repository method gets a `_method` suffix.

use crate::docs;
use crate::naming::{Case, ident};
use crate::render::{Uses, client};
use openspp_schema::{MethodSchema, MethodSource, ParameterKind, ParameterSchema};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// Methods the repository calls with types of its own: not generated again.
const TYPED_ALREADY: &[&str] = &[
    "create",
    "default_get",
    "export_data",
    "fields_get",
    "formatted_read_group",
    "load",
    "name_search",
    "read",
    "read_group",
    "search",
    "search_count",
    "search_read",
    "unlink",
    "write",
];

/// `defined_in` of the methods every model has: the ORM's and `BaseModel` extensions'.
const EVERY_MODEL: &[&str] = &["core", "base"];

/// `set` without the methods every model inherits (`defined_in` `core` or `base`).
pub(crate) fn without_every_model_methods(
    set: &openspp_schema::SchemaSet,
) -> openspp_schema::SchemaSet {
    let mut own = set.clone();
    for model in own.models.values_mut() {
        model.methods.retain(|_, method| {
            !method
                .defined_in
                .as_deref()
                .is_some_and(|model| EVERY_MODEL.contains(&model))
        });
    }
    own
}

/// Names of the repositories' and `MethodHost`'s own methods: a method so named is generated
/// as `<name>_method`.
const HOST_NAMES: &[&str] = &[
    "aggregate",
    "by_xmlid",
    "export",
    "import",
    "method",
    "session",
    "set_xmlid",
    "with_context",
    "xmlids",
];

fn raw_or_plain(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// How an annotation maps to an argument type and an answer type; `None`: not surely.
struct Mapped {
    arg: TokenStream,
    answer: TokenStream,
    optional: bool,
}

fn map_annotation(annotation: &str) -> Option<Mapped> {
    let text = annotation.trim();
    let (inner, optional) = match text
        .strip_suffix("| None")
        .or_else(|| text.strip_prefix("None |"))
    {
        Some(inner) => (inner.trim(), true),
        None => match text
            .strip_prefix("Optional[")
            .and_then(|t| t.strip_suffix(']'))
        {
            Some(inner) => (inner.trim(), true),
            None => (text, false),
        },
    };
    let (arg, answer) = match inner {
        "int" => (quote! { i64 }, quote! { i64 }),
        "str" => (quote! { &str }, quote! { String }),
        "bool" => (quote! { bool }, quote! { bool }),
        "float" => (quote! { f64 }, quote! { f64 }),
        "list[int]" => (quote! { &[i64] }, quote! { Vec<i64> }),
        "dict" => (
            quote! { &openspp_client::xmlrpc::Struct },
            quote! { openspp_client::xmlrpc::Struct },
        ),
        "Sequence[str]" | "list[str]" => (quote! { &[&str] }, quote! { Vec<String> }),
        _ => return None,
    };
    Some(Mapped {
        arg,
        answer,
        optional,
    })
}

/// A parameter's Rust type (as a required argument, or as a builder option's value).
fn param_type(param: &ParameterSchema, as_option: bool, uses: &mut Uses) -> TokenStream {
    match param.annotation.as_deref().and_then(map_annotation) {
        Some(Mapped {
            arg,
            optional: true,
            ..
        }) if !as_option => quote! { Option<#arg> },
        Some(mapped) => mapped.arg,
        None => {
            let value = client(uses, "Value");
            quote! { &#value }
        }
    }
}

fn answer_type(method: &MethodSchema, uses: &mut Uses) -> TokenStream {
    match method.returns.as_deref().and_then(map_annotation) {
        Some(Mapped {
            answer,
            optional: true,
            ..
        }) => quote! { Option<#answer> },
        Some(mapped) => mapped.answer,
        None => client(uses, "Value"),
    }
}

fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

fn push_paragraphs(lines: &mut Vec<String>, text: &str) {
    for paragraph in docs::paragraphs(text) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(paragraph);
    }
}

fn method_docs(model: &str, name: &str, method: &MethodSchema) -> Vec<String> {
    let mut lines = Vec::new();
    if !method.label.is_empty() {
        lines.push(format!("“{}”.", docs::escape(method.label.trim())));
    }
    push_paragraphs(&mut lines, &method.doc);
    if lines.is_empty() {
        lines.push(format!("`{model}.{name}`."));
    }
    lines.push(String::new());
    match method.source {
        MethodSource::FormButton => {
            lines.push(format!(
                "A button of the form view (Odoo 17): `{name}` called on the records' ids, \
                 as the web client calls it, without arguments. It answers what the method \
                 returns: often a window action (`.returning::<Option<openspp_client::Action>>()`), \
                 `True` or `None`. Over XML-RPC a `None` answer is a fault raised after the \
                 commit (`cannot marshal None`): the error's `may_have_changed_data()` is \
                 true, and the records must be read back."
            ));
            if let Some(confirm) = &method.confirm {
                lines.push(String::new());
                lines.push(format!(
                    "The web client asks first: “{}”",
                    docs::escape(confirm.trim())
                ));
            }
            if let Some(groups) = &method.groups {
                lines.push(String::new());
                lines.push(format!("Shown to the groups {}.", docs::code(groups)));
            }
        }
        MethodSource::DocBearer => {
            let flags = match (method.model, method.readonly) {
                (true, true) => {
                    "an `@api.model` method (no ids) that changes nothing (retried like a read)"
                }
                (true, false) => "an `@api.model` method (no ids)",
                (false, true) => "called on records; changes nothing (retried like a read)",
                (false, false) => "called on records",
            };
            lines.push(format!(
                "`{name}{}`: {flags}.",
                docs::escape(&method.signature())
            ));
        }
    }
    let described: Vec<&ParameterSchema> = method
        .parameters
        .iter()
        .filter(|p| !p.doc.is_empty() || p.annotation.as_deref().and_then(map_annotation).is_none())
        .collect();
    if !described.is_empty() {
        lines.push(String::new());
        lines.push("Parameters:".into());
        for param in described {
            let mut line = format!("- `{}`", param.name);
            if let Some(annotation) = &param.annotation {
                line += &format!(" ({})", docs::code(annotation));
            }
            if param
                .annotation
                .as_deref()
                .and_then(map_annotation)
                .is_none()
            {
                line += ": sent as a `Value` (its type does not map surely)";
            }
            if !param.doc.is_empty() {
                line += &format!(": {}", docs::paragraphs(&param.doc).join(" "));
            }
            lines.push(line);
        }
    }
    if !method.returns_doc.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "Returns: {}",
            docs::paragraphs(&method.returns_doc).join(" ")
        ));
    }
    lines
}

/// The trait `<Type>Methods` and its builders for `model`'s methods; nothing when it has none.
/// The `openspp_client` items the code names are added to `uses`, so that each body is one
/// short call: `self.method(MethodSpec::records("approve"), Some(ids))`.
pub fn methods_tokens(
    model: &str,
    type_name: &str,
    methods: &BTreeMap<String, MethodSchema>,
    uses: &mut Uses,
) -> TokenStream {
    let me = raw_or_plain(type_name);
    let trait_name = Ident::new(&format!("{type_name}Methods"), Span::call_site());
    let mut functions = Vec::new();
    let mut builders = Vec::new();
    for (name, method) in methods {
        if TYPED_ALREADY.contains(&name.as_str()) {
            continue;
        }
        let rust_name = if HOST_NAMES.contains(&name.as_str()) {
            format!("{name}_method")
        } else {
            ident(name, Case::Snake)
        };
        let fn_name = raw_or_plain(&rust_name);
        let answer = answer_type(method, uses);
        let spec = client(uses, "MethodSpec");
        let spec = match (method.model, method.readonly) {
            (true, false) => quote! { #spec::model(#name) },
            (true, true) => quote! { #spec::model(#name).readonly() },
            (false, false) => quote! { #spec::records(#name) },
            (false, true) => quote! { #spec::records(#name).readonly() },
        };
        let (ids_param, ids_arg) = if method.model {
            (quote! {}, quote! { None })
        } else {
            let id = client(uses, "Id");
            (quote! { ids: &[#id<#me>], }, quote! { Some(ids) })
        };
        let required: Vec<&ParameterSchema> = method.required_parameters().collect();
        let params = required.iter().map(|p| {
            let arg = raw_or_plain(&ident(&p.name, Case::Snake));
            let ty = param_type(p, false, uses);
            quote! { #arg: #ty, }
        });
        let params: Vec<TokenStream> = params.collect();
        let optional: Vec<&ParameterSchema> = method
            .parameters
            .iter()
            .filter(|p| p.default.is_some() && !p.kind.is_variadic())
            .collect();
        let takes_kwargs = method
            .parameters
            .iter()
            .any(|p| p.kind == ParameterKind::VarKeyword);
        let docs = doc_attrs(&method_docs(model, name, method));
        let call_type = quote! { Self::Call<#answer> };
        let mut start = quote! { self.method(#spec, #ids_arg) };
        if !required.is_empty() {
            client(uses, "MethodArgs");
        }
        for p in &required {
            let arg = raw_or_plain(&ident(&p.name, Case::Snake));
            let key = &p.name;
            start = if p.kind == ParameterKind::KeywordOnly {
                quote! { #start.kwarg(#key, #arg) }
            } else {
                quote! { #start.arg(#key, #arg) }
            };
        }
        if optional.is_empty() && !takes_kwargs {
            functions.push(quote! {
                #docs
                fn #fn_name(&self, #ids_param #( #params )*) -> #call_type {
                    #start
                }
            });
            continue;
        }
        let builder = Ident::new(
            &format!(
                "{type_name}{}",
                ident(name, Case::Camel('M')).trim_start_matches("r#")
            ),
            Span::call_site(),
        );
        let builder_doc = format!(
            " The call `{model}.{name}` being built: its optional parameters are options; \
             `.await` it (async repository) or `.send()` it (blocking)."
        );
        let args = client(uses, "MethodArgs");
        let options = optional.iter().map(|p| {
            let option = raw_or_plain(&ident(&p.name, Case::Snake));
            let ty = param_type(p, true, uses);
            let key = &p.name;
            let default = p.default.as_deref().unwrap_or_default();
            let mut lines = vec![format!("`{key}` (default {}).", docs::code(default))];
            push_paragraphs(&mut lines, &p.doc);
            let doc = doc_attrs(&lines);
            quote! {
                #doc
                pub fn #option(self, #option: #ty) -> Self {
                    Self(self.0.kwarg(#key, #option))
                }
            }
        });
        let options: Vec<TokenStream> = options.collect();
        let kwargs = takes_kwargs.then(|| {
            let value = client(uses, "Value");
            quote! {
                /// A further named argument, which the method takes as `**kwargs`.
                pub fn kwarg(self, name: &str, value: &#value) -> Self {
                    Self(self.0.kwarg(name, value))
                }
            }
        });
        builders.push(quote! {
            #[doc = #builder_doc]
            #[must_use = "a call does nothing until sent"]
            #[derive(Debug)]
            pub struct #builder<C>(C);

            impl<C: #args> #builder<C> {
                #( #options )*
                #kwargs
            }

            openspp_client::sendable_builder!(#builder);
        });
        functions.push(quote! {
            #docs
            fn #fn_name(&self, #ids_param #( #params )*) -> #builder<#call_type> {
                #builder(#start)
            }
        });
    }
    if functions.is_empty() {
        return quote! {};
    }
    let host = client(uses, "MethodHost");
    let trait_doc = format!(
        " The business methods of `{model}`, as typed calls on its repository (async or \
         blocking): `{type_name}::repo(&odoo).method(...)`. Bring the trait into scope to call them."
    );
    quote! {
        #[doc = #trait_doc]
        pub trait #trait_name: #host<#me> {
            #( #functions )*
        }

        impl<H: #host<#me>> #trait_name for H {}

        #( #builders )*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_map_only_where_sure() {
        let arg = |a: &str| map_annotation(a).map(|m| (m.arg.to_string(), m.optional));
        assert_eq!(arg("int | None"), Some(("i64".into(), true)));
        assert_eq!(arg("Sequence[str]"), Some(("& [& str]".into(), false)));
        assert_eq!(arg("DomainType"), None);
        assert_eq!(arg("dict[str, dict]"), None);
    }

    #[test]
    fn methods_every_model_inherits_can_be_left_out() {
        let doc_bearer = |defined_in: &str| MethodSchema {
            source: MethodSource::DocBearer,
            model: false,
            readonly: false,
            parameters: Vec::new(),
            returns: None,
            returns_doc: String::new(),
            doc: String::new(),
            label: String::new(),
            confirm: None,
            groups: None,
            defined_in: Some(defined_in.to_owned()),
            module: None,
        };
        let mut set = openspp_schema::SchemaSet::new(openspp_schema::Manifest::new(
            openspp_schema::ServerVersion::default(),
        ));
        let mut cycle = openspp_schema::ModelSchema::new("spp.cycle", "Cycle", "spp_programs");
        for (name, defined_in) in [
            ("copy", "core"),
            ("web_read", "base"),
            ("message_post", "mail.thread"),
            ("action_approve", "spp.approval.mixin"),
        ] {
            cycle
                .methods
                .insert(name.to_owned(), doc_bearer(defined_in));
        }
        set.insert(cycle);
        let own = without_every_model_methods(&set);
        let kept: Vec<&str> = own.models["spp.cycle"]
            .methods
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(kept, ["action_approve", "message_post"]);
        assert_eq!(
            set.models["spp.cycle"].methods.len(),
            4,
            "the set given is unchanged"
        );
    }
}
