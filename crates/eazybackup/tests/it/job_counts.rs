//! `eb_jobs_hourly_counts`, the per-account, per-hour, per-class counters of
//! `eb_jobs_recent_24h` that the Pulse counts are read from: they equal a recount of the rows
//! after every kind of write (a batch of ends, replays, a revived job's real end, housekeeping;
//! the worker's, the monitor's and the sync's paths assert the same in their own tests), and the
//! counts they give equal counting the rows for any window start.

use std::collections::BTreeMap;

use eazybackup::both_backends;
use eazybackup::db::Db;
use eazybackup::db::events;
use eazybackup::db::jobs::{self, HOUR, JobBatch};
use eazybackup::db::retention::{self, Policy, RECENT_JOBS_KEEP_SECS};
use eazybackup::with_pool;

use crate::jobs::{ALICE, BOB, accounts, end, now, seed_two_clients};

type Bucket = (String, String, i64, String);

/// Fails unless every non-zero counter is the number of `eb_jobs_recent_24h` rows of its
/// (profile, username, hour of `ended_at`, class), and no such group lacks its counter.
pub async fn assert_counts_match(db: &Db) {
    let rows: Vec<(String, String, i64, String)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT server_id, username, CAST(ended_at AS SIGNED), status FROM eb_jobs_recent_24h"
    ).fetch_all(pool).await.unwrap());
    let mut recount: BTreeMap<Bucket, i64> = BTreeMap::new();
    for (profile, username, ended_at, status) in rows {
        *recount.entry((profile, username, ended_at.div_euclid(HOUR), status)).or_default() += 1;
    }
    let counters: Vec<(String, String, i64, String, i64)> = with_pool!(db, pool => sqlx::query_as(
        "SELECT server_id, username, hour, status, n FROM eb_jobs_hourly_counts WHERE n <> 0"
    ).fetch_all(pool).await.unwrap());
    let counters: BTreeMap<Bucket, i64> = counters.into_iter().map(|(p, u, h, s, n)| ((p, u, h, s), n)).collect();
    assert_eq!(counters, recount, "eb_jobs_hourly_counts differs from a recount of eb_jobs_recent_24h");
}

const STATUSES: [i64; 5] = [5000, 7001, 7003, 7004, 7007];

fn user_of(i: i64) -> &'static str {
    if i % 3 == 0 { "brown-acct" } else { "acme-dental" }
}

both_backends!(hourly_counts_equal_a_recount_after_ends_replays_revivals_and_housekeeping, |db| async move {
    seed_two_clients(db).await;
    let t = now();
    // 60 jobs of two accounts ending over the last 50 hours, every class, in one transaction.
    let mut tx = events::begin(db).await.unwrap();
    let mut batch = JobBatch::new("eazybackup");
    for i in 0..60 {
        let mut e = end(&format!("job-{i:03}"), user_of(i), STATUSES[(i % 5) as usize]);
        e.ended_at = t - i * 3000 - 7;
        batch.end(&mut tx, &e, None, t).await.unwrap();
    }
    batch.flush(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_counts_match(db).await;

    // Replays change nothing; an abandoned job (7007) revived by its device ends for real: its
    // row and its count move to the real end's hour and class.
    for i in 0..60 {
        let mut e = end(&format!("job-{i:03}"), user_of(i), STATUSES[(i % 5) as usize]);
        e.ended_at = t - i * 3000 - 7;
        jobs::record_job_end(db, "eazybackup", &e).await.unwrap();
    }
    assert_counts_match(db).await;
    for i in (4..60).step_by(10) {
        let mut e = end(&format!("job-{i:03}"), user_of(i), 5000);
        e.ended_at = t - 30;
        assert!(jobs::record_job_end(db, "eazybackup", &e).await.unwrap().is_some(), "job-{i:03} revived");
    }
    assert_counts_match(db).await;

    // The Pulse counts from the counters equal counting the rows, whatever second the window
    // starts at (inside an hour, on its boundary, a second before it).
    let hour_start = t.div_euclid(HOUR) * HOUR;
    for client in [ALICE, BOB] {
        let accounts = accounts(db, client).await;
        for since in
            [t - 86_400, t - 86_400 + 1, hour_start - 5 * HOUR, hour_start - 5 * HOUR - 1, t - 20 * HOUR - 1234, t - 60, 0]
        {
            let fast = jobs::finished_counts(db, &accounts, since).await.unwrap();
            let recount = jobs::finished_counts_recounted(db, &accounts, since).await.unwrap();
            assert_eq!(fast, recount, "client {client:?}, window from {since}");
        }
    }
    let day = jobs::finished_counts(db, &accounts(db, ALICE).await, t - 86_400).await.unwrap();
    assert!(day.success > 0 && day.warning > 0 && day.error > 0 && day.missed > 0, "{day:?}");

    // Housekeeping removes the rows older than 48 h (to the hour) and their counters with them.
    let report = retention::prune(db, &Policy::default(), t).await.unwrap();
    assert!(report.recent_jobs.rows > 0, "{report:?}");
    assert_counts_match(db).await;
    let oldest: Option<i64> =
        with_pool!(db, pool => sqlx::query_scalar("SELECT MIN(hour) FROM eb_jobs_hourly_counts").fetch_one(pool).await.unwrap());
    assert_eq!(oldest.map(|h| h >= (t - RECENT_JOBS_KEEP_SECS).div_euclid(HOUR)), Some(true), "{oldest:?}");
});

both_backends!(the_migration_counts_rows_written_before_the_counters_existed, |db| async move {
    seed_two_clients(db).await;
    let t = now();
    for i in 0..12 {
        let mut e = end(&format!("old-{i:02}"), "acme-dental", STATUSES[(i % 5) as usize]);
        e.ended_at = t - i * 1800;
        jobs::record_job_end(db, "eazybackup", &e).await.unwrap();
    }
    // As if the rows came from before this table: it is empty, and the next migration fills it.
    with_pool!(db, pool => sqlx::query("DELETE FROM eb_jobs_hourly_counts").execute(pool).await.map(|_| ()).unwrap());
    eazybackup::db::migrate::migrate(db).await.unwrap();
    assert_counts_match(db).await;
    // A second run adds nothing.
    eazybackup::db::migrate::migrate(db).await.unwrap();
    assert_counts_match(db).await;
});
