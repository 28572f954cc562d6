//! `cargo xtask diff --from A --to B`: what changes between two servers' models, and what each
//! change does to a program using the generated bindings.
//!
//! `A` and `B` are each a schemas directory or a live server (`http://` or `https://`), which is
//! read exactly as `cargo xtask dump` reads it (the same `--db`, `--user`, secret and protocol
//! options, the models `--models`, `--exclude` and `--addons` keep), into memory. A directory is
//! loaded whole, so that every Rust name and type is the one the bindings generated from it
//! have; the selection then decides which models are compared. Installed addons are compared
//! unless `--models` or `--exclude` narrows the models.
//!
//! The report (Markdown, or JSON with `--json`) counts the changes, then lists them by addon
//! and model, each classified as breaking the build, changing behaviour silently or harmless,
//! with the generated items it removes or alters ([`compare`] says which is which). It is
//! sorted and byte-stable. With `--check`, the command fails when a change is not harmless:
//! the CI step "do the checked-in bindings still describe production?".

mod bindings;
mod change;
mod compare;
mod markdown;
mod rename;

use crate::dump;
use anyhow::{Context, bail};
use bindings::Bindings;
use change::{Change, Impact};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

/// Command-line arguments of `cargo xtask diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The side the program's bindings were generated from: a schemas directory, or a server URL
    /// (`http://` or `https://`).
    #[arg(long, value_name = "DIR|URL")]
    from: String,
    /// The side to compare with: a schemas directory, or a server URL.
    #[arg(long, value_name = "DIR|URL")]
    to: String,
    /// Print the report as JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Fail when a change breaks the build or changes behaviour silently.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    selection: dump::SelectionArgs,
    #[command(flatten)]
    server: dump::Server,
}

/// One side as given on the command line.
#[derive(Debug)]
enum Source {
    /// A schemas directory.
    Dir(PathBuf),
    /// A live server.
    Url(String),
}

impl Source {
    fn parse(text: &str) -> Source {
        if text.starts_with("http://") || text.starts_with("https://") {
            Source::Url(text.to_owned())
        } else {
            Source::Dir(PathBuf::from(text))
        }
    }

    /// Loads the directory, or dumps the server into memory.
    fn load(
        &self,
        server: &dump::Server,
        selection: &dump::filter::Selection,
        flag: &str,
    ) -> anyhow::Result<openspp_schema::SchemaSet> {
        match self {
            Source::Dir(dir) => openspp_schema::SchemaSet::load(dir)
                .with_context(|| format!("{flag}: cannot load the schemas in {}", dir.display())),
            Source::Url(url) => {
                eprintln!("{flag}: reading {url}");
                let dumped = server
                    .dump(url, selection)
                    .with_context(|| format!("{flag}: cannot read {url}"))?;
                Ok(dumped.set)
            }
        }
    }
}

/// The report: what was compared, the counts and every change.
#[derive(Debug, Serialize)]
pub struct Report {
    /// `--from`.
    pub from: SideSummary,
    /// `--to`.
    pub to: SideSummary,
    /// The models compared, when not every one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// The number of changes of each impact.
    pub summary: BTreeMap<Impact, usize>,
    /// Every change, sorted by addon, model, impact and field.
    pub changes: Vec<Change>,
}

/// What one side is.
#[derive(Debug, Serialize)]
pub struct SideSummary {
    /// The server's `server_version` (`unknown` when the manifest lacks it).
    pub server_version: String,
    /// How many models the side has.
    pub models: usize,
}

impl SideSummary {
    fn of(set: &openspp_schema::SchemaSet) -> Self {
        SideSummary {
            server_version: set
                .manifest
                .server
                .server_version()
                .unwrap_or("unknown")
                .to_owned(),
            models: set.models.len(),
        }
    }
}

/// Compares two schema sets.
pub fn diff(
    from: openspp_schema::SchemaSet,
    to: openspp_schema::SchemaSet,
    selection: &dump::filter::Selection,
    described: Option<String>,
) -> Report {
    let (from, to) = std::thread::scope(|scope| {
        let to = scope.spawn(|| Bindings::new(to));
        let from = Bindings::new(from);
        (from, to.join().expect("resolving does not panic"))
    });
    let changes = compare::compare(&from, &to, selection, !selection.filters_names());
    let mut summary: BTreeMap<Impact, usize> = Impact::ALL.iter().map(|i| (*i, 0)).collect();
    for change in &changes {
        *summary.entry(change.impact).or_default() += 1;
    }
    let report = Report {
        from: SideSummary::of(&from.set),
        to: SideSummary::of(&to.set),
        selection: described,
        summary,
        changes,
    };
    // Freeing two sets of JSON values one by one takes a tenth of the run: a thread the
    // process does not wait for does it.
    std::thread::spawn(move || drop((from, to)));
    report
}

/// Runs `cargo xtask diff`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let selection = args.selection.selection()?;
    let started = Instant::now();
    let (from, to) = (Source::parse(&args.from), Source::parse(&args.to));
    let from = from.load(&args.server, &selection, "--from")?;
    let to = to.load(&args.server, &selection, "--to")?;
    let installed: BTreeSet<&String> = from
        .manifest
        .addons
        .keys()
        .chain(to.manifest.addons.keys())
        .collect();
    selection.check_addons(installed)?;
    let report = diff(from, to, &selection, args.selection.describe());
    if args.json {
        let text = serde_json::to_string_pretty(&report).context("cannot write the JSON")?;
        println!("{text}");
    } else {
        print!("{}", markdown::render(&report));
    }
    eprintln!(
        "diff: {} changes in {} ms",
        report.changes.len(),
        started.elapsed().as_millis()
    );
    if args.check {
        let failing: Vec<String> = Impact::ALL
            .iter()
            .filter(|impact| impact.fails_check())
            .map(|impact| format!("{} {}", report.summary[impact], impact.label()))
            .collect();
        if report.changes.iter().any(|c| c.impact.fails_check()) {
            bail!("--check: {} (listed above)", failing.join(", "));
        }
    }
    Ok(())
}
