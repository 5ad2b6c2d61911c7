//! Scoping, written once as extractors (docs/architecture.md "Scoping"): the token's client and
//! its services, and a service named in the path. A handler that takes one of these has already
//! been refused (401/404) for anything outside the client's accounts; writes add
//! [`WritableService`](crate::api::write_access::WritableService).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use crate::api::AppState;
use crate::api::audit::AuditNote;
use crate::api::auth::AuthClient;
use crate::api::error::ApiError;
use crate::api::write_access;
use crate::db::Db;
use crate::db::jobs::Account;
use crate::db::tenancy::{self, ClientId, Service};

/// The path parameter that names a service in every `/services/{id}/...` route.
pub const SERVICE_ID_PARAM: &str = "id";

/// The token's client and its services (Active and Suspended), resolved for this request.
#[derive(Debug, Clone)]
pub struct ClientServices {
    pub client: ClientId,
    pub services: Vec<Service>,
}

impl ClientServices {
    pub async fn resolve(db: &Db, client: ClientId) -> Result<Self, ApiError> {
        Ok(ClientServices { client, services: tenancy::services_for_client(db, client).await? })
    }

    /// Service `id`, if it is the client's (404 otherwise: the browser cannot tell "not yours"
    /// from "does not exist").
    pub fn service(&self, id: i64) -> Result<&Service, ApiError> {
        self.services.iter().find(|s| s.service_id == id).ok_or(ApiError::NotFound("That service"))
    }

    /// Service `id`, if the client may change it now: 404 as [`Self::service`], then 403
    /// `read_only` when it is suspended. Writes whose service is not in the path (it comes from a
    /// job, say) use this; those with `{id}` take [`WritableService`](write_access::WritableService).
    pub fn writable(&self, id: i64) -> Result<&Service, ApiError> {
        let service = self.service(id)?;
        write_access::check(service)?;
        Ok(service)
    }

    /// The Comet accounts of every service, for queries across all of them.
    pub fn accounts(&self) -> Vec<Account> {
        self.services.iter().map(Account::from).collect()
    }
}

impl FromRequestParts<AppState> for ClientServices {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AuthClient(client) = AuthClient::from_request_parts(parts, state).await?;
        ClientServices::resolve(&state.db, client).await
    }
}

/// The service `{id}` of the path, one of the token's client's. The token is checked first (401),
/// then the id: one that is not a number names no service (404, like one of another client).
#[derive(Debug, Clone)]
pub struct ScopedService {
    pub client: ClientId,
    pub service: Service,
}

impl FromRequestParts<AppState> for ScopedService {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let scope = ClientServices::from_request_parts(parts, state).await?;
        let id = service_id_in_path(parts, state).await?;
        let service = scope.service(id)?.clone();
        if let Some(note) = parts.extensions.get::<AuditNote>() {
            note.set_service(&service);
        }
        Ok(ScopedService { client: scope.client, service })
    }
}

async fn service_id_in_path(parts: &mut Parts, state: &AppState) -> Result<i64, ApiError> {
    // A route that takes a scoped service without `{id}` in its path is our bug, not the browser's.
    let params =
        RawPathParams::from_request_parts(parts, state).await.map_err(|_| ApiError::Internal("route has no path parameters"))?;
    let raw =
        params.iter().find(|(k, _)| *k == SERVICE_ID_PARAM).map(|(_, v)| v).ok_or(ApiError::Internal("route has no {id}"))?;
    // Digits only: `i64::from_str` would also take `+7`.
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::NotFound("That service"));
    }
    raw.parse().map_err(|_| ApiError::NotFound("That service"))
}
