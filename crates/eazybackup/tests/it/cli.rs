//! The binary as operators run it: one clear line and an exit code, never a panic or backtrace.

use std::process::{Command, Output};

fn eazybackup(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eazybackup"));
    cmd.args(args).env_clear().env("EB_ENV_FILE", "/dev/null").env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn stderr_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr).lines().map(str::to_string).collect()
}

#[test]
fn a_bad_setting_is_one_line_naming_the_key_and_exit_2() {
    let out = eazybackup(&["migrate"], &[("DB_DSN", "pgsql:host=db")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_lines(&out),
        ["eazybackup: configuration error: DB_DSN: unsupported driver `pgsql` (expected mysql or sqlite)"]
    );

    let out = eazybackup(&["serve"], &[("DB_DSN", "sqlite:///nonexistent-dir/x.sqlite")]);
    assert_eq!(out.status.code(), Some(2));
    let lines = stderr_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("EB_API_SECRET"), "{lines:?}");
}

#[test]
fn a_second_worker_for_the_same_profile_exits_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("eb-cli-lock-{}", std::process::id()));
    let _held = eazybackup::instance_lock::acquire(&dir, "worker", "eazybackup").expect("the first worker's lock");
    let out = eazybackup(
        &["worker", "--profile", "eazybackup"],
        &[("DB_DSN", "sqlite:///nonexistent-dir/x.sqlite"), ("EB_LOCK_DIR", dir.to_str().unwrap())],
    );
    assert_eq!(out.status.code(), Some(1));
    let lines = stderr_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("another `eazybackup worker` is already running for profile `eazybackup`"), "{lines:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn housekeep_prints_one_line_per_table_and_a_total() {
    let dir = std::env::temp_dir().join(format!("eb-cli-housekeep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dsn = format!("sqlite://{}", dir.join("eb.sqlite").display());
    let lock_dir = dir.join("locks");
    let env = [("DB_DSN", dsn.as_str()), ("EB_LOCK_DIR", lock_dir.to_str().unwrap()), ("EB_AUDIT_DAYS", "0")];
    assert_eq!(eazybackup(&["migrate"], &env).status.code(), Some(0));

    let out = eazybackup(&["housekeep", "--batch", "10"], &env);
    assert_eq!(out.status.code(), Some(0), "{:?}", stderr_lines(&out));
    assert_eq!(
        stdout_lines(&out),
        [
            "eb_jobs_recent_24h: removed 0 rows in 0 batches",
            "eb_events: removed 0 rows in 0 batches",
            "eb_incident_ack: removed 0 rows in 0 batches",
            "comet_jobs: removed 0 rows in 0 batches",
            "eb_audit_log: kept (retention 0 = forever)",
            "housekeep: removed 0 rows in total (batch size 10)",
        ]
    );
    let out = eazybackup(&["housekeep", "--batch", "0"], &env);
    assert_eq!(out.status.code(), Some(2), "a batch of 0 is a usage error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sync_refuses_an_unknown_profile_with_exit_2_and_a_held_lock_with_exit_1() {
    let dir = std::env::temp_dir().join(format!("eb-cli-sync-{}", std::process::id()));
    let dsn = format!("sqlite://{}", dir.join("eb.sqlite").display());
    let lock_dir = dir.join("locks");
    let env = [("DB_DSN", dsn.as_str()), ("EB_LOCK_DIR", lock_dir.to_str().unwrap())];
    std::fs::create_dir_all(&dir).unwrap();

    let out = eazybackup(&["sync"], &env);
    assert_eq!(out.status.code(), Some(2), "no profile configured: {:?}", stderr_lines(&out));
    let out = eazybackup(&["sync", "--profile", "nope"], &env);
    assert_eq!(out.status.code(), Some(2), "{:?} {:?}", stdout_lines(&out), stderr_lines(&out));

    let _held = eazybackup::instance_lock::acquire(&lock_dir, "sync", "nope").expect("the first sync's lock");
    let out = eazybackup(&["sync", "--profile", "nope"], &env);
    assert_eq!(out.status.code(), Some(1));
    let printed = stdout_lines(&out).join("\n");
    assert!(printed.contains("another `eazybackup sync` is already running for profile `nope`"), "{printed}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}
