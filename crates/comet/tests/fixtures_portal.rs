//! The portal-side fixtures (hand-written from comet-api.md §5): each parses into its model,
//! round-trips losslessly, exposes the typed values, and keeps its secrets out of `Debug`.

mod common;

use comet::*;
use common::{fixture, round_trip};
use std::collections::BTreeMap;

fn assert_no_secret_in_debug<T: std::fmt::Debug>(value: &T, secrets: &[&str]) {
    let debug = format!("{value:?}");
    for s in secrets {
        assert!(!debug.contains(s), "{s} appears in Debug output");
    }
}

#[test]
fn vault_locations_are_typed_and_secret() {
    let vaults: BTreeMap<String, DestinationConfig> = round_trip(&fixture("DestinationConfig-locations.json"));
    let sftp = &vaults["sftp"];
    assert_eq!(sftp.destination_type, DestinationType::SFTP);
    assert_eq!(sftp.sftp_auth_mode, SftpAuthMode::PASSWORD);
    assert_eq!(sftp.sftp_password.expose(), "sftp-PASSWORD-1");
    assert!(sftp.sftp_custom_auth_use_known_hosts_file);
    assert_eq!(sftp.extra["StorageLimitID"], "squota-25-9-8-field", "25.9.8 keys survive in extra");
    let span = &vaults["spanned"];
    assert_eq!(span.destination_type, DestinationType::SPANNED);
    assert!(span.span_use_static_slots && span.associated_devices.is_empty());
    assert_eq!(span.quota_bytes(), Some(5497558138880));
    let b2 = &span.span_targets[0];
    assert_eq!((b2.b2.bucket.as_str(), b2.b2.key.expose()), ("eazy-span", "b2-APPKEY-2"));
    assert!(b2.b2.hide_deleted_files);
    assert_eq!(b2.b2.extra["FutureB2Knob"], 7);
    let az = &span.span_targets[1];
    assert_eq!(az.azb_account_key.expose(), "azure-ACCOUNTKEY-3");
    assert_eq!(az.swift.api_key.expose(), "swift-APIKEY-4");
    assert_eq!(az.storj.passphrase.expose(), "storj-PASSPHRASE-7");
    assert_eq!(az.smb.smb_password.expose(), "smb-PASSWORD-8");
    assert_eq!(az.extra["FutureLocationKey"]["kept"], true);
    let ranges = &span.default_retention.ranges;
    assert_eq!(span.default_retention.mode, RetentionMode::DELETE_EXCEPT);
    assert_eq!(ranges[0].r#type, RetentionRangeType::FIRST_JOB_FOR_LAST_X_WEEKS);
    assert_eq!(ranges[1].r#type, RetentionRangeType(4242), "an unknown range type parses");
    assert_no_secret_in_debug(
        &vaults,
        &[
            "sftp-PASSWORD-1",
            "b2-APPKEY-2",
            "azure-ACCOUNTKEY-3",
            "swift-APIKEY-4",
            "dav-ACCESSKEY-5",
            "storj-APIKEY-6",
            "storj-PASSPHRASE-7",
            "smb-PASSWORD-8",
            "c3Bhbm5lZC12YXVsdC1rZXk",
        ],
    );
}

#[test]
fn protected_item_with_rules() {
    let r: ProtectedItemWithBackupRulesResponse = round_trip(&fixture("ProtectedItemWithBackupRulesResponse.json"));
    assert_eq!(r.profile_hash, "a7c3e9f1");
    assert_eq!(r.source.file_includes(), ["D:\\Projects"]);
    assert_eq!(r.source.file_excludes(), ["*.tmp"]);
    assert_eq!(r.source.file_regex_excludes(), ["(?i)\\\\node_modules\\\\"]);
    assert_eq!(r.source.file_pattern_includes(false).unwrap()[0].value, "*.docx");
    assert!(r.source.engine_flag(engine_prop_keys::USE_WIN_VSS));
    let rule = &r.backup_rules["rule-weekly"];
    assert_eq!(rule.auto_retention_level, AutoRetentionLevel::LESS_OFTEN);
    assert_eq!((rule.stop_after, rule.limit_vault_speed_bps), (14400, 5242880));
    let daily = &rule.schedules[0];
    assert_eq!(daily.frequency_type, ScheduleFrequency::DAILY);
    assert!(daily.restrict_runtime && daily.restrict_days);
    assert_eq!((daily.from_time.hour, daily.to_time.minutes), (18, 30));
    assert_eq!(daily.days_select.as_array(), [false, true, true, true, true, true, false]);
    let periodic = &rule.schedules[1];
    assert_eq!((periodic.frequency_type, periodic.offset, periodic.random_delay_secs), (ScheduleFrequency::PERIODIC, 900, 1200));
    assert_eq!(periodic.extra["FutureScheduleKey"], "kept");
    assert_eq!(rule.event_triggers.last_job_fail_do_retry_count, 2);
}

#[test]
fn stored_objects_use_lower_case_keys() {
    let r: DispatcherStoredObjectsResponse = round_trip(&fixture("DispatcherStoredObjectsResponse.json"));
    let [dir, file, mail, event] = &r.stored_objects[..] else { panic!("four entries") };
    assert!(dir.is_container() && !file.is_container());
    assert_eq!(
        (dir.subtree.as_str(), dir.recursive_counts, dir.files, dir.bytes, dir.folders),
        ("7b2f0c1e9a", true, 1204, 987654321, 37)
    );
    assert_eq!(file.size, 2048);
    assert_eq!(mail.r#type, stored_object_type::EMAILMESSAGE);
    assert!(mail.has_attachments && mail.rtime > 0);
    assert_eq!(mail.extra["futureObjectKey"], 1);
    assert_eq!(event.etime - event.stime, 1800);
}

#[test]
fn restore_options_keep_minus_one_and_hide_passwords() {
    let opts: Vec<RestoreJobAdvancedOptions> = round_trip(&fixture("RestoreJobAdvancedOptions.json"));
    assert_eq!(opts[0].r#type, RestoreType::MSSQL);
    let mssql = opts[0].ms_sql_connection.as_ref().unwrap();
    assert!(mssql.restore_no_recovery);
    assert_eq!(opts[1].r#type, RestoreType::INVALID);
    assert_eq!(opts[1].archive_format, RestoreArchiveFormat::TARZSTD);
    assert_eq!(opts[1].password.expose(), "mysql-PASSWORD-2");
    assert_eq!(opts[1].office365_credential.as_ref().unwrap().secret.expose(), "o365-SECRET-3");
    assert_no_secret_in_debug(&opts, &["mssql-PASSWORD-1", "mysql-PASSWORD-2", "o365-SECRET-3", "vmware-PASSWORD-4"]);
}

#[test]
fn email_reporting_option() {
    let o: EmailReportingOption = round_trip(&fixture("EmailReportingOption.json"));
    let c = &o.email_report_config;
    assert_eq!(c.report_type, EmailReportType::SUMMARY);
    assert_eq!(c.summary_frequency[0].frequency_type, ScheduleFrequency::WEEKLY);
    assert_eq!(c.time_span.as_ref().unwrap().seconds, 604800);
    assert_eq!(c.filter, SearchClause::status_in(&[7001, 7002]), "the builder produces the portal's filter");
    assert_eq!(o.recipients, ["it@acme-dental.example"]);
}

#[test]
fn security_responses() {
    let t: TotpRegeneratedResponse = round_trip(&fixture("TotpRegeneratedResponse.json"));
    assert!(t.url.expose().starts_with("otpauth://"));
    assert_eq!(t.profile_hash, "f00dfeed");
    assert_no_secret_in_debug(&t, &["JBSWY3DPEHPK3PXP", "TOTPQR"]);
    let i: InstallTokenResponse = round_trip(&fixture("InstallTokenResponse.json"));
    assert_eq!(i.install_token.token.expose(), "itok-9c8b7a6f5e4d");
    assert!(!i.install_token.used && i.install_token.expire_time > i.install_token.create_time);
    assert_no_secret_in_debug(&i, &["itok-9c8b7a6f5e4d"]);
}

#[test]
fn downloads_branding_news() {
    let m: BTreeMap<String, AvailableDownload> = round_trip(&fixture("AvailableDownload-map.json"));
    assert!(m["21"].recommended && m["21"].category == "Linux");
    assert_eq!(m["9"].extra["FutureDownloadKey"], "kept");
    let b: ServerMetaBrandingProperties = round_trip(&fixture("ServerMetaBrandingProperties.json"));
    assert_eq!(b.expired_in_seconds, 1800);
    assert_eq!(b.external_authentication_sources[0].display_name, "Sign in with Entra ID");
    let n: BTreeMap<String, NewsEntry> = round_trip(&fixture("NewsEntry-map.json"));
    assert_eq!(n["news-1"].date_time, 1795000000);
}

#[test]
fn jobs_search_and_disks() {
    let c: CountJobsResponse = round_trip(&fixture("CountJobsResponse.json"));
    assert_eq!(c.count, 17);
    let log: Vec<JobEntry> = round_trip(&fixture("JobEntry-list.json"));
    let severities: Vec<&str> = log.iter().map(|e| e.severity.as_str()).collect();
    assert_eq!(severities, [severity::INFO, severity::WARNING, severity::ERROR]);
    let d: BrowseDiskDrivesResponse = round_trip(&fixture("BrowseDiskDrivesResponse.json"));
    let disk = &d.disks[0];
    assert_eq!(disk.partitions[0].mount_points, ["C:\\"]);
    assert!(disk.device_parents.is_empty(), "null arrays parse as empty");
    assert_eq!(disk.sector_size, 512);
}

#[test]
fn group_policy_flags() {
    let g: GetGroupPolicyResponse = round_trip(&fixture("GetGroupPolicyResponse.json"));
    let p = &g.policy.policy;
    assert_eq!(g.policy_hash, "p0l1cyh4sh");
    assert!(g.policy.default_user_policy);
    assert!(p.is(p.prevent_request_storage_vault) && p.is(p.prevent_delete_single_snapshots));
    assert!(!p.is(p.prevent_open_web_ui) && p.is(p.enforce_storage_vault_retention));
    assert!(p.flag("PreventDeleteProtectedItem") && !p.flag("HideCloudStorageBranding"));
    assert!(p.extra.contains_key("DefaultSources"), "untyped policy keys are kept");
}

/// Fixtures the simulator side wrote: the client must parse them losslessly too.
#[test]
fn simulator_side_fixtures_parse_losslessly() {
    let rule: BackupRuleConfig = round_trip(&fixture("BackupRuleConfig.json"));
    assert!(rule.pre_exec.is_empty() && rule.skip_already_running);
    assert!(rule.extra.is_empty(), "every key is typed: {:?}", rule.extra.keys());
    let d: DispatchWithJobIDResponse = round_trip(&fixture("DispatchWithJobIDResponse.json"));
    assert!(!d.job_id.is_empty());
    let s: DispatcherVaultSnapshotsResponse = round_trip(&fixture("DispatcherVaultSnapshotsResponse.json"));
    assert_eq!(s.snapshots[0].tags, ["nightly"]);
    let log: Vec<JobEntry> = round_trip(&fixture("JobEntry-array.json"));
    assert_eq!(log[0].severity, severity::WARNING);
    let k: SessionKeyRegeneratedResponse = round_trip(&fixture("SessionKeyRegeneratedResponse.json"));
    assert_eq!(k.session_type, "admin");
    let p: UserPolicy = round_trip(&fixture("UserPolicy.json"));
    assert_eq!(p.prevent_delete_protected_item, Some(true));
    assert_eq!(p.prevent_request_storage_vault, Some(false));
}
