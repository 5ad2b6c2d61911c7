//! Events we must not misread, and accounts deleted while we were away: `Actor` never names the
//! account of a removal or a live connection (it may be the administrator who acted), a removal
//! is believed only when the server no longer lists the account, and the reconcile removes the
//! accounts the server lost while the worker was disconnected.

use std::sync::Arc;

use comet::{AdminClient, Credentials, EventType, StreamableEvent};
use comet_sim::{FaultPatch, SimHandle};
use eazybackup::db::Db;
use eazybackup::ingest::account_reconcile::{AccountsReconciled, reconcile_accounts};
use eazybackup::ingest::batch;
use eazybackup::ingest::device_events::DeviceOutcome;
use eazybackup::ingest::{Ingest, Outcome};
use eazybackup::with_pool;
use serde_json::json;

use crate::ingest_devices::{self, NOW, event};

const PROFILE: &str = "eazybackup";

fn admin_of(sim: &SimHandle) -> Arc<AdminClient> {
    let creds = sim.admin_creds();
    Arc::new(
        AdminClient::new(
            &sim.base_url(),
            Credentials { username: creds.username, password: creds.password, ..Default::default() },
        )
        .unwrap(),
    )
}

async fn scalar(db: &Db, sql: &'static str, username: &str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(username).fetch_one(pool).await.unwrap())
}

/// (items, active devices, comet_users rows) of `username`.
async fn held(db: &Db, username: &str) -> (i64, i64, i64) {
    (
        scalar(db, "SELECT COUNT(*) FROM comet_items WHERE username = ?", username).await,
        scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE username = ? AND is_active = 1", username).await,
        scalar(db, "SELECT COUNT(*) FROM comet_users WHERE username = ?", username).await,
    )
}

fn removed_event(actor: &str, resource: &str) -> StreamableEvent {
    StreamableEvent {
        actor: actor.into(),
        resource_id: resource.into(),
        r#type: EventType::ACCOUNT_REMOVED,
        type_string: "SEVT_ACCOUNT_REMOVED".into(),
        timestamp: chrono::Utc::now().timestamp(),
        ..Default::default()
    }
}

async fn write_one(ingest: &mut Ingest, e: StreamableEvent) -> Outcome {
    let report = batch::write_events(ingest, &[e], None).await.expect("batch written");
    report.outcomes.into_iter().next().expect("one outcome")
}

eazybackup::both_backends!(the_reconcile_removes_accounts_deleted_while_disconnected, |db| async move {
    ingest_devices::prepare(db).await;
    let sim = crate::worker::start_sim().await;
    let admin = admin_of(&sim);
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin.clone());
    assert_eq!(reconcile_accounts(&mut ingest).await.unwrap(), AccountsReconciled { applied: 2, removed: 0 });
    let bob_before = held(db, "bob").await;
    assert!(bob_before.0 > 0 && bob_before.1 == 1 && bob_before.2 == 1, "{bob_before:?}");
    let alice_before = held(db, "alice").await;

    // Deleted while nobody listened: no event will ever tell us.
    admin.delete_user("bob", None).await.expect("account deleted");
    // A failed listing is not an empty server: nothing is removed.
    sim.set_faults(FaultPatch { reject_auth: Some(true), ..Default::default() });
    assert!(reconcile_accounts(&mut ingest).await.is_err());
    assert_eq!(held(db, "bob").await, bob_before);
    sim.set_faults(FaultPatch { reject_auth: Some(false), ..Default::default() });

    assert_eq!(reconcile_accounts(&mut ingest).await.unwrap(), AccountsReconciled { applied: 1, removed: 1 });
    assert_eq!(held(db, "bob").await, (0, 0, 0), "bob's items pruned, devices revoked, account row gone");
    assert_eq!(held(db, "alice").await, alice_before, "the other account is untouched");
    let removed = scalar(db, "SELECT COUNT(*) FROM eb_events WHERE kind = 'device:removed' AND username = ?", "bob").await;
    assert_eq!(removed, 1, "bob's browser hears his device go");
    assert_eq!(reconcile_accounts(&mut ingest).await.unwrap(), AccountsReconciled { applied: 1, removed: 0 }, "once");
    sim.shutdown().await;
});

eazybackup::both_backends!(an_account_removed_event_is_believed_only_for_a_named_account_the_server_lost, |db| async move {
    ingest_devices::prepare(db).await;
    let sim = crate::worker::start_sim().await;
    let admin = admin_of(&sim);
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin.clone());
    reconcile_accounts(&mut ingest).await.unwrap();
    let alice = held(db, "alice").await;
    let bob = held(db, "bob").await;

    // An administrator whose login happens to be "alice" deleted some account: the event names
    // none (no ResourceID, no Data), and the Actor is not an account.
    assert_eq!(write_one(&mut ingest, removed_event("alice", "")).await, Outcome::Ignored);
    assert_eq!(held(db, "alice").await, alice);
    // A removal naming an account the server still has is not believed.
    assert_eq!(write_one(&mut ingest, removed_event("admin", "alice")).await, Outcome::Unchanged);
    assert_eq!(held(db, "alice").await, alice);

    admin.delete_user("bob", None).await.expect("account deleted");
    assert_eq!(write_one(&mut ingest, removed_event("admin", "bob")).await, Outcome::ProfileRefreshed("bob".into()));
    assert_eq!(held(db, "bob").await, (0, 0, 0), "{bob:?} before");
    assert_eq!(held(db, "alice").await, alice);
    sim.shutdown().await;
});

eazybackup::both_backends!(live_and_removal_events_never_take_the_actor, |db| async move {
    ingest_devices::prepare(db).await;
    let new = event(
        EventType::DEVICE_NEW,
        "SEVT_DEVICE_NEW",
        "alice",
        "dev-a1",
        NOW - 100,
        Some(ingest_devices::device_config("Front desk", "windows", "amd64")),
    );
    assert!(matches!(ingest_devices::apply(db, &new).await, DeviceOutcome::Announced(_)));
    let online = || async { scalar(db, "SELECT CAST(online AS SIGNED) FROM comet_devices WHERE hash = ?", "dev-a1").await };

    // Bob's machine with the same device id connected: not alice's device.
    let bobs = event(
        EventType::DEVICE_LIVE_CONNECT,
        "SEVT_DEVICE_LIVE_CONNECT",
        "bob",
        "dev-a1",
        NOW - 90,
        Some(json!({"Username": "bob", "DeviceID": "dev-a1"})),
    );
    assert_eq!(ingest_devices::apply(db, &bobs).await, DeviceOutcome::Unchanged);
    assert_eq!(online().await, 0);
    // The connection names the device in Data; ResourceID is not documented for live events.
    let alices = event(
        EventType::DEVICE_LIVE_CONNECT,
        "SEVT_DEVICE_LIVE_CONNECT",
        "admin",
        "",
        NOW - 80,
        Some(json!({"Username": "alice", "DeviceID": "dev-a1"})),
    );
    assert!(matches!(ingest_devices::apply(db, &alices).await, DeviceOutcome::Announced(_)));
    assert_eq!(online().await, 1);

    // An administrator revoked a device we never saw: no row is invented under the admin's name.
    let removed = event(EventType::DEVICE_REMOVED, "SEVT_DEVICE_REMOVED", "admin", "dev-zz", NOW - 70, None);
    assert_eq!(ingest_devices::apply(db, &removed).await, DeviceOutcome::Unchanged);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE hash = ?", "dev-zz").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE username = ?", "admin").await, 0);
});

eazybackup::both_backends!(a_registration_is_the_actors_only_when_its_profile_lists_the_device, |db| async move {
    ingest_devices::prepare(db).await;
    let sim = crate::worker::start_sim().await;
    let admin = admin_of(&sim);
    let bobs_device = admin.get_user_profile("bob").await.unwrap().devices.keys().next().cloned().expect("bob has a device");
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin.clone());
    let registered = |actor: &str, device: &str| {
        event(
            EventType::DEVICE_NEW,
            "SEVT_DEVICE_NEW",
            actor,
            device,
            chrono::Utc::now().timestamp(),
            Some(ingest_devices::device_config("Lobby PC", "windows", "amd64")),
        )
    };
    let rows = |device: String| async move { scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE hash = ?", &device).await };

    // An administrator whose login is "alice" registered a lobby device into bob's account.
    assert_eq!(write_one(&mut ingest, registered("alice", &bobs_device)).await, Outcome::Unchanged);
    // An administrator who is no account at all.
    assert_eq!(write_one(&mut ingest, registered("admin", "dev-lobby")).await, Outcome::Unchanged);
    assert_eq!((rows(bobs_device.clone()).await, rows("dev-lobby".into()).await), (0, 0), "nothing invented");
    // Bob's own registration: his profile lists the device.
    assert_eq!(write_one(&mut ingest, registered("bob", &bobs_device)).await, Outcome::DeviceChanged(bobs_device.clone()));
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE username = ?", "bob").await, 1);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE username = ?", "alice").await, 0);
    sim.shutdown().await;
});
