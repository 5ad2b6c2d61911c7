//! `comet_jobs`: the durable job history behind the job list pages (the 24 h table is for
//! incidents). One row per job GUID, upserted on every sighting of the job — start, end,
//! reconcile — in the caller's transaction.
//!
//! A finished job is final: a late or replayed running copy (a `SEVT_JOB_NEW` after the
//! `SEVT_JOB_COMPLETED`, a reconcile read that raced the end) leaves the row as it is. The guard
//! lives in the statement itself so a batch needs no read per job.

use crate::db::events::Tx;
use crate::db::items::comet_device_id;
use crate::db::schema::COMET_JOBS;
use crate::db::tenancy;
use crate::db::text_fit;
use crate::db::timestamp::{DbTime, comet_time};
use crate::db::upsert::{dialect_of, update_ignore};
use crate::db::users::Owner;
use crate::db::{DbError, Dialect};
use crate::with_tx;

const COLUMNS: &[&str] = &[
    "id",
    "profile",
    "content",
    "client_id",
    "username",
    "comet_vault_id",
    "comet_device_id",
    "comet_item_id",
    "type",
    "comet_snapshot_id",
    "comet_cancellation_id",
    "total_bytes",
    "total_files",
    "total_directories",
    "upload_bytes",
    "download_bytes",
    "total_ms_accounts",
    "started_at",
    "ended_at",
    "last_status_at",
    // `status` last: MySQL evaluates ON DUPLICATE KEY assignments left to right, and the guard of
    // every other column reads the stored status.
    "status",
];

/// Stored row is final and the incoming copy is not: keep the row.
const MYSQL_KEEP: &str = "(status >= 5000 AND NOT (status BETWEEN 6000 AND 6999) AND VALUES(status) BETWEEN 6000 AND 6999)";
const SQLITE_KEEP: &str =
    "(comet_jobs.status >= 5000 AND NOT (comet_jobs.status BETWEEN 6000 AND 6999) AND excluded.status BETWEEN 6000 AND 6999)";

/// The upsert for `rows` jobs in one statement (MySQL and SQLite both apply a multi-row upsert
/// row by row, so a GUID twice in one batch ends as its last copy, guard included).
fn upsert_sql(dialect: Dialect, rows: usize) -> String {
    let tuple = format!("({})", vec!["?"; COLUMNS.len()].join(", "));
    let head = format!("INSERT INTO comet_jobs ({}) VALUES {}", COLUMNS.join(", "), vec![tuple; rows].join(", "));
    let updated = &COLUMNS[2..];
    match dialect {
        Dialect::MySql => {
            let sets: Vec<String> = updated.iter().map(|c| format!("{c} = IF({MYSQL_KEEP}, {c}, VALUES({c}))")).collect();
            format!("{head} ON DUPLICATE KEY UPDATE {}", sets.join(", "))
        }
        Dialect::Sqlite => {
            let sets: Vec<String> = updated.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!("{head} ON CONFLICT (profile, id) DO UPDATE SET {} WHERE NOT {SQLITE_KEEP}", sets.join(", "))
        }
    }
}

/// Rows per statement: 21 parameters each stays far below SQLite's and MySQL's parameter limits.
const ROWS_PER_STATEMENT: usize = 400;

/// SMALLINT columns; an out-of-range code is stored as 0 rather than failing the batch.
fn small(v: u64) -> i16 {
    i16::try_from(v).unwrap_or(0)
}

/// One sighting of a job, as `comet_rows` reads it from Comet (`JobHistoryRow::from_job`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobHistoryRow {
    pub job_id: String,
    pub username: String,
    /// Comet DeviceID (hashed with the owner into `comet_device_id`).
    pub device_id: String,
    pub item_id: String,
    pub vault_id: String,
    pub classification: u64,
    pub status: u64,
    /// The status is final (not running, not pending).
    pub finished: bool,
    pub snapshot_id: String,
    pub cancellation_id: String,
    pub total_bytes: i64,
    pub total_files: i64,
    pub total_directories: i64,
    pub upload_bytes: i64,
    pub download_bytes: i64,
    pub total_accounts: i64,
    /// Comet times, unix seconds (0 when unknown).
    pub started_at: i64,
    pub ended_at: i64,
    /// The job as JSON (`comet_jobs.content`).
    pub content: String,
}

/// Records one sighting of a job (running or finished); `comet_device_id` is the historical
/// sha256(client_id ‖ DeviceID).
pub async fn upsert(tx: &mut Tx, profile: &str, job: &JobHistoryRow, owner: &Owner, now: DbTime) -> Result<(), DbError> {
    upsert_many(tx, profile, &[(job, *owner)], now).await
}

/// [`upsert`] for many jobs, a few statements per batch instead of one per job.
pub async fn upsert_many(tx: &mut Tx, profile: &str, jobs: &[(&JobHistoryRow, Owner)], now: DbTime) -> Result<(), DbError> {
    let dialect = dialect_of(tx);
    for chunk in jobs.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<Row> =
            chunk.iter().filter(|(job, _)| keys_fit(profile, job)).map(|(job, owner)| Row::new(job, owner, now)).collect();
        if rows.is_empty() {
            continue;
        }
        adopt_legacy_jobs(tx, profile, &rows).await?;
        let sql = upsert_sql(dialect, rows.len());
        with_tx!(&mut *tx, conn => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in &rows {
                q = q
                    .bind(&r.job.job_id)
                    .bind(profile)
                    .bind(&r.job.content)
                    .bind(r.owner.client())
                    .bind(&r.username)
                    .bind(text_fit::reference_or_empty(&COMET_JOBS, "comet_vault_id", &r.job.vault_id))
                    .bind(&r.device_key)
                    .bind(text_fit::reference_or_empty(&COMET_JOBS, "comet_item_id", &r.job.item_id))
                    .bind(small(r.job.classification))
                    .bind(text_fit::reference(&COMET_JOBS, "comet_snapshot_id", &r.job.snapshot_id).filter(|s| !s.is_empty()))
                    .bind(text_fit::reference_or_empty(&COMET_JOBS, "comet_cancellation_id", &r.job.cancellation_id))
                    .bind(r.job.total_bytes.max(0))
                    .bind(r.job.total_files.max(0))
                    .bind(r.job.total_directories.max(0))
                    .bind(r.job.upload_bytes.max(0))
                    .bind(r.job.download_bytes.max(0))
                    .bind(i32::try_from(r.job.total_accounts.max(0)).unwrap_or(i32::MAX))
                    .bind(comet_time(r.job.started_at))
                    .bind(r.ended)
                    .bind(r.last_status_at)
                    .bind(small(r.job.status));
            }
            q.execute(&mut *conn).await?;
        });
    }
    Ok(())
}

/// Legacy rows (`profile = ''`) of these jobs become the profile's (see
/// `upsert::adopt_legacy_rows`); a job id is unique per server only, so the match is on the id
/// and the account.
async fn adopt_legacy_jobs(tx: &mut Tx, profile: &str, rows: &[Row<'_>]) -> Result<(), DbError> {
    let pairs = vec!["(id = ? AND username = ?)"; rows.len()].join(" OR ");
    let sql = format!("{} comet_jobs SET profile = ? WHERE profile = '' AND ({pairs})", update_ignore(dialect_of(tx)));
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(profile);
        for r in rows {
            q = q.bind(&r.job.job_id).bind(&r.username);
        }
        q.execute(&mut *conn).await?;
    });
    Ok(())
}

/// Whether the job's own keys fit `comet_jobs`; a job that does not is refused alone and logged.
fn keys_fit(profile: &str, job: &JobHistoryRow) -> bool {
    let fit = text_fit::key(&COMET_JOBS, "id", &job.job_id).and_then(|_| text_fit::key(&COMET_JOBS, "username", &job.username));
    if let Err(e) = &fit {
        let (id, user): (String, String) = (job.job_id.chars().take(80).collect(), job.username.chars().take(80).collect());
        tracing::warn!(profile, username = %user, job = %id, reason = %e, "job history row refused: a key does not fit");
    }
    fit.is_ok()
}

/// The derived values of one job row.
struct Row<'a> {
    job: &'a JobHistoryRow,
    owner: Owner,
    username: String,
    device_key: String,
    ended: Option<DbTime>,
    last_status_at: DbTime,
}

impl<'a> Row<'a> {
    fn new(job: &'a JobHistoryRow, owner: &Owner, now: DbTime) -> Row<'a> {
        let ended = if job.finished { comet_time(job.ended_at) } else { None };
        Row {
            job,
            owner: *owner,
            username: tenancy::normalize_username(&job.username),
            device_key: comet_device_id(owner.client_id, &job.device_id),
            ended,
            last_status_at: ended.unwrap_or(now),
        }
    }
}
