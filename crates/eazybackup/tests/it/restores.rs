//! The Restore tab's routes against the simulator: pick a device, item, vault and snapshot, browse
//! the snapshot, restore two files to another path (the simulator records exactly that restore
//! and the job finishes), find a file across every snapshot and restore an older version, refuse
//! an offline device with a clear message, and 404 anything of another client.

use std::net::SocketAddr;

use comet_sim::SimHandle;
use eazybackup::api::comet_clients::CometClients;
use eazybackup::api::{AppState, ServerHandle};
use eazybackup::both_backends;
use eazybackup::db::Db;
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::api::{SECRET, token};
use crate::http::{Answer, call};
use crate::jobs::{ALICE, BOB, seed_two_clients};

async fn serve(db: &Db, sim: &SimHandle) -> (String, ServerHandle) {
    let mut state = AppState::new(db.clone(), SecretString::from(SECRET.to_string()), vec!["*".into()]);
    state.comet = CometClients::from_clients([("eazybackup".to_string(), crate::overview::admin(&sim.base_url(), sim))]);
    let handle = eazybackup::api::start(state, SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("serve starts");
    (format!("http://{}", handle.addr), handle)
}

async fn get(base: &str, path: &str, t: &str) -> Answer {
    call(&Method::GET, &format!("{base}{path}"), Some(t), None).await
}

async fn post(base: &str, path: &str, t: &str, body: &Value) -> Answer {
    call(&Method::POST, &format!("{base}{path}"), Some(t), Some(body)).await
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// The ids a restore of acme-dental needs: an online device, an item with snapshots in a vault.
pub(crate) struct Picked {
    pub device: String,
    pub item: String,
    pub vault: String,
    pub snapshots: Vec<Value>,
}

pub(crate) async fn pick(base: &str, t: &str, service: i64) -> Picked {
    let sources = get(base, &format!("/api/v1/services/{service}/restore/sources"), t).await;
    assert_eq!(sources.status, 200, "{}", sources.body);
    let body = &sources.body;
    let device = body["devices"].as_array().unwrap().iter().find(|d| d["online"] == true).expect("an online device");
    let device = s(&device["device_id"]);
    for item in body["items"].as_array().unwrap() {
        assert!(item["restore_types"].as_array().unwrap().iter().any(|t| t["key"] == "simulate"), "{item}");
        let Some(vault) = item["vault_ids"].as_array().and_then(|v| v.first()) else { continue };
        let q = format!(
            "/api/v1/services/{service}/restore/snapshots?device_id={device}&item_id={}&vault_id={}",
            s(&item["item_id"]),
            s(vault)
        );
        let snaps = get(base, &q, t).await;
        assert_eq!(snaps.status, 200, "{}", snaps.body);
        let list = snaps.body["snapshots"].as_array().unwrap().clone();
        if list.len() >= 2 && item["engine"] == "engine1/file" {
            return Picked { device, item: s(&item["item_id"]), vault: s(vault), snapshots: list };
        }
    }
    panic!("no file item with two snapshots: {body}");
}

both_backends!(restore_two_files_to_another_path_search_and_refusals, |db| async move {
    seed_two_clients(db).await;
    let sim = crate::overview::start_sim().await;
    let (base, server) = serve(db, &sim).await;
    let (alice, bob) = (token(ALICE), token(BOB));
    let p = pick(&base, &alice, 101).await;
    let newest = &p.snapshots[0];
    assert!(newest["created_at"].as_i64() > p.snapshots[1]["created_at"].as_i64(), "newest first");
    let snapshot = s(&newest["snapshot_id"]);
    let ids = format!("device_id={}&item_id={}&vault_id={}", p.device, p.item, p.vault);

    // Browse: the top level, then inside a folder; two files from there.
    let root = get(&base, &format!("/api/v1/services/101/restore/objects?{ids}&snapshot_id={snapshot}"), &alice).await;
    assert_eq!(root.status, 200, "{}", root.body);
    let folder = root.body["objects"].as_array().unwrap().iter().find(|o| o["is_container"] == true).expect("a folder").clone();
    let inside = get(
        &base,
        &format!(
            "/api/v1/services/101/restore/objects?{ids}&snapshot_id={snapshot}&tree_id={}&path={}",
            s(&folder["tree_id"]),
            urlencode(&s(&folder["path"]))
        ),
        &alice,
    )
    .await;
    assert_eq!(inside.status, 200, "{}", inside.body);
    let files: Vec<String> =
        inside.body["objects"].as_array().unwrap().iter().filter(|o| o["kind"] == "file").map(|o| s(&o["path"])).collect();
    assert!(files.len() >= 2, "{}", inside.body);
    assert!(files[0].starts_with(&s(&folder["path"])), "{files:?}");
    let chosen = vec![files[0].clone(), files[1].clone()];

    // Restore exactly those two to another path.
    let body = json!({
        "device_id": p.device, "item_id": p.item, "vault_id": p.vault, "snapshot_id": snapshot,
        "paths": chosen, "restore_type": 0, "destination": "path", "dest_path": "/srv/restored", "overwrite": "if_newer",
    });
    let started = post(&base, "/api/v1/services/101/restore", &alice, &body).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let job_id = s(&started.body["job_id"]);
    assert!(!job_id.is_empty(), "{}", started.body);
    let recorded = sim.core().restores();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let r = &recorded[0];
    assert_eq!(r["JobID"], json!(job_id));
    assert_eq!(r["Username"], "acme-dental");
    assert_eq!(r["TargetDevice"], json!(p.device));
    assert_eq!(r["Source"], json!(p.item));
    assert_eq!(r["Destination"], json!(p.vault));
    assert_eq!(r["Snapshot"], json!(snapshot));
    assert_eq!(r["Paths"], json!(chosen));
    assert_eq!(r["Options"]["Type"], 0);
    assert_eq!(r["Options"]["DestPath"], "/srv/restored");
    assert_eq!(r["Options"]["DestIsOriginalLocation"], false);
    assert_eq!(r["Options"]["OverwriteExistingFiles"], true);
    assert_eq!(r["Options"]["OverwriteIfNewer"], true);

    // Follow the job to its end.
    let job = get(&base, &format!("/api/v1/services/101/restore/jobs/{job_id}"), &alice).await;
    assert_eq!(job.status, 200, "{}", job.body);
    assert_eq!(job.body["item_id"], json!(p.item));
    sim.core().finish_job(&job_id, 5000).unwrap();
    let job = get(&base, &format!("/api/v1/services/101/restore/jobs/{job_id}"), &alice).await;
    assert_eq!((job.body["running"].clone(), job.body["status_class"].clone()), (json!(false), json!("success")), "{}", job.body);
    assert!(job.body["ended_at"].as_i64().is_some());

    // Find the first file across every snapshot: one path, a version in each snapshot.
    let name = chosen[0].rsplit('/').next().unwrap().to_string();
    let found =
        get(&base, &format!("/api/v1/services/101/restore/search?device_id={}&item_id={}&q={name}", p.device, p.item), &alice)
            .await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["snapshots_searched"], json!(p.snapshots.len()));
    let path =
        found.body["paths"].as_array().unwrap().iter().find(|x| x["path"] == json!(chosen[0])).expect("the file's path").clone();
    let versions = path["versions"].as_array().unwrap();
    assert_eq!(versions.len(), p.snapshots.len(), "{path}");
    assert!(versions[0]["snapshot_at"].as_i64() >= versions[1]["snapshot_at"].as_i64(), "newest first");
    assert_eq!(versions.last().unwrap()["changed"], true, "the oldest is a version");
    // Restore its oldest version to the original location.
    let oldest = versions.last().unwrap();
    let body = json!({
        "device_id": p.device, "item_id": p.item, "vault_id": oldest["vault_id"], "snapshot_id": oldest["snapshot_id"],
        "paths": [chosen[0]], "restore_type": 0, "destination": "original",
    });
    let started = post(&base, "/api/v1/services/101/restore", &alice, &body).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let r = sim.core().restores().last().cloned().unwrap();
    assert_eq!((r["Snapshot"].clone(), r["Paths"].clone()), (oldest["snapshot_id"].clone(), json!([chosen[0]])));
    assert_eq!((r["Options"]["DestIsOriginalLocation"].clone(), r["Options"]["DestPath"].clone()), (json!(true), json!("")));

    // An invalid choice is refused with the field at fault and nothing reaches the device (every
    // rule of the options is unit-tested in `api::routes::restores`; restores are rate-limited).
    let mut b = body.clone();
    b["restore_type"] = json!(14);
    let a = post(&base, "/api/v1/services/101/restore", &alice, &b).await;
    assert_eq!((a.status, a.code(), a.body["error"]["field"].clone()), (422, "invalid", json!("restore_type")), "{}", a.body);
    assert_eq!(sim.core().restores().len(), 2);

    // Another client: 404 on the service, and Alice naming Bob's ids: 404.
    let a = get(&base, "/api/v1/services/101/restore/sources", &bob).await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
    let a = post(&base, "/api/v1/services/101/restore", &bob, &body).await;
    assert_eq!((a.status, a.code()), (404, "not_found"));
    let bobs = pick(&base, &bob, 201).await;
    let a = get(
        &base,
        &format!("/api/v1/services/101/restore/snapshots?device_id={}&item_id={}&vault_id={}", p.device, bobs.item, p.vault),
        &alice,
    )
    .await;
    assert_eq!((a.status, a.code()), (404, "not_found"), "{}", a.body);
    let mut b = body.clone();
    b["device_id"] = json!(bobs.device);
    let a = post(&base, "/api/v1/services/101/restore", &alice, &b).await;
    assert_eq!((a.status, a.code()), (404, "not_found"), "{}", a.body);
    let a = get(&base, &format!("/api/v1/services/101/restore/jobs/{job_id}"), &bob).await;
    assert_eq!(a.status, 404);
    assert_eq!(sim.core().restores().len(), 2, "no refused call reached a device");

    // The device goes offline: restoring to it is refused saying so; reading through it too.
    sim.core().set_online_of(Some("acme-dental"), &p.device, false).unwrap();
    let a = post(&base, "/api/v1/services/101/restore", &alice, &body).await;
    assert_eq!((a.status, a.code(), a.body["error"]["field"].clone()), (422, "invalid", json!("device_id")), "{}", a.body);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("offline"), "{}", a.body);
    let a = get(&base, &format!("/api/v1/services/101/restore/snapshots?{ids}"), &alice).await;
    assert_eq!(a.status, 422);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("offline"), "{}", a.body);
    let sources = get(&base, "/api/v1/services/101/restore/sources", &alice).await;
    let me = sources.body["devices"].as_array().unwrap().iter().find(|d| d["device_id"] == json!(p.device)).cloned().unwrap();
    assert_eq!(me["online"], false);
    assert_eq!(sim.core().restores().len(), 2);
    server.stop().await.unwrap();
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Real ids of one simulator account for the refusal table: an online device, a file item with
/// snapshots, its vault, its newest snapshot, and a restore job of the device.
#[derive(Debug, Clone, Default)]
pub(crate) struct RestoreIds {
    pub device: String,
    pub item: String,
    pub vault: String,
    pub snapshot: String,
    pub job: String,
}

pub(crate) fn restore_ids(sim: &SimHandle, username: &str) -> RestoreIds {
    let core = sim.core();
    let online: Vec<String> = core.live_connections(Some(username)).values().map(|c| s(&c["DeviceID"])).collect();
    let sources = core.profile_value(username, "/Sources").expect("the account has items");
    let rules = core.profile_value(username, "/BackupRules").expect("the account has rules");
    for (item, source) in sources.as_object().unwrap() {
        if source["Engine"] != "engine1/file" {
            continue;
        }
        for rule in rules.as_object().unwrap().values().filter(|r| r["Source"] == json!(item)) {
            let vault = s(&rule["Destination"]);
            let Some(snap) = core.snapshots(&vault).into_iter().rev().find(|x| &x.source == item) else { continue };
            let device = online.first().cloned().expect("an online device");
            let job = sim
                .start_job(comet_sim::StartJob {
                    device_id: Some(device.clone()),
                    source_id: Some(item.clone()),
                    destination_id: Some(vault.clone()),
                    classification: 4002,
                    stall: true,
                    ..comet_sim::StartJob::new(username, 60.0, 5000)
                })
                .expect("a restore job starts");
            return RestoreIds { device, item: item.clone(), vault, snapshot: snap.id, job };
        }
    }
    panic!("{username} has no file item with a snapshot");
}
