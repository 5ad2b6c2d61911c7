//! The ingestion worker against the simulator: jobs arrive live, survive a dropped socket, and land
//! in the live tables and the outbox exactly once, for the right WHMCS client.

use std::sync::Arc;
use std::time::Duration;

use comet::{AdminClient, Credentials};
use comet_sim::{FaultPatch, SeedUser, Sim, SimConfig, SimHandle, StartJob};
use eazybackup::db::Db;
use eazybackup::ingest::{Ingest, Worker};
use eazybackup::with_pool;
use tokio_util::sync::CancellationToken;

const PROFILE: &str = "eazybackup";

/// A simulator with alice (two devices) and bob (one), the accounts `ingest_devices::prepare` seeds.
pub async fn start_sim() -> SimHandle {
    let mut cfg = SimConfig::for_tests();
    cfg.users = vec![
        SeedUser { username: "alice".into(), password: "alice-pass".into(), devices: 2 },
        SeedUser { username: "bob".into(), password: "bob-pass".into(), devices: 1 },
    ];
    Sim::start(cfg).await.expect("simulator starts")
}

pub fn spawn_worker(sim: &SimHandle, db: &Db) -> CancellationToken {
    spawn_worker_polling(sim, db, eazybackup::ingest::DEFAULT_POLL_EVERY)
}

fn spawn_worker_polling(sim: &SimHandle, db: &Db, poll_every: Duration) -> CancellationToken {
    spawn_worker_for(sim, db, PROFILE, poll_every)
}

/// A worker of `profile` against `sim` (one simulator per Comet server, one worker per profile).
pub fn spawn_worker_for(sim: &SimHandle, db: &Db, profile: &str, poll_every: Duration) -> CancellationToken {
    let creds = sim.admin_creds();
    let admin = AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username.clone(), password: creds.password.clone(), ..Default::default() },
    )
    .expect("admin client");
    let mut worker = Worker::new(Ingest::new(profile, db.clone(), Arc::new(admin)), &sim.ws_url());
    worker.poll_every = poll_every;
    let token = CancellationToken::new();
    tokio::spawn(worker.run(token.clone()));
    token
}

async fn count(db: &Db, sql: &'static str, job_id: &str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(job_id).fetch_one(pool).await.unwrap())
}

/// Polls until `check` holds (the pipeline is asynchronous end to end); up to 15 s.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for: {what}");
}

async fn live_count(db: &Db, job: &str) -> i64 {
    count(db, "SELECT COUNT(*) FROM eb_jobs_live WHERE job_id = ?", job).await
}
async fn ended_count(db: &Db, job: &str) -> i64 {
    count(db, "SELECT COUNT(*) FROM eb_jobs_recent_24h WHERE job_id = ?", job).await
}

/// (kind, client_id) of every outbox row mentioning the job, in id order.
async fn outbox_for(db: &Db, job: &str) -> Vec<(String, Option<i64>)> {
    let pattern = format!("%{job}%");
    with_pool!(db, pool => sqlx::query_as::<_, (String, Option<i64>)>(
        "SELECT kind, CAST(client_id AS SIGNED) FROM eb_events WHERE payload LIKE ? ORDER BY id"
    ).bind(&pattern).fetch_all(pool).await.unwrap())
}

eazybackup::both_backends!(live_job_travels_to_the_tables_and_the_outbox, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    // Give the worker time to connect before the job starts, so this one arrives as an event.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let job = sim.start_job(StartJob::new("alice", 1.5, 7002)).expect("job starts");
    eventually("the job to be live", || async { live_count(db, &job).await == 1 }).await;
    eventually("the job to end", || async { ended_count(db, &job).await == 1 }).await;
    assert_eq!(live_count(db, &job).await, 0, "an ended job leaves eb_jobs_live");

    let (class, comet_status): (String, i64) = with_pool!(db, pool => sqlx::query_as(
        "SELECT status, CAST(comet_status AS SIGNED) FROM eb_jobs_recent_24h WHERE job_id = ?"
    ).bind(&job).fetch_one(pool).await.unwrap());
    assert_eq!((class.as_str(), comet_status), ("error", 7002));
    assert_eq!(
        outbox_for(db, &job).await,
        vec![("job:start".to_string(), Some(1)), ("job:end".to_string(), Some(1))],
        "one start and one end, owned by alice's WHMCS client"
    );
    crate::job_counts::assert_counts_match(db).await;
    stop.cancel();
    sim.shutdown().await;
});

eazybackup::both_backends!(jobs_during_a_dropped_socket_are_reconciled_once, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Refuse logins so the worker cannot reconnect, drop its socket, and run jobs in the gap.
    sim.set_faults(FaultPatch { reject_auth: Some(true), drop_sockets: Some(true), ..Default::default() });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let finished_in_gap = sim.start_job(StartJob::new("bob", 0.3, 5000)).unwrap();
    let running_in_gap = sim.start_job(StartJob::new("alice", 60.0, 5000)).unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(ended_count(db, &finished_in_gap).await, 0, "nothing can be seen while disconnected");

    sim.set_faults(FaultPatch { reject_auth: Some(false), ..Default::default() });
    eventually("the gap's finished job to be reconciled", || async { ended_count(db, &finished_in_gap).await == 1 }).await;
    eventually("the gap's running job to be reconciled", || async { live_count(db, &running_in_gap).await == 1 }).await;

    assert_eq!(outbox_for(db, &finished_in_gap).await, vec![("job:end".to_string(), Some(2))]);
    assert_eq!(outbox_for(db, &running_in_gap).await, vec![("job:start".to_string(), Some(1))]);
    crate::job_counts::assert_counts_match(db).await;
    stop.cancel();
    sim.shutdown().await;
});

async fn live_progress(db: &Db, job: &str) -> (i64, i64) {
    with_pool!(db, pool => sqlx::query_as::<_, (i64, i64)>(
        "SELECT CAST(progress_counter AS SIGNED), CAST(bytes_done AS SIGNED) FROM eb_jobs_live WHERE job_id = ?"
    ).bind(job).fetch_optional(pool).await.unwrap())
    .unwrap_or((-1, -1))
}

eazybackup::both_backends!(running_jobs_are_polled_for_progress_and_silent_endings, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker_polling(&sim, db, Duration::from_millis(300));
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Progress: Comet sends no event for it; the bulk poll must carry it into the table and outbox.
    let job = sim.start_job(StartJob::new("alice", 60.0, 5000)).unwrap();
    eventually("the job's progress counter to move", || async { live_progress(db, &job).await.0 > 0 }).await;
    assert!(outbox_for(db, &job).await.iter().any(|(kind, client)| kind == "job:progress" && *client == Some(1)));
    // The browser replaces its card with each payload: progress carries the names, as start did.
    let progress_payload: String = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT payload FROM eb_events WHERE kind = 'job:progress' AND payload LIKE ? ORDER BY id LIMIT 1"
    ).bind(format!("%{job}%")).fetch_one(pool).await.unwrap());
    let progress_payload: serde_json::Value = serde_json::from_str(&progress_payload).unwrap();
    assert!(progress_payload["device_name"].is_string(), "no device name in {progress_payload}");
    assert!(progress_payload["item_name"].is_string(), "no item name in {progress_payload}");

    // A cancel gives no SEVT_JOB_COMPLETED (the real server's behaviour, the simulator's default):
    // the poll finds the job gone from the incomplete list and reads its final state.
    let creds = sim.admin_creds();
    let admin = AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
    )
    .unwrap();
    admin.job_cancel("alice", &job).await.expect("cancel accepted");
    // A cancel is a request: the device confirms it seconds later. Polls in between still see
    // the job running, and it must stay live (no premature end).
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!((live_count(db, &job).await, ended_count(db, &job).await), (1, 0), "still running right after the cancel");
    eventually("the cancelled job to be finalised", || async { ended_count(db, &job).await == 1 }).await;
    let status: i64 = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT CAST(comet_status AS SIGNED) FROM eb_jobs_recent_24h WHERE job_id = ?"
    ).bind(&job).fetch_one(pool).await.unwrap());
    assert_eq!(status, 7005);
    assert_eq!(live_count(db, &job).await, 0);
    let kinds: Vec<String> = outbox_for(db, &job).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "job:end").count(), 1, "exactly one end: {kinds:?}");
    crate::job_counts::assert_counts_match(db).await;
    stop.cancel();
    sim.shutdown().await;
});

async fn device_state(db: &Db, username: &str) -> Vec<(String, i64, i64)> {
    with_pool!(db, pool => sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT hash, CAST(is_active AS SIGNED), CAST(online AS SIGNED) FROM comet_devices WHERE username = ? ORDER BY hash"
    ).bind(username).fetch_all(pool).await.unwrap())
}

eazybackup::both_backends!(accounts_and_online_state_are_reconciled_after_a_gap, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker_polling(&sim, db, Duration::from_millis(300));

    // On connect every account's devices are mirrored, and the live connection list marks them online.
    eventually("alice's two devices to be mirrored online", || async {
        let d = device_state(db, "alice").await;
        d.len() == 2 && d.iter().all(|(_, active, online)| *active == 1 && *online == 1)
    })
    .await;
    let devices = device_state(db, "alice").await;
    let (first, second) = (devices[0].0.clone(), devices[1].0.clone());

    // A disconnect while we listen arrives as an event.
    sim.set_device_online(&first, false).unwrap();
    eventually("the disconnect to be seen", || async { device_state(db, "alice").await[0].2 == 0 }).await;

    // A connect while we are away is only found by listing live connections after the reconnect.
    sim.set_faults(FaultPatch { reject_auth: Some(true), drop_sockets: Some(true), ..Default::default() });
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.set_device_online(&first, true).unwrap();
    sim.set_device_online(&second, false).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.set_faults(FaultPatch { reject_auth: Some(false), ..Default::default() });
    eventually("both changes made during the gap to be corrected", || async {
        let d = device_state(db, "alice").await;
        d.iter().find(|x| x.0 == first).unwrap().2 == 1 && d.iter().find(|x| x.0 == second).unwrap().2 == 0
    })
    .await;
    stop.cancel();
    sim.shutdown().await;
});

eazybackup::both_backends!(malformed_frames_are_skipped_and_rejected_logins_retried, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    // Start refused: the worker must keep retrying (with backoff), not give up.
    sim.set_faults(FaultPatch { reject_auth: Some(true), ..Default::default() });
    let stop = spawn_worker(&sim, db);
    tokio::time::sleep(Duration::from_millis(700)).await;
    sim.set_faults(FaultPatch { reject_auth: Some(false), ..Default::default() });
    let first = sim.start_job(StartJob::new("alice", 0.3, 5000)).unwrap();
    eventually("a job after the login was accepted", || async { ended_count(db, &first).await == 1 }).await;

    // A frame that is not JSON is logged and skipped; the stream and later events go on.
    sim.set_faults(FaultPatch { malformed_frame: Some(true), ..Default::default() });
    let second = sim.start_job(StartJob::new("bob", 0.3, 7001)).unwrap();
    eventually("a job after the malformed frame", || async { ended_count(db, &second).await == 1 }).await;
    assert_eq!(outbox_for(db, &second).await.last().map(|(k, c)| (k.clone(), *c)), Some(("job:end".to_string(), Some(2))));
    stop.cancel();
    sim.shutdown().await;
});

eazybackup::both_backends!(a_frame_with_bytes_that_are_not_utf8_does_not_stop_the_stream, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    let first = sim.start_job(StartJob::new("alice", 0.3, 5000)).unwrap();
    eventually("a job before the frame", || async { ended_count(db, &first).await == 1 }).await;
    // A device event whose name holds bytes that are not UTF-8 (a binary frame: the only way such
    // bytes can arrive); the events after it are ingested as before.
    let config = serde_json::json!({ "FriendlyName": "pc-@@BAD@@", "PlatformVersion": { "os": "linux", "arch": "amd64" } });
    sim.core().emit_invalid_utf8(4700, "alice", "dev-not-utf8", Some(config), "@@BAD@@");
    let second = sim.start_job(StartJob::new("bob", 0.3, 5000)).unwrap();
    eventually("a job after the frame", || async { ended_count(db, &second).await == 1 }).await;
    stop.cancel();
    sim.shutdown().await;
});

/// Kills every connection to the test database but the caller's: what the worker sees when
/// MariaDB restarts.
async fn kill_other_connections(db: &Db) -> usize {
    let Db::MySql(pool) = db else { unreachable!("MySQL only") };
    let mut conn = pool.acquire().await.unwrap();
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    for id in &ids {
        // A connection may be gone already; that is fine.
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("KILL {id}"))).execute(&mut *conn).await;
    }
    ids.len()
}

#[tokio::test]
async fn a_database_restart_mid_stream_loses_nothing_mysql() {
    let test_db = eazybackup::testkit::TestDb::mysql().await;
    let db = test_db.db();
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut jobs = Vec::new();
    for i in 0..6 {
        jobs.push(sim.start_job(StartJob::new(if i % 2 == 0 { "alice" } else { "bob" }, 0.4, 5000)).unwrap());
        if i == 2 {
            assert!(kill_other_connections(db).await > 0, "the worker holds connections to kill");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    for job in &jobs {
        eventually("every job to be recorded despite the restart", || async { ended_count(db, job).await == 1 }).await;
        let kinds: Vec<String> = outbox_for(db, job).await.into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds.iter().filter(|k| *k == "job:end").count(), 1, "{job}: {kinds:?}");
        assert!(kinds.iter().filter(|k| *k == "job:start").count() <= 1, "{job}: {kinds:?}");
    }
    stop.cancel();
    sim.shutdown().await;
    test_db.cleanup().await;
}

async fn items_of(db: &Db, username: &str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM comet_items WHERE username = ?").bind(username).fetch_one(pool).await.unwrap())
}

eazybackup::both_backends!(a_deleted_account_leaves_no_active_devices_or_items, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    eventually("bob's account to be mirrored", || async { items_of(db, "bob").await > 0 }).await;

    let creds = sim.admin_creds();
    let admin = AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
    )
    .unwrap();
    admin.delete_user("bob", None).await.expect("account deleted");
    eventually("bob's items to be pruned", || async { items_of(db, "bob").await == 0 }).await;
    let devices = device_state(db, "bob").await;
    assert!(!devices.is_empty() && devices.iter().all(|(_, active, _)| *active == 0), "bob's devices are revoked: {devices:?}");
    assert!(items_of(db, "alice").await > 0, "other accounts are untouched");
    stop.cancel();
    sim.shutdown().await;
});

eazybackup::both_backends!(a_socket_dropped_mid_burst_loses_and_duplicates_nothing, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);
    tokio::time::sleep(Duration::from_millis(500)).await;

    // A burst of short jobs; halfway through the socket drops and logins are refused for a
    // moment, so part of the burst starts and ends while nobody listens.
    let mut jobs = Vec::new();
    for i in 0..40 {
        let user = if i % 3 == 0 { "bob" } else { "alice" };
        jobs.push(
            sim.start_job(StartJob::new(user, 0.2 + f64::from(i % 5) * 0.1, if i % 7 == 0 { 7002 } else { 5000 })).unwrap(),
        );
        if i == 15 {
            sim.set_faults(FaultPatch { reject_auth: Some(true), drop_sockets: Some(true), ..Default::default() });
        }
        if i == 30 {
            sim.set_faults(FaultPatch { reject_auth: Some(false), ..Default::default() });
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    for job in &jobs {
        eventually("every job of the burst to be recorded", || async { ended_count(db, job).await == 1 }).await;
    }
    for job in &jobs {
        let kinds: Vec<String> = outbox_for(db, job).await.into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds.iter().filter(|k| *k == "job:end").count(), 1, "{job}: {kinds:?}");
        assert!(kinds.iter().filter(|k| *k == "job:start").count() <= 1, "{job}: {kinds:?}");
        assert_eq!(live_count(db, job).await, 0, "{job} left live");
    }
    stop.cancel();
    sim.shutdown().await;
});

// An admin with two-factor authentication: every reconnect logs in over HTTP with a new code of
// the TOTP secret (Comet takes each code once) and opens the stream with the new session key. The
// simulator's clock runs 30x so that a new code exists every real second.
eazybackup::both_backends!(a_totp_admin_worker_reconnects_again_and_again_and_keeps_ingesting, |db| async {
    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";
    crate::ingest_devices::prepare(db).await;
    let mut cfg = SimConfig::for_tests();
    cfg.users = vec![SeedUser { username: "alice".into(), password: "alice-pass".into(), devices: 1 }];
    cfg.admin_totp_secret = Some(SECRET.into());
    cfg.time_scale = 30.0;
    let sim = Sim::start(cfg).await.expect("simulator starts");
    let creds = sim.admin_creds();
    let core = sim.core().clone();
    let admin = AdminClient::new(
        &sim.base_url(),
        Credentials {
            username: creds.username.clone(),
            password: creds.password.clone(),
            totp_secret: Some(SECRET.into()),
            ..Default::default()
        },
    )
    .expect("admin client")
    .with_totp_clock(move || core.now());
    let worker = Worker::new(Ingest::new(PROFILE, db.clone(), Arc::new(admin)), &sim.ws_url());
    let stop = CancellationToken::new();
    tokio::spawn(worker.run(stop.clone()));

    for round in 0..3 {
        // Long enough (in simulated time) to be seen live; ended by the test.
        let job = sim.start_job(StartJob::new("alice", 3600.0, 5000)).unwrap();
        eventually(&format!("round {round}: the job to be live"), || async { live_count(db, &job).await == 1 }).await;
        sim.set_faults(FaultPatch { drop_sockets: Some(true), ..Default::default() });
    }
    stop.cancel();
    sim.shutdown().await;
});

// A quiet server answers `null` for its lists (no account, no device online, nothing running):
// the connect-time reconcile and the progress poll must read that as "nothing", not fail and
// reconnect forever. An account and a job that appear later are then ingested as usual.
eazybackup::both_backends!(a_quiet_server_answering_null_keeps_the_worker_running, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = Sim::start(SimConfig { users: Vec::new(), ..SimConfig::for_tests() }).await.expect("simulator starts");
    let stop = spawn_worker_polling(&sim, db, Duration::from_millis(200));
    // The connect-time reconcile completed: it ends by saving the cursor.
    eventually("the reconcile on an empty server to complete", || async {
        let source = eazybackup::db::cursor::source_for_profile(PROFILE);
        eazybackup::db::cursor::load(db, &source).await.unwrap().is_some()
    })
    .await;
    let names = sim.add_fleet(&comet_sim::FleetSize::new(1, 1, 1)).expect("an account appears");
    let user = names.first().cloned().expect("one account");
    let job = sim.start_job(StartJob::new(&user, 3600.0, 5000)).unwrap();
    eventually("the new account's job to be live", || async { live_count(db, &job).await == 1 }).await;
    stop.cancel();
    sim.shutdown().await;
});
