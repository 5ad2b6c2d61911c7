//! Reads of `eb_jobs_live` for the bulk progress poll (writes are in `db::jobs`).

use crate::db::{Db, DbError};
use crate::with_pool;

/// What the poll compares against Comet's view of a running job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveJob {
    pub job_id: String,
    pub username: String,
    pub status: i64,
    pub progress_counter: i64,
    pub bytes_done: i64,
    pub started_at: i64,
}

const LIVE_FOR_PROFILE: &str = "\
SELECT job_id, username, CAST(status AS SIGNED), CAST(progress_counter AS SIGNED), CAST(bytes_done AS SIGNED), CAST(started_at AS SIGNED)
FROM eb_jobs_live WHERE server_id = ? ORDER BY job_id";

pub async fn live_jobs(db: &Db, profile: &str) -> Result<Vec<LiveJob>, DbError> {
    type Row = (String, String, i64, i64, i64, i64);
    let rows: Vec<Row> = with_pool!(db, pool => sqlx::query_as(LIVE_FOR_PROFILE).bind(profile).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(job_id, username, status, progress_counter, bytes_done, started_at)| LiveJob {
            job_id,
            username,
            status,
            progress_counter,
            bytes_done,
            started_at,
        })
        .collect())
}
