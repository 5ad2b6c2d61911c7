//! The job history of one account's devices, read from `comet_jobs` for the Devices tab: the last
//! finished backup of every device (one statement for the whole account) and the recent jobs of
//! one device. Rows are keyed by (profile, username) and the derived device key
//! (`items::comet_device_id`), never by a DeviceID alone.

use chrono::{DateTime, Utc};

use crate::db::{Db, DbError};
use crate::with_pool;

/// Finished: a 5xxx or 7xxx status (6xxx is running).
const FINISHED: &str = "(j.status >= 5000 AND (j.status < 6000 OR j.status >= 7000))";
const BACKUP: i64 = 4001;

/// One `comet_jobs` row as the Devices tab shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceJobRow {
    /// `comet_device_id`: the derived device key.
    pub device_key: String,
    pub job_id: String,
    pub item_id: String,
    pub vault_id: String,
    pub classification: i64,
    pub status: i64,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub total_bytes: i64,
    pub upload_bytes: i64,
}

type Raw = (String, String, String, String, i64, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>, i64, i64);

const COLUMNS: &str = "j.comet_device_id, j.id, j.comet_item_id, j.comet_vault_id, CAST(j.type AS SIGNED), \
CAST(j.status AS SIGNED), j.started_at, j.ended_at, CAST(j.total_bytes AS SIGNED), CAST(j.upload_bytes AS SIGNED)";

fn row(r: Raw) -> DeviceJobRow {
    DeviceJobRow {
        device_key: r.0,
        job_id: r.1,
        item_id: r.2,
        vault_id: r.3,
        classification: r.4,
        status: r.5,
        started_at: r.6.map(|t| t.timestamp()),
        ended_at: r.7.map(|t| t.timestamp()),
        total_bytes: r.8,
        upload_bytes: r.9,
    }
}

/// The last finished backup job of every device of the account (by derived device key).
pub async fn last_backups(db: &Db, profile: &str, username: &str) -> Result<Vec<DeviceJobRow>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM comet_jobs j WHERE j.profile = ? AND j.username = ? AND j.type = {BACKUP} AND {FINISHED} \
         AND j.started_at = (SELECT MAX(k.started_at) FROM comet_jobs k WHERE k.profile = j.profile AND k.username = j.username \
         AND k.comet_device_id = j.comet_device_id AND k.type = {BACKUP} AND (k.status >= 5000 AND (k.status < 6000 OR k.status >= 7000))) \
         ORDER BY j.comet_device_id, j.id"
    );
    let rows: Vec<Raw> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username).fetch_all(pool).await?
    });
    // Two jobs may share the newest start: keep one per device.
    let mut out: Vec<DeviceJobRow> = Vec::new();
    for r in rows.into_iter().map(row) {
        if out.last().is_none_or(|l| l.device_key != r.device_key) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The newest `limit` jobs of one device of the account, newest first.
pub async fn recent(db: &Db, profile: &str, username: &str, device_key: &str, limit: i64) -> Result<Vec<DeviceJobRow>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM comet_jobs j WHERE j.profile = ? AND j.username = ? AND j.comet_device_id = ? \
         ORDER BY j.started_at DESC, j.id LIMIT ?"
    );
    let rows: Vec<Raw> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(username).bind(device_key).bind(limit).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(row).collect())
}
