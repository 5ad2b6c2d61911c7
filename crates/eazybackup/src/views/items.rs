//! Protected-item payloads.

use serde::Serialize;
use utoipa::ToSchema;

/// The `items:changed` outbox payload: the account's protected items changed, the browser reloads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ItemsChanged {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
}
