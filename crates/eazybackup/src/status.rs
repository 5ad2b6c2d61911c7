//! `eazybackup status [--profile P] [--json]`: the operator's view of health, from the database
//! alone (it works while a worker is down, and asks no Comet server anything).
//!
//! Per profile: whether its worker holds the event stream and since when (`eb_worker_state`, a
//! flag trusted only with a fresh heartbeat), the age of the newest event it processed
//! (`eb_event_cursor`), outbox events in the last hour (`eb_events`), live jobs and how many of
//! them the monitor would look at now (its own candidate query and `EB_MON_*` settings), and the
//! last `monitor` and `sync` runs (`eb_runs`). Then the last run of each fleet-wide command
//! (`rollup devices`, `rollup items`, `housekeep`).
//!
//! Exit status: 0 when every profile's worker is connected, 1 when one is not (or the database
//! cannot be read), 2 for a configuration error.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::config::Config;
use crate::db::worker_state::{self, WorkerState};
use crate::db::{Db, DbError};
use crate::runs::{self, LastRun};
use crate::with_pool;

#[derive(clap::Args, Debug, Default)]
pub struct StatusArgs {
    /// One profile; without it every configured profile (and any other a worker has reported).
    #[arg(long)]
    pub profile: Option<String>,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Commands recorded per profile, and over the whole database.
pub const PROFILE_COMMANDS: [&str; 2] = ["monitor", "sync"];
pub const FLEET_COMMANDS: [&str; 3] = ["rollup-devices", "rollup-items", "housekeep"];

#[derive(Debug, Clone, Serialize)]
pub struct ProfileStatus {
    pub profile: String,
    pub worker: WorkerState,
    /// Unix seconds of the newest event (or gap reconcile) the worker processed.
    pub last_event_at: Option<i64>,
    pub last_event_age_secs: Option<i64>,
    pub events_last_hour: i64,
    pub live_jobs: i64,
    pub stalled_candidates: i64,
    pub last_monitor: Option<LastRun>,
    pub last_sync: Option<LastRun>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub generated_at: i64,
    pub profiles: Vec<ProfileStatus>,
    pub last_rollup_devices: Option<LastRun>,
    pub last_rollup_items: Option<LastRun>,
    pub last_housekeep: Option<LastRun>,
    /// Every listed worker is connected.
    pub ok: bool,
}

/// Collects the status of `profiles` at `now`.
pub async fn collect(db: &Db, profiles: &[String], settings: &crate::monitor::Settings, now: i64) -> Result<Status, DbError> {
    let mut out = Vec::new();
    for profile in profiles {
        out.push(profile_status(db, profile, settings, now).await?);
    }
    let ok = out.iter().all(|p| p.worker.connected);
    Ok(Status {
        generated_at: now,
        profiles: out,
        last_rollup_devices: runs::last(db, "rollup-devices", "").await?,
        last_rollup_items: runs::last(db, "rollup-items", "").await?,
        last_housekeep: runs::last(db, "housekeep", "").await?,
        ok,
    })
}

async fn profile_status(db: &Db, profile: &str, settings: &crate::monitor::Settings, now: i64) -> Result<ProfileStatus, DbError> {
    let worker = worker_state::read(db, profile, now).await?;
    let source = crate::db::cursor::source_for_profile(profile);
    let last_event_at: Option<i64> = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT CAST(last_ts AS SIGNED) FROM eb_event_cursor WHERE source = ?"
    ).bind(&source).fetch_optional(pool).await?);
    let last_event_at = last_event_at.filter(|t| *t > 0);
    let events_last_hour: i64 = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM eb_events WHERE profile = ? AND created_at >= ?"
    ).bind(profile).bind(now - 3600).fetch_one(pool).await?);
    let live_jobs: i64 = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM eb_jobs_live WHERE server_id = ? AND status BETWEEN 6000 AND 6999"
    ).bind(profile).fetch_one(pool).await?);
    let all = crate::monitor::Settings { limit: 1_000_000, ..settings.clone() };
    let stalled_candidates = crate::monitor::candidates::select(db, profile, now, &all).await?.len() as i64;
    Ok(ProfileStatus {
        profile: profile.to_string(),
        worker,
        last_event_at,
        last_event_age_secs: last_event_at.map(|t| (now - t).max(0)),
        events_last_hour,
        live_jobs,
        stalled_candidates,
        last_monitor: runs::last(db, "monitor", profile).await?,
        last_sync: runs::last(db, "sync", profile).await?,
    })
}

/// Profiles a worker has reported in `eb_worker_state`.
async fn reported_profiles(db: &Db) -> Result<Vec<String>, DbError> {
    Ok(with_pool!(db, pool => sqlx::query_scalar("SELECT profile FROM eb_worker_state ORDER BY profile").fetch_all(pool).await?))
}

pub async fn run_cli(config: &Config, args: StatusArgs) -> ExitCode {
    match run(config, &args).await {
        Ok(status) => {
            let mut out = std::io::stdout().lock();
            let printed = if args.json {
                serde_json::to_writer_pretty(&mut out, &status).map_err(std::io::Error::other).and_then(|()| writeln!(out))
            } else {
                print_table(&mut out, &status)
            };
            if let Err(e) = printed {
                eprintln!("eazybackup: {e}");
                return ExitCode::from(1);
            }
            if status.ok { ExitCode::SUCCESS } else { ExitCode::from(1) }
        }
        Err(e) if crate::cli::is_configuration_error(&e) => {
            eprintln!("eazybackup: configuration error: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("eazybackup: {e:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(config: &Config, args: &StatusArgs) -> anyhow::Result<Status> {
    let db = Db::connect(&config.db).await?;
    let profiles: Vec<String> = match &args.profile {
        Some(p) => vec![p.clone()],
        None => {
            let mut all: Vec<String> = config.profiles.keys().cloned().collect();
            all.extend(reported_profiles(&db).await?);
            all.sort();
            all.dedup();
            all
        }
    };
    if profiles.is_empty() {
        return Err(crate::config::ConfigError::Invalid {
            key: "COMET_<profile>_*".into(),
            message: "no Comet profile is configured and no worker has reported; nothing to show".into(),
        }
        .into());
    }
    let settings = crate::monitor::Settings::from_defaults(&config.monitor);
    let status = collect(&db, &profiles, &settings, chrono::Utc::now().timestamp()).await?;
    db.close().await;
    Ok(status)
}

/// `3m ago`-style ages.
pub fn age(secs: i64) -> String {
    match secs.max(0) {
        s if s < 120 => format!("{s}s"),
        s if s < 2 * 3600 => format!("{}m", s / 60),
        s if s < 2 * 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

fn when(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| ts.to_string())
}

fn run_cell(run: &Option<LastRun>, now: i64) -> String {
    match run {
        None => "never".into(),
        Some(r) => match r.finished_at {
            None if r.result == "running" => format!("running ({} ago)", age(now - r.started_at)),
            finished => format!("{} {} ago", r.result, age(now - finished.unwrap_or(r.started_at))),
        },
    }
}

/// The human table: one line per profile, then the fleet-wide runs and a verdict line.
pub fn print_table(out: &mut impl Write, s: &Status) -> std::io::Result<()> {
    let now = s.generated_at;
    let header = ["PROFILE", "WORKER", "SINCE", "LAST EVENT", "EVENTS/1H", "LIVE", "STALLED", "MONITOR", "SYNC"];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for p in &s.profiles {
        rows.push(vec![
            p.profile.clone(),
            if p.worker.connected { "connected".into() } else { "DOWN".into() },
            p.worker.since.map(when).unwrap_or_else(|| "never ran".into()),
            p.last_event_age_secs.map(|a| format!("{} ago", age(a))).unwrap_or_else(|| "none".into()),
            p.events_last_hour.to_string(),
            p.live_jobs.to_string(),
            p.stalled_candidates.to_string(),
            run_cell(&p.last_monitor, now),
            run_cell(&p.last_sync, now),
        ]);
    }
    let widths: Vec<usize> = (0..header.len()).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    for p in s.profiles.iter().filter(|p| !p.worker.connected) {
        if let Some(e) = &p.worker.last_error {
            writeln!(out, "{}: worker's last error: {e}", p.profile)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "rollup devices: {}", run_cell(&s.last_rollup_devices, now))?;
    writeln!(out, "rollup items:   {}", run_cell(&s.last_rollup_items, now))?;
    writeln!(out, "housekeep:      {}", run_cell(&s.last_housekeep, now))?;
    let down: Vec<&str> = s.profiles.iter().filter(|p| !p.worker.connected).map(|p| p.profile.as_str()).collect();
    if down.is_empty() {
        writeln!(out, "status: ok (every worker connected)")
    } else {
        writeln!(out, "status: worker down for {}", down.join(", "))
    }
}
