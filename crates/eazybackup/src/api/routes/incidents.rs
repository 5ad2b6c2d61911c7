//! `POST /api/v1/incidents/snooze`: hide one of the client's incidents for a while.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::error::{ApiError, ApiJson};
use crate::api::openapi::{Authenticated, Limited, Scoped, Write};
use crate::api::rate_limit::{Limit, class};
use crate::api::scope::ClientServices;
use crate::db::jobs;
use crate::db::{events, incidents};

/// One week: the longest snooze the UI offers.
pub const MAX_SNOOZE_MINUTES: i64 = 10_080;

/// A job is named by its profile and id everywhere: job ids are unique per Comet server only.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SnoozeRequest {
    pub profile: String,
    pub job_id: String,
    pub minutes: i64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, ToSchema)]
pub struct SnoozeResponse {
    pub profile: String,
    pub job_id: String,
    pub until_ts: i64,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(snooze))
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

/// Hides one of the client's incidents (job `profile`/`job_id`) for `minutes` (1–10080). The job's
/// service must be the client's (404) and Active (403 `read_only`).
#[utoipa::path(post, path = "/incidents/snooze", operation_id = "incident.snooze", tag = "incidents",
    security(("bearer" = [])),
    request_body = SnoozeRequest,
    responses((status = 200, description = "Snoozed until `until_ts`.", body = SnoozeResponse), Authenticated, Scoped, Write, Limited))]
pub async fn snooze(
    State(state): State<AppState>,
    scope: ClientServices,
    audit: AuditNote,
    _limit: Limit<class::CheapWrite>,
    ApiJson(req): ApiJson<SnoozeRequest>,
) -> Result<Json<SnoozeResponse>, ApiError> {
    validate(&req)?;
    let (profile, job_id) = (req.profile.trim(), req.job_id.trim());
    audit.set_target(format!("{profile}/{job_id}"));
    // Ownership is re-resolved on every write: the job must belong to one of the client's
    // accounts right now, whatever the browser claims.
    let owner =
        jobs::owning_account(&state.db, profile, job_id, &scope.accounts()).await?.ok_or(ApiError::NotFound("That job"))?;
    audit.set_account(owner.service_id, &owner.profile, &owner.username);
    // The job names the service here, not the path; the rule is the same one `WritableService` applies.
    owner.service_id.ok_or(ApiError::NotFound("That service")).and_then(|id| scope.writable(id))?;
    let now = chrono::Utc::now().timestamp();
    let until_ts = now + req.minutes * 60;
    let mut tx = events::begin(&state.db).await?;
    incidents::snooze(&mut tx, scope.client, &owner.profile, job_id, until_ts).await?;
    audit.ok_in(&mut tx, Some(&format!("until {until_ts}")), now).await?;
    tx.commit().await?;
    Ok(Json(SnoozeResponse { profile: owner.profile, job_id: job_id.to_string(), until_ts }))
}
