//! The `eb_events` outbox: every state change the browser should hear about appends one row in
//! the same transaction as the change; `serve` tails the table by id (see `api::sse`).
//!
//! Also home of [`Tx`], the backend-neutral write transaction the outbox append needs.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use sqlx::{MySql, Sqlite, Transaction};

use crate::db::schema::EB_EVENTS;
use crate::db::tenancy::ClientId;
use crate::db::text_fit;
use crate::db::{Db, DbError};
use crate::with_pool;

/// `eb_events.id`.
pub type EventId = i64;

/// A write transaction on either backend.
pub enum Tx {
    MySql(Transaction<'static, MySql>),
    Sqlite(Transaction<'static, Sqlite>),
}

/// Statements run through [`with_tx!`], [`begin`] and [`Tx::commit`] since the process started:
/// the benchmark's write-amplification figure (statements per event). Process-wide and relaxed —
/// a measurement, not an invariant; read deltas around the work you measure.
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

/// Total statements counted so far (see [`STATEMENTS`]).
pub fn statements_executed() -> u64 {
    STATEMENTS.load(Ordering::Relaxed)
}

thread_local! {
    static THREAD_STATEMENTS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Statements counted on the current thread. Exact for work driven by a current-thread runtime
/// (each `#[tokio::test]`), where the process-wide figure also counts tests running in parallel.
pub fn statements_on_this_thread() -> u64 {
    THREAD_STATEMENTS.with(|c| c.get())
}

/// Statements run straight on the pool through [`with_pool!`](crate::with_pool) (the reads:
/// every customer API query, the SSE poller) since the process started: the benchmark's
/// statements-per-request figure. Kept apart from [`statements_executed`] so the worker's
/// write-amplification figure stays what it was. One per `with_pool!` use; every read path uses
/// one statement per use.
static POOL_STATEMENTS: AtomicU64 = AtomicU64::new(0);

/// Total pool statements counted so far (see [`POOL_STATEMENTS`]).
pub fn pool_statements_executed() -> u64 {
    POOL_STATEMENTS.load(Ordering::Relaxed)
}

/// Counts one pool statement (used by [`with_pool!`](crate::with_pool)).
#[doc(hidden)]
pub fn count_pool_statement() {
    POOL_STATEMENTS.fetch_add(1, Ordering::Relaxed);
}

fn count_statement() {
    STATEMENTS.fetch_add(1, Ordering::Relaxed);
    THREAD_STATEMENTS.with(|c| c.set(c.get() + 1));
}

/// Counts one statement and hands the transaction back (used by [`with_tx!`]).
#[doc(hidden)]
pub fn counted(tx: &mut Tx) -> &mut Tx {
    count_statement();
    tx
}

/// Runs the same body against the concrete connection inside `$tx` (a `&mut Tx`); `$conn` is a
/// `&mut <Backend>Connection`, reborrow it (`&mut *conn`) for each statement. Each use counts as
/// one statement in [`statements_executed`], so keep one statement per use.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $crate::db::events::counted($tx) {
            $crate::db::events::Tx::MySql(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::events::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction that
/// reads and then writes can fail with SQLITE_BUSY_SNAPSHOT, which skips the busy timeout.
pub async fn begin(db: &Db) -> Result<Tx, DbError> {
    count_statement();
    Ok(match db {
        Db::MySql(pool) => Tx::MySql(pool.begin().await?),
        Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
    })
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbError> {
        count_statement();
        match self {
            Tx::MySql(t) => t.commit().await?,
            Tx::Sqlite(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// What an outbox row announces (the SSE `event:` name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    JobStart,
    JobProgress,
    JobEnd,
    DeviceNew,
    DeviceRemoved,
    DeviceOnline,
    DeviceOffline,
    DeviceUpdated,
    ItemsChanged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::JobStart => "job:start",
            EventKind::JobProgress => "job:progress",
            EventKind::JobEnd => "job:end",
            EventKind::DeviceNew => "device:new",
            EventKind::DeviceRemoved => "device:removed",
            EventKind::DeviceOnline => "device:online",
            EventKind::DeviceOffline => "device:offline",
            EventKind::DeviceUpdated => "device:updated",
            EventKind::ItemsChanged => "items:changed",
        }
    }
}

/// One outbox row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: EventId,
    pub client_id: Option<i64>,
    pub profile: String,
    pub username: String,
    pub kind: String,
    /// JSON text, sent to the browser verbatim as the SSE `data:`.
    pub payload: String,
    pub created_at: i64,
}

const INSERT_EVENT: &str =
    "INSERT INTO eb_events (client_id, profile, username, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)";

/// Appends one outbox row inside `tx` and returns its id. `client_id` is `None` for a Comet
/// account no WHMCS service owns (nobody's stream shows it).
pub async fn append(
    tx: &mut Tx,
    client_id: Option<ClientId>,
    profile: &str,
    username: &str,
    kind: EventKind,
    payload: &impl Serialize,
    now: i64,
) -> Result<EventId, DbError> {
    let payload = serde_json::to_string(payload).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?;
    let client = client_id.map(|c| c.0);
    let id = with_tx!(tx, conn => {
        let q = sqlx::query(INSERT_EVENT)
            .bind(client)
            .bind(profile)
            .bind(text_fit::display(&EB_EVENTS, "username", username))
            .bind(kind.as_str())
            .bind(&payload)
            .bind(now);
        insert_id(q.execute(&mut *conn).await?)
    });
    Ok(id)
}

/// One outbox row to append with [`append_many`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub client_id: Option<ClientId>,
    pub profile: String,
    pub username: String,
    pub kind: EventKind,
    /// Serialised JSON.
    pub payload: String,
    pub created_at: i64,
}

impl NewEvent {
    pub fn new(
        client_id: Option<ClientId>,
        profile: &str,
        username: &str,
        kind: EventKind,
        payload: &impl Serialize,
        created_at: i64,
    ) -> Result<NewEvent, DbError> {
        let payload = serde_json::to_string(payload).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?;
        // The row's username is a label (streams route by client id): cut, never a failed write.
        let username = text_fit::display_owned(&EB_EVENTS, "username", username);
        Ok(NewEvent { client_id, profile: profile.into(), username, kind, payload, created_at })
    }
}

/// Rows per multi-row INSERT: 6 placeholders each, far below both backends' limits, and small
/// enough that one statement never approaches `max_allowed_packet` with typical payloads.
const EVENTS_PER_INSERT: usize = 200;

/// Appends `rows` inside `tx`, in slice order (ids ascend in that order), with one multi-row
/// INSERT per [`EVENTS_PER_INSERT`] rows. Returns the id of the single row when exactly one was
/// written (multi-row inserts do not report every id portably).
pub async fn append_many(tx: &mut Tx, rows: &[NewEvent]) -> Result<Option<EventId>, DbError> {
    let mut single = None;
    for chunk in rows.chunks(EVENTS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO eb_events (client_id, profile, username, kind, payload, created_at) VALUES {}",
            vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let id = with_tx!(&mut *tx, conn => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q.bind(r.client_id.map(|c| c.0)).bind(&r.profile).bind(&r.username).bind(r.kind.as_str()).bind(&r.payload).bind(r.created_at);
            }
            insert_id(q.execute(&mut *conn).await?)
        });
        if rows.len() == 1 {
            single = Some(id);
        }
    }
    Ok(single)
}

/// The id an INSERT produced, the same way on both backends.
trait InsertId {
    fn inserted_id(&self) -> i64;
}
impl InsertId for sqlx::mysql::MySqlQueryResult {
    fn inserted_id(&self) -> i64 {
        i64::try_from(self.last_insert_id()).unwrap_or(i64::MAX)
    }
}
impl InsertId for sqlx::sqlite::SqliteQueryResult {
    fn inserted_id(&self) -> i64 {
        self.last_insert_rowid()
    }
}
fn insert_id(r: impl InsertId) -> i64 {
    r.inserted_id()
}

const SELECT_COLUMNS: &str = "CAST(id AS SIGNED) AS id, CAST(client_id AS SIGNED) AS client_id, profile, username, kind, payload, CAST(created_at AS SIGNED) AS created_at FROM eb_events";

// sqlx's derive macros are not enabled in this workspace: rows are read as tuples.
type EventTuple = (i64, Option<i64>, String, String, String, String, i64);

fn from_tuple((id, client_id, profile, username, kind, payload, created_at): EventTuple) -> EventRow {
    EventRow { id, client_id, profile, username, kind, payload, created_at }
}

/// Rows with `id > after_id`, oldest first, at most `limit` (the SSE poller's read).
pub async fn since(db: &Db, after_id: EventId, limit: u32) -> Result<Vec<EventRow>, DbError> {
    let sql = format!("SELECT {SELECT_COLUMNS} WHERE id > ? ORDER BY id LIMIT ?");
    let rows: Vec<EventTuple> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(after_id).bind(i64::from(limit)).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(from_tuple).collect())
}

/// One client's rows with `id > after_id`, oldest first (replay for a resuming SSE stream; uses
/// the `(client_id, id)` index).
pub async fn since_for_client(db: &Db, client: ClientId, after_id: EventId, limit: u32) -> Result<Vec<EventRow>, DbError> {
    let sql = format!("SELECT {SELECT_COLUMNS} WHERE client_id = ? AND id > ? ORDER BY id LIMIT ?");
    let rows: Vec<EventTuple> = with_pool!(db, pool => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(client.0)
            .bind(after_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().map(from_tuple).collect())
}

/// The highest id in the outbox (0 when empty): where a fresh poller starts.
pub async fn max_id(db: &Db) -> Result<EventId, DbError> {
    let max: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar("SELECT CAST(MAX(id) AS SIGNED) FROM eb_events").fetch_one(pool).await?
    });
    Ok(max.unwrap_or(0))
}
