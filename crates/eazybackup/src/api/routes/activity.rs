//! `GET /api/v1/services/{id}/activity`: the service's audit rows, newest first, keyset-paged.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::error::{ApiError, ApiQuery};
use crate::api::openapi::{Authenticated, Queried, Scoped};
use crate::api::scope::ScopedService;
use crate::db::audit;
use crate::views::ActivityPage;

pub const DEFAULT_LIMIT: i64 = 25;
pub const MAX_LIMIT: i64 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(activity))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Only rows older than this id (the `next_before` of the previous page).
    pub before: Option<i64>,
    /// Rows per page, 1–100 (default 25).
    pub limit: Option<i64>,
}

/// What was done on the service, by whom and how it ended (every customer write is recorded).
#[utoipa::path(get, path = "/services/{id}/activity", operation_id = "services.activity", tag = "services",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The service id."), ActivityQuery),
    responses((status = 200, description = "A page of the service's activity.", body = ActivityPage), Authenticated, Scoped, Queried))]
pub async fn activity(
    State(state): State<AppState>,
    scoped: ScopedService,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> Result<Json<ActivityPage>, ApiError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::Invalid { field: "limit", message: format!("Ask for 1 to {MAX_LIMIT} entries.") });
    }
    if q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::Invalid { field: "before", message: "`before` is an entry id.".into() });
    }
    let rows = audit::page_for_service(&state.db, scoped.client, scoped.service.service_id, q.before, limit + 1).await?;
    Ok(Json(ActivityPage::of(rows, usize::try_from(limit).unwrap_or(0))))
}
