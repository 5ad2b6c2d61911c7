//! Devices (`DeviceConfig`), their OS report (`OSInfo`) and live connections.

use super::source::RetentionPolicy;
use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A registered device (value of `UserProfileConfig.Devices`, keyed by device ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceConfig {
    /// Display name; renaming a device is editing this.
    #[serde(rename = "FriendlyName")]
    pub friendly_name: String,
    /// Unix seconds.
    #[serde(rename = "RegistrationTime", skip_serializing_if = "is_default")]
    pub registration_time: i64,
    /// OS details.
    #[serde(rename = "PlatformVersion", skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<OSInfo>,
    /// Summary of this device's Protected Items, keyed by item ID.
    #[serde(rename = "Sources", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub sources: BTreeMap<String, SourceBasicInfo>,
    /// IANA time zone.
    #[serde(rename = "DeviceTimezone", skip_serializing_if = "is_default")]
    pub device_timezone: String,
    /// Client version last reported.
    #[serde(rename = "ClientVersion", skip_serializing_if = "is_default")]
    pub client_version: String,
    /// Syncro asset UUID.
    #[serde(rename = "SyncroUUID", skip_serializing_if = "is_default")]
    pub syncro_uuid: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Operating system details (note the lower-case keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OSInfo {
    /// Primary OS version.
    #[serde(rename = "version", skip_serializing_if = "is_default")]
    pub version: String,
    /// Presentation name, e.g. "Windows 10 Pro".
    #[serde(rename = "distribution", skip_serializing_if = "is_default")]
    pub distribution: String,
    /// Build number.
    #[serde(rename = "build", skip_serializing_if = "is_default")]
    pub build: String,
    /// Go GOOS.
    #[serde(rename = "os", skip_serializing_if = "is_default")]
    pub os: String,
    /// Go GOARCH.
    #[serde(rename = "arch", skip_serializing_if = "is_default")]
    pub arch: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A device's summary of one of its Protected Items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceBasicInfo {
    /// Engine id.
    #[serde(rename = "Engine")]
    pub engine: String,
    /// Item name.
    #[serde(rename = "Description")]
    pub description: String,
    /// Office 365 protected accounts.
    #[serde(rename = "O365AccountCount")]
    pub o365_account_count: i64,
    /// VM count.
    #[serde(rename = "TotalVmCount")]
    pub total_vm_count: i64,
    /// Item size in bytes.
    #[serde(rename = "Size")]
    pub size: i64,
    /// Per-vault retention overrides.
    #[serde(rename = "OverrideDestinationRetention", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub override_destination_retention: BTreeMap<String, RetentionPolicy>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A live-connected device (value of `AdminDispatcherListActive`, keyed by live-connection ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LiveUserConnection {
    /// Account the device is logged in as.
    #[serde(rename = "Username")]
    pub username: String,
    /// Device ID (key of `UserProfileConfig.Devices`).
    #[serde(rename = "DeviceID")]
    pub device_id: String,
    /// Client version.
    #[serde(rename = "ReportedVersion")]
    pub reported_version: String,
    /// `<os>/<arch>`, e.g. `windows/amd64`.
    #[serde(rename = "ReportedPlatform")]
    pub reported_platform: String,
    /// OS details.
    #[serde(rename = "ReportedPlatformVersion", skip_serializing_if = "Option::is_none")]
    pub reported_platform_version: Option<OSInfo>,
    /// IANA zone.
    #[serde(rename = "DeviceTimeZone", skip_serializing_if = "is_default")]
    pub device_time_zone: String,
    /// Remote IP.
    #[serde(rename = "IPAddress", skip_serializing_if = "is_default")]
    pub ip_address: String,
    /// Unix seconds the connection was established.
    #[serde(rename = "ConnectionTime")]
    pub connection_time: i64,
    /// "Allow administrator to view my files".
    #[serde(rename = "AllowsFilenames")]
    pub allows_filenames: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
