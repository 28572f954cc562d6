//! `cargo xtask dump` (being built).

/// Command-line arguments of `cargo xtask dump`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask dump`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`cargo xtask dump` is not built yet")
}
