//! `eazybackup status`, the run records behind it, and the commands' lines and exit codes as the
//! operator sees them (`rollup`, `status`).

use std::process::{Command, Output};

use eazybackup::db::Db;
use eazybackup::db::worker_state;
use eazybackup::runs;
use eazybackup::status;
use eazybackup::with_pool;

const NOW: i64 = 1_790_000_000;

async fn live_job(db: &Db, profile: &str, job: &str, quiet_since: i64) {
    with_pool!(db, pool => sqlx::query(
        "INSERT INTO eb_jobs_live (server_id, job_id, username, started_at, last_update, status, progress_ts, last_bytes_ts) \
         VALUES (?, ?, 'alice', ?, ?, 6001, ?, ?)"
    ).bind(profile).bind(job).bind(quiet_since).bind(quiet_since).bind(quiet_since).bind(quiet_since).execute(pool).await.map(|_| ()).unwrap());
}

eazybackup::both_backends!(status_reports_workers_events_jobs_and_runs, |db| async move {
    eazybackup::db::migrate::migrate(db).await.unwrap();
    // eazybackup: connected an hour ago, heartbeat fresh; obc: said connected, then went silent.
    worker_state::connected(db, "eazybackup", NOW - 3600).await.unwrap();
    worker_state::heartbeat(db, "eazybackup", NOW - 20).await.unwrap();
    worker_state::connected(db, "obc", NOW - 7200).await.unwrap();
    worker_state::heartbeat(db, "obc", NOW - 600).await.unwrap();
    with_pool!(db, pool => sqlx::query("INSERT INTO eb_event_cursor (source, last_ts, updated_at) VALUES ('comet-ws:eazybackup', ?, ?)")
        .bind(NOW - 42).bind(NOW - 42).execute(pool).await.map(|_| ()).unwrap());
    for (ts, profile) in [(NOW - 10, "eazybackup"), (NOW - 100, "eazybackup"), (NOW - 7200, "eazybackup"), (NOW - 10, "obc")] {
        with_pool!(db, pool => sqlx::query("INSERT INTO eb_events (client_id, profile, kind, payload, created_at) VALUES (1, ?, 'job:start', '{}', ?)")
            .bind(profile).bind(ts).execute(pool).await.map(|_| ()).unwrap());
    }
    live_job(db, "eazybackup", "quiet", NOW - 4 * 3600).await;
    live_job(db, "eazybackup", "moving", NOW - 60).await;
    let run = runs::start(db, "monitor", "eazybackup").await;
    run.finish(true, "monitor eazybackup: checked 1").await;
    let run = runs::start(db, "sync", "obc").await;
    run.finish(false, "sync obc: stopped").await;

    let settings = eazybackup::monitor::Settings::from_defaults(&eazybackup::config::MonitorDefaults::default());
    let s = status::collect(db, &["eazybackup".into(), "obc".into()], &settings, NOW).await.unwrap();
    assert!(!s.ok, "obc's worker is down");
    let eb = &s.profiles[0];
    assert!(eb.worker.connected);
    assert_eq!(eb.worker.since, Some(NOW - 3600));
    assert_eq!(eb.last_event_age_secs, Some(42));
    assert_eq!(eb.events_last_hour, 2);
    assert_eq!((eb.live_jobs, eb.stalled_candidates), (2, 1));
    assert_eq!(
        eb.last_monitor.as_ref().map(|r| (r.result.as_str(), r.summary.as_deref())),
        Some(("ok", Some("monitor eazybackup: checked 1")))
    );
    assert!(eb.last_sync.is_none());
    let obc = &s.profiles[1];
    assert!(!obc.worker.connected, "a stale heartbeat is a dead worker whatever the flag says");
    assert_eq!(obc.worker.since, Some(NOW - 600), "down since its last heartbeat");
    assert_eq!(obc.last_sync.as_ref().map(|r| r.result.as_str()), Some("failed"));
    assert!(s.last_rollup_devices.is_none());

    let mut table = Vec::new();
    status::print_table(&mut table, &s).unwrap();
    let table = String::from_utf8(table).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("PROFILE"), "{table}");
    assert!(lines[1].starts_with("eazybackup") && lines[1].contains("connected") && lines[1].contains("42s ago"), "{table}");
    assert!(lines[2].starts_with("obc") && lines[2].contains("DOWN") && lines[2].contains("failed"), "{table}");
    assert!(table.contains("rollup devices: never"), "{table}");
    assert!(table.ends_with("status: worker down for obc\n"), "{table}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["profiles"][0]["worker"]["connected"], true);
    assert_eq!(json["ok"], false);

    // A worker that said goodbye is down since then, with its reason.
    worker_state::disconnected(db, "eazybackup", NOW - 5, Some("event stream ended")).await.unwrap();
    let s = status::collect(db, &["eazybackup".into()], &settings, NOW).await.unwrap();
    assert_eq!((s.profiles[0].worker.connected, s.profiles[0].worker.since), (false, Some(NOW - 5)));
    assert_eq!(s.profiles[0].worker.last_error.as_deref(), Some("event stream ended"));
});

fn eazybackup(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eazybackup"));
    cmd.args(args).env_clear().env("EB_ENV_FILE", "/dev/null").env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes).lines().map(str::to_string).collect()
}

#[test]
fn rollup_and_status_print_their_lines_and_exit_codes() {
    let dir = std::env::temp_dir().join(format!("eb-cli-rollup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_file = dir.join("eb.sqlite");
    let dsn = format!("sqlite://{}", db_file.display());
    let lock_dir = dir.join("locks");
    let env = [("DB_DSN", dsn.as_str()), ("EB_LOCK_DIR", lock_dir.to_str().unwrap())];
    assert_eq!(eazybackup(&["migrate"], &env).status.code(), Some(0));
    let today = chrono::Utc::now().date_naive();

    let out = eazybackup(&["rollup", "devices"], &env);
    assert_eq!(out.status.code(), Some(0), "{:?}", lines(&out.stderr));
    assert_eq!(lines(&out.stdout), [format!("rollup devices {today}: registered 0, active_24h 0 (0 accounts)")]);
    let out = eazybackup(&["rollup", "devices", "--date", &today.to_string()], &env);
    assert_eq!(lines(&out.stdout), [format!("rollup devices {today}: kept (already rolled up; --force rewrites it)")]);

    let from = today - chrono::Days::new(2);
    let out = eazybackup(&["rollup", "items", "--from", &from.to_string(), "--to", &today.to_string()], &env);
    assert_eq!(out.status.code(), Some(0), "{:?}", lines(&out.stderr));
    let printed = lines(&out.stdout);
    assert_eq!(printed.len(), 4, "a line per day and a total: {printed:?}");
    assert_eq!(printed[3], "rollup items: 3 days written, 0 kept");
    assert!(out.stderr.is_empty(), "no progress bar without a terminal: {:?}", lines(&out.stderr));

    let out = eazybackup(&["rollup", "items", "--date", "2999-01-01"], &env);
    assert_eq!(out.status.code(), Some(2));
    let err = lines(&out.stderr);
    assert_eq!(err.len(), 1, "{err:?}");
    assert!(err[0].contains("2999-01-01 is in the future"), "{err:?}");

    // No worker ever ran for the profile: status says so and exits 1.
    let out = eazybackup(&["status", "--profile", "eazybackup"], &env);
    assert_eq!(out.status.code(), Some(1), "{:?}", lines(&out.stderr));
    let table = lines(&out.stdout).join("\n");
    assert!(table.contains("DOWN") && table.contains("never ran"), "{table}");
    assert!(table.contains("rollup devices: ok"), "{table}");
    let out = eazybackup(&["status", "--profile", "eazybackup", "--json"], &env);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(json["last_rollup_items"]["result"], "ok");
    assert_eq!(json["last_rollup_items"]["summary"], "rollup items: 3 days written, 0 kept");

    // Its worker connects: exit 0.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = Db::connect(&eazybackup::db::DbUrl::Sqlite(db_file.display().to_string())).await.unwrap();
        worker_state::connected(&db, "eazybackup", chrono::Utc::now().timestamp()).await.unwrap();
        db.close().await;
    });
    let out = eazybackup(&["status", "--profile", "eazybackup"], &env);
    assert_eq!(out.status.code(), Some(0), "{:?}", lines(&out.stdout));
    assert!(lines(&out.stdout).last().is_some_and(|l| l == "status: ok (every worker connected)"));

    // Without a profile configured or reported: a configuration error.
    let empty = dir.join("empty.sqlite");
    let empty_dsn = format!("sqlite://{}", empty.display());
    let env2 = [("DB_DSN", empty_dsn.as_str()), ("EB_LOCK_DIR", lock_dir.to_str().unwrap())];
    assert_eq!(eazybackup(&["migrate"], &env2).status.code(), Some(0));
    assert_eq!(eazybackup(&["status"], &env2).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
