//! The service's activity page: its audit rows as the customer sees them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::audit::AuditRow;

/// One recorded action on the service (the client's own; the address it came from is kept for
/// support, not shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ActivityEntry {
    pub id: i64,
    /// The route's operationId, e.g. `incident.snooze`.
    pub action: String,
    /// What it named, e.g. `obc/<job id>`.
    pub target: String,
    /// `ok`, `denied` or `error`.
    pub result: String,
    pub message: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// The WHMCS user who acted, when the token named one.
    pub user_id: Option<i64>,
}

/// A page, newest first; `next_before` is the `before` of the next (older) page, none at the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    pub next_before: Option<i64>,
}

impl From<AuditRow> for ActivityEntry {
    fn from(r: AuditRow) -> Self {
        ActivityEntry {
            id: r.id,
            action: r.action,
            target: r.target,
            result: r.result,
            message: r.message,
            created_at: r.created_at,
            user_id: r.user_id,
        }
    }
}

impl ActivityPage {
    /// `rows` as read with one extra beyond `limit`: its presence says an older page exists.
    pub fn of(mut rows: Vec<AuditRow>, limit: usize) -> ActivityPage {
        let more = rows.len() > limit;
        rows.truncate(limit);
        let entries: Vec<ActivityEntry> = rows.into_iter().map(ActivityEntry::from).collect();
        let next_before = if more { entries.last().map(|e| e.id) } else { None };
        ActivityPage { entries, next_before }
    }
}
