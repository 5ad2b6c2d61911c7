//! `eazybackup sync [--profile P]`: the daily safety net behind the worker (it replaces
//! `eazybackupSyncComet.php`). Bulk Admin API reads — every account with its profile, the live
//! connections, the recent and running jobs — written by the worker's own reconcile code
//! (`ingest::account_reconcile`, `ingest::progress`, `ingest::reconcile`), so the mapping is one
//! module whether a row came from an event or from here. Accounts the server no longer lists are
//! removed with everything they owned; a failed listing removes nothing.
//!
//! What it corrected is measured per table ([`snapshot`]): rows added, updated, removed. A second
//! run corrects nothing.

pub mod snapshot;

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use comet::AdminClient;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::db::Db;
use crate::db::retention::RECENT_JOBS_KEEP_SECS;
use crate::ingest::Ingest;
use crate::ingest::account_reconcile::{self, AccountReconcileError};
use crate::ingest::progress::{self, PollError};
use crate::ingest::reconcile::{self, ReconcileError};
use snapshot::TableChanges;

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The Comet profile to sync (its `COMET_<profile>_*` settings); without it, every configured
    /// profile in turn.
    #[arg(long, env = "COMET_PROFILE")]
    pub profile: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("accounts: {0}")]
    Accounts(#[from] AccountReconcileError),
    #[error("live connections and running jobs: {0}")]
    Poll(#[from] PollError),
    #[error("recent jobs: {0}")]
    Jobs(#[from] ReconcileError),
    #[error("database: {0}")]
    Db(#[from] crate::db::DbError),
}

/// The steps of one profile's sync, in order (the progress bar's positions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Accounts,
    LiveConnections,
    RecentJobs,
    RunningJobs,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Accounts, Step::LiveConnections, Step::RecentJobs, Step::RunningJobs];

    pub fn label(self) -> &'static str {
        match self {
            Step::Accounts => "accounts and their profiles",
            Step::LiveConnections => "live connections",
            Step::RecentJobs => "recent jobs",
            Step::RunningJobs => "running jobs",
        }
    }
}

/// What one profile's sync corrected (per table, in `snapshot::MIRRORED` order) and, when a step
/// failed, why it stopped there (what the earlier steps corrected stays corrected).
#[derive(Debug)]
pub struct SyncReport {
    pub tables: Vec<(&'static str, TableChanges)>,
    pub failed: Option<SyncError>,
}

impl SyncReport {
    pub fn corrected(&self) -> usize {
        self.tables.iter().map(|(_, c)| c.total()).sum()
    }
}

/// Syncs one profile; `on_step` hears each step as it starts.
pub async fn sync_profile(ingest: &mut Ingest, mut on_step: impl FnMut(Step)) -> Result<SyncReport, SyncError> {
    let before = snapshot::take(&ingest.db, &ingest.profile).await?;
    let failed = run_steps(ingest, &mut on_step).await.err();
    let after = snapshot::take(&ingest.db, &ingest.profile).await?;
    Ok(SyncReport { tables: snapshot::diff(&before, &after), failed })
}

async fn run_steps(ingest: &mut Ingest, on_step: &mut impl FnMut(Step)) -> Result<(), SyncError> {
    on_step(Step::Accounts);
    account_reconcile::reconcile_accounts(ingest).await?;
    on_step(Step::LiveConnections);
    progress::confirm_online(ingest).await?;
    on_step(Step::RecentJobs);
    let now = chrono::Utc::now().timestamp();
    // The window `eb_jobs_recent_24h` keeps: whatever the worker missed there is still shown.
    reconcile::reconcile_jobs(ingest, now - RECENT_JOBS_KEEP_SECS, now).await?;
    on_step(Step::RunningJobs);
    // Live rows of jobs that ended without an event are finalised from their final state.
    progress::poll_once(ingest).await?;
    Ok(())
}

pub async fn run_cli(config: &Config, args: SyncArgs) -> anyhow::Result<()> {
    let profiles: Vec<String> = match args.profile {
        Some(p) => vec![p],
        None => config.profiles.keys().cloned().collect(),
    };
    if profiles.is_empty() {
        return Err(crate::config::ConfigError::Invalid {
            key: "COMET_<profile>_*".into(),
            message: "no Comet profile is configured; nothing to sync".into(),
        }
        .into());
    }
    let db = Db::connect(&config.db).await?;
    let mut failures = Vec::new();
    let mut configuration_error = None;
    for profile in &profiles {
        if let Err(e) = sync_one(config, &db, profile).await {
            println!("sync {profile}: FAILED: {e:#}");
            failures.push(profile.clone());
            // The other profiles still run; the exit status then says "fix the configuration" (2).
            if configuration_error.is_none() && crate::cli::is_configuration_error(&e) {
                configuration_error = Some(e);
            }
        }
    }
    match (configuration_error, failures.is_empty()) {
        (Some(e), _) => Err(e),
        (None, true) => Ok(()),
        (None, false) => anyhow::bail!("sync failed for {}", failures.join(", ")),
    }
}

async fn sync_one(config: &Config, db: &Db, profile: &str) -> anyhow::Result<()> {
    let _lock = crate::instance_lock::acquire(&config.lock_dir, "sync", profile)?;
    let access = crate::servers::resolve(config, db, profile).await?;
    let admin = AdminClient::new(&access.origin, access.admin.clone())?;
    let mut ingest = Ingest::new(&access.profile, db.clone(), Arc::new(admin));
    let run = crate::runs::start(db, "sync", profile).await;
    let outcome = sync_steps(&mut ingest, profile).await;
    let summary = match &outcome {
        Ok(n) => format!("sync {profile}: corrected {n} rows"),
        Err(_) => String::new(),
    };
    run.finish_with(&outcome, &summary).await;
    outcome.map(|_| ())
}

/// The steps with their progress display; the number of rows corrected.
async fn sync_steps(ingest: &mut Ingest, profile: &str) -> anyhow::Result<usize> {
    let bar = step_bar(profile);
    let report = sync_profile(ingest, |step| match &bar {
        Some(bar) => {
            bar.set_message(step.label());
            bar.set_position(Step::ALL.iter().position(|s| *s == step).unwrap_or(0) as u64);
        }
        None => eprintln!("sync {profile}: {}…", step.label()),
    })
    .await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_report(&mut std::io::stdout().lock(), profile, &report)?;
    match report.failed {
        Some(e) => Err(e.into()),
        None => Ok(report.corrected()),
    }
}

/// A bar on a terminal; under systemd (no terminal) each step is a plain line instead.
fn step_bar(profile: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(Step::ALL.len() as u64);
    let style = ProgressStyle::with_template("sync {prefix} [{bar:20}] {pos}/{len} {msg}").map(|s| s.progress_chars("=> "));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar.set_prefix(profile.to_string());
    Some(bar)
}

/// One line per table (`<table>: A added, U updated, R removed`) and a summary line.
pub fn print_report(out: &mut impl Write, profile: &str, report: &SyncReport) -> std::io::Result<()> {
    for (table, c) in &report.tables {
        writeln!(out, "sync {profile}: {table}: {} added, {} updated, {} removed", c.added, c.updated, c.removed)?;
    }
    match (report.corrected(), &report.failed) {
        (_, Some(e)) => writeln!(out, "sync {profile}: stopped: {e} ({} rows corrected before that)", report.corrected()),
        (0, None) => writeln!(out, "sync {profile}: nothing to correct"),
        (n, None) => writeln!(out, "sync {profile}: corrected {n} rows"),
    }
}
