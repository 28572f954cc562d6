//! `cargo xtask serve` (being built).

/// Command-line arguments of `cargo xtask serve`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask serve`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`cargo xtask serve` is not built yet")
}
