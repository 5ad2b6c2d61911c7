//! `eb_event_cursor`: how far a worker has seen each Comet server's event stream, so that after a
//! gap (reconnect, restart) it knows which window to reconcile from the Admin API.

use crate::db::{Db, DbError};
use crate::with_pool;

/// The cursor row of one source (`comet-ws:<profile>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Unix seconds of the newest event (or reconcile) fully processed.
    pub last_ts: i64,
    /// `ServerStartHash` of the Comet process last connected to: a change means it restarted.
    pub server_start_hash: Option<String>,
}

pub fn source_for_profile(profile: &str) -> String {
    format!("comet-ws:{profile}")
}

pub async fn load(db: &Db, source: &str) -> Result<Option<Cursor>, DbError> {
    let sql = "SELECT CAST(last_ts AS SIGNED) AS last_ts, server_start_hash FROM eb_event_cursor WHERE source = ?";
    let sql_sqlite = "SELECT last_ts, server_start_hash FROM eb_event_cursor WHERE source = ?";
    let row: Option<(i64, Option<String>)> = match db {
        Db::MySql(pool) => sqlx::query_as(sql).bind(source).fetch_optional(pool).await?,
        Db::Sqlite(pool) => sqlx::query_as(sql_sqlite).bind(source).fetch_optional(pool).await?,
    };
    Ok(row.map(|(last_ts, server_start_hash)| Cursor { last_ts, server_start_hash }))
}

/// Stores the cursor; `last_ts` never moves backwards (a late event must not rewind it).
pub async fn save(db: &Db, source: &str, cursor: &Cursor, now: i64) -> Result<(), DbError> {
    let last_ts = cursor.last_ts.max(0);
    with_pool!(db, pool => {
        let updated = sqlx::query(
            "UPDATE eb_event_cursor SET last_ts = CASE WHEN last_ts > ? THEN last_ts ELSE ? END, \
             server_start_hash = ?, updated_at = ? WHERE source = ?",
        )
        .bind(last_ts)
        .bind(last_ts)
        .bind(&cursor.server_start_hash)
        .bind(now)
        .bind(source)
        .execute(pool)
        .await?
        .rows_affected();
        if updated == 0 {
            sqlx::query(
                "INSERT INTO eb_event_cursor (source, last_ts, last_id, server_start_hash, updated_at) VALUES (?, ?, NULL, ?, ?)",
            )
            .bind(source)
            .bind(last_ts)
            .bind(&cursor.server_start_hash)
            .bind(now)
            .execute(pool)
            .await?;
        }
    });
    Ok(())
}
