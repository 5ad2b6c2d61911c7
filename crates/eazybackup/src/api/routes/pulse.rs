//! `GET /api/v1/pulse/snapshot`: the Protection Pulse first paint (running jobs, last-24 h
//! incidents not snoozed, counts). Live updates then come from the SSE stream.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::error::ApiError;
use crate::api::openapi::Authenticated;
use crate::api::scope::ClientServices;
use crate::db::jobs;
use crate::views::{ClassCounts, Incident, JobView};

const INCIDENT_WINDOW_SECS: i64 = 24 * 3600;

#[derive(Debug, Serialize, ToSchema)]
pub struct Snapshot {
    pub generated_at: i64,
    pub running: Vec<JobView>,
    pub incidents: Vec<Incident>,
    pub counts: ClassCounts,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(snapshot))
}

/// Running jobs, the last 24 h incidents not snoozed, and counts, across the client's services.
#[utoipa::path(get, path = "/pulse/snapshot", operation_id = "pulse.snapshot", tag = "pulse",
    security(("bearer" = [])),
    responses((status = 200, description = "The Pulse first paint.", body = Snapshot), Authenticated))]
pub async fn snapshot(State(state): State<AppState>, scope: ClientServices) -> Result<Json<Snapshot>, ApiError> {
    let now = chrono::Utc::now().timestamp();
    let (client, accounts) = (scope.client, scope.accounts());
    let since = now - INCIDENT_WINDOW_SECS;
    let running = jobs::running_for_accounts(&state.db, &accounts).await?;
    let incidents = jobs::incidents_for_accounts(&state.db, client, &accounts, since, now).await?;
    let mut counts = jobs::finished_counts(&state.db, &accounts, since).await?;
    counts.running = i64::try_from(running.len()).unwrap_or(i64::MAX);
    Ok(Json(Snapshot { generated_at: now, running, incidents, counts }))
}
