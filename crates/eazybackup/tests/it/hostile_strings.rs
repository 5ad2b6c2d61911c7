//! Comet-controlled text that one tenant chooses (names, locales, ids) must never fail a write:
//! display columns are cut to their width at a character boundary, rows whose own key does not
//! fit are refused alone, on both backends (MariaDB in strict mode, as production runs).

use comet::{BackupJobDetail, JobClassification, JobStatus, UserProfileConfig};
use eazybackup::db::audit::{self, AuditEntry, AuditResult};
use eazybackup::db::events;
use eazybackup::db::jobs::{JobBatch, JobEnd, JobStart};
use eazybackup::db::tenancy::ClientId;
use eazybackup::db::timestamp::DbTime;
use eazybackup::db::users::Owner;
use eazybackup::db::{Db, job_history};
use eazybackup::ingest::profile_sync;
use eazybackup::with_pool;
use serde_json::json;

use crate::ingest_devices::{NOW, PROFILE, prepare};

/// Text a tenant can put in any Comet string: long, 4-byte UTF-8, replacement characters, NUL
/// and other control characters, bidirectional overrides, combining marks.
fn hostile_samples() -> Vec<(&'static str, String)> {
    vec![
        ("300 ASCII characters", "x".repeat(300)),
        ("10,000 characters", "y".repeat(10_000)),
        ("300 emoji", "😀".repeat(300)),
        ("U+FFFD", "\u{FFFD}".repeat(300)),
        ("NUL, controls and RTL marks", format!("a\u{0}b\u{1}\u{7}\u{1b}[31m\u{202E}evil\u{200F}\u{FEFF}{}", "é".repeat(300))),
        ("combining marks", "e\u{301}".repeat(200)),
        ("short but odd", "\u{0}\u{202E}😀".into()),
    ]
}

/// The first `n` characters.
fn prefix(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn profile_with_everything(s: &str) -> UserProfileConfig {
    serde_json::from_value(json!({
        "Username": "alice",
        "AccountName": s,
        "LocalTimezone": s,
        "LanguageCode": s,
        "PolicyID": s,
        "Devices": { "dev-a1": {
            "FriendlyName": s,
            "RegistrationTime": NOW - 3600,
            "PlatformVersion": { "version": s, "distribution": s, "os": s, "arch": s },
            "ClientVersion": s
        }},
        "Sources": { "item-1": {
            "Engine": s, "Description": s, "OwnerDevice": "dev-a1", "CreateTime": NOW - 100, "ModifyTime": NOW - 50,
            "EngineProps": { "INCLUDE0": s }
        }},
        "Destinations": { "vault-1": {
            "Description": s, "DestinationType": 1003, "CometServer": s, "CometBucket": s, "CreateTime": NOW - 100
        }},
    }))
    .expect("a profile")
}

async fn apply(db: &Db, username: &str, p: &UserProfileConfig) -> profile_sync::ProfileSync {
    let owner = Owner::resolve(db, PROFILE, username).await.unwrap();
    let mut tx = events::begin(db).await.unwrap();
    let sync = profile_sync::apply_profile(&mut tx, PROFILE, username, &owner, p, NOW - 5, NOW)
        .await
        .unwrap_or_else(|e| panic!("applying {username}'s profile failed: {e}"));
    tx.commit().await.unwrap();
    sync
}

async fn one_string(db: &Db, sql: &'static str) -> String {
    with_pool!(db, pool => sqlx::query_scalar::<_, String>(sql).fetch_one(pool).await.unwrap())
}

eazybackup::both_backends!(every_comet_string_of_a_profile_is_stored_cut_to_its_column, |db| async {
    prepare(db).await;
    for (label, s) in hostile_samples() {
        let p = profile_with_everything(&s);
        apply(db, "alice", &p).await;
        let checks: [(&str, &'static str, usize); 11] = [
            ("device name", "SELECT COALESCE(name, '') FROM comet_devices WHERE hash = 'dev-a1'", 255),
            ("device os", "SELECT platform_os FROM comet_devices WHERE hash = 'dev-a1'", 32),
            ("device arch", "SELECT platform_arch FROM comet_devices WHERE hash = 'dev-a1'", 32),
            ("registry name", "SELECT friendly_name FROM eb_devices_registry WHERE device_id = 'dev-a1'", 255),
            ("item name", "SELECT name FROM comet_items WHERE id = 'item-1'", 255),
            ("item engine", "SELECT type FROM comet_items WHERE id = 'item-1'", 255),
            ("vault name", "SELECT name FROM comet_vaults WHERE id = 'vault-1'", 255),
            ("vault server", "SELECT COALESCE(bucket_server, '') FROM comet_vaults WHERE id = 'vault-1'", 255),
            ("account name", "SELECT account_name FROM comet_users WHERE username = 'alice'", 255),
            ("locale", "SELECT locale FROM comet_users WHERE username = 'alice'", 32),
            ("time zone", "SELECT timezone FROM comet_users WHERE username = 'alice'", 64),
        ];
        for (what, sql, width) in checks {
            assert_eq!(one_string(db, sql).await, prefix(&s, width), "{what} for {label}");
        }
        // The device's outbox payload names it as stored (the browser shows what the table holds).
        let payload = one_string(db, "SELECT payload FROM eb_events WHERE kind LIKE 'device:%' ORDER BY id DESC LIMIT 1").await;
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["name"], json!(prefix(&s, 255)), "device payload for {label}");
        // The whole document is kept where the column is LONGTEXT.
        let content = one_string(db, "SELECT content FROM comet_devices WHERE hash = 'dev-a1'").await;
        let content: serde_json::Value = serde_json::from_str(&content).unwrap();
        assert_eq!(content["FriendlyName"], json!(s), "device content for {label}");
    }
    // The same profile again is a replay: nothing is announced (stored and incoming names agree).
    let (_, last) = hostile_samples().pop().unwrap();
    let again = apply(db, "alice", &profile_with_everything(&last)).await;
    assert_eq!(again, profile_sync::ProfileSync::default());
});

eazybackup::both_backends!(a_row_whose_own_key_does_not_fit_is_refused_alone, |db| async {
    prepare(db).await;
    let long_item = "i".repeat(65);
    let long_vault = "v".repeat(65);
    let long_device = "d".repeat(300);
    let p: UserProfileConfig = serde_json::from_value(json!({
        "Username": "alice",
        "Devices": {
            "dev-ok": { "FriendlyName": "Fine", "PlatformVersion": { "os": "linux", "arch": "amd64" } },
            long_device.clone(): { "FriendlyName": "Forged", "PlatformVersion": { "os": "linux", "arch": "amd64" } }
        },
        "Sources": {
            "item-ok": { "Engine": "engine1/file", "Description": "Fine", "OwnerDevice": long_device.clone() },
            long_item.clone(): { "Engine": "engine1/file", "Description": "Forged", "OwnerDevice": "dev-ok" }
        },
        "Destinations": {
            "vault-ok": { "Description": "Fine", "DestinationType": 1000 },
            long_vault.clone(): { "Description": "Forged", "DestinationType": 1000 }
        },
    }))
    .unwrap();
    apply(db, "alice", &p).await;
    let ids = |sql: &'static str| async move {
        with_pool!(db, pool => sqlx::query_scalar::<_, String>(sql).fetch_all(pool).await.unwrap())
    };
    assert_eq!(ids("SELECT hash FROM comet_devices").await, ["dev-ok"]);
    assert_eq!(ids("SELECT device_id FROM eb_devices_registry").await, ["dev-ok"]);
    assert_eq!(ids("SELECT id FROM comet_items").await, ["item-ok"]);
    assert_eq!(ids("SELECT id FROM comet_vaults").await, ["vault-ok"]);
    // An owner device id too long for its column is stored as unknown, never cut.
    assert_eq!(ids("SELECT COALESCE(owner_device, '') FROM comet_items").await, [""]);
    // A second apply is a replay: the refused rows are refused again, quietly.
    assert_eq!(apply(db, "alice", &p).await, profile_sync::ProfileSync::default());

    // An account whose username does not fit is refused whole, without an error.
    let long_user = "u".repeat(300);
    apply(db, &long_user, &profile_with_everything("x")).await;
    let users = ids("SELECT username FROM comet_users").await;
    assert_eq!(users, ["alice"]);
});

fn hostile_job(guid: &str, username: &str, s: &str, finished: bool) -> BackupJobDetail {
    BackupJobDetail {
        guid: guid.into(),
        username: username.into(),
        classification: JobClassification(4001),
        status: JobStatus(if finished { 7002 } else { 6001 }),
        start_time: NOW - 100,
        end_time: if finished { NOW - 10 } else { 0 },
        source_guid: s.into(),
        destination_guid: s.into(),
        device_id: s.into(),
        snapshot_id: s.into(),
        cancellation_id: s.into(),
        client_version: s.into(),
        ..Default::default()
    }
}

eazybackup::both_backends!(job_rows_with_hostile_strings_are_written_or_refused_alone, |db| async {
    prepare(db).await;
    let owner = Some((ClientId(1), 101));
    let mut n = 0;
    for (label, s) in hostile_samples() {
        n += 1;
        let (running, ended) = (format!("run-{n}"), format!("end-{n}"));
        let start = hostile_job(&running, "alice", &s, false);
        let end = hostile_job(&ended, "alice", &s, true);
        let refused_key = hostile_job(&"j".repeat(65), "alice", &s, true);
        let refused_user = hostile_job(&format!("user-{n}"), &"u".repeat(300), &s, true);
        let mut tx = events::begin(db).await.unwrap();
        let mut batch = JobBatch::new(PROFILE);
        for job in [&start, &end, &refused_key, &refused_user] {
            if job.is_finished() {
                let e = JobEnd {
                    job: JobStart {
                        job_id: job.guid.clone(),
                        username: job.username.clone(),
                        device_id: job.device_id.clone(),
                        device_name: Some(s.clone()),
                        item_id: job.source_guid.clone(),
                        item_name: Some(s.clone()),
                        vault_id: job.destination_guid.clone(),
                        classification: 4001,
                        status: 7002,
                        started_at: job.start_time,
                    },
                    ended_at: job.end_time,
                    total_bytes: 1,
                    upload_bytes: 1,
                };
                batch.end(&mut tx, &e, owner, NOW).await.unwrap();
            } else {
                let st = JobStart {
                    job_id: job.guid.clone(),
                    username: job.username.clone(),
                    device_id: job.device_id.clone(),
                    device_name: Some(s.clone()),
                    item_id: job.source_guid.clone(),
                    item_name: Some(s.clone()),
                    vault_id: job.destination_guid.clone(),
                    classification: 4001,
                    status: 6001,
                    started_at: job.start_time,
                };
                batch.start(&mut tx, &st, owner, NOW).await.unwrap();
            }
        }
        batch.flush(&mut tx).await.unwrap_or_else(|e| panic!("live/recent rows for {label}: {e}"));
        let o = Owner { client_id: Some(ClientId(1)), service_id: Some(101) };
        let history: Vec<job_history::JobHistoryRow> = [&start, &end, &refused_key, &refused_user]
            .into_iter()
            .map(|j| job_history::JobHistoryRow::from_job(j).unwrap())
            .collect();
        let rows: Vec<_> = history.iter().map(|r| (r, o)).collect();
        job_history::upsert_many(&mut tx, PROFILE, &rows, DbTime::from_unix(NOW).unwrap())
            .await
            .unwrap_or_else(|e| panic!("comet_jobs rows for {label}: {e}"));
        tx.commit().await.unwrap();

        let live: Vec<(String, String, String)> = with_pool!(db, pool => sqlx::query_as(
            "SELECT job_id, device, source_guid FROM eb_jobs_live WHERE job_id = ?"
        ).bind(&running).fetch_all(pool).await.unwrap());
        assert_eq!(live.len(), 1, "the running job is live for {label}");
        let fits = s.chars().count() <= 64;
        assert_eq!(live[0].2, if fits { s.clone() } else { String::new() }, "an over-long item id is unknown, not cut ({label})");
        assert_eq!(live[0].1, if s.chars().count() <= 255 { s.clone() } else { String::new() }, "device ({label})");
        let recent: i64 = with_pool!(db, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM eb_jobs_recent_24h WHERE job_id = ?"
        ).bind(&ended).fetch_one(pool).await.unwrap());
        assert_eq!(recent, 1, "the finished job is recorded for {label}");
        let history: Vec<(String, String)> = with_pool!(db, pool => sqlx::query_as(
            "SELECT id, comet_cancellation_id FROM comet_jobs WHERE id IN (?, ?) ORDER BY id"
        ).bind(&running).bind(&ended).fetch_all(pool).await.unwrap());
        assert_eq!(history.len(), 2, "both jobs are in the history for {label}");
    }
    let refused: i64 = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM eb_jobs_recent_24h WHERE job_id LIKE 'jjj%' OR job_id LIKE 'user-%') + (SELECT COUNT(*) FROM comet_jobs WHERE id LIKE 'jjj%' OR id LIKE 'user-%')"
    ).fetch_one(pool).await.unwrap());
    assert_eq!(refused, 0, "jobs whose id or username does not fit are refused");
});

eazybackup::both_backends!(audit_rows_fit_whatever_the_browser_sends, |db| async {
    prepare(db).await;
    for (label, s) in hostile_samples() {
        let mut tx = events::begin(db).await.unwrap();
        let entry = AuditEntry {
            client: ClientId(1),
            user_id: None,
            service_id: Some(101),
            profile: PROFILE,
            username: "alice",
            action: &s,
            target: &s,
            result: AuditResult::Denied,
            message: Some(&s.repeat(8)),
            ip: "",
        };
        audit::append(&mut tx, &entry, NOW).await.unwrap_or_else(|e| panic!("audit for {label}: {e}"));
        tx.commit().await.unwrap();
        let (action, target): (String, String) = with_pool!(db, pool => sqlx::query_as(
            "SELECT action, target FROM eb_audit_log ORDER BY id DESC LIMIT 1"
        ).fetch_one(pool).await.unwrap());
        assert_eq!((action, target), (prefix(&s, 64), prefix(&s, 255)), "{label}");
    }
});

eazybackup::both_backends!(a_server_identity_too_long_for_the_cursor_never_fails_the_cursor_write, |db| async {
    prepare(db).await;
    let source = eazybackup::db::cursor::source_for_profile(PROFILE);
    let cursor = eazybackup::db::cursor::Cursor { last_ts: i64::MAX, server_start_hash: Some("h".repeat(300)) };
    eazybackup::db::cursor::save(db, &source, &cursor, NOW).await.expect("the cursor is saved");
    let stored = eazybackup::db::cursor::load(db, &source).await.unwrap().unwrap();
    assert_eq!(stored.server_start_hash, None, "an identity the column cannot hold is stored as unknown, never cut");
    assert_eq!(stored.last_ts, i64::from(u32::MAX));
});

eazybackup::both_backends!(device_events_with_hostile_strings_are_written_or_refused_alone, |db| async {
    use comet::EventType;
    use eazybackup::ingest::device_events::DeviceOutcome;

    use crate::ingest_devices::{apply as apply_device_event, event};
    prepare(db).await;
    for (n, (label, s)) in hostile_samples().into_iter().enumerate() {
        let id = format!("dev-{n}");
        let cfg = json!({"FriendlyName": s, "PlatformVersion": {"os": s, "arch": s}, "ClientVersion": s});
        let new = event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", "alice", &id, NOW - 10, Some(cfg));
        assert!(matches!(apply_device_event(db, &new).await, DeviceOutcome::Announced(_)), "{label}");
        let (name, os): (String, String) = with_pool!(db, pool => sqlx::query_as(
            "SELECT COALESCE(name, ''), platform_os FROM comet_devices WHERE hash = ?"
        ).bind(&id).fetch_one(pool).await.unwrap());
        assert_eq!((name, os), (prefix(&s, 255), prefix(&s, 32)), "{label}");
    }
    // A forged device id is refused quietly; a revoke of a device we never saw (here by an actor whose
    // name would not fit) writes nothing at all, since `Actor` never names the account.
    let forged =
        event(EventType::DEVICE_NEW, "SEVT_DEVICE_NEW", "alice", &"d".repeat(129), NOW - 5, Some(json!({"FriendlyName": "x"})));
    assert_eq!(apply_device_event(db, &forged).await, DeviceOutcome::Unchanged);
    let revoke = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", &"a".repeat(10_000), "never-seen", NOW - 4, None);
    assert_eq!(apply_device_event(db, &revoke).await, DeviceOutcome::Unchanged);
    let rows: i64 =
        with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM comet_devices").fetch_one(pool).await.unwrap());
    assert_eq!(rows, hostile_samples().len() as i64, "only the devices whose keys fit were written");
});
