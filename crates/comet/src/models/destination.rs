//! Storage Vaults (`DestinationConfig`) and their statistics. Location settings this crate does
//! not model (SFTP, FTP, Azure, Swift, B2, …) stay in `extra` and round-trip unchanged.

use super::job::SizeMeasurement;
use super::source::RetentionPolicy;
use super::wire::{Extra, Secret, is_default, null_as_default};
use crate::DestinationType;
use serde::{Deserialize, Serialize};

/// A Storage Vault (value of `UserProfileConfig.Destinations`, keyed by vault ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DestinationConfig {
    /// Display name.
    #[serde(rename = "Description")]
    pub description: String,
    /// Unix seconds.
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    /// Unix seconds.
    #[serde(rename = "ModifyTime")]
    pub modify_time: i64,
    /// Commands before jobs.
    #[serde(rename = "PreExec", deserialize_with = "null_as_default")]
    pub pre_exec: Vec<String>,
    /// Commands after the snapshot.
    #[serde(rename = "ThawExec", deserialize_with = "null_as_default")]
    pub thaw_exec: Vec<String>,
    /// Commands after jobs.
    #[serde(rename = "PostExec", deserialize_with = "null_as_default")]
    pub post_exec: Vec<String>,
    /// Storage type.
    #[serde(rename = "DestinationType")]
    pub destination_type: DestinationType,
    /// Storage Role server URL.
    #[serde(rename = "CometServer")]
    pub comet_server: String,
    /// Bucket ID on the Storage Role server.
    #[serde(rename = "CometBucket")]
    pub comet_bucket: String,
    /// Bucket access key (opaque).
    #[serde(rename = "CometBucketKey")]
    pub comet_bucket_key: Secret,
    /// S3 endpoint.
    #[serde(rename = "S3Server")]
    pub s3_server: String,
    /// S3 access key ID.
    #[serde(rename = "S3AccessKey")]
    pub s3_access_key: String,
    /// S3 secret key (opaque).
    #[serde(rename = "S3SecretKey")]
    pub s3_secret_key: Secret,
    /// S3 bucket.
    #[serde(rename = "S3BucketName")]
    pub s3_bucket_name: String,
    /// Key prefix in the bucket.
    #[serde(rename = "S3Subdir")]
    pub s3_subdir: String,
    /// Local/UNC path.
    #[serde(rename = "LocalcopyPath")]
    pub localcopy_path: String,
    /// Free-form tag.
    #[serde(rename = "Tag")]
    pub tag: String,
    /// `ENCRYPTIONMETHOD_*` of the stored vault key.
    #[serde(rename = "EncryptionKeyEncryptionMethod")]
    pub encryption_key_encryption_method: u64,
    /// Encrypted vault key (opaque; corrupting it makes the vault unreadable).
    #[serde(rename = "EncryptedEncryptionKey")]
    pub encrypted_encryption_key: Secret,
    /// Unix seconds when first initialised; 0 = not yet.
    #[serde(rename = "RepoInitTimestamp")]
    pub repo_init_timestamp: i64,
    /// Per-vault quota switch.
    #[serde(rename = "StorageLimitEnabled")]
    pub storage_limit_enabled: bool,
    /// Per-vault quota in bytes.
    #[serde(rename = "StorageLimitBytes")]
    pub storage_limit_bytes: i64,
    /// Client-reported size measurements.
    #[serde(rename = "Statistics", skip_serializing_if = "Option::is_none")]
    pub statistics: Option<DestinationStatistics>,
    /// Default retention.
    #[serde(rename = "DefaultRetention", deserialize_with = "null_as_default")]
    pub default_retention: RetentionPolicy,
    /// Hide the real storage type from the end-user.
    #[serde(rename = "RebrandStorage")]
    pub rebrand_storage: bool,
    /// Last retention-pass error.
    #[serde(rename = "RetentionError")]
    pub retention_error: String,
    /// Devices allowed to use this vault.
    #[serde(rename = "AssociatedDevices", deserialize_with = "null_as_default")]
    pub associated_devices: Vec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DestinationConfig {
    /// Vault usage as last measured by a client (bytes), if any client measured it.
    pub fn measured_size(&self) -> Option<i64> {
        self.statistics.as_ref().map(|s| s.client_provided_size.size)
    }
}

/// Client-reported vault measurements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DestinationStatistics {
    /// Vault size.
    #[serde(rename = "ClientProvidedSize", deserialize_with = "null_as_default")]
    pub client_provided_size: SizeMeasurement,
    /// Which snapshots reference which data.
    #[serde(rename = "ClientProvidedContent", deserialize_with = "null_as_default")]
    pub client_provided_content: ContentMeasurement,
    /// Job ID of the last successful deep verify.
    #[serde(rename = "LastSuccessfulDeepVerify_GUID", skip_serializing_if = "is_default")]
    pub last_successful_deep_verify_guid: String,
    /// Unix seconds.
    #[serde(rename = "LastSuccessfulDeepVerify_StartTime", skip_serializing_if = "is_default")]
    pub last_successful_deep_verify_start_time: i64,
    /// Unix seconds.
    #[serde(rename = "LastSuccessfulDeepVerify_EndTime", skip_serializing_if = "is_default")]
    pub last_successful_deep_verify_end_time: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Breakdown of a vault's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentMeasurement {
    /// Unix seconds.
    #[serde(rename = "MeasureStarted")]
    pub measure_started: i64,
    /// Unix seconds.
    #[serde(rename = "MeasureCompleted")]
    pub measure_completed: i64,
    /// Data components and who uses them.
    #[serde(rename = "Components", deserialize_with = "null_as_default")]
    pub components: Vec<ContentMeasurementComponent>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One data component of a vault.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentMeasurementComponent {
    /// Bytes.
    #[serde(rename = "Bytes")]
    pub bytes: i64,
    /// Snapshot groups needing it (`<sourceID>/CURRENT`, …).
    #[serde(rename = "UsedBy", deserialize_with = "null_as_default")]
    pub used_by: Vec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
