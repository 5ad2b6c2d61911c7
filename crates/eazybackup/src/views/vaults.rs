//! The Storage vaults tab's bodies. A vault view copies what it shows out of Comet's
//! `DestinationConfig`; no credential of the vault (keys, passwords, bucket secrets, the
//! encrypted vault key) is ever copied.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One retention rule as the browser edits it (Comet's `RetentionRange`; which counts are used
/// depends on `type`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RetentionRangeView {
    /// Comet's range type (900–911).
    #[serde(rename = "type")]
    pub range_type: i64,
    pub jobs: i64,
    pub days: i64,
    pub weeks: i64,
    pub months: i64,
    pub years: i64,
    /// First weekday of weekly rules (0 = Sunday).
    pub week_offset: i64,
    /// Day a month starts on for monthly rules.
    pub month_offset: i64,
    /// Unix seconds, for "newer than" rules.
    pub timestamp: i64,
}

/// A retention policy as the browser edits it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RetentionView {
    /// Keep every snapshot (the rules are ignored).
    pub keep_everything: bool,
    pub ranges: Vec<RetentionRangeView>,
}

/// A retention rule type the console offers, with its label and the counts it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RetentionRuleType {
    #[serde(rename = "type")]
    pub range_type: i64,
    pub label: String,
    /// Which fields of [`RetentionRangeView`] the rule uses.
    pub fields: Vec<&'static str>,
}

/// A Protected Item that backs up to a vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VaultItem {
    pub item_id: String,
    pub name: String,
    pub device_id: String,
    pub device_name: Option<String>,
    /// The item keeps its own retention for this vault instead of the vault's default.
    pub own_retention: bool,
}

/// One day of a vault's measured size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UsagePoint {
    /// Unix seconds of the measurement (the last one of its UTC day).
    pub at: i64,
    pub bytes: i64,
}

/// One Storage Vault of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VaultView {
    pub vault_id: String,
    pub name: String,
    /// Comet's `DestinationType` code.
    pub type_code: u64,
    /// Its display label (the one vault-type table).
    pub type_label: String,
    /// Last measured size; `null` when no device measured it yet.
    pub used_bytes: Option<i64>,
    /// Unix seconds of that measurement.
    pub measured_at: Option<i64>,
    /// The vault's quota when one is set.
    pub quota_bytes: Option<i64>,
    /// Unix seconds of the end of the last successful deep verify.
    pub deep_verified_at: Option<i64>,
    pub created_at: i64,
    pub retention: RetentionView,
    /// The retention in plain language.
    pub retention_summary: String,
    /// The last retention pass's error, as Comet reported it.
    pub retention_error: Option<String>,
    pub items: Vec<VaultItem>,
    /// Measured sizes of the last 30 days (from the jobs that wrote to it), oldest first.
    pub usage_history: Vec<UsagePoint>,
}

/// `GET /services/{id}/vaults`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VaultList {
    pub vaults: Vec<VaultView>,
    /// The account's revision: send it back with a change so a concurrent edit answers 409.
    pub profile_hash: String,
    /// The retention rule types the editor offers.
    pub rule_types: Vec<RetentionRuleType>,
}

/// A storage template of the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct VaultTemplate {
    pub template_id: String,
    pub name: String,
}

/// The job a vault action started, for the browser to follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StartedJob {
    /// `null` when the device had not reported the job yet; it appears in the job list shortly.
    pub job_id: Option<String>,
    pub classification: i64,
    pub classification_label: String,
    /// The device that runs it.
    pub device_id: String,
    pub device_name: Option<String>,
    pub message: String,
}

/// One snapshot in a vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SnapshotView {
    pub snapshot_id: String,
    pub item_id: String,
    pub item_name: Option<String>,
    pub device_id: Option<String>,
    pub device_name: Option<String>,
    pub engine: String,
    pub engine_label: String,
    pub created_at: i64,
    /// From the backup job that wrote it, when Comet still has that job.
    pub size_bytes: Option<i64>,
    pub files: Option<i64>,
}

/// `GET /services/{id}/vaults/{vault_id}/snapshots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SnapshotList {
    pub vault_id: String,
    /// Newest first.
    pub snapshots: Vec<SnapshotView>,
    /// The live device that read the vault; `null` when none of the account's devices is online
    /// (then `snapshots` is empty and `message` says why).
    pub read_by_device: Option<String>,
    pub message: Option<String>,
}

/// One snapshot's fate under a proposed retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PreviewEntry {
    pub snapshot_id: String,
    pub item_id: String,
    pub item_name: Option<String>,
    pub created_at: i64,
    pub keep: bool,
    /// The item keeps its own retention for this vault, so the vault's default does not apply.
    pub own_retention: bool,
}

/// `POST /services/{id}/vaults/{vault_id}/retention-preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RetentionPreview {
    pub summary: String,
    pub kept: i64,
    pub removed: i64,
    /// Newest first.
    pub snapshots: Vec<PreviewEntry>,
    /// How the preview was computed (UTC day boundaries), or why it is empty.
    pub note: String,
}
