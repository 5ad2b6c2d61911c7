//! The Storage vaults tab against the simulator: the list (labels, usage, items, retention, no
//! credential anywhere in the answer), requesting a vault from a template, rename / quota /
//! retention edits conditional on the profile hash (409 on a concurrent change, unknown profile
//! keys kept), the retention preview, snapshots and their deletion, maintenance jobs, and the
//! delete safeguard.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::Method;
use comet::AdminClient;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, token};
use crate::http::{Answer, call};
use crate::jobs::{ALICE, BOB, seed_two_clients};
use crate::overview::{admin, start_sim};

async fn serve(db: &Db, comet: AdminClient) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), comet)]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

struct Api {
    base: String,
    token: String,
}

impl Api {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        call(&method, &format!("{}{path}", self.base), Some(&self.token), body.as_ref()).await
    }
    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let a = self.call(method.clone(), path, body).await;
        assert!((200..300).contains(&a.status), "{method} {path}: {} {}", a.status, a.body);
        a.body
    }
    async fn list(&self) -> Value {
        self.ok(Method::GET, "/api/v1/services/101/vaults", None).await
    }
}

fn vault<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["vaults"].as_array().unwrap().iter().find(|v| v["vault_id"] == id).unwrap_or_else(|| panic!("{id} listed: {list}"))
}

/// Every string value of a JSON document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

both_backends!(vaults_tab_end_to_end_against_the_simulator, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let comet = admin(&sim.base_url(), &sim);
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let api = Api { base: base.clone(), token: token(ALICE) };

    // ---- the list
    let list = api.list().await;
    let profile = comet.get_user_profile("acme-dental").await.unwrap();
    let (cloud_id, cloud) = profile
        .destinations
        .iter()
        .find(|(_, d)| d.description == "eazyBackup Cloud")
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    let v = vault(&list, &cloud_id);
    assert_eq!(v["type_label"], "Comet", "{v}");
    assert_eq!(v["type_code"], 1003);
    assert_eq!(v["used_bytes"], json!(cloud.measured_size()), "{v}");
    assert_eq!(v["retention_summary"], "Keep every backup of the last 30 days", "{v}");
    assert!(!v["items"].as_array().unwrap().is_empty(), "the seeded nightly rules back up to the cloud vault: {v}");
    assert!(v["items"][0]["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(list["profile_hash"].as_str().is_some_and(|h| !h.is_empty()));
    assert!(list["rule_types"].as_array().unwrap().iter().any(|t| t["type"] == 900 && t["label"] == "Most recent jobs"));
    // No credential of any vault anywhere in the answer.
    let mut secrets = Vec::new();
    for d in profile.destinations.values() {
        for s in [&d.comet_bucket_key, &d.s3_secret_key, &d.encrypted_encryption_key] {
            if !s.is_empty() {
                secrets.push(s.expose().to_string());
            }
        }
        if !d.s3_access_key.is_empty() {
            secrets.push(d.s3_access_key.clone());
        }
    }
    assert!(!secrets.is_empty());
    let text = list.to_string();
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "a vault credential leaked into the list");
    }
    let mut values = Vec::new();
    strings(&list, &mut values);
    assert!(!values.iter().any(|s| s.contains("csw.eazybackup.ca") || s.contains("wasabisys")), "no storage location either");

    // ---- another client's vault id on Alice's service, and Bob on Alice's service
    let bob_profile = comet.get_user_profile("brown-acct").await.unwrap();
    let bob_vault = bob_profile.destinations.keys().next().unwrap().clone();
    let a = api.call(Method::GET, &format!("/api/v1/services/101/vaults/{bob_vault}/snapshots"), None).await;
    assert_eq!((a.status, a.code()), (404, "not_found"), "{}", a.body);
    let a =
        api.call(Method::PATCH, &format!("/api/v1/services/101/vaults/{bob_vault}"), Some(json!({ "name": "mine now" }))).await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
    let bob = Api { base: base.clone(), token: token(BOB) };
    assert_eq!(bob.call(Method::GET, "/api/v1/services/101/vaults", None).await.status, 404);

    // ---- request a vault from a template
    let templates = api.ok(Method::GET, "/api/v1/services/101/vault-templates", None).await;
    let template = templates.as_array().unwrap().iter().find(|t| t["name"] == "Wasabi (ca-central-1)").unwrap().clone();
    let a = api.call(Method::POST, "/api/v1/services/101/vaults", Some(json!({ "template_id": "no-such-template" }))).await;
    assert_eq!((a.status, a.code()), (422, "invalid"));
    let made = api.ok(Method::POST, "/api/v1/services/101/vaults", Some(json!({ "template_id": template["template_id"] }))).await;
    let new_id = made["vault_id"].as_str().unwrap().to_string();
    assert_eq!(made["type_label"], "S3-compatible", "{made}");
    let list = api.list().await;
    let listed = vault(&list, &new_id);
    assert_eq!(listed["name"], "Wasabi (ca-central-1)");
    assert_eq!(listed["items"], json!([]));

    // ---- rename and quota, conditional on the hash; unknown profile keys survive
    let hash = list["profile_hash"].as_str().unwrap().to_string();
    let edited = api
        .ok(
            Method::PATCH,
            &format!("/api/v1/services/101/vaults/{new_id}"),
            Some(json!({ "name": "Offsite <b>copy</b>", "quota_enabled": true, "quota_bytes": 5_000_000_000i64, "profile_hash": hash })),
        )
        .await;
    assert_eq!((edited["name"].as_str(), edited["quota_bytes"].as_i64()), (Some("Offsite <b>copy</b>"), Some(5_000_000_000)));
    // The same (now stale) hash again: someone else changed the account meanwhile.
    let a = api
        .call(
            Method::PATCH,
            &format!("/api/v1/services/101/vaults/{new_id}"),
            Some(json!({ "name": "Late", "profile_hash": hash })),
        )
        .await;
    assert_eq!((a.status, a.code()), (409, "conflict"), "{}", a.body);
    let stored = comet.get_user_profile("acme-dental").await.unwrap();
    assert_eq!(stored.destinations[&new_id].description, "Offsite <b>copy</b>");
    assert!(stored.extra.contains_key("SimFutureSetting"), "unknown profile keys are kept");
    let a = api.call(Method::PATCH, &format!("/api/v1/services/101/vaults/{new_id}"), Some(json!({ "name": "  " }))).await;
    assert_eq!((a.status, a.body["error"]["field"].as_str()), (422, Some("name")));

    // ---- retention: preview, then save
    let keep_one = json!({ "keep_everything": false, "ranges": [{ "type": 900, "jobs": 1 }] });
    let preview = api
        .ok(
            Method::POST,
            &format!("/api/v1/services/101/vaults/{cloud_id}/retention-preview"),
            Some(json!({ "retention": keep_one })),
        )
        .await;
    let snaps = preview["snapshots"].as_array().unwrap();
    let items: std::collections::BTreeSet<&str> = snaps.iter().map(|s| s["item_id"].as_str().unwrap()).collect();
    assert!(snaps.len() > items.len(), "the seeded vault holds several snapshots per item: {preview}");
    assert_eq!(preview["kept"].as_i64().unwrap(), i64::try_from(items.len()).unwrap(), "{preview}");
    assert_eq!(preview["removed"].as_i64().unwrap(), i64::try_from(snaps.len() - items.len()).unwrap());
    assert_eq!(preview["summary"], "Keep the newest 1 backup");
    // The newest snapshot of each item is the kept one.
    for item in &items {
        let newest = snaps.iter().filter(|s| s["item_id"] == *item).max_by_key(|s| s["created_at"].as_i64()).unwrap();
        assert_eq!(newest["keep"], true, "{newest}");
    }
    let saved =
        api.ok(Method::PATCH, &format!("/api/v1/services/101/vaults/{cloud_id}"), Some(json!({ "retention": keep_one }))).await;
    assert_eq!(saved["retention_summary"], "Keep the newest 1 backup");
    let stored = comet.get_user_profile("acme-dental").await.unwrap();
    assert_eq!(stored.destinations[&cloud_id].default_retention.ranges.len(), 1);
    let bad = json!({ "retention": { "keep_everything": false, "ranges": [{ "type": 904 }] } });
    let a = api.call(Method::PATCH, &format!("/api/v1/services/101/vaults/{cloud_id}"), Some(bad)).await;
    assert_eq!((a.status, a.body["error"]["field"].as_str()), (422, Some("retention")));

    // ---- snapshots, and deleting one
    let listing = api.ok(Method::GET, &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots"), None).await;
    let first = listing["snapshots"][0].clone();
    assert!(first["item_name"].as_str().is_some_and(|n| !n.is_empty()), "{listing}");
    assert!(first["created_at"].as_i64().unwrap() > 0);
    let victim = first["snapshot_id"].as_str().unwrap().to_string();
    let a = api
        .call(
            Method::POST,
            &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots/delete"),
            Some(json!({ "snapshot_ids": ["not-a-snapshot"] })),
        )
        .await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
    let job = api
        .ok(
            Method::POST,
            &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots/delete"),
            Some(json!({ "snapshot_ids": [victim] })),
        )
        .await;
    assert_eq!(job["classification"], 4005, "{job}");
    let job_id = job["job_id"].as_str().expect("the deletion job is named").to_string();
    wait_finished(&comet, &job_id).await;
    let listing = api.ok(Method::GET, &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots"), None).await;
    assert!(!listing["snapshots"].as_array().unwrap().iter().any(|s| s["snapshot_id"] == victim.as_str()), "deleted");

    // ---- maintenance: unlock and deep verify start jobs that finish
    for (action, class) in [("unlock", 4004), ("deep_verify", 4010), ("reindex", 4009), ("apply_retention", 4003)] {
        let job = api
            .ok(Method::POST, &format!("/api/v1/services/101/vaults/{cloud_id}/maintenance"), Some(json!({ "action": action })))
            .await;
        assert_eq!(job["classification"], class, "{job}");
        let id = job["job_id"].as_str().unwrap_or_else(|| panic!("{action}: job named: {job}")).to_string();
        let detail = comet.get_job_properties(&id).await.unwrap();
        assert_eq!((detail.classification.0, detail.destination_guid.as_str()), (class as u64, cloud_id.as_str()));
        if action == "deep_verify" {
            wait_finished(&comet, &id).await;
        }
    }
    let list = api.list().await;
    assert!(vault(&list, &cloud_id)["deep_verified_at"].as_i64().is_some_and(|t| t > 0), "deep verify recorded");
    let a = api
        .call(Method::POST, &format!("/api/v1/services/101/vaults/{cloud_id}/maintenance"), Some(json!({ "action": "explode" })))
        .await;
    assert_eq!(a.status, 422);

    // ---- delete: refused while items use it, done otherwise
    let a = api.call(Method::DELETE, &format!("/api/v1/services/101/vaults/{cloud_id}"), None).await;
    assert_eq!((a.status, a.code()), (409, "conflict"), "{}", a.body);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("still used by"));
    let a = api.call(Method::DELETE, &format!("/api/v1/services/101/vaults/{new_id}"), None).await;
    assert_eq!(a.status, 204, "{}", a.body);
    let stored = comet.get_user_profile("acme-dental").await.unwrap();
    assert!(!stored.destinations.contains_key(&new_id) && stored.destinations.contains_key(&cloud_id));

    server.stop().await.unwrap();
    sim.shutdown().await;
});

both_backends!(vault_actions_need_an_online_device_and_honour_the_policy, |db| async move {
    seed_two_clients(db).await;
    let sim = start_sim().await;
    let comet = admin(&sim.base_url(), &sim);
    let (base, server) = serve(db, admin(&sim.base_url(), &sim)).await;
    let api = Api { base, token: token(ALICE) };
    let profile = comet.get_user_profile("acme-dental").await.unwrap();
    let cloud_id = profile.destinations.iter().find(|(_, d)| d.description == "eazyBackup Cloud").unwrap().0.clone();

    // The policy forbids deleting snapshots: refused before Comet is asked.
    let mut p = profile.clone();
    let mut policy = serde_json::to_value(&p.policy).unwrap();
    policy["PreventDeleteSingleSnapshots"] = json!(true);
    p.policy = serde_json::from_value(policy).unwrap();
    comet.set_user_profile("acme-dental", &p).await.unwrap();
    let listing = api.ok(Method::GET, &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots"), None).await;
    let id = listing["snapshots"][0]["snapshot_id"].clone();
    let a = api
        .call(
            Method::POST,
            &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots/delete"),
            Some(json!({ "snapshot_ids": [id] })),
        )
        .await;
    assert_eq!((a.status, a.code()), (403, "forbidden_by_policy"), "{}", a.body);

    // Every device offline: the snapshot list says why, maintenance is refused with words.
    for device in profile.devices.keys() {
        sim.set_device_online(device, false).unwrap();
    }
    let listing = api.ok(Method::GET, &format!("/api/v1/services/101/vaults/{cloud_id}/snapshots"), None).await;
    assert_eq!(listing["snapshots"], json!([]));
    assert!(listing["message"].as_str().is_some_and(|m| m.contains("online")), "{listing}");
    let a = api
        .call(Method::POST, &format!("/api/v1/services/101/vaults/{cloud_id}/maintenance"), Some(json!({ "action": "unlock" })))
        .await;
    assert_eq!((a.status, a.code()), (403, "forbidden_by_policy"), "{}", a.body);
    server.stop().await.unwrap();
    sim.shutdown().await;
});

async fn wait_finished(comet: &AdminClient, job_id: &str) {
    for _ in 0..100 {
        let j = comet.get_job_properties(job_id).await.unwrap();
        if j.end_time > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("job {job_id} did not finish");
}
