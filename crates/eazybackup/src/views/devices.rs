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

/// `GET /services/{id}/devices`: the account's registered devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceList {
    pub devices: Vec<DeviceSummary>,
    /// The Comet server's version (`null` when Comet could not be asked).
    pub server_version: Option<String>,
    /// Whether Comet answered; when not, the list is our mirror's and lacks Comet-only fields.
    pub comet: crate::views::overview::CometReach,
}

/// One registered device as the Devices tab lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceSummary {
    /// Comet's DeviceID (the id every device route takes).
    pub device_id: String,
    /// Its friendly name (untrusted text: render as text).
    pub name: String,
    /// Connected to the server now.
    pub online: bool,
    /// Go `GOOS` (`windows`, `linux`, `darwin`, …).
    pub platform_os: String,
    /// Go `GOARCH`.
    pub platform_arch: String,
    /// The OS's presentation name ("Windows 10 Pro").
    pub distribution: Option<String>,
    /// The OS version and build.
    pub os_version: Option<String>,
    /// The backup client's version as last reported.
    pub client_version: Option<String>,
    /// The server offers a newer client than this device runs.
    pub update_available: bool,
    /// Registration time, unix seconds UTC.
    pub registered_at: Option<i64>,
    /// The device's IANA time zone.
    pub time_zone: Option<String>,
    /// How many protected items it owns.
    pub items: i64,
    /// The size of its protected items, bytes.
    pub storage_used_bytes: i64,
    /// Its last finished backup job.
    pub last_backup: Option<LastBackup>,
    /// Jobs running on it now.
    pub running_jobs: Vec<String>,
}

/// A device's last finished backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LastBackup {
    pub job_id: String,
    pub status: i64,
    pub status_label: String,
    /// `success`, `warning`, `error`, `missed`, ….
    pub status_class: String,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
}

/// `GET /services/{id}/devices/{device_id}`: one device's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceDetail {
    pub device: DeviceSummary,
    /// Its protected items with their backup rules: what a revoke removes.
    pub items: Vec<DeviceItem>,
    /// The account's storage vaults, for a one-off backup.
    pub vaults: Vec<VaultChoice>,
    /// Its newest jobs, newest first.
    pub jobs: Vec<DeviceJob>,
    /// Its live connection, when connected.
    pub connection: Option<LiveConnection>,
}

/// A protected item of the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceItem {
    pub item_id: String,
    pub name: String,
    pub engine: String,
    pub engine_label: String,
    pub size_bytes: i64,
    /// The backup rules (schedules) backing it up.
    pub rules: Vec<DeviceRule>,
}

/// A backup rule of one of the device's items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceRule {
    pub rule_id: String,
    pub name: String,
    pub vault_id: String,
    pub vault_name: Option<String>,
    /// How many schedules the rule has (0: run on demand or by event only).
    pub schedules: i64,
}

/// A storage vault of the account (id and name only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VaultChoice {
    pub vault_id: String,
    pub name: String,
}

/// One job of the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceJob {
    pub job_id: String,
    pub item_id: String,
    pub vault_id: String,
    pub classification: i64,
    pub classification_label: String,
    pub status: i64,
    pub status_label: String,
    pub status_class: String,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub total_bytes: i64,
    pub upload_bytes: i64,
}

/// The device's live connection to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LiveConnection {
    /// Connected since, unix seconds UTC.
    pub connected_at: i64,
    pub ip_address: String,
    pub reported_version: String,
    /// `<os>/<arch>`.
    pub reported_platform: String,
    pub time_zone: String,
    /// "Allow administrator to view my files".
    pub allows_filenames: bool,
}

/// What a device action answers: the job it started when Comet named one, else accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceActionResult {
    /// `accepted` (sent to the device), or `done` (completed on the server).
    pub state: String,
    /// The started job, when the device reported its id.
    pub job_id: Option<String>,
    pub message: String,
}

/// What a revoke removed with the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RevokeResult {
    pub device_id: String,
    /// The protected items (with their schedules) that went with it.
    pub removed_items: Vec<DeviceItem>,
    pub message: String,
}
