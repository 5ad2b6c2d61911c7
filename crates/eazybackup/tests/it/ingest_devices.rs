//! Device events into `comet_devices`, `eb_devices_registry` and the outbox, on both backends:
//! registration, revoke, online state, replays, out-of-order delivery, unowned accounts.

use chrono::{DateTime, Utc};
use comet::{EventType, StreamableEvent};
use eazybackup::db::events::{self, Tx};
use eazybackup::db::users::Owner;
use eazybackup::db::{Db, devices};
use eazybackup::ingest::device_events::{self, DeviceEvent, DeviceOutcome};
use eazybackup::with_pool;
use serde_json::{Value, json};

use crate::whmcs_fixture::{ServiceRow, seed};

pub const PROFILE: &str = "eazybackup";
pub const NOW: i64 = 1_790_000_000; // 2026-09-21, fixed so assertions are exact

/// alice (client 1, service 101) and bob (client 2, service 201) on `eazybackup`.
pub async fn prepare(db: &Db) {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    seed(
        db,
        &[
            ServiceRow { service_id: 101, client_id: 1, profile: PROFILE, username: "alice", status: "Active" },
            ServiceRow { service_id: 201, client_id: 2, profile: PROFILE, username: "bob", status: "Active" },
        ],
    )
    .await;
}

pub fn event(t: EventType, type_string: &str, actor: &str, resource: &str, ts: i64, data: Option<Value>) -> StreamableEvent {
    StreamableEvent {
        actor: actor.into(),
        resource_id: resource.into(),
        r#type: t,
        timestamp: ts,
        type_string: type_string.into(),
        data,
        ..Default::default()
    }
}

pub fn device_config(name: &str, os: &str, arch: &str) -> Value {
    json!({
        "FriendlyName": name,
        "RegistrationTime": NOW - 3600,
        "PlatformVersion": { "version": "10.0", "distribution": "Windows 11 Pro", "os": os, "arch": arch },
        "ClientVersion": "25.9.6"
    })
}

fn device_new(user: &str, id: &str, name: &str, ts: i64) -> StreamableEvent {
    event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", user, id, ts, Some(device_config(name, "windows", "amd64")))
}

/// Applies one event in its own transaction, as the worker would inside a batch.
pub async fn apply(db: &Db, e: &StreamableEvent) -> DeviceOutcome {
    let ev = DeviceEvent::from_event(e).expect("a device event").expect("well formed");
    let mut tx: Tx = events::begin(db).await.expect("begin");
    let mut owners = Vec::new();
    for user in ["alice", "bob", "nobody"] {
        owners.push((user, Owner::resolve(db, PROFILE, user).await.expect("owner")));
    }
    let owner_of = |u: &str| owners.iter().find(|(n, _)| *n == u).map(|(_, o)| *o).unwrap_or_default();
    let out = device_events::apply(&mut tx, PROFILE, &ev, owner_of, NOW).await.expect("apply");
    tx.commit().await.expect("commit");
    out
}

/// (kind, client_id, payload) of every outbox row, in id order.
pub async fn outbox(db: &Db) -> Vec<(String, Option<i64>, Value)> {
    let rows: Vec<(String, Option<i64>, String)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT kind, CAST(client_id AS SIGNED), payload FROM eb_events ORDER BY id"
    ).fetch_all(pool).await.unwrap());
    rows.into_iter().map(|(k, c, p)| (k, c, serde_json::from_str(&p).unwrap())).collect()
}

pub fn kinds(rows: &[(String, Option<i64>, Value)]) -> Vec<&str> {
    rows.iter().map(|r| r.0.as_str()).collect()
}

type DeviceRow =
    (String, Option<i64>, Option<String>, Option<String>, String, String, i64, Option<DateTime<Utc>>, i64, Option<DateTime<Utc>>);

async fn device_row(db: &Db, id: &str) -> Option<DeviceRow> {
    with_pool!(db, pool => sqlx::query_as(
        "SELECT hash, CAST(client_id AS SIGNED), username, name, platform_os, platform_arch, CAST(is_active AS SIGNED), revoked_at, CAST(online AS SIGNED), created_at FROM comet_devices WHERE hash = ?"
    ).bind(id).fetch_optional(pool).await.unwrap())
}

async fn registry_row(db: &Db, id: &str) -> Option<(String, String, String, i64, i64)> {
    with_pool!(db, pool => sqlx::query_as(
        "SELECT username, friendly_name, status, CAST(online AS SIGNED), CAST(last_seen AS SIGNED) FROM eb_devices_registry WHERE server_id = ? AND device_id = ?"
    ).bind(PROFILE).bind(id).fetch_optional(pool).await.unwrap())
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

eazybackup::both_backends!(device_new_is_stored_once_and_announced_once, |db| async {
    prepare(db).await;
    let e = device_new("alice", "dev-a1", "Front desk", NOW - 10);
    assert!(matches!(apply(db, &e).await, DeviceOutcome::Announced(_)));
    assert_eq!(apply(db, &e).await, DeviceOutcome::Unchanged, "a replay changes nothing");

    let (hash, client, user, name, os, arch, active, revoked, online, created) = device_row(db, "dev-a1").await.expect("row");
    assert_eq!((hash.as_str(), client, user.as_deref(), name.as_deref()), ("dev-a1", Some(1), Some("alice"), Some("Front desk")));
    assert_eq!((os.as_str(), arch.as_str(), active, revoked, online), ("windows", "amd64", 1, None, 0));
    assert_eq!(created.map(|c| c.timestamp()), Some(NOW - 3600), "created_at is the registration time");
    assert_eq!(registry_row(db, "dev-a1").await, Some(("alice".into(), "Front desk".into(), "active".into(), 0, 0)));
    assert_eq!(count(db, "SELECT COUNT(*) FROM comet_devices").await, 1);

    let out = outbox(db).await;
    assert_eq!(kinds(&out), ["device:new"]);
    assert_eq!(out[0].1, Some(1), "alice's client hears it");
    assert_eq!(out[0].2["service_id"], json!(101));
    assert_eq!(out[0].2["name"], json!("Front desk"));
    assert_eq!(out[0].2["is_active"], json!(true));
});

eazybackup::both_backends!(removed_revokes_and_an_older_registration_does_not_resurrect, |db| async {
    prepare(db).await;
    apply(db, &device_new("alice", "dev-a1", "Front desk", NOW - 100)).await;
    // Revoked by an administrator: the actor is not the owner.
    let removed = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", "admin", "dev-a1", NOW - 50, None);
    assert!(matches!(apply(db, &removed).await, DeviceOutcome::Announced(_)));
    assert_eq!(apply(db, &removed).await, DeviceOutcome::Unchanged, "a replayed removal changes nothing");

    let row = device_row(db, "dev-a1").await.unwrap();
    assert_eq!((row.6, row.7.map(|t| t.timestamp())), (0, Some(NOW - 50)), "inactive, revoked at the event time");
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().2, "removed");

    // A late copy of the registration (older than the revoke) must not bring it back.
    assert_eq!(apply(db, &device_new("alice", "dev-a1", "Front desk", NOW - 100)).await, DeviceOutcome::Unchanged);
    assert_eq!(device_row(db, "dev-a1").await.unwrap().6, 0);
    // A registration after the revoke does.
    assert!(matches!(apply(db, &device_new("alice", "dev-a1", "Front desk", NOW - 10)).await, DeviceOutcome::Announced(_)));
    let row = device_row(db, "dev-a1").await.unwrap();
    assert_eq!((row.6, row.7), (1, None));
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().2, "active");

    let out = outbox(db).await;
    assert_eq!(kinds(&out), ["device:new", "device:removed", "device:new"]);
    assert!(out.iter().all(|r| r.1 == Some(1)), "the removal is alice's although an admin did it");
});

eazybackup::both_backends!(a_removal_of_a_device_we_never_saw_writes_nothing, |db| async {
    prepare(db).await;
    // Which account lost it is not in the event (the Actor may be an administrator): the profile
    // write that follows a real removal, or the reconcile, settles it.
    let removed = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", "bob", "dev-b9", NOW - 20, None);
    assert_eq!(apply(db, &removed).await, DeviceOutcome::Unchanged);
    assert!(device_row(db, "dev-b9").await.is_none());
    assert!(registry_row(db, "dev-b9").await.is_none());
    assert!(outbox(db).await.is_empty(), "no browser knew the device, so nothing is announced");
});

eazybackup::both_backends!(online_state_changes_only_on_real_newer_changes, |db| async {
    prepare(db).await;
    apply(db, &device_new("alice", "dev-a1", "Front desk", NOW - 100)).await;
    let connect = event(
        EventType::DEVICE_LIVE_CONNECT,
        "SEVT_DEVICE_LIVE_CONNECT",
        "alice",
        "dev-a1",
        NOW - 90,
        Some(json!({"Username": "alice", "DeviceID": "dev-a1"})),
    );
    assert!(matches!(apply(db, &connect).await, DeviceOutcome::Announced(_)));
    assert_eq!(apply(db, &connect).await, DeviceOutcome::Unchanged);
    assert_eq!(device_row(db, "dev-a1").await.unwrap().8, 1);
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().3, 1);

    let stale = event(EventType::DEVICE_LIVE_DISCONNECT, "SEVT_DEVICE_LIVE_DISCONNECT", "alice", "dev-a1", NOW - 95, None);
    assert_eq!(apply(db, &stale).await, DeviceOutcome::Unchanged, "older than the connect");
    let disconnect = event(EventType::DEVICE_LIVE_DISCONNECT, "SEVT_DEVICE_LIVE_DISCONNECT", "alice", "dev-a1", NOW - 80, None);
    assert!(matches!(apply(db, &disconnect).await, DeviceOutcome::Announced(_)));
    let row = device_row(db, "dev-a1").await.unwrap();
    assert_eq!((row.6, row.8), (1, 0), "offline, still registered");
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().3, 0);

    let unknown = event(EventType::DEVICE_LIVE_CONNECT, "SEVT_DEVICE_LIVE_CONNECT", "alice", "dev-zz", NOW, None);
    assert_eq!(apply(db, &unknown).await, DeviceOutcome::Unchanged);
    let out = outbox(db).await;
    assert_eq!(kinds(&out), ["device:new", "device:online", "device:offline"]);
    assert_eq!((out[1].2["online"].clone(), out[2].2["online"].clone()), (json!(true), json!(false)));
});

eazybackup::both_backends!(a_device_of_an_unowned_account_is_stored_without_client, |db| async {
    prepare(db).await;
    apply(db, &device_new("nobody", "dev-n1", "Orphan", NOW - 10)).await;
    let row = device_row(db, "dev-n1").await.unwrap();
    assert_eq!((row.1, row.2.as_deref(), row.6), (None, Some("nobody"), 1));
    let out = outbox(db).await;
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].1, out[0].2["service_id"].clone()), (None, Value::Null));
});

eazybackup::both_backends!(last_seen_only_moves_forward, |db| async {
    prepare(db).await;
    apply(db, &device_new("alice", "dev-a1", "Front desk", NOW - 100)).await;
    apply(db, &device_new("alice", "dev-a2", "Laptop", NOW - 100)).await;
    for ts in [NOW - 50, NOW - 70, 0] {
        let mut tx = events::begin(db).await.unwrap();
        devices::touch_last_seen(&mut tx, PROFILE, &[("alice", "dev-a1", ts)]).await.unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().4, NOW - 50);

    // Several devices in one statement, each moving only forward.
    let mut tx = events::begin(db).await.unwrap();
    devices::touch_last_seen(
        &mut tx,
        PROFILE,
        &[("alice", "dev-a1", NOW - 60), ("alice", "dev-a2", NOW - 10), ("bob", "dev-a2", NOW), ("alice", "unknown", NOW)],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(registry_row(db, "dev-a1").await.unwrap().4, NOW - 50);
    assert_eq!(registry_row(db, "dev-a2").await.unwrap().4, NOW - 10);
});

/// Applies one event of `profile` in its own transaction; owners from WHMCS for that profile.
async fn apply_on(db: &Db, profile: &str, e: &StreamableEvent) -> DeviceOutcome {
    let ev = DeviceEvent::from_event(e).expect("a device event").expect("well formed");
    let mut tx: Tx = events::begin(db).await.expect("begin");
    let mut owners = Vec::new();
    for user in ["alice", "bob", "carol"] {
        owners.push((user, Owner::resolve(db, profile, user).await.expect("owner")));
    }
    let owner_of = |u: &str| owners.iter().find(|(n, _)| *n == u).map(|(_, o)| *o).unwrap_or_default();
    let out = device_events::apply(&mut tx, profile, &ev, owner_of, NOW).await.expect("apply");
    tx.commit().await.expect("commit");
    out
}

/// (profile, username, name, client, online, active) of every registration of `device_id`.
async fn registrations_of(db: &Db, device_id: &str) -> Vec<(String, String, String, Option<i64>, i64, i64)> {
    with_pool!(db, pool => sqlx::query_as(
        "SELECT profile, username, COALESCE(name, ''), CAST(client_id AS SIGNED), CAST(online AS SIGNED), CAST(is_active AS SIGNED) \
         FROM comet_devices WHERE hash = ? ORDER BY profile, username"
    ).bind(device_id).fetch_all(pool).await.unwrap())
}

fn live(t: EventType, name: &str, device: &str, username: Option<&str>, ts: i64) -> StreamableEvent {
    event(t, name, "admin", device, ts, username.map(|u| json!({ "Username": u, "DeviceID": device })))
}

// Issue 7 point 3, as reproduced: a device registered on profile `obc` with the id of another
// client's device on `eazybackup` renamed that client's device and swallowed its online events.
// A DeviceID names a machine; each (profile, account) registration is its own row.
eazybackup::both_backends!(the_same_device_id_on_another_server_is_another_device, |db| async {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    seed(
        db,
        &[
            ServiceRow { service_id: 101, client_id: 1, profile: "eazybackup", username: "alice", status: "Active" },
            ServiceRow { service_id: 301, client_id: 3, profile: "obc", username: "carol", status: "Active" },
        ],
    )
    .await;
    let shared = "DEVICE-SHARED";
    apply_on(db, "eazybackup", &device_new("alice", shared, "Alice front desk", NOW - 100)).await;
    assert!(matches!(
        apply_on(db, "obc", &device_new("carol", shared, "Carol laptop", NOW - 90)).await,
        DeviceOutcome::Announced(_)
    ));
    let s = |v: &str| v.to_string();
    assert_eq!(
        registrations_of(db, shared).await,
        [
            (s("eazybackup"), s("alice"), s("Alice front desk"), Some(1), 0, 1),
            (s("obc"), s("carol"), s("Carol laptop"), Some(3), 0, 1)
        ],
        "alice's device keeps its name and owner"
    );

    // Online events reach the device of their own server only.
    let connect = live(EventType::DEVICE_LIVE_CONNECT, "SEVT_DEVICE_LIVE_CONNECT", shared, None, NOW - 80);
    assert!(matches!(apply_on(db, "obc", &connect).await, DeviceOutcome::Announced(_)));
    assert!(matches!(apply_on(db, "eazybackup", &connect).await, DeviceOutcome::Announced(_)), "not swallowed");
    let disconnect = live(EventType::DEVICE_LIVE_DISCONNECT, "SEVT_DEVICE_LIVE_DISCONNECT", shared, None, NOW - 70);
    assert!(matches!(apply_on(db, "obc", &disconnect).await, DeviceOutcome::Announced(_)));
    let rows = registrations_of(db, shared).await;
    assert_eq!((rows[0].4, rows[1].4), (1, 0), "alice's stays online when carol's goes offline");

    // A revoke on one server leaves the other's registration alone.
    let removed = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", "admin", shared, NOW - 60, None);
    assert!(matches!(apply_on(db, "obc", &removed).await, DeviceOutcome::Announced(_)));
    let rows = registrations_of(db, shared).await;
    assert_eq!((rows[0].5, rows[1].5), (1, 0));

    let out = outbox(db).await;
    let seen: Vec<(&str, Option<i64>, &str)> =
        out.iter().map(|(k, c, p)| (k.as_str(), *c, p["profile"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        seen,
        [
            ("device:new", Some(1), "eazybackup"),
            ("device:new", Some(3), "obc"),
            ("device:online", Some(3), "obc"),
            ("device:online", Some(1), "eazybackup"),
            ("device:offline", Some(3), "obc"),
            ("device:removed", Some(3), "obc"),
        ]
    );
    assert!(out.iter().all(|(_, c, p)| (*c == Some(1)) == (p["name"] == json!("Alice front desk"))), "no cross-client names");
});

// One machine registered in two accounts of the same server: two rows; a live event that names
// its account changes that one only; one that does not (a disconnect has no connection in Data)
// changes neither and is left to the live connection list, and a removal that cannot say which
// account it was leaves both to the profile write that follows it.
eazybackup::both_backends!(one_device_id_in_two_accounts_of_one_server, |db| async {
    prepare(db).await;
    let shared = "DEVICE-TWICE";
    apply(db, &device_new("alice", shared, "Reception", NOW - 100)).await;
    assert!(matches!(apply(db, &device_new("bob", shared, "Bob's copy", NOW - 100)).await, DeviceOutcome::Announced(_)));
    let connect_bob = live(EventType::DEVICE_LIVE_CONNECT, "SEVT_DEVICE_LIVE_CONNECT", shared, Some("bob"), NOW - 90);
    assert!(matches!(apply(db, &connect_bob).await, DeviceOutcome::Announced(_)));
    let rows = registrations_of(db, shared).await;
    assert_eq!(
        rows.iter().map(|r| (r.1.as_str(), r.2.as_str(), r.4)).collect::<Vec<_>>(),
        [("alice", "Reception", 0), ("bob", "Bob's copy", 1)]
    );
    let disconnect_either = live(EventType::DEVICE_LIVE_DISCONNECT, "SEVT_DEVICE_LIVE_DISCONNECT", shared, None, NOW - 80);
    assert_eq!(apply(db, &disconnect_either).await, DeviceOutcome::Ambiguous);
    assert_eq!(registrations_of(db, shared).await.iter().map(|r| r.4).collect::<Vec<_>>(), [0, 1], "nothing guessed");
    let removed = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", "admin", shared, NOW - 70, None);
    assert_eq!(apply(db, &removed).await, DeviceOutcome::Unchanged);
    assert!(registrations_of(db, shared).await.iter().all(|r| r.5 == 1));
    let out = outbox(db).await;
    assert_eq!(kinds(&out), ["device:new", "device:new", "device:online"]);
    assert_eq!(out[2].1, Some(2), "bob's connection is announced to bob's client only");
});

#[test]
fn malformed_device_events_are_reported() {
    let no_id = event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", "alice", "", NOW, Some(device_config("x", "linux", "arm64")));
    assert!(matches!(DeviceEvent::from_event(&no_id), Some(Err(_))));
    let no_data = event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", "alice", "dev", NOW, None);
    assert!(matches!(DeviceEvent::from_event(&no_data), Some(Err(_))));
    let wrong = event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", "alice", "dev", NOW, Some(json!([1, 2])));
    assert!(matches!(DeviceEvent::from_event(&wrong), Some(Err(_))));
    let login = event(EventType::ACCOUNT_LOGIN, "SEVT_ACCOUNT_LOGIN", "alice", "/api", NOW, None);
    assert!(DeviceEvent::from_event(&login).is_none());
}

/// End to end through the real worker and the simulator: a device registers (DEVICE_NEW, then a
/// profile write, then a live connect), is renamed (only a profile write), goes offline and is
/// revoked by an administrator; a job of a seeded device lands in `comet_jobs` and bumps its
/// `last_seen`.
mod end_to_end {
    use std::time::Duration;

    use comet::{AdminClient, Credentials};
    use comet_sim::{SeedUser, Sim, SimConfig, StartJob};

    use super::*;
    use crate::worker::{eventually, spawn_worker};

    async fn scalar(db: &Db, sql: &'static str, key: &str) -> Option<i64> {
        with_pool!(db, pool => sqlx::query_scalar::<_, Option<i64>>(sql).bind(key).fetch_optional(pool).await.unwrap()).flatten()
    }

    async fn name_of(db: &Db, id: &str) -> Option<String> {
        with_pool!(db, pool => sqlx::query_scalar::<_, Option<String>>("SELECT name FROM comet_devices WHERE hash = ?")
            .bind(id).fetch_optional(pool).await.unwrap())
        .flatten()
    }

    eazybackup::both_backends!(devices_items_and_job_history_follow_the_server, |db| async {
        prepare(db).await;
        let mut cfg = SimConfig::for_tests();
        cfg.users = vec![SeedUser { username: "alice".into(), password: "alice-pass".into(), devices: 1 }];
        let sim = Sim::start(cfg).await.expect("simulator starts");
        let creds = sim.admin_creds();
        let admin = AdminClient::new(
            &sim.base_url(),
            Credentials { username: creds.username.clone(), password: creds.password.clone(), ..Default::default() },
        )
        .expect("admin client");
        let stop = spawn_worker(&sim, db);
        tokio::time::sleep(Duration::from_millis(500)).await;

        // The seeded profile arrives with the first profile write.
        sim.touch_profile("alice").expect("touch");
        eventually("alice's seeded items", || async {
            scalar(db, "SELECT COUNT(*) FROM comet_items WHERE username = ?", "alice").await.unwrap_or(0) > 0
        })
        .await;

        let http = reqwest::Client::new();
        let registered = http
            .post(format!("{}/__sim/devices/dev-e2e/register", sim.base_url()))
            .json(&json!({"username": "alice", "friendly_name": "New laptop", "os": "linux"}))
            .send()
            .await
            .expect("register");
        assert!(registered.status().is_success(), "{:?}", registered.text().await);
        eventually("the new device online", || async {
            scalar(db, "SELECT CAST(online AS SIGNED) FROM comet_devices WHERE hash = ?", "dev-e2e").await == Some(1)
        })
        .await;
        assert_eq!(name_of(db, "dev-e2e").await.as_deref(), Some("New laptop"));

        // Rename: the real server only writes the profile.
        let (mut p, hash) = {
            let r = admin.get_user_profile_and_hash("alice").await.expect("profile");
            (r.profile, r.profile_hash)
        };
        p.devices.get_mut("dev-e2e").expect("registered").friendly_name = "Renamed laptop".into();
        admin.set_user_profile_hash("alice", &p, &hash).await.expect("rename");
        eventually("the rename", || async { name_of(db, "dev-e2e").await.as_deref() == Some("Renamed laptop") }).await;

        sim.set_device_online("dev-e2e", false).expect("offline");
        eventually("the device offline", || async {
            scalar(db, "SELECT CAST(online AS SIGNED) FROM eb_devices_registry WHERE device_id = ?", "dev-e2e").await == Some(0)
        })
        .await;
        admin.revoke_device("alice", "dev-e2e").await.expect("revoke");
        eventually("the device revoked", || async {
            scalar(db, "SELECT CAST(is_active AS SIGNED) FROM comet_devices WHERE hash = ?", "dev-e2e").await == Some(0)
        })
        .await;

        let job = sim.start_job(StartJob::new("alice", 1.0, 5000)).expect("job");
        eventually("the job in the history, finished", || async {
            scalar(db, "SELECT CAST(status AS SIGNED) FROM comet_jobs WHERE id = ?", &job).await == Some(5000)
        })
        .await;
        let device = sim.core().job(&job).expect("job known").device_id;
        eventually("last_seen bumped", || async {
            scalar(db, "SELECT CAST(last_seen AS SIGNED) FROM eb_devices_registry WHERE device_id = ?", &device)
                .await
                .unwrap_or(0)
                > 0
        })
        .await;

        let out = outbox(db).await;
        let device_events: Vec<&str> =
            out.iter().filter(|r| r.2["device_id"] == json!("dev-e2e")).map(|r| r.0.as_str()).collect();
        assert_eq!(device_events, ["device:new", "device:online", "device:updated", "device:offline", "device:removed"]);
        assert!(out.iter().filter(|r| r.0.starts_with("device:")).all(|r| r.1 == Some(1)));
        stop.cancel();
        sim.shutdown().await;
    });
}

eazybackup::both_backends!(job_history_keeps_a_finished_job_final, |db| async {
    use comet::{BackupJobDetail, JobClassification, JobStatus};
    use eazybackup::db::job_history;
    use eazybackup::db::timestamp::DbTime;
    prepare(db).await;
    let running = BackupJobDetail {
        guid: "job-h1".into(),
        username: "alice".into(),
        device_id: "dev-a1".into(),
        source_guid: "item-1".into(),
        destination_guid: "vault-1".into(),
        classification: JobClassification(4001),
        status: JobStatus(6001),
        start_time: NOW - 100,
        ..Default::default()
    };
    let finished =
        BackupJobDetail { status: JobStatus(7001), end_time: NOW - 10, total_size: 500, upload_size: 50, ..running.clone() };
    let owner = Owner::resolve(db, PROFILE, "alice").await.unwrap();
    let now = DbTime::from_unix(NOW).unwrap();
    for job in [&running, &finished, &running] {
        let mut tx = events::begin(db).await.unwrap();
        job_history::upsert(&mut tx, PROFILE, &job_history::JobHistoryRow::from_job(job).unwrap(), &owner, now).await.unwrap();
        tx.commit().await.unwrap();
    }
    let row: (i64, i64, Option<i64>, String, Option<DateTime<Utc>>, i64) = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(status AS SIGNED), CAST(type AS SIGNED), CAST(client_id AS SIGNED), comet_device_id, ended_at, upload_bytes FROM comet_jobs WHERE id = 'job-h1'"
    ).fetch_one(pool).await.unwrap());
    assert_eq!((row.0, row.1, row.2), (7001, 4001, Some(1)), "the late running copy did not reopen the job");
    assert_eq!(row.3, eazybackup::db::items::comet_device_id(Some(eazybackup::db::tenancy::ClientId(1)), "dev-a1"));
    assert_eq!((row.4.map(|t| t.timestamp()), row.5), (Some(NOW - 10), 50));
});
