//! Every golden fixture parses into its model, has the values written in it, and round-trips.

mod common;

use comet::*;
use common::{fixture, round_trip};
use std::collections::BTreeMap;

#[test]
fn backup_job_running() {
    let job: BackupJobDetail = round_trip(&fixture("BackupJobDetail-running.json"));
    assert_eq!(job.guid, "6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b");
    assert_eq!(job.status, JobStatus::RUNNING_ACTIVE);
    assert_eq!(job.status.class(), StatusClass::Running);
    assert_eq!(job.classification, JobClassification::BACKUP);
    assert_eq!(job.end_time, 0);
    assert!(!job.is_finished());
    let p = job.progress.expect("running job has progress");
    assert_eq!((p.counter, p.received_time, p.bytes_done, p.items_total), (42, 1795507801, 1073741824, 5000));
    assert_eq!(job.cancellation_id, "c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f");
    assert!(job.snapshot_id.is_empty());
}

#[test]
fn backup_job_completed() {
    let job: BackupJobDetail = round_trip(&fixture("BackupJobDetail-completed.json"));
    assert_eq!(job.status.class(), StatusClass::Success);
    assert_eq!(job.status.label(), "Success");
    assert!(job.is_finished());
    assert_eq!(job.end_time - job.start_time, 4320);
    assert_eq!(job.upload_size, 2147483648);
    // Comet's encoder always writes the Progress struct; a finished job keeps its last report.
    assert_eq!(job.progress.as_ref().map(|p| (p.items_done, p.items_total)), Some((5812, 5812)));
    assert_eq!(job.destination_size_end.unwrap().size, 55834574848);
    assert_eq!(job.tags, "nightly");
}

#[test]
fn event_job_new() {
    let ev: StreamableEvent = round_trip(&fixture("StreamableEvent-job-new.json"));
    assert_eq!(ev.r#type, EventType::JOB_NEW);
    assert_eq!(ev.r#type.name(), Some(ev.type_string.as_str()));
    assert_eq!(ev.owner_username(), "alice");
    match ev.decode_data().unwrap() {
        EventData::Job(job) => {
            assert_eq!(job.guid, ev.resource_id);
            assert!(job.status.is_running());
        }
        other => panic!("expected a job, got {other:?}"),
    }
}

#[test]
fn event_job_completed_with_warning() {
    let ev: StreamableEvent = round_trip(&fixture("StreamableEvent-job-completed.json"));
    assert_eq!(ev.r#type, EventType::JOB_COMPLETED);
    let EventData::Job(job) = ev.decode_data().unwrap() else { panic!("not a job") };
    assert_eq!(job.status, JobStatus::FAILED_WARNING);
    assert_eq!(job.status.class(), StatusClass::Warning);
    assert_eq!(job.retry_count, 1);
    assert!(job.backup_rule_guid.is_empty());
}

#[test]
fn event_hello() {
    let ev: StreamableEvent = round_trip(&fixture("StreamableEvent-hello.json"));
    assert_eq!(ev.r#type, EventType::META_HELLO);
    assert!(ev.resource_id.is_empty());
    let EventData::Hello(meta) = ev.decode_data().unwrap() else { panic!("not hello") };
    assert_eq!(meta.version, "25.9.6");
    assert_eq!(meta.server_start_hash, "b4f1e2d3-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    assert!(meta.authentication_role && !meta.constellation_role);
    assert_eq!(meta.extra["ServerLicenseLimit"]["deviceCount"], 25);
}

#[test]
fn event_device_new() {
    let ev: StreamableEvent = round_trip(&fixture("StreamableEvent-device-new.json"));
    assert_eq!(ev.r#type, EventType::DEVICE_NEW);
    assert_eq!(ev.resource_id, "dev-2b8d4f6a1c3e");
    let EventData::Device(dev) = ev.decode_data().unwrap() else { panic!("not a device") };
    assert_eq!(dev.friendly_name, "ALICE-LAPTOP");
    let os = dev.platform_version.unwrap();
    assert_eq!((os.os.as_str(), os.arch.as_str(), os.distribution.as_str()), ("windows", "amd64", "Windows 11 Pro"));
}

#[test]
fn event_account_updated_carries_a_profile() {
    let ev: StreamableEvent = round_trip(&fixture("StreamableEvent-account-updated.json"));
    assert_eq!(ev.r#type, EventType::ACCOUNT_UPDATED);
    assert_eq!(ev.actor, "admin");
    assert_eq!(ev.owner_username(), "bob", "Data.Username wins over an admin Actor");
    let EventData::Profile(p) = ev.decode_data().unwrap() else { panic!("not a profile") };
    assert_eq!(p.devices["dev-9a8b7c6d5e4f"].friendly_name, "Bakery Till (renamed)");
    assert!(p.allow_password_and_totp_login);
}

#[test]
fn user_profile() {
    let p: UserProfileConfig = round_trip(&fixture("UserProfileConfig.json"));
    assert_eq!(p.username, "alice");
    assert_eq!(p.emails.len(), 2);
    assert_eq!(p.devices.len(), 2);
    assert_eq!(p.devices["dev-7f3e9c1a2b4d"].friendly_name, "ACME-FRONTDESK");
    assert_eq!(p.devices["dev-7f3e9c1a2b4d"].sources.len(), 2);
    assert_eq!(p.devices["dev-7f3e9c1a2b4d"].extra["X_FutureDeviceField"]["Nested"][2]["Deep"], serde_json::Value::Null);
    assert_eq!(p.devices["dev-7f3e9c1a2b4d"].platform_version.as_ref().unwrap().extra["FutureOsField"], "kept");
    let engines: Vec<&str> = p.sources.values().map(|s| engine_label(&s.engine)).collect();
    assert_eq!(engines, ["Files and Folders", "Microsoft SQL Server"]);
    let files = &p.sources["a1b2c3d4-0001-4000-8000-000000000001"];
    assert_eq!(files.engine_props["INCLUDE0"], "C:\\Users\\alice\\Documents");
    assert_eq!(files.last_known_size(), Some(21474836480));
    assert_eq!(files.extra["FutureSourceSetting"], true);
    assert_eq!(files.override_destination_retention.len(), 1);
    let sql = &p.sources["a1b2c3d4-0002-4000-8000-000000000002"];
    assert!(sql.pre_exec.is_empty(), "null arrays parse as empty");
    assert_eq!(sql.last_known_size(), None);
    let cloud = &p.destinations["d1e2f3a4-0001-4000-8000-00000000000a"];
    assert_eq!(cloud.destination_type, DestinationType::COMET);
    assert_eq!(cloud.destination_type.label(), "Comet");
    assert_eq!(cloud.measured_size(), Some(55834574848));
    assert!(cloud.storage_limit_enabled);
    assert_eq!(cloud.default_retention.ranges.len(), 2);
    assert_eq!(cloud.statistics.as_ref().unwrap().extra["FutureStatisticsField"]["Shards"], 3);
    let nas = &p.destinations["d1e2f3a4-0002-4000-8000-00000000000b"];
    assert_eq!(nas.destination_type.label(), "S3-compatible");
    assert_eq!(nas.s3_secret_key.expose(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assert!(nas.s3_uses_tls && nas.s3_remove_deleted);
    assert_eq!(nas.s3_object_lock_mode, comet::ObjectLockMode::OFF);
    assert_eq!(nas.quota_bytes(), None);
    assert!(nas.span_targets.is_empty() && nas.swift == comet::SwiftDestinationLocation::default());
    let rule = &p.backup_rules["r1a2b3c4-0001-4000-8000-0000000000aa"];
    assert_eq!(rule.schedules[0].frequency_type, comet::ScheduleFrequency::HOURLY);
    assert_eq!(rule.schedules[0].random_delay_secs, 600);
    assert!(rule.event_triggers.on_last_job_fail_do_retry && !rule.event_triggers.on_pc_boot);
    assert_eq!(rule.tags, "nightly");
    assert!(rule.extra.is_empty(), "every documented rule key is typed: {:?}", rule.extra.keys());
    assert!(!rule.schedules[0].restrict_runtime && !rule.schedules[0].days_select.as_array().contains(&true));
    let report = &p.override_email_settings["it@acme-dental.example"].reports[0];
    assert_eq!(report.report_type, comet::EmailReportType::IMMEDIATE);
    assert_eq!(report.filter.rule_operator, comet::operator::INT_GTE);
    assert_eq!(p.policy.prevent_request_storage_vault, Some(true));
    assert_eq!(p.policy.prevent_change_account_name, Some(false));
    assert_eq!(p.policy.prevent_open_web_ui, None, "absent flags stay absent");
    assert!(p.policy.extra.contains_key("ModeAdminResetPassword"));
    assert!(p.policy.flag("PreventRequestStorageVault") && !p.policy.flag("Missing"));
    assert_eq!(p.password_hash.expose(), "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy");
    assert!(!p.password_recovery.is_empty());
    assert_eq!(p.server_config.as_ref().unwrap().random_delay_secs, 300);
    assert_eq!(p.extra["FutureAccountFlag"], "unknown-to-the-client");
    let debug = format!("{p:?}");
    for secret in ["N9qo8uLOickgx2ZMRZoMy", "wJalrXUtnFEMI", "Kq9vX2mL0pR7sT4uW8yZ", "AAECAwQFBgcICQoLDA0O"] {
        assert!(!debug.contains(secret), "secret {secret} appears in Debug output");
    }
}

#[test]
fn profile_and_hash() {
    let r: GetProfileAndHashResponseMessage = round_trip(&fixture("GetProfileAndHashResponseMessage.json"));
    assert_eq!((r.status, r.message.as_str(), r.profile_hash.as_str()), (200, "OK", "9c1e5f0a7b3d2e4c"));
    assert_eq!(r.profile.username, "bob");
    assert!(r.profile.is_suspended);
    assert_eq!(r.profile.last_suspended, 1795000000);
    assert!(r.profile.override_email_settings.is_empty());
    assert_eq!(r.profile.totp_key.expose(), "enc1:T1RQU0VDUkVUQk9C");
}

#[test]
fn live_connections_map() {
    let m: BTreeMap<String, LiveUserConnection> = round_trip(&fixture("LiveUserConnection-map.json"));
    assert_eq!(m.len(), 2);
    let alice = &m["c1f0a9b8-7e6d-4c5b-9a48-3726150f4e3d"];
    assert_eq!((alice.username.as_str(), alice.device_id.as_str()), ("alice", "dev-7f3e9c1a2b4d"));
    assert_eq!(alice.reported_platform, "windows/amd64");
    assert!(alice.allows_filenames);
    let bob = &m["d2e1b0c9-8f7e-4d6c-8b59-4837261a5f4e"];
    assert!(bob.reported_platform_version.is_none() && bob.ip_address.is_empty());
}

#[test]
fn error_bodies() {
    let e: CometAPIResponseMessage = round_trip(&fixture("error-403.json"));
    assert_eq!(e.status, 403);
    let t: CometAPIResponseMessage = round_trip(&fixture("error-totp.json"));
    assert_eq!(t.message, error::ERR_TOTP_REQUIRED);
}

#[test]
fn every_fixture_is_covered() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/comet");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let covered = [
        "AvailableDownload-map.json",
        "BackupJobDetail-completed.json",
        "BackupJobDetail-running.json",
        "BackupRuleConfig.json",
        "BrowseDiskDrivesResponse.json",
        "CountJobsResponse.json",
        "DestinationConfig-locations.json",
        "DispatchWithJobIDResponse.json",
        "DispatcherStoredObjectsResponse.json",
        "DispatcherVaultSnapshotsResponse.json",
        "EmailReportingOption.json",
        "GetGroupPolicyResponse.json",
        "GetProfileAndHashResponseMessage.json",
        "InstallTokenResponse.json",
        "JobEntry-array.json",
        "JobEntry-list.json",
        "LiveUserConnection-map.json",
        "NewsEntry-map.json",
        "ProtectedItemWithBackupRulesResponse.json",
        "RestoreJobAdvancedOptions.json",
        "ServerMetaBrandingProperties.json",
        "SessionKeyRegeneratedResponse.json",
        "StreamableEvent-account-updated.json",
        "StreamableEvent-device-new.json",
        "StreamableEvent-hello.json",
        "StreamableEvent-job-completed.json",
        "StreamableEvent-job-new.json",
        "TotpRegeneratedResponse.json",
        "UserPolicy.json",
        "UserProfileConfig.json",
        "error-403.json",
        "error-totp.json",
    ];
    assert_eq!(
        names, covered,
        "a fixture was added without a test (or removed); portal fixtures are tested in fixtures_portal.rs"
    );
}
