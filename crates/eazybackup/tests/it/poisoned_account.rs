//! One account whose rows the database refuses (here: triggers that refuse every row of
//! `mallory`, the way a value strict mode rejects would) must not stop the others: the worker's
//! account reconcile, its event batches and its job writes skip that account, log it, and keep
//! ingesting everyone else's events within a second, without reconnecting.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comet::{AdminClient, BackupJobDetail, Credentials, EventType, StreamableEvent};
use comet_sim::{SeedUser, Sim, SimConfig, SimHandle, StartJob};
use eazybackup::db::cursor::{self, Cursor};
use eazybackup::db::{Db, Dialect};
use eazybackup::ingest::batch::{self, CursorWrite};
use eazybackup::ingest::{Ingest, Outcome};
use eazybackup::with_pool;

use crate::whmcs_fixture::{ServiceRow, seed};
use crate::worker::{eventually, spawn_worker};

const PROFILE: &str = "eazybackup";

/// Refuses every row written for `mallory` in the tables an account's events touch.
async fn poison_mallory(db: &Db) {
    let tables =
        [("comet_users", "INSERT"), ("comet_users", "UPDATE"), ("eb_jobs_live", "INSERT"), ("eb_jobs_recent_24h", "INSERT")];
    for (i, (table, op)) in tables.iter().enumerate() {
        let sql = match db.dialect() {
            Dialect::MySql => format!(
                "CREATE TRIGGER poison_{i} BEFORE {op} ON {table} FOR EACH ROW \
                 IF NEW.username = 'mallory' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned account'; END IF"
            ),
            Dialect::Sqlite => format!(
                "CREATE TRIGGER poison_{i} BEFORE {op} ON {table} WHEN NEW.username = 'mallory' \
                 BEGIN SELECT RAISE(ABORT, 'poisoned account'); END"
            ),
        };
        with_pool!(db, pool => sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await.map(|_| ()).unwrap());
    }
}

async fn start_sim() -> SimHandle {
    let mut cfg = SimConfig::for_tests();
    cfg.users = ["alice", "bob", "mallory"]
        .into_iter()
        .map(|u| SeedUser { username: u.into(), password: format!("{u}-pass"), devices: 1 })
        .collect();
    Sim::start(cfg).await.expect("simulator starts")
}

async fn scalar(db: &Db, sql: &'static str, bind: &str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).bind(bind).fetch_one(pool).await.unwrap())
}

async fn users(db: &Db) -> Vec<String> {
    with_pool!(db, pool => sqlx::query_scalar("SELECT username FROM comet_users ORDER BY username").fetch_all(pool).await.unwrap())
}

/// Waits at most one second for the job to be live; returns how long it took.
async fn live_within_a_second(db: &Db, job: &str, started: Instant) -> Duration {
    loop {
        if scalar(db, "SELECT COUNT(*) FROM eb_jobs_live WHERE job_id = ?", job).await == 1 {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(1), "{job} was not ingested within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn prepare(db: &Db) {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    seed(
        db,
        &[
            ServiceRow { service_id: 101, client_id: 1, profile: PROFILE, username: "alice", status: "Active" },
            ServiceRow { service_id: 201, client_id: 2, profile: PROFILE, username: "bob", status: "Active" },
            ServiceRow { service_id: 301, client_id: 3, profile: PROFILE, username: "mallory", status: "Active" },
        ],
    )
    .await;
    poison_mallory(db).await;
}

fn job_new(guid: &str, username: &str, ts: i64) -> StreamableEvent {
    let job = BackupJobDetail {
        guid: guid.into(),
        username: username.into(),
        status: comet::JobStatus(6001),
        start_time: ts,
        ..Default::default()
    };
    StreamableEvent {
        r#type: EventType::JOB_NEW,
        timestamp: ts,
        type_string: "SEVT_JOB_NEW".into(),
        data: Some(serde_json::to_value(job).unwrap()),
        ..Default::default()
    }
}

eazybackup::both_backends!(a_refused_account_is_skipped_from_its_batch_and_the_cursor_moves, |db| async {
    prepare(db).await;
    // Names are cosmetic: an Admin API nobody answers is fine here.
    let admin =
        AdminClient::new("http://127.0.0.1:9/", Credentials { username: "x".into(), password: "y".into(), ..Default::default() });
    let mut ingest = Ingest::new(PROFILE, db.clone(), Arc::new(admin.unwrap()));
    let ts = chrono::Utc::now().timestamp();
    let batch_in =
        [job_new("a-1", "alice", ts), job_new("m-1", "mallory", ts), job_new("b-1", "bob", ts), job_new("a-2", "alice", ts)];
    let cursor = Cursor { last_ts: ts, server_start_hash: None };
    let source = cursor::source_for_profile(PROFILE);
    let report = batch::write_events(&mut ingest, &batch_in, Some(CursorWrite { source: &source, cursor: &cursor }))
        .await
        .expect("one account's refusal does not fail the batch");
    let kinds: Vec<&str> = report
        .outcomes
        .iter()
        .map(|o| match o {
            Outcome::JobStarted(_) => "started",
            Outcome::Skipped(_) => "skipped",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["started", "skipped", "started", "started"], "outcomes stay in event order");
    let live: Vec<String> = with_pool!(db, pool => sqlx::query_scalar("SELECT job_id FROM eb_jobs_live ORDER BY job_id").fetch_all(pool).await.unwrap());
    assert_eq!(live, ["a-1", "a-2", "b-1"]);
    assert_eq!(cursor::load(db, &source).await.unwrap().map(|c| c.last_ts), Some(ts), "the cursor moves past the batch");
});

eazybackup::both_backends!(a_poisoned_account_does_not_stop_anyone_else, |db| async {
    prepare(db).await;
    let sim = start_sim().await;
    let stop = spawn_worker(&sim, db);

    // The reconcile on connect applies every account; mallory's refusal does not stop it.
    eventually("alice and bob to be reconciled", || async { users(db).await == ["alice", "bob"] }).await;
    let mallory_devices = scalar(db, "SELECT COUNT(*) FROM comet_devices WHERE username = ?", "mallory").await;
    assert_eq!(mallory_devices, 0, "mallory's refused profile left nothing half-written");
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Mallory's job and alice's land in the same batch: the batch is refused, then written account
    // by account.
    let poisoned = sim.start_job(StartJob::new("mallory", 30.0, 5000)).unwrap();
    let started = Instant::now();
    let alices = sim.start_job(StartJob::new("alice", 30.0, 5000)).unwrap();
    let took = live_within_a_second(db, &alices, started).await;
    eprintln!("alice's job was live {took:?} after it started, beside a refused account");

    // Mallory alone in a batch, then bob: the worker did not stop or reconnect in between.
    let second_poisoned = sim.start_job(StartJob::new("mallory", 30.0, 5000)).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let bobs = sim.start_job(StartJob::new("bob", 30.0, 5000)).unwrap();
    live_within_a_second(db, &bobs, started).await;

    for job in [&poisoned, &second_poisoned] {
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM eb_jobs_live WHERE job_id = ?", job).await, 0);
    }
    // Nothing of mallory reached the outbox; alice's and bob's starts did, once each.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM eb_events WHERE username = ?", "mallory").await, 0);
    for job in [&alices, &bobs] {
        let pattern = format!("%{job}%");
        let starts = scalar(db, "SELECT COUNT(*) FROM eb_events WHERE kind = 'job:start' AND payload LIKE ?", &pattern).await;
        assert_eq!(starts, 1, "{job}");
    }
    stop.cancel();
    sim.shutdown().await;
});
