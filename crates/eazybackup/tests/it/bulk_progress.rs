//! Bulk progress (`db::jobs::progress_jobs`, the monitor's and the worker's poll's path): a few
//! statements per chunk of jobs, and the same rows and `job:progress` events as the per-job
//! `progress_job` writes.

use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::events::{self, EventRow};
use eazybackup::db::jobs::{self, JobBatch, JobProgress, JobStart};
use eazybackup::db::tenancy;
use eazybackup::with_pool;

use crate::jobs::{now, seed_two_clients};

/// Live jobs per path: more than two chunks.
const N: usize = 450;

/// Job `i` of a path (`a` per job, `b` bulk): every third on the unowned account, every fifth on
/// a device and item without a stored name, every seventh with its username in other case in
/// `comet_devices` (as the incumbent may store it).
fn start(path: &str, i: usize) -> JobStart {
    JobStart {
        job_id: format!("{path}-{i:04}"),
        username: if i.is_multiple_of(3) { "nobody-owns".into() } else { "acme-dental".into() },
        device_id: if i.is_multiple_of(5) { "dev-nameless".into() } else { format!("dev-{}", i % 4) },
        device_name: None,
        item_id: if i.is_multiple_of(5) { "item-nameless".into() } else { format!("item-{}", i % 6) },
        item_name: None,
        vault_id: "vault-1".into(),
        classification: 4001,
        status: 6001,
        started_at: now() - 600,
    }
}

fn progress(path: &str, i: usize) -> JobProgress {
    JobProgress {
        job_id: format!("{path}-{i:04}"),
        status: 6001,
        bytes_done: 1_000 + i as i64,
        total_bytes: 10_000 + i as i64,
        upload_bytes: i as i64,
        // A negative counter is stored as 0, like the per-job path does.
        progress_counter: if i.is_multiple_of(11) { -1 } else { 7 + i as i64 },
    }
}

async fn seed(db: &Db) {
    seed_two_clients(db).await;
    let mut statements = Vec::new();
    for d in 0..4 {
        let user = if d == 1 { "ACME-dental" } else { "acme-dental" };
        for (n, u) in [("a", user), ("b", "nobody-owns")] {
            statements.push(format!(
                "INSERT INTO comet_devices (id, hash, profile, username, name) VALUES ('{n}{d}', 'dev-{d}', 'eazybackup', '{u}', 'PC {d} of {u}')"
            ));
        }
    }
    for i in 0..6 {
        statements.push(format!("INSERT INTO comet_items (id, profile, name) VALUES ('item-{i}', 'eazybackup', 'Item {i}')"));
        statements.push(format!("INSERT INTO comet_items (id, profile, name) VALUES ('item-{i}', 'obc', 'Other {i}')"));
    }
    for sql in statements {
        with_pool!(db, pool => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(pool).await.map(|_| ())).expect(&sql);
    }
    let mut tx = events::begin(db).await.unwrap();
    let mut batch = JobBatch::new("eazybackup");
    let starts: Vec<JobStart> = ["a", "b"].iter().flat_map(|p| (0..N).map(move |i| start(p, i))).collect();
    batch.load(&mut tx, starts.iter().map(|s| s.job_id.as_str())).await.unwrap();
    for s in &starts {
        let owner = tenancy::service_for_account(db, "eazybackup", &s.username).await.unwrap();
        batch.start(&mut tx, s, owner, now()).await.unwrap();
    }
    batch.flush(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
}

type Live = (String, i64, i64, i64, i64, i64, i64, i64);

async fn live_rows(db: &Db, path: &str) -> Vec<Live> {
    let sql = "SELECT job_id, CAST(status AS SIGNED), CAST(bytes_done AS SIGNED), CAST(total_bytes AS SIGNED), \
               CAST(upload_bytes AS SIGNED), CAST(progress_counter AS SIGNED), CAST(progress_ts AS SIGNED), \
               CAST(last_update AS SIGNED) FROM eb_jobs_live WHERE job_id LIKE ? ORDER BY job_id";
    let rows: Vec<Live> = with_pool!(db, pool => sqlx::query_as(sql).bind(format!("{path}-%")).fetch_all(pool).await).unwrap();
    rows.into_iter().map(|mut r| (r.0.split_off(2), r.1, r.2, r.3, r.4, r.5, r.6, r.7)).collect()
}

/// The events after `after`, each with its payload's job id cut to the job's number.
fn normalised(evs: &[EventRow]) -> Vec<(Option<i64>, String, String, String, serde_json::Value, i64)> {
    evs.iter()
        .map(|e| {
            let mut payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap();
            let id = payload["job_id"].as_str().unwrap()[2..].to_string();
            payload["job_id"] = id.into();
            (e.client_id, e.profile.clone(), e.username.clone(), e.kind.clone(), payload, e.created_at)
        })
        .collect()
}

both_backends!(bulk_progress_writes_what_the_per_job_path_writes_in_few_statements, |db| async move {
    seed(db).await;
    let at = now();
    let before = events::max_id(db).await.unwrap();

    // The per-job path: four statements a job.
    let mut tx = events::begin(db).await.unwrap();
    let counted = events::statements_on_this_thread();
    for i in 0..N {
        jobs::progress_job(&mut tx, "eazybackup", &progress("a", i), at).await.unwrap();
    }
    let not_live = JobProgress { job_id: "a-gone".into(), ..progress("a", 0) };
    assert_eq!(jobs::progress_job(&mut tx, "eazybackup", &not_live, at).await.unwrap(), None);
    let per_job = events::statements_on_this_thread() - counted;
    tx.commit().await.unwrap();
    let middle = events::max_id(db).await.unwrap();

    // The bulk path, with a job that is not live and one listed twice (its last progress wins).
    let mut batch: Vec<JobProgress> = (0..N).map(|i| progress("b", i)).collect();
    batch.insert(3, JobProgress { job_id: "b-gone".into(), ..progress("b", 0) });
    batch.insert(5, JobProgress { bytes_done: 1, ..progress("b", 9) });
    let mut tx = events::begin(db).await.unwrap();
    let counted = events::statements_on_this_thread();
    let written = jobs::progress_jobs(&mut tx, "eazybackup", &batch, at).await.unwrap();
    let bulk = events::statements_on_this_thread() - counted;
    tx.commit().await.unwrap();

    assert_eq!(written, N);
    assert_eq!(per_job, 4 * N as u64 + 1);
    let chunks = N.div_ceil(jobs::PROGRESS_PER_STATEMENT) as u64;
    // Per chunk: the UPDATE, the re-read, the names; then the events' multi-row inserts (200
    // rows each).
    assert_eq!(bulk, 3 * chunks + N.div_ceil(200) as u64, "bulk statements for {N} jobs");

    assert_eq!(live_rows(db, "a").await, live_rows(db, "b").await, "the same rows");
    let evs = events::since(db, before, 10_000).await.unwrap();
    let (per_job_events, bulk_events): (Vec<EventRow>, Vec<EventRow>) = evs.into_iter().partition(|e| e.id <= middle);
    assert_eq!(per_job_events.len(), N);
    let mut a = normalised(&per_job_events);
    let mut b = normalised(&bulk_events);
    // The bulk path appends in batch order, a repeated job at its first place (job 9's at 5).
    let key = |e: &(Option<i64>, String, String, String, serde_json::Value, i64)| e.4["job_id"].as_str().unwrap().to_string();
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b, "the same events");
    let named = a.iter().find(|e| e.4["job_id"] == "0002").unwrap();
    assert_eq!((named.4["device_name"].as_str(), named.4["item_name"].as_str()), (Some("PC 2 of acme-dental"), Some("Item 2")));
    let nameless = a.iter().find(|e| e.4["job_id"] == "0005").unwrap();
    assert!(nameless.4["device_name"].is_null() && nameless.4["item_name"].is_null());
    assert_eq!(a.iter().filter(|e| e.0.is_none()).count(), N.div_ceil(3), "unowned jobs' events carry no client");
});
