//! The monitor's rows of `eb_jobs_live`: which running jobs are candidates, and the bookkeeping
//! of each look (`last_checked_ts`, `cancel_attempts`, `action_stage`, `last_action_error`).
//!
//! A job is quiet when neither its bytes nor its heartbeat (`Progress.Counter`) have moved for
//! `stale-secs`: the worker's poll and the monitor stamp `progress_ts` whenever either moves
//! (`db::jobs::progress_jobs`), a start stamps it too, and `last_bytes_ts` is the incumbent's
//! column for rows it wrote. Backups, restores and maintenance jobs are all candidates.

use crate::db::{Db, DbError};
use crate::monitor::Settings;
use crate::with_pool;

/// One running job the monitor looks at, as our table last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub job_id: String,
    pub username: String,
    pub progress_counter: i64,
    pub bytes_done: i64,
    pub attempts: i64,
}

/// Running (6xxx), quiet since `now - stale_secs`, not looked at since `now - recheck_secs`,
/// below `max_attempts`; the least recently checked first, at most `limit`. Separate comparisons
/// instead of `GREATEST` (SQLite has none).
const SELECT: &str = "\
SELECT job_id, username, CAST(progress_counter AS SIGNED), CAST(bytes_done AS SIGNED), CAST(cancel_attempts AS SIGNED)
FROM eb_jobs_live
WHERE server_id = ? AND status BETWEEN 6000 AND 6999
  AND started_at <= ? AND progress_ts <= ? AND last_bytes_ts <= ?
  AND last_checked_ts <= ? AND cancel_attempts < ?
ORDER BY last_checked_ts, job_id
LIMIT ?";

pub async fn select(db: &Db, profile: &str, now: i64, s: &Settings) -> Result<Vec<Candidate>, DbError> {
    let quiet_since = now.saturating_sub(s.stale_secs);
    let checked_before = now.saturating_sub(s.recheck_secs);
    type Row = (String, String, i64, i64, i64);
    let rows: Vec<Row> = with_pool!(db, pool => sqlx::query_as(SELECT)
        .bind(profile)
        .bind(quiet_since)
        .bind(quiet_since)
        .bind(quiet_since)
        .bind(checked_before)
        .bind(i64::from(s.max_attempts))
        .bind(i64::from(s.limit))
        .fetch_all(pool)
        .await?);
    Ok(rows
        .into_iter()
        .map(|(job_id, username, progress_counter, bytes_done, attempts)| Candidate {
            job_id,
            username,
            progress_counter,
            bytes_done,
            attempts,
        })
        .collect())
}

/// What a look at a job leaves in its row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    /// A cancel or abandon was tried: counts against `max-attempts`.
    pub attempted: bool,
    /// `action_stage`: `none`, `cancel_requested`, `abandon_requested`.
    pub stage: &'static str,
    /// `last_action_error` (cut to its 255 characters), `None` clears it.
    pub error: Option<String>,
}

/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 400;

/// Writes the marks, one statement per distinct mark (and 400 ids): a sweep's marks are mostly
/// the same few, so 200 jobs cost a handful of statements, not 200. Rows that left the table
/// meanwhile (finalised) are simply not there.
pub async fn write_marks(db: &Db, profile: &str, now: i64, marks: &[(String, Mark)]) -> Result<u64, DbError> {
    let mut grouped: std::collections::BTreeMap<&Mark, Vec<&str>> = std::collections::BTreeMap::new();
    for (job_id, mark) in marks {
        grouped.entry(mark).or_default().push(job_id);
    }
    let mut statements = 0;
    for (mark, ids) in grouped {
        let error: Option<String> = mark.error.as_ref().map(|e| e.chars().take(255).collect());
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "UPDATE eb_jobs_live SET last_checked_ts = ?, cancel_attempts = cancel_attempts + ?, action_stage = ?, \
                 last_action_error = ? WHERE server_id = ? AND job_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            with_pool!(db, pool => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(now)
                    .bind(i64::from(mark.attempted))
                    .bind(mark.stage)
                    .bind(error.as_deref())
                    .bind(profile);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(pool).await?;
            });
            statements += 1;
        }
    }
    Ok(statements)
}
