//! `POST /api/v1/incidents/snooze`: hide one of the client's incidents for a while.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::api::AppState;
use crate::api::error::{ApiError, ApiJson};
use crate::api::scope::ClientServices;
use crate::db::audit::{self, AuditEntry, AuditResult};
use crate::db::jobs;
use crate::db::{events, incidents};

/// One week: the longest snooze the UI offers.
pub const MAX_SNOOZE_MINUTES: i64 = 10_080;
const ACTION: &str = "incident.snooze";

/// A job is named by its profile and id everywhere: job ids are unique per Comet server only.
#[derive(Debug, Deserialize)]
pub struct SnoozeRequest {
    pub profile: String,
    pub job_id: String,
    pub minutes: i64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SnoozeResponse {
    pub profile: String,
    pub job_id: String,
    pub until_ts: i64,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/incidents/snooze", post(snooze))
}

fn validate(req: &SnoozeRequest) -> Result<(), ApiError> {
    if !(1..=MAX_SNOOZE_MINUTES).contains(&req.minutes) {
        return Err(ApiError::Invalid { field: "minutes", message: format!("Snooze for 1 to {MAX_SNOOZE_MINUTES} minutes.") });
    }
    let id = req.job_id.trim();
    if id.is_empty() || id.len() > 128 {
        return Err(ApiError::Invalid { field: "job_id", message: "The job id is missing or too long.".into() });
    }
    let profile = req.profile.trim();
    if profile.is_empty() || profile.len() > 64 {
        return Err(ApiError::Invalid { field: "profile", message: "The job's server is missing or too long.".into() });
    }
    Ok(())
}

pub async fn snooze(
    State(state): State<AppState>,
    scope: ClientServices,
    ApiJson(req): ApiJson<SnoozeRequest>,
) -> Result<Json<SnoozeResponse>, ApiError> {
    validate(&req)?;
    let (profile, job_id) = (req.profile.trim(), req.job_id.trim());
    let now = chrono::Utc::now().timestamp();
    let client = scope.client;
    // Ownership is re-resolved on every write: the job must belong to one of the client's
    // accounts right now, whatever the browser claims.
    let owner = jobs::owning_account(&state.db, profile, job_id, &scope.accounts()).await?;
    let target = format!("{profile}/{job_id}");
    let refused = |profile: &'static str, message: &'static str| AuditEntry {
        client,
        service_id: None,
        profile,
        username: "",
        action: ACTION,
        target: &target,
        result: AuditResult::Denied,
        message: Some(message),
    };
    let mut tx = events::begin(&state.db).await?;
    let Some(owner) = owner else {
        audit::append(&mut tx, &refused("", "job is not one of the client's"), now).await?;
        tx.commit().await?;
        return Err(ApiError::NotFound("That job"));
    };
    // The job names the service here, not the path; the rule is the same one `WritableService` applies.
    let writable = owner.service_id.ok_or(ApiError::NotFound("That service")).and_then(|id| scope.writable(id));
    if let Err(e) = writable {
        let entry = AuditEntry {
            service_id: owner.service_id,
            profile: &owner.profile,
            username: &owner.username,
            ..refused("", "service is not writable")
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        return Err(e);
    }
    let until_ts = now + req.minutes * 60;
    incidents::snooze(&mut tx, client, &owner.profile, job_id, until_ts).await?;
    let message = format!("until {until_ts}");
    let entry = AuditEntry {
        client,
        service_id: owner.service_id,
        profile: &owner.profile,
        username: &owner.username,
        action: ACTION,
        target: &target,
        result: AuditResult::Ok,
        message: Some(&message),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Json(SnoozeResponse { profile: owner.profile, job_id: job_id.to_string(), until_ts }))
}
