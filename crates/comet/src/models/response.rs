//! Response envelopes: the generic status message and the types that extend it.

use super::profile::UserProfileConfig;
use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// `{"Status":…, "Message":…}`: success for many endpoints, and every failure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CometAPIResponseMessage {
    /// 200–299 success; ≥ 400 failure.
    #[serde(rename = "Status")]
    pub status: i64,
    /// Result text; on failure the error (maybe an `ERR_*` sentinel).
    #[serde(rename = "Message")]
    pub message: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A profile with its revision token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetProfileAndHashResponseMessage {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// Opaque revision token for a conditional write.
    #[serde(rename = "ProfileHash")]
    pub profile_hash: String,
    /// The whole profile.
    #[serde(rename = "Profile", deserialize_with = "null_as_default")]
    pub profile: UserProfileConfig,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Only a profile's revision token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetProfileHashResponseMessage {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// Current revision token.
    #[serde(rename = "ProfileHash")]
    pub profile_hash: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of a dispatcher action that starts a job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispatchWithJobIDResponse {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// Started job (only from 25.9.6+ devices).
    #[serde(rename = "JobID", skip_serializing_if = "is_default")]
    pub job_id: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A new session key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionKeyRegeneratedResponse {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// The key; send with `AuthType=SessionKey`.
    #[serde(rename = "SessionKey")]
    pub session_key: String,
    /// `admin` or `user`.
    #[serde(rename = "SessionType")]
    pub session_type: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Snapshots of one vault (`RequestVaultSnapshots`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispatcherVaultSnapshotsResponse {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// The snapshots.
    #[serde(rename = "Snapshots", deserialize_with = "null_as_default")]
    pub snapshots: Vec<super::job::VaultSnapshot>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Result of requesting a new Storage Vault.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestStorageVaultResponseMessage {
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Status")]
    pub status: i64,
    /// See [`CometAPIResponseMessage`].
    #[serde(rename = "Message")]
    pub message: String,
    /// ID of the new vault.
    #[serde(rename = "DestinationID")]
    pub destination_id: String,
    /// Revision token after the change.
    #[serde(rename = "ProfileHash")]
    pub profile_hash: String,
    /// Updated profile.
    #[serde(rename = "Profile", deserialize_with = "null_as_default")]
    pub profile: UserProfileConfig,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
