//! Bounded growth of the outbox, the 24-hour job table and snoozes.

use eazybackup::db::Db;
use eazybackup::db::retention::{self, EVENTS_KEEP_SECS, PruneReport, RECENT_JOBS_KEEP_SECS};
use eazybackup::with_pool;

const NOW: i64 = 1_800_000_000;

async fn insert_event(db: &Db, created_at: i64) {
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_events (client_id, profile, username, kind, payload, created_at) VALUES (1, 'p', 'u', 'job:start', '{}', ?)")
        .bind(created_at).execute(pool).await.map(|_| ()).unwrap());
}

async fn insert_recent(db: &Db, job: &str, ended_at: i64) {
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_jobs_recent_24h (server_id, job_id, username, device, job_type, status, bytes, duration_sec, ended_at) VALUES ('p', ?, 'u', 'd', '4001', 'error', 0, 0, ?)")
        .bind(job).bind(ended_at).execute(pool).await.map(|_| ()).unwrap());
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
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

    let report = retention::prune(db, NOW).await.unwrap();
    assert_eq!(report, PruneReport { events: 3, recent_jobs: 1, expired_snoozes: 1 });
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_events").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_jobs_recent_24h WHERE job_id = 'new'").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM eb_incident_ack").await, 1);
    // Nothing left to prune: a second run deletes nothing.
    assert_eq!(retention::prune(db, NOW).await.unwrap(), PruneReport::default());
});
