//! Issue 7 point 3 end to end: a DeviceID names a machine, not an account. The same id registered
//! in accounts of different WHMCS clients — on two Comet servers (profiles `eazybackup` and `obc`),
//! and in two accounts of one server — must stay one device per registration all the way through:
//! simulators, one worker per profile, the tables, and what the customer API shows each client
//! (the event stream's `DeviceView`s, the snapshot's job enrichment). Reproduced before the fix:
//! a registration on `obc` with the id of a device of another client on `eazybackup` renamed that
//! client's device and swallowed its online events.

use std::collections::HashMap;
use std::time::Duration;

use comet_sim::shapes::{CLASSIFICATION_UPDATE, OsInfo};
use comet_sim::{SeedUser, Sim, SimConfig, SimHandle, StartJob};
use eazybackup::api::spawn_for_test;
use eazybackup::db::Db;
use eazybackup::db::tenancy::ClientId;
use eazybackup::with_pool;
use serde_json::Value;

use crate::api::{SECRET, connect, get, next_event, token};
use crate::whmcs_fixture::{ServiceRow, seed};
use crate::worker::{eventually, spawn_worker_for};

/// One machine's id, registered in every account below.
const D: &str = "0f5e8a7c-3b1d-4c2a-9e6f-d15ea5ed0001";

/// One registration of `D`: the Comet server it is on, the account, and the WHMCS client owning it.
struct Registration<'a> {
    sim: &'a SimHandle,
    profile: &'static str,
    username: &'static str,
    client: ClientId,
    name: &'static str,
}

fn windows() -> OsInfo {
    OsInfo {
        version: "23H2".into(),
        distribution: "Windows 11 Pro".into(),
        build: String::new(),
        os: "windows".into(),
        arch: "amd64".into(),
    }
}

/// A Comet server with these accounts and no device yet (the test registers `D` itself).
async fn server_with(users: &[&str]) -> SimHandle {
    let mut cfg = SimConfig::for_tests();
    cfg.users = users.iter().map(|u| SeedUser { username: (*u).into(), password: format!("{u}-pass"), devices: 0 }).collect();
    Sim::start(cfg).await.expect("simulator starts")
}

/// The worker of `profile` has connected and reconciled (it saves its cursor last).
async fn wait_connected(db: &Db, profile: &str) {
    let source = eazybackup::db::cursor::source_for_profile(profile);
    eventually(&format!("the {profile} worker to connect"), || async {
        eazybackup::db::cursor::load(db, &source).await.unwrap().is_some()
    })
    .await;
}

/// (name, online, client_id) of `D`'s registration in (profile, username), if mirrored.
async fn row_of(db: &Db, r: &Registration<'_>) -> Option<(String, bool, Option<i64>)> {
    let row: Option<(String, i64, Option<i64>)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT COALESCE(name, ''), CAST(online AS SIGNED), CAST(client_id AS SIGNED) FROM comet_devices \
         WHERE profile = ? AND username = ? AND hash = ? AND is_active = 1"
    ).bind(r.profile).bind(r.username).bind(D).fetch_optional(pool).await.unwrap());
    row.map(|(name, online, client)| (name, online != 0, client))
}

/// Every registration shows its own name, owner and the online state it should have.
async fn assert_rows(db: &Db, regs: &[Registration<'_>], online: &[bool], after: &str) {
    for (r, want) in regs.iter().zip(online) {
        assert_eq!(
            row_of(db, r).await,
            Some((r.name.to_string(), *want, Some(r.client.0))),
            "{}/{} after {after}",
            r.profile,
            r.username
        );
    }
}

/// Registers `D` in each account in turn, then takes each registration offline and online again
/// on its own server, checking after every step that no other registration moved; then one job
/// per registration. Returns nothing: it panics on the first registration that borrowed another's
/// name, owner or online state.
async fn register_and_flap(db: &Db, regs: &[Registration<'_>]) {
    let mut online = vec![false; regs.len()];
    for (i, r) in regs.iter().enumerate() {
        r.sim.core().register_device(r.username, D, r.name, windows()).expect("the device registers");
        online[i] = true;
        eventually(&format!("{}/{}'s registration to be mirrored online", r.profile, r.username), || async {
            row_of(db, r).await.is_some_and(|(_, on, _)| on)
        })
        .await;
        assert_rows(db, &regs[..=i], &online[..=i], &format!("registering {}/{}", r.profile, r.username)).await;
    }
    // The last registered goes first, so each earlier one is checked against a newer namesake.
    let order: Vec<usize> = (0..regs.len()).rev().collect();
    for want in [false, true] {
        for &i in &order {
            let r = &regs[i];
            r.sim.core().set_online_of(Some(r.username), D, want).expect("the device connects or disconnects");
            online[i] = want;
            let step = format!("{}/{} going {}", r.profile, r.username, if want { "online" } else { "offline" });
            eventually(&step, || async { row_of(db, r).await.is_some_and(|(_, on, _)| on == want) }).await;
            // The event that changed this row was applied whole: any other row it touched has
            // moved too by now.
            assert_rows(db, regs, &online, &step).await;
        }
    }
    for r in regs {
        let job = StartJob {
            device_id: Some(D.to_string()),
            classification: CLASSIFICATION_UPDATE,
            ..StartJob::new(r.username, 3600.0, 5000)
        };
        let job = r.sim.start_job(job).expect("a job on the device starts");
        eventually(&format!("{}/{}'s job to be live", r.profile, r.username), || async {
            with_pool!(db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM eb_jobs_live WHERE server_id = ? AND job_id = ?")
                .bind(r.profile).bind(&job).fetch_one(pool).await.unwrap()) == 1
        })
        .await;
    }
}

/// Every `device:*` row of the outbox is addressed to the client owning the registration its
/// payload describes, and describes it with that registration's own name. (The event stream
/// filters rows by client *and* account, so a row given to the wrong client would only be
/// invisible there: the table itself is checked.)
async fn assert_outbox_attribution(db: &Db, regs: &[Registration<'_>]) {
    let rows: Vec<(Option<i64>, String, String)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(client_id AS SIGNED), kind, payload FROM eb_events WHERE kind LIKE 'device:%' ORDER BY id"
    ).fetch_all(pool).await.unwrap());
    assert!(!rows.is_empty(), "device events were written");
    let owner: HashMap<(&str, &str), &Registration<'_>> = regs.iter().map(|r| ((r.profile, r.username), r)).collect();
    for (client, kind, payload) in rows {
        let view: Value = serde_json::from_str(&payload).unwrap();
        let key = (view["profile"].as_str().unwrap(), view["username"].as_str().unwrap());
        let r = owner.get(&key).unwrap_or_else(|| panic!("{kind} for an account nobody registered: {payload}"));
        assert_eq!(client, Some(r.client.0), "{kind} addressed to the wrong client: {payload}");
        assert_eq!((view["device_id"].as_str(), view["name"].as_str()), (Some(D), Some(r.name)), "{kind}: {payload}");
    }
}

/// What the customer API shows each registration's client: its event stream replayed from the
/// start holds its own device only, with its own name, and exactly the transitions it went
/// through (registered, online, offline, online) — none swallowed, none borrowed; its snapshot's
/// running job names its own device.
async fn assert_api_views(db: &Db, regs: &[Registration<'_>]) {
    let (addr, server) = spawn_for_test(db.clone(), SECRET).await.unwrap();
    let base = format!("http://{addr}");
    for r in regs {
        let tok = token(r.client);
        let mut stream = connect(&base, &tok, Some(0)).await;
        let mut device_kinds = Vec::new();
        while let Some(event) = next_event(&mut stream, Duration::from_millis(1500)).await {
            let view: Value = serde_json::from_str(&event.data).unwrap();
            if !event.event.starts_with("device:") {
                continue;
            }
            assert_eq!(
                (view["profile"].as_str(), view["username"].as_str(), view["device_id"].as_str(), view["name"].as_str()),
                (Some(r.profile), Some(r.username), Some(D), Some(r.name)),
                "client {} shown another registration: {}",
                r.client,
                event.data
            );
            device_kinds.push(event.event.clone());
        }
        assert_eq!(
            device_kinds,
            ["device:new", "device:online", "device:offline", "device:online"],
            "client {}'s device events ({}/{})",
            r.client,
            r.profile,
            r.username
        );

        let (status, snap) = get(&base, "/api/v1/pulse/snapshot", Some(&tok)).await;
        assert_eq!(status, 200);
        let running = snap["running"].as_array().expect("running jobs");
        assert_eq!(running.len(), 1, "client {}: {snap}", r.client);
        assert_eq!(
            (running[0]["profile"].as_str(), running[0]["device_id"].as_str(), running[0]["device_name"].as_str()),
            (Some(r.profile), Some(D), Some(r.name)),
            "client {}'s job names its own device",
            r.client
        );
    }
    server.stop().await.unwrap();
}

const POLL: Duration = Duration::from_millis(300);

eazybackup::both_backends!(one_device_id_on_two_comet_servers_stays_two_devices, |db| async {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    seed(
        db,
        &[
            ServiceRow { service_id: 101, client_id: 1, profile: "eazybackup", username: "alice", status: "Active" },
            ServiceRow { service_id: 201, client_id: 2, profile: "obc", username: "carol", status: "Active" },
        ],
    )
    .await;
    let (eazybackup, obc) = (server_with(&["alice"]).await, server_with(&["carol"]).await);
    let stops = [spawn_worker_for(&eazybackup, db, "eazybackup", POLL), spawn_worker_for(&obc, db, "obc", POLL)];
    wait_connected(db, "eazybackup").await;
    wait_connected(db, "obc").await;

    let regs = [
        Registration { sim: &eazybackup, profile: "eazybackup", username: "alice", client: ClientId(1), name: "Alice's laptop" },
        Registration { sim: &obc, profile: "obc", username: "carol", client: ClientId(2), name: "Carol's file server" },
    ];
    register_and_flap(db, &regs).await;
    // Running jobs keep polling progress into the outbox: stop the workers so the replayed
    // streams fall quiet (what they show is in the tables).
    for stop in stops {
        stop.cancel();
    }
    assert_outbox_attribution(db, &regs).await;
    assert_api_views(db, &regs).await;
    eazybackup.shutdown().await;
    obc.shutdown().await;
});

// The same machine logged in to two accounts of one server: Comet's disconnect event carries no
// connection (only the device id), so it cannot say by itself which registration left.
eazybackup::both_backends!(one_device_id_in_two_accounts_of_one_server_stays_two_devices, |db| async {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    seed(
        db,
        &[
            ServiceRow { service_id: 101, client_id: 1, profile: "eazybackup", username: "alice", status: "Active" },
            ServiceRow { service_id: 301, client_id: 3, profile: "eazybackup", username: "bob", status: "Active" },
        ],
    )
    .await;
    let sim = server_with(&["alice", "bob"]).await;
    let stop = spawn_worker_for(&sim, db, "eazybackup", POLL);
    wait_connected(db, "eazybackup").await;

    let regs = [
        Registration { sim: &sim, profile: "eazybackup", username: "alice", client: ClientId(1), name: "Alice's laptop" },
        Registration { sim: &sim, profile: "eazybackup", username: "bob", client: ClientId(3), name: "Bob's desktop" },
    ];
    register_and_flap(db, &regs).await;
    stop.cancel();
    assert_outbox_attribution(db, &regs).await;
    assert_api_views(db, &regs).await;

    sim.shutdown().await;
});
