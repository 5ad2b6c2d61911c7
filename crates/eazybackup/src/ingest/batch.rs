//! One batch, one transaction: the job rows, their outbox rows and the cursor commit together or
//! not at all. A failed batch rolls back entirely; the worker then ends its session, and the
//! reconnect's reconcile re-applies whatever the batch held (the cursor never moved past it).
//!
//! MySQL/MariaDB may answer a write with a deadlock (1213) or a lock-wait timeout (1205) when
//! another writer (the monitor, the API) touches the same rows; both mean "nothing of this
//! transaction happened, try again", so the batch is retried a few times after a jittered pause.

use std::time::{Duration, Instant};

use comet::{BackupJobDetail, StreamableEvent};
use rand::Rng;
use tracing::{debug, warn};

use crate::db::DbError;
use crate::db::cursor::{self, Cursor};
use crate::db::events;
use crate::ingest::handlers::{Ingest, IngestError, Outcome, job_id_of};

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

/// Applies `events` (prepare, then one transaction) and, with them, the cursor.
pub async fn write_events(
    ingest: &mut Ingest,
    events: &[StreamableEvent],
    cursor: Option<CursorWrite<'_>>,
) -> Result<BatchReport, IngestError> {
    ingest.prepare(events).await?;
    let mut attempt = 1;
    loop {
        let before = events::statements_executed();
        match try_events(ingest, events, cursor.as_ref()).await {
            Ok(outcomes) => return Ok(report(outcomes, before, attempt)),
            Err(e) => attempt = retry_or_fail(e, attempt, &ingest.profile).await?,
        }
    }
}

/// Applies jobs read back from the Admin API (a reconcile), oldest first, in one transaction.
pub async fn write_jobs(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<BatchReport, IngestError> {
    ingest.prepare_jobs(jobs).await?;
    let mut attempt = 1;
    loop {
        let before = events::statements_executed();
        match try_jobs(ingest, jobs).await {
            Ok(outcomes) => return Ok(report(outcomes, before, attempt)),
            Err(e) => attempt = retry_or_fail(e, attempt, &ingest.profile).await?,
        }
    }
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

/// MySQL 1213 (deadlock) and 1205 (lock wait timeout); SQLite's BUSY/LOCKED past the busy
/// timeout mean the same thing.
pub fn is_conflict(e: &IngestError) -> bool {
    let IngestError::Db(DbError::Sql(sqlx::Error::Database(db))) = e else { return false };
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(my.number(), 1213 | 1205);
    }
    // SQLite primary codes 5 (BUSY) and 6 (LOCKED), possibly extended (low byte).
    db.code().and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| matches!(c & 0xff, 5 | 6))
}
