//! The Restore tab's bodies: what can be restored (devices, items, vaults), a vault's snapshots of
//! an item, one directory of a snapshot, file versions across snapshots, and a started restore.
//! Times are unix seconds (UTC); the browser converts them.

use serde::Serialize;
use utoipa::ToSchema;

/// A restore type the console offers for an item (`RestoreJobAdvancedOptions.Type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreTypeView {
    /// The SDK's `RESTORETYPE_*` value.
    pub value: i64,
    /// `files`, `archive` or `simulate`.
    pub key: &'static str,
    pub label: &'static str,
    /// The type writes to a path on the device (`dest_path`).
    pub needs_path: bool,
    /// The type takes the overwrite policy.
    pub takes_overwrite: bool,
}

/// An archive format for the `archive` type (`RestoreArchiveFormat`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ArchiveFormatView {
    pub value: i64,
    pub label: &'static str,
}

/// A device of the account, as a restore target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreDevice {
    pub device_id: String,
    pub name: String,
    pub platform_os: String,
    /// Connected now: only an online device can restore (or read a vault for us).
    pub online: bool,
}

/// A protected item of the account (of any of its devices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreItem {
    pub item_id: String,
    pub name: String,
    pub engine: String,
    pub engine_label: String,
    /// The device the item belongs to (it may be restored to another).
    pub device_id: String,
    pub device_name: String,
    /// Vaults its backup rules write to (it may have snapshots in others too).
    pub vault_ids: Vec<String>,
    pub restore_types: Vec<RestoreTypeView>,
}

/// A storage vault of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreVault {
    pub vault_id: String,
    pub name: String,
}

/// `GET .../restore/sources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreSources {
    /// Online devices first, then by name.
    pub devices: Vec<RestoreDevice>,
    pub items: Vec<RestoreItem>,
    pub vaults: Vec<RestoreVault>,
    pub archive_formats: Vec<ArchiveFormatView>,
}

/// One snapshot of an item in a vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SnapshotView {
    pub snapshot_id: String,
    pub created_at: i64,
    pub engine: String,
    /// From the backup job that made it, when we have that job (else null).
    pub total_bytes: Option<i64>,
    pub total_files: Option<i64>,
}

/// `GET .../restore/snapshots`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SnapshotList {
    pub snapshots: Vec<SnapshotView>,
}

/// One entry of a snapshot directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ObjectView {
    pub name: String,
    /// Path inside the snapshot (`/`-separated), as a restore names it.
    pub path: String,
    /// Comet's `STOREDOBJECTTYPE_*` (`dir`, `file`, ...).
    pub kind: String,
    pub is_container: bool,
    /// Pass back as `tree_id` to list inside a container.
    pub tree_id: Option<String>,
    pub size: u64,
    pub mtime: i64,
}

/// `GET .../restore/objects`: one directory level, containers first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ObjectList {
    pub path: String,
    pub objects: Vec<ObjectView>,
}

/// One version of a file: the snapshot that holds it and the file's time and size there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FileVersion {
    pub vault_id: String,
    pub snapshot_id: String,
    pub snapshot_at: i64,
    /// Modification time (unix seconds), when Comet gave a readable one.
    pub mtime: Option<i64>,
    pub size: u64,
    /// Differs (time or size) from the next older snapshot's copy, or is the oldest.
    pub changed: bool,
}

/// A path found by a search, with every snapshot that holds it (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PathVersions {
    pub path: String,
    pub name: String,
    pub kind: String,
    pub versions: Vec<FileVersion>,
}

/// `GET .../restore/search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SearchResults {
    pub query: String,
    pub snapshots_searched: usize,
    pub vaults_searched: usize,
    /// More paths matched than are listed.
    pub truncated: bool,
    pub paths: Vec<PathVersions>,
}

/// `POST .../restore`: the restore was handed to the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreStarted {
    /// The job to follow; null when the device did not name it and it was not found yet.
    pub job_id: Option<String>,
    pub device_id: String,
    pub snapshot_id: String,
}

/// `GET .../restore/jobs/{job_id}`: a restore job, live or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestoreJobView {
    pub job_id: String,
    pub device_id: String,
    pub item_id: String,
    pub vault_id: String,
    pub status: i64,
    pub status_label: String,
    /// `running`, `success`, `warning`, `error`, `missed` (the dashboard's classes).
    pub status_class: String,
    pub running: bool,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub total_bytes: i64,
    pub total_files: i64,
    pub bytes_done: i64,
    pub files_done: i64,
    pub downloaded_bytes: i64,
}
