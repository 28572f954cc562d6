//! `cargo xtask codegen [--check]`: regenerates the checked-in crates from their schema sets:
//! `crates/openspp-models` from `schemas/` (OpenSPP 17) and `crates/openspp2-models` from
//! `schemas-openspp2/` (OpenSPP 2, on Odoo 19).
//!
//! Generated files are `Cargo.toml` and everything under `src/`; the crate's `README.md` is
//! written by hand and left alone. Without `--check`, changed files are rewritten and stale
//! ones (a model that is gone) deleted. With `--check`, nothing is written: the command lists
//! every file that differs and fails if there is one.
//!
//! `--schemas X --out Y` generates your own crate instead: one that builds on its own, named
//! after `Y`'s directory, with `base` as its default feature (when the schemas have it),
//! depending on `openspp-client` as `--client-dep` says: this checkout's version from crates.io
//! (the default), this repository by git, or this checkout by a path relative to `Y`. Never
//! by an absolute path: the crate is meant to be committed and built elsewhere.

use anyhow::{Context, bail};
use openspp_codegen::{
    ClientDependency, CrateDocs, DefaultFeatures, GenerationSettings, Generator,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Command-line arguments of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Regenerate in memory and fail, naming them, if any generated file is stale.
    #[arg(long)]
    check: bool,
    /// A schemas directory of your own: generates a standalone crate into `--out`.
    #[arg(long, requires = "out")]
    schemas: Option<PathBuf>,
    /// The crate to write (default: both checked-in crates; alone, `openspp-models` from
    /// `schemas/` into this directory).
    #[arg(long)]
    out: Option<PathBuf>,
    /// How the generated crate depends on `openspp-client` (with `--schemas`): `version` (this
    /// checkout's, from crates.io), `git` (this repository) or `path` (this checkout, relative
    /// to `--out`).
    #[arg(long, value_enum, default_value_t, requires = "schemas")]
    client_dep: ClientDep,
}

/// `--client-dep`: where a generated crate takes `openspp-client` from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientDep {
    /// `openspp-client = "<this version>"` from crates.io.
    #[default]
    Version,
    /// `{ git = "<this repository>", version = "<this version>" }`.
    Git,
    /// `{ version = "<this version>", path = "<relative path to this checkout>" }`.
    Path,
}

/// Everything of `openspp-models`' `Cargo.toml` but the generated `[features]`.
const MANIFEST_HEAD: &str = r#"[package]
name = "openspp-models"
description = "Generated typed bindings for a standard OpenSPP 17 deployment"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
readme = "README.md"
keywords = ["openspp", "odoo", "social-protection", "bindings", "orm"]
categories = ["api-bindings"]

[dependencies]
chrono.workspace = true
openspp-client.workspace = true

[dev-dependencies]
futures-util.workspace = true
# By path only: cargo leaves such a dev-dependency out of the published crate, which breaks
# the cycle with openspp-devserver (whose tests use these bindings).
openspp-devserver = { path = "../devserver" }
openspp-schema.workspace = true
test-captures.workspace = true
tokio.workspace = true
trybuild.workspace = true

[lints]
workspace = true
"#;

/// Everything of `openspp2-models`' `Cargo.toml` but the generated `[features]`. No tests of
/// its own (the README's OpenSPP 2 example runs in `openspp-devserver`'s `tests/readme.rs`), and
/// no doc tests: its README's example is that one, and a doc-test pass over the crate would cost
/// CI a minute for nothing. Its examples run against a real OpenSPP 2 server.
const OPENSPP2_MANIFEST_HEAD: &str = r#"[package]
name = "openspp2-models"
description = "Generated typed bindings for a standard OpenSPP 2 deployment (Odoo 19)"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
readme = "README.md"
keywords = ["openspp", "odoo", "social-protection", "bindings", "orm"]
categories = ["api-bindings"]

[lib]
doctest = false

[dependencies]
chrono.workspace = true
openspp-client.workspace = true

[dev-dependencies]
openspp-codegen.workspace = true
openspp-schema.workspace = true
serde_json.workspace = true
tokio.workspace = true

# Run against a real server (see their docs); every model's fields need every addon.
[[example]]
name = "typed_reads"
required-features = ["spp_programs", "spp_area", "account", "stock"]

[[example]]
name = "registrant_roundtrip"

[lints]
workspace = true
"#;

/// The addons an OpenSPP integrator typically works with: the registry (individuals, groups,
/// memberships), programs with their cycles and entitlements, and areas. Their dependencies
/// (`base`, ...) come with them.
pub const DEFAULT_FEATURES: &[&str] = &[
    "g2p_registry_base",
    "g2p_registry_individual",
    "g2p_registry_group",
    "g2p_registry_membership",
    "g2p_programs",
    "spp_base",
    "spp_programs",
    "spp_area",
];

/// OpenSPP 2's registry: individuals, groups, memberships, IDs and phone numbers are all in
/// `spp_registry` (its dependencies, `base`, `mail`, `spp_vocabulary`..., come with it).
pub const OPENSPP2_DEFAULT_FEATURES: &[&str] = &["spp_registry"];

/// The settings `cargo xtask codegen` generates `openspp-models` with.
pub fn settings() -> GenerationSettings {
    checked_in_settings(MANIFEST_HEAD, DEFAULT_FEATURES)
}

/// The settings `cargo xtask codegen` generates `openspp2-models` with: without the methods
/// every model inherits, which `/doc-bearer` lists for each model (21 000 of its 23 000
/// methods; they would make the crate four times larger).
pub fn openspp2_settings() -> GenerationSettings {
    GenerationSettings {
        every_model_methods: false,
        ..checked_in_settings(OPENSPP2_MANIFEST_HEAD, OPENSPP2_DEFAULT_FEATURES)
    }
}

fn checked_in_settings(head: &str, default_features: &[&str]) -> GenerationSettings {
    GenerationSettings {
        manifest_head: head.to_owned(),
        default_features: DefaultFeatures::Addons(
            default_features.iter().map(|f| (*f).to_owned()).collect(),
        ),
        crate_docs: CrateDocs::Readme,
        every_model_methods: true,
    }
}

/// A checked-in crate and the schema set it is generated from, relative to the workspace.
pub struct CheckedIn {
    /// The schemas directory (`cargo xtask regen` dumps the dev server serving it back into it).
    pub schemas: &'static str,
    /// The generated crate's directory.
    pub crate_dir: &'static str,
    /// The Odoo release the dev server presents as when serving `schemas`.
    pub odoo_version: openspp_devserver::OdooVersion,
    /// How the crate is generated.
    pub settings: fn() -> GenerationSettings,
}

/// The checked-in crates: OpenSPP 17 (`schemas/`) and OpenSPP 2 (`schemas-openspp2/`).
pub const CHECKED_IN: &[CheckedIn] = &[
    CheckedIn {
        schemas: "schemas",
        crate_dir: "crates/openspp-models",
        odoo_version: openspp_devserver::OdooVersion::V17,
        settings,
    },
    CheckedIn {
        schemas: "schemas-openspp2",
        crate_dir: "crates/openspp2-models",
        odoo_version: openspp_devserver::OdooVersion::V19,
        settings: openspp2_settings,
    },
];

/// The settings for a crate of one's own at `out`: named after the directory, every addon
/// on by default, `openspp-client` as `client` says. The workspace shares one version, so this xtask's version
/// is `openspp-client`'s.
fn standalone_settings(out: &Path, client: ClientDep) -> anyhow::Result<GenerationSettings> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| {
            n.starts_with(|c: char| c.is_ascii_alphabetic())
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .with_context(|| {
            format!(
                "the crate is named after --out's directory, and `{}` is not a crate name (a letter, then letters, digits, - and _)",
                out.display()
            )
        })?;
    let version = env!("CARGO_PKG_VERSION").to_owned();
    let client = match client {
        ClientDep::Version => ClientDependency::Version(version),
        ClientDep::Git => ClientDependency::Git {
            url: env!("CARGO_PKG_REPOSITORY").to_owned(),
            version,
        },
        ClientDep::Path => ClientDependency::Path {
            path: relative_path(out, &workspace_root().join("crates/client"))?,
            version,
        },
    };
    Ok(GenerationSettings::standalone(name, &client)?)
}

/// `to` relative to the directory `from` (created if missing), `/`-separated: both are
/// resolved first, so `..` and symlinks do not mislead.
fn relative_path(from: &Path, to: &Path) -> anyhow::Result<String> {
    fs::create_dir_all(from).with_context(|| format!("creating {}", from.display()))?;
    let resolve =
        |p: &Path| fs::canonicalize(p).with_context(|| format!("resolving {}", p.display()));
    let (from, to) = (resolve(from)?, resolve(to)?);
    let (from, to): (Vec<Component<'_>>, Vec<Component<'_>>) =
        (from.components().collect(), to.components().collect());
    if from.first() != to.first() {
        bail!(
            "{} and {} share no root (another drive?): --client-dep path needs a relative path",
            Path::new(&from.iter().collect::<PathBuf>()).display(),
            Path::new(&to.iter().collect::<PathBuf>()).display()
        );
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    for part in &to[common..] {
        let text = part.as_os_str().to_str().with_context(|| {
            format!(
                "the checkout's path is not UTF-8: {}",
                part.as_os_str().to_string_lossy()
            )
        })?;
        parts.push(text.to_owned());
    }
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// Runs `cargo xtask codegen`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let root = workspace_root();
    let jobs = match (args.schemas, args.out) {
        (Some(schemas), Some(out)) => {
            let settings = standalone_settings(&out, args.client_dep)?;
            vec![(schemas, out, settings)]
        }
        (None, Some(out)) => vec![(root.join("schemas"), out, settings())],
        (_, None) => CHECKED_IN
            .iter()
            .map(|c| (root.join(c.schemas), root.join(c.crate_dir), (c.settings)()))
            .collect(),
    };
    let mut stale_crates = 0;
    for (schemas, out, settings) in jobs {
        if !generate(&schemas, &out, settings, args.check)? {
            stale_crates += 1;
        }
    }
    if stale_crates > 0 {
        bail!("{stale_crates} crate(s) have stale generated files: run `cargo xtask codegen`");
    }
    Ok(())
}

/// Generates the crate at `out` from `schemas`, or with `check` compares it only; whether it
/// was (or now is) up to date.
fn generate(
    schemas: &Path,
    out: &Path,
    settings: GenerationSettings,
    check: bool,
) -> anyhow::Result<bool> {
    let set = openspp_schema::SchemaSet::load(schemas)
        .with_context(|| format!("loading schemas from {}", schemas.display()))?;
    let files = Generator::new(settings).generate(&set)?;
    let stale = stale_files(out, &files)?;
    if check {
        if stale.is_empty() {
            println!("{} is up to date ({} files)", out.display(), files.len());
            return Ok(true);
        }
        for (path, why) in &stale {
            eprintln!("stale: {} ({why})", out.join(path).display());
        }
        eprintln!(
            "{} generated file(s) of {} are stale",
            stale.len(),
            out.display()
        );
        return Ok(false);
    }
    for (path, why) in &stale {
        let full = out.join(path);
        match files.get(path) {
            Some(contents) => {
                if let Some(dir) = full.parent() {
                    fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                fs::write(&full, contents)
                    .with_context(|| format!("writing {}", full.display()))?;
            }
            None => {
                fs::remove_file(&full).with_context(|| format!("removing {}", full.display()))?
            }
        }
        // A new file is counted, not listed: a first run would list every file.
        if *why != "missing" {
            println!("{why}: {}", full.display());
        }
    }
    let new = stale.iter().filter(|(_, why)| *why == "missing").count();
    println!(
        "{}: {} files, {} new, {} changed or removed",
        out.display(),
        files.len(),
        new,
        stale.len() - new
    );
    Ok(true)
}

/// Every generated path whose file is missing or different, and every file under `src/` that
/// the generator no longer produces, with the reason.
fn stale_files(
    out: &Path,
    files: &BTreeMap<PathBuf, String>,
) -> anyhow::Result<Vec<(PathBuf, &'static str)>> {
    let mut stale = Vec::new();
    for (path, contents) in files {
        match fs::read(out.join(path)) {
            Ok(bytes) if bytes == contents.as_bytes() => {}
            Ok(_) => stale.push((path.clone(), "changed")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                stale.push((path.clone(), "missing"))
            }
            Err(e) => {
                return Err(e).with_context(|| format!("reading {}", out.join(path).display()));
            }
        }
    }
    let existing = list_files(out, Path::new("src"))?;
    let generated: BTreeSet<&PathBuf> = files.keys().collect();
    stale.extend(
        existing
            .into_iter()
            .filter(|p| !generated.contains(p))
            .map(|p| (p, "no longer generated")),
    );
    Ok(stale)
}

/// Files under `root/dir`, relative to `root`, sorted.
fn list_files(root: &Path, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let full = root.join(dir);
    let entries = match fs::read_dir(&full) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e).with_context(|| format!("listing {}", full.display())),
    };
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", full.display()))?;
        let rel = dir.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            out.extend(list_files(root, &rel)?);
        } else {
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}
