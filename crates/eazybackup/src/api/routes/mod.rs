//! The customer routes, one module per resource, each with its own `router()`; [`router`] nests
//! them under `/api/v1`.

pub mod capabilities;
pub mod events;
pub mod incidents;
pub mod overview;
pub mod pulse;
pub mod services;

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
        .merge(events::router())
        .merge(overview::router().split_for_parts().0)
        .merge(capabilities::router().split_for_parts().0);
    Router::new().nest("/api/v1", v1)
}

/// Liveness for load balancers and the addon's settings check (no auth, no database).
async fn health() -> Json<Value> {
    Json(json!({ "ok": true }))
}
