//! `eb_audit_log`: one row per customer action (who, which service, what, outcome, from where).

use crate::db::events::Tx;
use crate::db::schema::EB_AUDIT_LOG;
use crate::db::tenancy::ClientId;
use crate::db::text_fit;
use crate::db::{Db, DbError};
use crate::{with_pool, with_tx};

/// How a customer action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditResult {
    Ok,
    Error,
    /// Refused: the target was not the client's, or the service is read-only.
    Denied,
}

impl AuditResult {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditResult::Ok => "ok",
            AuditResult::Error => "error",
            AuditResult::Denied => "denied",
        }
    }
}

/// One audit row. `profile`/`username` are empty when the target could not be resolved to one of
/// the client's accounts (a denied action).
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub client: ClientId,
    /// The WHMCS user the token names (v1 tokens name none).
    pub user_id: Option<i64>,
    pub service_id: Option<i64>,
    pub profile: &'a str,
    pub username: &'a str,
    /// e.g. `incident.snooze`.
    pub action: &'a str,
    /// e.g. the job id.
    pub target: &'a str,
    pub result: AuditResult,
    pub message: Option<&'a str>,
    /// The client's address, '' when unknown.
    pub ip: &'a str,
}

const INSERT: &str = "INSERT INTO eb_audit_log
  (client_id, user_id, service_id, profile, username, action, target, result, message, ip, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Appends `entry` inside `tx` (so an action and its audit row commit together).
pub async fn append(tx: &mut Tx, entry: &AuditEntry<'_>, now: i64) -> Result<(), DbError> {
    // Over-long browser input is cut rather than failing the action it records.
    let t = &EB_AUDIT_LOG;
    with_tx!(tx, conn => {
        sqlx::query(INSERT)
            .bind(entry.client.0)
            .bind(entry.user_id)
            .bind(entry.service_id)
            .bind(text_fit::display(t, "profile", entry.profile))
            .bind(text_fit::display(t, "username", entry.username))
            .bind(text_fit::display(t, "action", entry.action))
            .bind(text_fit::display(t, "target", entry.target))
            .bind(entry.result.as_str())
            .bind(entry.message.map(|m| text_fit::display(t, "message", m)))
            .bind(text_fit::display(t, "ip", entry.ip))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// One stored row, as the service's activity page reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub result: String,
    pub message: Option<String>,
    pub created_at: i64,
}

const PAGE: &str = "SELECT CAST(id AS SIGNED) AS id, CAST(user_id AS SIGNED) AS user_id, action, target, result, message,
  CAST(created_at AS SIGNED) AS created_at
FROM eb_audit_log WHERE client_id = ? AND service_id = ? AND id < ? ORDER BY id DESC LIMIT ?";

/// The newest `limit` rows of `client`'s `service_id` with an id below `before` (keyset paging:
/// `idx_audit_service` serves it whatever the table's size).
pub async fn page_for_service(
    db: &Db,
    client: ClientId,
    service_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    type Raw = (i64, Option<i64>, String, String, String, Option<String>, i64);
    let rows: Vec<Raw> = with_pool!(db, pool => {
        sqlx::query_as(PAGE)
            .bind(client.0)
            .bind(service_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, user_id, action, target, result, message, created_at)| AuditRow {
            id,
            user_id,
            action,
            target,
            result,
            message,
            created_at,
        })
        .collect())
}
