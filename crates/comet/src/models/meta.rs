//! Server metadata (`ServerMetaVersionInfo`).

use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// Server version, roles and start identity (also the `SEVT_META_HELLO` payload).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerMetaVersionInfo {
    /// e.g. `25.9.6`.
    #[serde(rename = "Version")]
    pub version: String,
    /// Release codename.
    #[serde(rename = "VersionCodename")]
    pub version_codename: String,
    /// Storage Role enabled.
    #[serde(rename = "StorageRole")]
    pub storage_role: bool,
    /// Auth Role enabled.
    #[serde(rename = "AuthenticationRole")]
    pub authentication_role: bool,
    /// Software Build Role enabled.
    #[serde(rename = "SoftwareBuildRole")]
    pub software_build_role: bool,
    /// Legacy duplicate of `ConstellationRole`.
    #[serde(rename = "OverseerRole")]
    pub overseer_role: bool,
    /// Constellation Role enabled.
    #[serde(rename = "ConstellationRole")]
    pub constellation_role: bool,
    /// Enabled experimental flags.
    #[serde(rename = "ExperimentalOptions", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub experimental_options: Vec<String>,
    /// Unix seconds of process start.
    #[serde(rename = "ServerStartTime")]
    pub server_start_time: i64,
    /// Random per-start GUID: a change means the server restarted (possible event gap).
    #[serde(rename = "ServerStartHash")]
    pub server_start_hash: String,
    /// Server clock, unix seconds.
    #[serde(rename = "CurrentTime")]
    pub current_time: i64,
    /// Identifies the same server behind different URLs.
    #[serde(rename = "ServerLicenseHash")]
    pub server_license_hash: String,
    /// Keys this crate does not model (license, email worker, self-backup …).
    #[serde(flatten)]
    pub extra: Extra,
}
