//! `GET /services/{id}/overview`: one account's summary for the console's Overview tab
//! (docs/architecture.md "Customer API"). Counts come from our tables; the account's name,
//! creation time, quotas and news from its Comet profile when Comet answers. Comet's texts (names,
//! news) are untrusted: the browser renders them as text only.

use comet::engine::{ENGINE_HYPERV, ENGINE_MSOFFICE, ENGINE_VMWARE};
use comet::{NewsEntry, UserProfileConfig};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::account_summary::{AccountTotals, StoredAccountQuotas, StoredVaultQuota};
use crate::db::tenancy::Service;
use crate::views::ClassCounts;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Overview {
    /// The same object `GET /services` lists.
    pub service: Service,
    pub account: AccountSummary,
    pub devices: DeviceCounts,
    pub items: Total,
    pub vaults: Total,
    pub storage: StorageUsed,
    /// Every quota Comet enforces on the account; when Comet could not be read, only those our
    /// tables mirror (`devices`, `items_bytes`, `vault`).
    pub quotas: Vec<QuotaView>,
    /// Jobs of the last 24 hours by class (`running` = running now).
    pub jobs_24h: ClassCounts,
    /// The provider's news for the account's organization, newest first (may be empty).
    pub news: Vec<NewsView>,
    pub comet: CometReach,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct AccountSummary {
    /// Comet's `AccountName`, when set.
    pub display_name: Option<String>,
    /// The first report address of the account.
    pub email: Option<String>,
    /// When the account was created (unix seconds, UTC).
    pub created_ts: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeviceCounts {
    pub online: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Total {
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct StorageUsed {
    /// The sum of the vaults' last measured sizes.
    pub used_bytes: i64,
}

/// Which limit a [`QuotaView`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaKey {
    /// `MaximumDevices`.
    Devices,
    /// `AllProtectedItemsQuotaEnabled` / `AllProtectedItemsQuotaBytes`.
    ItemsBytes,
    /// `QuotaOffice365ProtectedAccounts`.
    M365Accounts,
    /// `QuotaHyperVGuests`.
    HypervGuests,
    /// `QuotaVMwareGuests`.
    VmwareGuests,
    /// A vault's `StorageLimitEnabled` / `StorageLimitBytes`.
    Vault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaUnit {
    Count,
    Bytes,
}

/// One limit and how much of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct QuotaView {
    pub key: QuotaKey,
    /// What Comet last reported as used; `null` when that is not known.
    pub used: Option<i64>,
    /// `null` = unlimited.
    pub limit: Option<i64>,
    pub unit: QuotaUnit,
    /// For `vault` only.
    pub vault_id: Option<String>,
    pub vault_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NewsView {
    pub id: String,
    /// Unix seconds, UTC.
    pub ts: Option<i64>,
    /// Plain text written by the provider.
    pub content: String,
}

/// Whether the account's Comet profile could be read for this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CometReach {
    pub reachable: bool,
    /// Why not, in words the customer may read.
    pub message: Option<String>,
}

/// Comet's "0 = unlimited" as `None`.
fn limit_or_unlimited(n: i64) -> Option<i64> {
    (n > 0).then_some(n)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn account_quota(key: QuotaKey, used: Option<i64>, limit: Option<i64>, unit: QuotaUnit) -> QuotaView {
    QuotaView { key, used, limit, unit, vault_id: None, vault_name: None }
}

impl AccountSummary {
    pub fn from_profile(p: &UserProfileConfig) -> Self {
        AccountSummary {
            display_name: non_empty(&p.account_name),
            email: p.emails.iter().find(|e| !e.is_empty()).cloned(),
            created_ts: (p.create_time > 0).then_some(p.create_time),
        }
    }

    /// What our tables know when Comet cannot be asked: the mirrored name only.
    pub fn from_tables(stored: Option<&StoredAccountQuotas>) -> Self {
        AccountSummary { display_name: stored.and_then(|s| non_empty(&s.account_name)), email: None, created_ts: None }
    }
}

/// The sum over the account's Protected Items of `engine` of what each one's last backup job
/// counted (`TotalVmCount` for Hyper-V and VMware, `TotalAccountsCount` for Microsoft 365):
/// Comet keeps no account-wide usage figure for these boosters, the per-item job figures are what
/// it reports.
fn booster_usage(p: &UserProfileConfig, engine: &str, count: fn(&comet::BackupJobDetail) -> i64) -> i64 {
    p.sources
        .values()
        .filter(|s| s.engine == engine)
        .filter_map(|s| s.statistics.as_ref())
        .map(|st| count(&st.last_backup_job))
        .sum()
}

/// Every quota of the profile, account-wide first, then each vault by name.
pub fn quotas_from_profile(p: &UserProfileConfig) -> Vec<QuotaView> {
    use QuotaKey::*;
    use QuotaUnit::*;
    let items_bytes: i64 =
        p.sources.values().filter_map(|s| s.statistics.as_ref()).map(|st| st.last_successful_backup_job.total_size).sum();
    let mut quotas = vec![
        account_quota(Devices, Some(p.devices.len() as i64), limit_or_unlimited(p.maximum_devices), Count),
        account_quota(
            ItemsBytes,
            Some(items_bytes),
            p.all_protected_items_quota_enabled.then_some(p.all_protected_items_quota_bytes),
            Bytes,
        ),
        account_quota(
            M365Accounts,
            Some(booster_usage(p, ENGINE_MSOFFICE, |j| j.total_accounts_count)),
            limit_or_unlimited(p.quota_office365_protected_accounts),
            Count,
        ),
        account_quota(
            HypervGuests,
            Some(booster_usage(p, ENGINE_HYPERV, |j| j.total_vm_count)),
            limit_or_unlimited(p.quota_hyperv_guests),
            Count,
        ),
        account_quota(
            VmwareGuests,
            Some(booster_usage(p, ENGINE_VMWARE, |j| j.total_vm_count)),
            limit_or_unlimited(p.quota_vmware_guests),
            Count,
        ),
    ];
    let mut vaults: Vec<QuotaView> = p
        .destinations
        .iter()
        .map(|(id, d)| QuotaView {
            key: Vault,
            used: d.measured_size(),
            limit: d.quota_bytes(),
            unit: Bytes,
            vault_id: Some(id.clone()),
            vault_name: Some(d.description.clone()),
        })
        .collect();
    vaults.sort_by(|a, b| (&a.vault_name, &a.vault_id).cmp(&(&b.vault_name, &b.vault_id)));
    quotas.extend(vaults);
    quotas
}

/// The quotas our tables mirror, for when Comet cannot be asked.
pub fn quotas_from_tables(
    totals: &AccountTotals,
    stored: Option<&StoredAccountQuotas>,
    vaults: &[StoredVaultQuota],
) -> Vec<QuotaView> {
    let mut quotas = vec![
        account_quota(QuotaKey::Devices, Some(totals.devices_total), stored.and_then(|s| s.device_limit), QuotaUnit::Count),
        account_quota(QuotaKey::ItemsBytes, Some(totals.items_bytes), stored.and_then(|s| s.items_limit_bytes), QuotaUnit::Bytes),
    ];
    quotas.extend(vaults.iter().map(|v| QuotaView {
        key: QuotaKey::Vault,
        used: v.used_bytes,
        limit: v.limit_bytes,
        unit: QuotaUnit::Bytes,
        vault_id: Some(v.vault_id.clone()),
        vault_name: Some(v.name.clone()),
    }));
    quotas
}

/// News entries, newest first (ties by id, so the order is stable).
pub fn news_views(entries: Vec<(String, NewsEntry)>) -> Vec<NewsView> {
    let mut news: Vec<NewsView> = entries
        .into_iter()
        .map(|(id, n)| NewsView { id, ts: (n.date_time > 0).then_some(n.date_time), content: n.text_content })
        .collect();
    news.sort_by(|a, b| b.ts.cmp(&a.ts).then_with(|| a.id.cmp(&b.id)));
    news
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn profile(v: serde_json::Value) -> UserProfileConfig {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn zero_limits_are_unlimited_and_boosters_sum_their_items_last_jobs() {
        let p = profile(json!({
            "AccountName": "Acme Dental", "Emails": ["", "ops@acme.test"], "CreateTime": 1_700_000_000,
            "MaximumDevices": 5, "QuotaOffice365ProtectedAccounts": 0, "QuotaHyperVGuests": 3, "QuotaVMwareGuests": 0,
            "AllProtectedItemsQuotaEnabled": false, "AllProtectedItemsQuotaBytes": 999,
            "Devices": { "d1": {}, "d2": {} },
            "Sources": {
                "s1": { "Engine": "engine1/hyperv", "Statistics": { "LastBackupJob": { "TotalVmCount": 2 } } },
                "s2": { "Engine": "engine1/hyperv", "Statistics": { "LastBackupJob": { "TotalVmCount": 1 },
                        "LastSuccessfulBackupJob": { "TotalSize": 100 } } },
                "s3": { "Engine": "engine1/winmsofficemail", "Statistics": { "LastBackupJob": { "TotalAccountsCount": 7, "TotalVmCount": 9 } } }
            },
            "Destinations": {
                "v2": { "Description": "Zulu", "StorageLimitEnabled": true, "StorageLimitBytes": 1000,
                        "Statistics": { "ClientProvidedSize": { "Size": 400 } } },
                "v1": { "Description": "Alpha", "StorageLimitEnabled": false, "StorageLimitBytes": 5 }
            }
        }));
        let q = serde_json::to_value(quotas_from_profile(&p)).unwrap();
        assert_eq!(
            q,
            json!([
                { "key": "devices", "used": 2, "limit": 5, "unit": "count", "vault_id": null, "vault_name": null },
                { "key": "items_bytes", "used": 100, "limit": null, "unit": "bytes", "vault_id": null, "vault_name": null },
                { "key": "m365_accounts", "used": 7, "limit": null, "unit": "count", "vault_id": null, "vault_name": null },
                { "key": "hyperv_guests", "used": 3, "limit": 3, "unit": "count", "vault_id": null, "vault_name": null },
                { "key": "vmware_guests", "used": 0, "limit": null, "unit": "count", "vault_id": null, "vault_name": null },
                { "key": "vault", "used": null, "limit": null, "unit": "bytes", "vault_id": "v1", "vault_name": "Alpha" },
                { "key": "vault", "used": 400, "limit": 1000, "unit": "bytes", "vault_id": "v2", "vault_name": "Zulu" }
            ])
        );
        let a = AccountSummary::from_profile(&p);
        assert_eq!(
            a,
            AccountSummary {
                display_name: Some("Acme Dental".into()),
                email: Some("ops@acme.test".into()),
                created_ts: Some(1_700_000_000)
            }
        );
        assert_eq!(AccountSummary::from_profile(&profile(json!({}))), AccountSummary::default());
    }

    #[test]
    fn news_is_newest_first_and_an_unknown_time_is_null() {
        let entry = |ts: i64, text: &str| NewsEntry { date_time: ts, text_content: text.into(), ..Default::default() };
        let news = news_views(vec![("a".into(), entry(10, "old")), ("b".into(), entry(20, "new")), ("c".into(), entry(0, "?"))]);
        let ids: Vec<(&str, Option<i64>)> = news.iter().map(|n| (n.id.as_str(), n.ts)).collect();
        assert_eq!(ids, [("b", Some(20)), ("a", Some(10)), ("c", None)]);
    }
}
