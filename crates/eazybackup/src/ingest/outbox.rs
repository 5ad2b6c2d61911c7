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
