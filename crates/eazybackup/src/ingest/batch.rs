//! One batch, one transaction, in four steps that each run once and in order:
//! `decode` (frames → typed events) → `prepare` (every lookup, outside the transaction) →
//! `apply` (the rows, through the Comet → table mapping) → `outbox` (the browser's rows and the
//! cursor). The job rows, their outbox rows and the cursor commit together or not at all. A
//! failed batch rolls back entirely; the worker then ends its session, and the reconnect's
//! reconcile re-applies whatever the batch held (the cursor never moved past it).
//!
//! When the database refuses one account's rows (a value, a trigger), the prepared batch is
//! written again one transaction per account, so that account's events are skipped (logged) and
//! every other account's go through; the cursor then commits on its own.
//!
//! MySQL/MariaDB may answer a write with a deadlock (1213) or a lock-wait timeout (1205) when
//! another writer (the monitor, the API) touches the same rows; both mean "nothing of this
//! transaction happened, try again", so the transaction is retried a few times after a jittered
//! pause, from the same prepared steps.

use std::time::{Duration, Instant};

use comet::{BackupJobDetail, StreamableEvent};
use rand::Rng;
use tracing::warn;

use crate::db::cursor;
use crate::db::{events, savepoint};
use crate::ingest::context::{Ingest, IngestError, Outcome};
use crate::ingest::prepare::{Prepared, Step};
use crate::ingest::{apply, decode, outbox, prepare};

pub use crate::ingest::outbox::CursorWrite;

/// Attempts per batch when the database reports a deadlock or lock-wait timeout.
const MAX_ATTEMPTS: u32 = 5;

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

/// Writes stream `events` and, with them, the cursor.
pub async fn write_events(
    ingest: &mut Ingest,
    events: &[StreamableEvent],
    cursor: Option<CursorWrite<'_>>,
) -> Result<BatchReport, IngestError> {
    let typed = decode::batch(events);
    let prepared = prepare::events(ingest, typed).await?;
    let report = write_prepared(ingest, &prepared, cursor).await?;
    for (event, outcome) in events.iter().zip(&report.outcomes) {
        if let Outcome::Malformed(why) = outcome {
            warn!(profile = %ingest.profile, event = %event.type_string, why, "skipping a malformed event");
        }
    }
    Ok(report)
}

/// Writes jobs read back from the Admin API (a reconcile), oldest first.
pub async fn write_jobs(ingest: &mut Ingest, jobs: &[BackupJobDetail]) -> Result<BatchReport, IngestError> {
    let prepared = prepare::jobs(ingest, jobs).await?;
    write_prepared(ingest, &prepared, None).await
}

/// The prepared batch in one transaction; account by account when the database refuses one
/// account's rows (see [`by_account`]).
async fn write_prepared(
    ingest: &Ingest,
    prepared: &Prepared,
    cursor: Option<CursorWrite<'_>>,
) -> Result<BatchReport, IngestError> {
    let all: Vec<&Step> = prepared.steps.iter().collect();
    match with_retries(ingest, &all, cursor.as_ref()).await {
        Err(e) if is_refusal(&e) => {
            warn!(profile = %ingest.profile, error = %e, "the database refused part of a batch; writing it account by account");
            let before = events::statements_executed();
            let mut report = by_account(ingest, prepared).await?;
            if let Some(c) = cursor {
                cursor::save(&ingest.db, c.source, c.cursor, chrono::Utc::now().timestamp()).await?;
            }
            report.statements = events::statements_executed().saturating_sub(before);
            Ok(report)
        }
        other => other,
    }
}

async fn with_retries(ingest: &Ingest, steps: &[&Step], cursor: Option<&CursorWrite<'_>>) -> Result<BatchReport, IngestError> {
    let mut attempt = 1;
    loop {
        let before = events::statements_executed();
        match transaction(ingest, steps, cursor).await {
            Ok(outcomes) => {
                return Ok(BatchReport {
                    outcomes,
                    statements: events::statements_executed().saturating_sub(before),
                    attempts: attempt,
                    committed_at: Some(Instant::now()),
                });
            }
            Err(e) => attempt = retry_or_fail(e, attempt, &ingest.profile).await?,
        }
    }
}

/// One attempt: apply, then the outbox and the cursor, then commit.
async fn transaction(ingest: &Ingest, steps: &[&Step], cursor: Option<&CursorWrite<'_>>) -> Result<Vec<Outcome>, IngestError> {
    let mut tx = events::begin(&ingest.db).await?;
    let applied = apply::steps(&mut tx, &ingest.profile, steps, &ingest.owners).await?;
    outbox::write(&mut tx, &applied.outbox, cursor).await?;
    tx.commit().await?;
    Ok(applied.outcomes)
}

/// Writes a batch one transaction per account, in the order accounts first appear. An account
/// whose transaction the database refuses is logged once with the reason and skipped
/// ([`Outcome::Skipped`]); its rows are written again by its next event or the next reconcile,
/// never in a loop here. Other failures end the batch.
async fn by_account(ingest: &Ingest, prepared: &Prepared) -> Result<BatchReport, IngestError> {
    let accounts = &prepared.accounts;
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
        let steps: Vec<&Step> = picked.iter().map(|i| &prepared.steps[*i]).collect();
        match with_retries(ingest, &steps, None).await {
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

/// The database refused what the rows contain (see `savepoint::is_refusal`).
fn is_refusal(e: &IngestError) -> bool {
    let IngestError::Db(e) = e;
    savepoint::is_refusal(e)
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
