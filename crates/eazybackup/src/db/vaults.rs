//! `comet_vaults`: one row per storage vault (Comet `Destination`) of each user, soft-deleted
//! (`is_active = 0`, `removed_at`) when it leaves the profile.
//!
//! A Comet `DestinationConfig` carries storage credentials (Comet bucket keys, S3/B2/Azure/SFTP
//! secrets, the encrypted vault key). The incumbent stored it whole; we store [`VaultContent`], an
//! allow-list projection (built in `comet_rows`), so nothing secret ever reaches the WHMCS database. `bucket_key` stays
//! empty for the same reason ('', not NULL: the incumbent's bucket columns are NOT NULL).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::db::DbError;
use crate::db::events::Tx;
use crate::db::schema::COMET_VAULTS;
use crate::db::tenancy;
use crate::db::text_fit;
use crate::db::timestamp::DbTime;
use crate::db::upsert::{adopt_legacy_rows, dialect_of, placeholders, upsert};
use crate::db::users::Owner;
use crate::with_tx;

/// The secret-free part of a vault that the console shows (stored as `comet_vaults.content`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VaultContent {
    pub description: String,
    pub destination_type: u64,
    pub create_time: i64,
    pub modify_time: i64,
    pub storage_limit_enabled: bool,
    pub storage_limit_bytes: i64,
    /// Client-measured size in bytes, when a client has measured it.
    pub measured_bytes: Option<i64>,
    pub measured_at: Option<i64>,
    pub repo_initialised_at: i64,
    pub associated_devices: Vec<String>,
    pub retention_error: String,
    pub rebrand_storage: bool,
}

/// One `comet_vaults` row as we write it (`VaultRow::from_destination`, in `comet_rows`), before
/// the owner's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultRow {
    pub id: String,
    /// [`VaultContent`] as JSON.
    pub content: String,
    pub name: String,
    pub r#type: i16,
    /// Client-measured size, when measured.
    pub total_bytes: Option<i64>,
    pub bucket_server: String,
    pub bucket_name: String,
    pub has_storage_limit: bool,
    pub storage_limit_bytes: i64,
    pub created_at: DbTime,
}

/// What a sync changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VaultsSync {
    pub upserted: usize,
    pub removed: usize,
}

const COLUMNS: &[&str] = &[
    "id",
    "profile",
    "client_id",
    "username",
    "content",
    "name",
    "type",
    "total_bytes",
    "bucket_server",
    "bucket_name",
    "bucket_key",
    "has_storage_limit",
    "storage_limit_bytes",
    "is_active",
    "created_at",
    "updated_at",
    "removed_at",
];
// `created_at` stays as first written.
const UPDATE: &[&str] = &[
    "client_id",
    "username",
    "content",
    "name",
    "type",
    "total_bytes",
    "bucket_server",
    "bucket_name",
    "bucket_key",
    "has_storage_limit",
    "storage_limit_bytes",
    "is_active",
    "updated_at",
    "removed_at",
];

/// Makes the `(profile, username)` vault rows match `vaults`: present ones upserted (and
/// re-activated), unchanged ones untouched, active ones no longer present marked removed at `now`.
pub async fn sync_vaults(
    tx: &mut Tx,
    profile: &str,
    username: &str,
    owner: &Owner,
    vaults: &[VaultRow],
    now: DbTime,
) -> Result<VaultsSync, DbError> {
    let username = tenancy::normalize_username(username);
    adopt_legacy_rows(tx, "comet_vaults", profile, &username).await?;
    let stored = stored_vaults(tx, profile, &username).await?;
    // Vault ids are unique per Comet server only.
    let sql = upsert(dialect_of(tx), "comet_vaults", COLUMNS, &["profile", "id"], UPDATE);
    let mut report = VaultsSync::default();
    for v in vaults {
        if let Err(e) = text_fit::key(&COMET_VAULTS, "id", &v.id) {
            tracing::warn!(profile, username = %username, reason = %e, "storage vault refused: its id does not fit");
            continue;
        }
        let unchanged =
            stored.get(v.id.as_str()).is_some_and(|s| s.active && s.client_id == owner.client() && s.content == v.content);
        if unchanged {
            continue;
        }
        with_tx!(&mut *tx, conn => {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&v.id)
                .bind(profile)
                .bind(owner.client())
                .bind(&username)
                .bind(&v.content)
                .bind(&v.name)
                .bind(v.r#type)
                .bind(v.total_bytes)
                .bind(&v.bucket_server)
                .bind(&v.bucket_name)
                .bind("")
                .bind(i16::from(v.has_storage_limit))
                .bind(v.storage_limit_bytes)
                .bind(1_i16)
                .bind(v.created_at)
                .bind(now)
                .bind(None::<DbTime>)
                .execute(&mut *conn)
                .await?;
        });
        report.upserted += 1;
    }
    let listed: HashSet<&str> = vaults.iter().map(|v| v.id.as_str()).collect();
    let gone: Vec<&str> =
        stored.iter().filter(|(id, s)| s.active && !listed.contains(id.as_str())).map(|(id, _)| id.as_str()).collect();
    report.removed = mark_removed(tx, profile, &username, &gone, now).await?;
    Ok(report)
}

struct StoredVault {
    content: String,
    client_id: Option<i64>,
    active: bool,
}

async fn stored_vaults(tx: &mut Tx, profile: &str, username: &str) -> Result<HashMap<String, StoredVault>, DbError> {
    let rows: Vec<(String, Option<String>, Option<i64>, i64)> = with_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT id, content, CAST(client_id AS SIGNED), CAST(is_active AS SIGNED) FROM comet_vaults WHERE profile = ? AND username = ?",
        )
        .bind(profile)
        .bind(username)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, content, client_id, active)| {
            (id, StoredVault { content: content.unwrap_or_default(), client_id, active: active != 0 })
        })
        .collect())
}

async fn mark_removed(tx: &mut Tx, profile: &str, username: &str, ids: &[&str], now: DbTime) -> Result<usize, DbError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE comet_vaults SET is_active = 0, removed_at = ?, updated_at = ? WHERE profile = ? AND username = ? AND id IN ({})",
        placeholders(ids.len())
    );
    let n = with_tx!(tx, conn => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).bind(now).bind(profile).bind(username);
        for id in ids {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?.rows_affected()
    });
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}
