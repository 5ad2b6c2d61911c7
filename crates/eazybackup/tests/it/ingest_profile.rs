//! Profiles (`SEVT_ACCOUNT_UPDATED`) into `comet_items`, `comet_vaults`, `comet_users` and device
//! names, on both backends: normalised times, 39-character ids, pruning, replays, no vault secrets.

use chrono::{DateTime, Utc};
use comet::{EventType, UserProfileConfig};
use eazybackup::db::Db;
use eazybackup::db::events;
use eazybackup::db::items::comet_device_id;
use eazybackup::db::tenancy::ClientId;
use eazybackup::db::users::Owner;
use eazybackup::ingest::profile_sync::{self, ProfileSync};
use eazybackup::with_pool;
use serde_json::{Value, json};

use crate::ingest_devices::{NOW, PROFILE, apply as apply_device_event, device_config, event, kinds, outbox, prepare};

const WIZARD_ID: &str = "0123456789abcdef-0123-4567-0123456789ab"; // 16-4-4-12 hex: 39 characters

fn source(name: &str, owner_device: &str, create: i64, modify: i64, total: i64) -> Value {
    json!({
        "Engine": "engine1/file",
        "Description": name,
        "OwnerDevice": owner_device,
        "CreateTime": create,
        "ModifyTime": modify,
        "EngineProps": { "INCLUDE": "C:\\Users" },
        "Statistics": {
            "LastStartTime": NOW - 600,
            "LastBackupJob": { "GUID": "job-1", "Status": 5000, "TotalSize": total, "TotalFiles": 42, "TotalDirectories": 7 }
        }
    })
}

fn vault() -> Value {
    json!({
        "Description": "Cloud vault",
        "DestinationType": 1003,
        "CreateTime": NOW - 86_400,
        "CometServer": "https://storage.example.com/",
        "CometBucket": "bucket-77",
        "CometBucketKey": "TOPSECRET-bucket-key",
        "S3AccessKey": "AKIA-TOPSECRET",
        "S3SecretKey": "TOPSECRET-s3",
        "EncryptedEncryptionKey": "TOPSECRET-vault-key",
        "SFTPPassword": "TOPSECRET-sftp",
        "StorageLimitEnabled": true,
        "StorageLimitBytes": 500_000_000_000_i64,
        "Statistics": { "ClientProvidedSize": { "Size": 123_456_789, "MeasureStarted": NOW - 70, "MeasureCompleted": NOW - 60 } }
    })
}

fn profile(sources: Value, destinations: Value, devices: Value) -> UserProfileConfig {
    serde_json::from_value(json!({
        "Username": "alice",
        "AccountName": "Acme Dental",
        "LocalTimezone": "America/Toronto",
        "LanguageCode": "en_US",
        "PasswordHash": "TOPSECRET-hash",
        "TOTPKey": "TOPSECRET-totp",
        "MaximumDevices": 5,
        "CreateTime": NOW - 1_000_000,
        "Sources": sources,
        "Destinations": destinations,
        "Devices": devices,
    }))
    .expect("a profile")
}

fn full_profile() -> UserProfileConfig {
    profile(
        json!({
            WIZARD_ID: source("Documents", "dev-a1", 1_700_000_000_000, 1_700_000_500, 1_000),
            "11111111-2222-3333-4444-555555555555": source("Mail", "dev-a1", 0, 1_700_000_900, 2_000),
        }),
        json!({ "vault-1": vault() }),
        json!({ "dev-a1": device_config("Front desk", "windows", "amd64") }),
    )
}

async fn apply(db: &Db, p: &UserProfileConfig, username: &str, event_ts: i64) -> ProfileSync {
    let owner = Owner::resolve(db, PROFILE, username).await.unwrap();
    let mut tx = events::begin(db).await.unwrap();
    let sync = profile_sync::apply_profile(&mut tx, PROFILE, username, &owner, p, event_ts, NOW).await.unwrap();
    tx.commit().await.unwrap();
    sync
}

/// content, name, type, total_bytes, bucket_server, bucket_name, bucket_key, has_storage_limit,
/// storage_limit_bytes, is_active.
type VaultRow = (String, String, i64, Option<i64>, Option<String>, Option<String>, Option<String>, i64, i64, i64);

type ItemRow = (
    String,
    Option<i64>,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

async fn items(db: &Db) -> Vec<ItemRow> {
    with_pool!(db, pool => sqlx::query_as(
        "SELECT id, CAST(client_id AS SIGNED), comet_device_id, owner_device, name, type, total_bytes, total_files, total_directories, created_at, updated_at FROM comet_items ORDER BY name"
    ).fetch_all(pool).await.unwrap())
}

eazybackup::both_backends!(a_profile_mirrors_items_vaults_and_the_user, |db| async {
    prepare(db).await;
    let sync = apply(db, &full_profile(), "alice", NOW - 5).await;
    assert_eq!((sync.items.upserted, sync.vaults.upserted, sync.devices.new), (2, 1, 1));

    let rows = items(db).await;
    assert_eq!(rows.len(), 2);
    let docs = &rows[0];
    assert_eq!(docs.0, WIZARD_ID, "the 39-character wizard id is stored whole");
    assert_eq!(docs.1, Some(1));
    assert_eq!(docs.2, comet_device_id(Some(ClientId(1)), "dev-a1"));
    assert_eq!(docs.2.len(), 64, "hex sha256");
    assert_eq!((docs.3.as_deref(), docs.4.as_str(), docs.5.as_str()), (Some("dev-a1"), "Documents", "engine1/file"));
    assert_eq!((docs.6, docs.7, docs.8), (Some(1_000), Some(42), Some(7)));
    assert_eq!(docs.9.map(|t| t.timestamp()), Some(1_700_000_000), "a millisecond CreateTime is normalised");
    assert_eq!(docs.10.map(|t| t.timestamp()), Some(1_700_000_500));
    let mail = &rows[1];
    assert_eq!(mail.9.map(|t| t.timestamp()), Some(1_700_000_900), "a missing CreateTime falls back to ModifyTime");

    let (content, name, vtype, bytes, server, bucket, key, limited, limit, active): VaultRow = with_pool!(db, pool => sqlx::query_as(
        "SELECT content, name, CAST(type AS SIGNED), total_bytes, bucket_server, bucket_name, bucket_key, CAST(has_storage_limit AS SIGNED), storage_limit_bytes, CAST(is_active AS SIGNED) FROM comet_vaults WHERE id = 'vault-1'"
    ).fetch_one(pool).await.unwrap());
    assert!(!content.contains("TOPSECRET"), "vault content carries no credentials: {content}");
    assert_eq!((name.as_str(), vtype, bytes), ("Cloud vault", 1003, Some(123_456_789)));
    // '' rather than NULL: the incumbent's bucket columns are NOT NULL; the key is never stored.
    assert_eq!(
        (server.as_deref(), bucket.as_deref(), key.as_deref()),
        (Some("https://storage.example.com/"), Some("bucket-77"), Some(""))
    );
    assert_eq!((limited, limit, active), (1, 500_000_000_000, 1));

    let (client, account, quota, user_content): (Option<i64>, String, i64, String) = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(client_id AS SIGNED), account_name, CAST(device_quota AS SIGNED), content FROM comet_users WHERE profile = ? AND username = 'alice'"
    ).bind(PROFILE).fetch_one(pool).await.unwrap());
    assert_eq!((client, account.as_str(), quota), (Some(1), "Acme Dental", 5));
    let counts: Value = serde_json::from_str(&user_content).unwrap();
    assert_eq!(
        counts,
        json!({"devices": 1, "protected_items": 2, "vaults": 1, "vault_bytes": 123_456_789, "protected_bytes": 3_000})
    );
    assert!(!user_content.contains("TOPSECRET"));

    let out = outbox(db).await;
    assert_eq!(kinds(&out), ["device:new", "items:changed"]);
    assert_eq!(out[1].2, json!({"profile": PROFILE, "username": "alice", "service_id": 101}));
});

eazybackup::both_backends!(a_replayed_profile_changes_nothing, |db| async {
    prepare(db).await;
    apply(db, &full_profile(), "alice", NOW - 5).await;
    let again = apply(db, &full_profile(), "alice", NOW - 5).await;
    assert_eq!(again, ProfileSync::default(), "nothing to write the second time");
    assert_eq!(kinds(&outbox(db).await), ["device:new", "items:changed"]);
    let users: i64 =
        with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM comet_users").fetch_one(pool).await.unwrap());
    assert_eq!(users, 1);
});

eazybackup::both_backends!(items_and_vaults_gone_from_the_profile_are_pruned, |db| async {
    prepare(db).await;
    apply(db, &full_profile(), "alice", NOW - 5).await;
    let smaller = profile(
        json!({ WIZARD_ID: source("Documents", "dev-a1", 1_700_000_000_000, 1_700_000_500, 1_000) }),
        json!({}),
        json!({ "dev-a1": device_config("Front desk", "windows", "amd64") }),
    );
    let sync = apply(db, &smaller, "alice", NOW - 4).await;
    assert_eq!((sync.items.deleted, sync.vaults.removed), (1, 1));
    let ids: Vec<String> = items(db).await.into_iter().map(|r| r.0).collect();
    assert_eq!(ids, [WIZARD_ID]);
    let (active, removed_at): (i64, Option<DateTime<Utc>>) = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(is_active AS SIGNED), removed_at FROM comet_vaults WHERE id = 'vault-1'"
    ).fetch_one(pool).await.unwrap());
    assert_eq!((active, removed_at.map(|t| t.timestamp())), (0, Some(NOW)));
    assert_eq!(kinds(&outbox(db).await), ["device:new", "items:changed", "items:changed"]);

    // Bob's items are not alice's to prune.
    let bobs = profile(json!({ "bob-item": source("Bob files", "dev-b1", 1_700_000_000, 0, 5) }), json!({}), json!({}));
    apply(db, &bobs, "bob", NOW - 3).await;
    apply(db, &smaller, "alice", NOW - 2).await;
    assert_eq!(items(db).await.len(), 2);
});

eazybackup::both_backends!(times_missing_everywhere_fall_back_to_now_never_1970, |db| async {
    prepare(db).await;
    let p = profile(json!({ "no-times": source("Undated", "dev-a1", 0, 0, 1) }), json!({}), json!({}));
    apply(db, &p, "alice", NOW - 5).await;
    let row = &items(db).await[0];
    assert_eq!((row.9.map(|t| t.timestamp()), row.10.map(|t| t.timestamp())), (Some(NOW), Some(NOW)));
});

eazybackup::both_backends!(a_rename_arrives_as_a_profile_write, |db| async {
    prepare(db).await;
    apply(db, &full_profile(), "alice", NOW - 5).await;
    let renamed = profile(
        json!({}),
        json!({}),
        json!({ "dev-a1": device_config("Reception PC", "windows", "arm64"), "dev-a2": device_config("Server", "linux", "amd64") }),
    );
    let sync = apply(db, &renamed, "alice", NOW - 4).await;
    assert_eq!((sync.devices.new, sync.devices.updated), (1, 1));
    let (name, arch): (String, String) = with_pool!(db, pool => sqlx::query_as(
        "SELECT name, platform_arch FROM comet_devices WHERE hash = 'dev-a1'"
    ).fetch_one(pool).await.unwrap());
    assert_eq!((name.as_str(), arch.as_str()), ("Reception PC", "arm64"));
    let friendly: String = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT friendly_name FROM eb_devices_registry WHERE device_id = 'dev-a1'"
    ).fetch_one(pool).await.unwrap());
    assert_eq!(friendly, "Reception PC");

    // A device revoked while we were away disappears from the next profile.
    let without = profile(json!({}), json!({}), json!({ "dev-a2": device_config("Server", "linux", "amd64") }));
    let sync = apply(db, &without, "alice", NOW - 3).await;
    assert_eq!(sync.devices.removed, 1);
    let out = outbox(db).await;
    let device_kinds: Vec<&str> = kinds(&out).into_iter().filter(|k| k.starts_with("device:")).collect();
    assert_eq!(device_kinds, ["device:new", "device:updated", "device:new", "device:removed"]);
    // And the late SEVT_DEVICE_NEW of a device registered before that profile does not revive it.
    let late = event(
        EventType::DEVICE_NEW,
        "SEVT_DEVICE_NEW",
        "alice",
        "dev-a1",
        NOW - 4,
        Some(device_config("Reception PC", "windows", "arm64")),
    );
    apply_device_event(db, &late).await;
    let active: i64 = with_pool!(db, pool => sqlx::query_scalar("SELECT CAST(is_active AS SIGNED) FROM comet_devices WHERE hash = 'dev-a1'").fetch_one(pool).await.unwrap());
    assert_eq!(active, 0);
});

eazybackup::both_backends!(an_unowned_account_is_mirrored_without_client, |db| async {
    prepare(db).await;
    let mut p = full_profile();
    p.username = "nobody".into();
    apply(db, &p, "nobody", NOW - 5).await;
    let clients: Vec<Option<i64>> = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT CAST(client_id AS SIGNED) FROM comet_items WHERE username = 'nobody'"
    ).fetch_all(pool).await.unwrap());
    assert_eq!(clients, [None, None]);
    let device_key: String = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT comet_device_id FROM comet_items WHERE id = ?"
    ).bind(WIZARD_ID).fetch_one(pool).await.unwrap());
    assert_eq!(device_key, comet_device_id(None, "dev-a1"));
    assert!(outbox(db).await.iter().all(|r| r.1.is_none()), "nobody's browser hears it");
});

#[test]
fn account_events_name_their_user_and_carry_or_lack_a_profile() {
    let with_data =
        event(EventType::ACCOUNT_UPDATED, "SEVT_ACCOUNT_UPDATED", "admin", "alice", NOW, Some(json!({"Username": "Alice"})));
    assert_eq!(profile_sync::account_username(&with_data), "Alice", "Comet usernames are case-sensitive: kept as sent");
    assert!(profile_sync::profile_in_event(&with_data).unwrap().is_some());
    let bare = event(EventType::ACCOUNT_UPDATED, "SEVT_ACCOUNT_UPDATED", "admin", "bob", NOW, None);
    assert_eq!(profile_sync::account_username(&bare), "bob", "ResourceID before an admin Actor");
    assert!(profile_sync::profile_in_event(&bare).unwrap().is_none());
    let login = event(EventType::ACCOUNT_LOGIN, "SEVT_ACCOUNT_LOGIN", "alice", "/api/v1/user", NOW, None);
    assert!(!profile_sync::is_profile_event(&login));
}
