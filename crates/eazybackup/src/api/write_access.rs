//! The one rule for every route that changes something: the account must belong to a service
//! the client may change now. Suspended services are read-only (docs/architecture.md "Scoping");
//! a write to one answers 403 `read_only` with text the UI shows as it is.

use crate::api::error::ApiError;
use crate::db::tenancy::Service;

/// What the browser is told when it tries to change a suspended service.
pub const READ_ONLY_MESSAGE: &str =
    "This service is suspended, so it is read-only: nothing can be changed until it is active again.";

/// The service `service_id` of `services` (the client's, resolved for this request), if it may be
/// changed; `ReadOnly` when it is suspended, `NotFound` when it is not the client's.
pub fn writable_service(services: &[Service], service_id: Option<i64>) -> Result<&Service, ApiError> {
    let service = services.iter().find(|s| Some(s.service_id) == service_id).ok_or(ApiError::NotFound("That service"))?;
    if service.is_writable() { Ok(service) } else { Err(ApiError::ReadOnly) }
}
