//! Every portal endpoint added on top of the core client, against a fake server that records
//! requests: path, field names, JSON-in-field encoding, raw downloads with their filename, and
//! and the downloads' file names (the debug log is in debug_log.rs, alone in its binary).

use comet::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

mod recording_server;
use recording_server::{Fields, admin, last, serve};

fn json_field(f: &Fields, name: &str) -> Value {
    serde_json::from_str(&f[name]).unwrap_or_else(|e| panic!("{name} is not JSON ({e}): {}", f[name]))
}

/// The parameter names of a request, auth fields left out.
fn params(f: &Fields) -> Vec<&str> {
    let mut names: Vec<&str> = f
        .keys()
        .map(String::as_str)
        .filter(|k| !["Username", "AuthType", "Password", "SessionKey", "TOTP"].contains(k))
        .collect();
    names.sort_unstable();
    names
}

#[tokio::test]
async fn security_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    c.reset_user_password("alice", "n3w", None).await.unwrap();
    let f = last(&rec, "/api/v1/admin/reset-user-password");
    assert_eq!(params(&f), ["NewPassword", "TargetUser"]);
    assert_eq!((f["TargetUser"].as_str(), f["NewPassword"].as_str()), ("alice", "n3w"));
    c.reset_user_password("alice", "n3w", Some("old")).await.unwrap();
    assert_eq!(last(&rec, "/api/v1/admin/reset-user-password")["OldPassword"], "old");

    c.disable_user_totp("alice").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/disable-user-totp")), ["TargetUser"]);

    let k = c.session_start_as_user("alice").await.unwrap();
    assert_eq!(k.session_key, "sk-test");
    assert_eq!(last(&rec, "/api/v1/admin/account/session-start-as-user")["TargetUser"], "alice");

    c.hybrid_session_start().await.unwrap();
    assert!(params(&last(&rec, "/api/v1/hybrid/session/start")).is_empty());

    c.dispatcher_update_login_password("live-1", "pw2").await.unwrap();
    let f = last(&rec, "/api/v1/admin/dispatcher/update-login-password");
    assert_eq!(params(&f), ["NewPassword", "TargetID"]);

    c.create_install_token("alice", "pw", Some("https://auth.example/")).await.unwrap();
    let f = last(&rec, "/api/v1/admin/create-install-token");
    assert_eq!(params(&f), ["Server", "TargetPassword", "TargetUser"]);
}

#[tokio::test]
async fn account_and_item_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    c.add_user("carol", "pw", &AddUserOptions { store_recovery_code: true, ..AddUserOptions::default() }).await.unwrap();
    let f = last(&rec, "/api/v1/admin/add-user");
    assert_eq!(params(&f), ["RequirePasswordChange", "StoreRecoveryCode", "TargetPassword", "TargetUser"]);
    assert_eq!((f["StoreRecoveryCode"].as_str(), f["RequirePasswordChange"].as_str()), ("1", "0"));

    c.delete_user("carol", Some(&UninstallConfig { uninstall_flag: true, ..UninstallConfig::default() })).await.unwrap();
    let f = last(&rec, "/api/v1/admin/delete-user");
    assert_eq!(json_field(&f, "UninstallConfig"), json!({"UninstallFlag": true, "RemoveConfigFile": false}));
    c.delete_user("dave", None).await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/delete-user")), ["TargetUser"]);

    c.get_protected_item_with_backup_rules("alice", "src-1").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/get-protected-item-with-backup-rules")), ["SourceID", "TargetUser"]);

    let mut item = SourceConfig { engine: "engine1/file".into(), description: "Docs".into(), ..SourceConfig::default() };
    item.set_file_includes(["C:\\Docs"]);
    let rule = BackupRuleConfig::new("Nightly", "src-1", "vault-1", ScheduleConfig::daily(2, 30), 1795000000);
    let rules = BTreeMap::from([("rule-1".to_owned(), rule)]);
    c.set_protected_item_with_backup_rules("alice", "src-1", Some(&item), Some(&rules), Some("h1")).await.unwrap();
    let f = last(&rec, "/api/v1/admin/set-protected-item-with-backup-rules");
    assert_eq!(params(&f), ["BackupRules", "RequireHash", "Source", "SourceID", "TargetUser"]);
    assert_eq!(json_field(&f, "Source")["EngineProps"], json!({"INCLUDE0": "C:\\Docs"}));
    let sent = json_field(&f, "BackupRules");
    assert_eq!(sent["rule-1"]["Schedules"][0]["FrequencyType"], 8011);
    assert_eq!(sent["rule-1"]["Schedules"][0]["SecondsPast"], 2 * 3600 + 30 * 60);
    assert!(!f["Source"].contains(": "), "compact JSON");
    c.set_protected_item_with_backup_rules("alice", "src-1", None, Some(&BTreeMap::new()), None).await.unwrap();
    let f = last(&rec, "/api/v1/admin/set-protected-item-with-backup-rules");
    assert_eq!(params(&f), ["BackupRules", "SourceID", "TargetUser"], "omitted parts are not sent");
    assert_eq!(f["BackupRules"], "{}");
}

#[tokio::test]
async fn device_and_job_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    c.dispatcher_kill_process("live-1").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/dispatcher/kill-process")), ["TargetID"]);
    c.dispatcher_force_login("live-1").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/dispatcher/force-login")), ["TargetID"]);

    let q = SearchClause::username("alice").and_also(SearchClause::status_between(7000, 7999));
    assert!(c.get_jobs_for_custom_search(&q).await.unwrap().is_empty());
    let f = last(&rec, "/api/v1/admin/get-jobs-for-custom-search");
    assert_eq!(params(&f), ["Query"]);
    assert_eq!(json_field(&f, "Query"), serde_json::to_value(&q).unwrap());
    assert_eq!(c.count_jobs_for_custom_search(&q).await.unwrap().count, 42);
    assert_eq!(json_field(&last(&rec, "/api/v1/admin/count-jobs-for-custom-search"), "Query")["ClauseType"], "and");

    // A raw-byte endpoint that answers with the JSON error object is an error, not a log.
    match c.get_job_log("nope").await {
        Err(CometError::Api { status: 500, message }) => assert_eq!(message, "no such job"),
        other => panic!("expected the sniffed API error, got {other:?}"),
    }
}

#[tokio::test]
async fn dispatcher_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    let opts = BackupJobAdvancedOptions { tags: "adhoc".into(), ..BackupJobAdvancedOptions::default() };
    c.dispatcher_run_backup_custom("live-1", "src-1", "vault-1", Some(&opts)).await.unwrap();
    let f = last(&rec, "/api/v1/admin/dispatcher/run-backup-custom");
    assert_eq!(params(&f), ["Destination", "Options", "Source", "TargetID"]);
    assert_eq!(json_field(&f, "Options")["Tags"], "adhoc");

    let paths = vec!["C:\\Docs\\a.txt".to_owned()];
    let r = c.dispatcher_run_restore("live-1", "D:\\restore", "src-1", "vault-1", None, Some(&paths)).await.unwrap();
    assert_eq!(r.job_id, "job-r1");
    let f = last(&rec, "/api/v1/admin/dispatcher/run-restore");
    assert_eq!(params(&f), ["Destination", "Path", "Paths", "Source", "TargetID"]);
    assert_eq!(json_field(&f, "Paths"), json!(["C:\\Docs\\a.txt"]));

    let mut restore = RestoreJobAdvancedOptions::archive_to("D:\\out.zip", RestoreArchiveFormat::ZIP);
    restore.password = Secret("mysql-secret".into());
    c.dispatcher_run_restore_custom("live-1", "src-1", "vault-1", &restore, Some("snap-1"), None).await.unwrap();
    let f = last(&rec, "/api/v1/admin/dispatcher/run-restore-custom");
    assert_eq!(params(&f), ["Destination", "Options", "Snapshot", "Source", "TargetID"]);
    let o = json_field(&f, "Options");
    assert_eq!((o["Type"].as_i64(), o["ArchiveFormat"].as_i64()), (Some(5), Some(2)));
    assert_eq!(o["Password"], "mysql-secret", "secrets are sent verbatim, only hidden from logs");

    let listing = c.dispatcher_request_stored_objects("live-1", "vault-1", "snap-1", Some("t0"), None).await.unwrap();
    assert!(listing.stored_objects[0].is_container());
    assert_eq!(
        params(&last(&rec, "/api/v1/admin/dispatcher/request-stored-objects")),
        ["Destination", "SnapshotID", "TargetID", "TreeID"]
    );
    c.dispatcher_request_filesystem_objects("live-1", None).await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/dispatcher/request-filesystem-objects")), ["TargetID"]);
    c.dispatcher_request_browse_disk_drives("live-1").await.unwrap();
    c.dispatcher_request_browse_hyperv("live-1").await.unwrap();
    c.dispatcher_request_browse_exchange_edb("live-1").await.unwrap();
    c.dispatcher_request_browse_vss_aaw("live-1").await.unwrap();
    c.dispatcher_request_browse_mssql("live-1", &SecretJson(json!({"Server": "sql1"}))).await.unwrap();
    assert_eq!(json_field(&last(&rec, "/api/v1/admin/dispatcher/request-browse-mssql"), "Credentials")["Server"], "sql1");
    c.dispatcher_request_browse_vmware("live-1", &SecretJson(json!({}))).await.unwrap();
    c.dispatcher_request_office365_accounts("live-1", &Office365Credential::default()).await.unwrap();
    assert!(json_field(&last(&rec, "/api/v1/admin/dispatcher/request-office365-accounts"), "Credentials")["AppID"].is_string());

    let ids = vec!["snap-1".to_owned(), "snap-2".to_owned()];
    c.dispatcher_search_snapshots(
        "live-1",
        "vault-1",
        &ids,
        &SearchClause::rule("name", operator::STRING_CONTAINS_CI, "invoice"),
    )
    .await
    .unwrap();
    let f = last(&rec, "/api/v1/admin/dispatcher/search-snapshots");
    assert_eq!(params(&f), ["DestinationID", "Filter", "SnapshotIDs", "TargetID"]);
    assert_eq!(json_field(&f, "SnapshotIDs"), json!(["snap-1", "snap-2"]));
    c.dispatcher_delete_snapshot("live-1", "vault-1", "snap-1").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/admin/dispatcher/delete-snapshot")), ["DestinationID", "SnapshotID", "TargetID"]);
    c.dispatcher_delete_snapshots("live-1", "vault-1", &ids).await.unwrap();
    assert_eq!(json_field(&last(&rec, "/api/v1/admin/dispatcher/delete-snapshots"), "SnapshotIDs"), json!(["snap-1", "snap-2"]));

    for (path, call) in
        [("apply-retention-rules", 0), ("reindex-storage-vault", 1), ("deepverify-storage-vault", 2), ("unlock", 3)]
    {
        match call {
            0 => c.dispatcher_apply_retention_rules("live-1", "vault-1").await.unwrap(),
            1 => c.dispatcher_reindex_storage_vault("live-1", "vault-1").await.unwrap(),
            2 => c.dispatcher_deepverify_storage_vault("live-1", "vault-1").await.unwrap(),
            _ => c.dispatcher_unlock("live-1", "vault-1", false).await.unwrap(),
        };
        let f = last(&rec, &format!("/api/v1/admin/dispatcher/{path}"));
        assert_eq!(f["Destination"], "vault-1", "{path}");
    }
    assert_eq!(last(&rec, "/api/v1/admin/dispatcher/unlock")["AllowUnsafe"], "false");

    let loc = DestinationLocation {
        destination_type: DestinationType::SFTP,
        sftp_server: "sftp.example:22".into(),
        sftp_password: Secret("sftp-secret".into()),
        ..DestinationLocation::default()
    };
    c.dispatcher_ping_destination("live-1", &loc).await.unwrap();
    let x = json_field(&last(&rec, "/api/v1/admin/dispatcher/ping-destination"), "ExtraData");
    assert_eq!((x["DestinationType"].as_u64(), x["SFTPPassword"].as_str()), (Some(1001), Some("sftp-secret")));
}

#[tokio::test]
async fn download_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    let platforms = c.branding_available_platforms().await.unwrap();
    assert_eq!(platforms.keys().copied().collect::<Vec<_>>(), [7, 21]);
    assert!(platforms[&21].recommended);
    let d = c.branding_generate_client_by_platform(21).await.unwrap();
    assert_eq!(d.filename.as_deref(), Some("Comet Backup 25.9.6 (x64).zip"));
    assert_eq!(d.bytes, b"PK\x03\x04installer");
    let f = last(&rec, "/api/v1/admin/branding/generate-client/by-platform");
    assert_eq!(params(&f), ["Platform", "SelfAddress"]);
    assert_eq!(f["Platform"], "21");
    assert!(format!("{d:?}").contains("bytes: 13"), "Debug shows the size, not the content");
    let b = c.branding_props().await.unwrap();
    assert_eq!(b.expired_in_seconds, 1800);
}

#[tokio::test]
async fn report_policy_news_endpoints() {
    let (origin, rec) = serve().await;
    let c = admin(&origin);
    let report = EmailReportConfig::immediate_for(&[JobStatus::FAILED_WARNING, JobStatus::FAILED_ERROR]);
    c.preview_user_email_report("alice", &report, Some("it@example.com")).await.unwrap();
    let f = last(&rec, "/api/v1/admin/preview-user-email-report");
    assert_eq!(params(&f), ["EmailAddress", "EmailReportConfig", "TargetUser"]);
    let sent = json_field(&f, "EmailReportConfig");
    assert_eq!(sent["ReportType"], 0);
    assert_eq!(sent["Filter"]["ClauseChildren"][1]["RuleValue"], "7002");

    let opt = EmailReportingOption {
        email_report_config: report,
        language_code: "en_US".into(),
        local_timezone: "UTC".into(),
        recipients: vec!["it@example.com".into()].into(),
        ..EmailReportingOption::default()
    };
    c.meta_send_test_report(&opt, None).await.unwrap();
    let f = last(&rec, "/api/v1/admin/meta/send-test-report");
    assert_eq!(params(&f), ["EmailReportingOption"]);
    assert_eq!(json_field(&f, "EmailReportingOption")["Recipients"], json!(["it@example.com"]));

    assert_eq!(c.policies_list(None).await.unwrap()["pol-1"], "Standard");
    c.policies_get("pol-1").await.unwrap();
    assert_eq!(last(&rec, "/api/v1/admin/policies/get")["PolicyID"], "pol-1");
    assert_eq!(c.news_get_all().await.unwrap()["n1"].text_content, "Maintenance");
}

#[tokio::test]
async fn user_web_client_uses_user_paths_and_its_own_login() {
    let (origin, rec) = serve().await;
    let u =
        UserWebClient::new(&origin, Credentials { username: "alice".into(), password: "pw".into(), ..Credentials::default() })
            .unwrap();
    u.get_jobs().await.unwrap();
    let log = rec.log.lock().unwrap().clone();
    assert_eq!(log[0].0, "/api/v1/user/web/session/start", "user login, not the admin one");
    assert_eq!(log[1].0, "/api/v1/user/web/get-jobs");
    assert_eq!((log[1].1["AuthType"].as_str(), log[1].1["SessionKey"].as_str()), ("SessionKey", "sk-test"));
    u.account_validate_totp("h1", "123456").await.unwrap();
    assert_eq!(params(&last(&rec, "/api/v1/user/web/account/validate-totp")), ["ProfileHash", "TOTPCode"]);
    u.request_filesystem_objects("live-1", Some("/home")).await.unwrap();
    assert_eq!(last(&rec, "/api/v1/user/web/request-filesystem-objects")["Path"], "/home");
    assert_eq!(u.news_get_all().await.unwrap().len(), 1);
}
