//! `eazybackup monitor`: finds running jobs that stopped moving and ends them the way an operator
//! would (replaces `monitor_stalled_jobs.php`; same flags and `EB_MON_*` keys).
//!
//! Real Comet sends no event when an administrator cancels a job in its web UI, and a device that
//! dies mid-job never reports its end, so such jobs would stay in `eb_jobs_live` for ever. One
//! sweep of a profile: [`candidates`] (rows quiet for `stale-secs`) → one bulk read of Comet's
//! view of them ([`comet_calls`]) → a [`decision`] per job (finished, moving, stalled) → the
//! actions (cancel, wait for the device, abandon) → finalising through the worker's own write
//! path (`ingest::batch::write_jobs`: recent table, history, out of live, `job:end`) →
//! [`summary`]. [`sweep`] drives it. The same sweep runs from the command line (a systemd
//! timer) and, with `EB_WORKER_MONITOR=1`, inside the worker every 5 minutes ([`schedule`]);
//! either way it holds the profile's `monitor` lock, so two never overlap.

pub mod candidates;
pub mod comet_calls;
pub mod decision;
pub mod schedule;
pub mod summary;
pub mod sweep;

use std::sync::Arc;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use comet::AdminClient;

use crate::config::{Config, MonitorDefaults};
use crate::db::Db;
use crate::ingest::Ingest;

pub use summary::Summary;
pub use sweep::{MonitorError, sweep_locked, sweep_profile};

/// The seed's flags; each overrides its `EB_MON_*` key. `--dry-run` and `--verbose` take an
/// optional value (`--verbose=1` as the old script was run, `--dry-run`, `--dry-run=0`).
#[derive(clap::Args, Debug, Default)]
pub struct MonitorArgs {
    /// One profile; without it every configured profile, one after the other.
    #[arg(long)]
    pub profile: Option<String>,
    /// Seconds without new bytes or heartbeat before a job is a candidate (EB_MON_STALE_SECS, 3600).
    #[arg(long)]
    pub stale_secs: Option<u64>,
    /// Seconds before the same job is looked at again (EB_MON_RECHECK_SECS, 300).
    #[arg(long)]
    pub recheck_secs: Option<u64>,
    /// Cancel/abandon attempts per job before it is left alone (EB_MON_MAX_ATTEMPTS, 3).
    #[arg(long)]
    pub max_attempts: Option<u32>,
    /// Most jobs looked at per profile and run (EB_MON_BATCH_LIMIT, 200).
    #[arg(long)]
    pub limit: Option<u32>,
    /// Print what would be done: no Comet writes, no database writes (EB_MON_DRY_RUN).
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = BoolishValueParser::new())]
    pub dry_run: Option<bool>,
    /// One line per job and action on standard error (EB_MON_VERBOSE).
    #[arg(long, num_args = 0..=1, default_missing_value = "1", value_parser = BoolishValueParser::new())]
    pub verbose: Option<bool>,
}

/// Attempts are counted in `eb_jobs_live.cancel_attempts`, a TINYINT on historical tables.
const MAX_ATTEMPTS_CEILING: u32 = 100;

/// How long a sweep waits for devices to confirm the cancels it requested before abandoning
/// (Comet itself waits up to 10 s for a confirmation from clients of 21.9.5 and later).
pub const CONFIRM_WAIT: Duration = Duration::from_secs(20);
/// How often Comet is read while waiting for confirmations (one bulk call each time).
pub const CONFIRM_POLL: Duration = Duration::from_secs(1);

/// What one sweep works with (the `EB_MON_*` defaults with the flags on top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub stale_secs: i64,
    pub recheck_secs: i64,
    pub max_attempts: u32,
    pub limit: u32,
    pub dry_run: bool,
    pub verbose: bool,
    pub confirm_wait: Duration,
    pub confirm_poll: Duration,
}

impl Settings {
    pub fn from_defaults(d: &MonitorDefaults) -> Settings {
        Settings {
            stale_secs: clamp_secs(d.stale_secs),
            recheck_secs: clamp_secs(d.recheck_secs),
            max_attempts: d.max_attempts.min(MAX_ATTEMPTS_CEILING),
            limit: d.batch_limit,
            dry_run: d.dry_run,
            verbose: d.verbose,
            confirm_wait: CONFIRM_WAIT,
            confirm_poll: CONFIRM_POLL,
        }
    }

    /// The flags that were given, over `self`.
    pub fn with_args(mut self, args: &MonitorArgs) -> Settings {
        if let Some(v) = args.stale_secs {
            self.stale_secs = clamp_secs(v);
        }
        if let Some(v) = args.recheck_secs {
            self.recheck_secs = clamp_secs(v);
        }
        if let Some(v) = args.max_attempts {
            self.max_attempts = v.min(MAX_ATTEMPTS_CEILING);
        }
        if let Some(v) = args.limit {
            self.limit = v;
        }
        if let Some(v) = args.dry_run {
            self.dry_run = v;
        }
        if let Some(v) = args.verbose {
            self.verbose = v;
        }
        self
    }
}

fn clamp_secs(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX / 2)
}

/// The command: each profile in turn, one summary line each on standard output. Fails (exit 1)
/// when anything failed in any profile, a profile whose lock another run holds included; the
/// other profiles are still swept.
pub async fn run_cli(config: &Config, args: MonitorArgs) -> anyhow::Result<()> {
    let settings = Settings::from_defaults(&config.monitor).with_args(&args);
    let profiles: Vec<String> = match &args.profile {
        Some(p) => vec![p.clone()],
        None => config.profiles.keys().cloned().collect(),
    };
    if profiles.is_empty() {
        anyhow::bail!("no Comet profile is configured (COMET_<profile>_* in .env)");
    }
    let mut failed = Vec::new();
    for profile in &profiles {
        match run_profile(config, profile, &settings).await {
            Ok(summary) => {
                println!("{}", summary.line());
                if !summary.ok() {
                    failed.push(profile.clone());
                }
            }
            // With one profile the error is the whole answer: the caller prints it once.
            Err(e) if profiles.len() == 1 => return Err(e),
            Err(e) => {
                eprintln!("eazybackup monitor {profile}: {e:#}");
                failed.push(profile.clone());
            }
        }
    }
    if failed.is_empty() { Ok(()) } else { anyhow::bail!("monitor: failures in profile(s) {}", failed.join(", ")) }
}

/// One profile from the command line: the lock first (a second run exits before any other work),
/// then the database and the Comet credentials.
async fn run_profile(config: &Config, profile: &str, settings: &Settings) -> anyhow::Result<Summary> {
    let _lock = crate::instance_lock::acquire(&config.lock_dir, "monitor", profile)?;
    let db = Db::connect(&config.db).await?;
    let access = crate::servers::resolve(config, &db, profile).await?;
    let admin = AdminClient::new(&access.origin, access.admin.clone())?;
    let mut ingest = Ingest::new(&access.profile, db.clone(), Arc::new(admin));
    // A dry run writes nothing, its run record included.
    let run = if settings.dry_run { None } else { Some(crate::runs::start(&db, "monitor", profile).await) };
    let outcome = sweep_profile(&mut ingest, settings).await.map_err(anyhow::Error::from);
    if let Some(run) = run {
        let summary = outcome.as_ref().map(|s| s.line()).unwrap_or_default();
        let failed = outcome.as_ref().is_ok_and(|s| !s.ok());
        match failed {
            true => run.finish(false, &summary).await,
            false => run.finish_with(&outcome, &summary).await,
        }
    }
    outcome
}
