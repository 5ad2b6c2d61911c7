//! `GET /api/v1/services`: the client's Comet services.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::api::AppState;
use crate::api::auth::AuthClient;
use crate::api::error::ApiError;
use crate::db::tenancy::{self, Service};

pub fn router() -> Router<AppState> {
    Router::new().route("/services", get(list))
}

/// The client's Comet services (Active and Suspended).
pub async fn list(State(state): State<AppState>, AuthClient(client): AuthClient) -> Result<Json<Vec<Service>>, ApiError> {
    Ok(Json(tenancy::services_for_client(&state.db, client).await?))
}
