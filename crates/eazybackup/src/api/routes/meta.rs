//! `GET /api/v1/health` and `GET /api/v1/openapi.json`: the two routes without a token.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::openapi;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(openapi_json))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub ok: bool,
}

/// Liveness for load balancers and the addon's settings check (no auth, no database).
#[utoipa::path(get, path = "/health", operation_id = "health", tag = "meta",
    responses((status = 200, description = "The service is up.", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { ok: true })
}

/// This document (no auth).
#[utoipa::path(get, path = "/openapi.json", operation_id = "openapi", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = serde_json::Value)))]
pub async fn openapi_json() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(openapi::document())
}
