//! The account profile (`UserProfileConfig`): one JSON document, written whole.

use super::backup_rule::BackupRuleConfig;
use super::destination::DestinationConfig;
use super::device::DeviceConfig;
use super::email::UserCustomEmailSettings;
use super::nullable::{NullableMap, NullableVec};
use super::policy::UserPolicy;
use super::source::SourceConfig;
use super::wire::{Extra, Secret, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// A whole Comet account. Unknown keys at every level are kept in `extra` so a read-modify-write
/// never deletes what this crate does not know.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserProfileConfig {
    /// Account name (unique, immutable).
    #[serde(rename = "Username")]
    pub username: String,
    /// Free-text display name.
    #[serde(rename = "AccountName")]
    pub account_name: String,
    /// IANA zone.
    #[serde(rename = "LocalTimezone")]
    pub local_timezone: String,
    /// UI/report language, e.g. `en_US`.
    #[serde(rename = "LanguageCode")]
    pub language_code: String,
    /// Owning tenant; empty = top-level.
    #[serde(rename = "OrganizationID", skip_serializing_if = "is_default")]
    pub organization_id: String,
    /// User group.
    #[serde(rename = "GroupID")]
    pub group_id: String,
    /// Report recipients.
    #[serde(rename = "Emails")]
    pub emails: NullableVec<String>,
    /// Per-recipient report overrides, keyed by an address of `emails`.
    #[serde(rename = "OverrideEmailSettings")]
    pub override_email_settings: NullableMap<String, UserCustomEmailSettings>,
    /// Master switch for email reports.
    #[serde(rename = "SendEmailReports")]
    pub send_email_reports: bool,
    /// Storage Vaults keyed by vault ID.
    #[serde(rename = "Destinations")]
    pub destinations: NullableMap<String, DestinationConfig>,
    /// Uses vault↔device associations.
    #[serde(rename = "SupportsDeviceAssociations")]
    pub supports_device_associations: bool,
    /// Protected Items keyed by item ID.
    #[serde(rename = "Sources")]
    pub sources: NullableMap<String, SourceConfig>,
    /// Schedules keyed by rule ID.
    #[serde(rename = "BackupRules")]
    pub backup_rules: NullableMap<String, BackupRuleConfig>,
    /// Devices keyed by device ID.
    #[serde(rename = "Devices")]
    pub devices: NullableMap<String, DeviceConfig>,
    /// Suspended accounts cannot log in or run jobs.
    #[serde(rename = "IsSuspended")]
    pub is_suspended: bool,
    /// Unix seconds of the last suspension.
    #[serde(rename = "LastSuspended", skip_serializing_if = "is_default")]
    pub last_suspended: i64,
    /// Account-wide quota switch.
    #[serde(rename = "AllProtectedItemsQuotaEnabled")]
    pub all_protected_items_quota_enabled: bool,
    /// Account-wide quota in bytes.
    #[serde(rename = "AllProtectedItemsQuotaBytes")]
    pub all_protected_items_quota_bytes: i64,
    /// Maximum devices; 0 = unlimited.
    #[serde(rename = "MaximumDevices")]
    pub maximum_devices: i64,
    /// Maximum O365 protected accounts; 0 = unlimited.
    #[serde(rename = "QuotaOffice365ProtectedAccounts")]
    pub quota_office365_protected_accounts: i64,
    /// Maximum Hyper-V guests; 0 = unlimited.
    #[serde(rename = "QuotaHyperVGuests")]
    pub quota_hyperv_guests: i64,
    /// Maximum VMware guests; 0 = unlimited.
    #[serde(rename = "QuotaVMwareGuests")]
    pub quota_vmware_guests: i64,
    /// Server policy applied; non-empty ⇒ `policy` is a read-only copy.
    #[serde(rename = "PolicyID")]
    pub policy_id: String,
    /// The effective policy (a read-only copy when `policy_id` is set).
    #[serde(rename = "Policy", deserialize_with = "null_as_default")]
    pub policy: UserPolicy,
    /// How `PasswordHash` is stored. Do not edit.
    #[serde(rename = "PasswordFormat")]
    pub password_format: i64,
    /// Stored password hash (opaque).
    #[serde(rename = "PasswordHash")]
    pub password_hash: Secret,
    /// Recovery material (opaque).
    #[serde(rename = "PasswordRecovery", skip_serializing_if = "is_default")]
    pub password_recovery: Secret,
    /// Password alone suffices to log in.
    #[serde(rename = "AllowPasswordLogin")]
    pub allow_password_login: bool,
    /// TOTP required at login.
    #[serde(rename = "AllowPasswordAndTOTPLogin")]
    pub allow_password_and_totp_login: bool,
    /// Encryption format of `TOTPKey`.
    #[serde(rename = "TOTPKeyEncryptionFormat")]
    pub totp_key_encryption_format: i64,
    /// Encrypted TOTP secret (opaque).
    #[serde(rename = "TOTPKey")]
    pub totp_key: Secret,
    /// Force a password change at next login.
    #[serde(rename = "RequirePasswordChange")]
    pub require_password_change: bool,
    /// Unix seconds.
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    /// Random GUID assigned at creation.
    #[serde(rename = "CreationGUID")]
    pub creation_guid: String,
    /// Extra server-enforced settings.
    #[serde(rename = "ServerConfig", skip_serializing_if = "Option::is_none")]
    pub server_config: Option<UserServerConfig>,
    /// Storage Template for automatic vaults.
    #[serde(rename = "AutoStorageTemplateGUID")]
    pub auto_storage_template_guid: String,
    /// Linux devices confined to home directories.
    #[serde(rename = "LinuxHomedirSandbox")]
    pub linux_homedir_sandbox: bool,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Extra server-enforced settings of an account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserServerConfig {
    /// Random delay bound for scheduled jobs.
    #[serde(rename = "RandomDelaySecs", skip_serializing_if = "is_default")]
    pub random_delay_secs: u64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
