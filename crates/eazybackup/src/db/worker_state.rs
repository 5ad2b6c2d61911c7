//! `eb_worker_state`: whether each profile's worker holds a Comet event stream, since when, and a
//! heartbeat it refreshes while it runs. A worker that dies without a word (SIGKILL, power loss)
//! leaves `connected = 1` behind, so readers trust the flag only with a fresh heartbeat
//! ([`HEARTBEAT_STALE_SECS`]).

use crate::db::{Db, DbError, Dialect};
use crate::with_pool;

/// A heartbeat older than this means the worker is gone, whatever the flag says (the worker
/// refreshes it at least every [`HEARTBEAT_EVERY_SECS`]).
pub const HEARTBEAT_STALE_SECS: i64 = 120;
pub const HEARTBEAT_EVERY_SECS: i64 = 30;

const COLUMNS: [&str; 6] = ["profile", "connected", "since", "heartbeat_at", "pid", "last_error"];

fn upsert_sql(dialect: Dialect) -> String {
    crate::db::upsert::upsert(dialect, "eb_worker_state", &COLUMNS, &["profile"], &COLUMNS[1..])
}

async fn write(db: &Db, profile: &str, connected: bool, since: i64, now: i64, error: Option<&str>) -> Result<(), DbError> {
    let sql = upsert_sql(db.dialect());
    let error = error.map(|e| crate::db::text_fit::display_owned(&crate::db::schema::EB_WORKER_STATE, "last_error", e));
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(profile).bind(i64::from(connected)).bind(since).bind(now).bind(i64::from(std::process::id())).bind(error)
        .execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The stream is up (after its login and gap reconcile).
pub async fn connected(db: &Db, profile: &str, now: i64) -> Result<(), DbError> {
    write(db, profile, true, now, now, None).await
}

/// The stream is down (`error`: why), since `now`.
pub async fn disconnected(db: &Db, profile: &str, now: i64, error: Option<&str>) -> Result<(), DbError> {
    write(db, profile, false, now, now, error).await
}

/// Still alive: refreshes the heartbeat only.
pub async fn heartbeat(db: &Db, profile: &str, now: i64) -> Result<(), DbError> {
    with_pool!(db, pool => sqlx::query("UPDATE eb_worker_state SET heartbeat_at = ? WHERE profile = ?")
        .bind(now).bind(profile).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// What a reader sees of one profile's worker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkerState {
    /// Connected with a fresh heartbeat.
    pub connected: bool,
    /// When it connected (connected) or went down (not connected); `None` when no worker ever ran.
    pub since: Option<i64>,
    pub heartbeat_at: Option<i64>,
    pub last_error: Option<String>,
}

pub async fn read(db: &Db, profile: &str, now: i64) -> Result<WorkerState, DbError> {
    type Row = (i64, i64, i64, Option<String>);
    let row: Option<Row> = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(connected AS SIGNED), since, heartbeat_at, last_error FROM eb_worker_state WHERE profile = ?"
    ).bind(profile).fetch_optional(pool).await?);
    Ok(match row {
        None => WorkerState { connected: false, since: None, heartbeat_at: None, last_error: None },
        Some((flag, since, heartbeat, last_error)) => {
            let fresh = now - heartbeat <= HEARTBEAT_STALE_SECS;
            let connected = flag != 0 && fresh;
            // A dead worker's flag says connected: it has been down since its last heartbeat.
            let since = if flag != 0 && !fresh { heartbeat } else { since };
            WorkerState { connected, since: Some(since), heartbeat_at: Some(heartbeat), last_error }
        }
    })
}
