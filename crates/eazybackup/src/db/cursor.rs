//! `eb_event_cursor`: how far a worker has seen each Comet server's event stream, so that after a
//! gap (reconnect, restart) it knows which window to reconcile from the Admin API.

use crate::db::events::{self, Tx};
use crate::db::schema::EB_EVENT_CURSOR;
use crate::db::text_fit;
use crate::db::{Db, DbError};
use crate::with_tx;

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
    let mut tx = events::begin(db).await?;
    save_in(&mut tx, source, cursor, now).await?;
    tx.commit().await
}

/// [`save`] inside the caller's transaction: the worker commits the cursor with the batch whose
/// events it covers, so it never runs ahead of what was written.
pub async fn save_in(tx: &mut Tx, source: &str, cursor: &Cursor, now: i64) -> Result<(), DbError> {
    // Both come from the Comet server: a value its column cannot hold must not fail every batch.
    let last_ts = cursor.last_ts.clamp(0, i64::from(u32::MAX));
    let hash = cursor.server_start_hash.as_deref().and_then(|h| text_fit::reference(&EB_EVENT_CURSOR, "server_start_hash", h));
    let updated = with_tx!(&mut *tx, conn => {
        sqlx::query(
            "UPDATE eb_event_cursor SET last_ts = CASE WHEN last_ts > ? THEN last_ts ELSE ? END, \
             server_start_hash = ?, updated_at = ? WHERE source = ?",
        )
        .bind(last_ts)
        .bind(last_ts)
        .bind(hash)
        .bind(now)
        .bind(source)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if updated == 0 {
        with_tx!(&mut *tx, conn => {
            sqlx::query(
                "INSERT INTO eb_event_cursor (source, last_ts, last_id, server_start_hash, updated_at) VALUES (?, ?, NULL, ?, ?)",
            )
            .bind(source)
            .bind(last_ts)
            .bind(hash)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(())
}
