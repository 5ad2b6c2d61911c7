//! `POST /api/v1/incidents/snooze`: hide one of the client's incidents for a while.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::api::AppState;
use crate::api::auth::AuthClient;
use crate::api::error::{ApiError, ApiJson};
use crate::db::audit::{self, AuditEntry, AuditResult};
use crate::db::jobs::{self, Account};
use crate::db::{events, incidents, tenancy};

/// One week: the longest snooze the UI offers.
pub const MAX_SNOOZE_MINUTES: i64 = 10_080;
const ACTION: &str = "incident.snooze";

#[derive(Debug, Deserialize)]
pub struct SnoozeRequest {
    pub job_id: String,
    pub minutes: i64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SnoozeResponse {
    pub job_id: String,
    pub until_ts: i64,
}

fn validate(req: &SnoozeRequest) -> Result<(), ApiError> {
    if !(1..=MAX_SNOOZE_MINUTES).contains(&req.minutes) {
        return Err(ApiError::Invalid {
            code: "invalid_minutes",
            message: format!("Snooze for 1 to {MAX_SNOOZE_MINUTES} minutes."),
        });
    }
    let id = req.job_id.trim();
    if id.is_empty() || id.len() > 128 {
        return Err(ApiError::Invalid { code: "invalid_job_id", message: "The job id is missing or too long.".into() });
    }
    Ok(())
}

pub async fn snooze(
    State(state): State<AppState>,
    AuthClient(client): AuthClient,
    ApiJson(req): ApiJson<SnoozeRequest>,
) -> Result<Json<SnoozeResponse>, ApiError> {
    validate(&req)?;
    let job_id = req.job_id.trim();
    let now = chrono::Utc::now().timestamp();
    // Ownership is re-resolved on every write: the job must belong to one of the client's
    // accounts right now, whatever the browser claims.
    let services = tenancy::services_for_client(&state.db, client).await?;
    let accounts: Vec<Account> = services.iter().map(Account::from).collect();
    let owner = jobs::owning_account(&state.db, job_id, &accounts).await?;
    let mut tx = events::begin(&state.db).await?;
    let Some(owner) = owner else {
        let entry = AuditEntry {
            client,
            service_id: None,
            profile: "",
            username: "",
            action: ACTION,
            target: job_id,
            result: AuditResult::Denied,
            message: Some("job is not one of the client's"),
        };
        audit::append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        return Err(ApiError::NotFound("That job"));
    };
    let until_ts = now + req.minutes * 60;
    incidents::snooze(&mut tx, client, job_id, until_ts).await?;
    let message = format!("until {until_ts}");
    let entry = AuditEntry {
        client,
        service_id: owner.service_id,
        profile: &owner.profile,
        username: &owner.username,
        action: ACTION,
        target: job_id,
        result: AuditResult::Ok,
        message: Some(&message),
    };
    audit::append(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Json(SnoozeResponse { job_id: job_id.to_string(), until_ts }))
}
