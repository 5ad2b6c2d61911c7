//! `GET /api/v1/pulse/snapshot`: the Protection Pulse first paint (running jobs, last-24 h
//! incidents not snoozed, counts). Live updates then come from the SSE stream.
//!
//! Bounded: at most [`INCIDENT_LIMIT`] incidents (the newest), with `incidents_total` saying how
//! many there are; the counts cover every finished job of the window.

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
/// Incidents a snapshot lists (newest first): a screenful and then some; a client with more sees
/// the total and the newest.
pub const INCIDENT_LIMIT: u32 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct Snapshot {
    pub generated_at: i64,
    pub running: Vec<JobView>,
    /// The newest [`INCIDENT_LIMIT`] incidents.
    pub incidents: Vec<Incident>,
    /// All incidents of the window (not snoozed), listed or not.
    pub incidents_total: i64,
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
    let mut running = jobs::running_unnamed(&state.db, &accounts).await?;
    let mut page = jobs::incidents_unnamed(&state.db, client, &accounts, since, now, INCIDENT_LIMIT).await?;
    // One name lookup for both lists.
    jobs::fill_names(&state.db, running.iter_mut().chain(page.incidents.iter_mut().map(|i| &mut i.job)).collect()).await;
    let mut counts = jobs::finished_counts(&state.db, &accounts, since).await?;
    counts.running = i64::try_from(running.len()).unwrap_or(i64::MAX);
    Ok(Json(Snapshot { generated_at: now, running, incidents: page.incidents, incidents_total: page.total, counts }))
}
