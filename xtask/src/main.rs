//! `cargo xtask`: the developer-facing commands of openspp-rs.
//!
//! Each subcommand lives in its own module; this file only parses the command line and
//! dispatches.

mod codegen;
mod diff;
mod dump;
mod regen;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "openspp-rs developer commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask a live server for its models and write one JSON schema per model.
    Dump(dump::Args),
    /// What changes between two schemas directories or servers, and what it does to the
    /// bindings; `--check` fails on a change that is not harmless.
    Diff(diff::Args),
    /// Regenerate crates/openspp-models from schemas/.
    Codegen(codegen::Args),
    /// Dump then codegen; with no --url, against the embedded dev server.
    Regen(regen::Args),
    /// Run the embedded dev server.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Dump(args) => dump::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Codegen(args) => codegen::run(args),
        Command::Regen(args) => regen::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
