//! `comet_devices` / `eb_devices_registry` rows from a `DeviceConfig` (`SEVT_DEVICE_NEW`'s Data,
//! or an entry of a profile's `Devices`), and the registration a live connection names.

use comet::{DeviceConfig, LiveUserConnection};

use crate::db::DbError;
use crate::db::devices::DeviceInfo;
use crate::db::schema::{COMET_DEVICES, EB_DEVICES_REGISTRY};
use crate::db::tenancy;
use crate::db::text_fit;

impl DeviceInfo {
    pub fn from_config(device_id: &str, username: &str, cfg: &DeviceConfig) -> Result<DeviceInfo, DbError> {
        let os = cfg.platform_version.as_ref();
        Ok(DeviceInfo {
            device_id: device_id.to_string(),
            username: tenancy::normalize_username(username),
            // Cut to the narrower of the two tables' columns, so the row, the registry and the
            // outbox payload agree and a replay compares equal to what was stored.
            name: text_fit::display_owned(
                &EB_DEVICES_REGISTRY,
                "friendly_name",
                &text_fit::display(&COMET_DEVICES, "name", &cfg.friendly_name),
            ),
            platform_os: text_fit::display_owned(&COMET_DEVICES, "platform_os", os.map(|o| o.os.as_str()).unwrap_or_default()),
            platform_arch: text_fit::display_owned(
                &COMET_DEVICES,
                "platform_arch",
                os.map(|o| o.arch.as_str()).unwrap_or_default(),
            ),
            // A DeviceConfig holds no secrets: stored whole.
            content: serde_json::to_string(cfg).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))?,
            registered_at: cfg.registration_time,
        })
    }
}

/// `(DeviceID, username)` of a live connection: the registration it keeps online (one machine may
/// be registered, and connected, in several accounts).
pub fn connected_registration(c: &LiveUserConnection) -> (String, String) {
    (c.device_id.clone(), tenancy::normalize_username(&c.username))
}
