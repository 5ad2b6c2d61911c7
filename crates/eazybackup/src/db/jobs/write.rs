//! The worker's side of the job tables: job observations queued in a [`JobBatch`] and written
//! with their `job:*` outbox rows in the caller's transaction, and progress of live jobs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::rows::{LIVE_COLUMNS, LiveRow};
use super::{IDS_PER_STATEMENT, Owner, non_negative, now_unix, status_class};
use crate::db::events::{self, EventId, EventKind, NewEvent, Tx};
use crate::db::schema::{EB_JOBS_LIVE, EB_JOBS_RECENT_24H};
use crate::db::tenancy::{self, ClientId};
use crate::db::text_fit;
use crate::db::upsert::dialect_of;
use crate::db::{Db, DbError, Dialect};
use crate::views::JobView;
use crate::with_tx;

/// A job seen starting (`SEVT_JOB_NEW`, or found running by a reconcile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStart {
    pub job_id: String,
    pub username: String,
    /// Comet DeviceID.
    pub device_id: String,
    pub device_name: Option<String>,
    /// Comet SourceGUID (the protected item).
    pub item_id: String,
    pub item_name: Option<String>,
    /// Comet DestinationGUID (the vault).
    pub vault_id: String,
    pub classification: i64,
    /// Comet status, normally 6001 (running).
    pub status: i64,
    pub started_at: i64,
}

/// Progress of a running job (from the bulk poll of running jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobProgress {
    pub job_id: String,
    pub status: i64,
    pub bytes_done: i64,
    pub total_bytes: i64,
    pub upload_bytes: i64,
    pub progress_counter: i64,
}

/// A job seen finished (`SEVT_JOB_COMPLETED`, a reconcile, or the monitor): what a start says,
/// with `job.status` the exact final Comet status (5xxx or 7xxx), and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEnd {
    pub job: JobStart,
    pub ended_at: i64,
    pub total_bytes: i64,
    pub upload_bytes: i64,
}

/// What a job observation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobWrite {
    /// Now live, `job:start` queued.
    Started,
    /// Now finished, `job:end` queued.
    Ended,
    /// A replayed or late observation: nothing (beyond a leftover live row) changes.
    Unchanged,
}

/// What the database (plus this batch) knows about one job.
#[derive(Debug, Clone, Copy, Default)]
struct JobState {
    /// A live row exists or is queued.
    live: bool,
    /// A row in `eb_jobs_recent_24h` exists or is queued: the job is terminal.
    ended: bool,
    /// That row says abandoned (7007): Comet revives such a job when its device reports again,
    /// and the job's real end then replaces the row.
    abandoned: bool,
}

#[derive(Debug)]
struct LiveInsert {
    username: String,
    device: String,
    classification: i64,
    started_at: i64,
    status: i64,
    owner: Owner,
    item: String,
    vault: String,
    now: i64,
}

#[derive(Debug)]
struct RecentInsert {
    username: String,
    device: String,
    classification: i64,
    class: &'static str,
    bytes: i64,
    duration: i64,
    ended_at: i64,
    status: i64,
    owner: Owner,
    started_at: i64,
    item: String,
    vault: String,
    total_bytes: i64,
    upload_bytes: i64,
}

/// The job writes of one transaction, applied with a few multi-row statements instead of three
/// or four per event. Lives no longer than the transaction it was loaded in: what it knows about
/// existing rows is only true inside that transaction.
///
/// The rules are those of the single-event functions they replace: a start is written unless the
/// job is live or finished (a late `SEVT_JOB_NEW` never resurrects a finished job); an end is
/// written unless the job is finished already (then only a leftover live row is removed, and no
/// second `job:end`); an end without a start is fine.
#[derive(Debug)]
pub struct JobBatch {
    profile: String,
    state: HashMap<String, JobState>,
    // BTreeMaps/Sets: rows go out sorted by key, so concurrent writers lock in the same order.
    live_inserts: BTreeMap<String, LiveInsert>,
    recent_inserts: BTreeMap<String, RecentInsert>,
    live_deletes: BTreeSet<String>,
    /// Abandoned rows a revived job's real end replaces (deleted before the inserts).
    recent_deletes: BTreeSet<String>,
    outbox: Vec<NewEvent>,
}

/// Comet's "abandoned" (`AdminJobAbandon`, or Comet's own timeout): the one final status a job
/// can leave again.
const ABANDONED: i64 = 7007;

/// Rows per multi-row INSERT (14–18 placeholders each).
const ROWS_PER_INSERT: usize = 200;

impl JobBatch {
    pub fn new(profile: &str) -> JobBatch {
        JobBatch {
            profile: profile.to_string(),
            state: HashMap::new(),
            live_inserts: BTreeMap::new(),
            recent_inserts: BTreeMap::new(),
            live_deletes: BTreeSet::new(),
            recent_deletes: BTreeSet::new(),
            outbox: Vec::new(),
        }
    }

    /// Reads, in one statement per 400 ids, which of `job_ids` are live or finished. Call it
    /// with every job id of the batch before [`start`](Self::start)/[`end`](Self::end), which
    /// otherwise read a missing id on their own (one statement each).
    pub async fn load<'a>(&mut self, tx: &mut Tx, job_ids: impl IntoIterator<Item = &'a str>) -> Result<(), DbError> {
        let mut missing: Vec<&str> = job_ids.into_iter().filter(|id| !self.state.contains_key(*id)).collect();
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(IDS_PER_STATEMENT) {
            let list = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT job_id, CASE WHEN comet_status = {ABANDONED} THEN 'abandoned' ELSE 'ended' END \
                 FROM eb_jobs_recent_24h WHERE server_id = ? AND job_id IN ({list}) \
                 UNION ALL SELECT job_id, 'live' FROM eb_jobs_live WHERE server_id = ? AND job_id IN ({list})"
            );
            let rows: Vec<(String, String)> = with_tx!(&mut *tx, conn => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(self.profile.as_str());
                for id in chunk {
                    q = q.bind(*id);
                }
                q = q.bind(self.profile.as_str());
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(&mut *conn).await?
            });
            for id in chunk {
                self.state.insert((*id).to_string(), JobState::default());
            }
            for (id, table) in rows {
                let s = self.state.entry(id).or_default();
                match table.as_str() {
                    "live" => s.live = true,
                    "abandoned" => (s.ended, s.abandoned) = (true, true),
                    _ => s.ended = true,
                }
            }
        }
        Ok(())
    }

    /// A job seen running. `now` stamps `last_update` and the outbox row.
    pub async fn start(&mut self, tx: &mut Tx, job: &JobStart, owner: Owner, now: i64) -> Result<JobWrite, DbError> {
        if !job_keys_fit(&self.profile, &job.job_id, &job.username) {
            return Ok(JobWrite::Unchanged);
        }
        self.load(tx, [job.job_id.as_str()]).await?;
        let state = self.state.entry(job.job_id.clone()).or_default();
        if state.live || state.ended {
            return Ok(JobWrite::Unchanged);
        }
        state.live = true;
        let username = tenancy::normalize_username(&job.username);
        let view = JobView::started(&self.profile, &username, owner, job, now);
        self.outbox.push(NewEvent::new(owner.map(|o| o.0), &self.profile, &username, EventKind::JobStart, &view, now)?);
        self.live_inserts.insert(
            job.job_id.clone(),
            LiveInsert {
                username,
                device: text_fit::reference_or_empty(&EB_JOBS_LIVE, "device", &job.device_id).to_string(),
                classification: job.classification,
                started_at: non_negative(job.started_at),
                status: job.status,
                owner,
                item: text_fit::reference_or_empty(&EB_JOBS_LIVE, "source_guid", &job.item_id).to_string(),
                vault: text_fit::reference_or_empty(&EB_JOBS_LIVE, "destination_guid", &job.vault_id).to_string(),
                now,
            },
        );
        Ok(JobWrite::Started)
    }

    /// A job seen finished.
    pub async fn end(&mut self, tx: &mut Tx, end: &JobEnd, owner: Owner, now: i64) -> Result<JobWrite, DbError> {
        if !job_keys_fit(&self.profile, &end.job.job_id, &end.job.username) {
            return Ok(JobWrite::Unchanged);
        }
        self.load(tx, [end.job.job_id.as_str()]).await?;
        let state = self.state.entry(end.job.job_id.clone()).or_default();
        let was_live = std::mem::replace(&mut state.live, false);
        if was_live && self.live_inserts.remove(&end.job.job_id).is_none() {
            self.live_deletes.insert(end.job.job_id.clone());
        }
        // A revived job (abandoned, then its device reported again) ends for real: its final
        // state replaces the 7007 row. Any other second end changes nothing.
        let revived_end = state.abandoned && end.job.status != ABANDONED;
        if state.ended && !revived_end {
            return Ok(JobWrite::Unchanged);
        }
        if revived_end && self.recent_inserts.remove(&end.job.job_id).is_none() {
            self.recent_deletes.insert(end.job.job_id.clone());
        }
        state.ended = true;
        state.abandoned = end.job.status == ABANDONED;
        let username = tenancy::normalize_username(&end.job.username);
        let class = status_class(end.job.status);
        let view = JobView::ended(&self.profile, &username, owner, end, class, now);
        self.outbox.push(NewEvent::new(owner.map(|o| o.0), &self.profile, &username, EventKind::JobEnd, &view, now)?);
        // The legacy `bytes` column means "uploaded", falling back to the job's total size.
        let bytes = if end.upload_bytes > 0 { end.upload_bytes } else { end.total_bytes };
        self.recent_inserts.insert(
            end.job.job_id.clone(),
            RecentInsert {
                username,
                device: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "device", &end.job.device_id).to_string(),
                classification: end.job.classification,
                class,
                bytes: non_negative(bytes),
                duration: (end.ended_at - end.job.started_at).max(0),
                ended_at: non_negative(end.ended_at),
                status: end.job.status,
                owner,
                started_at: non_negative(end.job.started_at),
                item: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "source_guid", &end.job.item_id).to_string(),
                vault: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "destination_guid", &end.job.vault_id).to_string(),
                total_bytes: non_negative(end.total_bytes),
                upload_bytes: non_negative(end.upload_bytes),
            },
        );
        Ok(JobWrite::Ended)
    }

    /// Hands over the `job:*` outbox rows queued so far, for a caller that appends them itself
    /// together with other announcements, in the order things were observed; [`flush`](Self::flush)
    /// then writes the rows only.
    pub fn take_announcements(&mut self) -> Vec<NewEvent> {
        std::mem::take(&mut self.outbox)
    }

    /// Nothing queued.
    pub fn is_empty(&self) -> bool {
        self.live_inserts.is_empty()
            && self.recent_inserts.is_empty()
            && self.live_deletes.is_empty()
            && self.recent_deletes.is_empty()
            && self.outbox.is_empty()
    }

    /// Writes everything queued (row changes first, then the outbox rows in observation order)
    /// and empties the queues; what the batch knows about each job stays valid for `tx`.
    /// Returns the outbox row's id when exactly one was written.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<Option<EventId>, DbError> {
        let live: Vec<_> = std::mem::take(&mut self.live_inserts).into_iter().collect();
        for chunk in live.chunks(ROWS_PER_INSERT) {
            insert_live_rows(tx, &self.profile, chunk).await?;
        }
        // `eb_jobs_hourly_counts` follows the rows in this transaction: minus the replaced rows,
        // plus the inserted ones.
        let mut counts: BTreeMap<(String, i64, &'static str), i64> = BTreeMap::new();
        let replaced: Vec<_> = std::mem::take(&mut self.recent_deletes).into_iter().collect();
        for chunk in replaced.chunks(IDS_PER_STATEMENT) {
            for (username, status, ended_at) in recent_keys(tx, &self.profile, chunk).await? {
                if let Some(class) = known_class(&status) {
                    *counts.entry((username, ended_at.div_euclid(HOUR), class)).or_default() -= 1;
                }
            }
            let sql = format!(
                "DELETE FROM eb_jobs_recent_24h WHERE server_id = ? AND job_id IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            with_tx!(&mut *tx, conn => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.profile.as_str());
                for id in chunk {
                    q = q.bind(id.as_str());
                }
                q.execute(&mut *conn).await?;
            });
        }
        let recent: Vec<_> = std::mem::take(&mut self.recent_inserts).into_iter().collect();
        for chunk in recent.chunks(ROWS_PER_INSERT) {
            insert_recent_rows(tx, &self.profile, chunk).await?;
        }
        for (_, r) in &recent {
            *counts.entry((r.username.clone(), r.ended_at.div_euclid(HOUR), r.class)).or_default() += 1;
        }
        counts.retain(|_, n| *n != 0);
        let counts: Vec<_> = counts.into_iter().collect();
        for chunk in counts.chunks(ROWS_PER_INSERT) {
            add_hourly_counts(tx, &self.profile, chunk).await?;
        }
        let deletes: Vec<_> = std::mem::take(&mut self.live_deletes).into_iter().collect();
        for chunk in deletes.chunks(IDS_PER_STATEMENT) {
            let sql =
                format!("DELETE FROM eb_jobs_live WHERE server_id = ? AND job_id IN ({})", vec!["?"; chunk.len()].join(", "));
            with_tx!(&mut *tx, conn => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.profile.as_str());
                for id in chunk {
                    q = q.bind(id.as_str());
                }
                q.execute(&mut *conn).await?;
            });
        }
        let outbox = std::mem::take(&mut self.outbox);
        events::append_many(tx, &outbox).await
    }
}

/// Whether a job's keys fit `eb_jobs_live` and `eb_jobs_recent_24h` (the same widths). A job
/// that does not fit is refused alone and logged: a cut id could collide with another job.
fn job_keys_fit(profile: &str, job_id: &str, username: &str) -> bool {
    let fit = text_fit::key(&EB_JOBS_LIVE, "job_id", job_id)
        .and_then(|_| text_fit::key(&EB_JOBS_RECENT_24H, "job_id", job_id))
        .and_then(|_| text_fit::key(&EB_JOBS_LIVE, "username", username));
    if let Err(e) = &fit {
        let (job, user): (String, String) = (job_id.chars().take(80).collect(), username.chars().take(80).collect());
        tracing::warn!(profile, username = %user, job = %job, reason = %e, "job refused: a key does not fit");
    }
    fit.is_ok()
}

/// Seconds per bucket of `eb_jobs_hourly_counts`.
pub const HOUR: i64 = 3600;

/// A stored class (`eb_jobs_recent_24h.status`) as the `'static` string the batch keys on.
fn known_class(status: &str) -> Option<&'static str> {
    comet::StatusClass::parse(status).map(|c| c.as_str())
}

/// `(username, status, ended_at)` of the `eb_jobs_recent_24h` rows of `job_ids`.
async fn recent_keys(tx: &mut Tx, profile: &str, job_ids: &[String]) -> Result<Vec<(String, String, i64)>, DbError> {
    let sql = format!(
        "SELECT username, status, CAST(ended_at AS SIGNED) FROM eb_jobs_recent_24h WHERE server_id = ? AND job_id IN ({})",
        vec!["?"; job_ids.len()].join(", ")
    );
    let rows = with_tx!(&mut *tx, conn => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile);
        for id in job_ids {
            q = q.bind(id.as_str());
        }
        q.fetch_all(&mut *conn).await?
    });
    Ok(rows)
}

/// Adds each `((username, hour, class), delta)` to `eb_jobs_hourly_counts` (one upsert).
async fn add_hourly_counts(tx: &mut Tx, profile: &str, rows: &[((String, i64, &'static str), i64)]) -> Result<(), DbError> {
    let values = vec!["(?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let head = format!("INSERT INTO eb_jobs_hourly_counts (server_id, username, hour, status, n) VALUES {values}");
    let sql = match dialect_of(tx) {
        Dialect::MySql => format!("{head} ON DUPLICATE KEY UPDATE n = n + VALUES(n)"),
        Dialect::Sqlite => format!("{head} ON CONFLICT (server_id, username, hour, status) DO UPDATE SET n = n + excluded.n"),
    };
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((username, hour, class), delta) in rows {
            q = q.bind(profile).bind(username.as_str()).bind(*hour).bind(*class).bind(*delta);
        }
        q.execute(&mut *conn).await?;
    });
    Ok(())
}

async fn insert_live_rows(tx: &mut Tx, profile: &str, rows: &[(String, LiveInsert)]) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO eb_jobs_live (server_id, job_id, username, device, job_type, started_at, bytes_done, last_update, \
         status, client_id, service_id, classification, source_guid, destination_guid, progress_ts) VALUES {}",
        vec!["(?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)"; rows.len()].join(", ")
    );
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (job_id, r) in rows {
            q = q
                .bind(profile)
                .bind(job_id.as_str())
                .bind(r.username.as_str())
                .bind(r.device.as_str())
                .bind(r.classification.to_string())
                .bind(r.started_at)
                .bind(r.now)
                .bind(r.status)
                .bind(r.owner.map(|o| o.0.0))
                .bind(r.owner.map(|o| o.1))
                .bind(r.classification)
                .bind(r.item.as_str())
                .bind(r.vault.as_str())
                .bind(r.now);
        }
        q.execute(&mut *conn).await?;
    });
    Ok(())
}

async fn insert_recent_rows(tx: &mut Tx, profile: &str, rows: &[(String, RecentInsert)]) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO eb_jobs_recent_24h (server_id, job_id, username, device, job_type, status, bytes, duration_sec, ended_at, \
         comet_status, client_id, service_id, classification, started_at, source_guid, destination_guid, total_bytes, upload_bytes) \
         VALUES {}",
        vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows.len()].join(", ")
    );
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (job_id, r) in rows {
            q = q
                .bind(profile)
                .bind(job_id.as_str())
                .bind(r.username.as_str())
                .bind(r.device.as_str())
                .bind(r.classification.to_string())
                .bind(r.class)
                .bind(r.bytes)
                .bind(r.duration)
                .bind(r.ended_at)
                .bind(r.status)
                .bind(r.owner.map(|o| o.0.0))
                .bind(r.owner.map(|o| o.1))
                .bind(r.classification)
                .bind(r.started_at)
                .bind(r.item.as_str())
                .bind(r.vault.as_str())
                .bind(r.total_bytes)
                .bind(r.upload_bytes);
        }
        q.execute(&mut *conn).await?;
    });
    Ok(())
}

/// Records a job start in its own transaction: inserts it into `eb_jobs_live` and appends
/// `job:start`. Returns `None` (and writes nothing) when the job is already live (a replayed
/// start) or already finished. The worker batches instead ([`JobBatch`]).
pub async fn record_job_start(db: &Db, profile: &str, job: &JobStart) -> Result<Option<EventId>, DbError> {
    let owner = tenancy::service_for_account(db, profile, &job.username).await?;
    let mut tx = events::begin(db).await?;
    let mut batch = JobBatch::new(profile);
    let id = match batch.start(&mut tx, job, owner, now_unix()).await? {
        JobWrite::Started => batch.flush(&mut tx).await?,
        _ => None,
    };
    tx.commit().await?;
    Ok(id)
}

/// Records a job end in its own transaction: inserts it into `eb_jobs_recent_24h` (class + exact
/// status), removes it from `eb_jobs_live` and appends `job:end`. Idempotent: when the job is
/// already recorded as ended, only a leftover live row is removed and no event is written.
pub async fn record_job_end(db: &Db, profile: &str, job: &JobEnd) -> Result<Option<EventId>, DbError> {
    let owner = tenancy::service_for_account(db, profile, &job.job.username).await?;
    let mut tx = events::begin(db).await?;
    let mut batch = JobBatch::new(profile);
    let written = batch.end(&mut tx, job, owner, now_unix()).await?;
    let id = batch.flush(&mut tx).await?;
    tx.commit().await?;
    Ok(if written == JobWrite::Ended { id } else { None })
}

const UPDATE_PROGRESS: &str = "\
UPDATE eb_jobs_live SET status = ?, bytes_done = ?, total_bytes = ?, upload_bytes = ?,
  progress_counter = ?, progress_ts = ?, last_update = ?
WHERE server_id = ? AND job_id = ?";

/// Records progress of a live job inside `tx` and appends `job:progress`. `None` when the job is
/// not live (never seen starting, or already ended): progress never creates a row. Flush any
/// [`JobBatch`] of the same transaction first, or its queued `job:start` lands after this.
pub async fn progress_job(tx: &mut Tx, profile: &str, p: &JobProgress, now: i64) -> Result<Option<EventId>, DbError> {
    let updated = with_tx!(&mut *tx, conn => {
        sqlx::query(UPDATE_PROGRESS)
            .bind(p.status)
            .bind(non_negative(p.bytes_done))
            .bind(non_negative(p.total_bytes))
            .bind(non_negative(p.upload_bytes))
            .bind(non_negative(p.progress_counter))
            .bind(now)
            .bind(now)
            .bind(profile)
            .bind(&p.job_id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if updated == 0 {
        return Ok(None);
    }
    let sql = format!("SELECT {LIVE_COLUMNS} FROM eb_jobs_live WHERE server_id = ? AND job_id = ?");
    let row: LiveRow = with_tx!(&mut *tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(&p.job_id).fetch_one(&mut *conn).await?
    });
    let client = row.client_id.map(ClientId);
    let mut view = JobView::from_live(row, None);
    // The browser replaces its card with this payload: it must carry the names a start did.
    let (device_name, item_name): (Option<String>, Option<String>) = with_tx!(&mut *tx, conn => {
        sqlx::query_as(
            "SELECT (SELECT name FROM comet_devices WHERE profile = ? AND username = ? AND hash = ?), \
             (SELECT name FROM comet_items WHERE profile = ? AND id = ?)",
        )
        .bind(profile)
        .bind(&view.username)
        .bind(&view.device_id)
        .bind(profile)
        .bind(&view.item_id)
        .fetch_one(&mut *conn)
        .await?
    });
    view.device_name = view.device_name.take().or(device_name);
    view.item_name = view.item_name.take().or(item_name);
    let id = events::append(tx, client, profile, &view.username, EventKind::JobProgress, &view, now).await?;
    Ok(Some(id))
}

/// [`progress_job`] in its own transaction.
pub async fn record_job_progress(db: &Db, profile: &str, p: &JobProgress) -> Result<Option<EventId>, DbError> {
    let mut tx = events::begin(db).await?;
    let id = progress_job(&mut tx, profile, p, now_unix()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Jobs per statement of [`progress_jobs`]: the UPDATE binds 11 values per job (five `CASE`s of
/// two and the `IN` list), 2,200 placeholders, far below both backends' limits.
pub const PROGRESS_PER_STATEMENT: usize = 200;

/// [`progress_job`] for many jobs inside `tx`, with a few multi-row statements per
/// [`PROGRESS_PER_STATEMENT`] jobs instead of four per job: one `UPDATE … CASE`, one re-read of
/// the updated rows, one read of their device and item names; then one multi-row
/// append of every `job:progress` (in `batch` order). The rows and events are those the per-job
/// path writes: a job that is not live gets nothing, each live job one event carrying its row and
/// names. A job listed twice counts once, with its last progress. Returns how many jobs were live.
pub async fn progress_jobs(tx: &mut Tx, profile: &str, batch: &[JobProgress], now: i64) -> Result<usize, DbError> {
    // Last progress per job, in the order of each job's first appearance.
    let mut order: Vec<&str> = Vec::with_capacity(batch.len());
    let mut latest: HashMap<&str, &JobProgress> = HashMap::with_capacity(batch.len());
    for p in batch {
        if latest.insert(p.job_id.as_str(), p).is_none() {
            order.push(p.job_id.as_str());
        }
    }
    let mut outbox = Vec::with_capacity(order.len());
    for chunk in order.chunks(PROGRESS_PER_STATEMENT) {
        let progress: Vec<&JobProgress> = chunk.iter().map(|id| latest[id]).collect();
        update_progress_rows(tx, profile, &progress, now).await?;
        let list = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT {LIVE_COLUMNS} FROM eb_jobs_live WHERE server_id = ? AND job_id IN ({list})");
        let rows: Vec<LiveRow> = with_tx!(&mut *tx, conn => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(&mut *conn).await?
        });
        let mut rows: HashMap<String, LiveRow> = rows.into_iter().map(|r| (r.job_id.clone(), r)).collect();
        // Rows in input order; a job without a row was not live.
        let rows: Vec<LiveRow> = chunk.iter().filter_map(|id| rows.remove(*id)).collect();
        if rows.is_empty() {
            continue;
        }
        let names = names_for_rows(tx, profile, &rows).await?;
        for (row, (device_name, item_name)) in rows.into_iter().zip(names) {
            let client = row.client_id.map(ClientId);
            let mut view = JobView::from_live(row, None);
            // The browser replaces its card with this payload: it must carry the names a start did.
            view.device_name = view.device_name.take().or(device_name);
            view.item_name = view.item_name.take().or(item_name);
            outbox.push(NewEvent::new(client, profile, &view.username, EventKind::JobProgress, &view, now)?);
        }
    }
    events::append_many(tx, &outbox).await?;
    Ok(outbox.len())
}

async fn update_progress_rows(tx: &mut Tx, profile: &str, rows: &[&JobProgress], now: i64) -> Result<(), DbError> {
    let case = || vec!["WHEN ? THEN ?"; rows.len()].join(" ");
    let sql = format!(
        "UPDATE eb_jobs_live SET status = CASE job_id {c} ELSE status END, \
         bytes_done = CASE job_id {c} ELSE bytes_done END, total_bytes = CASE job_id {c} ELSE total_bytes END, \
         upload_bytes = CASE job_id {c} ELSE upload_bytes END, progress_counter = CASE job_id {c} ELSE progress_counter END, \
         progress_ts = ?, last_update = ? WHERE server_id = ? AND job_id IN ({list})",
        c = case(),
        list = vec!["?"; rows.len()].join(", ")
    );
    let columns: [fn(&JobProgress) -> i64; 5] = [
        |p| p.status,
        |p| non_negative(p.bytes_done),
        |p| non_negative(p.total_bytes),
        |p| non_negative(p.upload_bytes),
        |p| non_negative(p.progress_counter),
    ];
    with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for column in columns {
            for p in rows {
                q = q.bind(p.job_id.as_str()).bind(column(p));
            }
        }
        q = q.bind(now).bind(now).bind(profile);
        for p in rows {
            q = q.bind(p.job_id.as_str());
        }
        q.execute(&mut *conn).await?;
    });
    Ok(())
}

/// The device and item names of each of `rows` (in that order), with one statement: a
/// `UNION ALL` of the per-job path's two scalar subqueries per row, so keys compare exactly as
/// they did there (the backend's collation).
async fn names_for_rows(tx: &mut Tx, profile: &str, rows: &[LiveRow]) -> Result<Vec<(Option<String>, Option<String>)>, DbError> {
    let one = "SELECT CAST(? AS SIGNED) AS k, \
               (SELECT name FROM comet_devices WHERE profile = ? AND username = ? AND hash = ?) AS d, \
               (SELECT name FROM comet_items WHERE profile = ? AND id = ?) AS i";
    let sql = vec![one; rows.len()].join(" UNION ALL ");
    let found: Vec<(i64, Option<String>, Option<String>)> = with_tx!(&mut *tx, conn => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for (k, r) in rows.iter().enumerate() {
            q = q
                .bind(k as i64)
                .bind(profile)
                .bind(r.username.as_str())
                .bind(r.device.as_str())
                .bind(profile)
                .bind(r.source_guid.as_deref().unwrap_or(""));
        }
        q.fetch_all(&mut *conn).await?
    });
    let mut names = vec![(None, None); rows.len()];
    for (k, device, item) in found {
        if let Some(slot) = usize::try_from(k).ok().and_then(|k| names.get_mut(k)) {
            *slot = (device, item);
        }
    }
    Ok(names)
}
