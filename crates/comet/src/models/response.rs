//! Response envelopes: the generic status message and the types that extend it.

use super::nullable::NullableVec;
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
    #[serde(rename = "Snapshots")]
    pub snapshots: NullableVec<super::job::VaultSnapshot>,
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

comet_response! {
    /// A new TOTP secret (UserWebAccountRegenerateTotp).
    TotpRegeneratedResponse {
        /// `data:image/png;base64,…` QR code (it encodes the secret).
        #[serde(rename = "Image")]
        pub image: super::wire::Secret,
        /// `otpauth://` provisioning URL (contains the secret).
        #[serde(rename = "URL")]
        pub url: super::wire::Secret,
        /// Profile revision token after the change.
        #[serde(rename = "ProfileHash")]
        pub profile_hash: String,
    }
}

/// A single-use silent-install token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstallToken {
    /// Account the token logs in as.
    #[serde(rename = "Username")]
    pub username: String,
    /// Auth Role server URL.
    #[serde(rename = "Server")]
    pub server: String,
    /// Value for `/TOKEN=` (Windows) or `BACKUP_APP_TOKEN` (macOS).
    #[serde(rename = "Token")]
    pub token: super::wire::Secret,
    /// Unix seconds.
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    /// Already consumed.
    #[serde(rename = "Used")]
    pub used: bool,
    /// Unix seconds.
    #[serde(rename = "ExpireTime")]
    pub expire_time: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

comet_response! {
    /// Answer of AdminCreateInstallToken.
    InstallTokenResponse {
        /// The token.
        #[serde(rename = "InstallToken", deserialize_with = "null_as_default")]
        pub install_token: InstallToken,
    }
}

comet_response! {
    /// One Protected Item with the rules that back it up, and the profile hash.
    ProtectedItemWithBackupRulesResponse {
        /// The item.
        #[serde(rename = "Source", deserialize_with = "null_as_default")]
        pub source: super::source::SourceConfig,
        /// Rules whose `Source` is this item, keyed by rule ID.
        #[serde(rename = "BackupRules", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
        pub backup_rules: std::collections::BTreeMap<String, super::backup_rule::BackupRuleConfig>,
        /// Profile revision token at read time.
        #[serde(rename = "ProfileHash")]
        pub profile_hash: String,
    }
}
