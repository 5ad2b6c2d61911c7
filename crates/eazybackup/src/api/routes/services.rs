//! `GET /api/v1/services`: the client's Comet services.

use axum::routing::get;
use axum::{Json, Router};

use crate::api::AppState;
use crate::api::scope::ClientServices;
use crate::db::tenancy::Service;

pub fn router() -> Router<AppState> {
    Router::new().route("/services", get(list))
}

/// The client's Comet services (Active and Suspended).
pub async fn list(scope: ClientServices) -> Json<Vec<Service>> {
    Json(scope.services)
}
