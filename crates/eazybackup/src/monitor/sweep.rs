//! One sweep of one profile: candidates → Comet's view (one bulk read) → a verdict each →
//! progress recorded, cancels requested, confirmations awaited (bounded), abandons → the ended
//! jobs finalised through the worker's write path → the bookkeeping of every look.
//!
//! Attempts: a cancel or abandon tried counts one (`cancel_attempts`, capped by `max-attempts`);
//! a transient failure (network, a foreign 5xx) only bumps `last_checked_ts`, so the job comes
//! back after `recheck-secs`. An abandoned job Comet revives (its device reported again) leaves
//! the live table now and is finished by its later `SEVT_JOB_COMPLETED`.

use std::path::Path;

use comet::{BackupJobDetail, CometError};

use crate::db::jobs::JobProgress;
use crate::db::{DbError, events, jobs};
use crate::ingest::{Ingest, IngestError, Outcome};
use crate::instance_lock::{self, LockError};
use crate::monitor::Settings;
use crate::monitor::candidates::{self, Candidate, Mark};
use crate::monitor::comet_calls::{Calls, JobRead};
use crate::monitor::decision::{self, Verdict};
use crate::monitor::summary::Summary;

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("Comet Admin API: {0}")]
    Comet(#[from] CometError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// [`sweep_profile`] under the profile's `monitor` lock: a second sweep (the timer's, the
/// worker's) fails at once with [`LockError::Held`].
pub async fn sweep_locked(lock_dir: &Path, ingest: &mut Ingest, s: &Settings) -> Result<Summary, MonitorError> {
    let _lock = instance_lock::acquire(lock_dir, "monitor", &ingest.profile)?;
    sweep_profile(ingest, s).await
}

const STAGE_NONE: &str = "none";
const STAGE_CANCEL: &str = "cancel_requested";
const STAGE_ABANDON: &str = "abandon_requested";

/// Everything one sweep decided, job by job, before it is written.
#[derive(Default)]
struct Plan<'c> {
    progress: Vec<JobProgress>,
    cancel: Vec<&'c Candidate>,
    abandon: Vec<&'c Candidate>,
    finalise: Vec<BackupJobDetail>,
    marks: Vec<(String, Mark)>,
}

impl Plan<'_> {
    fn mark(&mut self, job_id: &str, attempted: bool, stage: &'static str, error: Option<String>) {
        self.marks.push((job_id.to_string(), Mark { attempted, stage, error }));
    }
}

/// One sweep of `ingest.profile` (no lock: see [`sweep_locked`]).
pub async fn sweep_profile(ingest: &mut Ingest, s: &Settings) -> Result<Summary, MonitorError> {
    let statements_before = events::statements_executed();
    let now = chrono::Utc::now().timestamp();
    let mut sum = Summary::new(&ingest.profile, s.dry_run);
    let found = candidates::select(&ingest.db, &ingest.profile, now, s).await?;
    let mut own_statements = 1;
    sum.checked = found.len() as u64;
    if found.is_empty() {
        sum.statements = own_statements;
        return Ok(sum);
    }
    let admin = ingest.admin.clone();
    let mut calls = Calls::new(&admin);
    let ids: Vec<&str> = found.iter().map(|c| c.job_id.as_str()).collect();
    let mut plan = Plan::default();
    match calls.read(&ids).await {
        Ok(mut reads) => {
            for c in &found {
                let read =
                    reads.remove(&c.job_id).unwrap_or_else(|| Err(CometError::Api { status: 404, message: "not read".into() }));
                judge(c, read, s, &mut plan, &mut sum);
            }
        }
        Err(e) if decision::is_transient(&e) => {
            say(s, &ingest.profile, "*", &format!("reading jobs failed, trying again next time: {e}"));
            sum.errors += 1;
            for c in &found {
                plan.mark(&c.job_id, false, STAGE_NONE, Some(e.to_string()));
            }
        }
        Err(e) => return Err(e.into()),
    }

    if s.dry_run {
        for c in &plan.cancel {
            say_always(&ingest.profile, c, "would request a cancel (then abandon if the device does not confirm)");
        }
        for c in &plan.abandon {
            say_always(&ingest.profile, c, "would abandon (it cannot be cancelled)");
        }
        sum.cancelled = plan.cancel.len() as u64;
        sum.abandoned = plan.abandon.len() as u64;
        sum.finalised = plan.finalise.len() as u64;
        sum.comet_calls = calls.made;
        sum.statements = own_statements;
        return Ok(sum);
    }

    if !plan.progress.is_empty() {
        let mut tx = events::begin(&ingest.db).await?;
        jobs::progress_jobs(&mut tx, &ingest.profile, &plan.progress, now).await?;
        tx.commit().await?;
    }
    cancel_then_abandon(&mut calls, s, &ingest.profile, &mut plan, &mut sum).await;
    sum.comet_calls = calls.made;

    if !plan.finalise.is_empty() {
        let report = crate::ingest::batch::write_jobs(ingest, &plan.finalise).await?;
        for (job, outcome) in plan.finalise.iter().zip(&report.outcomes) {
            match outcome {
                Outcome::Skipped(why) => {
                    sum.errors += 1;
                    say(s, &ingest.profile, &job.guid, &format!("the database refused its end: {why}"));
                }
                _ => sum.finalised += 1,
            }
        }
    }
    own_statements += candidates::write_marks(&ingest.db, &ingest.profile, now, &plan.marks).await?;
    sum.statements = own_statements + events::statements_executed().saturating_sub(statements_before);
    Ok(sum)
}

/// Sorts one candidate by Comet's answer.
fn judge<'c>(c: &'c Candidate, read: JobRead, s: &Settings, plan: &mut Plan<'c>, sum: &mut Summary) {
    let job = match read {
        Ok(job) => job,
        Err(e) => {
            // A job Comet cannot read (it forgot it, or the call failed): counted, and retried
            // next time; an answer (not a transient) counts as an attempt so it stops eventually.
            sum.errors += 1;
            let transient = decision::is_transient(&e);
            say(s, &sum.profile, &c.job_id, &format!("cannot read it: {e}"));
            plan.mark(&c.job_id, !transient, STAGE_NONE, Some(e.to_string()));
            return;
        }
    };
    match decision::judge(c, &job) {
        Verdict::Finished => {
            say(s, &sum.profile, &c.job_id, &format!("ended in Comet with status {}: finalising", job.status.0));
            plan.finalise.push(job);
        }
        Verdict::Moving => {
            say(s, &sum.profile, &c.job_id, "bytes or heartbeat moved: recording progress");
            sum.progressing += 1;
            plan.progress.push(JobProgress::from_job(&job));
            plan.mark(&c.job_id, false, STAGE_NONE, None);
        }
        Verdict::Stalled { cancellable: true } => plan.cancel.push(c),
        Verdict::Stalled { cancellable: false } => plan.abandon.push(c),
    }
}

/// Cancels (the device confirms within `confirm_wait`, or the job is abandoned), then abandons;
/// every job that ended goes to `plan.finalise`.
async fn cancel_then_abandon(calls: &mut Calls<'_>, s: &Settings, profile: &str, plan: &mut Plan<'_>, sum: &mut Summary) {
    let mut requested = Vec::new();
    for c in std::mem::take(&mut plan.cancel) {
        match calls.cancel(&c.username, &c.job_id).await {
            Ok(()) => {
                say(s, profile, &c.job_id, "stalled: cancel requested");
                requested.push(c);
            }
            Err(e) if decision::is_transient(&e) => {
                sum.errors += 1;
                say(s, profile, &c.job_id, &format!("stalled; the cancel failed, trying again next time: {e}"));
                plan.mark(&c.job_id, false, STAGE_NONE, Some(e.to_string()));
            }
            Err(e) => {
                // Comet's answer, e.g. the device is not connected: only an abandon can end it.
                say(s, profile, &c.job_id, &format!("stalled; Comet refused the cancel ({e}): abandoning"));
                plan.abandon.push(c);
            }
        }
    }
    if !requested.is_empty() {
        let ids: Vec<&str> = requested.iter().map(|c| c.job_id.as_str()).collect();
        let mut ended = calls.await_ends(&ids, s.confirm_wait, s.confirm_poll).await;
        for c in requested {
            match ended.remove(&c.job_id) {
                Some(job) => {
                    say(s, profile, &c.job_id, &format!("the device confirmed the cancel (status {})", job.status.0));
                    sum.cancelled += 1;
                    plan.mark(&c.job_id, true, STAGE_CANCEL, None);
                    plan.finalise.push(job);
                }
                None => {
                    say(s, profile, &c.job_id, "no confirmation from the device in time: abandoning");
                    plan.abandon.push(c);
                }
            }
        }
    }
    for c in std::mem::take(&mut plan.abandon) {
        abandon(calls, s, profile, c, plan, sum).await;
    }
}

async fn abandon(calls: &mut Calls<'_>, s: &Settings, profile: &str, c: &Candidate, plan: &mut Plan<'_>, sum: &mut Summary) {
    if let Err(e) = calls.abandon(&c.username, &c.job_id).await {
        sum.errors += 1;
        let transient = decision::is_transient(&e);
        say(s, profile, &c.job_id, &format!("the abandon failed: {e}"));
        plan.mark(&c.job_id, !transient, if transient { STAGE_NONE } else { STAGE_ABANDON }, Some(e.to_string()));
        return;
    }
    match calls.properties(&c.job_id).await {
        Ok(job) if job.is_finished() => {
            say(s, profile, &c.job_id, &format!("abandoned (status {})", job.status.0));
            sum.abandoned += 1;
            plan.mark(&c.job_id, true, STAGE_ABANDON, None);
            plan.finalise.push(job);
        }
        // Revived at once (the device reported again): it is running, leave it to the worker.
        Ok(job) => {
            say(s, profile, &c.job_id, &format!("still running after the abandon (status {})", job.status.0));
            plan.mark(&c.job_id, true, STAGE_ABANDON, None);
        }
        Err(e) => {
            sum.errors += 1;
            say(s, profile, &c.job_id, &format!("abandoned, but reading it back failed: {e}"));
            plan.mark(&c.job_id, true, STAGE_ABANDON, Some(e.to_string()));
        }
    }
}

/// One verbose line on standard error. Job ids come from Comet: quoted, so no control
/// character reaches the terminal or the journal as is.
fn say(s: &Settings, profile: &str, job_id: &str, what: &str) {
    if s.verbose || s.dry_run {
        eprintln!("monitor {profile}: job {job_id:?}: {what}");
    }
}

fn say_always(profile: &str, c: &Candidate, what: &str) {
    eprintln!("monitor {profile}: job {:?} of {:?}: {what}", c.job_id, c.username);
}
