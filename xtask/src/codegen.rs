//! `cargo xtask codegen` (being built).

/// Command-line arguments of `cargo xtask codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `cargo xtask codegen`.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`cargo xtask codegen` is not built yet")
}
