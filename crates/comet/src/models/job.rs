//! Jobs: `BackupJobDetail`, its progress, log entries and vault size measurements.

use super::wire::{Extra, is_default, null_as_default};
use crate::{JobClassification, JobStatus};
use serde::{Deserialize, Serialize};

/// One job (backup, restore, retention, …) as Comet reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJobDetail {
    /// Job ID (`JobID` in job endpoints).
    #[serde(rename = "GUID")]
    pub guid: String,
    /// Owning account.
    #[serde(rename = "Username")]
    pub username: String,
    /// Job kind.
    #[serde(rename = "Classification")]
    pub classification: JobClassification,
    /// Job state.
    #[serde(rename = "Status")]
    pub status: JobStatus,
    /// Unix seconds.
    #[serde(rename = "StartTime")]
    pub start_time: i64,
    /// Unix seconds; 0 while running.
    #[serde(rename = "EndTime")]
    pub end_time: i64,
    /// Retry attempts made.
    #[serde(rename = "RetryCount")]
    pub retry_count: i64,
    /// Protected Item ID.
    #[serde(rename = "SourceGUID")]
    pub source_guid: String,
    /// Storage Vault ID.
    #[serde(rename = "DestinationGUID")]
    pub destination_guid: String,
    /// Device that ran the job.
    #[serde(rename = "DeviceID")]
    pub device_id: String,
    /// Snapshot produced or used.
    #[serde(rename = "SnapshotID", skip_serializing_if = "is_default")]
    pub snapshot_id: String,
    /// Rule whose schedule triggered the job.
    #[serde(rename = "BackupRuleGUID", skip_serializing_if = "is_default")]
    pub backup_rule_guid: String,
    /// Client version that ran the job.
    #[serde(rename = "ClientVersion")]
    pub client_version: String,
    /// Directories in the backed-up data.
    #[serde(rename = "TotalDirectories")]
    pub total_directories: i64,
    /// Files in the backed-up data.
    #[serde(rename = "TotalFiles")]
    pub total_files: i64,
    /// Size of the backed-up data in bytes.
    #[serde(rename = "TotalSize")]
    pub total_size: i64,
    /// Data chunks referenced.
    #[serde(rename = "TotalChunks")]
    pub total_chunks: i64,
    /// Bytes uploaded.
    #[serde(rename = "UploadSize")]
    pub upload_size: i64,
    /// Bytes downloaded.
    #[serde(rename = "DownloadSize")]
    pub download_size: i64,
    /// Hyper-V/VMware VM count.
    #[serde(rename = "TotalVmCount", skip_serializing_if = "is_default")]
    pub total_vm_count: i64,
    /// O365 mailboxes.
    #[serde(rename = "TotalMailsCount", skip_serializing_if = "is_default")]
    pub total_mails_count: i64,
    /// O365 sites.
    #[serde(rename = "TotalSitesCount", skip_serializing_if = "is_default")]
    pub total_sites_count: i64,
    /// O365 protected accounts.
    #[serde(rename = "TotalAccountsCount", skip_serializing_if = "is_default")]
    pub total_accounts_count: i64,
    /// O365 licensed mailboxes.
    #[serde(rename = "TotalLicensedMailsCount", skip_serializing_if = "is_default")]
    pub total_licensed_mails_count: i64,
    /// O365 unlicensed mailboxes.
    #[serde(rename = "TotalUnlicensedMailsCount", skip_serializing_if = "is_default")]
    pub total_unlicensed_mails_count: i64,
    /// Job that held the vault lock when part of the work was skipped.
    #[serde(rename = "ConflictingJobID", skip_serializing_if = "is_default")]
    pub conflicting_job_id: String,
    /// Present when the job can be cancelled.
    #[serde(rename = "CancellationID", skip_serializing_if = "is_default")]
    pub cancellation_id: String,
    /// Progress while running.
    #[serde(rename = "Progress", skip_serializing_if = "Option::is_none")]
    pub progress: Option<BackupJobProgress>,
    /// Vault size at job start.
    #[serde(rename = "DestinationSizeStart", skip_serializing_if = "Option::is_none")]
    pub destination_size_start: Option<SizeMeasurement>,
    /// Vault size at job end.
    #[serde(rename = "DestinationSizeEnd", skip_serializing_if = "Option::is_none")]
    pub destination_size_end: Option<SizeMeasurement>,
    /// Tags from the job options.
    #[serde(rename = "Tags", skip_serializing_if = "is_default")]
    pub tags: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BackupJobDetail {
    /// A 6xxx job with an `EndTime` should not occur; like the production monitor, treat it
    /// as finished.
    pub fn is_finished(&self) -> bool {
        self.status.is_terminal() || self.end_time > 0
    }
}

/// Partial progress of a running job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupJobProgress {
    /// Increases by one per progress update (stall detection).
    #[serde(rename = "Counter")]
    pub counter: i64,
    /// Unix seconds the client sent the update.
    #[serde(rename = "SentTime")]
    pub sent_time: i64,
    /// Unix seconds the server received it (the wire name is misspelled).
    #[serde(rename = "RecievedTime")]
    pub received_time: i64,
    /// Bytes processed.
    #[serde(rename = "BytesDone")]
    pub bytes_done: i64,
    /// Items processed.
    #[serde(rename = "ItemsDone")]
    pub items_done: i64,
    /// Total items if known.
    #[serde(rename = "ItemsTotal")]
    pub items_total: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A vault size measurement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SizeMeasurement {
    /// Bytes.
    #[serde(rename = "Size")]
    pub size: i64,
    /// Unix seconds.
    #[serde(rename = "MeasureStarted")]
    pub measure_started: i64,
    /// Unix seconds.
    #[serde(rename = "MeasureCompleted")]
    pub measure_completed: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One line of a structured job log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JobEntry {
    /// Unix seconds.
    #[serde(rename = "Time")]
    pub time: i64,
    /// `I`, `W`, `E` or `D`.
    #[serde(rename = "Severity")]
    pub severity: String,
    /// Log text.
    #[serde(rename = "Message")]
    pub message: String,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One snapshot in a vault (from `RequestVaultSnapshots`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VaultSnapshot {
    /// Snapshot ID.
    #[serde(rename = "Snapshot")]
    pub snapshot: String,
    /// Engine of the Protected Item.
    #[serde(rename = "EngineType")]
    pub engine_type: String,
    /// Protected Item ID.
    #[serde(rename = "Source")]
    pub source: String,
    /// Unix seconds.
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    /// Snapshot records original paths.
    #[serde(rename = "HasOriginalPathInfo")]
    pub has_original_path_info: bool,
    /// Job tags.
    #[serde(rename = "Tags", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}
