//! Generates typed Rust bindings from Odoo model schemas.
//!
//! The pipeline is schema → resolved model ([`resolve`]: names, Rust types, capabilities,
//! feature gates, decided once) → tokens ([`render`], syn/quote) → formatted source
//! (prettyplease). It is pure: a [`SchemaSet`](openspp_schema::SchemaSet) in, a map of file
//! paths to contents out, byte-identical for the same input. Use it from `cargo xtask codegen`
//! or from a build script for your own server's schemas:
//!
//! ```no_run
//! use openspp_codegen::{GenerationSettings, Generator};
//! let schemas = openspp_schema::SchemaSet::load("schemas")?;
//! let files = Generator::new(GenerationSettings::default()).generate(&schemas)?;
//! for (path, contents) in &files {
//!     let path = std::path::Path::new("my-models").join(path);
//!     std::fs::create_dir_all(path.parent().unwrap())?;
//!     std::fs::write(path, contents)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What a generated model looks like is documented in `openspp_client` (the shape is its
//! contract): a unit struct with a `Model` impl, one `Field` constant per field carrying its
//! value type and whether the server searches, sorts and stores it, an enum per selection
//! that keeps unknown keys (generated once in `selections` when several fields have the same
//! selection, and re-exported by each model), and a `create` function taking every field the
//! server would refuse a create without ([`openspp_schema::required`]).
#![warn(missing_docs)]

pub mod access;
pub mod docs;
pub mod methods;
pub mod naming;
pub mod render;
pub mod resolve;
pub mod types;

mod client_dep;
mod manifest;

pub use client_dep::{AbsolutePath, ClientDependency};

use openspp_schema::SchemaSet;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Errors of [`Generator::generate`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The generated tokens for a file did not parse as Rust (a generator bug).
    #[error("generated code for {path} does not parse: {source}")]
    Tokens {
        /// The file being generated.
        path: PathBuf,
        /// What syn said.
        source: syn::Error,
    },
    /// A default feature names an addon the schema set does not have.
    #[error("default feature `{0}` is not an addon of the schema set")]
    UnknownDefaultFeature(String),
}

/// How the generated crate is named and described.
#[derive(Debug, Clone)]
pub struct GenerationSettings {
    /// Everything of the generated `Cargo.toml` but `[features]` (`[package]`,
    /// `[dependencies]`, `[lints]`, ...), written before the generated `[features]`. The
    /// dependencies must provide `openspp_client` and `chrono`.
    pub manifest_head: String,
    /// The addons the `default` feature enables (their dependencies are added).
    pub default_features: DefaultFeatures,
    /// Where the crate documentation (`src/lib.rs`) comes from.
    pub crate_docs: CrateDocs,
    /// Whether each model gets typed calls for the methods every model inherits: those the
    /// ORM defines (`copy`, `name_create`...: `defined_in` `core`) and those addons add to all
    /// models at once (`web_read`, `action_archive`...: `defined_in` `base`). On Odoo 19
    /// `/doc-bearer` lists them for every model (21 000 of OpenSPP 2's 23 000 methods); without
    /// them, `MethodHost::method` still calls them by name.
    pub every_model_methods: bool,
}

/// What the generated crate's `default` feature enables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultFeatures {
    /// Every addon of the schema set: every model and field the server has compiles out of
    /// the box; turning features off only saves compile time.
    EveryAddon,
    /// These addons (and those they depend on).
    Addons(Vec<String>),
}

impl DefaultFeatures {
    /// The addon names, for `set`.
    fn addons(&self, set: &SchemaSet) -> Vec<String> {
        match self {
            DefaultFeatures::EveryAddon => set.manifest.addons.keys().cloned().collect(),
            DefaultFeatures::Addons(addons) => addons.clone(),
        }
    }
}

/// The documentation of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateDocs {
    /// A summary written by the generator (the number of models, how to regenerate).
    Generated,
    /// `#![doc = include_str!("../README.md")]`: a hand-written `README.md` beside the
    /// generated `Cargo.toml`. The generator does not write it; the crate does not build
    /// without it.
    Readme,
}

impl GenerationSettings {
    /// A crate of its own named `name` (no workspace assumed), depending on `chrono` 0.4 (only
    /// its `std` feature: the dates are naive) and on `openspp-client` from `client` (never an
    /// absolute path: see [`ClientDependency`]). Its docs are generated and its default
    /// feature enables every addon of the schema set.
    ///
    /// ```
    /// use openspp_codegen::{ClientDependency, GenerationSettings};
    /// let client = ClientDependency::Version("0.1.0".into());
    /// let settings = GenerationSettings::standalone("my-models", &client)?;
    /// assert!(settings.manifest_head.contains("openspp-client = \"0.1.0\""));
    /// # Ok::<(), openspp_codegen::AbsolutePath>(())
    /// ```
    pub fn standalone(name: &str, client: &ClientDependency) -> Result<Self, AbsolutePath> {
        let openspp_client = client.to_toml()?;
        Ok(Self {
            manifest_head: format!(
                "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\nchrono = {{ version = \"0.4\", default-features = false, features = [\"std\"] }}\n\
                 openspp-client = {openspp_client}\n"
            ),
            default_features: DefaultFeatures::EveryAddon,
            crate_docs: CrateDocs::Generated,
            every_model_methods: true,
        })
    }
}

impl Default for GenerationSettings {
    /// [`GenerationSettings::standalone`]: a crate named `odoo-models` depending on the
    /// `openspp-client` of this `openspp-codegen`'s version from crates.io.
    fn default() -> Self {
        let client = ClientDependency::Version(env!("CARGO_PKG_VERSION").to_owned());
        Self::standalone("odoo-models", &client).expect("a version is not a path")
    }
}

/// Generates a crate from a schema set.
#[derive(Debug, Clone)]
pub struct Generator {
    settings: GenerationSettings,
}

impl Generator {
    /// A generator with these settings.
    pub fn new(settings: GenerationSettings) -> Self {
        Self { settings }
    }

    /// Every generated file (`Cargo.toml`, `src/lib.rs`, `src/selections.rs`,
    /// `src/models/<model>.rs`), by path
    /// relative to the crate root, in a stable order.
    pub fn generate(&self, set: &SchemaSet) -> Result<BTreeMap<PathBuf, String>, Error> {
        let own_methods;
        let set = if self.settings.every_model_methods {
            set
        } else {
            own_methods = methods::without_every_model_methods(set);
            &own_methods
        };
        let krate = resolve::resolve(set, &self.settings.default_features.addons(set));
        if let Some(unknown) = krate
            .default_features
            .iter()
            .find(|f| !krate.features.contains_key(*f))
        {
            return Err(Error::UnknownDefaultFeature(unknown.clone()));
        }
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("Cargo.toml"),
            manifest::cargo_toml(&krate, &self.settings.manifest_head),
        );
        files.insert(
            PathBuf::from("src/lib.rs"),
            manifest::lib_rs(&krate, &self.settings.crate_docs),
        );
        let selections = PathBuf::from("src/selections.rs");
        match render::format_file(render::selections_file(&krate)) {
            Ok(source) => files.insert(selections, source),
            Err(source) => {
                return Err(Error::Tokens {
                    path: selections,
                    source,
                });
            }
        };
        // Models are rendered on every core; the map keeps the output order fixed.
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = krate.models.len().div_ceil(threads).max(1);
        let rendered: Vec<Result<(PathBuf, String), Error>> = std::thread::scope(|scope| {
            let workers: Vec<_> = krate
                .models
                .chunks(chunk)
                .map(|models| {
                    scope.spawn(|| {
                        models
                            .iter()
                            .map(|m| render_model(&krate, m))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("rendering does not panic"))
                .collect()
        });
        for file in rendered {
            let (path, source) = file?;
            files.insert(path, source);
        }
        Ok(files)
    }

    /// The source of one model's module (`src/models/<module>.rs`), or `None` when the set
    /// has no such model. Names are resolved against the whole set, as in [`Self::generate`].
    pub fn generate_model(&self, set: &SchemaSet, model: &str) -> Result<Option<String>, Error> {
        let own_methods;
        let set = if self.settings.every_model_methods {
            set
        } else {
            own_methods = methods::without_every_model_methods(set);
            &own_methods
        };
        let krate = resolve::resolve(set, &self.settings.default_features.addons(set));
        let Some(resolved) = krate.models.iter().find(|m| m.name == model) else {
            return Ok(None);
        };
        render_model(&krate, resolved).map(|(_, source)| Some(source))
    }
}

/// One model's file: its path in the crate and its formatted source.
fn render_model(
    krate: &resolve::ResolvedCrate,
    model: &resolve::ResolvedModel,
) -> Result<(PathBuf, String), Error> {
    let path = PathBuf::from(format!(
        "src/models/{}.rs",
        model.module.trim_start_matches("r#")
    ));
    match render::format_file(render::model_file(krate, model)) {
        Ok(source) => Ok((path, source + &render::field_macro(model))),
        Err(source) => Err(Error::Tokens { path, source }),
    }
}
