//! `eb_audit_log`: one row per customer action (who, which service, what, outcome).

use crate::db::DbError;
use crate::db::events::Tx;
use crate::db::schema::EB_AUDIT_LOG;
use crate::db::tenancy::ClientId;
use crate::db::text_fit;
use crate::with_tx;

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
    pub service_id: Option<i64>,
    pub profile: &'a str,
    pub username: &'a str,
    /// e.g. `incident.snooze`.
    pub action: &'a str,
    /// e.g. the job id.
    pub target: &'a str,
    pub result: AuditResult,
    pub message: Option<&'a str>,
}

const INSERT: &str =
    "INSERT INTO eb_audit_log (client_id, service_id, profile, username, action, target, result, message, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Appends `entry` inside `tx` (so an action and its audit row commit together).
pub async fn append(tx: &mut Tx, entry: &AuditEntry<'_>, now: i64) -> Result<(), DbError> {
    // Over-long browser input is cut rather than failing the action it records.
    let t = &EB_AUDIT_LOG;
    with_tx!(tx, conn => {
        sqlx::query(INSERT)
            .bind(entry.client.0)
            .bind(entry.service_id)
            .bind(text_fit::display(t, "profile", entry.profile))
            .bind(text_fit::display(t, "username", entry.username))
            .bind(text_fit::display(t, "action", entry.action))
            .bind(text_fit::display(t, "target", entry.target))
            .bind(entry.result.as_str())
            .bind(entry.message.map(|m| text_fit::display(t, "message", m)))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
