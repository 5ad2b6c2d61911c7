//! One batch, one transaction: the job rows, their outbox rows and the cursor commit together or
//! not at all. A failed batch rolls back entirely; the worker then ends its session, and the
//! reconnect's reconcile re-applies whatever the batch held (the cursor never moved past it).
//!
//! When the database refuses one account's rows (a value, a trigger), the batch is written again
//! one transaction per account, so that account's events are skipped (logged) and every other
//! account's go through; the cursor then commits on its own.
//!
//! MySQL/MariaDB may answer a write with a deadlock (1213) or a lock-wait timeout (1205) when
//! another writer (the monitor, the API) touches the same rows; both mean "nothing of this
//! transaction happened, try again", so the batch is retried a few times after a jittered pause.

use std::time::{Duration, Instant};

use comet::{BackupJobDetail, StreamableEvent};
use rand::Rng;
use tracing::{debug, warn};

use crate::db::cursor::{self, Cursor};
use crate::db::{events, savepoint, tenancy};
use crate::ingest::handlers::{Ingest, IngestError, Outcome, job_id_of};
use crate::ingest::profile_sync;

/// Attempts per batch when the database reports a deadlock or lock-wait timeout.
const MAX_ATTEMPTS: u32 = 5;

/// Where a batch leaves the worker's cursor (written in the batch's transaction).
pub struct CursorWrite<'a> {
    pub source: &'a str,
    pub cursor: &'a Cursor,
}

/// What one committed batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchReport {
    pub outcomes: Vec<Outcome>,
    /// Statements of the committing attempt, BEGIN and COMMIT included.
    pub statements: u64,
    /// 1 unless a deadlock forced a retry.
    pub attempts: u32,
    /// When the transaction committed.
    pub committed_at: Option<Instant>,
}

/// Applies `events` (prepare, then one transaction) and, with them, the cursor. When the
/// database refuses one account's rows, the batch is written again account by account (see
/// [`by_account`]) and only the refused account's events are skipped.
pub async fn write_events(
    ingest: &mut Ingest,
    events: &[StreamableEvent],
    cursor: Option<CursorWrite<'_>>,
) -> Result<BatchReport, IngestError> {
    ingest.prepare(events).await?;
    match events_with_retries(ingest, events, cursor.as_ref()).await {
        Err(e) if is_refusal(&e) => {
            warn!(profile = %ingest.profile, error = %e, "the database refused part of a batch; writing it account by account");
            let accounts: Vec<String> = events.iter().map(account_of).collect();
            let before = events::statements_executed();
            let mut report = by_account(ingest, &accounts, |ingest, picked| {
                let group: Vec<StreamableEvent> = picked.iter().map(|i| events[*i].clone()).collect();
                Box::pin(async move { events_with_retries(ingest, &group, None).await })
            })
            .await?;
            if let Some(c) = cursor {
                cursor::save(&ingest.db, c.source, c.cursor, chrono::Utc::now().timestamp()).await?;
            }
            report.statements = events::statements_executed().saturating_sub(before);
            Ok(report)
        }
        other => other,
    }
}

/// Applies jobs read back from the Admin API (a reconcile), oldest first, in one transaction;
/// account by account when the database refuses one account's rows.
pub async fn write_jobs(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<BatchReport, IngestError> {
    ingest.prepare_jobs(jobs).await?;
    match jobs_with_retries(ingest, jobs).await {
        Err(e) if is_refusal(&e) => {
            warn!(profile = %ingest.profile, error = %e, "the database refused part of a job batch; writing it account by account");
            let accounts: Vec<String> = jobs.iter().map(|j| tenancy::normalize_username(&j.username)).collect();
            by_account(ingest, &accounts, |ingest, picked| {
                let group: Vec<BackupJobDetail> = picked.iter().map(|i| jobs[*i].clone()).collect();
                Box::pin(async move { jobs_with_retries(ingest, &group).await })
            })
            .await
        }
        other => other,
    }
}

async fn events_with_retries(
    ingest: &mut Ingest,
    events: &[StreamableEvent],
    cursor: Option<&CursorWrite<'_>>,
) -> Result<BatchReport, IngestError> {
    let mut attempt = 1;
    loop {
        let before = events::statements_executed();
        match try_events(ingest, events, cursor).await {
            Ok(outcomes) => return Ok(report(outcomes, before, attempt)),
            Err(e) => attempt = retry_or_fail(e, attempt, &ingest.profile).await?,
        }
    }
}

async fn jobs_with_retries(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<BatchReport, IngestError> {
    let mut attempt = 1;
    loop {
        let before = events::statements_executed();
        match try_jobs(ingest, jobs).await {
            Ok(outcomes) => return Ok(report(outcomes, before, attempt)),
            Err(e) => attempt = retry_or_fail(e, attempt, &ingest.profile).await?,
        }
    }
}

type GroupWrite<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<BatchReport, IngestError>> + Send + 'a>>;

/// Writes a batch one transaction per account (`accounts[i]` is the account of item `i`), in
/// the order accounts first appear. An account whose transaction the database refuses is logged
/// once with the reason and skipped ([`Outcome::Skipped`]); its rows are written again by its
/// next event or the next reconcile, never in a loop here. Other failures end the batch.
async fn by_account<F>(ingest: &mut Ingest, accounts: &[String], mut write: F) -> Result<BatchReport, IngestError>
where
    F: for<'a> FnMut(&'a mut Ingest, Vec<usize>) -> GroupWrite<'a>,
{
    let mut order: Vec<&str> = Vec::new();
    for a in accounts {
        if !order.contains(&a.as_str()) {
            order.push(a);
        }
    }
    let mut outcomes: Vec<Outcome> = vec![Outcome::Ignored; accounts.len()];
    let mut total = BatchReport { attempts: 1, ..Default::default() };
    for account in order {
        let picked: Vec<usize> = (0..accounts.len()).filter(|i| accounts[*i] == account).collect();
        match write(ingest, picked.clone()).await {
            Ok(r) => {
                for (i, outcome) in picked.iter().zip(r.outcomes) {
                    outcomes[*i] = outcome;
                }
                total.statements += r.statements;
                total.attempts = total.attempts.max(r.attempts);
            }
            Err(e) if is_refusal(&e) => {
                warn!(profile = %ingest.profile, username = account, events = picked.len(), reason = %e,
                    "account skipped: the database refused its rows; written again at its next event or reconcile");
                for i in &picked {
                    outcomes[*i] = Outcome::Skipped(e.to_string());
                }
            }
            Err(e) => return Err(e),
        }
    }
    total.outcomes = outcomes;
    total.committed_at = Some(Instant::now());
    Ok(total)
}

/// The account an event's rows belong to, as the handlers decide it (an account event names it
/// in `Data` or `ResourceID`; `Actor` may be the administrator who acted).
fn account_of(event: &StreamableEvent) -> String {
    if profile_sync::is_profile_event(event) || event.r#type == comet::EventType::ACCOUNT_REMOVED {
        return profile_sync::account_username(event);
    }
    tenancy::normalize_username(event.owner_username())
}

/// The database refused what the rows contain (see `savepoint::is_refusal`).
fn is_refusal(e: &IngestError) -> bool {
    let IngestError::Db(e) = e;
    savepoint::is_refusal(e)
}

fn report(outcomes: Vec<Outcome>, statements_before: u64, attempts: u32) -> BatchReport {
    BatchReport {
        outcomes,
        statements: events::statements_executed().saturating_sub(statements_before),
        attempts,
        committed_at: Some(Instant::now()),
    }
}

async fn try_events(
    ingest: &mut Ingest,
    events: &[StreamableEvent],
    cursor: Option<&CursorWrite<'_>>,
) -> Result<Vec<Outcome>, IngestError> {
    let mut tx = events::begin(&ingest.db).await?;
    ingest.begin(&mut tx, events.iter().filter_map(job_id_of)).await?;
    let mut outcomes = Vec::with_capacity(events.len());
    for event in events {
        let outcome = ingest.apply(&mut tx, event).await?;
        if let Outcome::Malformed(why) = &outcome {
            warn!(profile = %ingest.profile, event = %event.type_string, why, "skipping a malformed event");
        }
        outcomes.push(outcome);
    }
    ingest.finish(&mut tx).await?;
    if let Some(c) = cursor {
        cursor::save_in(&mut tx, c.source, c.cursor, chrono::Utc::now().timestamp()).await?;
        debug!(target: "eazybackup::db", source = c.source, last_ts = c.cursor.last_ts, "cursor saved with the batch");
    }
    tx.commit().await?;
    Ok(outcomes)
}

async fn try_jobs(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<Vec<Outcome>, IngestError> {
    let mut tx = events::begin(&ingest.db).await?;
    ingest.begin(&mut tx, jobs.iter().map(|j| j.guid.as_str())).await?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        outcomes.push(ingest.job_seen(&mut tx, job).await?);
    }
    ingest.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Sleeps and returns the next attempt number when `e` is a retryable conflict and attempts
/// remain; otherwise hands the error back. The failed transaction was dropped (rolled back).
async fn retry_or_fail(e: IngestError, attempt: u32, profile: &str) -> Result<u32, IngestError> {
    if attempt >= MAX_ATTEMPTS || !is_conflict(&e) {
        return Err(e);
    }
    // 20–40 ms, doubling: long enough for the other transaction to finish, short for latency.
    let base = 20u64 << (attempt - 1);
    let delay = Duration::from_millis(base + rand::rng().random_range(0..=base));
    warn!(profile, attempt, ?delay, error = %e, "write conflict; retrying the batch");
    tokio::time::sleep(delay).await;
    Ok(attempt + 1)
}

/// A deadlock or lock-wait timeout (see `savepoint::is_conflict`).
pub fn is_conflict(e: &IngestError) -> bool {
    let IngestError::Db(e) = e;
    savepoint::is_conflict(e)
}
