//! Bounded growth: the outbox and the 24-hour job table are windows, not archives (the durable
//! job history is `comet_jobs`), snoozes expire, and the job history and the audit log are kept
//! for as many days as the operator chose. Every delete removes at most one batch of rows, oldest
//! first, in its own statement, so no prune holds locks on the WHMCS database for long.

use crate::db::jobs::HOUR;
use crate::db::timestamp::DbTime;
use crate::db::{Db, DbError, Dialect};
use crate::with_pool;

/// How long outbox rows are kept: the replay window of a resuming browser (`Last-Event-ID`), long
/// enough for any browser to resume, short enough to stay small.
pub const EVENTS_KEEP_SECS: i64 = 7 * 24 * 3600;
/// `eb_jobs_recent_24h` keeps two days, as the operators' rollup did (to the hour: rows of the
/// hour the window starts in stay until that hour is over).
pub const RECENT_JOBS_KEEP_SECS: i64 = 48 * 3600;
/// Default of `EB_JOB_HISTORY_DAYS`: a year of `comet_jobs`.
pub const DEFAULT_JOB_HISTORY_DAYS: u32 = 365;
/// Default of `EB_AUDIT_DAYS`: a year of `eb_audit_log`.
pub const DEFAULT_AUDIT_DAYS: u32 = 365;
/// Default of `EB_HOUSEKEEP_BATCH`: rows per delete statement.
pub const DEFAULT_BATCH: u32 = 5000;

const DAY_SECS: i64 = 24 * 3600;

/// What to keep and how much to delete per statement (`EB_JOB_HISTORY_DAYS`, `EB_AUDIT_DAYS`,
/// `EB_HOUSEKEEP_BATCH`). A retention of 0 days keeps that table forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub job_history_days: u32,
    pub audit_days: u32,
    pub batch: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { job_history_days: DEFAULT_JOB_HISTORY_DAYS, audit_days: DEFAULT_AUDIT_DAYS, batch: DEFAULT_BATCH }
    }
}

/// Rows removed from one table, and in how many delete statements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub rows: u64,
    pub batches: u64,
}

/// What one housekeeping pass removed, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub recent_jobs: Removed,
    pub events: Removed,
    pub expired_snoozes: Removed,
    pub job_history: Removed,
    pub audit_log: Removed,
}

impl PruneReport {
    /// `(table, removed)` in the order they are pruned, for printing and logging.
    pub fn tables(&self) -> [(&'static str, Removed); 5] {
        [
            (RECENT_JOBS.table, self.recent_jobs),
            (EVENTS.table, self.events),
            (SNOOZES.table, self.expired_snoozes),
            (JOB_HISTORY.table, self.job_history),
            (AUDIT_LOG.table, self.audit_log),
        ]
    }

    pub fn total_rows(&self) -> u64 {
        self.tables().iter().map(|(_, r)| r.rows).sum()
    }
}

/// One prunable table: rows whose `column` is before the cutoff go, oldest (`order`) first.
struct Target {
    table: &'static str,
    column: &'static str,
    order: &'static str,
}

const RECENT_JOBS: Target = Target { table: "eb_jobs_recent_24h", column: "ended_at", order: "ended_at" };
/// The counters of `eb_jobs_recent_24h` (by hour), pruned with it and not reported apart.
const RECENT_JOB_COUNTS: Target = Target { table: "eb_jobs_hourly_counts", column: "hour", order: "hour" };
// By id: the SSE cursor is an id, so the outbox is always cut from its oldest end.
const EVENTS: Target = Target { table: "eb_events", column: "created_at", order: "id" };
const SNOOZES: Target = Target { table: "eb_incident_ack", column: "until_ts", order: "until_ts" };
const JOB_HISTORY: Target = Target { table: "comet_jobs", column: "ended_at", order: "ended_at" };
const AUDIT_LOG: Target = Target { table: "eb_audit_log", column: "created_at", order: "id" };

/// One housekeeping pass at `now` (Unix seconds).
pub async fn prune(db: &Db, policy: &Policy, now: i64) -> Result<PruneReport, DbError> {
    let batch = policy.batch.max(1);
    // On an hour boundary, so `eb_jobs_hourly_counts` loses exactly the hours whose rows went.
    let recent_cutoff_hour = (now - RECENT_JOBS_KEEP_SECS).div_euclid(HOUR);
    let recent_jobs = delete_before(db, &RECENT_JOBS, recent_cutoff_hour * HOUR, batch).await?;
    delete_before(db, &RECENT_JOB_COUNTS, recent_cutoff_hour, batch).await?;
    let mut report = PruneReport {
        recent_jobs,
        events: delete_before(db, &EVENTS, now - EVENTS_KEEP_SECS, batch).await?,
        expired_snoozes: delete_before(db, &SNOOZES, now, batch).await?,
        ..Default::default()
    };
    if policy.job_history_days > 0 {
        // `comet_jobs` holds TIMESTAMPs, the other tables Unix seconds.
        let cutoff = DbTime::from_unix(now - i64::from(policy.job_history_days) * DAY_SECS)
            .unwrap_or(DbTime(chrono::DateTime::UNIX_EPOCH));
        report.job_history = delete_before(db, &JOB_HISTORY, cutoff, batch).await?;
    }
    if policy.audit_days > 0 {
        report.audit_log = delete_before(db, &AUDIT_LOG, now - i64::from(policy.audit_days) * DAY_SECS, batch).await?;
    }
    Ok(report)
}

/// Deletes the rows of `target` before `cutoff`, at most `batch` per statement, until a statement
/// removes fewer than a batch. Each statement commits on its own (no surrounding transaction), so
/// locks last one batch.
async fn delete_before<T>(db: &Db, target: &Target, cutoff: T, batch: u32) -> Result<Removed, DbError>
where
    T: Copy + Send + Sync,
    T: for<'q> sqlx::Encode<'q, sqlx::MySql> + sqlx::Type<sqlx::MySql>,
    T: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    // Table and column names are the constants above and the batch a number: nothing from outside.
    let sql = batch_delete_sql(db.dialect(), target, batch);
    let mut removed = Removed::default();
    loop {
        let deleted = with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(cutoff).execute(pool).await?.rows_affected());
        if deleted == 0 {
            return Ok(removed);
        }
        removed.rows += deleted;
        removed.batches += 1;
        if deleted < u64::from(batch) {
            return Ok(removed);
        }
    }
}

/// MariaDB deletes a bounded, ordered batch directly; SQLite (built without `DELETE … LIMIT`)
/// through the rowids of that batch.
fn batch_delete_sql(dialect: Dialect, t: &Target, batch: u32) -> String {
    let (table, column, order) = (t.table, t.column, t.order);
    match dialect {
        Dialect::MySql => format!("DELETE FROM {table} WHERE {column} < ? ORDER BY {order} LIMIT {batch}"),
        Dialect::Sqlite => format!(
            "DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {column} < ? ORDER BY {order} LIMIT {batch})"
        ),
    }
}
