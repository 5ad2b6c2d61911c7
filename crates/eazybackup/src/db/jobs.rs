//! The live job tables: `eb_jobs_live` (running now) and `eb_jobs_recent_24h` (finished, pruned
//! at 48 h). The worker queues job observations in a [`JobBatch`] and writes them with their
//! `eb_events` rows in one transaction per batch, so the SSE stream never announces a change that
//! did not commit (or misses one that did). The API reads them with `running_for_accounts` / `incidents_for_accounts`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::db::events::{self, EventId, EventKind, NewEvent, Tx};
use crate::db::schema::{EB_JOBS_LIVE, EB_JOBS_RECENT_24H};
use crate::db::tenancy::{self, ClientId};
use crate::db::text_fit;
use crate::db::{Db, DbError};
use crate::views::{ClassCounts, Incident, JobView};
use crate::{with_pool, with_tx};

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

/// A job seen finished (`SEVT_JOB_COMPLETED`, a reconcile, or the monitor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEnd {
    pub job_id: String,
    pub username: String,
    pub device_id: String,
    pub device_name: Option<String>,
    pub item_id: String,
    pub item_name: Option<String>,
    pub vault_id: String,
    pub classification: i64,
    /// Exact final Comet status (5xxx or 7xxx).
    pub status: i64,
    pub started_at: i64,
    pub ended_at: i64,
    pub total_bytes: i64,
    pub upload_bytes: i64,
}

/// Dashboard class of a Comet status (`comet::status`, the project's one mapping). Negative
/// codes cannot come from Comet; they map like any unknown code.
pub fn status_class(status: i64) -> &'static str {
    comet::JobStatus(u64::try_from(status).unwrap_or(u64::MAX)).class().as_str()
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Legacy columns are UNSIGNED on MySQL; never hand them a negative number.
fn non_negative(v: i64) -> i64 {
    v.max(0)
}

/// The WHMCS client and service owning a Comet account (`tenancy::service_for_account`), or
/// `None` when no service does (such rows and events are stamped with no client).
pub type Owner = Option<(ClientId, i64)>;

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
    outbox: Vec<NewEvent>,
}

/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 400;
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
                "SELECT job_id, 'ended' FROM eb_jobs_recent_24h WHERE server_id = ? AND job_id IN ({list}) \
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
                if table == "ended" {
                    s.ended = true;
                } else {
                    s.live = true;
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
    pub async fn end(&mut self, tx: &mut Tx, job: &JobEnd, owner: Owner, now: i64) -> Result<JobWrite, DbError> {
        if !job_keys_fit(&self.profile, &job.job_id, &job.username) {
            return Ok(JobWrite::Unchanged);
        }
        self.load(tx, [job.job_id.as_str()]).await?;
        let state = self.state.entry(job.job_id.clone()).or_default();
        let was_live = std::mem::replace(&mut state.live, false);
        if was_live && self.live_inserts.remove(&job.job_id).is_none() {
            self.live_deletes.insert(job.job_id.clone());
        }
        if state.ended {
            return Ok(JobWrite::Unchanged);
        }
        state.ended = true;
        let username = tenancy::normalize_username(&job.username);
        let class = status_class(job.status);
        let view = JobView::ended(&self.profile, &username, owner, job, class, now);
        self.outbox.push(NewEvent::new(owner.map(|o| o.0), &self.profile, &username, EventKind::JobEnd, &view, now)?);
        // The legacy `bytes` column means "uploaded", falling back to the job's total size.
        let bytes = if job.upload_bytes > 0 { job.upload_bytes } else { job.total_bytes };
        self.recent_inserts.insert(
            job.job_id.clone(),
            RecentInsert {
                username,
                device: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "device", &job.device_id).to_string(),
                classification: job.classification,
                class,
                bytes: non_negative(bytes),
                duration: (job.ended_at - job.started_at).max(0),
                ended_at: non_negative(job.ended_at),
                status: job.status,
                owner,
                started_at: non_negative(job.started_at),
                item: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "source_guid", &job.item_id).to_string(),
                vault: text_fit::reference_or_empty(&EB_JOBS_RECENT_24H, "destination_guid", &job.vault_id).to_string(),
                total_bytes: non_negative(job.total_bytes),
                upload_bytes: non_negative(job.upload_bytes),
            },
        );
        Ok(JobWrite::Ended)
    }

    /// Nothing queued.
    pub fn is_empty(&self) -> bool {
        self.live_inserts.is_empty() && self.recent_inserts.is_empty() && self.live_deletes.is_empty() && self.outbox.is_empty()
    }

    /// Writes everything queued (row changes first, then the outbox rows in observation order)
    /// and empties the queues; what the batch knows about each job stays valid for `tx`.
    /// Returns the outbox row's id when exactly one was written.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<Option<EventId>, DbError> {
        let live: Vec<_> = std::mem::take(&mut self.live_inserts).into_iter().collect();
        for chunk in live.chunks(ROWS_PER_INSERT) {
            insert_live_rows(tx, &self.profile, chunk).await?;
        }
        let recent: Vec<_> = std::mem::take(&mut self.recent_inserts).into_iter().collect();
        for chunk in recent.chunks(ROWS_PER_INSERT) {
            insert_recent_rows(tx, &self.profile, chunk).await?;
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
    let owner = tenancy::service_for_account(db, profile, &job.username).await?;
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
    let row: LiveTuple = with_tx!(&mut *tx, conn => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(&p.job_id).fetch_one(&mut *conn).await?
    });
    let row = LiveRow::from_tuple(row);
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

/// `(server_id = ? AND username = ?) OR …` for `n` accounts; callers bind profile, username pairs.
fn accounts_clause(n: usize, alias: &str) -> String {
    let one = format!("({alias}.server_id = ? AND {alias}.username = ?)");
    vec![one; n].join(" OR ")
}

// Legacy columns may be UNSIGNED on MySQL (not decodable as i64): cast every integer we read.
const LIVE_COLUMNS: &str = "\
server_id, job_id, username, device, CAST(started_at AS SIGNED) AS started_at,
CAST(bytes_done AS SIGNED) AS bytes_done, CAST(last_update AS SIGNED) AS last_update, CAST(status AS SIGNED) AS status,
CAST(client_id AS SIGNED) AS client_id, CAST(service_id AS SIGNED) AS service_id,
CAST(classification AS SIGNED) AS classification, source_guid, destination_guid,
CAST(progress_counter AS SIGNED) AS progress_counter, CAST(total_bytes AS SIGNED) AS total_bytes,
CAST(upload_bytes AS SIGNED) AS upload_bytes";

// sqlx's derive macros are not enabled in this workspace: rows are read as tuples.
type LiveTuple = (
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

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

impl LiveRow {
    fn from_tuple(t: LiveTuple) -> Self {
        let (
            server_id,
            job_id,
            username,
            device,
            started_at,
            bytes_done,
            last_update,
            status,
            client_id,
            service_id,
            classification,
            source_guid,
            destination_guid,
            progress_counter,
            total_bytes,
            upload_bytes,
        ) = t;
        LiveRow {
            server_id,
            job_id,
            username,
            device,
            started_at,
            bytes_done,
            last_update,
            status,
            client_id,
            service_id,
            classification,
            source_guid,
            destination_guid,
            progress_counter,
            total_bytes,
            upload_bytes,
        }
    }
}

/// An account key and the service that owns it in the current request's scope.
#[derive(Debug, Clone)]
pub struct Account {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
}

impl From<&tenancy::Service> for Account {
    fn from(s: &tenancy::Service) -> Self {
        Account { profile: s.profile.clone(), username: s.username.clone(), service_id: Some(s.service_id) }
    }
}

fn service_of(accounts: &[Account], profile: &str, username: &str) -> Option<i64> {
    let username = tenancy::normalize_username(username);
    accounts.iter().find(|a| a.profile == profile && a.username == username).and_then(|a| a.service_id)
}

/// Fills `device_name`/`item_name` from the worker's `comet_devices`/`comet_items` mirrors, each
/// looked up by its full key — (profile, username, DeviceID) and (profile, item id): the same ids
/// exist on other servers and in other accounts. Two queries per call, never one per job. Names
/// are cosmetic, so a failure is logged, not raised.
async fn fill_names(db: &Db, views: &mut [JobView]) {
    let mut devices: Vec<(&str, &str, &str)> = views
        .iter()
        .filter(|v| !v.device_id.is_empty())
        .map(|v| (v.profile.as_str(), v.username.as_str(), v.device_id.as_str()))
        .collect();
    devices.sort_unstable();
    devices.dedup();
    let mut items: Vec<(&str, &str)> =
        views.iter().filter(|v| !v.item_id.is_empty()).map(|v| (v.profile.as_str(), v.item_id.as_str())).collect();
    items.sort_unstable();
    items.dedup();
    let names = async {
        let mut device_names: Vec<(String, String, String, Option<String>)> = Vec::new();
        for chunk in devices.chunks(IDS_PER_STATEMENT / 3) {
            let sql = format!(
                "SELECT profile, username, hash, name FROM comet_devices WHERE {}",
                vec!["(profile = ? AND username = ? AND hash = ?)"; chunk.len()].join(" OR ")
            );
            let rows: Vec<(String, String, String, Option<String>)> = with_pool!(db, pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for (p, u, d) in chunk {
                    q = q.bind(*p).bind(*u).bind(*d);
                }
                q.fetch_all(pool).await?
            });
            device_names.extend(rows);
        }
        let mut item_names: Vec<(String, String, Option<String>)> = Vec::new();
        for chunk in items.chunks(IDS_PER_STATEMENT / 2) {
            let sql = format!(
                "SELECT profile, id, name FROM comet_items WHERE {}",
                vec!["(profile = ? AND id = ?)"; chunk.len()].join(" OR ")
            );
            let rows: Vec<(String, String, Option<String>)> = with_pool!(db, pool => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for (p, i) in chunk {
                    q = q.bind(*p).bind(*i);
                }
                q.fetch_all(pool).await?
            });
            item_names.extend(rows);
        }
        Ok::<_, DbError>((device_names, item_names))
    };
    let (device_names, item_names) = match names.await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "reading device/item names failed; showing ids");
            return;
        }
    };
    let non_empty = |n: &Option<String>| n.clone().filter(|n| !n.is_empty());
    for view in views.iter_mut() {
        let device = device_names
            .iter()
            .find(|(p, u, d, _)| *p == view.profile && *u == view.username && *d == view.device_id)
            .and_then(|r| non_empty(&r.3));
        let item = item_names.iter().find(|(p, i, _)| *p == view.profile && *i == view.item_id).and_then(|r| non_empty(&r.2));
        view.device_name = view.device_name.take().or(device);
        view.item_name = view.item_name.take().or(item);
    }
}

/// Running jobs of these accounts, oldest first.
pub async fn running_for_accounts(db: &Db, accounts: &[Account]) -> Result<Vec<JobView>, DbError> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {LIVE_COLUMNS} FROM eb_jobs_live j WHERE {} ORDER BY started_at, job_id",
        accounts_clause(accounts.len(), "j")
    );
    let rows: Vec<LiveTuple> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.fetch_all(pool).await?
    });
    let mut views: Vec<JobView> = rows
        .into_iter()
        .map(|t| {
            let r = LiveRow::from_tuple(t);
            let service = service_of(accounts, &r.server_id, &r.username);
            JobView::from_live(r, service)
        })
        .collect();
    fill_names(db, &mut views).await;
    Ok(views)
}

const RECENT_COLUMNS: &str = "\
r.server_id, r.job_id, r.username, r.device, r.status AS class, CAST(r.comet_status AS SIGNED) AS comet_status,
CAST(r.classification AS SIGNED) AS classification, CAST(r.started_at AS SIGNED) AS started_at,
CAST(r.ended_at AS SIGNED) AS ended_at, CAST(r.total_bytes AS SIGNED) AS total_bytes,
CAST(r.upload_bytes AS SIGNED) AS upload_bytes, CAST(r.bytes AS SIGNED) AS bytes,
CAST(r.service_id AS SIGNED) AS service_id, r.source_guid, r.destination_guid";

type RecentTuple = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

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

impl RecentRow {
    fn from_tuple(t: RecentTuple) -> Self {
        let (
            server_id,
            job_id,
            username,
            device,
            class,
            comet_status,
            classification,
            started_at,
            ended_at,
            total_bytes,
            upload_bytes,
            bytes,
            service_id,
            source_guid,
            destination_guid,
            until_ts,
        ) = t;
        RecentRow {
            server_id,
            job_id,
            username,
            device,
            class,
            comet_status,
            classification,
            started_at,
            ended_at,
            total_bytes,
            upload_bytes,
            bytes,
            service_id,
            source_guid,
            destination_guid,
            until_ts,
        }
    }
}

/// Warning/error/missed jobs of these accounts that ended at or after `since`, newest first,
/// minus those `client` has snoozed past `now`.
pub async fn incidents_for_accounts(
    db: &Db,
    client: ClientId,
    accounts: &[Account],
    since: i64,
    now: i64,
) -> Result<Vec<Incident>, DbError> {
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {RECENT_COLUMNS}, CAST(a.until_ts AS SIGNED) AS until_ts
         FROM eb_jobs_recent_24h r
         LEFT JOIN eb_incident_ack a ON a.client_id = ? AND a.profile = r.server_id AND a.job_id = r.job_id
         WHERE ({}) AND r.ended_at >= ? AND r.status IN ('warning','error','missed')
           AND (a.until_ts IS NULL OR a.until_ts <= ?)
         ORDER BY r.ended_at DESC, r.job_id",
        accounts_clause(accounts.len(), "r")
    );
    let rows: Vec<RecentTuple> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(client.0);
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.bind(since).bind(now).fetch_all(pool).await?
    });
    let mut incidents: Vec<Incident> = rows
        .into_iter()
        .map(|t| {
            let r = RecentRow::from_tuple(t);
            let service = service_of(accounts, &r.server_id, &r.username);
            Incident::from_recent(r, service)
        })
        .collect();
    let mut views: Vec<JobView> = incidents.iter().map(|i| i.job.clone()).collect();
    fill_names(db, &mut views).await;
    for (incident, view) in incidents.iter_mut().zip(views) {
        incident.job = view;
    }
    Ok(incidents)
}

/// Counts of finished jobs by class since `since` (`running` is left for the caller to fill from
/// the live table).
pub async fn finished_counts(db: &Db, accounts: &[Account], since: i64) -> Result<ClassCounts, DbError> {
    let mut counts = ClassCounts::default();
    if accounts.is_empty() {
        return Ok(counts);
    }
    let sql = format!(
        "SELECT r.status, COUNT(*) FROM eb_jobs_recent_24h r WHERE ({}) AND r.ended_at >= ? GROUP BY r.status",
        accounts_clause(accounts.len(), "r")
    );
    let rows: Vec<(String, i64)> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for a in accounts {
            q = q.bind(a.profile.as_str()).bind(a.username.as_str());
        }
        q.bind(since).fetch_all(pool).await?
    });
    for (class, n) in rows {
        match class.as_str() {
            "success" => counts.success += n,
            "warning" => counts.warning += n,
            "error" => counts.error += n,
            "missed" => counts.missed += n,
            _ => {} // legacy 'skipped' rows are not shown
        }
    }
    Ok(counts)
}

/// The account job (`profile`, `job_id`) belongs to, if it is one of `accounts` (live or
/// finished): the ownership check for any job the browser names. Job ids are unique per Comet
/// server only, so a job is always named with its profile.
pub async fn owning_account(db: &Db, profile: &str, job_id: &str, accounts: &[Account]) -> Result<Option<Account>, DbError> {
    if accounts.is_empty() {
        return Ok(None);
    }
    for table in ["eb_jobs_recent_24h", "eb_jobs_live"] {
        let sql = format!(
            "SELECT j.server_id, j.username FROM {table} j WHERE j.server_id = ? AND j.job_id = ? AND ({}) LIMIT 1",
            accounts_clause(accounts.len(), "j")
        );
        let row: Option<(String, String)> = with_pool!(db, pool => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(profile).bind(job_id);
            for a in accounts {
                q = q.bind(a.profile.as_str()).bind(a.username.as_str());
            }
            q.fetch_optional(pool).await?
        });
        if let Some((profile, username)) = row {
            let service_id = service_of(accounts, &profile, &username);
            return Ok(Some(Account { profile, username, service_id }));
        }
    }
    Ok(None)
}
