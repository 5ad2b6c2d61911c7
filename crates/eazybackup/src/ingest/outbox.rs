//! Step 4 of a batch, last in its transaction: the outbox rows the apply step collected (what the
//! browser hears, in the order things were observed; `serve` tails them), then the worker's
//! cursor. Both commit with the rows they describe or not at all.

use tracing::debug;

use crate::db::DbError;
use crate::db::cursor::{self, Cursor};
use crate::db::events::{self, EventId, NewEvent, Tx};

/// Where a batch leaves the worker's cursor (written in the batch's transaction).
pub struct CursorWrite<'a> {
    pub source: &'a str,
    pub cursor: &'a Cursor,
}

/// Runs `write`, which queues the outbox rows of what it changes, then appends those rows inside
/// the same transaction: one account written on its own (`profile_sync::apply_profile`,
/// `account_reconcile::remove_account`), announced at once.
pub async fn announced<T>(
    tx: &mut Tx,
    write: impl AsyncFnOnce(&mut Tx, &mut Vec<NewEvent>) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let mut rows = Vec::new();
    let out = write(&mut *tx, &mut rows).await?;
    self::write(tx, &rows, None).await?;
    Ok(out)
}

/// Appends `rows` (a few multi-row statements) and saves `cursor`, inside `tx`. Returns the id
/// of the one row when exactly one was appended.
pub async fn write(tx: &mut Tx, rows: &[NewEvent], cursor: Option<&CursorWrite<'_>>) -> Result<Option<EventId>, DbError> {
    let id = if rows.is_empty() { None } else { events::append_many(tx, rows).await? };
    if let Some(c) = cursor {
        cursor::save_in(tx, c.source, c.cursor, chrono::Utc::now().timestamp()).await?;
        debug!(target: "eazybackup::db", source = c.source, last_ts = c.cursor.last_ts, "cursor saved with the batch");
    }
    Ok(id)
}
