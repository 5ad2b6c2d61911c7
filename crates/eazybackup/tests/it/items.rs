//! Protected items against the simulator (issue 9): create a Files and Folders item with two
//! paths, an exclusion, a daily schedule and retention and find exactly that in the simulator's
//! profile; a save over a concurrent change answers 409 and loses nothing; fields we do not model
//! survive; delete; every engine's minimal settings are accepted; secrets never reach a GET; the
//! policy refuses; browsing a live device; the catalog.

use std::net::SocketAddr;

use comet_sim::SimHandle;
use comet_sim::shapes::OsInfo;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, token};
use crate::http::call;
use crate::jobs::{ALICE, BOB, seed_two_clients};
use crate::overview::{admin, start_sim};

const USER: &str = "acme-dental";
const DEVICE: &str = "dev-items-win";

async fn serve(db: &Db, sim: &SimHandle) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), admin(&sim.base_url(), sim))]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

fn windows() -> OsInfo {
    OsInfo {
        version: "10.0".into(),
        distribution: "Windows 11 Pro".into(),
        build: "22631".into(),
        os: "windows".into(),
        arch: "amd64".into(),
    }
}

/// A simulator with a connected Windows device `DEVICE` in acme-dental, and the server.
async fn setup(db: &Db) -> (SimHandle, String, ServerHandle) {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    sim.core().register_device(USER, DEVICE, "Front desk PC", windows()).expect("device registers");
    let (base, server) = serve(db, &sim).await;
    (sim, base, server)
}

async fn req(base: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let a = call(&method, &format!("{base}{path}"), Some(&token(ALICE)), body.as_ref()).await;
    (a.status, a.body)
}

fn sim_item(sim: &SimHandle, id: &str) -> Option<Value> {
    sim.core().profile_value(USER, &format!("/Sources/{id}"))
}

fn sim_rules_of(sim: &SimHandle, id: &str) -> Vec<(String, Value)> {
    let rules = sim.core().profile_value(USER, "/BackupRules").unwrap_or(json!({}));
    rules.as_object().unwrap().iter().filter(|(_, r)| r["Source"] == id).map(|(k, v)| (k.clone(), v.clone())).collect()
}

async fn first_vault(base: &str) -> String {
    let (status, list) = req(base, Method::GET, "/api/v1/services/101/items", None).await;
    assert_eq!(status, 200, "{list}");
    list["vaults"][0]["id"].as_str().expect("the account has a vault").to_string()
}

fn file_item(vault: &str) -> Value {
    json!({
        "engine": "engine1/file",
        "description": "Office documents",
        "device_id": DEVICE,
        "settings": { "INCLUDE": ["C:\\Users\\Ann\\Documents", "D:\\Scans"], "EXCLUDE": ["*.tmp"] },
        "rules": [ {
            "vault_id": vault,
            "schedules": [ { "FrequencyType": 8011, "SecondsPast": 7200 } ],
            "event_triggers": { "OnLastJobFailDoRetry": true, "LastJobFailDoRetryCount": 2, "LastJobFailDoRetryTime": 15 },
        } ],
        "retention": { vault: { "Mode": 802, "Ranges": [ { "Type": 900, "Jobs": 30 } ] } },
    })
}

both_backends!(items_are_created_saved_and_deleted_through_comet, |db| async move {
    let (sim, base, server) = setup(db).await;
    let vault = first_vault(&base).await;

    // Create: the simulator's profile holds exactly what was sent.
    let (status, saved) = req(&base, Method::POST, "/api/v1/services/101/items", Some(file_item(&vault))).await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    let item = sim_item(&sim, &id).expect("the item is in the profile");
    assert_eq!(item["Engine"], "engine1/file");
    assert_eq!(item["OwnerDevice"], DEVICE);
    assert_eq!(item["Description"], "Office documents");
    assert_eq!(
        item["EngineProps"],
        json!({ "INCLUDE0": "C:\\Users\\Ann\\Documents", "INCLUDE1": "D:\\Scans", "EXCLUDE0": "*.tmp", "USE_WIN_VSS": "1" })
    );
    assert_eq!(item["OverrideDestinationRetention"][&vault]["Mode"], 802);
    assert_eq!(item["OverrideDestinationRetention"][&vault]["Ranges"][0]["Jobs"], 30);
    let rules = sim_rules_of(&sim, &id);
    assert_eq!(rules.len(), 1);
    let rule = &rules[0].1;
    assert_eq!(
        (rule["Destination"].as_str(), rule["Schedules"][0]["FrequencyType"].as_u64()),
        (Some(vault.as_str()), Some(8011))
    );
    assert_eq!(rule["Schedules"][0]["SecondsPast"], 7200);
    assert_eq!(rule["EventTriggers"]["LastJobFailDoRetryCount"], 2);

    // The list and the form.
    let (_, list) = req(&base, Method::GET, "/api/v1/services/101/items", None).await;
    let row = list["items"].as_array().unwrap().iter().find(|i| i["id"] == id.as_str()).unwrap().clone();
    assert_eq!(row["engine_label"], "Files and Folders");
    assert_eq!(row["device_name"], "Front desk PC");
    assert_eq!(row["schedule_summary"], "Daily at 02:00; retry 2 times after a failure");
    let (status, form) = req(&base, Method::GET, &format!("/api/v1/services/101/items/{id}"), None).await;
    assert_eq!(status, 200, "{form}");
    assert_eq!(form["settings"]["INCLUDE"], json!(["C:\\Users\\Ann\\Documents", "D:\\Scans"]));
    assert_eq!(form["settings"]["USE_WIN_VSS"], true);
    assert_eq!(form["rules"][0]["summary"], "Daily at 02:00; retry 2 times after a failure");

    // A field we do not model, written by someone else, then a save at a stale hash: 409, and
    // nothing of either is lost.
    let comet = admin(&sim.base_url(), &sim);
    let mut stored = comet.get_protected_item_with_backup_rules(USER, &id).await.unwrap();
    stored.source.extra.insert("FutureField".into(), json!({ "kept": true }));
    stored.source.engine_props.insert("FUTURE_PROP".into(), "x".into());
    comet.set_protected_item_with_backup_rules(USER, &id, Some(&stored.source), None, None).await.unwrap();
    let mut stale = form.clone();
    stale["description"] = json!("Renamed over a change");
    let (status, body) = req(&base, Method::PUT, &format!("/api/v1/services/101/items/{id}"), Some(stale)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")), "{body}");
    assert_eq!(sim_item(&sim, &id).unwrap()["Description"], "Office documents", "nothing written");

    // Reloaded and saved: the change lands, the unknown field and key survive.
    let (_, mut form) = req(&base, Method::GET, &format!("/api/v1/services/101/items/{id}"), None).await;
    form["description"] = json!("Documents and scans");
    form["settings"]["EXCLUDE"] = json!(["*.tmp", "**/cache/**"]);
    let (status, body) = req(&base, Method::PUT, &format!("/api/v1/services/101/items/{id}"), Some(form.clone())).await;
    assert_eq!(status, 200, "{body}");
    let item = sim_item(&sim, &id).unwrap();
    assert_eq!(item["Description"], "Documents and scans");
    assert_eq!(item["FutureField"], json!({ "kept": true }));
    assert_eq!(item["EngineProps"]["FUTURE_PROP"], "x");
    assert_eq!(item["EngineProps"]["EXCLUDE1"], "**/cache/**");
    assert_eq!(sim_rules_of(&sim, &id).len(), 1, "the rule is kept (same id)");
    assert_eq!(sim_rules_of(&sim, &id)[0].0, rules[0].0);

    // Bad input: a missing path, another account's vault, an unknown device.
    let mut bad = file_item(&vault);
    bad["settings"]["INCLUDE"] = json!([]);
    let (status, body) = req(&base, Method::POST, "/api/v1/services/101/items", Some(bad)).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("INCLUDE")), "{body}");
    let (status, _) = req(&base, Method::POST, "/api/v1/services/101/items", Some(file_item("not-a-vault"))).await;
    assert_eq!(status, 404);
    let mut bad = file_item(&vault);
    bad["device_id"] = json!("not-a-device");
    let (status, _) = req(&base, Method::POST, "/api/v1/services/101/items", Some(bad)).await;
    assert_eq!(status, 404);

    // Another client sees none of it.
    let a = call(&Method::GET, &format!("{base}/api/v1/services/101/items/{id}"), Some(&token(BOB)), None).await;
    assert_eq!(a.status, 404);

    // Delete: the item and its rules go.
    let (status, body) = req(&base, Method::DELETE, &format!("/api/v1/services/101/items/{id}"), None).await;
    assert_eq!(status, 200, "{body}");
    assert!(sim_item(&sim, &id).is_none());
    assert!(sim_rules_of(&sim, &id).is_empty());
    let (status, _) = req(&base, Method::DELETE, &format!("/api/v1/services/101/items/{id}"), None).await;
    assert_eq!(status, 404);
    server.stop().await.unwrap();
    sim.shutdown().await;
});

/// The smallest valid settings of every engine, from the catalog itself.
fn minimal_settings(engine: &Value) -> Value {
    let mut settings = serde_json::Map::new();
    for o in engine["options"].as_array().unwrap() {
        if o["required"] != true {
            continue;
        }
        let key = o["key"].as_str().unwrap().to_string();
        let value = match o["kind"].as_str().unwrap() {
            "list" => json!(["first"]),
            "flag" => json!(true),
            "select" => o["choices"][0]["value"].clone(),
            "number" => json!("1"),
            _ => json!(o["default"].as_str().unwrap_or("value")),
        };
        settings.insert(key, value);
    }
    Value::Object(settings)
}

both_backends!(every_engine_saves_its_minimal_settings_and_secrets_stay_on_the_server, |db| async move {
    let (sim, base, server) = setup(db).await;
    let vault = first_vault(&base).await;
    let (status, catalog) = req(&base, Method::GET, "/api/v1/catalog/engines", None).await;
    assert_eq!(status, 200, "{catalog}");
    let engines = catalog["engines"].as_array().unwrap();
    assert_eq!(engines.len(), 14);
    for e in engines {
        let id = e["id"].as_str().unwrap();
        let body = json!({
            "engine": id, "description": format!("Minimal {id}"), "device_id": DEVICE,
            "settings": minimal_settings(e),
            "rules": [ { "vault_id": vault, "schedules": [ { "FrequencyType": 8013, "SecondsPast": 86400 + 3600 } ] } ],
        });
        let (status, saved) = req(&base, Method::POST, "/api/v1/services/101/items", Some(body)).await;
        if e["deprecated"].is_string() {
            assert_eq!((status, saved["error"]["field"].as_str()), (422, Some("engine")), "{id}: {saved}");
            continue;
        }
        assert_eq!(status, 200, "{id}: {saved}");
        let item = sim_item(&sim, saved["id"].as_str().unwrap()).unwrap();
        assert_eq!(item["Engine"], id);
    }

    // A SQL Server password is stored, never answered, and kept by a save that does not resend it.
    let body = json!({
        "engine": "engine1/mssql", "description": "Accounting DB", "device_id": DEVICE,
        "settings": { "INSTANCE": "SQLEXPRESS", "AUTHMODE": "native", "USERNAME": "sa", "PASSWORD": "hunter2-not-for-browsers" },
    });
    let (status, saved) = req(&base, Method::POST, "/api/v1/services/101/items", Some(body)).await;
    assert_eq!(status, 200, "{saved}");
    let id = saved["id"].as_str().unwrap().to_string();
    assert_eq!(sim_item(&sim, &id).unwrap()["EngineProps"]["PASSWORD"], "hunter2-not-for-browsers");
    let (_, form) = req(&base, Method::GET, &format!("/api/v1/services/101/items/{id}"), None).await;
    assert!(!form.to_string().contains("hunter2"), "{form}");
    assert_eq!(form["write_only_set"], json!(["PASSWORD"]));
    let (_, list) = req(&base, Method::GET, "/api/v1/services/101/items", None).await;
    assert!(!list.to_string().contains("hunter2"));
    let mut form = form;
    form["settings"]["USERNAME"] = json!("backup");
    let (status, _) = req(&base, Method::PUT, &format!("/api/v1/services/101/items/{id}"), Some(form)).await;
    assert_eq!(status, 200);
    let props = &sim_item(&sim, &id).unwrap()["EngineProps"];
    assert_eq!((props["USERNAME"].as_str(), props["PASSWORD"].as_str()), (Some("backup"), Some("hunter2-not-for-browsers")));
    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(policy_refuses_and_a_live_device_is_browsed, |db| async move {
    let (sim, base, server) = setup(db).await;
    let vault = first_vault(&base).await;

    // Browse the live device: its roots, then one folder.
    let path = format!("/api/v1/services/101/devices/{DEVICE}/browse");
    let (status, roots) = req(&base, Method::POST, &path, Some(json!({ "kind": "filesystem" }))).await;
    assert_eq!(status, 200, "{roots}");
    let values: Vec<&str> = roots["entries"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap()).collect();
    assert_eq!(values, ["C:\\", "D:\\"]);
    let (status, level) = req(&base, Method::POST, &path, Some(json!({ "kind": "filesystem", "path": "C:\\" }))).await;
    assert_eq!(status, 200, "{level}");
    let entries = level["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e["value"].as_str().unwrap().starts_with("C:\\")), "{level}");
    let (status, disks) = req(&base, Method::POST, &path, Some(json!({ "kind": "disk_drives" }))).await;
    assert_eq!(status, 200, "{disks}");
    assert!(!disks["entries"].as_array().unwrap().is_empty());
    // Offline: refused with the reason; unknown device: 404.
    sim.core().set_online_of(Some(USER), DEVICE, false).unwrap();
    let (status, body) = req(&base, Method::POST, &path, Some(json!({ "kind": "filesystem" }))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden_by_policy")), "{body}");
    let (status, _) =
        req(&base, Method::POST, "/api/v1/services/101/devices/nope/browse", Some(json!({ "kind": "filesystem" }))).await;
    assert_eq!(status, 404);

    // The policy: only Files and Folders, then no new items at all.
    let comet = admin(&sim.base_url(), &sim);
    let mut profile = comet.get_user_profile(USER).await.unwrap();
    let mut policy = serde_json::to_value(&profile.policy).unwrap();
    policy["ProtectedItemEngineTypes"] =
        json!({ "ShouldRestrictEngineTypeList": true, "AllowedEngineTypeWhenRestricted": ["engine1/file"] });
    profile.policy = serde_json::from_value(policy.clone()).unwrap();
    comet.set_user_profile(USER, &profile).await.unwrap();
    let mysql = json!({ "engine": "engine1/mysql", "description": "DB", "device_id": DEVICE, "settings": { "HOST": "db" } });
    let (status, body) = req(&base, Method::POST, "/api/v1/services/101/items", Some(mysql)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden_by_policy")), "{body}");
    let (status, _) = req(&base, Method::POST, "/api/v1/services/101/items", Some(file_item(&vault))).await;
    assert_eq!(status, 200);
    policy["PreventNewProtectedItem"] = json!(true);
    let mut profile = comet.get_user_profile(USER).await.unwrap();
    profile.policy = serde_json::from_value(policy).unwrap();
    comet.set_user_profile(USER, &profile).await.unwrap();
    let (status, body) = req(&base, Method::POST, "/api/v1/services/101/items", Some(file_item(&vault))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden_by_policy")), "{body}");
    server.stop().await.unwrap();
    sim.shutdown().await;
});
