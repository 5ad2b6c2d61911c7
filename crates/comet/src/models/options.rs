//! Job options sent with dispatcher actions (§5.9) and other request-side structures.

use super::codes::{AutoRetentionLevel, RestoreArchiveFormat, RestoreType};
use super::nullable::NullableVec;
use super::wire::{Extra, Secret, SecretJson};
use serde::{Deserialize, Serialize};

/// Options of a one-off backup (`Options` of RunBackupCustom).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJobAdvancedOptions {
    /// Skip if a job for the item is already running.
    #[serde(rename = "SkipAlreadyRunning")]
    pub skip_already_running: bool,
    /// Time limit in seconds; 0 = none.
    #[serde(rename = "StopAfter")]
    pub stop_after: i64,
    /// Upload cap in bytes/s; 0 = none.
    #[serde(rename = "LimitVaultSpeedBps")]
    pub limit_vault_speed_bps: i64,
    /// Lower disk concurrency.
    #[serde(rename = "ReduceDiskConcurrency")]
    pub reduce_disk_concurrency: bool,
    /// Indexes on disk.
    #[serde(rename = "UseOnDiskIndexes")]
    pub use_on_disk_indexes: bool,
    /// Zero files is success.
    #[serde(rename = "AllowZeroFilesSuccess")]
    pub allow_zero_files_success: bool,
    /// Retention after the backup.
    #[serde(rename = "AutoRetentionLevel")]
    pub auto_retention_level: AutoRetentionLevel,
    /// Concurrency; 0 = default.
    #[serde(rename = "ConcurrencyCount")]
    pub concurrency_count: i64,
    /// Log verbosity.
    #[serde(rename = "LogLevel")]
    pub log_level: String,
    /// Tags for the job/snapshot.
    #[serde(rename = "Tags")]
    pub tags: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Options of a restore (`Options` of RunRestoreCustom): the type and its target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RestoreJobAdvancedOptions {
    /// What kind of restore (can be −1, invalid).
    #[serde(rename = "Type")]
    pub r#type: RestoreType,
    /// FILE: overwrite existing files.
    #[serde(rename = "OverwriteExistingFiles")]
    pub overwrite_existing_files: bool,
    /// FILE: only if the backup copy is newer.
    #[serde(rename = "OverwriteIfNewer")]
    pub overwrite_if_newer: bool,
    /// FILE: only if the content differs.
    #[serde(rename = "OverwriteIfDifferentContent")]
    pub overwrite_if_different_content: bool,
    /// FILE: also force permissions.
    #[serde(rename = "OverwriteForcePermissions")]
    pub overwrite_force_permissions: bool,
    /// FILE: restore to the original paths (`dest_path` empty).
    #[serde(rename = "DestIsOriginalLocation")]
    pub dest_is_original_location: bool,
    /// FILE: target directory; PROCESS_*: the receiving command.
    #[serde(rename = "DestPath")]
    pub dest_path: String,
    /// WINDISK: one target per selected path.
    #[serde(rename = "ExactDestPaths")]
    pub exact_dest_paths: NullableVec<String>,
    /// Archive format for FILE_ARCHIVE / PROCESS_ARCHIVE.
    #[serde(rename = "ArchiveFormat")]
    pub archive_format: RestoreArchiveFormat,
    /// Zero-fill unreadable data instead of failing.
    #[serde(rename = "SkipUnreadableChunks")]
    pub skip_unreadable_chunks: bool,
    /// Temp files instead of RAM for indexes.
    #[serde(rename = "OnDiskIndexesKey")]
    pub on_disk_indexes_key: bool,
    /// OFFICE365_CLOUD: credentials.
    #[serde(rename = "Office365Credential", skip_serializing_if = "Option::is_none")]
    pub office365_credential: Option<Office365Credential>,
    /// MYSQL: user.
    #[serde(rename = "Username")]
    pub username: String,
    /// MYSQL: password.
    #[serde(rename = "Password")]
    pub password: Secret,
    /// MYSQL: host.
    #[serde(rename = "Host")]
    pub host: String,
    /// MYSQL: port (a string on the wire).
    #[serde(rename = "Port")]
    pub port: String,
    /// MYSQL: TLS.
    #[serde(rename = "UseSsl")]
    pub use_ssl: bool,
    /// MYSQL: accept invalid certificates.
    #[serde(rename = "SslAllowInvalid")]
    pub ssl_allow_invalid: bool,
    /// MYSQL: CA path.
    #[serde(rename = "SslCaFile")]
    pub ssl_ca_file: String,
    /// MYSQL: client certificate path.
    #[serde(rename = "SslCrtFile")]
    pub ssl_crt_file: String,
    /// MYSQL: client key path.
    #[serde(rename = "SslKeyFile")]
    pub ssl_key_file: String,
    /// MSSQL: target login.
    #[serde(rename = "MsSqlConnection", skip_serializing_if = "Option::is_none")]
    pub ms_sql_connection: Option<MSSQLLoginArgs>,
    /// VMHOST: VMware target.
    #[serde(rename = "VMwareConnection", skip_serializing_if = "Option::is_none")]
    pub vmware_connection: Option<VMwareRestoreTargetOptions>,
    /// VMHOST: Hyper-V target.
    #[serde(rename = "HyperVConnection", skip_serializing_if = "Option::is_none")]
    pub hyperv_connection: Option<HyperVRestoreTargetOptions>,
    /// VMHOST: Proxmox target.
    #[serde(rename = "ProxmoxConnection", skip_serializing_if = "Option::is_none")]
    pub proxmox_connection: Option<ProxmoxRestoreTargetOptions>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RestoreJobAdvancedOptions {
    /// Files to `dest_path` on the device (empty `dest_path` ⇒ original location).
    pub fn files_to(dest_path: &str, overwrite: bool) -> Self {
        Self {
            r#type: RestoreType::FILE,
            dest_is_original_location: dest_path.is_empty(),
            dest_path: dest_path.to_owned(),
            overwrite_existing_files: overwrite,
            ..Self::default()
        }
    }

    /// Selected files as one archive file at `dest_path`.
    pub fn archive_to(dest_path: &str, format: RestoreArchiveFormat) -> Self {
        Self { r#type: RestoreType::FILE_ARCHIVE, dest_path: dest_path.to_owned(), archive_format: format, ..Self::default() }
    }
}

/// SQL Server login for a restore.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MSSQLLoginArgs {
    /// Instance.
    #[serde(rename = "Instance")]
    pub instance: String,
    /// `windows` or `native`.
    #[serde(rename = "AuthMode")]
    pub auth_mode: String,
    /// Login.
    #[serde(rename = "Username")]
    pub username: String,
    /// Password.
    #[serde(rename = "Password")]
    pub password: Secret,
    /// 32-bit OLEDB driver.
    #[serde(rename = "MethodIsOledb32Bit")]
    pub method_is_oledb32_bit: bool,
    /// Restore WITH NORECOVERY.
    #[serde(rename = "RestoreNoRecovery")]
    pub restore_no_recovery: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// VMware restore target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VMwareRestoreTargetOptions {
    /// Datacenter (blank ⇒ the only one).
    #[serde(rename = "Datacenter")]
    pub datacenter: String,
    /// Host (blank ⇒ the only one).
    #[serde(rename = "Host")]
    pub host: String,
    /// Datastore (blank ⇒ the only one).
    #[serde(rename = "DatastorePath")]
    pub datastore_path: String,
    /// Network (blank ⇒ the only one).
    #[serde(rename = "Network")]
    pub network: String,
    /// vSphere connection (`VMwareConnection`, carries credentials; opaque).
    #[serde(rename = "Connection")]
    pub connection: SecretJson,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Hyper-V restore target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HyperVRestoreTargetOptions {
    /// Directory on the host for restored disks.
    #[serde(rename = "DiskStoragePath")]
    pub disk_storage_path: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Proxmox restore target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProxmoxRestoreTargetOptions {
    /// Target node.
    #[serde(rename = "Node")]
    pub node: String,
    /// SSH connection (`SSHConnection`, carries credentials; opaque).
    #[serde(rename = "SSH")]
    pub ssh: SecretJson,
    /// Target storage.
    #[serde(rename = "Storage")]
    pub storage: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Azure AD application credentials for Office 365.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Office365Credential {
    /// Application (client) ID.
    #[serde(rename = "AppID")]
    pub app_id: String,
    /// Tenant ID.
    #[serde(rename = "TenantID")]
    pub tenant_id: String,
    /// Client secret.
    #[serde(rename = "Secret")]
    pub secret: Secret,
    /// App certificate.
    #[serde(rename = "AppCert")]
    pub app_cert: Secret,
    /// `OFFICE365_REGION_*`.
    #[serde(rename = "Region")]
    pub region: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What to do with an account's devices when it is deleted (`UninstallConfig`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UninstallConfig {
    /// Ask the devices to uninstall the client.
    #[serde(rename = "UninstallFlag")]
    pub uninstall_flag: bool,
    /// Also remove local settings.
    #[serde(rename = "RemoveConfigFile")]
    pub remove_config_file: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
