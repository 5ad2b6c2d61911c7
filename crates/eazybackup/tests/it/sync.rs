//! `eazybackup sync` against the simulator: a database with deleted, stale and foreign rows is
//! repaired through the worker's own reconcile code, and a second run corrects nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use comet::{AdminClient, Credentials};
use comet_sim::{SimHandle, StartJob};
use eazybackup::db::Db;
use eazybackup::ingest::Ingest;
use eazybackup::sync::snapshot::TableChanges;
use eazybackup::sync::{self, Step, SyncReport};
use eazybackup::with_pool;

use crate::ingest_devices::{self, PROFILE};

fn admin_of(sim: &SimHandle) -> Arc<AdminClient> {
    let creds = sim.admin_creds();
    let creds = Credentials { username: creds.username, password: creds.password, ..Default::default() };
    Arc::new(AdminClient::new(&sim.base_url(), creds).unwrap())
}

async fn scalar(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn exec(db: &Db, sql: &'static str) {
    with_pool!(db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap());
}

async fn run(ingest: &mut Ingest) -> SyncReport {
    let mut steps = Vec::new();
    let report = sync::sync_profile(ingest, |s| steps.push(s)).await.expect("sync runs");
    assert!(report.failed.is_none(), "{:?}", report.failed);
    assert_eq!(steps, Step::ALL, "every step, in order");
    report
}

fn by_table(report: &SyncReport) -> BTreeMap<&'static str, TableChanges> {
    report.tables.iter().copied().collect()
}

eazybackup::both_backends!(sync_repairs_deleted_stale_and_foreign_rows_and_then_has_nothing_to_do, |db| async move {
    ingest_devices::prepare(db).await;
    let sim = crate::worker::start_sim().await;
    let admin = admin_of(&sim);
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin.clone());
    let mut stalled = StartJob::new("alice", 3600.0, 5000);
    stalled.stall = true;
    let job = sim.start_job(stalled).expect("job starts");
    let finished = sim.start_job(StartJob::new("alice", 0.3, 5000)).expect("job starts");
    crate::worker::eventually("the short job finished in Comet", || async {
        admin.get_job_properties(&finished).await.is_ok_and(|j| j.is_finished())
    })
    .await;

    // An empty database: everything the server has is added.
    let first = by_table(&run(&mut ingest).await);
    assert_eq!(first["comet_users"], TableChanges { added: 2, updated: 0, removed: 0 });
    assert_eq!(first["comet_devices"].added, 3, "{first:?}");
    assert_eq!(first["eb_jobs_live"].added, 1, "the running job: {first:?}");
    let alice_items = scalar(db, "SELECT COUNT(*) FROM comet_items WHERE username = 'alice'").await;
    assert!(alice_items > 0);
    let live: i64 = with_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM eb_jobs_live WHERE server_id = 'eazybackup' AND job_id = ?")
        .bind(&job).fetch_one(pool).await.unwrap());
    assert_eq!(live, 1);
    assert_eq!(first["eb_jobs_recent_24h"].added, 1, "the finished job: {first:?}");
    assert_eq!(first["comet_jobs"].added, 2, "both jobs' history: {first:?}");
    crate::job_counts::assert_counts_match(db).await;

    // Damage: bob deleted while nobody listened; alice's device renamed behind our back and one
    // of her items lost; a foreign account's rows that Comet never had; another profile's rows.
    admin.delete_user("bob", None).await.expect("account deleted");
    exec(db, "UPDATE comet_devices SET name = 'stale name' WHERE username = 'alice'").await;
    exec(
        db,
        "DELETE FROM comet_items WHERE id = (SELECT id FROM (SELECT MIN(id) AS id FROM comet_items WHERE username = 'alice') x)",
    )
    .await;
    exec(db, "INSERT INTO comet_devices (profile, username, hash, id, name, is_active) VALUES ('eazybackup', 'mallory', 'dev-m', 'dev-m', 'Foreign', 1)").await;
    exec(db, "INSERT INTO comet_items (profile, id, username, name) VALUES ('eazybackup', 'item-m', 'mallory', 'Foreign item')")
        .await;
    // A finished job the worker never heard of.
    exec(db, "DELETE FROM eb_jobs_recent_24h").await;
    exec(db, "INSERT INTO comet_devices (profile, username, hash, id, name, is_active) VALUES ('other', 'carol', 'dev-c', 'dev-c', 'Other server', 1)").await;
    exec(db, "INSERT INTO comet_items (profile, id, username, name) VALUES ('other', 'item-c', 'carol', 'Other item')").await;

    let repair = run(&mut ingest).await;
    let repaired = by_table(&repair);
    assert_eq!(repaired["comet_users"], TableChanges { added: 0, updated: 0, removed: 1 }, "bob's account row");
    // alice's two devices renamed back, bob's and mallory's revoked.
    assert_eq!(repaired["comet_devices"], TableChanges { added: 0, updated: 4, removed: 0 }, "{repaired:?}");
    let items = repaired["comet_items"];
    assert_eq!(items.added, 1, "alice's lost item is back: {repaired:?}");
    assert!(items.removed >= 2, "bob's items and mallory's go: {repaired:?}");
    assert_eq!(repaired["eb_jobs_recent_24h"], TableChanges { added: 1, updated: 0, removed: 0 }, "{repaired:?}");
    assert_eq!(repaired["comet_jobs"].total(), 0, "the history was complete: {repaired:?}");
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE name = 'stale name'").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_items WHERE username = 'alice'").await, alice_items);
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM comet_items WHERE profile = 'eazybackup' AND username IN ('bob', 'mallory')").await,
        0
    );
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM comet_devices WHERE profile = 'eazybackup' AND username IN ('bob', 'mallory') AND is_active = 1"
        )
        .await,
        0
    );
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_users WHERE username = 'bob'").await, 0);
    // Another profile's rows are not this server's to judge.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE profile = 'other' AND is_active = 1").await, 1);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_items WHERE profile = 'other'").await, 1);
    let mut printed = Vec::new();
    sync::print_report(&mut printed, PROFILE, &repair).unwrap();
    let printed = String::from_utf8(printed).unwrap();
    assert!(printed.contains("sync eazybackup: comet_users: 0 added, 0 updated, 1 removed"), "{printed}");

    // Nothing left to correct.
    let again = run(&mut ingest).await;
    assert_eq!(again.corrected(), 0, "{:?}", again.tables);
    let mut printed = Vec::new();
    sync::print_report(&mut printed, PROFILE, &again).unwrap();
    assert!(String::from_utf8(printed).unwrap().ends_with("sync eazybackup: nothing to correct\n"));
    sim.shutdown().await;
});

eazybackup::both_backends!(a_failed_listing_removes_nothing_and_says_so, |db| async move {
    ingest_devices::prepare(db).await;
    let sim = crate::worker::start_sim().await;
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin_of(&sim));
    run(&mut ingest).await;
    let devices = scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE is_active = 1").await;
    sim.set_faults(comet_sim::FaultPatch { reject_auth: Some(true), ..Default::default() });

    let report = sync::sync_profile(&mut ingest, |_| {}).await.expect("the report still comes back");
    assert!(matches!(report.failed, Some(sync::SyncError::Accounts(_))), "{:?}", report.failed);
    assert_eq!(report.corrected(), 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE is_active = 1").await, devices);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM comet_users").await, 2);
    sim.shutdown().await;
});
