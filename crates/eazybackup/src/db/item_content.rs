//! What `comet_items.content` holds: a secret-free projection of a Protected Item
//! (`SourceConfig`), and the migration step that rewrites rows stored before it existed.
//!
//! A `SourceConfig` carries credentials in its `EngineProps` (SQL Server `PASSWORD`, network-share
//! `SMBAUTH…` passwords, Proxmox SSH keys, and, for the engines whose keys the SDK does not
//! document — VMware, Hyper-V, MySQL, MongoDB, Exchange, Microsoft 365 — whatever they need to log
//! in) and commands that routinely embed passwords (`PreExec`/`PostExec`, Program Output's
//! `COMMAND`). So the projection is an allow-list: the documented, non-secret keys of each
//! engine, and nothing of an engine or key it does not know — a secret Comet adds later is never
//! stored.
//!
//! Key names and nesting are Comet's (`Engine`, `Statistics.LastBackupJob.TotalAccountsCount`, …)
//! so reports written against the incumbent's `content` keep working on what they still need.
//! Projecting a projection gives it back unchanged, which keeps the worker's "unchanged item"
//! test and the migration step idempotent.

use std::collections::BTreeMap;

use comet::engine::{ENGINE_FILE, ENGINE_MSOFFICE, ENGINE_MSSQL, ENGINE_STDOUT};
use comet::{BackupJobDetail, SourceConfig};
use serde::Serialize;

use crate::db::{Db, DbError};
use crate::with_pool;

/// The stored part of a Protected Item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemContent {
    #[serde(rename = "Engine")]
    pub engine: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "OwnerDevice")]
    pub owner_device: String,
    #[serde(rename = "CreateTime")]
    pub create_time: i64,
    #[serde(rename = "ModifyTime")]
    pub modify_time: i64,
    #[serde(rename = "PolicySourceID")]
    pub policy_source_id: String,
    #[serde(rename = "ExistingUserUpdate")]
    pub existing_user_update: bool,
    /// The allow-listed engine settings (see [`allowed_engine_prop`]).
    #[serde(rename = "EngineProps")]
    pub engine_props: BTreeMap<String, String>,
    #[serde(rename = "Statistics", skip_serializing_if = "Option::is_none")]
    pub statistics: Option<ItemStatistics>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemStatistics {
    #[serde(rename = "LastStartTime")]
    pub last_start_time: i64,
    #[serde(rename = "LastBackupJob")]
    pub last_backup_job: JobSummary,
    #[serde(rename = "LastSuccessfulBackupJob")]
    pub last_successful_backup_job: JobSummary,
}

/// The figures of a job that reports and billing read (sizes, counts, outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSummary {
    #[serde(rename = "GUID")]
    pub guid: String,
    #[serde(rename = "Classification")]
    pub classification: u64,
    #[serde(rename = "Status")]
    pub status: u64,
    #[serde(rename = "StartTime")]
    pub start_time: i64,
    #[serde(rename = "EndTime")]
    pub end_time: i64,
    #[serde(rename = "TotalDirectories")]
    pub total_directories: i64,
    #[serde(rename = "TotalFiles")]
    pub total_files: i64,
    #[serde(rename = "TotalSize")]
    pub total_size: i64,
    #[serde(rename = "UploadSize")]
    pub upload_size: i64,
    #[serde(rename = "DownloadSize")]
    pub download_size: i64,
    #[serde(rename = "TotalVmCount")]
    pub total_vm_count: i64,
    #[serde(rename = "TotalMailsCount")]
    pub total_mails_count: i64,
    #[serde(rename = "TotalSitesCount")]
    pub total_sites_count: i64,
    #[serde(rename = "TotalAccountsCount")]
    pub total_accounts_count: i64,
}

impl JobSummary {
    fn from_job(j: &BackupJobDetail) -> JobSummary {
        JobSummary {
            guid: j.guid.clone(),
            classification: j.classification.0,
            status: j.status.0,
            start_time: j.start_time,
            end_time: j.end_time,
            total_directories: j.total_directories,
            total_files: j.total_files,
            total_size: j.total_size,
            upload_size: j.upload_size,
            download_size: j.download_size,
            total_vm_count: j.total_vm_count,
            total_mails_count: j.total_mails_count,
            total_sites_count: j.total_sites_count,
            total_accounts_count: j.total_accounts_count,
        }
    }
}

/// Presence flags and selections of Files and Folders (§5.4.2); `SMBAUTH…` is projected apart.
const FILE_PREFIXES: &[&str] = &["INCLUDE", "EXCLUDE", "REXCLUDE", "PINCLUDE", "RINCLUDE"];
const FILE_FLAGS: &[&str] = &["USE_WIN_VSS", "CONFIRM_EFS", "RESCAN_UNCHANGED", "EXTRA_ATTRIBUTES"];
/// SQL Server: everything documented except `PASSWORD`.
const MSSQL_PREFIXES: &[&str] = &["DATABASE-", "EXCEPT-DATABASE-"];
const MSSQL_KEYS: &[&str] =
    &["ALL_DATABASES", "INSTANCE", "USERNAME", "AUTHMODE", "METHOD", "DIFFBASE", "DIFFERENTIAL", "LOGTRUNC", "LOGNOTRUNC"];
/// Program Output: where the output goes, not the commands (they carry passwords in practice).
const STDOUT_KEYS: &[&str] = &["WORKDIR", "SAVEAS"];
/// Microsoft 365: the selection (ids and service bitsets), projected apart.
const MSOFFICE_SELECTION: &str = "CUSTOM_SETTINGV2";
/// The `Office365CustomSettingV2` members kept (the SDK's documented ones; none is a credential).
const MSOFFICE_SELECTION_KEYS: &[&str] =
    &["Organization", "FilterMode", "WholeOrg", "BackupOptions", "MemberBackupOptions", "FilterOptions", "FilterMemberOptions"];
/// The non-secret members of a `WinSMBAuth`.
const SMBAUTH: &str = "SMBAUTH";
const SMBAUTH_KEYS: &[&str] = &["SharePath", "Username"];

/// Whether `key` of an `engine` item is stored as it is.
fn allowed_engine_prop(engine: &str, key: &str) -> bool {
    let prefixed = |prefixes: &[&str]| prefixes.iter().any(|p| key.starts_with(p));
    match engine {
        ENGINE_FILE => prefixed(FILE_PREFIXES) || FILE_FLAGS.contains(&key),
        ENGINE_MSSQL => prefixed(MSSQL_PREFIXES) || MSSQL_KEYS.contains(&key),
        ENGINE_STDOUT => STDOUT_KEYS.contains(&key),
        _ => false,
    }
}

/// A JSON object value reduced to `keep` members; `None` when the value is not a JSON object.
fn json_object_subset(value: &str, keep: &[&str]) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::from_str(value).ok()? else { return None };
    let kept: serde_json::Map<String, serde_json::Value> = map.into_iter().filter(|(k, _)| keep.contains(&k.as_str())).collect();
    serde_json::to_string(&kept).ok()
}

fn project_engine_props(engine: &str, props: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, value) in props {
        if allowed_engine_prop(engine, key) {
            out.insert(key.clone(), value.clone());
        } else if engine == ENGINE_FILE && key.starts_with(SMBAUTH) {
            out.extend(json_object_subset(value, SMBAUTH_KEYS).map(|v| (key.clone(), v)));
        } else if engine == ENGINE_MSOFFICE && key == MSOFFICE_SELECTION {
            out.extend(json_object_subset(value, MSOFFICE_SELECTION_KEYS).map(|v| (key.clone(), v)));
        }
    }
    out
}

impl ItemContent {
    pub fn from_source(s: &SourceConfig) -> ItemContent {
        ItemContent {
            engine: s.engine.clone(),
            description: s.description.clone(),
            owner_device: s.owner_device.clone(),
            create_time: s.create_time,
            modify_time: s.modify_time,
            policy_source_id: s.policy_source_id.clone(),
            existing_user_update: s.existing_user_update,
            engine_props: project_engine_props(&s.engine, &s.engine_props),
            statistics: s.statistics.as_ref().map(|st| ItemStatistics {
                last_start_time: st.last_start_time,
                last_backup_job: JobSummary::from_job(&st.last_backup_job),
                last_successful_backup_job: JobSummary::from_job(&st.last_successful_backup_job),
            }),
        }
    }

    /// The JSON stored in `comet_items.content`.
    pub fn to_json(&self) -> Result<String, DbError> {
        serde_json::to_string(self).map_err(|e| DbError::Sql(sqlx::Error::Encode(Box::new(e))))
    }
}

/// What `content` becomes for a stored value: the projection of the item it describes, or NULL
/// when it does not describe one (it cannot be shown, and may hold anything).
pub fn reproject(stored: &str) -> Option<String> {
    let source: SourceConfig = serde_json::from_str(stored).ok()?;
    ItemContent::from_source(&source).to_json().ok()
}

/// Rows read per step of [`scrub_stored`]: one short statement at a time, so the worker's writes
/// to `comet_items` never wait long behind the migration.
const SCRUB_CHUNK: i64 = 500;

/// Rewrites every `comet_items.content` that is not already a projection (rows written by the
/// incumbent, or by an earlier version, keep whole SourceConfigs with their passwords). Walks the
/// table in key order in chunks; a row the worker rewrote meanwhile is left alone (the UPDATE
/// matches the content read). Returns how many rows changed; 0 on a second run.
pub async fn scrub_stored(db: &Db) -> Result<u64, DbError> {
    let mut changed = 0;
    let mut after: (String, String) = (String::new(), String::new());
    let mut first = true;
    loop {
        let rows: Vec<(String, String, Option<String>)> = with_pool!(db, pool => {
            sqlx::query_as(
                "SELECT profile, id, content FROM comet_items \
                 WHERE ? = 1 OR profile > ? OR (profile = ? AND id > ?) ORDER BY profile, id LIMIT ?",
            )
            .bind(i64::from(first))
            .bind(&after.0)
            .bind(&after.0)
            .bind(&after.1)
            .bind(SCRUB_CHUNK)
            .fetch_all(pool)
            .await?
        });
        first = false;
        let Some((profile, id, _)) = rows.last() else { break };
        after = (profile.clone(), id.clone());
        for (profile, id, content) in &rows {
            let Some(content) = content.as_deref() else { continue };
            let projected = reproject(content);
            if projected.as_deref() == Some(content) {
                continue;
            }
            let n = with_pool!(db, pool => {
                sqlx::query("UPDATE comet_items SET content = ? WHERE profile = ? AND id = ? AND content = ?")
                    .bind(&projected)
                    .bind(profile)
                    .bind(id)
                    .bind(content)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            changed += n;
        }
        if rows.len() < SCRUB_CHUNK as usize {
            break;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source(engine: &str, props: serde_json::Value) -> SourceConfig {
        serde_json::from_value(json!({
            "Engine": engine,
            "Description": "Item",
            "OwnerDevice": "dev-1",
            "PreExec": ["net use Z: \\\\nas\\share TOPSECRET /user:admin"],
            "EngineProps": props,
            "Statistics": { "LastBackupJob": { "GUID": "j1", "Status": 5000, "TotalSize": 10, "TotalAccountsCount": 7, "SecretLooking": "x" } },
            "FutureSecretField": "TOPSECRET"
        }))
        .unwrap()
    }

    #[test]
    fn a_projection_of_a_projection_is_itself() {
        let s = source(
            ENGINE_FILE,
            json!({"INCLUDE0": "C:\\", "SMBAUTH0": "{\"SharePath\":\"\\\\\\\\nas\\\\x\",\"Username\":\"bob\",\"Password\":\"TOPSECRET\"}"}),
        );
        let once = ItemContent::from_source(&s).to_json().unwrap();
        assert!(!once.contains("TOPSECRET"), "{once}");
        assert_eq!(reproject(&once).as_deref(), Some(once.as_str()));
    }

    #[test]
    fn unknown_engines_keep_no_settings_and_garbage_becomes_null() {
        let s = source("engine1/vmware", json!({"HOST": "vc.example", "PASSWORD": "TOPSECRET"}));
        assert!(ItemContent::from_source(&s).engine_props.is_empty());
        assert_eq!(reproject("not json"), None);
        assert_eq!(reproject("[1,2]"), None);
    }
}
