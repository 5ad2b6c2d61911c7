//! `comet_jobs`: the durable job history behind the job list pages (the 24 h table is for
//! incidents). One row per job GUID, upserted on every sighting of the job — start, end,
//! reconcile — in the caller's transaction.
//!
//! A finished job is final: a late or replayed running copy (a `SEVT_JOB_NEW` after the
//! `SEVT_JOB_COMPLETED`, a reconcile read that raced the end) leaves the row as it is. The guard
//! lives in the statement itself so a batch needs no read per job.

use comet::BackupJobDetail;

use crate::db::events::Tx;
use crate::db::items::comet_device_id;
use crate::db::tenancy;
use crate::db::timestamp::{DbTime, comet_time};
use crate::db::upsert::dialect_of;
use crate::db::users::Owner;
use crate::db::{Dialect, DbError};
use crate::with_tx;

const COLUMNS: &[&str] = &[
    "id", "profile", "content", "client_id", "username", "comet_vault_id", "comet_device_id", "comet_item_id", "type",
    "comet_snapshot_id", "comet_cancellation_id", "total_bytes", "total_files", "total_directories", "upload_bytes",
    "download_bytes", "total_ms_accounts", "started_at", "ended_at", "last_status_at",
    // `status` last: MySQL evaluates ON DUPLICATE KEY assignments left to right, and the guard of
    // every other column reads the stored status.
    "status",
];

/// Stored row is final and the incoming copy is not: keep the row.
const MYSQL_KEEP: &str = "(status >= 5000 AND NOT (status BETWEEN 6000 AND 6999) AND VALUES(status) BETWEEN 6000 AND 6999)";
const SQLITE_KEEP: &str = "(comet_jobs.status >= 5000 AND NOT (comet_jobs.status BETWEEN 6000 AND 6999) AND excluded.status BETWEEN 6000 AND 6999)";

fn upsert_sql(dialect: Dialect) -> String {
    let placeholders = vec!["?"; COLUMNS.len()].join(", ");
    let head = format!("INSERT INTO comet_jobs ({}) VALUES ({placeholders})", COLUMNS.join(", "));
    let updated = &COLUMNS[1..];
    match dialect {
        Dialect::MySql => {
            let sets: Vec<String> = updated.iter().map(|c| format!("{c} = IF({MYSQL_KEEP}, {c}, VALUES({c}))")).collect();
            format!("{head} ON DUPLICATE KEY UPDATE {}", sets.join(", "))
        }
        Dialect::Sqlite => {
            let sets: Vec<String> = updated.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!("{head} ON CONFLICT (id) DO UPDATE SET {} WHERE NOT {SQLITE_KEEP}", sets.join(", "))
        }
    }
}

/// SMALLINT columns; an out-of-range code is stored as 0 rather than failing the batch.
fn small(v: u64) -> i16 {
    i16::try_from(v).unwrap_or(0)
}

/// Records one sighting of `job` (running or finished). `content` is the job as Comet sent it
/// (jobs carry no secrets); `comet_device_id` is the historical sha256(client_id ‖ DeviceID).
pub async fn upsert(tx: &mut Tx, profile: &str, job: &BackupJobDetail, owner: &Owner, now: DbTime) -> Result<(), DbError> {
    let content = serde_json::to_string(job).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?;
    let username = tenancy::normalize_username(&job.username);
    let ended = if job.is_finished() { comet_time(job.end_time) } else { None };
    let last_status_at = ended.unwrap_or(now);
    let sql = upsert_sql(dialect_of(tx));
    with_tx!(tx, conn => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&job.guid)
            .bind(profile)
            .bind(&content)
            .bind(owner.client())
            .bind(&username)
            .bind(&job.destination_guid)
            .bind(comet_device_id(owner.client_id, &job.device_id))
            .bind(&job.source_guid)
            .bind(small(job.classification.0))
            .bind(Some(&job.snapshot_id).filter(|s| !s.is_empty()))
            .bind(&job.cancellation_id)
            .bind(job.total_size.max(0))
            .bind(job.total_files.max(0))
            .bind(job.total_directories.max(0))
            .bind(job.upload_size.max(0))
            .bind(job.download_size.max(0))
            .bind(i32::try_from(job.total_accounts_count.max(0)).unwrap_or(i32::MAX))
            .bind(comet_time(job.start_time))
            .bind(ended)
            .bind(last_status_at)
            .bind(small(job.status.0))
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
