//! The one definition of every table we own, rendered per dialect.
//!
//! Why a small renderer of our own instead of sea-query's `TableCreateStatement`: the definition
//! must also drive (a) the conditional "add the column if missing / widen this id / add this index"
//! steps that the PHP addon runs as plain SQL, which sea-query cannot express, (b) per-column
//! `COLLATE utf8mb4_bin`, `ON UPDATE CURRENT_TIMESTAMP` and unsigned integer types that the
//! historical tables use, and (c) SQLite's restricted `ALTER TABLE … ADD COLUMN`. A static table of
//! `Column`s plus three renderers is shorter than bending a builder to all of that, and the output
//! is committed (`whmcs/modules/addons/eazybackup/sql/`) so every change is reviewed as SQL.
//!
//! Types follow the historical schema (`legacy-schema.md`, `seed-spec.md`) so a fresh database and
//! an upgraded one look the same to the code: integers keep their historical signedness (decode
//! `INT UNSIGNED` as `u32`/`i64` via `CAST(… AS SIGNED)` on MySQL), timestamps in `*_at` columns of
//! the `comet_*` tables stay `TIMESTAMP` (UTC: sqlx sets the session time zone to +00:00).

use super::Dialect;

/// Bump when the definition changes; recorded in `eb_schema_meta` under `schema_version`.
pub const SCHEMA_VERSION: u32 = 3;

/// Column types. `Id` is for our key columns: case-sensitive (`utf8mb4_bin`) on MySQL, because
/// Comet ids, profile names and usernames (docs/architecture.md "Scoping") are exact strings and
/// MariaDB's default collations are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Id(u16),
    Varchar(u16),
    Text,
    /// JSON documents; `LONGTEXT` on MySQL (what MariaDB's JSON is), `TEXT` on SQLite.
    Json,
    TinyInt,
    SmallInt,
    Int,
    IntUnsigned,
    BigInt,
    BigIntUnsigned,
    Date,
    Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultValue {
    None,
    Int(i64),
    Str(&'static str),
    /// `CURRENT_TIMESTAMP` (not allowed in SQLite's `ADD COLUMN`; see `sqlite_add_column`).
    Now,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    pub nullable: bool,
    pub default: DefaultValue,
    pub auto_increment: bool,
    /// MySQL `ON UPDATE CURRENT_TIMESTAMP` (historical `updated_at` columns).
    pub on_update_now: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Index {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub unique: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
    pub indexes: &'static [Index],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A NOT NULL column without default; the `const fn`s below refine it.
const fn col(name: &'static str, ty: Ty) -> Column {
    Column { name, ty, nullable: false, default: DefaultValue::None, auto_increment: false, on_update_now: false }
}

impl Column {
    const fn null(mut self) -> Self {
        self.nullable = true;
        self
    }
    const fn int(mut self, v: i64) -> Self {
        self.default = DefaultValue::Int(v);
        self
    }
    const fn str(mut self, v: &'static str) -> Self {
        self.default = DefaultValue::Str(v);
        self
    }
    const fn now(mut self) -> Self {
        self.default = DefaultValue::Now;
        self
    }
    const fn on_update_now(mut self) -> Self {
        self.on_update_now = true;
        self
    }
    const fn auto_increment(mut self) -> Self {
        self.auto_increment = true;
        self
    }
}

const fn idx(name: &'static str, columns: &'static [&'static str]) -> Index {
    Index { name, columns, unique: false }
}

const fn unique(name: &'static str, columns: &'static [&'static str]) -> Index {
    Index { name, columns, unique: true }
}

use Ty::*;

/// Columns shared by the `comet_*` mirrors: the profile (Comet server) the row came from.
const PROFILE: Column = col("profile", Id(64)).str("");

pub static COMET_DEVICES: Table = Table {
    name: "comet_devices",
    columns: &[
        col("id", Id(255)),           // hex sha256(client_id ‖ DeviceID): what other tables refer to
        col("hash", Id(255)).str(""), // raw Comet DeviceID
        col("client_id", Int).null(),
        col("username", Id(255)).str(""),
        col("content", Json).null(),
        col("name", Varchar(255)).null(),
        col("platform_os", Varchar(32)).str(""),
        col("platform_arch", Varchar(32)).str(""),
        col("is_active", TinyInt).int(0),
        col("created_at", Timestamp).null(),
        col("updated_at", Timestamp).null(),
        col("revoked_at", Timestamp).null(),
        col("offline_since", Timestamp).null(),
        PROFILE,
        col("online", TinyInt).int(0),
        col("online_changed_at", BigInt).null(),
    ],
    // A DeviceID names a machine, which may be registered in several accounts and on several
    // servers: the row is one registration.
    primary_key: &["profile", "username", "hash"],
    indexes: &[
        idx("idx_devices_client", &["client_id"]),
        idx("idx_devices_user", &["username"]),
        idx("idx_devices_profile_hash", &["profile", "hash"]),
        idx("idx_devices_id", &["id"]),
    ],
};

pub static COMET_ITEMS: Table = Table {
    name: "comet_items",
    columns: &[
        col("id", Id(64)), // Comet Source id: GUIDs and 39-char wizard ids
        col("client_id", Int).null(),
        col("username", Id(255)).null(),
        col("content", Json).null(),
        col("comet_device_id", Id(64)).str(""), // sha256(client_id ‖ OwnerDevice)
        col("owner_device", Id(255)).null(),    // raw DeviceID
        col("name", Varchar(255)).str(""),
        col("type", Varchar(255)).str(""),
        col("total_bytes", BigInt).null(),
        col("total_files", BigInt).null(),
        col("total_directories", BigInt).null(),
        col("created_at", Timestamp).null(),
        col("updated_at", Timestamp).null(),
        PROFILE,
    ],
    primary_key: &["profile", "id"],
    indexes: &[
        idx("idx_client_user", &["client_id", "username"]),
        idx("idx_items_profile_user", &["profile", "username"]),
        idx("idx_items_owner_device", &["owner_device"]),
    ],
};

pub static COMET_JOBS: Table = Table {
    name: "comet_jobs",
    columns: &[
        col("id", Id(64)), // job GUID
        col("content", Json).null(),
        col("client_id", Int).null(),
        col("username", Id(255)).null(),
        col("comet_vault_id", Id(64)).str(""),  // DestinationGUID
        col("comet_device_id", Id(64)).str(""), // sha256(client_id ‖ DeviceID)
        col("comet_item_id", Id(64)).str(""),   // SourceGUID
        col("type", SmallInt).int(0),           // Classification
        col("status", SmallInt).int(0),         // exact Comet status
        col("comet_snapshot_id", Varchar(100)).null(),
        col("comet_cancellation_id", Varchar(100)).str(""),
        col("total_bytes", BigInt).int(0),
        col("total_files", BigInt).int(0),
        col("total_directories", BigInt).int(0),
        col("upload_bytes", BigInt).int(0),
        col("download_bytes", BigInt).int(0),
        col("total_ms_accounts", Int).int(0),
        col("started_at", Timestamp).null(),
        col("ended_at", Timestamp).null(),
        col("last_status_at", Timestamp).null(),
        PROFILE,
    ],
    primary_key: &["profile", "id"],
    indexes: &[
        idx("idx_jobs_device_status", &["comet_device_id", "last_status_at"]),
        idx("idx_jobs_profile_user", &["profile", "username"]),
        idx("idx_jobs_started_at", &["started_at"]),
        // The Jobs tab's keyset pages of one account (`db::job_list`): by start, by size, and by
        // start within a status, a kind or a protected item (a rare one is found without walking
        // the account's whole history). A device's jobs use `idx_jobs_device_status`.
        idx("idx_jobs_account_started", &["profile", "username", "started_at", "id"]),
        idx("idx_jobs_account_bytes", &["profile", "username", "total_bytes", "id"]),
        idx("idx_jobs_account_status", &["profile", "username", "status", "started_at", "id"]),
        idx("idx_jobs_account_type", &["profile", "username", "type", "started_at", "id"]),
        idx("idx_jobs_account_item", &["profile", "username", "comet_item_id", "started_at", "id"]),
    ],
};

pub static COMET_USERS: Table = Table {
    name: "comet_users",
    columns: &[
        col("id", BigInt).auto_increment(),
        PROFILE,
        col("username", Id(255)),
        col("client_id", Int).null(),
        col("content", Json).null(),
        col("account_name", Varchar(255)).str(""),
        col("locale", Varchar(32)).str(""),
        col("timezone", Varchar(64)).str(""),
        col("is_suspended", TinyInt).int(0),
        col("has_items_limit", TinyInt).int(0),
        col("items_limit_bytes", BigInt).int(0),
        col("device_quota", Int).int(0),
        col("comet_policy_id", Id(64)).str(""),
        col("created_at", Timestamp).null(),
        col("updated_at", Timestamp).null(),
    ],
    primary_key: &["id"],
    indexes: &[unique("uq_users_profile_username", &["profile", "username"]), idx("idx_users_client", &["client_id"])],
};

pub static COMET_VAULTS: Table = Table {
    name: "comet_vaults",
    columns: &[
        col("id", Id(64)), // Destination id
        col("client_id", Int).null(),
        col("username", Id(255)).null(),
        col("content", Json).null(),
        col("name", Varchar(255)).str(""),
        col("type", SmallInt).int(0),
        col("total_bytes", BigInt).null(),
        // NOT NULL on the incumbent's tables: '' means "none".
        col("bucket_server", Varchar(255)).str(""),
        col("bucket_name", Varchar(255)).str(""),
        col("bucket_key", Varchar(255)).str(""),
        col("has_storage_limit", TinyInt).int(0),
        col("storage_limit_bytes", BigInt).int(0),
        col("is_active", TinyInt).int(1),
        col("created_at", Timestamp).null(),
        col("updated_at", Timestamp).null(),
        col("removed_at", Timestamp).null(),
        col("last_success_at", Timestamp).null(),
        col("last_error", Text).null(),
        PROFILE,
    ],
    primary_key: &["profile", "id"],
    indexes: &[idx("idx_user_vault", &["username", "id"]), idx("idx_vaults_profile_user", &["profile", "username"])],
};

pub static EB_DEVICES_REGISTRY: Table = Table {
    name: "eb_devices_registry",
    columns: &[
        col("server_id", Id(64)),
        col("device_id", Id(128)),
        col("username", Id(255)).str(""),
        col("friendly_name", Varchar(255)).str(""),
        col("platform_os", Varchar(32)).str(""),
        col("platform_arch", Varchar(32)).str(""),
        col("registered_at", IntUnsigned).int(0),
        col("last_seen", IntUnsigned).int(0),
        // ENUM('active','removed') on seed-spec tables, kept as found; VARCHAR on new ones.
        col("status", Varchar(16)).str("active"),
        col("updated_at", Timestamp).now().on_update_now(),
        col("online", TinyInt).int(0),
        col("online_changed_at", BigInt).null(),
    ],
    primary_key: &["server_id", "username", "device_id"],
    indexes: &[
        idx("idx_username", &["username"]),
        idx("idx_status", &["status"]),
        idx("idx_last_seen", &["last_seen"]),
        idx("idx_registry_device", &["server_id", "device_id"]),
    ],
};

pub static EB_DEVICES_DAILY: Table = Table {
    name: "eb_devices_daily",
    columns: &[
        col("d", Date),
        col("registered", IntUnsigned).int(0),
        col("active_24h", IntUnsigned).int(0),
        col("created_at", Timestamp).null().now(),
    ],
    primary_key: &["d"],
    indexes: &[],
};

pub static EB_ITEMS_DAILY: Table = Table {
    name: "eb_items_daily",
    columns: &[
        col("d", Date),
        col("di_devices", IntUnsigned).int(0),
        col("hv_vms", IntUnsigned).int(0),
        col("vw_vms", IntUnsigned).int(0),
        col("m365_users", IntUnsigned).int(0),
        col("ff_items", IntUnsigned).int(0),
        col("created_at", Timestamp).null().now(),
    ],
    primary_key: &["d"],
    indexes: &[],
};

pub static EB_EVENT_CURSOR: Table = Table {
    name: "eb_event_cursor",
    columns: &[
        col("source", Id(128)), // `comet-ws:<profile>`
        col("last_ts", IntUnsigned).int(0),
        col("last_id", Varchar(128)).null(),
        col("server_start_hash", Varchar(128)).null(),
        col("updated_at", BigInt).int(0),
    ],
    primary_key: &["source"],
    indexes: &[],
};

pub static EB_JOBS_LIVE: Table = Table {
    name: "eb_jobs_live",
    columns: &[
        col("server_id", Id(64)),
        col("job_id", Id(64)),
        col("username", Id(255)).str(""),
        col("device", Varchar(255)).str(""),
        col("job_type", Varchar(64)).str(""), // classification as decimal text
        col("started_at", IntUnsigned).int(0),
        col("bytes_done", BigIntUnsigned).int(0),
        col("throughput_bps", BigIntUnsigned).int(0),
        col("last_update", IntUnsigned).int(0),
        col("last_bytes", BigInt).int(0),
        col("last_bytes_ts", Int).int(0),
        col("cancel_attempts", TinyInt).int(0),
        col("last_checked_ts", Int).int(0),
        // New: the historical table had no status, so the monitor's `status = …` filter failed.
        col("status", Int).int(6001),
        col("client_id", Int).null(),
        col("service_id", Int).null(),
        col("classification", Int).int(0),
        col("source_guid", Id(64)).str(""),
        col("destination_guid", Id(64)).str(""),
        col("progress_counter", BigInt).int(0),
        col("progress_ts", BigInt).int(0),
        col("items_done", BigInt).int(0),
        col("items_total", BigInt).int(0),
        col("total_bytes", BigInt).int(0),
        col("upload_bytes", BigInt).int(0),
        col("stale_observations", Int).int(0),
        col("next_action_ts", BigInt).int(0),
        col("action_stage", Varchar(24)).str("none"),
        col("last_action_error", Varchar(255)).null(),
    ],
    primary_key: &["server_id", "job_id"],
    indexes: &[
        idx("idx_last_update", &["last_update"]),
        idx("idx_jobs_live_client", &["client_id"]),
        idx("idx_jobs_live_user", &["server_id", "username"]),
    ],
};

pub static EB_JOBS_RECENT_24H: Table = Table {
    name: "eb_jobs_recent_24h",
    columns: &[
        col("server_id", Id(64)),
        col("job_id", Id(64)),
        col("username", Id(255)).str(""),
        col("device", Varchar(255)).str(""),
        col("job_type", Varchar(64)).str(""),
        // success|warning|error|missed; ENUM on historical tables (kept), VARCHAR on new ones.
        col("status", Varchar(16)),
        col("bytes", BigIntUnsigned).int(0),
        col("duration_sec", IntUnsigned).int(0),
        col("ended_at", IntUnsigned).int(0),
        col("created_at", Timestamp).now(),
        col("comet_status", Int).int(0),
        col("client_id", Int).null(),
        col("service_id", Int).null(),
        col("classification", Int).int(0),
        col("started_at", BigInt).int(0),
        col("source_guid", Id(64)).str(""),
        col("destination_guid", Id(64)).str(""),
        col("total_bytes", BigInt).int(0),
        col("upload_bytes", BigInt).int(0),
    ],
    primary_key: &["server_id", "job_id"],
    indexes: &[
        idx("idx_status", &["status"]),
        idx("idx_ended", &["ended_at"]),
        idx("idx_recent_client_ended", &["client_id", "ended_at"]),
        // The customer API's reads (pulse snapshot): one account's last 24 h by its key, so their
        // cost does not depend on other accounts' rows. `status` before `ended_at`: the incident
        // list ranges over the account's incidents only, not its whole day; the counts stay
        // index-only.
        idx("idx_recent_account_status_ended", &["server_id", "username", "status", "ended_at"]),
    ],
};

/// Finished jobs per account, hour (`ended_at / 3600`) and class: `eb_jobs_recent_24h` counted as
/// the worker writes it (`db::jobs::write`, in the transaction of the rows it counts), so the
/// Pulse counts are a sum over at most 25 hours instead of a count of the account's day. Pruned
/// with `eb_jobs_recent_24h`, on the same hour boundary (`db::retention`).
pub static EB_JOBS_HOURLY_COUNTS: Table = Table {
    name: "eb_jobs_hourly_counts",
    columns: &[
        col("server_id", Id(64)),
        col("username", Id(255)).str(""),
        col("hour", BigInt),
        col("status", Varchar(16)),
        col("n", BigInt).int(0),
    ],
    primary_key: &["server_id", "username", "hour", "status"],
    indexes: &[idx("idx_job_counts_hour", &["hour"])],
};

pub static EB_INCIDENT_ACK: Table = Table {
    name: "eb_incident_ack",
    columns: &[col("client_id", Int), col("job_id", Id(64)), col("until_ts", IntUnsigned).int(0), PROFILE],
    // Job ids are unique per Comet server only.
    primary_key: &["client_id", "profile", "job_id"],
    indexes: &[idx("idx_until", &["until_ts"])],
};

pub static EB_EVENTS: Table = Table {
    name: "eb_events",
    columns: &[
        col("id", BigInt).auto_increment(),
        col("client_id", Int).null(),
        col("profile", Id(64)).str(""),
        col("username", Varchar(255)).str(""),
        col("kind", Varchar(32)),
        col("payload", Json),
        col("created_at", BigInt).int(0),
    ],
    primary_key: &["id"],
    indexes: &[idx("idx_events_client_id", &["client_id", "id"]), idx("idx_events_created", &["created_at"])],
};

pub static EB_AUDIT_LOG: Table = Table {
    name: "eb_audit_log",
    columns: &[
        col("id", BigInt).auto_increment(),
        col("client_id", Int),
        col("service_id", Int).null(),
        col("profile", Id(64)).str(""),
        col("username", Varchar(255)).str(""),
        col("action", Varchar(64)),
        col("target", Varchar(255)).str(""),
        col("result", Varchar(16)), // ok|error|denied
        col("message", Text).null(),
        col("created_at", BigInt).int(0),
        // The WHMCS user (`tblusers.id`) named by the token; NULL for v1 tokens.
        col("user_id", Int).null(),
        // The client's address (`api::client_ip`); '' when unknown.
        col("ip", Varchar(45)).str(""),
    ],
    primary_key: &["id"],
    indexes: &[idx("idx_audit_client_id", &["client_id", "id"]), idx("idx_audit_service", &["client_id", "service_id", "id"])],
};

/// Written by the addon's logout hook, read by `serve` (`db::revocations`).
pub static EB_STREAM_REVOCATIONS: Table = Table {
    name: "eb_stream_revocations",
    columns: &[col("client_id", Int), col("revoked_at", BigInt).int(0)],
    primary_key: &["client_id"],
    indexes: &[],
};

pub static EB_MONITOR_PROFILE_STATE: Table = Table {
    name: "eb_monitor_profile_state",
    columns: &[
        col("profile", Id(64)),
        col("last_success_ts", IntUnsigned).int(0),
        col("last_error_ts", IntUnsigned).int(0),
        col("consecutive_failures", IntUnsigned).int(0),
        col("last_incomplete_count", IntUnsigned).int(0),
        col("last_error", Varchar(255)).null(),
        col("updated_at", Timestamp).now().on_update_now(),
    ],
    primary_key: &["profile"],
    indexes: &[],
};

/// Per-account daily breakdown behind the customer dashboard's trends (the seed's two daily tables
/// stay fleet totals for billing). One row per (day, profile, account); `rollup devices` writes
/// the device and job columns, `rollup items` the item and storage columns, each in the same
/// transaction as its fleet row. NULL means "not knowable for that day" (a backfilled past day has
/// no record of who was connected or how full the vaults were).
pub static EB_CLIENT_DAILY: Table = Table {
    name: "eb_client_daily",
    columns: &[
        col("d", Date),
        PROFILE,
        col("username", Id(255)).str(""),
        col("client_id", Int).null(),
        col("devices_registered", IntUnsigned).int(0),
        col("devices_active_24h", IntUnsigned).int(0),
        col("devices_online", IntUnsigned).null(),
        col("jobs_ok", IntUnsigned).int(0),
        col("jobs_warning", IntUnsigned).int(0),
        col("jobs_failed", IntUnsigned).int(0),
        col("jobs_missed", IntUnsigned).int(0),
        col("di_devices", IntUnsigned).int(0),
        col("hv_vms", IntUnsigned).int(0),
        col("vw_vms", IntUnsigned).int(0),
        col("m365_users", IntUnsigned).int(0),
        col("ff_items", IntUnsigned).int(0),
        col("other_items", IntUnsigned).int(0),
        col("storage_bytes", BigInt).null(),
        col("created_at", Timestamp).null().now(),
    ],
    primary_key: &["d", "profile", "username"],
    indexes: &[idx("idx_client_daily_client", &["client_id", "d"])],
};

/// One row per run of `monitor`, `rollup`, `sync` and `housekeep` (what `eazybackup status`
/// reports): `result` is `running` until the run ends, then `ok` or `failed`; a run killed
/// mid-way stays `running` with no `finished_at`.
pub static EB_RUNS: Table = Table {
    name: "eb_runs",
    columns: &[
        col("id", BigInt).auto_increment(),
        col("command", Varchar(32)),
        PROFILE,
        col("started_at", BigInt).int(0),
        col("finished_at", BigInt).null(),
        col("result", Varchar(16)).str("running"),
        col("summary", Text).null(),
        col("pid", Int).int(0),
    ],
    primary_key: &["id"],
    indexes: &[idx("idx_runs_command_profile", &["command", "profile", "id"]), idx("idx_runs_started", &["started_at"])],
};

/// The worker's connection per profile, refreshed while it runs (`heartbeat_at`), so `status` and
/// `/metrics` can tell a connected worker from a dead one without asking it.
pub static EB_WORKER_STATE: Table = Table {
    name: "eb_worker_state",
    columns: &[
        col("profile", Id(64)),
        col("connected", TinyInt).int(0),
        col("since", BigInt).int(0),
        col("heartbeat_at", BigInt).int(0),
        col("pid", Int).int(0),
        col("last_error", Varchar(255)).null(),
    ],
    primary_key: &["profile"],
    indexes: &[],
};

pub static EB_SCHEMA_META: Table = Table {
    name: "eb_schema_meta",
    columns: &[col("k", Id(64)), col("v", Varchar(255)).str("")],
    primary_key: &["k"],
    indexes: &[],
};

/// Every table we own, in creation order.
pub static TABLES: &[&Table] = &[
    &COMET_DEVICES,
    &COMET_ITEMS,
    &COMET_JOBS,
    &COMET_USERS,
    &COMET_VAULTS,
    &EB_DEVICES_REGISTRY,
    &EB_DEVICES_DAILY,
    &EB_ITEMS_DAILY,
    &EB_EVENT_CURSOR,
    &EB_JOBS_LIVE,
    &EB_JOBS_RECENT_24H,
    &EB_JOBS_HOURLY_COUNTS,
    &EB_INCIDENT_ACK,
    &EB_EVENTS,
    &EB_AUDIT_LOG,
    &EB_STREAM_REVOCATIONS,
    &EB_MONITOR_PROFILE_STATE,
    &EB_CLIENT_DAILY,
    &EB_RUNS,
    &EB_WORKER_STATE,
    &EB_SCHEMA_META,
];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().copied().find(|t| t.name == name)
}

/// `name` quoted as an identifier for `dialect` (our names never contain quote characters).
pub fn quote(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::MySql => format!("`{name}`"),
        Dialect::Sqlite => format!("\"{name}\""),
    }
}

fn quote_list(dialect: Dialect, names: &[&str]) -> String {
    names.iter().map(|n| quote(dialect, n)).collect::<Vec<_>>().join(", ")
}

/// The type as written in DDL (without NULL/DEFAULT).
pub fn render_type(dialect: Dialect, ty: Ty) -> String {
    match dialect {
        Dialect::MySql => match ty {
            Id(n) => format!("VARCHAR({n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"),
            Varchar(n) => format!("VARCHAR({n})"),
            Text => "TEXT".into(),
            Json => "LONGTEXT".into(),
            TinyInt => "TINYINT".into(),
            SmallInt => "SMALLINT".into(),
            Int => "INT".into(),
            IntUnsigned => "INT UNSIGNED".into(),
            BigInt => "BIGINT".into(),
            BigIntUnsigned => "BIGINT UNSIGNED".into(),
            Date => "DATE".into(),
            Timestamp => "TIMESTAMP".into(),
        },
        // SQLite: type affinity is all that matters; dates and timestamps are ISO text (what sqlx's
        // chrono codecs read and write).
        Dialect::Sqlite => match ty {
            Id(_) | Varchar(_) | Text | Json | Date | Timestamp => "TEXT".into(),
            TinyInt | SmallInt | Int | IntUnsigned | BigInt | BigIntUnsigned => "INTEGER".into(),
        },
    }
}

fn render_default(default: DefaultValue) -> Option<String> {
    match default {
        DefaultValue::None => None,
        DefaultValue::Int(v) => Some(format!("DEFAULT {v}")),
        DefaultValue::Str(s) => Some(format!("DEFAULT '{}'", s.replace('\'', "''"))),
        DefaultValue::Now => Some("DEFAULT CURRENT_TIMESTAMP".into()),
    }
}

/// `name TYPE [NOT] NULL [DEFAULT …] [ON UPDATE …] [AUTO_INCREMENT]` for CREATE TABLE and for
/// MySQL's ADD COLUMN (SQLite's ADD COLUMN is `sqlite_add_column`).
pub fn render_column(dialect: Dialect, c: &Column) -> String {
    if dialect == Dialect::Sqlite && c.auto_increment {
        // SQLite only auto-increments an INTEGER PRIMARY KEY declared inline.
        return format!("{} INTEGER PRIMARY KEY AUTOINCREMENT", quote(dialect, c.name));
    }
    let mut parts = vec![quote(dialect, c.name), render_type(dialect, c.ty)];
    parts.push(if c.nullable { "NULL".into() } else { "NOT NULL".into() });
    parts.extend(render_default(c.default));
    if dialect == Dialect::MySql && c.on_update_now {
        parts.push("ON UPDATE CURRENT_TIMESTAMP".into());
    }
    if dialect == Dialect::MySql && c.auto_increment {
        parts.push("AUTO_INCREMENT".into());
    }
    parts.join(" ")
}

/// SQLite's `ADD COLUMN` refuses NOT NULL without a default and non-constant defaults, so a
/// column added to an existing SQLite table gets a constant default (or becomes nullable).
pub fn sqlite_add_column(table: &Table, c: &Column) -> String {
    let d = Dialect::Sqlite;
    let ty = render_type(d, c.ty);
    let tail = match (c.default, c.nullable) {
        (DefaultValue::Now, _) | (DefaultValue::None, true) => "NULL".to_string(),
        (DefaultValue::None, false) => match c.ty {
            TinyInt | SmallInt | Int | IntUnsigned | BigInt | BigIntUnsigned => "NOT NULL DEFAULT 0".into(),
            _ => "NOT NULL DEFAULT ''".into(),
        },
        (def, nullable) => format!("{} {}", if nullable { "NULL" } else { "NOT NULL" }, render_default(def).unwrap_or_default()),
    };
    format!("ALTER TABLE {} ADD COLUMN {} {ty} {tail}", quote(d, table.name), quote(d, c.name))
}

const MYSQL_TABLE_OPTIONS: &str = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/// `CREATE TABLE IF NOT EXISTS`, one column per line; MySQL indexes inline, SQLite's separately
/// (`create_indexes`) because its CREATE TABLE cannot declare them.
pub fn create_table(dialect: Dialect, t: &Table) -> String {
    create_table_named(dialect, t, t.name)
}

/// [`create_table`] under another name (SQLite rebuilds a table under a temporary name).
pub fn create_table_named(dialect: Dialect, t: &Table, name: &str) -> String {
    let mut lines: Vec<String> = t.columns.iter().map(|c| format!("  {}", render_column(dialect, c))).collect();
    let inline_pk = dialect == Dialect::Sqlite && t.columns.iter().any(|c| c.auto_increment);
    if !inline_pk {
        lines.push(format!("  PRIMARY KEY ({})", quote_list(dialect, t.primary_key)));
    }
    if dialect == Dialect::MySql {
        for i in t.indexes {
            let kind = if i.unique { "UNIQUE KEY" } else { "KEY" };
            lines.push(format!("  {kind} {} ({})", quote(dialect, i.name), quote_list(dialect, i.columns)));
        }
    }
    let options = if dialect == Dialect::MySql { format!(" {MYSQL_TABLE_OPTIONS}") } else { String::new() };
    format!("CREATE TABLE IF NOT EXISTS {} (\n{}\n){options}", quote(dialect, name), lines.join(",\n"))
}

/// SQLite index names are per database, so ours are prefixed with the table name.
pub fn sqlite_create_index(t: &Table, i: &Index) -> String {
    let d = Dialect::Sqlite;
    format!(
        "CREATE {}INDEX IF NOT EXISTS {} ON {} ({})",
        if i.unique { "UNIQUE " } else { "" },
        quote(d, &format!("{}__{}", t.name, i.name)),
        quote(d, t.name),
        quote_list(d, i.columns)
    )
}

/// Records the schema version (an upsert, so re-running writes the same row).
pub fn record_version(dialect: Dialect) -> String {
    let v = SCHEMA_VERSION;
    match dialect {
        Dialect::MySql => format!(
            "INSERT INTO `eb_schema_meta` (`k`, `v`) VALUES ('schema_version', '{v}') ON DUPLICATE KEY UPDATE `v` = '{v}'"
        ),
        Dialect::Sqlite => format!(
            "INSERT INTO \"eb_schema_meta\" (\"k\", \"v\") VALUES ('schema_version', '{v}') ON CONFLICT (\"k\") DO UPDATE SET \"v\" = excluded.\"v\""
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_and_index_names_a_defined_column() {
        for t in TABLES {
            for k in t.primary_key.iter().chain(t.indexes.iter().flat_map(|i| i.columns.iter())) {
                assert!(t.column(k).is_some(), "{}: key column {k} is not defined", t.name);
            }
            let mut names: Vec<_> = t.columns.iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), t.columns.len(), "{}: duplicate column", t.name);
        }
    }

    #[test]
    fn id_columns_are_binary_and_wide_enough_on_mysql() {
        let c = COMET_ITEMS.column("id").unwrap();
        assert_eq!(render_column(Dialect::MySql, c), "`id` VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL");
        assert_eq!(render_column(Dialect::Sqlite, c), "\"id\" TEXT NOT NULL");
    }

    #[test]
    fn sqlite_add_column_never_uses_a_non_constant_default_or_bare_not_null() {
        let t = &EB_JOBS_RECENT_24H;
        assert_eq!(
            sqlite_add_column(t, t.column("created_at").unwrap()),
            "ALTER TABLE \"eb_jobs_recent_24h\" ADD COLUMN \"created_at\" TEXT NULL"
        );
        assert_eq!(
            sqlite_add_column(t, t.column("server_id").unwrap()),
            "ALTER TABLE \"eb_jobs_recent_24h\" ADD COLUMN \"server_id\" TEXT NOT NULL DEFAULT ''"
        );
        assert_eq!(
            sqlite_add_column(t, t.column("comet_status").unwrap()),
            "ALTER TABLE \"eb_jobs_recent_24h\" ADD COLUMN \"comet_status\" INTEGER NOT NULL DEFAULT 0"
        );
    }

    #[test]
    fn sqlite_autoincrement_key_is_inline() {
        let sql = create_table(Dialect::Sqlite, &EB_EVENTS);
        assert!(sql.contains("\"id\" INTEGER PRIMARY KEY AUTOINCREMENT"), "{sql}");
        assert!(!sql.contains("PRIMARY KEY (\"id\")"), "{sql}");
    }
}
