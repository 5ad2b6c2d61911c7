//! `eazybackup migrate` (placeholder: being completed by the schema work).

use crate::config::Config;

#[derive(clap::Args, Debug)]
pub struct MigrateArgs {}

pub async fn run_cli(_config: &Config, _args: MigrateArgs) -> anyhow::Result<()> {
    anyhow::bail!("migrate is not implemented yet")
}
