//! Protected-item payloads.

use serde::Serialize;
use utoipa::ToSchema;

/// The `items:changed` outbox payload: the account's protected items changed, the browser reloads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ItemsChanged {
    pub profile: String,
    pub username: String,
    pub service_id: Option<i64>,
}

/// One option of an engine as the wizard renders it (`comet::engine::EngineOption`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EngineOptionView {
    /// EngineProps key, or key prefix for `list` / `pattern_list`.
    pub key: String,
    pub label: String,
    /// `text`, `number`, `select`, `flag`, `list`, `exclusive_flags` or `pattern_list`.
    pub kind: String,
    pub required: bool,
    /// Value of a new item (`"1"` turns a flag on).
    pub default: Option<String>,
    pub choices: Vec<ChoiceView>,
    /// Regular expression every value must match.
    pub pattern: Option<String>,
    /// The browse kind that lists values to pick (`POST …/devices/{device_id}/browse`).
    pub browse: Option<String>,
    /// Never sent back: a saved value shows as set and is kept unless a new one is sent.
    pub write_only: bool,
    pub help: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChoiceView {
    pub value: String,
    pub label: String,
}

/// One engine of the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EngineView {
    /// `SourceConfig.Engine`, e.g. `engine1/file`.
    pub id: String,
    pub label: String,
    /// False when the SDK names no EngineProps keys for the engine (ours follow its connection type).
    pub keys_documented: bool,
    /// Set when new items cannot be made; the text says what to use instead.
    pub deprecated: Option<String>,
    /// Operating systems it runs on; empty = all.
    pub platforms: Vec<String>,
    pub options: Vec<EngineOptionView>,
}

/// `GET /catalog/engines`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EngineCatalog {
    pub engines: Vec<EngineView>,
    /// Schedule frequencies (`FrequencyType` value and label).
    pub frequencies: Vec<CodeView>,
    /// Retention range types (`Type` value and label).
    pub retention_ranges: Vec<CodeView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeView {
    pub value: i64,
    pub label: String,
}

/// A vault an item backs up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VaultRef {
    pub id: String,
    pub name: String,
}

/// The last finished job of an item, from our jobs table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemLastJob {
    pub job_id: String,
    pub status: i64,
    pub status_label: String,
    /// `success`, `warning`, `error`, `missed` or `running`.
    pub status_class: String,
    /// Unix seconds (UTC).
    pub ended_at: Option<i64>,
}

/// One row of the items list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: String,
    pub description: String,
    pub engine: String,
    pub engine_label: String,
    pub device_id: String,
    pub device_name: Option<String>,
    pub vaults: Vec<VaultRef>,
    /// Every rule's schedule in plain language, e.g. "Daily at 02:00; retry 2 times".
    pub schedule_summary: String,
    pub last_job: Option<ItemLastJob>,
}

/// A device of the account, for the wizard's picker.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeviceRef {
    pub id: String,
    pub name: String,
    /// Connected now (browsing needs it).
    pub online: bool,
}

/// `GET /services/{id}/items`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemList {
    pub items: Vec<ItemSummary>,
    /// The account's devices (online first) and vaults, for the wizard's pickers.
    pub devices: Vec<DeviceRef>,
    pub vaults: Vec<VaultRef>,
}

/// A backup rule of an item: one vault, its time schedules and event triggers, its job options.
/// `schedules` and `event_triggers` are Comet's own `ScheduleConfig` / `BackupRuleEventTriggers`
/// objects (sent back as received: fields we do not model survive).
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct RuleForm {
    /// The rule's id; absent for a new rule.
    #[serde(default)]
    pub id: Option<String>,
    /// The vault (Storage Vault id) this rule backs up to.
    pub vault_id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub schedules: Vec<serde_json::Value>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub event_triggers: serde_json::Value,
    #[serde(default)]
    pub skip_already_running: bool,
    /// Seconds; 0 = no limit.
    #[serde(default)]
    pub stop_after_secs: i64,
    /// Bytes per second; 0 = no limit.
    #[serde(default)]
    pub limit_bps: i64,
    #[serde(default)]
    pub reduce_disk_concurrency: bool,
    #[serde(default)]
    pub use_on_disk_indexes: bool,
    #[serde(default)]
    pub allow_zero_files_success: bool,
    /// 0 = the mode's default.
    #[serde(default)]
    pub concurrency_count: i64,
    #[serde(default)]
    pub log_level: String,
    /// Plain-language summary (answers only).
    #[serde(default, skip_deserializing)]
    pub summary: String,
}

/// An item as the edit form holds it (`GET /services/{id}/items/{item_id}`); the same shape is
/// sent back to create (`POST`) or save (`PUT`, with `profile_hash`).
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ItemForm {
    /// Answers only.
    #[serde(default, skip_deserializing)]
    pub id: String,
    pub engine: String,
    pub description: String,
    /// The device that runs the item (one of the account's devices).
    pub device_id: String,
    /// Engine settings by option key: text → string, flag → bool, list → [string],
    /// pattern list → [{ TopDirectory, Value }], exclusive flags → the chosen key ("" for none).
    /// Write-only options are never in an answer; send one to replace it, `null` to clear it.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Keys of write-only options that hold a value (answers only).
    #[serde(default, skip_deserializing)]
    pub write_only_set: Vec<String>,
    #[serde(default)]
    pub pre_exec: Vec<String>,
    #[serde(default)]
    pub thaw_exec: Vec<String>,
    #[serde(default)]
    pub post_exec: Vec<String>,
    #[serde(default)]
    pub rules: Vec<RuleForm>,
    /// Per-vault retention overriding the vault's own: vault id → Comet `RetentionPolicy`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub retention: serde_json::Map<String, serde_json::Value>,
    /// The profile revision the form was read at; a save sends it back (409 when it moved on).
    #[serde(default)]
    pub profile_hash: String,
    /// Answers only: the item cannot be edited here (e.g. a retired engine), and why.
    #[serde(default, skip_deserializing)]
    pub read_only_reason: Option<String>,
}

/// The answer of a save or a delete.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemSaved {
    pub id: String,
    /// The profile revision after the write (when Comet could tell).
    pub profile_hash: Option<String>,
}

/// `POST /services/{id}/devices/{device_id}/browse`.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct BrowseRequest {
    /// `filesystem` or `disk_drives`.
    pub kind: String,
    /// Filesystem: the directory to list; absent for the roots.
    #[serde(default)]
    pub path: Option<String>,
}

/// One entry a browse answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrowseEntry {
    /// What the item stores when this is picked (a full path, a disk's device name…).
    pub value: String,
    pub name: String,
    /// Has children to open (a folder).
    pub container: bool,
    pub size: Option<i64>,
    /// Extra words shown beside the name (file system, model…).
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrowseAnswer {
    pub kind: String,
    pub path: Option<String>,
    pub entries: Vec<BrowseEntry>,
}
