//! Command-line entry: parse, load configuration, run one subcommand.
//!
//! Configuration and usage errors print one line and exit 2; runtime failures print the error
//! chain and exit 1. Never a panic or a backtrace for something an operator can fix.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "eazybackup",
    version,
    about = "eazyBackup Console: Comet event worker, monitor, rollups, sync and customer API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create or upgrade our tables (idempotent; safe on databases holding the historical tables).
    Migrate(crate::db::migrate::MigrateArgs),
    /// Serve the customer JSON API and the live event stream (SSE) to the WHMCS client area.
    Serve(crate::api::ServeArgs),
    /// Follow one Comet server's live event stream into the database (one per profile).
    Worker(crate::ingest::WorkerArgs),
    /// Correct the mirrored tables from bulk Admin API reads (the daily safety net behind the worker).
    Sync(crate::sync::SyncArgs),
    /// Prune the job, outbox, snooze, job-history and audit tables in bounded batches.
    Housekeep(crate::housekeep::HousekeepArgs),
    /// Find running jobs that stopped moving and cancel, abandon or finalise them (one sweep).
    Monitor(crate::monitor::MonitorArgs),
    /// Take the nightly snapshot of devices or protected items (one day, or a range to backfill).
    Rollup(crate::rollup::RollupArgs),
    /// Health per profile: worker connection, event flow, live and stalled jobs, last runs.
    Status(crate::status::StatusArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("eazybackup: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    // Printing the generated schema needs no configuration and no database.
    if let Command::Migrate(crate::db::migrate::MigrateArgs { print_sql: Some(dialect) }) = &cli.command {
        print!("{}", crate::db::migrate::render_sql_file((*dialect).into()));
        return ExitCode::SUCCESS;
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("eazybackup: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // After the configuration, so EB_WS_DEBUG/EB_DB_DEBUG work from `.env` as they always did.
    init_logging(&config);
    let result = match cli.command {
        Command::Migrate(args) => crate::db::migrate::run_cli(&config, args).await,
        Command::Serve(args) => crate::api::run_cli(&config, args).await,
        Command::Worker(args) => crate::ingest::run_cli(&config, args).await,
        Command::Sync(args) => crate::sync::run_cli(&config, args).await,
        Command::Housekeep(args) => crate::housekeep::run_cli(&config, args).await,
        Command::Monitor(args) => crate::monitor::run_cli(&config, args).await,
        Command::Rollup(args) => crate::rollup::run_cli(&config, args).await,
        Command::Status(args) => return crate::status::run_cli(&config, args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_configuration_error(&e) => {
            eprintln!("eazybackup: configuration error: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("eazybackup: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Settings an operator must fix (as opposed to a failure at run time) exit with 2, like a
/// configuration error found while loading.
pub(crate) fn is_configuration_error(e: &anyhow::Error) -> bool {
    e.downcast_ref::<crate::config::ConfigError>().is_some()
        || e.downcast_ref::<crate::rollup::UsageError>().is_some()
        || matches!(e.downcast_ref::<crate::servers::AccessError>(), Some(crate::servers::AccessError::NotConfigured { .. }))
}

/// `EB_LOG` is an env-filter (default `info`). `EB_WS_DEBUG=1` adds the frames and what was
/// decided for each (target `eazybackup::ws`), `EB_DB_DEBUG=1` the writes, statement and prune
/// counts (target `eazybackup::db`). Under systemd (`JOURNAL_STREAM` set) journald adds its own
/// timestamps, so we print none and no colour codes.
fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let mut filter = std::env::var("EB_LOG").unwrap_or_else(|_| "info".into());
    if config.ws_debug {
        filter.push_str(",eazybackup::ws=debug,comet::events=debug");
    }
    if config.db_debug {
        filter.push_str(",eazybackup::db=debug");
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        builder.with_ansi(false).without_time().init();
    } else {
        builder.init();
    }
}
