//! The crate's structure, read from its own sources with syn: the layers import one way, and
//! the blocking API offers what the async one does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{ImplItem, Item, Type, UseTree, Visibility};

/// Every `.rs` file under `src/`, with its module path (`wire::protocol::json2`).
fn sources() -> Vec<(String, syn::File)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src/ reads") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(&src)
                .expect("under src")
                .with_extension("");
            let parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .filter(|p| p != "mod" && p != "lib")
                .collect();
            let text = std::fs::read_to_string(&path).expect("source reads");
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            (parts.join("::"), file)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Layers

/// The layer of a module: its first path segment.
fn layer(module: &str) -> usize {
    match module.split("::").next().unwrap_or_default() {
        "error" | "secret" => 0,
        "typed" => 1,
        "wire" => 2,
        "session" => 3,
        "repository" => 4,
        "blocking" => 5,
        "" => 6, // lib.rs re-exports everything
        other => panic!("module {other} is in no layer: add it to the list in lib.rs and here"),
    }
}

/// The module paths of every `crate::` / `super::` path a file names (its imports, and paths
/// written in full in its code), resolved to the longest known module.
fn imports(module: &str, file: &syn::File, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut paths = Vec::new();
    collect_use_paths(&file.items, &mut paths);
    collect_token_paths(&file_tokens(file), &mut paths);
    let mut out = BTreeSet::new();
    for path in paths {
        let absolute: Vec<String> = match path.first().map(String::as_str) {
            Some("crate") => path[1..].to_vec(),
            Some("super") => {
                let mut base: Vec<String> = module.split("::").map(str::to_owned).collect();
                let mut rest = &path[..];
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                base
            }
            _ => continue,
        };
        let target = (1..=absolute.len())
            .rev()
            .map(|n| absolute[..n].join("::"))
            .find(|m| modules.contains(m));
        if let Some(target) = target {
            // A module's own children and ancestors (a `mod.rs` re-exporting) are itself.
            if target != module
                && !module.starts_with(&format!("{target}::"))
                && !target.starts_with(&format!("{module}::"))
            {
                out.insert(target);
            }
        }
    }
    out
}

/// The tokens of a file's items, less its `#[cfg(test)]` modules (tests reach anything).
fn file_tokens(file: &syn::File) -> TokenStream {
    let mut tokens = TokenStream::new();
    for item in &file.items {
        if !is_cfg_mod(item) {
            item.to_tokens(&mut tokens);
        }
    }
    tokens
}

fn is_cfg_mod(item: &Item) -> bool {
    matches!(item, Item::Mod(m) if m.attrs.iter().any(|a| a.path().is_ident("cfg")))
}

fn collect_use_paths(items: &[Item], out: &mut Vec<Vec<String>>) {
    fn walk(prefix: &[String], tree: &UseTree, out: &mut Vec<Vec<String>>) {
        match tree {
            UseTree::Path(p) => {
                let mut next = prefix.to_vec();
                next.push(p.ident.to_string());
                walk(&next, &p.tree, out);
            }
            UseTree::Name(n) => out.push([prefix, &[n.ident.to_string()]].concat()),
            UseTree::Rename(r) => out.push([prefix, &[r.ident.to_string()]].concat()),
            UseTree::Glob(_) => out.push(prefix.to_vec()),
            UseTree::Group(g) => g.items.iter().for_each(|t| walk(prefix, t, out)),
        }
    }
    for item in items {
        match item {
            Item::Use(u) => walk(&[], &u.tree, out),
            Item::Mod(m) if !is_cfg_mod(item) => {
                if let Some((_, items)) = &m.content {
                    collect_use_paths(items, out);
                }
            }
            _ => {}
        }
    }
}

/// Paths written in code: `crate :: a :: b` token runs.
fn collect_token_paths(tokens: &TokenStream, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(g) => collect_token_paths(&g.stream(), out),
            TokenTree::Ident(id) if id == "crate" || id == "super" => {
                let mut path = vec![id.to_string()];
                let mut j = i + 1;
                loop {
                    let colons = matches!(
                        (tokens.get(j), tokens.get(j + 1)),
                        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                            if a.as_char() == ':' && b.as_char() == ':'
                    );
                    match (colons, tokens.get(j + 2)) {
                        (true, Some(TokenTree::Ident(next))) => {
                            path.push(next.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                out.push(path);
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

#[test]
fn layers_import_one_way() {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (module, file) in &files {
        let targets = imports(module, file, &modules);
        for target in &targets {
            if layer(target) > layer(module) {
                upward.push(format!(
                    "{module} (layer {}) imports {target} (layer {})",
                    layer(module),
                    layer(target)
                ));
            }
        }
        graph.insert(module.clone(), targets);
    }
    assert!(
        upward.is_empty(),
        "imports against the layers:\n{}",
        upward.join("\n")
    );
    assert!(
        graph["wire::protocol::json2"].contains("wire::transport"),
        "the graph sees imports: {graph:#?}"
    );

    // No import circle spans more than one module directory.
    for cycle in cycles(&graph) {
        let dirs: BTreeSet<&str> = cycle
            .iter()
            .map(|m| m.rsplit_once("::").map_or("", |(dir, _)| dir))
            .collect();
        assert_eq!(
            dirs.len(),
            1,
            "an import circle across directories: {cycle:?}"
        );
    }
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

// ---------------------------------------------------------------------------------------
// The blocking API

/// The name of the type an `impl` block is for: `Repository` for `impl<M> Repository<M>`,
/// and the builder for `impl Pending<SearchRead<M, F>>` (what the blocking builder wraps).
fn impl_type(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident == "Pending" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return impl_type(inner);
            }
        }
    }
    Some(last.ident.to_string())
}

/// The `fn` names in a token stream (a macro's body or invocation).
fn fn_names(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let mut after_fn = false;
    for token in tokens {
        match token {
            TokenTree::Ident(id) if after_fn => {
                out.insert(id.to_string());
                after_fn = false;
            }
            TokenTree::Ident(id) => after_fn = id == "fn",
            TokenTree::Group(g) => {
                after_fn = false;
                fn_names(g.stream(), out);
            }
            _ => after_fn = false,
        }
    }
}

/// Type name -> the public methods of its inherent `impl` blocks in these files, with the
/// methods that macros write (a `macro_rules!` of the same files expanded by name).
fn public_methods(files: &[&syn::File]) -> BTreeMap<String, BTreeSet<String>> {
    let mut macros: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        for item in &file.items {
            if let Item::Macro(m) = item {
                if let Some(name) = &m.ident {
                    fn_names(
                        m.mac.tokens.clone(),
                        macros.entry(name.to_string()).or_default(),
                    );
                }
            }
        }
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        for item in &file.items {
            let Item::Impl(block) = item else { continue };
            if block.trait_.is_some() {
                continue;
            }
            let Some(mut ty) = impl_type(&block.self_ty) else {
                continue;
            };
            // `impl<B> Pending<B>`: methods of every builder, filed under "*".
            let generic = block
                .generics
                .params
                .iter()
                .any(|p| matches!(p, syn::GenericParam::Type(t) if t.ident == ty.as_str()));
            if generic {
                ty = "*".to_owned();
            }
            let methods = out.entry(ty).or_default();
            for item in &block.items {
                match item {
                    ImplItem::Fn(f) if matches!(f.vis, Visibility::Public(_)) => {
                        methods.insert(f.sig.ident.to_string());
                    }
                    ImplItem::Macro(m) => {
                        let name = m
                            .mac
                            .path
                            .segments
                            .last()
                            .expect("a macro name")
                            .ident
                            .to_string();
                        // A list macro (`wait! { fn a(..) -> T; }`) names the methods in its
                        // invocation; a block macro (`paging!("ids")`) in its definition.
                        let mut listed = BTreeSet::new();
                        fn_names(m.mac.tokens.clone(), &mut listed);
                        match (listed.is_empty(), macros.get(&name)) {
                            (false, _) => methods.extend(listed),
                            (true, Some(defined)) => methods.extend(defined.iter().cloned()),
                            (true, None) => {
                                panic!("macro {name}! in an impl block is not defined here")
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

#[test]
fn the_blocking_api_offers_what_the_async_one_does() {
    let files = sources();
    let (blocking, other): (Vec<_>, Vec<_>) = files
        .iter()
        .partition(|(module, _)| module.starts_with("blocking"));
    let sync = public_methods(&blocking.iter().map(|(_, f)| f).collect::<Vec<_>>());
    let async_ = public_methods(&other.iter().map(|(_, f)| f).collect::<Vec<_>>());
    // What the blocking side adds: its handles' constructors and way back to async, and
    // `send` where async awaits.
    let blocking_only = ["as_async", "send"];
    let mut differences = Vec::new();
    for ty in [
        "Client",
        "ClientBuilder",
        "Session",
        "Repository",
        "Search",
        "SearchRead",
        "Read",
        "NameSearch",
        "Aggregate",
        "AggregateRecords",
        "Import",
        "Export",
        "Changes",
        "ChangeWindow",
        "Method",
    ] {
        let a = async_
            .get(ty)
            .unwrap_or_else(|| panic!("no async {ty}: {:?}", async_.keys()));
        let mut b = sync
            .get(ty)
            .unwrap_or_else(|| panic!("no blocking {ty}: {:?}", sync.keys()))
            .clone();
        b.extend(sync.get("*").into_iter().flatten().cloned());
        let b = &b;
        for missing in a.difference(b).filter(|m| *m != "new") {
            differences.push(format!("blocking {ty} lacks {missing}"));
        }
        for extra in b
            .difference(a)
            .filter(|m| !blocking_only.contains(&m.as_str()) && *m != "new")
        {
            differences.push(format!("blocking {ty} has {extra}, which async {ty} lacks"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert!(
        sync["Repository"].contains("by_xmlid"),
        "the macro's methods are read: {sync:?}"
    );
    assert!(
        sync["Search"].contains("limit"),
        "a block macro's methods are read: {sync:?}"
    );
}
