//! `eazybackup rollup devices|items` on a fixture fleet with a Protected Item of every engine the
//! seed counts (and one it does not), on both backends: the seed's fleet counts, the per-account
//! breakdown, immutability and `--force`, and a backfilled day counted from that day's history.

use chrono::NaiveDate;
use comet::UserProfileConfig;
use eazybackup::db::Db;
use eazybackup::db::events;
use eazybackup::db::items::comet_device_id;
use eazybackup::db::tenancy::ClientId;
use eazybackup::db::timestamp::DbTime;
use eazybackup::db::users::Owner;
use eazybackup::ingest::profile_sync;
use eazybackup::rollup::write::Written;
use eazybackup::rollup::{self, Which, dates};
use eazybackup::with_pool;
use serde_json::{Value, json};

use crate::ingest_devices::{NOW, PROFILE, device_config, prepare};

/// The fixture's day (NOW is 2026-09-21 13:33:20 UTC) and a moment later that day.
fn day() -> NaiveDate {
    chrono::DateTime::from_timestamp(NOW, 0).unwrap().date_naive()
}
const LATER: i64 = NOW + 60;
const REGISTERED: i64 = NOW - 5 * 86_400;

fn item(engine: &str, owner: &str, statistics: Value) -> Value {
    json!({
        "Engine": engine,
        "Description": format!("{engine} on {owner}"),
        "OwnerDevice": owner,
        "CreateTime": NOW - 10 * 86_400,
        "ModifyTime": NOW - 10 * 86_400,
        "EngineProps": {},
        "Statistics": statistics,
    })
}

fn job(fields: Value) -> Value {
    let mut j = json!({ "GUID": "job-x", "Status": 5000, "TotalSize": 10 });
    j.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    j
}

fn last(fields: Value) -> Value {
    json!({ "LastStartTime": NOW - 600, "LastBackupJob": job(fields) })
}

fn device(name: &str) -> Value {
    let mut d = device_config(name, "windows", "amd64");
    d["RegistrationTime"] = json!(REGISTERED);
    d
}

fn profile(username: &str, sources: Value, devices: Value) -> UserProfileConfig {
    serde_json::from_value(json!({
        "Username": username,
        "AccountName": username,
        "CreateTime": NOW - 1_000_000,
        "Sources": sources,
        "Destinations": {},
        "Devices": devices,
    }))
    .expect("a profile")
}

/// alice: two Files and Folders items, three Disk Image items on two devices, Hyper-V (4 VMs in
/// its last job), VMware (last job failed before counting; 3 VMs in the last successful one),
/// Microsoft 365 (12 accounts), SQL Server (counted by no seed column).
fn alice() -> UserProfileConfig {
    alice_with(alice_sources())
}

fn alice_with(sources: Value) -> UserProfileConfig {
    profile("alice", sources, json!({ "dev-a1": device("Front desk"), "dev-a2": device("Server") }))
}

fn alice_sources() -> Value {
    json!({
            "a-file-1": item("engine1/file", "dev-a1", last(json!({}))),
            "a-file-2": item("engine1/file", "dev-a2", last(json!({}))),
            "a-disk-1": item("engine1/windisk", "dev-a1", last(json!({}))),
            "a-disk-2": item("engine1/windisk", "dev-a1", last(json!({}))),
            "a-disk-3": item("engine1/windisk", "dev-a2", last(json!({}))),
            "a-hyperv": item("engine1/hyperv", "dev-a1", last(json!({ "TotalVmCount": 4 }))),
            "a-vmware": item("engine1/vmware", "dev-a2", json!({
                "LastStartTime": NOW - 600,
                "LastBackupJob": job(json!({ "GUID": "job-failed", "Status": 7003 })),
                "LastSuccessfulBackupJob": job(json!({ "GUID": "job-ok", "TotalVmCount": 3 })),
            })),
            "a-m365": item("engine1/winmsofficemail", "dev-a1", last(json!({ "TotalAccountsCount": 12, "TotalMailsCount": 30 }))),
            "a-mssql": item("engine1/mssql", "dev-a1", last(json!({}))),
    })
}

/// bob: a Hyper-V item never backed up (no VMs counted), one Files and Folders item, one Disk
/// Image device; a second device that is removed later.
fn bob() -> UserProfileConfig {
    profile(
        "bob",
        json!({
            "b-hyperv": item("engine1/hyperv", "dev-b1", json!({})),
            "b-file": item("engine1/file", "dev-b1", last(json!({}))),
            "b-disk": item("engine1/windisk", "dev-b1", last(json!({}))),
        }),
        json!({ "dev-b1": device("Laptop"), "dev-b2": device("Old laptop") }),
    )
}

async fn apply(db: &Db, p: &UserProfileConfig, username: &str) {
    let owner = Owner::resolve(db, PROFILE, username).await.unwrap();
    let mut tx = events::begin(db).await.unwrap();
    profile_sync::apply_profile(&mut tx, PROFILE, username, &owner, p, NOW - 5, NOW).await.unwrap();
    tx.commit().await.unwrap();
}

async fn history_job(db: &Db, id: &str, username: &str, client: i64, device: &str, status: i64, ended: i64) {
    with_pool!(db, pool => sqlx::query(
        "INSERT INTO comet_jobs (id, profile, username, client_id, comet_device_id, status, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    .bind(id).bind(PROFILE).bind(username).bind(client)
    .bind(comet_device_id(Some(ClientId(client)), device)).bind(status)
    .bind(DbTime::from_unix(ended - 60).unwrap()).bind(DbTime::from_unix(ended).unwrap())
    .execute(pool).await.map(|_| ()).unwrap());
}

/// The fleet: profiles applied, dev-a1 finished a job today, dev-a2 one yesterday (history only),
/// dev-b2 removed ten minutes ago, and today's job outcomes.
async fn fleet(db: &Db) {
    prepare(db).await;
    apply(db, &alice(), "alice").await;
    apply(db, &bob(), "bob").await;
    let mut tx = events::begin(db).await.unwrap();
    eazybackup::db::devices::touch_last_seen(&mut tx, PROFILE, &[("alice", "dev-a1", NOW - 100)]).await.unwrap();
    tx.commit().await.unwrap();
    let start = dates::day_start(day());
    history_job(db, "j-yesterday", "alice", 1, "dev-a2", 5000, start - 12 * 3600).await;
    history_job(db, "j-ok", "alice", 1, "dev-a1", 5000, NOW - 200).await;
    history_job(db, "j-warn", "alice", 1, "dev-a1", 7001, NOW - 300).await;
    history_job(db, "j-err", "bob", 2, "dev-b1", 7003, NOW - 400).await;
    history_job(db, "j-missed", "bob", 2, "dev-b1", 7004, NOW - 500).await;
    with_pool!(db, pool => sqlx::query(
        "UPDATE eb_devices_registry SET status = 'removed', updated_at = ? WHERE username = 'bob' AND device_id = 'dev-b2'"
    ).bind(DbTime::from_unix(NOW - 600).unwrap()).execute(pool).await.map(|_| ()).unwrap());
}

async fn fleet_row(db: &Db, which: Which, d: NaiveDate) -> Option<Vec<i64>> {
    let sql = match which {
        Which::Devices => {
            "SELECT CAST(registered AS SIGNED), CAST(active_24h AS SIGNED), 0, 0, 0 FROM eb_devices_daily WHERE d = ?"
        }
        Which::Items => {
            "SELECT CAST(di_devices AS SIGNED), CAST(hv_vms AS SIGNED), CAST(vw_vms AS SIGNED), CAST(m365_users AS SIGNED), CAST(ff_items AS SIGNED) FROM eb_items_daily WHERE d = ?"
        }
    };
    let row: Option<(i64, i64, i64, i64, i64)> =
        with_pool!(db, pool => sqlx::query_as(sql).bind(d).fetch_optional(pool).await.unwrap());
    row.map(|(a, b, c, d, e)| match which {
        Which::Devices => vec![a, b],
        Which::Items => vec![a, b, c, d, e],
    })
}

type ClientRow = (Option<i64>, i64, i64, Option<i64>, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, Option<i64>);

/// client_id, devices_registered, devices_active_24h, devices_online, jobs_ok, jobs_warning,
/// jobs_failed, jobs_missed, di_devices, hv_vms, vw_vms, m365_users, ff_items, other_items,
/// storage_bytes.
async fn client_row(db: &Db, username: &str, d: NaiveDate) -> Vec<Option<i64>> {
    let r: ClientRow = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(client_id AS SIGNED), CAST(devices_registered AS SIGNED), CAST(devices_active_24h AS SIGNED), CAST(devices_online AS SIGNED), \
         CAST(jobs_ok AS SIGNED), CAST(jobs_warning AS SIGNED), CAST(jobs_failed AS SIGNED), CAST(jobs_missed AS SIGNED), \
         CAST(di_devices AS SIGNED), CAST(hv_vms AS SIGNED), CAST(vw_vms AS SIGNED), CAST(m365_users AS SIGNED), CAST(ff_items AS SIGNED), \
         CAST(other_items AS SIGNED), storage_bytes FROM eb_client_daily WHERE profile = ? AND username = ? AND d = ?"
    ).bind(PROFILE).bind(username).bind(d).fetch_one(pool).await.unwrap());
    vec![
        r.0,
        Some(r.1),
        Some(r.2),
        r.3,
        Some(r.4),
        Some(r.5),
        Some(r.6),
        Some(r.7),
        Some(r.8),
        Some(r.9),
        Some(r.10),
        Some(r.11),
        Some(r.12),
        Some(r.13),
        r.14,
    ]
}

fn some(v: &[i64]) -> Vec<Option<i64>> {
    v.iter().copied().map(Some).collect()
}

eazybackup::both_backends!(rollups_count_every_engine_as_the_seed_defines, |db| async move {
    fleet(db).await;
    let d = day();

    let items = rollup::rollup_day(db, Which::Items, d, LATER, false).await.unwrap();
    assert_eq!(items.written, Written::Written);
    // Disk Image devices: alice dev-a1 (two items) and dev-a2, bob dev-b1 → 3; Hyper-V 4 + 0;
    // VMware 3 (from the last successful job); Microsoft 365 12; Files and Folders 3.
    assert_eq!(items.fleet, vec![3, 4, 3, 12, 3], "{}", items.line(Which::Items));
    assert_eq!(fleet_row(db, Which::Items, d).await, Some(vec![3, 4, 3, 12, 3]));
    assert_eq!(
        items.line(Which::Items),
        format!("rollup items {d}: di_devices 3, hv_vms 4, vw_vms 3, m365_users 12, ff_items 3 (2 accounts)")
    );

    let devices = rollup::rollup_day(db, Which::Devices, d, LATER, false).await.unwrap();
    // dev-b2 was removed before now: 3 registered; dev-a1 (last_seen) and dev-b1 (failed and
    // missed jobs are finished jobs too) were active in the last 24 h, dev-a2's job is older.
    assert_eq!(devices.fleet, vec![3, 2], "{}", devices.line(Which::Devices));
    assert_eq!(fleet_row(db, Which::Devices, d).await, Some(vec![3, 2]));

    // Per account: both rollups' columns in one row each.
    let a = client_row(db, "alice", d).await;
    assert_eq!(a, some(&[1, 2, 1, 0, 1, 1, 0, 0, 2, 4, 3, 12, 2, 1, 0]));
    let b = client_row(db, "bob", d).await;
    assert_eq!(b, some(&[2, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0]));

    // Immutable: a new item and a new run change nothing…
    let mut sources = alice_sources();
    sources["a-file-3"] = item("engine1/file", "dev-a1", last(json!({})));
    apply(db, &alice_with(sources), "alice").await;
    let again = rollup::rollup_day(db, Which::Items, d, LATER, false).await.unwrap();
    assert_eq!(again.written, Written::Kept);
    assert_eq!(again.line(Which::Items), format!("rollup items {d}: kept (already rolled up; --force rewrites it)"));
    assert_eq!(fleet_row(db, Which::Items, d).await, Some(vec![3, 4, 3, 12, 3]));
    assert_eq!(client_row(db, "alice", d).await[12], Some(2));
    // …until forced; the device columns written by the other rollup stay.
    let forced = rollup::rollup_day(db, Which::Items, d, LATER, true).await.unwrap();
    assert_eq!((forced.written, forced.fleet.clone()), (Written::Written, vec![3, 4, 3, 12, 4]));
    let a = client_row(db, "alice", d).await;
    assert_eq!((a[1], a[2], a[12]), (Some(2), Some(1), Some(3)));
});

eazybackup::both_backends!(a_backfilled_day_is_counted_from_that_days_history, |db| async move {
    fleet(db).await;
    let yesterday = day().pred_opt().unwrap();
    // As of the end of yesterday: dev-b2 was still registered (4); dev-a2 finished a job then
    // (from the job history), dev-a1's job is today's.
    let devices = rollup::rollup_day(db, Which::Devices, yesterday, LATER, false).await.unwrap();
    assert_eq!(devices.fleet, vec![4, 1]);
    let a = client_row(db, "alice", yesterday).await;
    // Who was online then is not known for a past day: NULL, not 0. Today's jobs are not yesterday's.
    assert_eq!(a[1..6], [Some(2), Some(1), None, Some(1), Some(0)]);
    let items = rollup::rollup_day(db, Which::Items, yesterday, LATER, false).await.unwrap();
    assert_eq!(items.fleet, vec![3, 4, 3, 12, 3]);
    assert_eq!(client_row(db, "alice", yesterday).await[14], None, "vault sizes of a past day are not known");
    // Before any device or item existed: zeros, and no account rows.
    let long_ago = day() - chrono::Days::new(30);
    assert_eq!(rollup::rollup_day(db, Which::Devices, long_ago, LATER, false).await.unwrap().fleet, vec![0, 0]);
    assert_eq!(rollup::rollup_day(db, Which::Items, long_ago, LATER, false).await.unwrap().fleet, vec![0, 0, 0, 0, 0]);
});
