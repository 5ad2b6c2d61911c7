//! The audit of customer writes, written once (docs/architecture.md "Audit"). Every request that
//! is not a read passes through [`record_writes`] (a route layer over all of `/api/v1`, set in
//! `api::serve`), which leaves an [`AuditNote`] in the request for the extractors and the handler
//! to fill in — client and WHMCS user from the token (`api::auth`), the service from `{id}`
//! (`api::scope`), the target from the handler — and writes one `eb_audit_log` row once the answer
//! is known: `ok`, `denied` (401/403/404/429) or `error`. A handler that commits a change writes
//! its `ok` row inside the same transaction with [`AuditNote::ok_in`], so the change and its row
//! commit together; anything else (every refusal, every failure) is written by the layer.
//!
//! A write route cannot skip it: the layer covers every route, and the action is the route's
//! `operationId` in the OpenAPI document. `tests/it/refusals.rs` asserts one row per write.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::api::error::{ApiError, ErrorCode};
use crate::api::{AppState, client_ip, openapi};
use crate::db::audit::{self, AuditEntry, AuditResult};
use crate::db::events::{self, Tx};
use crate::db::tenancy::{ClientId, Service};
use crate::db::{Db, DbError};

/// What the audit row of one write says so far.
#[derive(Debug, Clone, Default)]
struct Note {
    action: &'static str,
    ip: String,
    client: Option<ClientId>,
    user: Option<i64>,
    service_id: Option<i64>,
    profile: String,
    username: String,
    target: String,
    /// Set by [`AuditNote::ok_in`]: the success row is in the handler's transaction.
    written: bool,
}

/// The audit of the current write request, shared by the layer, the extractors and the handler
/// (a handler takes it as an extractor; outside the audit layer that is a 500, never a silent skip).
#[derive(Debug, Clone)]
pub struct AuditNote(Arc<Mutex<Note>>);

impl AuditNote {
    fn new(action: &'static str, ip: Option<IpAddr>) -> Self {
        AuditNote(Arc::new(Mutex::new(Note { action, ip: ip.map(|i| i.to_string()).unwrap_or_default(), ..Note::default() })))
    }

    fn lock(&self) -> MutexGuard<'_, Note> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The token's client and user (`api::auth`).
    pub fn set_client(&self, client: ClientId, user: Option<i64>) {
        let mut n = self.lock();
        n.client = Some(client);
        n.user = user;
    }

    /// The service the write is about (`api::scope`, or the handler when the service comes from
    /// the body).
    pub fn set_service(&self, service: &Service) {
        self.set_account(Some(service.service_id), &service.profile, &service.username);
    }

    pub fn set_account(&self, service_id: Option<i64>, profile: &str, username: &str) {
        let mut n = self.lock();
        n.service_id = service_id;
        n.profile = profile.to_string();
        n.username = username.to_string();
    }

    /// What the write names (a job `profile/job_id`, a device id, ...).
    pub fn set_target(&self, target: impl Into<String>) {
        self.lock().target = target.into();
    }

    /// Writes the `ok` row inside `tx`, the change's own transaction.
    pub async fn ok_in(&self, tx: &mut Tx, message: Option<&str>, now: i64) -> Result<(), DbError> {
        let note = self.lock().clone();
        let Some(client) = note.client else {
            // Unreachable through the extractors (the token comes first); recorded by the layer then.
            tracing::error!(action = note.action, "audit row without a client");
            return Ok(());
        };
        audit::append(tx, &entry(&note, client, AuditResult::Ok, message), now).await?;
        self.lock().written = true;
        Ok(())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuditNote {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<AuditNote>().cloned().ok_or(ApiError::Internal("write route outside the audit layer"))
    }
}

fn entry<'a>(note: &'a Note, client: ClientId, result: AuditResult, message: Option<&'a str>) -> AuditEntry<'a> {
    AuditEntry {
        client,
        user_id: note.user,
        service_id: note.service_id,
        profile: &note.profile,
        username: &note.username,
        action: note.action,
        target: &note.target,
        result,
        message,
        ip: &note.ip,
    }
}

/// Reads change nothing and are not audited.
fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The outcome a status stands for: refusals of scope, state, token and rate are `denied`.
fn result_of(status: u16) -> AuditResult {
    match status {
        200..=299 => AuditResult::Ok,
        401 | 403 | 404 | 429 => AuditResult::Denied,
        _ => AuditResult::Error,
    }
}

/// The route layer: one audit row per write request whose client is known (a request without a
/// valid token speaks for no one and is only logged).
pub async fn record_writes(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if is_read(req.method()) {
        return next.run(req).await;
    }
    let action = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|p| openapi::operation_id(req.method(), p.as_str()))
        .unwrap_or("undocumented");
    let note = AuditNote::new(action, client_ip::of(&req, &state.settings.trusted_proxies));
    req.extensions_mut().insert(note.clone());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let code = response.extensions().get::<ErrorCode>().map(|c| c.0);
    let note = note.lock().clone();
    let result = result_of(status);
    if note.written && result == AuditResult::Ok {
        return response;
    }
    let Some(client) = note.client else {
        tracing::info!(action, status, "write refused before a client was known; not audited");
        return response;
    };
    if result == AuditResult::Ok {
        // The handler changed something without `ok_in`: the row still gets written, late.
        tracing::warn!(action, "write answered ok without its audit row in its transaction");
    }
    let message = code.map(str::to_string).unwrap_or_else(|| status.to_string());
    if let Err(e) = append_now(&state.db, &entry(&note, client, result, Some(&message))).await {
        tracing::error!(error = %e, action, client = %client, "cannot write the audit row");
    }
    response
}

async fn append_now(db: &Db, entry: &AuditEntry<'_>) -> Result<(), DbError> {
    let mut tx = events::begin(db).await?;
    audit::append(&mut tx, entry, chrono::Utc::now().timestamp()).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_denied_and_failures_are_errors() {
        assert_eq!(result_of(200), AuditResult::Ok);
        for s in [401, 403, 404, 429] {
            assert_eq!(result_of(s), AuditResult::Denied, "{s}");
        }
        for s in [400, 413, 422, 409, 500, 502] {
            assert_eq!(result_of(s), AuditResult::Error, "{s}");
        }
        assert!(is_read(&Method::GET) && !is_read(&Method::POST) && !is_read(&Method::DELETE));
    }
}
