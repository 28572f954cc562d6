//! `cargo xtask regen` (being built).

/// Command-line arguments of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask regen`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`cargo xtask regen` is not built yet")
}
