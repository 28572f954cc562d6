//! `cargo xtask codegen [--check]`: regenerates `crates/openspp-models` from `schemas/`.
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
    /// The crate to write (default: `crates/openspp-models` in the workspace).
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
description = "Generated typed bindings for a standard OpenSPP deployment"
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

/// The settings `cargo xtask codegen` generates `openspp-models` with.
pub fn settings() -> GenerationSettings {
    GenerationSettings {
        manifest_head: MANIFEST_HEAD.to_owned(),
        default_features: DefaultFeatures::Addons(
            DEFAULT_FEATURES.iter().map(|f| (*f).to_owned()).collect(),
        ),
        crate_docs: CrateDocs::Readme,
    }
}

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

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_owned()
}

/// Runs `cargo xtask codegen`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let root = workspace_root();
    let standalone = args.schemas.is_some();
    let schemas = args.schemas.unwrap_or_else(|| root.join("schemas"));
    let out = args
        .out
        .unwrap_or_else(|| root.join("crates/openspp-models"));
    let set = openspp_schema::SchemaSet::load(&schemas)
        .with_context(|| format!("loading schemas from {}", schemas.display()))?;
    let settings = if standalone {
        standalone_settings(&out, args.client_dep)?
    } else {
        settings()
    };
    let files = Generator::new(settings).generate(&set)?;
    let stale = stale_files(&out, &files)?;
    if args.check {
        if stale.is_empty() {
            println!("{} is up to date ({} files)", out.display(), files.len());
            return Ok(());
        }
        for (path, why) in &stale {
            eprintln!("stale: {} ({why})", out.join(path).display());
        }
        bail!(
            "{} generated file(s) are stale: run `cargo xtask codegen`",
            stale.len()
        );
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
    Ok(())
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
