//! Storage Vaults (`DestinationConfig`), their location settings (also `DestinationLocation`,
//! used for spanned members and connectivity tests) and statistics. Every credential is a
//! [`Secret`], so `Debug` output of a vault never shows one.

use super::codes::{FtpsMode, ObjectLockMode, SftpAuthMode};
use super::job::SizeMeasurement;
use super::nullable::NullableVec;
use super::source::RetentionPolicy;
use super::wire::{Extra, Secret, is_default, null_as_default};
use crate::DestinationType;
use serde::{Deserialize, Serialize};

/// Wraps a struct definition and puts the location fields (`DestinationType` … `Tag`, §5.5,
/// wire order) between its head and tail fields, so `DestinationConfig` and
/// `DestinationLocation` cannot drift apart.
macro_rules! with_location_fields {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($head:tt)* } then { $($tail:tt)* }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $($head)*
            /// Storage type (`DESTINATIONTYPE_*`).
            #[serde(rename = "DestinationType")]
            pub destination_type: DestinationType,
            /// Storage Role server URL (with scheme and trailing `/`).
            #[serde(rename = "CometServer")]
            pub comet_server: String,
            /// Bucket ID on the Storage Role server.
            #[serde(rename = "CometBucket")]
            pub comet_bucket: String,
            /// Bucket access key.
            #[serde(rename = "CometBucketKey")]
            pub comet_bucket_key: Secret,
            /// S3 endpoint host[:port].
            #[serde(rename = "S3Server")]
            pub s3_server: String,
            /// Use HTTPS.
            #[serde(rename = "S3UsesTLS")]
            pub s3_uses_tls: bool,
            /// S3 access key ID.
            #[serde(rename = "S3AccessKey")]
            pub s3_access_key: String,
            /// S3 secret key.
            #[serde(rename = "S3SecretKey")]
            pub s3_secret_key: Secret,
            /// S3 bucket.
            #[serde(rename = "S3BucketName")]
            pub s3_bucket_name: String,
            /// Key prefix inside the bucket.
            #[serde(rename = "S3Subdir")]
            pub s3_subdir: String,
            /// Region override.
            #[serde(rename = "S3CustomRegion")]
            pub s3_custom_region: String,
            /// Legacy SigV2 signing (false = SigV4).
            #[serde(rename = "S3UsesV2Signing")]
            pub s3_uses_v2_signing: bool,
            /// "Allow removal of deleted files".
            #[serde(rename = "S3RemoveDeleted")]
            pub s3_remove_deleted: bool,
            /// `OBJECT_LOCK_*`.
            #[serde(rename = "S3ObjectLockMode")]
            pub s3_object_lock_mode: ObjectLockMode,
            /// Object-lock retention days.
            #[serde(rename = "S3ObjectLockDays")]
            pub s3_object_lock_days: i64,
            /// SFTP host[:port].
            #[serde(rename = "SFTPServer")]
            pub sftp_server: String,
            /// SFTP user.
            #[serde(rename = "SFTPUsername")]
            pub sftp_username: String,
            /// Remote directory.
            #[serde(rename = "SFTPRemotePath")]
            pub sftp_remote_path: String,
            /// `DESTINATION_SFTP_AUTHMODE_*`.
            #[serde(rename = "SFTPAuthMode")]
            pub sftp_auth_mode: SftpAuthMode,
            /// SFTP password (password mode).
            #[serde(rename = "SFTPPassword")]
            pub sftp_password: Secret,
            /// OpenSSH private key (key mode).
            #[serde(rename = "SFTPPrivateKey")]
            pub sftp_private_key: Secret,
            /// Verify the host key against a known_hosts file.
            #[serde(rename = "SFTPCustomAuth_UseKnownHostsFile")]
            pub sftp_custom_auth_use_known_hosts_file: bool,
            /// known_hosts path.
            #[serde(rename = "SFTPCustomAuth_KnownHostsFile")]
            pub sftp_custom_auth_known_hosts_file: String,
            /// FTP host.
            #[serde(rename = "FTPServer")]
            pub ftp_server: String,
            /// FTP user.
            #[serde(rename = "FTPUsername")]
            pub ftp_username: String,
            /// FTP password.
            #[serde(rename = "FTPPassword")]
            pub ftp_password: Secret,
            /// Store in the FTP home directory.
            #[serde(rename = "FTPBaseUseHomeDirectory")]
            pub ftp_base_use_home_directory: bool,
            /// Base directory when not using home.
            #[serde(rename = "FTPCustomBaseDirectory")]
            pub ftp_custom_base_directory: String,
            /// `FTPS_MODE_*`.
            #[serde(rename = "FTPSMode")]
            pub ftps_mode: FtpsMode,
            /// Port.
            #[serde(rename = "FTPPort")]
            pub ftp_port: i64,
            /// Connection cap (0 = system default).
            #[serde(rename = "FTPMaxConnections")]
            pub ftp_max_connections: i64,
            /// Accept invalid TLS certificates.
            #[serde(rename = "FTPAcceptInvalidSSL")]
            pub ftp_accept_invalid_ssl: bool,
            /// Azure storage account.
            #[serde(rename = "AZBAccountName")]
            pub azb_account_name: String,
            /// Azure account key.
            #[serde(rename = "AZBAccountKey")]
            pub azb_account_key: Secret,
            /// Azure container.
            #[serde(rename = "AZBContainer")]
            pub azb_container: String,
            /// Azure service base URL (blank = global default).
            #[serde(rename = "AZBRealm")]
            pub azb_realm: String,
            /// Azure path prefix.
            #[serde(rename = "AZBPrefix")]
            pub azb_prefix: String,
            /// Local/UNC path.
            #[serde(rename = "LocalcopyPath")]
            pub localcopy_path: String,
            /// SMB user for a UNC path.
            #[serde(rename = "LocalcopyWinSMBUsername")]
            pub localcopy_win_smb_username: String,
            /// SMB password for a UNC path (may be hashed).
            #[serde(rename = "LocalcopyWinSMBPassword")]
            pub localcopy_win_smb_password: Secret,
            /// `PASSWORD_FORMAT_*` of the SMB password.
            #[serde(rename = "LocalcopyWinSMBPasswordFormat")]
            pub localcopy_win_smb_password_format: u64,
            /// OpenStack Swift settings.
            #[serde(rename = "Swift", deserialize_with = "null_as_default")]
            pub swift: SwiftDestinationLocation,
            /// Backblaze B2 settings.
            #[serde(rename = "B2", deserialize_with = "null_as_default")]
            pub b2: B2DestinationLocation,
            /// WebDAV settings.
            #[serde(rename = "WebDav", deserialize_with = "null_as_default")]
            pub web_dav: WebDavDestinationLocation,
            /// Storj settings.
            #[serde(rename = "Storj", deserialize_with = "null_as_default")]
            pub storj: StorjDestinationLocation,
            /// SMB settings.
            #[serde(rename = "SMB", deserialize_with = "null_as_default")]
            pub smb: SMBDestinationLocation,
            /// Member locations of a spanned vault.
            #[serde(rename = "SpanTargets")]
            pub span_targets: NullableVec<DestinationLocation>,
            /// Spanned: consistent-hash placement.
            #[serde(rename = "SpanUseStaticSlots")]
            pub span_use_static_slots: bool,
            /// Free-form tag.
            #[serde(rename = "Tag")]
            pub tag: String,
            $($tail)*
        }
    };
}

with_location_fields! {
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
        #[serde(rename = "PreExec")]
        pub pre_exec: NullableVec<String>,
        /// Commands after the snapshot.
        #[serde(rename = "ThawExec")]
        pub thaw_exec: NullableVec<String>,
        /// Commands after jobs.
        #[serde(rename = "PostExec")]
        pub post_exec: NullableVec<String>,
    } then {
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
        #[serde(rename = "AssociatedDevices")]
        pub associated_devices: NullableVec<String>,
        /// Keys this crate does not model (e.g. 25.9.8's `StorageLimitID`).
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl DestinationConfig {
    /// Vault usage as last measured by a client (bytes), if any client measured it.
    pub fn measured_size(&self) -> Option<i64> {
        self.statistics.as_ref().map(|s| s.client_provided_size.size)
    }

    /// The per-vault quota in bytes when it is switched on.
    pub fn quota_bytes(&self) -> Option<i64> {
        self.storage_limit_enabled.then_some(self.storage_limit_bytes)
    }
}

with_location_fields! {
    /// Where a vault's data lives: the location subset of [`DestinationConfig`]
    /// (`SpanTargets` members, the `ExtraData` of a connectivity test).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    pub struct DestinationLocation {
    } then {
        /// Keys this crate does not model.
        #[serde(flatten)]
        pub extra: Extra,
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
    #[serde(rename = "Components")]
    pub components: NullableVec<ContentMeasurementComponent>,
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
    #[serde(rename = "UsedBy")]
    pub used_by: NullableVec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// OpenStack Swift settings (every key omitempty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwiftDestinationLocation {
    /// User / app-credential name or ID.
    #[serde(rename = "Username", skip_serializing_if = "is_default")]
    pub username: String,
    /// Password / app-credential secret / token.
    #[serde(rename = "APIKey", skip_serializing_if = "is_default")]
    pub api_key: Secret,
    /// Region.
    #[serde(rename = "Region", skip_serializing_if = "is_default")]
    pub region: String,
    /// Keystone auth URL.
    #[serde(rename = "AuthURL", skip_serializing_if = "is_default")]
    pub auth_url: String,
    /// User domain.
    #[serde(rename = "Domain", skip_serializing_if = "is_default")]
    pub domain: String,
    /// Tenant/project name.
    #[serde(rename = "Tenant", skip_serializing_if = "is_default")]
    pub tenant: String,
    /// Project domain.
    #[serde(rename = "TenantDomain", skip_serializing_if = "is_default")]
    pub tenant_domain: String,
    /// Tenant/project ID.
    #[serde(rename = "TenantID", skip_serializing_if = "is_default")]
    pub tenant_id: String,
    /// Trust ID.
    #[serde(rename = "TrustID", skip_serializing_if = "is_default")]
    pub trust_id: String,
    /// Deprecated token.
    #[serde(rename = "AuthToken", skip_serializing_if = "is_default")]
    pub auth_token: Secret,
    /// Object prefix.
    #[serde(rename = "Prefix", skip_serializing_if = "is_default")]
    pub prefix: String,
    /// Container.
    #[serde(rename = "Container", skip_serializing_if = "is_default")]
    pub container: String,
    /// Storage policy for new containers.
    #[serde(rename = "DefaultContainerPolicy", skip_serializing_if = "is_default")]
    pub default_container_policy: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Backblaze B2 settings (every key omitempty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct B2DestinationLocation {
    /// Key ID.
    #[serde(rename = "AccountID", skip_serializing_if = "is_default")]
    pub account_id: String,
    /// Application key.
    #[serde(rename = "Key", skip_serializing_if = "is_default")]
    pub key: Secret,
    /// Bucket.
    #[serde(rename = "Bucket", skip_serializing_if = "is_default")]
    pub bucket: String,
    /// Prefix.
    #[serde(rename = "Prefix", skip_serializing_if = "is_default")]
    pub prefix: String,
    /// Deprecated (21.9.7).
    #[serde(rename = "MaxConnections", skip_serializing_if = "is_default")]
    pub max_connections: i64,
    /// Hide instead of delete.
    #[serde(rename = "HideDeletedFiles", skip_serializing_if = "is_default")]
    pub hide_deleted_files: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// WebDAV settings (every key omitempty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebDavDestinationLocation {
    /// Server URL.
    #[serde(rename = "DavServer", skip_serializing_if = "is_default")]
    pub dav_server: String,
    /// Login.
    #[serde(rename = "UserName", skip_serializing_if = "is_default")]
    pub user_name: String,
    /// Password.
    #[serde(rename = "AccessKey", skip_serializing_if = "is_default")]
    pub access_key: Secret,
    /// Target directory.
    #[serde(rename = "Path", skip_serializing_if = "is_default")]
    pub path: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Storj settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StorjDestinationLocation {
    /// Satellite.
    #[serde(rename = "SatelliteAddress")]
    pub satellite_address: String,
    /// API key.
    #[serde(rename = "APIKey")]
    pub api_key: Secret,
    /// Encryption passphrase.
    #[serde(rename = "Passphrase")]
    pub passphrase: Secret,
    /// Bucket.
    #[serde(rename = "StorjBucket")]
    pub storj_bucket: String,
    /// Prefix.
    #[serde(rename = "StorjBucketPrefix", skip_serializing_if = "is_default")]
    pub storj_bucket_prefix: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// SMB share settings (`DESTINATIONTYPE_SMB`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SMBDestinationLocation {
    /// Server.
    #[serde(rename = "SMBServer")]
    pub smb_server: String,
    /// Share.
    #[serde(rename = "SMBShare")]
    pub smb_share: String,
    /// Directory in the share.
    #[serde(rename = "SMBDirectory")]
    pub smb_directory: String,
    /// User.
    #[serde(rename = "SMBUsername")]
    pub smb_username: String,
    /// Password.
    #[serde(rename = "SMBPassword")]
    pub smb_password: Secret,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
