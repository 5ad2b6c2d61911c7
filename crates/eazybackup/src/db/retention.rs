//! Bounded growth: the outbox and the 24-hour job table are windows, not archives (the durable
//! job history is `comet_jobs`). Deletes go in chunks so no prune holds locks for long.

use crate::db::{Db, DbError};
use crate::with_pool;

/// How long outbox rows are kept: long enough for any browser to resume, short enough to stay small.
pub const EVENTS_KEEP_SECS: i64 = 7 * 24 * 3600;
/// `eb_jobs_recent_24h` keeps two days, as the operators' rollup did.
pub const RECENT_JOBS_KEEP_SECS: i64 = 48 * 3600;
/// Outbox rows per delete statement.
const CHUNK: u64 = 5000;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub events: u64,
    pub recent_jobs: u64,
    pub expired_snoozes: u64,
}

pub async fn prune(db: &Db, now: i64) -> Result<PruneReport, DbError> {
    Ok(PruneReport {
        events: prune_events(db, now - EVENTS_KEEP_SECS).await?,
        recent_jobs: delete_before(db, "DELETE FROM eb_jobs_recent_24h WHERE ended_at < ?", now - RECENT_JOBS_KEEP_SECS).await?,
        expired_snoozes: delete_before(db, "DELETE FROM eb_incident_ack WHERE until_ts < ?", now).await?,
    })
}

/// Outbox rows are removed by id range (the SSE cursor is an id), oldest first.
async fn prune_events(db: &Db, before: i64) -> Result<u64, DbError> {
    let mut total = 0;
    loop {
        // MariaDB refuses LIMIT inside IN (…); a derived table with LIMIT is fine on both.
        let last: Option<i64> = with_pool!(db, pool => sqlx::query_scalar(
            "SELECT MAX(id) FROM (SELECT id FROM eb_events WHERE created_at < ? ORDER BY id LIMIT 5000) oldest"
        ).bind(before).fetch_one(pool).await?);
        let Some(last) = last else { return Ok(total) };
        let deleted = with_pool!(db, pool => sqlx::query("DELETE FROM eb_events WHERE id <= ? AND created_at < ?")
            .bind(last).bind(before).execute(pool).await?.rows_affected());
        total += deleted;
        if deleted < CHUNK {
            return Ok(total);
        }
    }
}

async fn delete_before(db: &Db, sql: &'static str, before: i64) -> Result<u64, DbError> {
    Ok(with_pool!(db, pool => sqlx::query(sql).bind(before).execute(pool).await?.rows_affected()))
}
