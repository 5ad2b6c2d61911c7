//! `rollup devices`: `eb_devices_daily` (the seed's `registered`, `active_24h`) from
//! `eb_devices_registry`, as `rollup_devices_daily.php` computed it, plus each account's device and
//! job figures in `eb_client_daily`.
//!
//! Counting rules, taken as of instant `T` (end of the day, or now for today; `dates::as_of`):
//! - **registered**: registry rows (one per device registration: server, account, DeviceID)
//!   registered before `T` and not removed by `T`. A removed row counts until its removal, which
//!   the registry records as its last change (`updated_at`); `registered_at = 0` (rows the PHP
//!   worker wrote without a time) counts as "always registered".
//! - **active_24h**: registered devices that finished a job in `(T - 24 h, T]`: the registry's
//!   `last_seen` (the worker bumps it on every job completion) or, for days before the latest
//!   `last_seen`, a job of that device in the job history (`comet_jobs.ended_at`), so a backfilled
//!   day is counted from what happened that day, not from today's `last_seen`.
//! - per account: the same two counts, `devices_online` (devices connected to Comet at the time of
//!   the run; NULL for a day that is over when it is rolled up: nobody recorded it), and the
//!   account's jobs that ended in the calendar day by `JobStatus::class` (success, warning,
//!   error, missed).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use comet::{JobStatus, StatusClass};

use super::dates;
use super::write::{ClientFigures, Part};
use crate::db::timestamp::DbTime;
use crate::db::{Db, DbError};
use crate::with_pool;

pub const PART: Part = Part {
    fleet_table: "eb_devices_daily",
    fleet_columns: &["registered", "active_24h"],
    client_columns: &[
        "devices_registered",
        "devices_active_24h",
        "devices_online",
        "jobs_ok",
        "jobs_warning",
        "jobs_failed",
        "jobs_missed",
    ],
};

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicesDay {
    pub registered: i64,
    pub active_24h: i64,
    pub clients: Vec<ClientFigures>,
}

impl DevicesDay {
    pub fn fleet(&self) -> [i64; 2] {
        [self.registered, self.active_24h]
    }
}

/// (server/profile, account, DeviceID).
type DeviceKey = (String, String, String);

#[derive(Debug, Default)]
struct Account {
    registered: i64,
    active: i64,
    online: i64,
    jobs: [i64; 4],
}

type RegistryRow = (String, String, String, i64, i64, String, Option<DateTime<Utc>>, i64);

/// Computes `day`'s figures (`now` decides whether the day is over).
pub async fn compute(db: &Db, day: NaiveDate, now: i64) -> Result<DevicesDay, DbError> {
    let t = dates::as_of(day, now);
    let day_over = dates::day_start(day) + 86_400 <= now;
    let rows: Vec<RegistryRow> = with_pool!(db, pool => sqlx::query_as(
        "SELECT server_id, username, device_id, CAST(registered_at AS SIGNED), CAST(last_seen AS SIGNED), \
         CAST(status AS CHAR), updated_at, CAST(online AS SIGNED) FROM eb_devices_registry"
    ).fetch_all(pool).await?);
    let worked = devices_with_jobs(db, t - 86_400, t).await?;
    let mut accounts: BTreeMap<(String, String), Account> = BTreeMap::new();
    let (mut registered, mut active) = (0, 0);
    for (profile, username, device, registered_at, last_seen, status, updated_at, online) in rows {
        let removed_by_t = status == "removed" && updated_at.is_none_or(|u| u.timestamp() < t);
        if registered_at >= t || removed_by_t {
            continue;
        }
        let key: DeviceKey = (profile, username, device);
        let is_active = (last_seen > t - 86_400 && last_seen <= t) || worked.contains(&key);
        let account = accounts.entry((key.0.clone(), key.1.clone())).or_default();
        registered += 1;
        account.registered += 1;
        if is_active {
            active += 1;
            account.active += 1;
        }
        if online != 0 {
            account.online += 1;
        }
    }
    for ((profile, username), class, n) in jobs_by_class(db, day).await? {
        let slot = match class {
            StatusClass::Success => 0,
            StatusClass::Warning => 1,
            StatusClass::Missed => 3,
            StatusClass::Running => continue,
            _ => 2,
        };
        accounts.entry((profile, username)).or_default().jobs[slot] += n;
    }
    let client_ids = client_ids(db).await?;
    let clients = accounts
        .into_iter()
        .map(|((profile, username), a)| ClientFigures {
            client_id: client_ids.get(&(profile.clone(), username.clone())).copied().flatten(),
            profile,
            username,
            values: vec![
                Some(a.registered),
                Some(a.active),
                if day_over { None } else { Some(a.online) },
                Some(a.jobs[0]),
                Some(a.jobs[1]),
                Some(a.jobs[2]),
                Some(a.jobs[3]),
            ],
        })
        .collect();
    Ok(DevicesDay { registered, active_24h: active, clients })
}

/// Registrations that finished a job in `(from, to]` according to the job history.
async fn devices_with_jobs(db: &Db, from: i64, to: i64) -> Result<BTreeSet<DeviceKey>, DbError> {
    let (Some(from), Some(to)) = (DbTime::from_unix(from), DbTime::from_unix(to)) else { return Ok(BTreeSet::new()) };
    let rows: Vec<(String, String, String)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT DISTINCT d.profile, d.username, d.hash FROM comet_jobs j \
         JOIN comet_devices d ON d.profile = j.profile AND d.id = j.comet_device_id AND d.username = j.username \
         WHERE j.ended_at > ? AND j.ended_at <= ?"
    ).bind(from).bind(to).fetch_all(pool).await?);
    Ok(rows.into_iter().collect())
}

/// Jobs that ended in the calendar `day`, per account and status class.
async fn jobs_by_class(db: &Db, day: NaiveDate) -> Result<Vec<((String, String), StatusClass, i64)>, DbError> {
    let start = dates::day_start(day);
    let (Some(from), Some(to)) = (DbTime::from_unix(start), DbTime::from_unix(start + 86_400)) else { return Ok(Vec::new()) };
    let rows: Vec<(String, Option<String>, i64, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, username, CAST(status AS SIGNED), COUNT(*) FROM comet_jobs \
         WHERE ended_at >= ? AND ended_at < ? GROUP BY profile, username, status"
    ).bind(from).bind(to).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(p, u, status, n)| ((p, u.unwrap_or_default()), JobStatus::from(u64::try_from(status).unwrap_or(0)).class(), n))
        .collect())
}

/// `client_id` of every account we mirror.
pub(super) async fn client_ids(db: &Db) -> Result<BTreeMap<(String, String), Option<i64>>, DbError> {
    let rows: Vec<(String, String, Option<i64>)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, username, CAST(client_id AS SIGNED) FROM comet_users"
    ).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(p, u, c)| ((p, u), c)).collect())
}
