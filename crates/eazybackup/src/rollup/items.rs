//! `rollup items`: `eb_items_daily` (the seed's five billing counts) from `comet_items`, as
//! `rollup_items_daily.php` computed it from each item's stored `content`, plus each account's
//! counts and storage in `eb_client_daily`.
//!
//! Counting rules, per Protected Item (`comet_items` row) created before the day's instant `T`
//! (`dates::as_of`), by its `Engine` (`comet_items.type`). The figures are the ones Comet itself
//! stores on a Protected Item: `Statistics.LastBackupJob` / `LastSuccessfulBackupJob` are
//! `BackupJobDetail`s, whose `TotalVmCount` is "for Hyper-V and VMware backup jobs, the total
//! number of virtual machines" and `TotalAccountsCount` "for Office 365 backup jobs, the
//! calculated effective number of protected accounts" (the SDK's words). Engine settings do not
//! say how many VMs or users "all VMs"/"whole organisation" selections cover; the jobs do.
//! - **di_devices** (`engine1/windisk`, Disk Image): distinct devices — (server, account,
//!   `OwnerDevice`) — owning at least one Disk Image item; a device with three disk items counts
//!   once. An item without an owner device counts as a device of its own.
//! - **hv_vms** (`engine1/hyperv`) and **vw_vms** (`engine1/vmware`): the item's VM count from its
//!   last backup job, or, when that job has none (it failed before counting, or the item has not
//!   run since Comet was upgraded), from its last successful job; 0 for an item never backed up.
//! - **m365_users** (`engine1/winmsofficemail`): `TotalAccountsCount` by the same rule.
//! - **ff_items** (`engine1/file`, Files and Folders): one per item.
//! - per account also `other_items` (every other engine, one per item) and `storage_bytes`: the sum
//!   of the account's active vaults' sizes at the time of the run (NULL for a day that is over when
//!   it is rolled up: the vault sizes of that day were not recorded).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use comet::engine::{ENGINE_FILE, ENGINE_HYPERV, ENGINE_MSOFFICE, ENGINE_VMWARE, ENGINE_WINDISK};
use serde_json::Value;

use super::dates;
use super::write::{ClientFigures, Part};
use crate::db::{Db, DbError};
use crate::with_pool;

pub const PART: Part = Part {
    fleet_table: "eb_items_daily",
    fleet_columns: &["di_devices", "hv_vms", "vw_vms", "m365_users", "ff_items"],
    client_columns: &["di_devices", "hv_vms", "vw_vms", "m365_users", "ff_items", "other_items", "storage_bytes"],
};

/// The seed's five counts (also the per-account ones), plus the per-account `other_items`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub di_devices: i64,
    pub hv_vms: i64,
    pub vw_vms: i64,
    pub m365_users: i64,
    pub ff_items: i64,
    pub other_items: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsDay {
    pub fleet: Counts,
    pub clients: Vec<ClientFigures>,
}

impl ItemsDay {
    pub fn fleet(&self) -> [i64; 5] {
        let c = &self.fleet;
        [c.di_devices, c.hv_vms, c.vw_vms, c.m365_users, c.ff_items]
    }
}

/// What one item adds (the Disk Image device is counted by its caller, distinct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contribution {
    DiskImage,
    HyperV(i64),
    VMware(i64),
    Microsoft365(i64),
    FilesAndFolders,
    Other,
}

/// The contribution of an item of `engine` whose stored content is `content` (JSON).
pub fn contribution(engine: &str, content: Option<&str>) -> Contribution {
    let parsed = || content.and_then(|c| serde_json::from_str::<Value>(c).ok()).unwrap_or(Value::Null);
    match engine {
        ENGINE_WINDISK => Contribution::DiskImage,
        ENGINE_HYPERV => Contribution::HyperV(job_figure(&parsed(), "TotalVmCount")),
        ENGINE_VMWARE => Contribution::VMware(job_figure(&parsed(), "TotalVmCount")),
        ENGINE_MSOFFICE => Contribution::Microsoft365(job_figure(&parsed(), "TotalAccountsCount")),
        ENGINE_FILE => Contribution::FilesAndFolders,
        _ => Contribution::Other,
    }
}

/// `Statistics.LastBackupJob.<field>` when positive, else `Statistics.LastSuccessfulBackupJob.<field>`,
/// else 0 (negative or non-numeric values count as 0).
pub fn job_figure(content: &Value, field: &str) -> i64 {
    let of = |job: &str| content.pointer(&format!("/Statistics/{job}/{field}")).and_then(Value::as_i64).filter(|n| *n > 0);
    of("LastBackupJob").or_else(|| of("LastSuccessfulBackupJob")).unwrap_or(0)
}

impl Counts {
    fn add(&mut self, c: Contribution) {
        match c {
            Contribution::DiskImage => {}
            Contribution::HyperV(n) => self.hv_vms += n,
            Contribution::VMware(n) => self.vw_vms += n,
            Contribution::Microsoft365(n) => self.m365_users += n,
            Contribution::FilesAndFolders => self.ff_items += 1,
            Contribution::Other => self.other_items += 1,
        }
    }
}

type ItemRow = (String, Option<String>, String, Option<String>, Option<String>, Option<DateTime<Utc>>);

/// Computes `day`'s figures (`now` decides whether the day is over).
pub async fn compute(db: &Db, day: NaiveDate, now: i64) -> Result<ItemsDay, DbError> {
    let t = dates::as_of(day, now);
    let day_over = dates::day_start(day) + 86_400 <= now;
    let rows: Vec<ItemRow> = with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, username, id, owner_device, type, created_at FROM comet_items"
    ).fetch_all(pool).await?);
    // Contents are read only for the engines whose count is in them.
    let mut wanted = Vec::new();
    let mut fleet = Counts::default();
    let mut accounts: BTreeMap<(String, String), Counts> = BTreeMap::new();
    let mut disk_devices: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut account_disk_devices: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (profile, username, id, owner, engine, created) in rows {
        if created.is_some_and(|c| c.timestamp() >= t) {
            continue;
        }
        let username = username.unwrap_or_default();
        let engine = engine.unwrap_or_default();
        let account = (profile.clone(), username.clone());
        match engine.as_str() {
            ENGINE_HYPERV | ENGINE_VMWARE | ENGINE_MSOFFICE => wanted.push((profile, id, account, engine)),
            _ => {
                let c = contribution(&engine, None);
                if c == Contribution::DiskImage {
                    // No owner: the item stands for a device of its own.
                    let device = owner.filter(|o| !o.is_empty()).unwrap_or_else(|| format!("item:{id}"));
                    disk_devices.insert((profile, username, device.clone()));
                    account_disk_devices.entry(account.clone()).or_default().insert(device);
                }
                fleet.add(c);
                accounts.entry(account).or_default().add(c);
            }
        }
    }
    for chunk in wanted.chunks(500) {
        let contents = contents_of(db, chunk.iter().map(|(p, id, _, _)| (p.as_str(), id.as_str()))).await?;
        for (profile, id, account, engine) in chunk {
            let content = contents.get(&(profile.clone(), id.clone())).and_then(|c| c.as_deref());
            let c = contribution(engine, content);
            fleet.add(c);
            accounts.entry(account.clone()).or_default().add(c);
        }
    }
    fleet.di_devices = disk_devices.len() as i64;
    for (account, devices) in account_disk_devices {
        accounts.entry(account).or_default().di_devices = devices.len() as i64;
    }
    let storage = if day_over { BTreeMap::new() } else { storage(db).await? };
    if !day_over {
        for account in storage.keys() {
            accounts.entry(account.clone()).or_default();
        }
    }
    let client_ids = super::devices::client_ids(db).await?;
    let clients = accounts
        .into_iter()
        .map(|(key, c)| ClientFigures {
            client_id: client_ids.get(&key).copied().flatten(),
            values: vec![
                Some(c.di_devices),
                Some(c.hv_vms),
                Some(c.vw_vms),
                Some(c.m365_users),
                Some(c.ff_items),
                Some(c.other_items),
                if day_over { None } else { Some(storage.get(&key).copied().unwrap_or(0)) },
            ],
            profile: key.0,
            username: key.1,
        })
        .collect();
    Ok(ItemsDay { fleet, clients })
}

async fn contents_of<'a>(
    db: &Db,
    keys: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<BTreeMap<(String, String), Option<String>>, DbError> {
    let keys: Vec<(&str, &str)> = keys.collect();
    if keys.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = format!(
        "SELECT profile, id, content FROM comet_items WHERE {}",
        vec!["(profile = ? AND id = ?)"; keys.len()].join(" OR ")
    );
    let rows: Vec<(String, String, Option<String>)> = with_pool!(db, pool => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for (p, id) in &keys {
            q = q.bind(*p).bind(*id);
        }
        q.fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(p, id, c)| ((p, id), c)).collect())
}

/// Bytes in each account's active vaults now.
async fn storage(db: &Db) -> Result<BTreeMap<(String, String), i64>, DbError> {
    let rows: Vec<(String, Option<String>, Option<i64>)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, username, CAST(SUM(COALESCE(total_bytes, 0)) AS SIGNED) FROM comet_vaults WHERE is_active = 1 GROUP BY profile, username"
    ).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(p, u, b)| ((p, u.unwrap_or_default()), b.unwrap_or(0))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_and_account_counts_come_from_the_jobs_comet_stores() {
        let last = r#"{"Statistics":{"LastBackupJob":{"TotalVmCount":4},"LastSuccessfulBackupJob":{"TotalVmCount":3}}}"#;
        assert_eq!(contribution(ENGINE_HYPERV, Some(last)), Contribution::HyperV(4));
        let failed_early = r#"{"Statistics":{"LastBackupJob":{"Status":7003},"LastSuccessfulBackupJob":{"TotalVmCount":3}}}"#;
        assert_eq!(contribution(ENGINE_VMWARE, Some(failed_early)), Contribution::VMware(3));
        let m365 = r#"{"Statistics":{"LastBackupJob":{"TotalAccountsCount":12,"TotalMailsCount":30}}}"#;
        assert_eq!(contribution(ENGINE_MSOFFICE, Some(m365)), Contribution::Microsoft365(12));
        assert_eq!(contribution(ENGINE_HYPERV, Some("{}")), Contribution::HyperV(0), "never backed up");
        assert_eq!(contribution(ENGINE_HYPERV, Some("not json")), Contribution::HyperV(0));
        assert_eq!(
            contribution(ENGINE_HYPERV, Some(r#"{"Statistics":{"LastBackupJob":{"TotalVmCount":-2}}}"#)),
            Contribution::HyperV(0)
        );
        assert_eq!(contribution(ENGINE_FILE, None), Contribution::FilesAndFolders);
        assert_eq!(contribution(ENGINE_WINDISK, None), Contribution::DiskImage);
        assert_eq!(contribution("engine1/mssql", None), Contribution::Other);
    }
}
