//! `GET /services/{id}/overview` and `/capabilities` against the simulator: counts from our
//! tables, quotas, news and policy from the account's Comet profile, scoped to the token's client,
//! and still an Overview (from our tables) when Comet cannot be reached.

use std::net::SocketAddr;

use comet::{AdminClient, Credentials};
use comet_sim::{SeedUser, Sim, SimConfig, SimHandle};
use eazybackup::api::comet_clients::{API_TIMEOUTS, CometClients, UNREACHABLE_MESSAGE};
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::jobs;
use eazybackup::with_pool;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, get, token};
use crate::jobs::{ALICE, BOB, end, seed_two_clients, start};

/// A simulator holding the `eazybackup` accounts of `seed_two_clients`.
async fn start_sim() -> SimHandle {
    let mut cfg = SimConfig::for_tests();
    cfg.users = vec![
        SeedUser { username: "acme-dental".into(), password: "acme-pass".into(), devices: 2 },
        SeedUser { username: "brown-acct".into(), password: "brown-pass".into(), devices: 1 },
    ];
    Sim::start(cfg).await.expect("simulator starts")
}

fn admin(origin: &str, sim: &SimHandle) -> AdminClient {
    let creds = sim.admin_creds();
    AdminClient::with_timeouts(
        origin,
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
        API_TIMEOUTS,
    )
    .expect("admin client")
}

/// `serve` with a Comet client for the `eazybackup` profile only (`obc` has none).
async fn serve(db: &Db, comet: AdminClient) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), comet)]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

async fn exec(db: &Db, sql: &str) {
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(pool).await.map(|_| ())).expect(sql);
}

/// Two devices of acme-dental (one online), one revoked, two items, two vaults (one removed), and
/// rows of other accounts with the same ids that must not be counted.
async fn seed_mirror(db: &Db) {
    for sql in [
        "INSERT INTO comet_devices (id, hash, profile, username, name, is_active, online) VALUES
           ('h1', 'dev-1', 'eazybackup', 'acme-dental', 'Front desk', 1, 1),
           ('h2', 'dev-2', 'eazybackup', 'acme-dental', 'Back office', 1, 0),
           ('h3', 'dev-3', 'eazybackup', 'acme-dental', 'Old laptop', 0, 0),
           ('h4', 'dev-1', 'eazybackup', 'brown-acct', 'Not yours', 1, 1),
           ('h5', 'dev-1', 'obc', 'acme-offsite', 'Other server', 1, 1)",
        "INSERT INTO comet_items (id, profile, username, name, total_bytes) VALUES
           ('item-1', 'eazybackup', 'acme-dental', 'Documents', 1000),
           ('item-2', 'eazybackup', 'acme-dental', 'Mail', 500),
           ('item-3', 'eazybackup', 'brown-acct', 'Not yours', 7)",
        "INSERT INTO comet_vaults (id, profile, username, name, total_bytes, has_storage_limit, storage_limit_bytes, is_active) VALUES
           ('vault-1', 'eazybackup', 'acme-dental', 'Cloud', 4000, 1, 10000, 1),
           ('vault-2', 'eazybackup', 'acme-dental', 'Gone', 9999, 0, 0, 0),
           ('vault-3', 'eazybackup', 'brown-acct', 'Not yours', 5, 0, 0, 1)",
        "INSERT INTO comet_users (profile, username, account_name, has_items_limit, items_limit_bytes, device_quota) VALUES
           ('eazybackup', 'acme-dental', 'Acme Dental (mirrored)', 1, 2000, 4)",
    ] {
        exec(db, sql).await;
    }
    jobs::record_job_start(db, "eazybackup", &start("job-run", "acme-dental")).await.unwrap();
    jobs::record_job_end(db, "eazybackup", &end("job-ok", "acme-dental", 5000)).await.unwrap();
    jobs::record_job_end(db, "eazybackup", &end("job-warn", "acme-dental", 7001)).await.unwrap();
    jobs::record_job_end(db, "eazybackup", &end("job-bob", "brown-acct", 7003)).await.unwrap();
}

fn quota<'a>(overview: &'a Value, key: &str) -> &'a Value {
    overview["quotas"].as_array().and_then(|q| q.iter().find(|q| q["key"] == key)).unwrap_or(&Value::Null)
}

fn assert_counts_from_our_tables(o: &Value) {
    assert_eq!(o["devices"], json!({ "online": 1, "total": 2 }), "{o}");
    assert_eq!(o["items"], json!({ "total": 2 }));
    assert_eq!(o["vaults"], json!({ "total": 1 }));
    assert_eq!(o["storage"], json!({ "used_bytes": 4000 }));
    assert_eq!(o["jobs_24h"], json!({ "running": 1, "success": 1, "warning": 1, "error": 0, "missed": 0 }));
}

both_backends!(serve_builds_one_client_per_profile_from_the_worker_credentials, |db| async move {
    seed_two_clients(db).await;
    seed_mirror(db).await;
    let sim = start_sim().await;
    let creds = sim.admin_creds();
    let map: std::collections::HashMap<String, String> = [
        ("DB_DSN", "sqlite://unused.sqlite".to_string()),
        ("COMET_eazybackup_URL", sim.ws_url()),
        ("COMET_eazybackup_USERNAME", creds.username.clone()),
        ("COMET_eazybackup_PASSWORD", creds.password.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let config = eazybackup::config::Config::from_map(&map).unwrap();
    // `obc` names owned accounts but has no credentials anywhere (no .env block, no WHMCS root):
    // it is left out, and its services answer from our tables.
    let clients = CometClients::build(&config, db).await;
    assert_eq!(clients.profiles(), ["eazybackup"]);
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = clients;
    let server = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let base = format!("http://{}", server.addr);
    let (_, o) = get(&base, "/api/v1/services/101/overview", Some(&token(ALICE))).await;
    assert_eq!(o["comet"]["reachable"], true, "{o}");
    let (_, o) = get(&base, "/api/v1/services/102/overview", Some(&token(ALICE))).await;
    assert_eq!(o["comet"], json!({ "reachable": false, "message": UNREACHABLE_MESSAGE }));
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(overview_sums_our_tables_and_reads_quotas_and_news_from_comet, |db| async move {
    seed_two_clients(db).await;
    seed_mirror(db).await;
    let sim = start_sim().await;
    let comet = admin(&sim.base_url(), &sim);
    let mut profile = comet.get_user_profile("acme-dental").await.unwrap();
    profile.account_name = "Acme <b>Dental</b>".into();
    profile.maximum_devices = 5;
    profile.quota_hyperv_guests = 3;
    profile.all_protected_items_quota_enabled = true;
    profile.all_protected_items_quota_bytes = 1 << 30;
    comet.set_user_profile("acme-dental", &profile).await.unwrap();
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;

    let (status, o) = get(&base, "/api/v1/services/101/overview", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{o}");
    assert_eq!(
        o["service"],
        json!({ "service_id": 101, "profile": "eazybackup", "username": "acme-dental", "status": "Active" })
    );
    assert_counts_from_our_tables(&o);
    assert_eq!(o["comet"], json!({ "reachable": true, "message": null }));
    // Comet's strings come through as data; escaping is the browser's job.
    assert_eq!(o["account"]["display_name"], "Acme <b>Dental</b>");
    assert!(o["account"]["created_ts"].as_i64().is_some_and(|t| t > 0), "{o}");
    assert_eq!(o["account"]["email"].as_str(), profile.emails.first().map(String::as_str));
    let devices_in_profile = profile.devices.len() as i64;
    assert_eq!(
        quota(&o, "devices"),
        &json!({ "key": "devices", "used": devices_in_profile, "limit": 5, "unit": "count", "vault_id": null, "vault_name": null })
    );
    assert_eq!(quota(&o, "hyperv_guests")["limit"], 3);
    assert_eq!(quota(&o, "vmware_guests")["limit"], Value::Null, "0 is unlimited");
    assert_eq!(quota(&o, "m365_accounts")["unit"], "count");
    assert_eq!(quota(&o, "items_bytes")["limit"], 1 << 30);
    let vault_quotas = o["quotas"].as_array().unwrap().iter().filter(|q| q["key"] == "vault").count();
    assert_eq!(vault_quotas, profile.destinations.len());
    let news = o["news"].as_array().unwrap();
    assert!(!news.is_empty(), "the simulator publishes news");
    let times: Vec<i64> = news.iter().map(|n| n["ts"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    assert!(news.iter().all(|n| n["content"].as_str().is_some_and(|c| !c.is_empty())));
    // The admin feed also holds a tenant's news; a top-level account is not shown it.
    assert!(news.iter().all(|n| n["id"] != "news-tenant-2026-11-25"), "{news:?}");
    assert_eq!(news.len(), 2);

    // Another client's service is not found, whoever asks and however the id is written.
    for (who, path) in [
        (BOB, "/api/v1/services/101/overview"),
        (ALICE, "/api/v1/services/201/overview"),
        (ALICE, "/api/v1/services/999/overview"),
        (ALICE, "/api/v1/services/+101/overview"),
    ] {
        let (status, body) = get(&base, path, Some(&token(who))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{path}");
    }
    let (status, _) = get(&base, "/api/v1/services/101/overview", None).await;
    assert_eq!(status, 401);
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(overview_without_comet_answers_from_our_tables, |db| async move {
    seed_two_clients(db).await;
    seed_mirror(db).await;
    let sim = start_sim().await;
    // Nothing listens on port 9 of the loopback: every Comet call fails to connect.
    let (base, server) = serve(db, admin("http://127.0.0.1:9", &sim)).await;
    let (status, o) = get(&base, "/api/v1/services/101/overview", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{o}");
    assert_counts_from_our_tables(&o);
    assert_eq!(o["comet"], json!({ "reachable": false, "message": UNREACHABLE_MESSAGE }));
    assert!(!o.to_string().contains("127.0.0.1:9"), "internal addresses stay in the log: {o}");
    assert_eq!(o["account"], json!({ "display_name": "Acme Dental (mirrored)", "email": null, "created_ts": null }));
    assert_eq!(o["news"], json!([]));
    let keys: Vec<&str> = o["quotas"].as_array().unwrap().iter().map(|q| q["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["devices", "items_bytes", "vault"], "only what our tables mirror");
    assert_eq!((quota(&o, "devices")["used"].as_i64(), quota(&o, "devices")["limit"].as_i64()), (Some(2), Some(4)));
    assert_eq!((quota(&o, "items_bytes")["used"].as_i64(), quota(&o, "items_bytes")["limit"].as_i64()), (Some(1500), Some(2000)));
    assert_eq!(quota(&o, "vault")["vault_id"], "vault-1");
    assert_eq!((quota(&o, "vault")["used"].as_i64(), quota(&o, "vault")["limit"].as_i64()), (Some(4000), Some(10000)));

    // A profile with no Comet client at all (obc here) answers the same way.
    let (status, o) = get(&base, "/api/v1/services/102/overview", Some(&token(ALICE))).await;
    assert_eq!(status, 200, "{o}");
    assert_eq!(o["comet"]["reachable"], false);
    assert_eq!(o["devices"], json!({ "online": 1, "total": 1 }), "obc's own registration of dev-1");
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(capabilities_follow_the_account_policy_and_our_rules, |db| async move {
    seed_two_clients(db).await;
    seed_mirror(db).await;
    let sim = start_sim().await;
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let alice = token(ALICE);

    let (status, open) = get(&base, "/api/v1/services/101/capabilities", Some(&alice)).await;
    assert_eq!(status, 200, "{open}");
    assert_eq!(open["read_only"], false);
    assert_eq!(open["capabilities"]["items.create"], json!({ "allowed": true, "reason": null }));
    assert_eq!(open["capabilities"]["devices.run_backup"]["allowed"], false, "no device named");

    // The locked-down server policy, applied by the administrator.
    let comet = admin(&sim.base_url(), &sim);
    let mut profile = comet.get_user_profile("acme-dental").await.unwrap();
    profile.policy_id = comet_sim::policy::POLICY_LOCKED.into();
    comet.set_user_profile("acme-dental", &profile).await.unwrap();
    let (_, locked) = get(&base, "/api/v1/services/101/capabilities", Some(&alice)).await;
    for denied in
        ["items.create", "items.edit", "items.delete", "vaults.request", "vaults.delete", "account.rename", "snapshots.delete"]
    {
        let d = &locked["capabilities"][denied];
        assert_eq!(d["allowed"], false, "{denied}: {locked}");
        assert!(d["reason"].as_str().is_some_and(|r| r.contains("provider")), "{denied}: {d}");
    }
    assert_eq!(locked["capabilities"]["account.change_password"]["allowed"], true, "not in the locked policy");

    // The same answer refuses the write.
    let scoped = eazybackup::api::scope::ScopedService {
        client: ALICE,
        service: eazybackup::db::tenancy::services_for_client(db, ALICE).await.unwrap().remove(0),
    };
    let state_comet = CometClients::from_clients([("eazybackup".to_string(), admin(&sim.base_url(), &sim))]);
    let account = state_comet.account(&scoped).unwrap();
    use eazybackup::api::capabilities::{DeviceState, require};
    use eazybackup::views::capabilities::Capability;
    let refused = require(&account, &scoped.service, Capability::ItemsCreate, None).await.unwrap_err();
    assert_eq!(refused.status_and_code().1, "forbidden_by_policy");
    assert!(require(&account, &scoped.service, Capability::AccountChangePassword, None).await.is_ok());
    assert!(require(&account, &scoped.service, Capability::DevicesRunBackup, Some(DeviceState::Online)).await.is_ok());

    // Device actions for a named device: its online state decides; another account's is 404.
    let (_, online) = get(&base, "/api/v1/services/101/capabilities?device_id=dev-1", Some(&alice)).await;
    assert_eq!(online["capabilities"]["devices.run_backup"], json!({ "allowed": true, "reason": null }));
    let (_, offline) = get(&base, "/api/v1/services/101/capabilities?device_id=dev-2", Some(&alice)).await;
    assert_eq!(offline["capabilities"]["devices.run_backup"]["allowed"], false);
    for foreign in ["dev-3", "no-such-device"] {
        let (status, body) = get(&base, &format!("/api/v1/services/101/capabilities?device_id={foreign}"), Some(&alice)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{foreign}");
    }
    let (status, _) = get(&base, "/api/v1/services/101/capabilities", Some(&token(BOB))).await;
    assert_eq!(status, 404);

    // Suspended: every write is read-only, whatever the policy says.
    exec(db, "UPDATE tblhosting SET domainstatus = 'Suspended' WHERE id = 101").await;
    let (status, suspended) = get(&base, "/api/v1/services/101/capabilities?device_id=dev-1", Some(&alice)).await;
    assert_eq!(status, 200);
    assert_eq!(suspended["read_only"], true);
    assert_eq!(suspended["capabilities"]["account.change_password"]["allowed"], false);
    assert!(suspended["capabilities"]["devices.run_backup"]["reason"].as_str().unwrap().contains("suspended"));

    // Comet unreachable: the policy cannot be known, so the answer is `upstream`.
    let (base_down, server_down) = serve(db, admin("http://127.0.0.1:9", &sim)).await;
    let (status, body) = get(&base_down, "/api/v1/services/101/capabilities", Some(&alice)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (502, Some("upstream")), "{body}");
    server_down.stop().await.unwrap();
    server.stop().await.unwrap();
    sim.shutdown().await;
});
