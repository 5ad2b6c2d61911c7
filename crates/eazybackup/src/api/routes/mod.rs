//! The customer routes, one module per resource, each with its own `router()`; [`router`] nests
//! them under `/api/v1`.

pub mod events;
pub mod incidents;
pub mod pulse;
pub mod services;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::api::AppState;

/// Every route, rooted at `/api/v1`.
pub fn router() -> Router<AppState> {
    let v1 = Router::new()
        .route("/health", get(health))
        .merge(services::router())
        .merge(pulse::router())
        .merge(incidents::router())
        .merge(events::router());
    Router::new().nest("/api/v1", v1)
}

/// Liveness for load balancers and the addon's settings check (no auth, no database), with the
/// live streams' figures for operators and the benchmark (counts only, nothing about a client).
async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "ok": true, "streams": state.hub.figures() }))
}
