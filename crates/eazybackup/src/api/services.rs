//! `GET /api/v1/health` and `GET /api/v1/services`.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::api::AppState;
use crate::api::auth::AuthClient;
use crate::api::error::ApiError;
use crate::db::tenancy::{self, Service};

/// Liveness for load balancers and the addon's settings check (no auth, no database).
pub async fn health() -> Json<Value> {
    Json(json!({ "ok": true }))
}

/// The client's Comet services (Active and Suspended).
pub async fn list(State(state): State<AppState>, AuthClient(client): AuthClient) -> Result<Json<Vec<Service>>, ApiError> {
    Ok(Json(tenancy::services_for_client(&state.db, client).await?))
}
