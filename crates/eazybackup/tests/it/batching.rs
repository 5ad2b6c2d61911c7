//! The worker's batched writes: one transaction per batch obeys exactly the rules of the
//! single-event functions, a failed batch leaves nothing behind (not even its cursor), and a
//! shutdown in the middle of a burst commits the batch in hand — nothing is half written, and
//! what was not written yet is reconciled by the next start.

use std::sync::Arc;
use std::time::Duration;

use comet::{AdminClient, BackupJobDetail, Credentials, EventType, StreamableEvent};
use comet_sim::{SeedUser, Sim, SimConfig, SimHandle, StartJob};
use eazybackup::db::Db;
use eazybackup::db::cursor::{self, Cursor};
use eazybackup::db::events;
use eazybackup::db::jobs::{self, JobBatch};
use eazybackup::ingest::batch::{self, CursorWrite};
use eazybackup::ingest::{Ingest, Outcome, Worker};
use eazybackup::with_pool;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::jobs::{end, seed_two_clients, start};
use crate::whmcs_fixture::{ServiceRow, seed};

/// A tiny deterministic generator (no test should depend on the clock or the OS for its input).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[derive(Clone, Debug)]
enum Op {
    Start(String),
    End(String, i64),
}

fn random_ops(seed: u64, n: usize) -> Vec<Op> {
    let mut rng = Lcg(seed);
    (0..n)
        .map(|_| {
            let job = format!("job-{}", rng.below(6));
            if rng.below(2) == 0 { Op::Start(job) } else { Op::End(job, [5000, 7001, 7002][rng.below(3) as usize]) }
        })
        .collect()
}

/// `(kind, job_id)` of the profile's outbox rows in id order, and its live and finished jobs.
async fn state_of(db: &Db, profile: &str) -> (Vec<(String, String)>, Vec<String>, Vec<(String, i64)>) {
    let outbox: Vec<(String, String)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT kind, payload FROM eb_events WHERE profile = ? AND kind LIKE 'job:%' ORDER BY id"
    ).bind(profile).fetch_all(pool).await.unwrap());
    let outbox = outbox
        .into_iter()
        .map(|(kind, payload)| {
            let view: eazybackup::views::JobView = serde_json::from_str(&payload).unwrap();
            (kind, view.job_id)
        })
        .collect();
    let live: Vec<String> = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT job_id FROM eb_jobs_live WHERE server_id = ? ORDER BY job_id"
    ).bind(profile).fetch_all(pool).await.unwrap());
    let ended: Vec<(String, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT job_id, CAST(comet_status AS SIGNED) FROM eb_jobs_recent_24h WHERE server_id = ? ORDER BY job_id"
    ).bind(profile).fetch_all(pool).await.unwrap());
    (outbox, live, ended)
}

eazybackup::both_backends!(a_batch_obeys_the_single_event_rules, |db| async move {
    seed_two_clients(db).await;
    for seed in 1..=8u64 {
        let ops = random_ops(seed, 40);
        let (single, batched) = (format!("single-{seed}"), format!("batched-{seed}"));
        for op in &ops {
            match op {
                Op::Start(j) => {
                    jobs::record_job_start(db, &single, &start(j, "acme-dental")).await.unwrap();
                }
                Op::End(j, s) => {
                    jobs::record_job_end(db, &single, &end(j, "acme-dental", *s)).await.unwrap();
                }
            }
        }
        // Batches of uneven sizes, so rows written by an earlier batch meet later replays.
        let mut rest = &ops[..];
        let mut rng = Lcg(seed);
        while !rest.is_empty() {
            let (chunk, tail) = rest.split_at((1 + rng.below(12) as usize).min(rest.len()));
            rest = tail;
            let mut tx = events::begin(db).await.unwrap();
            let mut b = JobBatch::new(&batched);
            let ids: Vec<&str> = chunk
                .iter()
                .map(|op| match op {
                    Op::Start(j) | Op::End(j, _) => j.as_str(),
                })
                .collect();
            b.load(&mut tx, ids).await.unwrap();
            for op in chunk {
                match op {
                    Op::Start(j) => {
                        b.start(&mut tx, &start(j, "acme-dental"), None, 1).await.unwrap();
                    }
                    Op::End(j, s) => {
                        b.end(&mut tx, &end(j, "acme-dental", *s), None, 1).await.unwrap();
                    }
                }
            }
            b.flush(&mut tx).await.unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(state_of(db, &single).await, state_of(db, &batched).await, "seed {seed}: {ops:?}");
    }
});

eazybackup::both_backends!(a_replayed_burst_in_one_batch_writes_each_change_once, |db| async move {
    seed_two_clients(db).await;
    let mut tx = events::begin(db).await.unwrap();
    let mut b = JobBatch::new("eazybackup");
    let before = events::statements_on_this_thread();
    for i in 0..300 {
        let j = format!("burst-{i:03}");
        b.start(&mut tx, &start(&j, "acme-dental"), None, 1).await.unwrap();
        b.start(&mut tx, &start(&j, "acme-dental"), None, 1).await.unwrap(); // replayed NEW
    }
    for i in 0..150 {
        let j = format!("burst-{i:03}");
        b.end(&mut tx, &end(&j, "acme-dental", 5000), None, 1).await.unwrap();
        b.end(&mut tx, &end(&j, "acme-dental", 5000), None, 1).await.unwrap(); // replayed END
    }
    b.flush(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let (outbox, live, ended) = state_of(db, "eazybackup").await;
    assert_eq!((outbox.len(), live.len(), ended.len()), (450, 150, 150));
    // Every start of a job not loaded costs its own existence read here (no `load` first); the
    // writes themselves are a handful of multi-row statements.
    let statements = events::statements_on_this_thread() - before;
    assert!(statements < 300 + 20, "{statements} statements for 900 observations");
});

fn job_event(kind: EventType, guid: &str, username: &str, status: u64, ts: i64) -> StreamableEvent {
    let job = BackupJobDetail {
        guid: guid.into(),
        username: username.into(),
        status: comet::JobStatus(status),
        start_time: ts - 60,
        end_time: if kind == EventType::JOB_COMPLETED { ts } else { 0 },
        ..Default::default()
    };
    StreamableEvent {
        r#type: kind,
        timestamp: ts,
        type_string: "SEVT_JOB".into(),
        data: Some(serde_json::to_value(job).unwrap()),
        ..Default::default()
    }
}

/// An Admin API nobody answers: names are cosmetic, a failure to read them must not matter.
fn unreachable_admin() -> Arc<AdminClient> {
    Arc::new(
        AdminClient::new("http://127.0.0.1:9/", Credentials { username: "x".into(), password: "y".into(), ..Default::default() })
            .unwrap(),
    )
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

eazybackup::both_backends!(a_failed_batch_writes_nothing_and_keeps_the_cursor, |db| async move {
    seed_two_clients(db).await;
    let mut ingest = Ingest::new("eazybackup", db.clone(), unreachable_admin());
    let ts = chrono::Utc::now().timestamp();
    let events_in: Vec<StreamableEvent> = (0..50)
        .map(|i| job_event(EventType::JOB_NEW, &format!("f-{i}"), "acme-dental", 6001, ts))
        .chain([json!({"not": "a job"})].into_iter().map(|d| StreamableEvent {
            r#type: EventType::JOB_COMPLETED,
            data: Some(d),
            ..Default::default()
        }))
        .collect();
    let cursor = Cursor { last_ts: ts, server_start_hash: None };
    let source = cursor::source_for_profile("eazybackup");

    // The outbox is unavailable: the rows written before the failing statement must go too.
    let rename = |from: &str, to: &str| format!("ALTER TABLE {from} RENAME TO {to}");
    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(rename("eb_events", "eb_events_away"))).execute(pool).await.map(|_| ()).unwrap());
    let failed = batch::write_events(&mut ingest, &events_in, Some(CursorWrite { source: &source, cursor: &cursor })).await;
    assert!(failed.is_err());
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_jobs_live").await, 0, "no half batch");
    assert_eq!(cursor::load(db, &source).await.unwrap(), None, "the cursor did not move past the failed batch");

    with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(rename("eb_events_away", "eb_events"))).execute(pool).await.map(|_| ()).unwrap());
    let before = events::statements_on_this_thread();
    let report =
        batch::write_events(&mut ingest, &events_in, Some(CursorWrite { source: &source, cursor: &cursor })).await.unwrap();
    let statements = events::statements_on_this_thread() - before;
    assert_eq!(report.outcomes.iter().filter(|o| matches!(o, Outcome::JobStarted(_))).count(), 50);
    assert!(matches!(report.outcomes.last(), Some(Outcome::Malformed(_))), "a malformed job event is skipped, not fatal");
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_jobs_live").await, 50);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_events WHERE client_id = 1").await, 50, "owner from the cached WHMCS mapping");
    assert_eq!(cursor::load(db, &source).await.unwrap().map(|c| c.last_ts), Some(ts));
    // BEGIN, one existence read, live rows, outbox rows, job history (legacy adoption + upsert),
    // cursor (update + first insert), COMMIT.
    assert!(statements <= 9, "{statements} statements for 51 events");
});

/// An `SEVT_ACCOUNT_UPDATED` carrying alice's profile: `dev-a1` named `device` and one item.
fn alice_profile_event(device: &str, ts: i64) -> StreamableEvent {
    let profile = json!({
        "Username": "alice",
        "Devices": { "dev-a1": crate::ingest_devices::device_config(device, "windows", "amd64") },
        "Sources": { "item-1": { "Engine": "engine1/file", "Description": "Documents", "OwnerDevice": "dev-a1" } },
    });
    crate::ingest_devices::event(EventType::ACCOUNT_UPDATED, "SEVT_ACCOUNT_UPDATED", "admin", "alice", ts, Some(profile))
}

eazybackup::both_backends!(a_mixed_batch_announces_in_the_order_things_happened, |db| async move {
    crate::ingest_devices::prepare(db).await;
    let mut ingest = Ingest::new(crate::ingest_devices::PROFILE, db.clone(), unreachable_admin());
    let ts = chrono::Utc::now().timestamp();
    let connect = crate::ingest_devices::event(
        EventType::DEVICE_LIVE_CONNECT,
        "SEVT_DEVICE_LIVE_CONNECT",
        "admin",
        "",
        ts,
        Some(json!({ "DeviceID": "dev-a1", "Username": "alice" })),
    );
    let batch_in = [
        alice_profile_event("Front desk", ts - 5),
        job_event(EventType::JOB_NEW, "mix-1", "alice", 6001, ts - 4),
        connect,
        job_event(EventType::JOB_COMPLETED, "mix-1", "alice", 5000, ts - 2),
        alice_profile_event("Reception", ts - 1),
        job_event(EventType::JOB_NEW, "mix-2", "alice", 6001, ts),
    ];
    let report = batch::write_events(&mut ingest, &batch_in, None).await.unwrap();
    assert_eq!(report.outcomes[1], Outcome::JobStarted("mix-1".into()));
    assert_eq!(report.outcomes[2], Outcome::DeviceChanged("dev-a1".into()));
    let rows = crate::ingest_devices::outbox(db).await;
    assert_eq!(
        crate::ingest_devices::kinds(&rows),
        ["device:new", "items:changed", "job:start", "device:online", "job:end", "device:updated", "job:start"],
        "outbox ids follow the events, whichever step queued them"
    );
    assert!(rows.iter().all(|r| r.1 == Some(1)), "every row is alice's client's: {rows:?}");
    assert_eq!(rows[5].2["name"], "Reception");
    assert_eq!(count(db, "SELECT COUNT(*) FROM comet_jobs WHERE username = 'alice'").await, 2);
});

eazybackup::both_backends!(the_owner_cache_agrees_with_the_per_account_lookup, |db| async move {
    seed_two_clients(db).await;
    let mut owners = eazybackup::ingest::owners::OwnerCache::new("eazybackup");
    owners.reload(db).await.unwrap();
    for user in ["acme-dental", " ACME-Dental", "brown-acct", "acme-old", "acme-offsite", "nobody"] {
        let expected = eazybackup::db::tenancy::service_for_account(db, "eazybackup", user).await.unwrap();
        assert_eq!(owners.get(user), expected, "{user}");
    }
});

const PROFILE: &str = "eazybackup";
const USERS: [&str; 4] = ["user0", "user1", "user2", "user3"];

async fn sim_with_users(users: &[&str]) -> SimHandle {
    let mut cfg = SimConfig::for_tests();
    cfg.users = users.iter().map(|u| SeedUser { username: (*u).into(), password: "pw".into(), devices: 1 }).collect();
    Sim::start(cfg).await.expect("simulator starts")
}

fn worker_for(sim: &SimHandle, db: &Db) -> Worker {
    let creds = sim.admin_creds();
    let admin = AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username.clone(), password: creds.password.clone(), ..Default::default() },
    )
    .expect("admin client");
    Worker::new(Ingest::new(PROFILE, db.clone(), Arc::new(admin)), &sim.ws_url())
}

/// `(job_id, kind)` rows of the outbox and the job ids of both tables.
async fn written(db: &Db) -> (Vec<(String, String)>, Vec<String>, Vec<String>) {
    let (outbox, live, ended) = state_of(db, PROFILE).await;
    (outbox, live, ended.into_iter().map(|(j, _)| j).collect())
}

eazybackup::both_backends!(shutdown_mid_burst_commits_the_batch_in_hand_and_the_rest_is_reconciled, |db| async move {
    eazybackup::db::migrate::migrate(db).await.expect("migrate");
    let users = USERS;
    let rows: Vec<ServiceRow> = users
        .iter()
        .enumerate()
        .map(|(i, u)| ServiceRow {
            service_id: 100 + i as i64,
            client_id: 1 + i as i64,
            profile: PROFILE,
            username: u,
            status: "Active",
        })
        .collect();
    seed(db, &rows).await;
    let sim = sim_with_users(&users).await;
    let stop = CancellationToken::new();
    let running = tokio::spawn(worker_for(&sim, db).run(stop.clone()));
    tokio::time::sleep(Duration::from_millis(500)).await;

    // A burst: short jobs, so starts and ends interleave; the worker is stopped in the middle.
    let mut started = Vec::new();
    for i in 0..240 {
        started.push(sim.start_job(StartJob::new(users[i % users.len()], 0.2, 5000)).unwrap());
        if i == 120 {
            stop.cancel();
        }
        if i % 20 == 0 {
            tokio::task::yield_now().await;
        }
    }
    tokio::time::timeout(Duration::from_secs(20), running).await.expect("the worker stops promptly").unwrap();

    // Whatever was committed is whole: each job in a table has exactly its outbox rows.
    let (outbox, live, ended) = written(db).await;
    for j in &live {
        assert_eq!(outbox.iter().filter(|(k, id)| id == j && k == "job:start").count(), 1, "{j} live without its job:start");
    }
    for j in &ended {
        assert_eq!(outbox.iter().filter(|(k, id)| id == j && k == "job:end").count(), 1, "{j} ended without one job:end");
    }
    for (kind, j) in &outbox {
        assert!(live.contains(j) || ended.contains(j), "{kind} for {j} whose row did not commit");
    }

    // The next start reconciles the rest: every job ends exactly once.
    tokio::time::sleep(Duration::from_millis(800)).await; // let the sim finish the jobs
    let stop = CancellationToken::new();
    let running = tokio::spawn(worker_for(&sim, db).run(stop.clone()));
    for _ in 0..150 {
        if written(db).await.2.len() == started.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.cancel();
    running.await.unwrap();
    let (outbox, live, ended) = written(db).await;
    assert!(live.is_empty(), "left live: {live:?}");
    let mut expected = started.clone();
    expected.sort();
    assert_eq!(ended, expected, "every job of the burst ended, once");
    for j in &started {
        assert_eq!(outbox.iter().filter(|(k, id)| id == j && k == "job:end").count(), 1, "{j}");
    }
    sim.shutdown().await;
});
