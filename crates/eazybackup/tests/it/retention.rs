//! Housekeeping: the outbox, the 24-hour job table, snoozes, the job history and the audit log
//! are pruned to their windows, in bounded batches.

use eazybackup::db::Db;
use eazybackup::db::retention::{self, EVENTS_KEEP_SECS, Policy, PruneReport, RECENT_JOBS_KEEP_SECS, Removed};
use eazybackup::db::timestamp::DbTime;
use eazybackup::with_pool;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 24 * 3600;

async fn insert_event(db: &Db, created_at: i64) {
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_events (client_id, profile, username, kind, payload, created_at) VALUES (1, 'p', 'u', 'job:start', '{}', ?)")
        .bind(created_at).execute(pool).await.map(|_| ()).unwrap());
}

async fn insert_recent(db: &Db, job: &str, ended_at: i64) {
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_jobs_recent_24h (server_id, job_id, username, device, job_type, status, bytes, duration_sec, ended_at) VALUES ('p', ?, 'u', 'd', '4001', 'error', 0, 0, ?)")
        .bind(job).bind(ended_at).execute(pool).await.map(|_| ()).unwrap());
}

async fn insert_history(db: &Db, job: &str, ended_at: i64) {
    let ended = DbTime::from_unix(ended_at).unwrap();
    with_pool!(db, pool => sqlx::query("INSERT INTO comet_jobs (profile, id, username, started_at, ended_at) VALUES ('p', ?, 'u', ?, ?)")
        .bind(job).bind(ended).bind(ended).execute(pool).await.map(|_| ()).unwrap());
}

async fn insert_audit(db: &Db, created_at: i64) {
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_audit_log (client_id, action, result, created_at) VALUES (1, 'job.cancel', 'ok', ?)")
        .bind(created_at).execute(pool).await.map(|_| ()).unwrap());
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

fn one_batch(rows: u64) -> Removed {
    Removed { rows, batches: 1 }
}

eazybackup::both_backends!(prune_keeps_the_windows_and_nothing_more, |db| async {
    eazybackup::db::migrate::migrate(db).await.unwrap();
    for _ in 0..3 {
        insert_event(db, NOW - EVENTS_KEEP_SECS - 10).await;
    }
    insert_event(db, NOW - 60).await;
    insert_recent(db, "old", NOW - RECENT_JOBS_KEEP_SECS - 1).await;
    insert_recent(db, "new", NOW - 3600).await;
    with_pool!(db, pool => {
        sqlx::query("INSERT INTO eb_incident_ack (client_id, job_id, until_ts) VALUES (1, 'a', ?), (1, 'b', ?)")
            .bind(NOW - 1).bind(NOW + 3600).execute(pool).await.unwrap();
    });
    insert_history(db, "ancient", NOW - 31 * DAY).await;
    insert_history(db, "kept", NOW - 29 * DAY).await;
    insert_audit(db, NOW - 11 * DAY).await;
    insert_audit(db, NOW - 11 * DAY).await;
    insert_audit(db, NOW - 9 * DAY).await;
    let policy = Policy { job_history_days: 30, audit_days: 10, batch: 100 };

    let report = retention::prune(db, &policy, NOW).await.unwrap();
    assert_eq!(
        report,
        PruneReport {
            events: one_batch(3),
            recent_jobs: one_batch(1),
            expired_snoozes: one_batch(1),
            job_history: one_batch(1),
            audit_log: one_batch(2),
        }
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_events").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_jobs_recent_24h WHERE job_id = 'new'").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_incident_ack").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM comet_jobs WHERE id = 'kept'").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM comet_jobs").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_audit_log").await, 1);
    // Nothing left to prune: a second run deletes nothing.
    assert_eq!(retention::prune(db, &policy, NOW).await.unwrap(), PruneReport::default());
});

eazybackup::both_backends!(batches_are_bounded_and_oldest_first, |db| async {
    eazybackup::db::migrate::migrate(db).await.unwrap();
    for i in 0..95 {
        insert_recent(db, &format!("old-{i:02}"), NOW - RECENT_JOBS_KEEP_SECS - 1000 + i).await;
    }
    insert_recent(db, "new", NOW - 60).await;
    let policy = Policy { batch: 10, ..Policy::default() };

    let report = retention::prune(db, &policy, NOW).await.unwrap();
    // Nine full batches and one of five: each statement removed at most ten rows.
    assert_eq!(report.recent_jobs, Removed { rows: 95, batches: 10 });
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_jobs_recent_24h").await, 1);

    // An exact multiple ends on the first empty statement, which is not counted.
    for i in 0..20 {
        insert_recent(db, &format!("again-{i:02}"), NOW - RECENT_JOBS_KEEP_SECS - 1000 + i).await;
    }
    let report = retention::prune(db, &policy, NOW).await.unwrap();
    assert_eq!(report.recent_jobs, Removed { rows: 20, batches: 2 });
});

eazybackup::both_backends!(zero_days_keeps_history_and_audit_forever, |db| async {
    eazybackup::db::migrate::migrate(db).await.unwrap();
    insert_history(db, "ancient", NOW - 3000 * DAY).await;
    insert_audit(db, NOW - 3000 * DAY).await;
    let policy = Policy { job_history_days: 0, audit_days: 0, ..Policy::default() };
    assert_eq!(retention::prune(db, &policy, NOW).await.unwrap(), PruneReport::default());
    assert_eq!(count(db, "SELECT COUNT(*) FROM comet_jobs").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_audit_log").await, 1);
});
