//! `GET /api/v1/services/{id}/capabilities[?device_id=…]`: what the account's effective Comet
//! policy and our rules allow (`api::capabilities`). With `device_id` (one of the account's
//! devices) the device actions are decided for that device's online state.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::AppState;
use crate::api::capabilities::{self, DeviceState};
use crate::api::error::ApiError;
use crate::api::scope::ScopedService;
use crate::db::account_summary;
use crate::views::capabilities::Capabilities;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(capabilities))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CapabilitiesQuery {
    /// A Comet DeviceID of this account: decide the device actions for it.
    pub device_id: Option<String>,
}

/// Every capability of the account, allowed or not, with the reason when not.
#[utoipa::path(
    get,
    path = "/services/{id}/capabilities",
    tag = "services",
    params(("id" = i64, Path, description = "WHMCS service id (one of the token client's)"), CapabilitiesQuery),
    responses(
        (status = 200, description = "Every capability, decided", body = Capabilities),
        (status = 401, description = "Missing or invalid token"),
        (status = 404, description = "Not one of the client's services, or not one of its devices"),
        (status = 502, description = "Comet could not be asked for the account's policy"),
    ),
    security(("bearer" = []))
)]
pub async fn capabilities(
    State(state): State<AppState>,
    scoped: ScopedService,
    Query(query): Query<CapabilitiesQuery>,
) -> Result<Json<Capabilities>, ApiError> {
    let service = &scoped.service;
    let stored = match query.device_id.as_deref() {
        None => None,
        Some(id) => Some(
            account_summary::device_online(&state.db, &service.profile, &service.username, id)
                .await?
                .ok_or(ApiError::NotFound("That device"))?,
        ),
    };
    let comet = state.comet.account(&scoped)?;
    let device = match (query.device_id.as_deref(), stored) {
        (Some(id), Some(stored)) => {
            // Our mirror follows the live events with a delay: a device Comet holds connected
            // now is online whatever the mirror says yet.
            let online = stored || comet.live_id(id).await.ok().flatten().is_some();
            Some(if online { DeviceState::Online } else { DeviceState::Offline })
        }
        _ => None,
    };
    let profile = comet.profile().await?;
    Ok(Json(capabilities::evaluate(service, &profile.policy, device)))
}
