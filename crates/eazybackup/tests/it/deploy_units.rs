//! The systemd units in `deploy/systemd/` are what operators install: every one must pass
//! `systemd-analyze verify` without a warning. They run `/usr/local/bin/eazybackup`, which a test
//! machine does not have, so each is verified from a copy whose binary path points at the one this
//! test was built with (and every `ExecStart` is checked to name the installed path).

use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALLED_BINARY: &str = "/usr/local/bin/eazybackup";

fn units_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/systemd")
}

fn units() -> Vec<PathBuf> {
    let mut units: Vec<PathBuf> = std::fs::read_dir(units_dir())
        .expect("deploy/systemd exists")
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("service" | "timer")))
        .collect();
    units.sort();
    units
}

#[test]
fn every_unit_passes_systemd_analyze_verify() {
    let units = units();
    let names: Vec<String> = units.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for expected in [
        "eazybackup-worker@.service",
        "eazybackup-monitor@.service",
        "eazybackup-monitor@.timer",
        "eazybackup-api.service",
        "eazybackup-sync.timer",
        "eazybackup-housekeep.timer",
        "eazybackup-rollup-devices.timer",
        "eazybackup-rollup-items.timer",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} is missing from deploy/systemd: {names:?}");
    }

    let copy = std::env::temp_dir().join(format!("eb-units-{}", std::process::id()));
    std::fs::create_dir_all(&copy).unwrap();
    for unit in &units {
        let text = std::fs::read_to_string(unit).unwrap();
        for line in text.lines().filter(|l| l.starts_with("ExecStart=")) {
            assert!(line.starts_with(&format!("ExecStart={INSTALLED_BINARY} ")), "{}: {line}", unit.display());
        }
        let tested = text.replace(INSTALLED_BINARY, env!("CARGO_BIN_EXE_eazybackup"));
        std::fs::write(copy.join(unit.file_name().unwrap()), tested).unwrap();
    }
    let copies: Vec<PathBuf> = units.iter().map(|u| copy.join(u.file_name().unwrap())).collect();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .args(&copies)
        .output()
        .expect("systemd-analyze runs (scripts/setup.sh installs systemd)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&copy);
    assert!(out.status.success(), "systemd-analyze verify failed:\n{stderr}");
    // Unknown keys and bad values are only warnings: none is acceptable either.
    assert!(stderr.trim().is_empty(), "systemd-analyze verify warned:\n{stderr}");
}

#[test]
fn timers_run_at_the_operators_times() {
    let timer = |name: &str| std::fs::read_to_string(units_dir().join(name)).unwrap();
    assert!(timer("eazybackup-monitor@.timer").contains("OnCalendar=*:0/5\n"));
    assert!(timer("eazybackup-rollup-devices.timer").contains("OnCalendar=*-*-* 02:05:00 UTC\n"));
    assert!(timer("eazybackup-rollup-items.timer").contains("OnCalendar=*-*-* 02:10:00 UTC\n"));
    for name in ["eazybackup-monitor@.timer", "eazybackup-sync.timer", "eazybackup-housekeep.timer"] {
        let t = timer(name);
        assert!(t.contains("Persistent=true\n") && t.contains("RandomizedDelaySec="), "{name}");
    }
}

fn env_example() -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/eazybackup.env.example");
    let text = std::fs::read_to_string(&path).expect("deploy/eazybackup.env.example exists");
    (path, text)
}

/// Every `EB_*` key the source reads is documented in the example (as a setting or a comment).
#[test]
fn the_example_env_documents_every_key_the_binary_reads() {
    let (_, example) = env_example();
    let mut keys = std::collections::BTreeSet::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split('"').skip(1).step_by(2) {
                    let is_key = piece.len() > 3
                        && piece.starts_with("EB_")
                        && piece.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                    if is_key {
                        keys.insert(piece.to_string());
                    }
                }
            }
        }
    }
    assert!(keys.contains("EB_JOB_HISTORY_DAYS") && keys.contains("EB_WS_DEBUG"), "the scan finds keys: {keys:?}");
    let missing: Vec<&String> = keys.iter().filter(|k| !example.contains(k.as_str())).collect();
    assert!(missing.is_empty(), "keys read by the binary but not documented in deploy/eazybackup.env.example: {missing:?}");
}

/// The example is a working configuration (placeholders aside): it parses as the binary parses it.
#[test]
fn the_example_env_is_a_valid_configuration() {
    let (path, _) = env_example();
    let map: std::collections::HashMap<String, String> =
        dotenvy::from_path_iter(&path).expect("readable").map(|kv| kv.expect("every line parses")).collect();
    let config = eazybackup::config::Config::from_map(&map).expect("the example configures the binary");
    assert_eq!(config.profiles.keys().map(String::as_str).collect::<Vec<_>>(), ["eazybackup", "obc"]);
    assert_eq!(config.monitor, eazybackup::config::MonitorDefaults::default(), "the example states the defaults");
    assert_eq!(config.housekeep, eazybackup::db::retention::Policy::default());
}
