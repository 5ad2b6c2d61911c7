//! The job rows as read, by column name, for both backends (the same generic mapping serves the
//! MySQL and the SQLite pool).

use sqlx::{ColumnIndex, Decode, FromRow, Row, Type};

// Legacy columns may be UNSIGNED on MySQL (not decodable as i64): cast every integer we read.
pub const LIVE_COLUMNS: &str = "\
server_id, job_id, username, device, CAST(started_at AS SIGNED) AS started_at,
CAST(bytes_done AS SIGNED) AS bytes_done, CAST(last_update AS SIGNED) AS last_update, CAST(status AS SIGNED) AS status,
CAST(client_id AS SIGNED) AS client_id, CAST(service_id AS SIGNED) AS service_id,
CAST(classification AS SIGNED) AS classification, source_guid, destination_guid,
CAST(progress_counter AS SIGNED) AS progress_counter, CAST(total_bytes AS SIGNED) AS total_bytes,
CAST(upload_bytes AS SIGNED) AS upload_bytes";

/// Every column of [`RecentRow`] but `until_ts`, which the reader joins in (`eb_incident_ack`).
pub const RECENT_COLUMNS: &str = "\
r.server_id AS server_id, r.job_id AS job_id, r.username AS username, r.device AS device, r.status AS class,
CAST(r.comet_status AS SIGNED) AS comet_status, CAST(r.classification AS SIGNED) AS classification,
CAST(r.started_at AS SIGNED) AS started_at, CAST(r.ended_at AS SIGNED) AS ended_at,
CAST(r.total_bytes AS SIGNED) AS total_bytes, CAST(r.upload_bytes AS SIGNED) AS upload_bytes,
CAST(r.bytes AS SIGNED) AS bytes, CAST(r.service_id AS SIGNED) AS service_id,
r.source_guid AS source_guid, r.destination_guid AS destination_guid";

/// An `eb_jobs_live` row as read.
pub struct LiveRow {
    pub server_id: String,
    pub job_id: String,
    pub username: String,
    pub device: String,
    pub started_at: Option<i64>,
    pub bytes_done: Option<i64>,
    pub last_update: Option<i64>,
    pub status: Option<i64>,
    pub client_id: Option<i64>,
    pub service_id: Option<i64>,
    pub classification: Option<i64>,
    pub source_guid: Option<String>,
    pub destination_guid: Option<String>,
    pub progress_counter: Option<i64>,
    pub total_bytes: Option<i64>,
    pub upload_bytes: Option<i64>,
}

impl<'r, R: Row> FromRow<'r, R> for LiveRow
where
    &'static str: ColumnIndex<R>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(LiveRow {
            server_id: row.try_get("server_id")?,
            job_id: row.try_get("job_id")?,
            username: row.try_get("username")?,
            device: row.try_get("device")?,
            started_at: row.try_get("started_at")?,
            bytes_done: row.try_get("bytes_done")?,
            last_update: row.try_get("last_update")?,
            status: row.try_get("status")?,
            client_id: row.try_get("client_id")?,
            service_id: row.try_get("service_id")?,
            classification: row.try_get("classification")?,
            source_guid: row.try_get("source_guid")?,
            destination_guid: row.try_get("destination_guid")?,
            progress_counter: row.try_get("progress_counter")?,
            total_bytes: row.try_get("total_bytes")?,
            upload_bytes: row.try_get("upload_bytes")?,
        })
    }
}

/// An `eb_jobs_recent_24h` row as read, with the reading client's snooze.
pub struct RecentRow {
    pub server_id: String,
    pub job_id: String,
    pub username: String,
    pub device: String,
    pub class: String,
    pub comet_status: Option<i64>,
    pub classification: Option<i64>,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub total_bytes: Option<i64>,
    pub upload_bytes: Option<i64>,
    pub bytes: Option<i64>,
    pub service_id: Option<i64>,
    pub source_guid: Option<String>,
    pub destination_guid: Option<String>,
    pub until_ts: Option<i64>,
}

impl<'r, R: Row> FromRow<'r, R> for RecentRow
where
    &'static str: ColumnIndex<R>,
    String: Decode<'r, R::Database> + Type<R::Database>,
    i64: Decode<'r, R::Database> + Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(RecentRow {
            server_id: row.try_get("server_id")?,
            job_id: row.try_get("job_id")?,
            username: row.try_get("username")?,
            device: row.try_get("device")?,
            class: row.try_get("class")?,
            comet_status: row.try_get("comet_status")?,
            classification: row.try_get("classification")?,
            started_at: row.try_get("started_at")?,
            ended_at: row.try_get("ended_at")?,
            total_bytes: row.try_get("total_bytes")?,
            upload_bytes: row.try_get("upload_bytes")?,
            bytes: row.try_get("bytes")?,
            service_id: row.try_get("service_id")?,
            source_guid: row.try_get("source_guid")?,
            destination_guid: row.try_get("destination_guid")?,
            until_ts: row.try_get("until_ts")?,
        })
    }
}
