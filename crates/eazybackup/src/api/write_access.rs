//! The one rule for every route that changes something: the account must belong to a service
//! the client may change now. Suspended services are read-only (docs/architecture.md "Scoping");
//! a write to one answers 403 `read_only` with text the UI shows as it is.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::AppState;
use crate::api::error::ApiError;
use crate::api::scope::ScopedService;
use crate::db::tenancy::{ClientId, Service};

/// What the browser is told when it tries to change a suspended service.
pub const READ_ONLY_MESSAGE: &str =
    "This service is suspended, so it is read-only: nothing can be changed until it is active again.";

/// `ReadOnly` unless `service` may be changed now.
pub fn check(service: &Service) -> Result<(), ApiError> {
    if service.is_writable() { Ok(()) } else { Err(ApiError::ReadOnly) }
}

/// The service `{id}` of the path, the client's and writable: 401, then 404 as
/// [`ScopedService`], then 403 `read_only` when it is suspended. Every `/services/{id}/...` write
/// takes this.
#[derive(Debug, Clone)]
pub struct WritableService {
    pub client: ClientId,
    pub service: Service,
}

impl WritableService {
    /// The same service as a read scope, for what reads take (`CometClients::account`, queries).
    pub fn scoped(&self) -> ScopedService {
        ScopedService { client: self.client, service: self.service.clone() }
    }
}

impl FromRequestParts<AppState> for WritableService {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ScopedService { client, service } = ScopedService::from_request_parts(parts, state).await?;
        check(&service)?;
        Ok(WritableService { client, service })
    }
}
