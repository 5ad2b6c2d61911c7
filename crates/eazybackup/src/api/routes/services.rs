//! `GET /api/v1/services`: the client's Comet services.

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::openapi::Authenticated;
use crate::api::scope::ClientServices;
use crate::db::tenancy::Service;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The client's Comet services (Active and Suspended).
#[utoipa::path(get, path = "/services", operation_id = "services.list", tag = "services",
    security(("bearer" = [])),
    responses((status = 200, description = "The client's services.", body = Vec<Service>), Authenticated))]
pub async fn list(scope: ClientServices) -> Json<Vec<Service>> {
    Json(scope.services)
}
