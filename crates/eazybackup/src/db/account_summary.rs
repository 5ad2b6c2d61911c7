//! One account's totals as the worker last mirrored them (`comet_devices`, `comet_items`,
//! `comet_vaults`): what the console's Overview shows even when Comet cannot be asked. Every
//! query is keyed by (profile, username); both are exact-match (`utf8mb4_bin`) columns.

use crate::db::{Db, DbError};
use crate::with_pool;

/// Devices, items and vaults of one account, and the bytes its vaults hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountTotals {
    /// Registered (not revoked) devices, and how many of them are connected now.
    pub devices_total: i64,
    pub devices_online: i64,
    pub items_total: i64,
    /// The sum of the items' mirrored sizes (what `AllProtectedItemsQuotaBytes` limits).
    pub items_bytes: i64,
    /// Vaults still in the profile.
    pub vaults_total: i64,
    /// The sum of the vaults' last measured sizes (a vault never measured counts 0).
    pub storage_used_bytes: i64,
}

/// A per-vault quota as mirrored from the profile (`has_storage_limit`, `storage_limit_bytes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVaultQuota {
    pub vault_id: String,
    pub name: String,
    pub used_bytes: Option<i64>,
    pub limit_bytes: Option<i64>,
}

/// The account-wide quotas as mirrored in `comet_users` (`None` when the worker has not stored
/// the account yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccountQuotas {
    pub account_name: String,
    pub items_limit_bytes: Option<i64>,
    pub device_limit: Option<i64>,
}

pub async fn totals(db: &Db, profile: &str, username: &str) -> Result<AccountTotals, DbError> {
    let (devices_total, devices_online): (i64, i64) = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN online = 1 THEN 1 ELSE 0 END), 0) AS SIGNED)
             FROM comet_devices WHERE profile = ? AND username = ? AND is_active = 1 AND revoked_at IS NULL",
        )
        .bind(profile)
        .bind(username)
        .fetch_one(pool)
        .await?
    });
    let (items_total, items_bytes): (i64, i64) = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(COALESCE(total_bytes, 0)), 0) AS SIGNED)
             FROM comet_items WHERE profile = ? AND username = ?",
        )
            .bind(profile)
            .bind(username)
            .fetch_one(pool)
            .await?
    });
    let (vaults_total, storage_used_bytes): (i64, i64) = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(COALESCE(total_bytes, 0)), 0) AS SIGNED)
             FROM comet_vaults WHERE profile = ? AND username = ? AND is_active = 1",
        )
        .bind(profile)
        .bind(username)
        .fetch_one(pool)
        .await?
    });
    Ok(AccountTotals { devices_total, devices_online, items_total, items_bytes, vaults_total, storage_used_bytes })
}

/// Each vault still in the profile, with its mirrored size and quota, by name.
pub async fn vault_quotas(db: &Db, profile: &str, username: &str) -> Result<Vec<StoredVaultQuota>, DbError> {
    let rows: Vec<(String, String, Option<i64>, i64, i64)> = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT id, name, total_bytes, CAST(has_storage_limit AS SIGNED), storage_limit_bytes
             FROM comet_vaults WHERE profile = ? AND username = ? AND is_active = 1 ORDER BY name, id",
        )
        .bind(profile)
        .bind(username)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(vault_id, name, used_bytes, has_limit, limit)| StoredVaultQuota {
            vault_id,
            name,
            used_bytes,
            limit_bytes: (has_limit != 0).then_some(limit),
        })
        .collect())
}

/// The account's mirrored name and account-wide quotas (0 = unlimited, as in Comet).
pub async fn account_quotas(db: &Db, profile: &str, username: &str) -> Result<Option<StoredAccountQuotas>, DbError> {
    let row: Option<(String, i64, i64, i64)> = with_pool!(db, pool => {
        sqlx::query_as(
            "SELECT account_name, CAST(has_items_limit AS SIGNED), items_limit_bytes, CAST(device_quota AS SIGNED)
             FROM comet_users WHERE profile = ? AND username = ?",
        )
        .bind(profile)
        .bind(username)
        .fetch_optional(pool)
        .await?
    });
    Ok(row.map(|(account_name, has_items_limit, items_limit, device_quota)| StoredAccountQuotas {
        account_name,
        items_limit_bytes: (has_items_limit != 0).then_some(items_limit),
        device_limit: (device_quota > 0).then_some(device_quota),
    }))
}

/// Whether device `device_id` of the account is connected now; `None` when the account has no
/// such registered device (the browser named a device that is not this account's).
pub async fn device_online(db: &Db, profile: &str, username: &str, device_id: &str) -> Result<Option<bool>, DbError> {
    let online: Option<i64> = with_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT CAST(online AS SIGNED) FROM comet_devices
             WHERE profile = ? AND username = ? AND hash = ? AND is_active = 1 AND revoked_at IS NULL",
        )
        .bind(profile)
        .bind(username)
        .bind(device_id)
        .fetch_optional(pool)
        .await?
    });
    Ok(online.map(|o| o == 1))
}
