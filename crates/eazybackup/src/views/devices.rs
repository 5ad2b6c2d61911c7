//! Device payloads.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::devices::StoredDevice;
use crate::db::users::Owner;

/// The `device:*` outbox payload (docs/architecture.md "DeviceView").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceView {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
    pub device_id: String,
    pub name: String,
    pub platform_os: String,
    pub platform_arch: String,
    pub online: bool,
    pub is_active: bool,
}

impl DeviceView {
    /// The registration `d` of server `profile`, as the browser of `owner` sees it.
    pub fn of(profile: &str, owner: &Owner, d: &StoredDevice) -> DeviceView {
        DeviceView {
            profile: profile.to_string(),
            username: d.username.clone(),
            service_id: owner.service_id,
            device_id: d.device_id.clone(),
            name: d.name.clone(),
            platform_os: d.platform_os.clone(),
            platform_arch: d.platform_arch.clone(),
            online: d.online,
            is_active: d.is_active,
        }
    }
}
