//! The Devices tab's routes against the simulator, on SQLite and MariaDB: the list merges our
//! tables with Comet (fields, live state, update available, last backup), a rename keeps every
//! field we do not model and refuses a concurrent rename, run-now starts a job on the device,
//! offline devices refuse with the reason, revoke removes the device and says what went with it,
//! and another client's device is not found.

use std::net::SocketAddr;

use comet::UserProfileConfig;
use comet_sim::SimHandle;
use comet_sim::shapes::OsInfo;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::items::comet_device_id;
use eazybackup::with_pool;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, get, token};
use crate::http::call;
use crate::jobs::{ALICE, BOB, seed_two_clients};
use crate::overview::{admin, start_sim};

/// Registers `device_id` in `username` on the simulator (online), and gives it a protected item
/// `item-<device_id>` (a copy of one of the account's) and the account a vault `vault-<device_id>`
/// (a copy of its first), so every device action has something to act on.
pub(crate) async fn sim_device(sim: &SimHandle, username: &str, device_id: &str, name: &str) {
    let os = OsInfo {
        version: "23H2".into(),
        distribution: "Windows 11 Pro".into(),
        build: "22631".into(),
        os: "windows".into(),
        arch: "amd64".into(),
    };
    sim.core().register_device(username, device_id, name, os).expect("device registers");
    let comet = admin(&sim.base_url(), sim);
    let mut p: UserProfileConfig = comet.get_user_profile(username).await.unwrap();
    let (_, source) = p.sources.iter().next().map(|(k, v)| (k.clone(), v.clone())).expect("the account has an item");
    let mut source = source;
    source.owner_device = device_id.to_string();
    source.description = format!("Documents of {name}");
    p.sources.insert(format!("item-{device_id}"), source);
    let (_, vault) = p.destinations.iter().next().map(|(k, v)| (k.clone(), v.clone())).expect("the account has a vault");
    p.destinations.insert(format!("vault-{device_id}"), vault);
    comet.set_user_profile(username, &p).await.unwrap();
}

async fn serve(db: &Db, sim: &SimHandle) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), admin(&sim.base_url(), sim))]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

async fn post(base: &str, path: &str, who: eazybackup::db::tenancy::ClientId, body: Value) -> (u16, Value) {
    let a = call(&Method::POST, &format!("{base}{path}"), Some(&token(who)), Some(&body)).await;
    (a.status, a.body)
}

async fn exec(db: &Db, sql: &str) {
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await.map(|_| ())).expect(sql);
}

fn device<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["devices"].as_array().and_then(|d| d.iter().find(|d| d["device_id"] == id)).unwrap_or(&Value::Null)
}

both_backends!(list_merges_our_tables_with_comet, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    sim_device(&sim, "acme-dental", "dev-front", "Front <b>desk</b>").await;
    // An older client, offline, with a last backup in our history.
    let comet = admin(&sim.base_url(), &sim);
    let mut p = comet.get_user_profile("acme-dental").await.unwrap();
    let old = p.devices.keys().find(|k| *k != "dev-front").cloned().unwrap();
    p.devices.get_mut(&old).unwrap().client_version = "24.3.1".into();
    comet.set_user_profile("acme-dental", &p).await.unwrap();
    sim.set_device_online(&old, false).unwrap();
    let key = comet_device_id(Some(ALICE), "dev-front");
    exec(
        db,
        &format!(
            "INSERT INTO comet_jobs (id, profile, client_id, username, comet_device_id, comet_item_id, comet_vault_id, type, status, started_at, ended_at)
             VALUES ('job-old', 'eazybackup', 1, 'acme-dental', '{key}', 'item-dev-front', 'v', 4001, 7001, '2026-11-30 01:00:00', '2026-11-30 01:10:00'),
                    ('job-new', 'eazybackup', 1, 'acme-dental', '{key}', 'item-dev-front', 'v', 4001, 5000, '2026-12-01 01:00:00', '2026-12-01 01:05:00'),
                    ('job-run', 'eazybackup', 1, 'acme-dental', '{key}', 'item-dev-front', 'v', 4001, 6001, '2026-12-02 01:00:00', NULL)"
        ),
    )
    .await;
    let (base, server) = serve(db, &sim).await;

    let (status, list) = get(&base, "/api/v1/services/101/devices", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["comet"]["reachable"], true);
    assert_eq!(list["server_version"], "25.9.6");
    let profile = comet.get_user_profile("acme-dental").await.unwrap();
    assert_eq!(list["devices"].as_array().unwrap().len(), profile.devices.len(), "{list}");
    let front = device(&list, "dev-front");
    assert_eq!(front["name"], "Front <b>desk</b>", "Comet's strings are data: {front}");
    assert_eq!(front["online"], true);
    assert_eq!((front["platform_os"].as_str(), front["platform_arch"].as_str()), (Some("windows"), Some("amd64")));
    assert_eq!(front["distribution"], "Windows 11 Pro");
    assert_eq!(front["os_version"], "23H2 (build 22631)");
    assert_eq!(front["update_available"], false);
    assert_eq!(front["items"], 1);
    assert!(front["registered_at"].as_i64().is_some_and(|t| t > 0), "{front}");
    assert_eq!(front["last_backup"]["job_id"], "job-new", "the newest finished backup: {front}");
    assert_eq!(front["last_backup"]["status_class"], "success");
    assert_eq!(front["last_backup"]["started_at"], 1_796_086_800);
    let old_device = device(&list, &old);
    assert_eq!(old_device["online"], false, "{old_device}");
    assert_eq!(old_device["client_version"], "24.3.1");
    assert_eq!(old_device["update_available"], true);
    assert!(old_device["items"].as_i64().unwrap() >= 1);
    assert!(old_device["storage_used_bytes"].as_i64().unwrap() > 0, "{old_device}");

    // The page of one device: its items with their rules, vaults, jobs and live connection.
    let (status, page) = get(&base, "/api/v1/services/101/devices/dev-front", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["items"][0]["item_id"], "item-dev-front");
    assert_eq!(page["jobs"].as_array().unwrap().len(), 3);
    assert_eq!(page["jobs"][0]["job_id"], "job-run", "newest first");
    assert_eq!(page["jobs"][0]["status_class"], "running");
    assert!(page["connection"]["connected_at"].as_i64().is_some_and(|t| t > 0), "{page}");
    assert!(page["vaults"].as_array().unwrap().iter().any(|v| v["vault_id"] == "vault-dev-front"));
    let (_, page) = get(&base, &format!("/api/v1/services/101/devices/{old}"), Some(&token(ALICE))).await;
    assert_eq!(page["connection"], Value::Null);
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.iter().all(|i| i["rules"].is_array()), "{page}");

    // Someone else's: not found, whoever asks and however.
    let bob_device = comet.get_user_profile("brown-acct").await.unwrap().devices.keys().next().cloned().unwrap();
    for (who, path) in [
        (BOB, "/api/v1/services/101/devices".to_string()),
        (BOB, "/api/v1/services/101/devices/dev-front".to_string()),
        (ALICE, format!("/api/v1/services/101/devices/{bob_device}")),
        (ALICE, "/api/v1/services/201/devices".to_string()),
    ] {
        let (status, body) = get(&base, &path, Some(&token(who))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{path}: {body}");
    }
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(list_without_comet_answers_from_our_tables, |db| async move {
    seed_two_clients(db).await;
    exec(
        db,
        "INSERT INTO comet_devices (id, hash, profile, username, name, platform_os, platform_arch, is_active, online) VALUES
           ('h1', 'dev-1', 'eazybackup', 'acme-dental', 'Front desk', 'windows', 'amd64', 1, 1),
           ('h2', 'dev-2', 'eazybackup', 'acme-dental', 'Gone', 'linux', 'amd64', 0, 0),
           ('h3', 'dev-3', 'eazybackup', 'brown-acct', 'Not yours', 'linux', 'amd64', 1, 1)",
    )
    .await;
    let sim = start_sim().await;
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), admin("http://127.0.0.1:9", &sim))]);
    let server = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let base = format!("http://{}", server.addr);
    let (status, list) = get(&base, "/api/v1/services/101/devices", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["comet"]["reachable"], false);
    let ids: Vec<&str> = list["devices"].as_array().unwrap().iter().map(|d| d["device_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["dev-1"], "registered devices of the account only");
    assert_eq!(list["devices"][0]["online"], true);
    assert!(!list.to_string().contains("127.0.0.1:9"));
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(rename_keeps_unknown_fields_and_refuses_a_concurrent_rename, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    sim_device(&sim, "acme-dental", "dev-front", "Front desk").await;
    let comet = admin(&sim.base_url(), &sim);
    let mut p = comet.get_user_profile("acme-dental").await.unwrap();
    p.devices.get_mut("dev-front").unwrap().extra.insert("FutureDeviceKey".into(), json!({ "Kept": [1, 2] }));
    p.extra.insert("FutureAccountKey".into(), json!("kept"));
    comet.set_user_profile("acme-dental", &p).await.unwrap();
    let (base, server) = serve(db, &sim).await;

    let (status, body) = post(
        &base,
        "/api/v1/services/101/devices/dev-front/rename",
        ALICE,
        json!({ "name": "  Reception ✓ ", "expected_name": "Front desk" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let raw = comet.get_user_profile("acme-dental").await.unwrap();
    let d = &raw.devices["dev-front"];
    assert_eq!(d.friendly_name, "Reception ✓");
    assert_eq!(d.extra.get("FutureDeviceKey"), Some(&json!({ "Kept": [1, 2] })), "unknown device keys survive");
    assert_eq!(raw.extra.get("FutureAccountKey"), Some(&json!("kept")), "unknown account keys survive");
    assert_eq!(raw.sources.len(), p.sources.len());

    // Someone renames it meanwhile: a rename from the old name is refused, nothing is written.
    let mut other = comet.get_user_profile("acme-dental").await.unwrap();
    other.devices.get_mut("dev-front").unwrap().friendly_name = "Renamed elsewhere".into();
    comet.set_user_profile("acme-dental", &other).await.unwrap();
    let (status, body) = post(
        &base,
        "/api/v1/services/101/devices/dev-front/rename",
        ALICE,
        json!({ "name": "Mine", "expected_name": "Reception ✓" }),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("Renamed elsewhere"), "{body}");
    assert_eq!(comet.get_user_profile("acme-dental").await.unwrap().devices["dev-front"].friendly_name, "Renamed elsewhere");

    for (name, field) in [("", "name"), ("   ", "name"), ("a\nb", "name")] {
        let (status, body) = post(&base, "/api/v1/services/101/devices/dev-front/rename", ALICE, json!({ "name": name })).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some(field)), "{name:?}: {body}");
    }
    let long = "x".repeat(201);
    let (status, _) = post(&base, "/api/v1/services/101/devices/dev-front/rename", ALICE, json!({ "name": long })).await;
    assert_eq!(status, 422);
    // Another client's device, and another client renaming this one: not found.
    let (status, _) = post(&base, "/api/v1/services/101/devices/dev-front/rename", BOB, json!({ "name": "x" })).await;
    assert_eq!(status, 404);
    let bob_device = comet.get_user_profile("brown-acct").await.unwrap().devices.keys().next().cloned().unwrap();
    let (status, _) =
        post(&base, &format!("/api/v1/services/101/devices/{bob_device}/rename"), ALICE, json!({ "name": "x" })).await;
    assert_eq!(status, 404);
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(run_now_starts_a_job_and_offline_devices_refuse_with_the_reason, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    sim_device(&sim, "acme-dental", "dev-front", "Front desk").await;
    let (base, server) = serve(db, &sim).await;
    let path = "/api/v1/services/101/devices/dev-front/run-backup";

    let (status, body) = post(
        &base,
        path,
        ALICE,
        json!({ "item_id": "item-dev-front", "vault_id": "vault-dev-front", "options": { "stop_after_secs": 3600, "log_level": "DEBUG" } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "accepted");
    let job_id = body["job_id"].as_str().expect("a 25.9.6 client names its job").to_string();
    let job = sim.core().job(&job_id).expect("the job runs in the simulator");
    assert_eq!(job.source_guid, "item-dev-front");
    assert_eq!(job.destination_guid, "vault-dev-front");

    // A schedule rule of one of its items.
    let comet = admin(&sim.base_url(), &sim);
    let p = comet.get_user_profile("acme-dental").await.unwrap();
    let (seeded_device, rule_id) = p
        .backup_rules
        .iter()
        .find_map(|(id, r)| p.sources.get(&r.source).map(|s| (s.owner_device.clone(), id.clone())))
        .expect("the seeded account has a rule");
    sim.set_device_online(&seeded_device, true).unwrap();
    let (status, body) =
        post(&base, &format!("/api/v1/services/101/devices/{seeded_device}/run-backup"), ALICE, json!({ "rule_id": rule_id }))
            .await;
    assert_eq!(status, 200, "{body}");
    // …but not another device's rule, item or vault.
    let (status, _) = post(&base, path, ALICE, json!({ "rule_id": rule_id })).await;
    assert_eq!(status, 404);
    let (status, _) = post(&base, path, ALICE, json!({ "item_id": "item-dev-front", "vault_id": "nope" })).await;
    assert_eq!(status, 404);
    let (status, body) = post(&base, path, ALICE, json!({})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid")), "{body}");

    // Offline: every action through the connection says why it waits; revoke/rename still work.
    sim.set_device_online("dev-front", false).unwrap();
    for (action, body) in [
        ("run-backup", json!({ "item_id": "item-dev-front", "vault_id": "vault-dev-front" })),
        ("update-software", json!({})),
        ("uninstall", json!({ "remove_config": true })),
        ("drop-connection", json!({})),
        ("kill-process", json!({})),
        ("refetch-profile", json!({})),
        ("push-password", json!({ "password": "acme-pass" })),
    ] {
        let (status, answer) = post(&base, &format!("/api/v1/services/101/devices/dev-front/{action}"), ALICE, body).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("conflict")), "{action}: {answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains("offline"), "{action}: {answer}");
    }
    sim.set_device_online("dev-front", true).unwrap();
    let (status, body) =
        post(&base, "/api/v1/services/101/devices/dev-front/push-password", ALICE, json!({ "password": "wrong" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("password")), "{body}");
    let (status, body) =
        post(&base, "/api/v1/services/101/devices/dev-front/push-password", ALICE, json!({ "password": "acme-pass" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&base, "/api/v1/services/101/devices/dev-front/update-software", ALICE, json!({})).await;
    assert_eq!(status, 200, "{body}");
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(revoke_removes_the_device_and_says_what_went_with_it, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    sim_device(&sim, "acme-dental", "dev-front", "Front desk").await;
    let (base, server) = serve(db, &sim).await;
    let comet = admin(&sim.base_url(), &sim);
    sim.set_device_online("dev-front", false).unwrap();

    let (status, body) = post(&base, "/api/v1/services/101/devices/dev-front/revoke", BOB, json!({})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = post(&base, "/api/v1/services/101/devices/dev-front/revoke", ALICE, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["removed_items"][0]["item_id"], "item-dev-front");
    assert!(body["message"].as_str().unwrap().contains("retention"), "{body}");
    let p = comet.get_user_profile("acme-dental").await.unwrap();
    assert!(!p.devices.contains_key("dev-front"), "gone from Comet");
    assert!(!p.sources.contains_key("item-dev-front"), "with its item");
    let (status, _) = get(&base, "/api/v1/services/101/devices/dev-front", Some(&token(ALICE))).await;
    assert_eq!(status, 404);
    server.stop().await.unwrap();
    sim.shutdown().await;
});
