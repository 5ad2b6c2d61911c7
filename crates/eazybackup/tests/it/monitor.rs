//! `eazybackup monitor` against the simulator: stalled jobs are cancelled, or abandoned when the
//! device ignores the cancel; a job an admin cancelled silently is finalised; a job whose
//! heartbeat moves is left alone; a dry run changes nothing; a second run for a profile exits at
//! once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use comet::{AdminClient, BackupJobDetail, Credentials};
use comet_sim::{CancelReply, FaultPatch, SimHandle, StartJob};
use eazybackup::db::Db;
use eazybackup::ingest::Ingest;
use eazybackup::monitor::{Settings, Summary, sweep_locked, sweep_profile};
use eazybackup::with_pool;

use crate::worker::start_sim;

const PROFILE: &str = "eazybackup";

fn admin(sim: &SimHandle) -> Arc<AdminClient> {
    let creds = sim.admin_creds();
    let client = AdminClient::new(
        &sim.base_url(),
        Credentials { username: creds.username, password: creds.password, ..Default::default() },
    )
    .expect("admin client");
    Arc::new(client)
}

/// The seed's defaults, with a short wait for cancel confirmations (the simulator's devices
/// confirm in half a second).
fn settings() -> Settings {
    Settings {
        confirm_wait: Duration::from_secs(5),
        confirm_poll: Duration::from_millis(200),
        ..Settings::from_defaults(&Default::default())
    }
}

fn job(username: &str, stall: bool, on_cancel: Option<CancelReply>, flat_bytes: bool) -> StartJob {
    let mut j = StartJob::new(username, 600.0, 5000);
    j.stall = stall;
    j.on_cancel = on_cancel;
    j.flat_bytes = flat_bytes;
    j
}

/// Writes the jobs live as the worker would have (its own path), then makes them look quiet for
/// two hours, longer than the default `stale-secs`.
async fn live_and_quiet(ingest: &mut Ingest, jobs: &[&str]) {
    let mut details: Vec<BackupJobDetail> = Vec::new();
    for id in jobs {
        details.push(ingest.admin.get_job_properties(id).await.expect("job readable"));
    }
    eazybackup::ingest::batch::write_jobs(ingest, &details).await.expect("jobs written live");
    let two_hours_ago = chrono::Utc::now().timestamp() - 7200;
    for id in jobs {
        with_pool!(&ingest.db, pool => sqlx::query(
            "UPDATE eb_jobs_live SET started_at = ?, progress_ts = ?, last_update = ? WHERE server_id = ? AND job_id = ?"
        ).bind(two_hours_ago).bind(two_hours_ago).bind(two_hours_ago).bind(PROFILE).bind(*id).execute(pool).await.unwrap().rows_affected());
    }
}

async fn live_ids(db: &Db) -> Vec<String> {
    with_pool!(db, pool => sqlx::query_scalar("SELECT job_id FROM eb_jobs_live ORDER BY job_id").fetch_all(pool).await.unwrap())
}

async fn ended_status(db: &Db, job: &str) -> Option<i64> {
    with_pool!(db, pool => sqlx::query_scalar(
        "SELECT CAST(comet_status AS SIGNED) FROM eb_jobs_recent_24h WHERE server_id = ? AND job_id = ?"
    ).bind(PROFILE).bind(job).fetch_optional(pool).await.unwrap())
}

/// (kind, client_id) of the outbox rows about `job`, in order.
async fn outbox_for(db: &Db, job: &str) -> Vec<(String, Option<i64>)> {
    with_pool!(db, pool => sqlx::query_as::<_, (String, Option<i64>)>(
        "SELECT kind, CAST(client_id AS SIGNED) FROM eb_events WHERE payload LIKE ? ORDER BY id"
    ).bind(format!("%{job}%")).fetch_all(pool).await.unwrap())
}

async fn comet_status(sim: &SimHandle, job: &str) -> u64 {
    sim.core().job(job).expect("the simulator knows the job").status
}

eazybackup::both_backends!(stalled_jobs_are_cancelled_or_abandoned_and_silent_ends_finalised, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.5), ..Default::default() });
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));

    let confirms = sim.start_job(job("alice", true, Some(CancelReply::Confirm), false)).unwrap();
    let ignores = sim.start_job(job("alice", true, Some(CancelReply::Ignore), false)).unwrap();
    let admin_cancelled = sim.start_job(job("bob", false, None, false)).unwrap();
    let heartbeat_only = sim.start_job(job("bob", false, None, true)).unwrap();
    live_and_quiet(&mut ingest, &[&confirms, &ignores, &admin_cancelled, &heartbeat_only]).await;
    // A Comet administrator cancels one in the web UI: Comet tells nobody.
    sim.core().cancel_silently(&admin_cancelled).unwrap();
    // Let the heartbeat tick past what the table recorded.
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let summary = sweep_profile(&mut ingest, &settings()).await.expect("sweep");
    assert_eq!(
        summary.line(),
        "monitor eazybackup: checked 4, progressing 1, cancelled 1, abandoned 1, finalised 3, errors 0",
        "{summary:?}"
    );
    assert_eq!((comet_status(&sim, &confirms).await, comet_status(&sim, &ignores).await), (7005, 7007));
    assert_eq!(ended_status(db, &confirms).await, Some(7005), "cancelled, confirmed by the device");
    assert_eq!(ended_status(db, &ignores).await, Some(7007), "the cancel was ignored: abandoned");
    assert_eq!(ended_status(db, &admin_cancelled).await, Some(7005), "the admin's silent cancel is finalised");
    assert_eq!(live_ids(db).await, vec![heartbeat_only.clone()], "only the job whose heartbeat moves stays live");
    assert_eq!(comet_status(&sim, &heartbeat_only).await, 6001, "and it was not touched in Comet");
    for (ended, client) in [(&confirms, 1), (&ignores, 1), (&admin_cancelled, 2)] {
        let kinds = outbox_for(db, ended).await;
        assert_eq!(kinds.last(), Some(&("job:end".to_string(), Some(client))), "browsers hear the end: {kinds:?}");
        assert_eq!(kinds.iter().filter(|(k, _)| k == "job:end").count(), 1);
    }
    assert!(outbox_for(db, &heartbeat_only).await.iter().any(|(k, _)| k == "job:progress"), "its progress is recorded");
    let (attempts, checked, stage): (i64, i64, String) = with_pool!(db, pool => sqlx::query_as(
        "SELECT CAST(cancel_attempts AS SIGNED), CAST(last_checked_ts AS SIGNED), action_stage FROM eb_jobs_live WHERE job_id = ?"
    ).bind(&heartbeat_only).fetch_one(pool).await.unwrap());
    assert_eq!((attempts, stage.as_str()), (0, "none"), "looking is not an attempt");
    assert!(checked > chrono::Utc::now().timestamp() - 60);
    // The durable history has the final states too.
    let history: i64 = with_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM comet_jobs WHERE profile = ? AND id IN (?, ?, ?) AND status IN (7005, 7007)"
    ).bind(PROFILE).bind(&confirms).bind(&ignores).bind(&admin_cancelled).fetch_one(pool).await.unwrap());
    assert_eq!(history, 3);
    crate::job_counts::assert_counts_match(db).await;

    // Right after, nothing is due: the moving job was just checked and is no longer quiet.
    let again = sweep_profile(&mut ingest, &settings()).await.expect("second sweep");
    assert_eq!((again.checked, again.comet_calls), (0, 0), "{again:?}");
    sim.shutdown().await;
});

/// Every row of the tables a sweep writes, as text, for a before/after comparison.
async fn table_snapshot(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    for (table, sql) in [
        (
            "eb_jobs_live",
            "SELECT CONCAT(job_id, '|', status, '|', progress_ts, '|', last_checked_ts, '|', cancel_attempts, '|', action_stage) FROM eb_jobs_live ORDER BY job_id",
        ),
        ("eb_jobs_recent_24h", "SELECT job_id FROM eb_jobs_recent_24h ORDER BY job_id"),
        ("eb_events", "SELECT CONCAT(id, kind) FROM eb_events ORDER BY id"),
        ("comet_jobs", "SELECT CONCAT(id, '|', status) FROM comet_jobs ORDER BY id"),
    ] {
        let sql = if matches!(db, Db::Sqlite(_)) { sqlite_concat(sql) } else { sql.to_string() };
        let rows: Vec<String> =
            with_pool!(db, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap());
        out.push(format!("{table}: {} rows", rows.len()));
        out.extend(rows);
    }
    out
}

/// SQLite spells CONCAT(a, b, …) as a || b || ….
fn sqlite_concat(sql: &str) -> String {
    match (sql.find("CONCAT("), sql.find(") FROM")) {
        (Some(start), Some(end)) => {
            let inner = &sql[start + 7..end];
            format!("SELECT {}{}", inner.split(", ").collect::<Vec<_>>().join(" || "), &sql[end + 1..])
        }
        _ => sql.to_string(),
    }
}

eazybackup::both_backends!(a_dry_run_changes_nothing_in_the_database_or_in_comet, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.2), ..Default::default() });
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));
    let stalled = sim.start_job(job("alice", true, Some(CancelReply::Confirm), false)).unwrap();
    let ignores = sim.start_job(job("alice", true, Some(CancelReply::Ignore), false)).unwrap();
    let admin_cancelled = sim.start_job(job("bob", false, None, false)).unwrap();
    live_and_quiet(&mut ingest, &[&stalled, &ignores, &admin_cancelled]).await;
    sim.core().cancel_silently(&admin_cancelled).unwrap();

    let jobs = [&stalled, &ignores, &admin_cancelled];
    let comet_before: Vec<_> = jobs.iter().map(|j| sim.core().job(j).unwrap()).collect();
    let db_before = table_snapshot(db).await;
    let summary = sweep_profile(&mut ingest, &Settings { dry_run: true, ..settings() }).await.expect("dry run");
    assert_eq!(
        summary.line(),
        "monitor eazybackup (dry run, nothing changed): checked 3, progressing 0, would cancel 2, would abandon 0, would finalise 1, errors 0"
    );
    // Long enough for a cancel the dry run might have sent to have been confirmed.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let comet_after: Vec<_> = jobs.iter().map(|j| sim.core().job(j).unwrap()).collect();
    assert_eq!(comet_before, comet_after, "no Comet writes");
    assert_eq!(db_before, table_snapshot(db).await, "no database writes");
    sim.shutdown().await;
});

eazybackup::both_backends!(a_second_monitor_run_for_a_profile_exits_at_once, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));
    // The first run waits for a device that never confirms its cancel: it holds the lock a while.
    let ignores = sim.start_job(job("alice", true, Some(CancelReply::Ignore), false)).unwrap();
    live_and_quiet(&mut ingest, &[&ignores]).await;
    let lock_dir = std::env::temp_dir().join(format!("eb-monitor-lock-{:016x}", rand::random::<u64>()));
    let first_dir = lock_dir.clone();
    let first = tokio::spawn(async move {
        let s = Settings { confirm_wait: Duration::from_secs(4), ..settings() };
        sweep_locked(&first_dir, &mut ingest, &s).await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;

    let dir = lock_dir.clone();
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_eazybackup"))
            .args(["monitor", "--profile", PROFILE])
            .env_clear()
            .env("EB_ENV_FILE", "/dev/null")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DB_DSN", "sqlite:///nonexistent-dir/x.sqlite")
            .env("EB_LOCK_DIR", &dir)
            .output()
            .expect("the binary runs")
    })
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3), "the second run exits at once, not after the first");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("another `eazybackup monitor` is already running for profile `eazybackup`"), "{lines:?}");
    assert!(out.stdout.is_empty(), "no summary from a run that did nothing");

    let summary: Summary = first.await.unwrap().expect("the first run completes");
    assert_eq!((summary.abandoned, summary.finalised), (1, 1), "{summary:?}");
    let _ = std::fs::remove_dir_all(&lock_dir);
    sim.shutdown().await;
});

eazybackup::both_backends!(a_job_revived_after_the_abandon_is_finished_by_its_later_end, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));
    let job_id = sim.start_job(job("alice", true, Some(CancelReply::Ignore), false)).unwrap();
    live_and_quiet(&mut ingest, &[&job_id]).await;
    let summary =
        sweep_profile(&mut ingest, &Settings { confirm_wait: Duration::from_millis(600), ..settings() }).await.expect("sweep");
    assert_eq!((summary.abandoned, summary.finalised), (1, 1), "{summary:?}");
    assert_eq!(ended_status(db, &job_id).await, Some(7007));

    // The device reports again: Comet revives the job (6002). The worker's poll sees it running,
    // and it stays out of the live view, as the seed wants.
    sim.core().resume_job(&job_id).unwrap();
    let revived = ingest.admin.get_job_properties(&job_id).await.unwrap();
    assert_eq!(revived.status.0, 6002);
    eazybackup::ingest::batch::write_jobs(&mut ingest, std::slice::from_ref(&revived)).await.unwrap();
    assert!(live_ids(db).await.is_empty(), "a revived job is not resurrected in the live view");

    // Its real end (the SEVT_JOB_COMPLETED the worker receives) replaces the abandoned row.
    sim.core().finish_job(&job_id, 5000).unwrap();
    let done = ingest.admin.get_job_properties(&job_id).await.unwrap();
    eazybackup::ingest::batch::write_jobs(&mut ingest, std::slice::from_ref(&done)).await.unwrap();
    assert_eq!(ended_status(db, &job_id).await, Some(5000));
    crate::job_counts::assert_counts_match(db).await;
    let ends = outbox_for(db, &job_id).await.into_iter().filter(|(k, _)| k == "job:end").count();
    assert_eq!(ends, 2, "browsers hear the abandon, then the real end");
    // A replay of the same end changes nothing more.
    eazybackup::ingest::batch::write_jobs(&mut ingest, std::slice::from_ref(&done)).await.unwrap();
    assert_eq!(outbox_for(db, &job_id).await.into_iter().filter(|(k, _)| k == "job:end").count(), 2);
    sim.shutdown().await;
});

/// The command as the timer runs it: `eazybackup monitor --profile P` with the seed's flag
/// spelling, one summary line on stdout, exit 0; a job Comet cannot read makes it exit 1.
#[tokio::test]
async fn the_command_prints_one_line_per_profile_and_its_exit_status_says_whether_anything_failed() {
    let test_db = eazybackup::testkit::TestDb::sqlite().await;
    let db = test_db.db().clone();
    crate::ingest_devices::prepare(&db).await;
    let sim = start_sim().await;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.3), ..Default::default() });
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));
    let stalled = sim.start_job(job("alice", true, Some(CancelReply::Confirm), false)).unwrap();
    live_and_quiet(&mut ingest, &[&stalled]).await;
    let eazybackup::db::DbUrl::Sqlite(path) = test_db.url() else { unreachable!("a SQLite test database") };
    let lock_dir = std::env::temp_dir().join(format!("eb-monitor-cli-{:016x}", rand::random::<u64>()));
    let creds = sim.admin_creds();
    let run = |args: Vec<String>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_eazybackup"));
        cmd.args(&args)
            .env_clear()
            .env("EB_ENV_FILE", "/dev/null")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DB_DSN", format!("sqlite://{path}"))
            .env("EB_LOCK_DIR", &lock_dir)
            .env("COMET_eazybackup_ORIGIN", sim.base_url())
            .env("COMET_eazybackup_USERNAME", &creds.username)
            .env("COMET_eazybackup_PASSWORD", &creds.password)
            .env("EB_MON_STALE_SECS", "999999");
        async move { tokio::task::spawn_blocking(move || cmd.output().expect("the binary runs")).await.unwrap() }
    };
    // The flag beats EB_MON_STALE_SECS (which would make nothing a candidate).
    let args = ["monitor", "--profile=eazybackup", "--stale-secs=3600", "--recheck-secs=300", "--verbose=1"];
    let out = run(args.iter().map(|s| s.to_string()).collect()).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.trim(),
        "monitor eazybackup: checked 1, progressing 0, cancelled 1, abandoned 0, finalised 1, errors 0",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cancel requested"), "--verbose=1 tells each step");
    assert_eq!(ended_status(&db, &stalled).await, Some(7005));

    // A live row Comet knows nothing of cannot be read: counted as an error, exit 1.
    with_pool!(&db, pool => sqlx::query(
        "INSERT INTO eb_jobs_live (server_id, job_id, username, started_at, progress_ts, last_update) VALUES (?, 'no-such-job', 'alice', 1, 1, 1)"
    ).bind(PROFILE).execute(pool).await.unwrap().rows_affected());
    let out = run(vec!["monitor".into(), "--stale-secs".into(), "3600".into()]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "monitor eazybackup: checked 1, progressing 0, cancelled 0, abandoned 0, finalised 0, errors 1");
    assert_eq!(out.status.code(), Some(1));
    let attempts: i64 = with_pool!(&db, pool => sqlx::query_scalar(
        "SELECT CAST(cancel_attempts AS SIGNED) FROM eb_jobs_live WHERE job_id = 'no-such-job'"
    ).fetch_one(pool).await.unwrap());
    assert_eq!(attempts, 1, "Comet's answer (not a transient) counts as an attempt, so the job is dropped after max-attempts");
    let _ = std::fs::remove_dir_all(&lock_dir);
    sim.shutdown().await;
    test_db.cleanup().await;
}

eazybackup::both_backends!(inside_the_worker_the_same_sweep_runs_on_its_schedule, |db| async {
    crate::ingest_devices::prepare(db).await;
    let sim = start_sim().await;
    sim.set_faults(FaultPatch { cancel_delay_secs: Some(0.2), ..Default::default() });
    let mut ingest = Ingest::new(PROFILE, db.clone(), admin(&sim));
    let stalled = sim.start_job(job("bob", true, Some(CancelReply::Confirm), false)).unwrap();
    live_and_quiet(&mut ingest, &[&stalled]).await;
    let lock_dir = std::env::temp_dir().join(format!("eb-monitor-worker-{:016x}", rand::random::<u64>()));
    let stop = tokio_util::sync::CancellationToken::new();
    let task = tokio::spawn(eazybackup::monitor::schedule::run_in_worker(
        lock_dir.clone(),
        ingest,
        settings(),
        Duration::from_millis(300),
        stop.clone(),
    ));
    crate::worker::eventually("the worker's sweep to cancel and finalise the stalled job", || async {
        ended_status(db, &stalled).await == Some(7005)
    })
    .await;
    stop.cancel();
    task.await.expect("the schedule ends on shutdown");
    let _ = std::fs::remove_dir_all(&lock_dir);
    sim.shutdown().await;
});
